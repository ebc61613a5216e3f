"""How Luoshi's spreadsheets look: column widths, the frame of a table cell, and the printed page.

Every .xlsx Luoshi writes (the 任务分解表, the tree's export, a bulletin's tables, a unit's 工作承诺) is a
table under a title, printed on A4 in landscape, one page wide with its header row on every page.
The fonts differ on purpose (the official 任务分解表 and 工作承诺 use the official typefaces), so they stay
with each document; what every sheet shares is here. Works on write-only sheets too.
"""

from collections.abc import Sequence

from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

#: A thin black line round a table cell.
THIN = Side(style="thin", color="000000")
FRAMED = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def set_widths(sheet, widths: Sequence[float]) -> None:
    """Column widths in characters, from column A on."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def print_on_a4(sheet, header_row: int) -> None:
    """Landscape A4, one page wide and as many tall as it takes, the header row repeated on every page.
    (Excel ignores fitToWidth unless fitToPage is set.)"""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # a write-only sheet has no constants of its own
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
