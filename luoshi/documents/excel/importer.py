"""Import a 任务分解表: check every row first, then create the tree in one transaction (or in batches).

Each task is created through `plans.actions.create_task` as the acting person, so the same
permissions and deadline rules apply as on the task pages. Nothing is saved when any row is
wrong, unless the caller asks for the valid rows only; then a wrong row is left out together
with the rows below it.

Deadlines: a 完成时限 cell left empty on a task with children takes the latest of its children's
deadlines; otherwise an empty cell, or a standing one ("长期坚持", "持续推进"), takes the
parent's deadline — the plan's end at the top, as `create_task` does.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from luoshi.core.access import Action, can
from luoshi.core.text import chinese_date
from luoshi.documents.excel.dates import DeadlineError, parse_deadline
from luoshi.documents.excel.errors import RowError, UnreadableTable
from luoshi.documents.excel.layout import Field
from luoshi.documents.excel.matching import (
    NameProblem,
    PersonDirectory,
    UnitDirectory,
    is_generic_person,
    is_generic_unit,
    split_people,
    split_units,
)
from luoshi.documents.excel.outline import DraftTask, clean_text, outline
from luoshi.documents.excel.reader import Source, TaskTable, cell_text, read_task_table
from luoshi.orgs.models import Person, Unit
from luoshi.plans.actions import create_task
from luoshi.plans.models import Plan, Task

TITLE_MAX: int = Task._meta.get_field("title").max_length or 0

#: Task fields `create_task` may complain about, and the column that holds each.
_FIELD_COLUMNS = {
    "lead_unit": Field.LEAD_UNIT,
    "owner": Field.OWNER,
    "deadline": Field.DEADLINE,
    "start_date": Field.DEADLINE,
    "description": Field.REMARKS,
    "code": Field.CODE,
}


@dataclass
class ImportResult:
    """What an import did (or, in a dry run or after errors, would have done)."""

    tasks_found: int = 0
    created: list[Task] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    saved: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.dry_run:
            if self.errors:
                return f"试运行：发现 {len(self.errors)} 处错误，未保存任何内容。"
            return f"试运行：检查通过，共 {self.tasks_found} 项任务可以导入，未保存任何内容。"
        if self.saved and self.errors:
            return f"已导入 {len(self.created)} 项任务；有 {len(self.errors)} 处错误的行未导入。"
        if self.saved:
            return f"已导入 {len(self.created)} 项任务。"
        if self.errors:
            return f"发现 {len(self.errors)} 处错误，未导入任何任务。请改正后重新导入，或选择只导入无误的行。"
        return "没有导入任何任务。"


@dataclass(eq=False)
class _Resolved:
    """A draft task with its names matched and its dates read."""

    lead_unit: Unit | None = None
    support_units: list[Unit] = field(default_factory=list)
    owner: Person | None = None
    deadline: dt.date | None = None
    deadline_written: bool = False
    title: str = ""
    description: str = ""
    errors: list[RowError] = field(default_factory=list)


class _Undo(Exception):
    """Roll the import's transaction back."""


#: Runs the creation steps to the end (in batches of short transactions), given their number and the result.
StepRunner = Callable[[Iterator[None], int, "ImportResult"], None]
#: Called after each trial batch of a dry run with (rows tried, rows in all).
ProgressCallback = Callable[[int, int], None]
#: Rows tried per rolled-back transaction in a dry run (about half a second of SQLite's write lock).
TRIAL_BATCH = 25


