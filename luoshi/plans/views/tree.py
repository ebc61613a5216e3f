"""The task tree of a plan: rolled-up progress and lights, filters kept in the URL, export of the view."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from luoshi.core import clock, downloads, sheets
from luoshi.core.access import get_task_for, sees_everything
from luoshi.core.cells import plain_csv_row, plain_workbook
from luoshi.core.forms import QuickSelect, UnitChoiceField
from luoshi.core.tree import ancestor_ids
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person
from luoshi.plans.health import Light, healths_of
from luoshi.plans.models import Plan, Task, TaskKind, TaskQuerySet, TaskStatus
from luoshi.plans.rollup import progress_of_plan, rounded
from luoshi.plans.views.rows import Labels, TaskRow, chosen_plan, plan_choices, task_rows
from luoshi.plans.views.tree_rows import tree_rows_html

#: Matching tasks shown on the page at most; the export always has all of them.
MAX_SHOWN = 500
#: Without a filter the tree opens this many levels; deeper levels load when a row is expanded.
OPEN_DEPTH = 1
#: The columns a tree row shows or its light reads (closed_at: the day 已办结's reason names).
ROW_FIELDS = (
    "id",
    "parent_id",
    "code",
    "title",
    "kind",
    "status",
    "start_date",
    "deadline",
    "rolled_up",
    "closed_at",
    "lead_unit__name",
    "lead_unit__short_name",
    "owner__username",
    "owner__full_name",
)


class TaskFilter(forms.Form):
    """The tree's filters, read from the query string so that a filtered view can be shared."""

    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=100)
    # QuickSelect: the pickers are written in Python, the same HTML (a province has 500 units).
    unit = UnitChoiceField(
        label=gettext_lazy("单位"), required=False, empty_label=gettext_lazy("全部单位"), widget=QuickSelect
    )
    lead_only = forms.BooleanField(label=gettext_lazy("仅牵头"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *TaskStatus.choices],
        widget=QuickSelect,
    )
    light = forms.ChoiceField(
        label=gettext_lazy("红黄绿灯"),
        required=False,
        choices=[("", gettext_lazy("全部红黄绿灯")), *Light.choices],
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"),
        required=False,
        choices=[("", gettext_lazy("全部类型")), *TaskKind.choices],
        widget=QuickSelect,
    )
    overdue = forms.BooleanField(label=gettext_lazy("仅逾期"), required=False)

    def values(self) -> dict:
        """The valid filters that are set; an invalid value is ignored rather than refused."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


def _filtered(tasks: TaskQuerySet, filters: dict) -> TaskQuerySet:
    """The database part of the filters; the light is derived, so it is applied to the rows."""
    if text := filters.get("q"):
        tasks = tasks.filter(
            Q(title__icontains=text) | Q(code__icontains=text) | Q(description__icontains=text)
        )
    if unit := filters.get("unit"):
        if filters.get("lead_only"):
            tasks = tasks.filter(lead_unit=unit)
        else:
            tasks = tasks.led_or_supported_by([unit.pk])
    if status := filters.get("status"):
        tasks = tasks.filter(status=status)
    if kind := filters.get("kind"):
        tasks = tasks.filter(kind=kind)
    if filters.get("overdue"):
        tasks = tasks.overdue(clock.today())
    return tasks


class PlanTree:
    """The tasks of a plan a person may see, arranged as a tree, with each task's progress and light."""

    def __init__(self, tasks: list[Task], progress: dict[int, float]) -> None:
        self.tasks = {t.pk: t for t in tasks}
        self.children: dict[int | None, list[Task]] = defaultdict(list)
        for task in tasks:
            # A task whose parent the person may not see stands at the top of their tree.
            self.children[task.parent_id if task.parent_id in self.tasks else None].append(task)
        today = clock.today()
        self.health = healths_of(tasks, progress, today)

    @cached_property
    def in_order(self) -> list[tuple[Task, int]]:
        """Every task with its depth, depth first, siblings in their order."""
        out: list[tuple[Task, int]] = []
        stack = [(t, 0) for t in reversed(self.children[None])]
        while stack:
            task, depth = stack.pop()
            out.append((task, depth))
            stack.extend((c, depth + 1) for c in reversed(self.children[task.pk]))
        return out

    def matching(self, ids: set[int] | None, light: str | None) -> list[Task]:
        """The tasks passing the filters, in tree order."""
        return [
            t
            for t, _depth in self.in_order
            if (ids is None or t.pk in ids) and (not light or self.health[t.pk].light == light)
        ]

    def rows(self, matches: list[Task] | None) -> list[TaskRow]:
        """Rows to show: without a filter the upper levels; with one, the matches and their ancestors."""
        if matches is None:
            shown = {t.pk for t, depth in self.in_order if depth <= OPEN_DEPTH}
            matched = shown
        else:
            matched = {t.pk for t in matches}
            shown = set(matched)
            for task in matches:
                parent_id = task.parent_id
                while parent_id in self.tasks and parent_id not in shown:
                    shown.add(parent_id)
                    parent_id = self.tasks[parent_id].parent_id
        rows, labels = [], Labels.now()
        path: list[int] = []
        for task, depth in self.in_order:
            del path[depth:]
            path.append(task.pk)
            if task.pk not in shown:
                continue
            kids = self.children[task.pk]
            rows.append(
                TaskRow(
                    task,
                    self.health[task.pk],
                    depth=depth,
                    has_children=bool(kids),
                    children_shown=any(k.pk in shown for k in kids),
                    context=task.pk not in matched,
                    ancestors=" ".join(str(pk) for pk in path[:-1]),
                    labels=labels,
                )
            )
        return rows


