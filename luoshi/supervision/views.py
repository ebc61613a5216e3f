"""The supervision board (督查看板): what is late, due, awaiting sign-off, returned or silent — and
signing off or returning a closing right there."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from luoshi.core import clock
from luoshi.core.access import Action, allowed_actions, get_for, get_task_for
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.plans import actions
from luoshi.plans.forms import StepForm
from luoshi.plans.models import ACTIVE_STATUSES, Plan, Task, TaskStatus, TaskTransition
from luoshi.plans.views.rows import TaskRow, chosen_plan, plan_choices, task_rows
from luoshi.progress.models import ProgressReport
from luoshi.schedule.workdays import shift_working_days

#: Rows per section; the full list is one click away in the task tree.
SECTION_ROWS = 50
DUE_SOON_WORKING_DAYS = 7
DEFAULT_STALE_DAYS = 30


class BoardFilter(forms.Form):
    stale_days = forms.IntegerField(
        label=gettext_lazy("未报送天数"), min_value=1, max_value=365, required=False
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("退回理由"), max_length=1000)


@dataclass
class Section:
    key: str
    title: str
    hint: str
    rows: list[TaskRow]
    total: int
    more_url: str = ""


def _annotated(tasks: QuerySet) -> QuerySet:
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on", "-id")
    returned = TaskTransition.objects.filter(task=OuterRef("pk"), to_status=TaskStatus.RETURNED).order_by(
        "-at", "-id"
    )
    requested = TaskTransition.objects.filter(task=OuterRef("pk"), to_status=TaskStatus.CLOSING_REQUESTED)
    return (
        tasks.select_related("lead_unit", "owner", "parent")
        .prefetch_related("support_units")
        .annotate(
            last_reported_on=Subquery(latest.values("reported_on")[:1]),
            last_percent=Subquery(latest.values("percent")[:1]),
            return_note=Subquery(returned.values("note")[:1]),
            closing_note=Subquery(requested.order_by("-at", "-id").values("note")[:1]),
            closing_requested_at=Subquery(requested.order_by("-at", "-id").values("at")[:1]),
        )
    )


def board_sections(request: AuthedRequest, plan: Plan, today: dt.date, stale_days: int) -> list[Section]:
    """The five lists, each one query for its rows and one for its total, plus one progress rollup."""
    tasks = Task.objects.visible_to(request.user).filter(plan=plan)
    soon = shift_working_days(today, DUE_SOON_WORKING_DAYS, estimate=True)
    stale_since = today - dt.timedelta(days=stale_days)
    leaf = ~Exists(Task.objects.filter(parent=OuterRef("pk")))
    recent = Exists(ProgressReport.objects.filter(task=OuterRef("pk"), reported_on__gt=stale_since))
    base = f"?plan={plan.pk}"
    specs = [
        (
            "overdue",
            _("已逾期"),
            _("已过完成时限仍未办结"),
            tasks.overdue(today).order_by("deadline", "id"),
            f"{base}&overdue=on",
        ),
        (
            "due_soon",
            _("7个工作日内到期"),
            _("完成时限在 %(date)s 之前（含）") % {"date": soon.isoformat()},
            tasks.open().filter(deadline__gte=today, deadline__lte=soon).order_by("deadline", "id"),
            "",
        ),
        (
            "closing",
            _("待复核销号"),
            _("牵头单位已申请办结，请复核后销号或退回"),
            tasks.filter(status=TaskStatus.CLOSING_REQUESTED).order_by("deadline", "id"),
            f"{base}&status={TaskStatus.CLOSING_REQUESTED}",
        ),
        (
            "returned",
            _("已退回"),
            _("复核未通过，正在整改"),
            tasks.filter(status=TaskStatus.RETURNED).order_by("deadline", "id"),
            f"{base}&status={TaskStatus.RETURNED}",
        ),
        (
            "stale",
            _("久未报送"),
            _("在办任务超过 %(days)d 天没有报送进度") % {"days": stale_days},
            tasks.filter(leaf, status__in=ACTIVE_STATUSES, start_date__lte=stale_since)
            .exclude(recent)
            .order_by("deadline", "id"),
            "",
        ),
    ]
    # Ids and totals per section, then every listed task in one query, whatever the sections hold.
    picked = [
        (key, title, hint, list(qs.values_list("id", flat=True)[:SECTION_ROWS]), qs.count(), more)
        for key, title, hint, qs, more in specs
    ]
    listed = {pk for section in picked for pk in section[3]}
    rows = {row.task.pk: row for row in task_rows(_annotated(Task.objects.filter(pk__in=listed)))}
    return [
        Section(key, title, hint, [rows[pk] for pk in ids], total, more)
        for key, title, hint, ids, total, more in picked
    ]


@login_required
@require_GET
def supervision_board(request: AuthedRequest) -> HttpResponse:
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    form = BoardFilter(request.GET)
    stale_days = (form.cleaned_data.get("stale_days") if form.is_valid() else None) or DEFAULT_STALE_DAYS
    context = {"plans": plans, "plan": plan, "form": form, "stale_days": stale_days}
    if plan is not None:
        today = clock.today()
        sections = board_sections(request, plan, today, stale_days)
        for section in sections:
            for row in section.rows:
                row.allowed = {a.value for a in allowed_actions(request.user, row.task)}
        context.update(sections=sections, today=today)
    return render(request, "supervision/board.html", context)


def _row_response(request: AuthedRequest, task_id: int, message: str = "", error: str = "") -> HttpResponse:
    """The refreshed board row for htmx; a whole-page round trip otherwise."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif message:
            messages.success(request, message)
        return redirect("supervision_board")
    task = get_for(Task, request.user, task_id, rows=_annotated(Task.objects.all()))
    row = task_rows([task])[0]
    row.allowed = {a.value for a in allowed_actions(request.user, task)}
    return render(
        request,
        "supervision/board_row.html",
        {
            "row": row,
            "section": request.POST.get("section", ""),
            "message": message,
            "error": error,
        },
    )


@login_required
@require_POST
def board_sign_off(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.SIGN_OFF)
    form = StepForm(request.POST, step="sign_off")
    try:
        actions.sign_off(request.user, task, form.checked_note())
    except ValidationError as exc:
        return _row_response(request, task.pk, error=one_line(exc))
    return _row_response(request, task.pk, message=_("已复核通过，任务销号。"))


@login_required
@require_POST
def board_return(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.RETURN)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _row_response(request, task.pk, error=_("退回须填写理由。"))
    try:
        actions.return_task(request.user, task, form.cleaned_data["note"])
    except ValidationError as exc:
        return _row_response(request, task.pk, error=one_line(exc))
    return _row_response(request, task.pk, message=_("已退回牵头单位整改。"))