def import_task_table(
    actor: Person,
    source: Source,
    *,
    plan: Plan,
    parent: Task | None = None,
    valid_rows_only: bool = False,
    dry_run: bool = False,
    run_steps: StepRunner | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportResult:
    """Read the table in `source` and create its tasks under `parent` (or at the top of `plan`): in one transaction,
    or, with `run_steps`, one row at a time through it (which removes what it made if the rows end refused).
    A dry run tries every row and keeps nothing; its `plan` may be a new one not saved (no pk), made for the trial;
    `on_progress` hears after each of its trial batches."""
    result = ImportResult(dry_run=dry_run)
    refusal = _refusal(actor, plan, parent)
    if refusal:
        result.errors.append(RowError(refusal))
        return result
    try:
        table = read_task_table(source)
    except UnreadableTable as error:
        result.errors.append(RowError(str(error)))
        return result
    roots, outline_errors = outline(table)
    result.warnings.extend(table.warnings)
    if any(row.text(Field.PROGRESS) for row in table.rows):
        result.warnings.append(
            RowError(f"“{table.header(Field.PROGRESS)}”列不导入：进度请在任务中通过进度报送填写。")
        )
    result.errors.extend(outline_errors)
    if not roots:
        result.errors.append(RowError("表格中没有找到任何任务：表头下面是空的。"))
        return result
    checker = _Checker(table, plan, parent, result.warnings)
    resolved = checker.check(roots)
    for draft in _walk(roots):
        result.errors.extend(resolved[draft].errors)
    result.tasks_found = sum(1 for _ in _walk(roots))
    if valid_rows_only or not result.errors:  # else the answer is already "no": skip the trial save
        _save(
            actor,
            plan,
            parent,
            roots,
            resolved,
            table,
            result,
            valid_rows_only=valid_rows_only,
            run_steps=None if dry_run else run_steps,
            on_progress=on_progress,
        )
    result.errors.sort(key=lambda e: e.row or 0)
    return result


def _refusal(actor: Person, plan: Plan, parent: Task | None) -> str:
    """Why the person may not import here at all, or ""."""
    if parent is not None:
        if parent.plan_id != plan.pk:
            return f"任务“{parent.title}”不属于实施方案“{plan.title}”。"
        if not can(actor, Action.SPLIT, parent):
            return f"你没有在任务“{parent.title}”下分解任务的权限，不能导入。"
        return ""
    if not can(actor, Action.CREATE, Task):
        return "只有督查室可以在实施方案下直接导入顶层任务；请选择一项你有权分解的任务作为上级任务。"
    return ""


def _walk(roots: list[DraftTask]) -> Iterator[DraftTask]:
    for root in roots:
        yield from root.walk()


class _Checker:
    """Match names, read dates, derive what parents leave blank, and check deadlines against parents."""

    def __init__(self, table: TaskTable, plan: Plan, parent: Task | None, warnings: list[RowError]) -> None:
        self.table = table
        self.plan = plan
        self.parent = parent
        self.warnings = warnings
        self.units = UnitDirectory.load()
        self.people = PersonDirectory.load()

    def check(self, roots: list[DraftTask]) -> dict[DraftTask, _Resolved]:
        self.resolved: dict[DraftTask, _Resolved] = {}
        for root in roots:
            self._resolve_tree(root)
        start = self.parent.start_date if self.parent else self.plan.period_start
        end = self.parent.deadline if self.parent else self.plan.period_end
        for root in roots:
            self._check_deadlines(root, start, end, top=True)
        return self.resolved

    def _error(self, draft: DraftTask, column: Field | None, message: str) -> None:
        header = self.table.header(column) if column else ""
        self.resolved[draft].errors.append(RowError(message, draft.row, header))

    def _warn(self, draft: DraftTask, column: Field | None, message: str) -> None:
        self.warnings.append(RowError(message, draft.row, self.table.header(column) if column else ""))

    def _text(self, draft: DraftTask, column: Field) -> str:
        return clean_text(cell_text(draft.cells.get(column)))

    def _resolve_tree(self, draft: DraftTask) -> _Resolved:
        """Children first, so a parent can take what it leaves blank from them."""
        found = self.resolved[draft] = _Resolved(errors=list(draft.problems))
        children = [self._resolve_tree(child) for child in draft.children]
        self._title(draft, found)
        self._units_of(draft, found)
        if found.lead_unit is None and not split_units(self._text(draft, Field.LEAD_UNIT)):
            leads = Counter(c.lead_unit for c in children if c.lead_unit is not None)
            if leads:
                found.lead_unit = leads.most_common(1)[0][0]
            else:
                self._error(draft, Field.LEAD_UNIT, "不能为空，请填写一个牵头单位")
        self._owner_of(draft, found)
        self._deadline_of(draft, found)
        if not found.deadline_written:
            dates = [c.deadline for c in children if c.deadline is not None]
            found.deadline = max(dates) if dates else None
        found.description = self._text(draft, Field.REMARKS)
        return found

    def _title(self, draft: DraftTask, found: _Resolved) -> None:
        title = draft.title.strip()
        if not title:
            self._error(draft, draft.column, "任务名称为空")
        elif len(title) > TITLE_MAX:
            cut = min((title.find(mark) for mark in "。；;" if 0 < title.find(mark) < TITLE_MAX), default=-1)
            title = title[: cut + 1] if cut > 0 else title[: TITLE_MAX - 1] + "…"
            self._warn(draft, draft.column, f"任务名称超过{TITLE_MAX}字，已截短；全文保存在任务的“原文”中")
        found.title = title

    def _units_of(self, draft: DraftTask, found: _Resolved) -> None:
        leads = split_units(self._text(draft, Field.LEAD_UNIT))
        if leads and is_generic_unit(leads[0]):
            self._error(draft, Field.LEAD_UNIT, f"“{leads[0]}”不是具体单位，牵头单位要写明一个单位")
        elif leads:
            try:
                found.lead_unit = self.units.find(leads[0])
            except NameProblem as problem:
                self._error(draft, Field.LEAD_UNIT, str(problem))
            if len(leads) > 1:
                self._warn(
                    draft,
                    Field.LEAD_UNIT,
                    f"牵头单位只能有一个，已以“{leads[0]}”牵头，“{'、'.join(leads[1:])}”作为配合单位",
                )
        supports = [(Field.LEAD_UNIT, name) for name in leads[1:]]
        supports += [
            (Field.SUPPORT_UNITS, name) for name in split_units(self._text(draft, Field.SUPPORT_UNITS))
        ]
        for column, name in supports:
            if is_generic_unit(name):
                self._warn(draft, column, f"“{name}”不是具体单位，已略过")
                continue
            try:
                unit = self.units.find(name)
            except NameProblem as problem:
                self._error(draft, column, str(problem))
                continue
            if unit != found.lead_unit and unit not in found.support_units:
                found.support_units.append(unit)

    def _owner_of(self, draft: DraftTask, found: _Resolved) -> None:
        names = split_people(self._text(draft, Field.OWNER))
        if not names:
            return
        try:
            found.owner = self.people.find(names[0], found.lead_unit)
        except NameProblem as problem:
            if is_generic_person(names[0]):
                self._warn(draft, Field.OWNER, f"“{names[0]}”不是具体人员，责任人留空")
            else:
                self._error(draft, Field.OWNER, str(problem))
        if len(names) > 1:
            self._warn(
                draft,
                Field.OWNER,
                f"一项任务只有一个责任人，已取“{names[0]}”，“{'、'.join(names[1:])}”未导入",
            )

    def _deadline_of(self, draft: DraftTask, found: _Resolved) -> None:
        try:
            deadline = parse_deadline(draft.cells.get(Field.DEADLINE))
        except DeadlineError as problem:
            self._error(draft, Field.DEADLINE, str(problem))
            found.deadline_written = True  # wrong, not blank: do not derive one from the children
            return
        if deadline is not None:
            found.deadline_written = True
            found.deadline = deadline.date

    def _check_deadlines(self, draft: DraftTask, start: dt.date, parent_end: dt.date, top: bool) -> None:
        found = self.resolved[draft]
        if not found.deadline_written and found.deadline and not start <= found.deadline <= parent_end:
            found.deadline = None  # taken from children that are themselves out of range: they say so
        end = found.deadline or parent_end
        if found.deadline is not None and found.deadline < start:
            self._error(
                draft, Field.DEADLINE, f"{chinese_date(found.deadline)}早于开始日期（{chinese_date(start)}）"
            )
            end = parent_end
        elif found.deadline is not None and found.deadline > parent_end:
            above = "实施方案的截止日期" if top and self.parent is None else "上级任务的完成时限"
            self._error(
                draft,
                Field.DEADLINE,
                f"{chinese_date(found.deadline)}晚于{above}（{chinese_date(parent_end)}）",
            )
            end = parent_end
        for child in draft.children:
            self._check_deadlines(child, start, end, top=False)


def _save(
    actor: Person,
    plan: Plan,
    parent: Task | None,
    roots: list[DraftTask],
    resolved: dict[DraftTask, _Resolved],
    table: TaskTable,
    result: ImportResult,
    *,
    valid_rows_only: bool,
    run_steps: StepRunner | None,
    on_progress: ProgressCallback | None,
) -> None:
    """Create the tasks in one transaction (or through `run_steps`); undo them on a dry run or when a row is refused.

    Permissions on tasks the file itself creates (may this person split the task in row 5?) are
    known only by trying, so a dry run saves too, and rolls back: in trial batches of TRIAL_BATCH rows, each
    rolled back at its end, so that SQLite's write lock is never held for long. Each trial batch first puts back
    what its rows build on (the new plan, the chain of tasks above the next row), so every row is tried as the
    import would create it and the errors are the same as in one long transaction (no check of a row looks at
    its siblings or other branches).
    """
    new_plan = plan.pk is None  # a dry run's new plan, not kept: each trial batch makes it again

    path: list[tuple[Task, list[Unit]]] = []  # the tasks the next rows may go under, outermost first

    def create(draft: DraftTask, under: Task | None) -> Iterator[None]:
        task = _create_one(actor, plan, draft, resolved[draft], under, table, result)
        if task is not None:
            path.append((task, resolved[draft].support_units))
        yield
        if task is None:
            if valid_rows_only:  # say which rows go missing with it
                for child in draft.children:
                    for below in child.walk():
                        result.errors.append(
                            RowError(f"上级任务（第{draft.row}行）有错误，本行随之未导入", below.row)
                        )
            return
        for child in draft.children:
            yield from create(child, task)
        path.pop()

    def steps() -> Iterator[None]:
        for root in roots:
            yield from create(root, parent)
        if result.dry_run or (result.errors and not valid_rows_only) or not result.created:
            raise _Undo

    try:
        if result.dry_run:
            _trial(steps(), result.tasks_found, lambda: _put_back(plan, parent, path, new_plan), on_progress)
        elif run_steps is not None:
            run_steps(steps(), result.tasks_found, result)
        else:
            with transaction.atomic():
                for _step in steps():
                    pass
    except _Undo:
        result.created = []
        return
    result.saved = True


def _trial(
    steps: Iterator[None], total: int, put_back: Callable[[], None], on_progress: ProgressCallback | None
) -> None:
    """Run the steps TRIAL_BATCH at a time, each batch in a transaction rolled back at its end, after `put_back`."""
    done = 0
    while True:
        with transaction.atomic():
            put_back()
            taken = sum(1 for _step in islice(steps, TRIAL_BATCH))
            transaction.set_rollback(True)
        done = min(done + taken, total)
        if on_progress is not None:
            on_progress(done, total)
        if taken < TRIAL_BATCH:
            return


def _put_back(plan: Plan, parent: Task | None, path: list[tuple[Task, list[Unit]]], new_plan: bool) -> None:
    """Insert again, as new rows, the trial's new plan and the tasks the next rows go under (rolled back with the
    last batch), each as it was created."""
    if new_plan:
        plan.pk = None
        plan.save()
    above = parent
    for task, support_units in path:
        task.pk, task.plan, task.parent = None, plan, above
        task.save()
        task.support_units.set(support_units)
        above = task


def _create_one(
    actor: Person,
    plan: Plan,
    draft: DraftTask,
    found: _Resolved,
    under: Task | None,
    table: TaskTable,
    result: ImportResult,
) -> Task | None:
    """One task through `create_task`, which refuses before it writes (or inside its own savepoint),
    so a refused row leaves the transaction usable for the others."""
    if found.errors or found.lead_unit is None:  # a row without a lead unit has its error already
        return None
    try:
        task = create_task(
            actor,
            plan=plan,
            parent=under,
            title=found.title,
            lead_unit=found.lead_unit,
            kind=draft.kind,
            support_units=found.support_units,
            owner=found.owner,
            deadline=found.deadline,
            description=found.description,
            source_text=draft.source_text,
            code=draft.code,
        )
    except PermissionDenied:
        where = f"任务“{under.title}”下" if under else "实施方案顶层"
        result.errors.append(RowError(f"你没有权限在{where}分解任务", draft.row))
        return None
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = _FIELD_COLUMNS.get(name, draft.column)
            result.errors.append(RowError("；".join(messages), draft.row, table.header(column)))
        return None
    result.created.append(task)
    return task


def deadline_years(source: Source) -> tuple[int, int] | None:
    """The first and last year of the table's written deadlines, to propose a new plan's period."""
    years = []
    for row in read_task_table(source).rows:
        try:
            found = parse_deadline(row.cells.get(Field.DEADLINE))
        except DeadlineError:
            continue
        if found is not None and found.date is not None:
            years.append(found.date.year)
    return (min(years), max(years)) if years else None