def _tree_and_matches(
    request: AuthedRequest, plan: Plan, filters: dict
) -> tuple[PlanTree, list[Task] | None]:
    visible = Task.objects.visible_to(request.user).filter(plan=plan)
    tasks = list(visible.select_related("lead_unit", "owner").order_by("order", "id"))
    tree = PlanTree(tasks, progress_of_plan(plan.pk))
    db_filters = {k: v for k, v in filters.items() if k != "light"}
    ids = set(_filtered(visible, db_filters).values_list("id", flat=True)) if db_filters else None
    matches = tree.matching(ids, filters.get("light")) if filters else None
    return tree, matches


def top_tasks(person: Person, visible: QuerySet) -> QuerySet:
    """The tasks at the top of a person's tree of `visible` (one plan's tasks they may see)."""
    if sees_everything(person):
        return visible.filter(parent=None)  # the same tasks as below, without a subquery over the plan
    # A task whose parent the person may not see stands at the top of their tree.
    return visible.filter(Q(parent=None) | ~Q(parent__in=visible.values("pk")))


def _first_screen(request: AuthedRequest, plan: Plan) -> tuple[list[TaskRow], int]:
    """The unfiltered tree's opening rows (the upper OPEN_DEPTH + 1 levels) and the number of tasks the
    person sees: only the tasks shown are read, rolled up and lit, so the page costs the same for a
    plan of a thousand tasks or a hundred thousand."""
    visible = Task.objects.visible_to(request.user).filter(plan=plan)
    top = top_tasks(request.user, visible)
    shown_kids = Exists(Task.objects.visible_to(request.user).filter(parent=OuterRef("pk")))

    def rows_of(tasks: QuerySet) -> list[Task]:
        return list(
            tasks.select_related("lead_unit", "owner")
            .only(*ROW_FIELDS)
            .annotate(has_children=shown_kids)
            .order_by("order", "id")
        )

    levels = [rows_of(top)]
    for _level in range(OPEN_DEPTH):
        levels.append(rows_of(visible.filter(parent__in=[t.pk for t in levels[-1]])))
    tasks = [t for level in levels for t in level]
    children: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks[len(levels[0]) :]:
        children[task.parent_id].append(task)
    progress = {t.pk: rounded(t.rolled_up) for t in tasks}  # the stored rollup, read with the rows
    healths, labels = healths_of(tasks, progress, clock.today()), Labels.now()
    rows: list[TaskRow] = []
    stack = [(t, 0, "") for t in reversed(levels[0])]
    while stack:
        task, depth, path = stack.pop()
        rows.append(
            TaskRow(
                task,
                healths[task.pk],
                depth=depth,
                has_children=task.has_children,
                children_shown=bool(children[task.pk]),
                ancestors=path,
                labels=labels,
            )
        )
        below = f"{path} {task.pk}".strip()
        stack.extend((kid, depth + 1, below) for kid in reversed(children[task.pk]))
    return rows, visible.count()


@login_required
@require_GET
def task_list(request: AuthedRequest) -> HttpResponse:
    """The plan's task tree, filtered as the query string says."""
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    form = TaskFilter(request.GET)
    filters = form.values()
    context: dict[str, Any] = {
        "plans": plans,
        "plan": plan,
        "form": form,
        "filtered": bool(filters),
        "rows": "",
        "match_count": 0,
        "query": request.GET.urlencode(),
    }
    if plan is not None and not filters:
        rows, count = _first_screen(request, plan)
        context.update(rows=tree_rows_html(rows), match_count=count)
    elif plan is not None:
        tree, matches = _tree_and_matches(request, plan, filters)
        shown = matches[:MAX_SHOWN] if matches is not None else None
        context.update(
            rows=tree_rows_html(tree.rows(shown)),
            match_count=len(matches) if matches is not None else len(tree.tasks),
            truncated=matches is not None and len(matches) > MAX_SHOWN,
            max_shown=MAX_SHOWN,
        )
    return render(request, "plans/task_tree.html", context)


