"""Task pages: the task with its timeline and history; edit, split, workflow steps, reports and comments."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.core import clock
from luoshi.core.access import Action, allowed_actions, get_task_for
from luoshi.core.concurrency import ConflictError
from luoshi.core.forms import people_follow_unit
from luoshi.core.text import one_line
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Person
from luoshi.plans import actions
from luoshi.plans.forms import ChildTaskForm, CommentForm, ReportForm, StepForm, TaskForm
from luoshi.plans.health import finding_of, indicator_reasons, last_returns, task_health
from luoshi.plans.history import task_history
from luoshi.plans.models import ACTIVE_STATUSES, Step, Task
from luoshi.plans.rollup import progress_of
from luoshi.plans.views.rows import task_rows
from luoshi.plans.views.steps import available_steps, closing_not_yours
from luoshi.progress.actions import latest_percent, report_progress
from luoshi.reminders.models import Reminder
from luoshi.schedule.backward import ScheduleError, schedule_task
from luoshi.schedule.workdays import CalendarNotCovered


@dataclass
class TimelineEntry:
    """One event on a task's timeline: a progress report, a workflow step or a comment."""

    kind: str  # "report", "transition", "comment" or "reminder"
    at: dt.datetime
    who: str
    item: object


def timeline(person: Person, task: Task, limit: int = 200) -> list[TimelineEntry]:
    """Reports, workflow steps, comments and the reminders the person may see, merged, newest first."""
    reports = (
        task.reports.select_related("author", "unit").prefetch_related("evidence").order_by("-created_at")
    )
    transitions = task.transitions.select_related("actor").order_by("-at")
    comments = task.comments.select_related("author").order_by("-created_at")
    entries = [TimelineEntry("report", r.created_at, r.author.display_name, r) for r in reports[:limit]]
    entries += [TimelineEntry("transition", t.at, t.actor.display_name, t) for t in transitions[:limit]]
    entries += [TimelineEntry("comment", c.created_at, c.author.display_name, c) for c in comments[:limit]]
    reminders = (
        Reminder.objects.visible_to(person)
        .filter(task=task)
        .select_related("recipient", "endpoint")
        .order_by("-created_at")
    )
    entries += [
        TimelineEntry("reminder", r.sent_at or r.created_at, r.addressee, r) for r in reminders[:limit]
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _milestones(task: Task, today: dt.date) -> dict:
    """The task's milestones with their backward schedule (倒排工期), or the reason there is none."""
    try:
        schedule = schedule_task(task, today=today, estimate=True)
    except (ScheduleError, CalendarNotCovered) as error:
        return {"milestones": list(task.milestones.all()), "schedule": None, "schedule_error": str(error)}
    names = {m.key: m.name for m in schedule.milestones}
    rows = [
        {
            "m": m,
            "depends_on": [names[k] for k in m.depends_on if k in names],
            "late": not m.done and m.planned_finish is not None and m.planned_finish < today,
        }
        for m in sorted(schedule.milestones, key=lambda m: (m.planned_finish or m.latest_finish, m.key))
    ]
    return {"milestones": rows, "schedule": schedule, "schedule_error": ""}


def _detail_context(request: AuthedRequest, task: Task, **forms) -> dict:
    today = clock.today()
    children = list(task.children.select_related("lead_unit", "owner"))
    progress = progress_of([task.pk, *(c.pk for c in children)])
    allowed = allowed_actions(request.user, task)
    milestones = _milestones(task, today)
    schedule = milestones["schedule"]  # the page shows it anyway: its verdict feeds the light too
    own_progress = progress.get(task.pk, 0.0)
    return {
        "task": task,
        "today": today,
        "allowed": {a.value for a in allowed},
        "can_report": Action.REPORT in allowed and task.status in ACTIVE_STATUSES,
        "health": task_health(
            status=task.status,
            start=task.start_date,
            deadline=task.deadline,
            progress=own_progress,
            today=today,
            schedule=finding_of(schedule) if schedule else None,
            returned=last_returns([task.pk], today=today).get(task.pk),
            indicators=indicator_reasons([task.pk], today=today).get(task.pk, ()),
            closed_on=timezone.localdate(task.closed_at) if task.closed_at else None,
        ),
        "children": task_rows(children, progress),
        **milestones,
        "timeline": timeline(request.user, task),
        "history": task_history(task),
        "report_form": forms.get("report_form") or ReportForm(previous=latest_percent(task)),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "steps": available_steps(allowed, task, own_progress),
        "closing_requesters": closing_not_yours(allowed, task),
    }


@login_required
def task_detail(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id)
    return render(request, "plans/task_detail.html", _detail_context(request, task))


@login_required
def task_edit(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.EDIT)
    form = TaskForm(request.POST or None, instance=task)
    people_follow_unit(form, request.path, request.GET)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in actions.EDITABLE_FIELDS if name in data}
        try:
            actions.update_task(
                request.user,
                task,
                expected_version=data["version"],
                changes=changes,
                support_units=data["support_units"],
            )
        except ConflictError as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, one_line(error))
        else:
            messages.success(request, _("任务已保存。"))
            return redirect("task_detail", task_id=task.pk)
    return render(
        request, "plans/task_edit.html", {"task": task, "form": form}, status=409 if conflict else 200
    )


