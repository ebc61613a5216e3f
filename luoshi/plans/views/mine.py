"""My tasks (我的任务): a unit's open work by urgency, with progress reported inline, without leaving the page."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luoshi.core import clock
from luoshi.core.access import Action, allowed_actions, get_for, get_task_for, scope_unit_ids
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person
from luoshi.plans import actions
from luoshi.plans.forms import ReportForm, StepForm
from luoshi.plans.models import ACTIVE_STATUSES, Step, Task, TaskStatus, TaskTransition
from luoshi.plans.rollup import progress_of
from luoshi.plans.views.rows import TaskRow, task_rows
from luoshi.plans.views.steps import (
    StepButton,
    available_steps,
    closing_not_yours,
    closing_requesters_by_unit,
)
from luoshi.progress.actions import latest_percent, report_progress
from luoshi.progress.models import ProgressReport
from luoshi.schedule.workdays import shift_working_days

#: Steps a unit takes from its task list; the supervision office's steps live on its board.
UNIT_STEPS = (Step.ACKNOWLEDGE, Step.START, Step.REQUEST_CLOSING)
#: "Due soon" means within this many working days.
DUE_SOON_WORKING_DAYS = 7
#: A task not reported on for this many days is flagged.
STALE_DAYS = 30
#: Cards shown per section; the rest are one click away in the task tree.
SECTION_CARDS = 30


@dataclass
class Section:
    key: str
    title: str | Promise
    rows: list[TaskRow] = field(default_factory=list)
    cards: list["Card"] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class Card:
    """One task on the page, with what the person may do on it."""

    row: TaskRow
    steps: list[StepButton]
    can_report: bool
    form: ReportForm | None  # only when shown again with its errors; otherwise fetched on opening
    supports_only: bool
    stale: bool
    closing_requesters: list[Person] | None = None  # who to ask, for someone who may not request closing
    message: str = ""
    error: str = ""


def _annotated(tasks: QuerySet) -> QuerySet:
    """Everything a card shows, in the one query that lists the tasks."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-id")
    returned = TaskTransition.objects.filter(task=OuterRef("pk"), to_status=TaskStatus.RETURNED).order_by(
        "-at", "-id"
    )
    return (
        tasks.select_related("plan", "parent", "lead_unit", "owner")
        .prefetch_related("support_units")
        .annotate(
            has_children=Exists(Task.objects.filter(parent=OuterRef("pk"))),
            last_reported_on=Subquery(latest.values("reported_on")[:1]),
            return_note=Subquery(returned.values("note")[:1]),
        )
    )


def my_open_tasks(person: Person) -> QuerySet:
    """Open tasks the person's units lead or support, or that name the person as owner."""
    scope = scope_unit_ids(person)
    # The ids first, in one query of three index lookups: filtered with OR (or joined to these as a
    # subquery) the database reads the whole task table, and the page grows with the plan.
    led = Task.objects.filter(lead_unit_id__in=scope).order_by().values_list("pk")
    supported = Task.support_units.through.objects.filter(unit_id__in=scope).order_by().values_list("task_id")
    owned = Task.objects.filter(owner=person).order_by().values_list("pk")
    ids = [pk for (pk,) in led.union(supported, owned)]
    return (
        Task.objects.visible_to(person)
        .filter(pk__in=ids)
        .exclude(status__in=[TaskStatus.DRAFT, TaskStatus.CLOSED])
    )


def _card(
    person: Person,
    row: TaskRow,
    form: ReportForm | None = None,
    requesters: dict[int, list[Person]] | None = None,
) -> Card:
    task = row.task
    allowed = allowed_actions(person, task)
    can_report = Action.REPORT in allowed and task.status in ACTIVE_STATUSES and not task.has_children
    last = task.last_reported_on
    return Card(
        row=row,
        steps=available_steps(allowed, task, row.health.progress, UNIT_STEPS),
        can_report=can_report,
        form=form if can_report else None,
        supports_only=task.lead_unit_id not in scope_unit_ids(person),
        stale=task.status in ACTIVE_STATUSES
        and not task.has_children
        and (last is None or (clock.today() - last).days > STALE_DAYS),
        # Who to ask matters once the work is done; asked only then, it costs the list no queries.
        closing_requesters=closing_not_yours(allowed, task, requesters)
        if row.health.progress >= 100
        else None,
    )