@login_required
@require_GET
def task_children(request: AuthedRequest, task_id: int) -> HttpResponse:
    """The rows of a task's children, fetched when the tree expands it."""
    parent = get_task_for(request.user, task_id)
    # The shown path above the children: the parent and those of its ancestors the person may see.
    ancestors = list(
        Task.objects.visible_to(request.user)
        .filter(pk__in=ancestor_ids(Task, parent.pk))
        .values_list("id", flat=True)
    )
    children = list(
        Task.objects.visible_to(request.user)
        .filter(parent=parent)
        .select_related("lead_unit", "owner")
        .annotate(has_children=Exists(Task.objects.filter(parent=OuterRef("pk"))))
        .order_by("order", "id")
    )
    rows = task_rows(children)
    path = " ".join(str(pk) for pk in ancestors)
    for row in rows:
        row.depth = len(ancestors)
        row.has_children = row.task.has_children
        row.ancestors = path
    return HttpResponse(tree_rows_html(rows))


def _export_columns() -> list[str]:
    return [
        _("序号"),
        _("任务名称"),
        _("层级"),
        _("类型"),
        _("牵头单位"),
        _("配合单位"),
        _("责任人"),
        _("开始日期"),
        _("完成时限"),
        _("状态"),
        _("进度（%）"),
        _("序时进度（%）"),
        _("红黄绿灯"),
        _("原因"),
    ]


def _export_rows(tree: PlanTree, tasks: Iterable[Task], supports: dict[int, list[str]]) -> list[list]:
    depth = {t.pk: d for t, d in tree.in_order}
    labels = Labels.now()
    rows = []
    for task in tasks:
        health = tree.health[task.pk]
        rows.append(
            [
                task.code,
                task.title,
                depth[task.pk] + 1,
                labels.kinds[task.kind],
                task.lead_unit.name,
                "、".join(supports.get(task.pk, [])),
                task.owner.display_name if task.owner else "",
                task.start_date,
                task.deadline,
                labels.statuses[task.status],
                health.progress,
                health.expected,
                labels.lights[health.light],
                health.why,
            ]
        )
    return rows


LIGHT_FILL = {
    Light.GREEN: "C8E6C9",
    Light.YELLOW: "FFF59D",
    Light.RED: "FFCDD2",
    Light.OVERDUE: "EF9A9A",
    Light.RETURNED: "FFCC80",
    Light.DONE: "CFD8DC",
    Light.DRAFT: "FFFFFF",
}


@login_required
@require_GET
def task_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The filtered view as a spreadsheet: every matching task, not only those shown on the page."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("unknown export format")
    plan = chosen_plan(request, plan_choices(request.user))
    if plan is None:
        raise Http404("no plan")
    filters = TaskFilter(request.GET).values()
    tree, matches = _tree_and_matches(request, plan, filters)
    tasks = matches if matches is not None else [t for t, _depth in tree.in_order]
    supports: dict[int, list[str]] = defaultdict(list)
    links = Task.support_units.through.objects.filter(task__in=[t.pk for t in tasks]).select_related("unit")
    for link in links.order_by("unit__order", "unit_id"):
        supports[link.task_id].append(link.unit.name)
    header, body = _export_columns(), _export_rows(tree, tasks, supports)
    name = f"tasks-{plan.pk}-{clock.today():%Y%m%d}"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # so that Excel opens the Chinese text as UTF-8
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(
            [plain_csv_row(f"{v:%Y-%m-%d}" if hasattr(v, "year") else v for v in row) for row in body]
        )
        return downloads.attachment(out.getvalue().encode(), f"{name}.csv", "text/csv; charset=utf-8")
    return downloads.attachment(_xlsx(plan, header, body), f"{name}.xlsx", downloads.XLSX)


def _xlsx(plan: Plan, header: list[str], body: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("任务")
    sheet.append([plan.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    light_labels = {str(light.label): LIGHT_FILL[light] for light in Light}
    light_column = header.index(_("红黄绿灯")) + 1
    for row in body:
        sheet.append(row)
        light_cell = sheet.cell(row=sheet.max_row, column=light_column)
        light_cell.fill = PatternFill("solid", fgColor=light_labels[row[light_column - 1]])
        for column in (8, 9):
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    sheets.set_widths(sheet, (8, 48, 6, 10, 16, 22, 12, 12, 12, 10, 9, 11, 10, 48))
    sheets.print_on_a4(sheet, header_row=2)
    for cell in (*sheet["B"], *sheet["N"]):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    plain_workbook(book).save(out)
    return out.getvalue()
