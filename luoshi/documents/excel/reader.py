"""Read a 任务分解表 sheet: find the header wherever it is, fill merged cells, key cells by column.

The header is found by its text, not its position: a title row may sit above it, it may span two
rows ("责任单位" over "牵头单位 | 配合单位"), and its columns may come in any order. A merged cell's
value applies to every cell it covers, and each filled cell remembers the merged range it came
from, so the outline can tell "a key task spanning its measures" from "the same text typed twice".
"""

import datetime as dt
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.core import limits
from luoshi.documents.excel.errors import RowError, UnreadableTable
from luoshi.documents.excel.layout import (
    HEADER_SEARCH_ROWS,
    HEADERS,
    TITLE_FIELDS,
    Field,
    field_for_header,
)

CellValue = str | int | float | dt.datetime | dt.date | None
Source = bytes | BinaryIO | str | os.PathLike


@dataclass(frozen=True)
class Span:
    """A merged range of cells, 1-based and inclusive."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    @property
    def is_tall(self) -> bool:
        return self.last_row > self.first_row

    def covers_rows(self, first: int, last: int) -> bool:
        return self.first_row <= first and last <= self.last_row


@dataclass
class Cell:
    value: CellValue = None
    span: Span | None = None


@dataclass(frozen=True)
class Column:
    field: Field
    index: int
    header: str


@dataclass
class SheetRow:
    """One data row: the cells of the recognised columns, by what they hold."""

    number: int
    cells: dict[Field, Cell]

    def value(self, column: Field) -> CellValue:
        cell = self.cells.get(column)
        return cell.value if cell else None

    def text(self, column: Field) -> str:
        return cell_text(self.value(column))

    def span(self, column: Field) -> Span | None:
        cell = self.cells.get(column)
        return cell.span if cell else None

    def is_own(self, column: Field) -> bool:
        """Is the value written in this row, not carried down from a merged cell above?"""
        span = self.span(column)
        return bool(self.text(column)) and (span is None or span.first_row == self.number)


@dataclass
class TaskTable:
    sheet: str
    header_row: int
    columns: dict[Field, Column]
    rows: list[SheetRow]
    warnings: list[RowError] = field(default_factory=list)

    def header(self, column: Field) -> str:
        """The column's name as the file writes it, for messages the user can find."""
        found = self.columns.get(column)
        return found.header if found else HEADERS[column]