@login_required
def task_split(request: AuthedRequest, task_id: int) -> HttpResponse:
    parent = get_task_for(request.user, task_id, Action.SPLIT)
    form = ChildTaskForm(request.POST or None, parent=parent)
    people_follow_unit(form, request.path, request.GET)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = actions.create_task(
                request.user,
                plan=parent.plan,
                parent=parent,
                title=data["title"],
                kind=data["kind"],
                lead_unit=data["lead_unit"],
                support_units=data["support_units"],
                owner=data["owner"],
                start_date=data["start_date"],
                deadline=data["deadline"],
                weight=data["weight"],
            )
        except ValidationError as error:
            for field, errs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("已分解出下级任务。"))
            return redirect("task_detail", task_id=child.pk)
    return render(request, "plans/task_split.html", {"task": parent, "form": form})


@login_required
@require_POST
def task_delete(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.DELETE)
    parent_id = task.parent_id
    try:
        actions.delete_task(request.user, task)
    except ValidationError as error:
        messages.error(request, one_line(error))
        return redirect("task_detail", task_id=task.pk)
    messages.success(request, _("任务已删除。"))
    return redirect("task_detail", task_id=parent_id) if parent_id else redirect("task_list")


@login_required
@require_POST
def task_step(request: AuthedRequest, task_id: int, step: str) -> HttpResponse:
    if step not in actions.TRANSITIONS:
        return HttpResponse(status=404)
    task = get_task_for(request.user, task_id, actions.TRANSITIONS[step][0])
    form = StepForm(request.POST, step=step)
    try:
        actions.STEPS[step](request.user, task, form.checked_note())
    except ValidationError as error:
        messages.error(request, one_line(error))
    else:
        messages.success(request, _("操作成功：%(step)s") % {"step": Step(step).label})
    return redirect("task_detail", task_id=task.pk)


@login_required
@require_POST
def task_report(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.REPORT)
    form = ReportForm(request.POST, request.FILES, previous=latest_percent(task))
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
        except ValidationError as error:
            form.add_error(None, one_line(error))
        else:
            messages.success(request, _("进度已报送。"))
            return redirect("task_detail", task_id=task.pk)
    return render(
        request, "plans/task_detail.html", _detail_context(request, task, report_form=form), status=400
    )


@login_required
@require_POST
def task_comment(request: AuthedRequest, task_id: int) -> HttpResponse:
    task = get_task_for(request.user, task_id, Action.COMMENT)
    form = CommentForm(request.POST)
    if form.is_valid():
        actions.add_comment(request.user, task, form.cleaned_data["body"])
        return redirect("task_detail", task_id=task.pk)
    return render(
        request, "plans/task_detail.html", _detail_context(request, task, comment_form=form), status=400
    )
