"""The task tree a table draws: from its two title columns, merged key-task cells and outline numbers.

Rules, in words:
- A 重点任务 (key task) is a parent; the 具体措施 written beside and below it are its children. A
  key task lasts while its cell is merged down, repeats the same text, or is left blank.
- A key task written on a row of its own (no measure beside it) takes that row's units, owner and
  deadline. One written beside its first measure has no row of its own: it takes only the cells
  merged over all of its rows, and the importer derives the rest from its measures.
- Within each title column, outline numbers nest: a new style goes one level down, a style already
  open returns to its level (一、 > （一） > 1. > （1）; 1 > 1.1 > 1.1.1). Unnumbered titles count as
  one more style, so they sit below the numbered heading above them; a title merged sideways across
  the table is a banner heading, a style of its own. The number is taken from the 序号 cell, or from
  the start of the title when 序号 is empty (and then cut off the title).
- A 序号 cell merged down over a key task's rows numbers the key task, not its measures.
- A 序号 column that only counts rows (1, 2, 3 … through key tasks and measures alike, in a table
  that uses both title columns) says nothing about the hierarchy; numbers in the titles still do.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from luoshi.documents.excel.errors import RowError
from luoshi.documents.excel.layout import ATTRIBUTE_FIELDS, Field
from luoshi.documents.excel.numbering import Numbering, parse_code, split_title
from luoshi.documents.excel.reader import CellValue, SheetRow, Span, TaskTable
from luoshi.plans.models import TaskKind

#: Footnotes and signatures under a table: 注：…, 注1：…, 填表人：…, 联系电话：…
_FOOTNOTE = re.compile(
    r"^(注\s*\d*|备注|说明|附注|填表说明|填表人|填报人|制表人?|审核人?|联系人|联系电话|填报单位|报送单位)\s*[:：]"
)
_LINE_BREAK = re.compile(r"\s*\n\s*")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@dataclass(eq=False)
class DraftTask:
    """A task as the table writes it, before its names and dates are matched."""

    row: int
    column: Field
    title: str
    code: str
    source_text: str
    cells: dict[Field, CellValue]
    has_own_row: bool
    numbering: Numbering | None = None
    style: tuple[str, ...] = ("plain",)
    parent: "DraftTask | None" = None
    children: list["DraftTask"] = field(default_factory=list)
    kind: str = TaskKind.WORK
    #: What is wrong with how the row is written (its numbering); it keeps the task from being saved.
    problems: list[RowError] = field(default_factory=list)
    #: For a key task: its span (if merged) and the rows it covers, first to last.
    span: Span | None = None
    first_row: SheetRow | None = None
    last_row: int = 0

    def walk(self) -> Iterator["DraftTask"]:
        """This task and every task below it, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class _Level:
    style: tuple[str, ...]
    task: DraftTask
    parent: DraftTask | None


def clean_text(text: str) -> str:
    """A cell's text on one line: a line break between Chinese characters is only wrapping."""

    def join(m: re.Match) -> str:
        before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
        return "" if _CJK.match(before) or _CJK.match(after) else " "

    return _LINE_BREAK.sub(join, text.strip())


def outline(table: TaskTable) -> tuple[list[DraftTask], list[RowError]]:
    """The table's tasks as a forest in reading order, and the rows that could not be placed at all."""
    builder = _Builder(table)
    for row in table.rows:
        builder.add(row)
    builder.finish()
    return builder.roots, builder.errors


def _code_text(row: SheetRow) -> str:
    """The row's 序号, unless that cell is part of a title merged sideways over it."""
    span = row.span(Field.CODE)
    if span is not None and span in (row.span(Field.KEY_TASK), row.span(Field.MEASURE)):
        return ""
    return clean_text(row.text(Field.CODE))


def _counts_rows(table: TaskTable) -> bool:
    """Does the 序号 column only count rows? Plain 1, 2, 3 in a table using both title columns."""
    uses_both = all(any(row.text(f) for row in table.rows) for f in (Field.KEY_TASK, Field.MEASURE))
    codes = [parse_code(_code_text(row)) for row in table.rows if _code_text(row)]
    return uses_both and bool(codes) and all(c is not None and c.style == ("num", "1") for c in codes)


