"""Write a plan, or one task and everything below it, as a 任务分解表 ready to print.

One row per task, in tree order. 序号 carries the outline number (1, 1.1, 1.1.1), so importing the
file again rebuilds the same tree; the top tasks' titles stand in 重点任务, the ones below in 具体措施,
indented by depth. Deadlines are real dates. 进度/完成情况 shows the rolled-up progress, the status
and the latest report, for reading only: the importer leaves that column alone.
"""

import os
from collections import defaultdict
from collections.abc import Iterator
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from luoshi.core import clock, sheets
from luoshi.core.cells import plain_workbook
from luoshi.core.text import chinese_date
from luoshi.documents.excel.layout import HEADERS, Field
from luoshi.plans.models import Plan, Task
from luoshi.plans.rollup import progress_of_plan
from luoshi.progress.models import ProgressReport

#: Column widths in characters, chosen so the table fits landscape A4 at about 90 % scale.
WIDTHS: dict[Field, float] = {
    Field.CODE: 7,
    Field.KEY_TASK: 24,
    Field.MEASURE: 40,
    Field.LEAD_UNIT: 13,
    Field.SUPPORT_UNITS: 16,
    Field.OWNER: 9,
    Field.DEADLINE: 13,
    Field.PROGRESS: 24,
    Field.REMARKS: 12,
}
COLUMNS = list(HEADERS)
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 3
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FONT = "宋体"

_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_CENTRED = (Field.CODE, Field.LEAD_UNIT, Field.SUPPORT_UNITS, Field.OWNER, Field.DEADLINE)


def export_task_table(plan: Plan, root: Task | None = None) -> Workbook:
    """The plan's task tree (or the subtree at `root`) as a formatted workbook."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    _write_title(sheet, plan, root)
    _write_header(sheet)
    progress = progress_of_plan(plan.pk)
    latest = _latest_reports(plan)
    row = HEADER_ROW + 1
    for number, depth, task in _numbered(*_tasks_of(plan, root)):
        _write_task(sheet, row, number, depth, task, progress.get(task.pk, 0.0), latest.get(task.pk))
        row += 1
    _set_up_page(sheet)
    return plain_workbook(workbook)


def write_task_table(plan: Plan, destination: str | os.PathLike | BinaryIO, root: Task | None = None) -> None:
    """Export and save to a path or a binary stream."""
    export_task_table(plan, root).save(destination)


def _tasks_of(plan: Plan, root: Task | None) -> tuple[list[Task], dict[int | None, list[Task]]]:
    """The tops to write and each task's children, siblings in their order."""
    tasks = Task.objects.filter(plan=plan)
    if root is not None:
        tasks = tasks.subtree([root.pk])
    tasks = (
        tasks.select_related("lead_unit", "owner").prefetch_related("support_units").order_by("order", "id")
    )
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        children[task.parent_id].append(task)
    tops = [task for task in children[root.parent_id if root else None] if root is None or task.pk == root.pk]
    return tops, children


def _numbered(tops: list[Task], children: dict[int | None, list[Task]]) -> Iterator[tuple[str, int, Task]]:
    """Depth-first with outline numbers; a loop, not recursion, so a tree of any depth is written."""
    stack = [(f"{index}", 0, task) for index, task in reversed(list(enumerate(tops, start=1)))]
    while stack:
        number, depth, task = stack.pop()
        yield number, depth, task
        stack.extend(
            (f"{number}.{index}", depth + 1, child)
            for index, child in reversed(list(enumerate(children[task.pk], start=1)))
        )


def _latest_reports(plan: Plan) -> dict[int, ProgressReport]:
    latest: dict[int, ProgressReport] = {}
    for report in ProgressReport.objects.filter(task__plan=plan).order_by("task_id", "-reported_on", "-id"):
        latest.setdefault(report.task_id, report)
    return latest


def _write_title(sheet: Worksheet, plan: Plan, root: Task | None) -> None:
    last = get_column_letter(len(COLUMNS))
    title = f"《{plan.title}》任务分解表"
    if root is not None:
        title = f"{title}（{root.title}）"
    sheet["A1"] = title
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    sheet.row_dimensions[TITLE_ROW].height = 36
    facts = [
        f"文号：{plan.document_number}" if plan.document_number else "",
        f"实施期限：{chinese_date(plan.period_start)}至{chinese_date(plan.period_end)}",
        f"导出日期：{chinese_date(clock.today())}",
    ]
    sheet[f"A{SUBTITLE_ROW}"] = "　　".join(f for f in facts if f)
    sheet[f"A{SUBTITLE_ROW}"].font = Font(name=FONT, size=10)
    sheet[f"A{SUBTITLE_ROW}"].alignment = Alignment(horizontal="right", vertical="center")
    sheet.merge_cells(f"A{SUBTITLE_ROW}:{last}{SUBTITLE_ROW}")


def _write_header(sheet: Worksheet) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, index, HEADERS[column])
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = sheets.FRAMED
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheets.set_widths(sheet, [WIDTHS[column] for column in COLUMNS])
    sheet.row_dimensions[HEADER_ROW].height = 30


def _write_task(
    sheet: Worksheet,
    row: int,
    number: str,
    depth: int,
    task: Task,
    progress: float,
    report: ProgressReport | None,
) -> None:
    values = {
        Field.CODE: number,
        Field.KEY_TASK: task.title if depth == 0 else "",
        Field.MEASURE: task.title if depth > 0 else "",
        Field.LEAD_UNIT: task.lead_unit.name,
        Field.SUPPORT_UNITS: "、".join(unit.name for unit in task.support_units.all()),
        Field.OWNER: task.owner.display_name if task.owner else "",
        Field.DEADLINE: task.deadline,
        Field.PROGRESS: _progress_text(task, progress, report),
        Field.REMARKS: task.description,
    }
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row, index, values[column] if values[column] != "" else None)
        cell.border = sheets.FRAMED
        cell.font = Font(name=FONT, size=10.5, bold=depth == 0)
        cell.alignment = Alignment(
            horizontal="center" if column in _CENTRED else "left",
            vertical="center",
            wrap_text=True,
            indent=min(max(depth - 1, 0), 15) if column == Field.MEASURE else 0,  # Excel allows 0–250
        )
        if column == Field.CODE:
            cell.number_format = "@"  # text, so 1.10 stays 1.10 and never becomes the number 1.1
        elif column == Field.DEADLINE:
            cell.number_format = DATE_FORMAT


def _progress_text(task: Task, progress: float, report: ProgressReport | None) -> str:
    text = f"{progress:g}%（{task.get_status_display()}）"
    if report is not None:
        text += f"\n{chinese_date(report.reported_on)}：{report.narrative[:120]}"
    return text


def _set_up_page(sheet: Worksheet) -> None:
    """Landscape A4, fit to one page wide, header row repeated on every page, page numbers below."""
    sheets.print_on_a4(sheet, HEADER_ROW)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