def cell_text(value: CellValue) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO, surrounding space trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_task_table(source: Source) -> TaskTable:
    """The first sheet (the active one first) that has a recognisable task-table header."""
    data = _read_bytes(source)
    _check_package(data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged package
        raise UnreadableTable("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from error
    sheets = [workbook.active, *(ws for ws in workbook.worksheets if ws is not workbook.active)]
    for sheet in sheets:
        if not isinstance(sheet, Worksheet):
            continue
        table = _read_sheet(sheet)
        if table is not None:
            return table
    if not any(_has_content(ws) for ws in workbook.worksheets):
        raise UnreadableTable("表格是空的，没有任何内容。")
    raise UnreadableTable(
        f"找不到表头：在每个工作表的前{HEADER_SEARCH_ROWS}行中都没有找到“重点任务”或“具体措施”列，"
        "以及“牵头单位”“完成时限”等列。请确认表头包含这些列名。"
    )


def _read_bytes(source: Source) -> bytes:
    most = limits.IMPORT_BYTES.most
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | os.PathLike):
        limits.IMPORT_BYTES.check(os.path.getsize(source), UnreadableTable)
        with open(source, "rb") as stream:
            data = stream.read(most + 1)
    else:
        data = source.read(most + 1)
    limits.IMPORT_BYTES.check(len(data), UnreadableTable)
    return data


def _check_package(data: bytes) -> None:
    """Refuse what is not an .xlsx before openpyxl sees it, each with the reason a clerk can act on."""
    if not data.strip():
        raise UnreadableTable("文件是空的。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableTable("这是旧版 Excel（.xls）文件或加密的文件，请在 Excel 中另存为 .xlsx 后再导入。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnreadableTable("这不是 Excel（.xlsx）文件，请上传 .xlsx 格式的任务分解表。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "xl/workbook.xml" not in names:
                raise UnreadableTable(
                    "这是一个压缩包，但不是 Excel（.xlsx）文件（可能是 Word 文档或其他文件）。"
                )
            limits.check_package(package, UnreadableTable)
    except zipfile.BadZipFile as error:
        raise UnreadableTable("文件已损坏，无法作为 Excel（.xlsx）读取。") from error


def _has_content(sheet) -> bool:
    if not isinstance(sheet, Worksheet):
        return False
    return any(v is not None and cell_text(v) for row in sheet.iter_rows(values_only=True) for v in row)


def _read_sheet(sheet: Worksheet) -> TaskTable | None:
    grid = _grid(sheet)
    header = _find_header(grid)
    if header is None:
        return None
    header_rows, columns, warnings = header
    rows: list[SheetRow] = []
    for number in range(header_rows[-1] + 1, len(grid) + 1):
        cells = {column.field: grid[number - 1][column.index - 1] for column in columns.values()}
        row = SheetRow(number, cells)
        if not any(row.text(f) for f in cells) or _repeats_header(grid[number - 1]):
            continue
        rows.append(row)
    limits.TASK_ROWS.check(len(rows), UnreadableTable)
    return TaskTable(sheet.title, header_rows[-1], columns, rows, warnings)


def _grid(sheet: Worksheet) -> list[list[Cell]]:
    """The sheet's values as a grid of cells, merged ranges filled, down to its last row with a value.

    A styled empty cell far below the table (row 1,048,576) stretches the sheet's dimensions but
    not what is read; a value that far down is refused by the sheet-rows limit.
    """
    width = min(sheet.max_column, limits.SHEET_COLUMNS.most)
    # Only the cells the file wrote exist in `_cells`; iter_rows would create every one up to max_row.
    last = max(
        (
            row
            for (row, column), cell in sheet._cells.items()
            if column <= width and cell.value is not None and cell_text(cell.value)
        ),
        default=0,
    )
    limits.SHEET_ROWS.check(last, UnreadableTable)
    grid: list[list[Cell]] = []
    for values in sheet.iter_rows(min_row=1, max_row=max(last, 1), max_col=width, values_only=True):
        grid.append([Cell(_plain(v)) for v in values])
    del grid[last:]
    for merged in sheet.merged_cells.ranges:
        span = Span(merged.min_row, merged.min_col, merged.max_row, merged.max_col)
        if span.first_row > len(grid) or span.first_column > width:
            continue
        value = grid[span.first_row - 1][span.first_column - 1].value
        for r in range(span.first_row, min(span.last_row, len(grid)) + 1):
            for c in range(span.first_column, min(span.last_column, width) + 1):
                grid[r - 1][c - 1] = Cell(value, span)
    return grid


def _plain(value: object) -> CellValue:
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)  # time, timedelta, booleans, errors like "#REF!": kept as text


def _fields_of(cells: list[Cell]) -> Iterator[tuple[int, Field, str]]:
    for index, cell in enumerate(cells, start=1):
        text = cell_text(cell.value)
        if not isinstance(cell.value, str) or not text:
            continue
        found = field_for_header(text)
        if found is not None:
            yield index, found, text


def _header_score(cells: list[Cell]) -> int:
    found = {f for _, f, _ in _fields_of(cells)}
    if not found & set(TITLE_FIELDS) or len(found) < 2:
        return 0
    return len(found)


def _is_header_line(cells: list[Cell]) -> bool:
    """Every filled cell names a column, and at least two columns are named: a row of header only.

    Data rows can contain header words ("落实减税降费措施", "经发局牵头"), but never only those.
    """
    filled = [c for c in cells if cell_text(c.value)]
    found = list(_fields_of(cells))
    return len(found) == len(filled) and len({f for _, f, _ in found}) >= 2


def _repeats_header(cells: list[Cell]) -> bool:
    """A header printed again inside the data (tables pasted page by page)."""
    return _header_score(cells) >= 3 and _is_header_line(cells)


def _find_header(grid: list[list[Cell]]) -> tuple[list[int], dict[Field, Column], list[RowError]] | None:
    """The header rows (one, or two when a second line refines the first) and the columns they name."""
    scores = [_header_score(cells) for cells in grid[:HEADER_SEARCH_ROWS]]
    if not scores or max(scores) == 0:
        return None
    best = scores.index(max(scores))
    rows = [best]
    if best > 0 and _is_header_line(grid[best - 1]):
        rows.insert(0, best - 1)
    if best + 1 < len(grid) and _is_header_line(grid[best + 1]):
        rows.append(best + 1)
    by_index: dict[int, tuple[Field, str]] = {}
    for r in rows:  # a lower header line is more specific than the one above it
        for index, found, text in _fields_of(grid[r]):
            by_index[index] = (found, text)
    columns: dict[Field, Column] = {}
    warnings: list[RowError] = []
    for index in sorted(by_index):
        found, text = by_index[index]
        if found in columns:
            warnings.append(
                RowError(
                    f"“{text}”列与“{columns[found].header}”列都像是“{HEADERS[found]}”，已使用左边一列。",
                    row=rows[-1] + 1,
                )
            )
            continue
        columns[found] = Column(found, index, text)
    return [r + 1 for r in rows], columns, warnings