class _Builder:
    def __init__(self, table: TaskTable) -> None:
        self.table = table
        self.has_key_column = Field.KEY_TASK in table.columns
        self.roots: list[DraftTask] = []
        self.errors: list[RowError] = []
        self.key_levels: list[_Level] = []
        self.measure_levels: list[_Level] = []
        self.group: DraftTask | None = None
        self.keys_without_row: list[DraftTask] = []
        self.code_counts_rows = _counts_rows(table)

    def add(self, row: SheetRow) -> None:
        key_text = clean_text(row.text(Field.KEY_TASK))
        measure_text = clean_text(row.text(Field.MEASURE))
        key_span = row.span(Field.KEY_TASK)
        if key_span is not None and key_span == row.span(Field.MEASURE):
            measure_text = ""  # one title merged across both columns: a heading row
        if _FOOTNOTE.match(key_text or measure_text):
            return
        code_span = row.span(Field.CODE)
        code_text = _code_text(row)
        code_is_the_keys = self.has_key_column and code_span is not None and code_span.is_tall
        starts_group = bool(key_text) and not self._continues_group(row, key_text, measure_text)
        if starts_group:
            owns_row = not measure_text
            key_code = code_text if (owns_row or code_is_the_keys) else ""
            self.group = self._draft(row, Field.KEY_TASK, key_text, key_code, owns_row)
            self.group.span = key_span
            self.group.first_row = row
            self._place(self.group, self.key_levels, base=None)
            self.measure_levels = []
            if not owns_row:
                self.keys_without_row.append(self.group)
        if self.group is not None and (key_text or measure_text):
            self.group.last_row = row.number
        if measure_text:
            measure_code = "" if code_is_the_keys else code_text
            measure = self._draft(row, Field.MEASURE, measure_text, measure_code, True)
            self._place(measure, self.measure_levels, base=self.group)
        elif not starts_group and any(row.is_own(f) for f in ATTRIBUTE_FIELDS):
            column = Field.MEASURE if Field.MEASURE in self.table.columns else Field.KEY_TASK
            self.errors.append(
                RowError("本行填了单位或时限，但没有任务名称", row.number, self.table.header(column))
            )

    def finish(self) -> None:
        for key in self.keys_without_row:
            key.cells = self._cells_over_group(key)
        for root in self.roots:
            for task in root.walk():
                if task.column == Field.MEASURE:
                    task.kind = TaskKind.MEASURE
                elif any(child.column == Field.KEY_TASK for child in task.children):
                    task.kind = TaskKind.AREA

    def _continues_group(self, row: SheetRow, key_text: str, measure_text: str) -> bool:
        """Is this row still inside the current key task: its cell merged down, or its text repeated
        beside a measure? A key task on a row of its own always starts anew, even with a known title."""
        group = self.group
        if group is None:
            return False
        span = row.span(Field.KEY_TASK)
        if span is not None and span.first_row < row.number:
            return span == group.span
        return bool(measure_text) and key_text == group.source_text

    def _draft(self, row: SheetRow, column: Field, text: str, code: str, owns_row: bool) -> DraftTask:
        if code and not self.code_counts_rows:
            numbering, title = parse_code(code), text
        else:
            numbering = split_title(text)
            title = numbering.rest if numbering else text
            code = numbering.label if numbering else code
        span = row.span(column)
        cells = self._own_cells(row, span) if owns_row else {}
        if numbering is not None:
            style = numbering.style
        elif span is not None and span.last_column - span.first_column >= 2:
            style = ("banner",)
        else:
            style = ("plain",)
        return DraftTask(
            row=row.number,
            column=column,
            title=title,
            code=code,
            source_text=text,
            cells=cells,
            has_own_row=owns_row,
            numbering=numbering,
            style=style,
        )

    def _own_cells(self, row: SheetRow, title_span: Span | None) -> dict[Field, CellValue]:
        """The row's attribute cells, except those that are the title itself merged sideways."""
        return {
            f: row.value(f)
            for f in ATTRIBUTE_FIELDS
            if f in self.table.columns and (title_span is None or row.span(f) != title_span)
        }

    def _cells_over_group(self, key: DraftTask) -> dict[Field, CellValue]:
        """A key task without a row of its own owns the cells merged over all of its rows."""
        first = key.first_row
        assert first is not None
        cells = {}
        for f in ATTRIBUTE_FIELDS:
            span = first.span(f)
            if span is not None and span != key.span and span.covers_rows(first.number, key.last_row):
                cells[f] = first.value(f)
        return cells

    def _place(self, task: DraftTask, levels: list[_Level], base: DraftTask | None) -> None:
        """Hang the task under the right parent, by its numbering style (see the module's rules)."""
        open_at = next((i for i, level in enumerate(levels) if level.style == task.style), None)
        if open_at is not None:
            parent = levels[open_at].parent
            del levels[open_at:]
        else:
            parent = levels[-1].task if levels else base
        levels.append(_Level(task.style, task, parent))
        task.parent = parent
        (parent.children if parent else self.roots).append(task)
        self._check_dotted(task)

    def _check_dotted(self, task: DraftTask) -> None:
        parts = task.numbering.parts if task.numbering else ()
        above = task.parent.numbering.parts if task.parent and task.parent.numbering else ()
        if task.parent and len(parts) > 1 and above and parts[:-1] != above:
            task.problems.append(
                RowError(
                    f"序号“{task.code}”与上级序号“{task.parent.code}”对不上，请检查编号",
                    task.row,
                    self.table.header(Field.CODE),
                )
            )