def _sections(person: Person, rows: list[TaskRow]) -> list[Section]:
    """Cards by urgency: returned, overdue, due soon, to acknowledge, in progress, awaiting sign-off."""
    today = clock.today()
    soon = shift_working_days(today, DUE_SOON_WORKING_DAYS, estimate=True)
    sections = {
        "returned": Section("returned", gettext_lazy("已退回，需整改")),
        "overdue": Section("overdue", gettext_lazy("已逾期")),
        "due_soon": Section("due_soon", gettext_lazy("7个工作日内到期")),
        "assigned": Section("assigned", gettext_lazy("待签收")),
        "working": Section("working", gettext_lazy("正在办理")),
        "closing": Section("closing", gettext_lazy("已申请办结，等待复核")),
    }
    for row in sorted(rows, key=lambda r: (r.task.deadline, r.task.pk)):
        task = row.task
        if task.status == TaskStatus.RETURNED:
            key = "returned"
        elif task.status == TaskStatus.CLOSING_REQUESTED:
            key = "closing"
        elif task.deadline < today:
            key = "overdue"
        elif task.deadline <= soon:
            key = "due_soon"
        elif task.status == TaskStatus.ASSIGNED:
            key = "assigned"
        else:
            key = "working"
        sections[key].rows.append(row)
    # Who may request closing, by lead unit, asked once for every card of the page (whether or not a
    # card needs it: the page costs the same queries whatever its tasks).
    requesters = closing_requesters_by_unit(
        {row.task.lead_unit_id for section in sections.values() for row in section.rows[:SECTION_CARDS]}
    )
    for section in sections.values():
        section.cards = [_card(person, row, requesters=requesters) for row in section.rows[:SECTION_CARDS]]
    return [s for s in sections.values() if s.rows]


@login_required
@require_GET
def my_tasks(request: AuthedRequest) -> HttpResponse:
    """The person's open tasks in sections by urgency, each card ready to report on."""
    rows = task_rows(_annotated(my_open_tasks(request.user)).order_by("deadline", "id"))
    sections = _sections(request.user, rows)
    units = sorted(scope_unit_ids(request.user))
    tree = f"{reverse('task_list')}?unit={units[0]}" if len(units) == 1 else reverse("task_list")
    return render(
        request,
        "plans/mine.html",
        {"sections": sections, "total": len(rows), "tree_url": tree, "section_cards": SECTION_CARDS},
    )


def _card_for(request: AuthedRequest, task_id: int, form: ReportForm | None = None) -> Card:
    task = get_for(Task, request.user, task_id, rows=_annotated(Task.objects.all()))
    return _card(request.user, task_rows([task])[0], form)


def _respond(request: AuthedRequest, card: Card) -> HttpResponse:
    """The refreshed card for htmx; a whole-page round trip otherwise."""
    if request.htmx:
        return render(request, "plans/mine_card.html", {"card": card})
    if card.error:
        messages.error(request, card.error)
    elif card.message:
        messages.success(request, card.message)
    return redirect("my_tasks")


@login_required
@require_http_methods(["GET", "POST"])
def my_task_report(request: AuthedRequest, task_id: int) -> HttpResponse:
    """GET: the report form, fetched when a card's report box opens. POST: file the report."""
    task = get_task_for(request.user, task_id, Action.REPORT)
    if request.method == "GET":
        progress = progress_of([task.pk]).get(task.pk, 0.0)
        form = ReportForm(
            prefix=f"r{task.pk}", initial={"percent": round(progress)}, previous=latest_percent(task)
        )
        return render(request, "plans/mine_report_form.html", {"form": form, "task": task})
    form = ReportForm(request.POST, request.FILES, prefix=f"r{task.pk}", previous=latest_percent(task))
    error = message = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_progress(
                request.user,
                task,
                percent=data["percent"],
                narrative=data["narrative"],
                problems=data["problems"],
                reason=data["reason"],
                files=data["files"],
            )
        except ValidationError as exc:
            error = one_line(exc)
        else:
            message = _("进度已报送。")
    else:
        error = _("请检查填写的内容。")
    card = _card_for(request, task.pk, None if message else form)  # a filed report closes its form
    card.message, card.error = message, error
    return _respond(request, card)


@login_required
@require_POST
def my_task_step(request: AuthedRequest, task_id: int, step: str) -> HttpResponse:
    if step not in UNIT_STEPS:
        raise Http404("no such step here")
    task = get_task_for(request.user, task_id, actions.TRANSITIONS[step][0])
    form = StepForm(request.POST, step=step)
    error = message = ""
    try:
        actions.STEPS[step](request.user, task, form.checked_note())
    except ValidationError as exc:
        error = one_line(exc)
    else:
        message = _("操作成功：%(step)s") % {"step": Step(step).label}
    card = _card_for(request, task.pk)
    card.message, card.error = message, error
    return _respond(request, card)
