"""The Gantt view of a plan or a subtree: task bars by date, milestones, and the backward schedule."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from luoshi.core import clock
from luoshi.core.types import AuthedRequest
from luoshi.plans.health import healths_of
from luoshi.plans.models import Task
from luoshi.plans.rollup import rounded
from luoshi.plans.views.rows import chosen_plan, plan_choices
from luoshi.plans.views.tree import ROW_FIELDS, top_tasks
from luoshi.schedule.backward import ScheduleError, backward_schedule, planned_milestones_of
from luoshi.schedule.workdays import CalendarNotCovered

#: Rows drawn at most; a deeper or larger view is reached by opening a subtree.
MAX_ROWS = 300


def _depth(raw: str, default: int) -> int:
    return min(int(raw), 6) if raw.isdecimal() else default


def _rows(tasks: QuerySet) -> QuerySet:
    return tasks.select_related("lead_unit").only(*ROW_FIELDS).order_by("order", "id")


def _down_to(visible: QuerySet, tops: list[Task], depth_limit: int) -> list[tuple[Task, int]]:
    """The tasks below `tops` down to `depth_limit`, in tree order, as far as MAX_ROWS + 1 rows: one
    query a level, each for the children of the rows still within the first MAX_ROWS + 1 (children
    only push the rows after them further down, so a row past that never comes back into view)."""
    ordered = [(t, 0) for t in tops]
    for depth in range(1, depth_limit + 1):
        ordered = ordered[: MAX_ROWS + 1]
        parents = [t.pk for t, d in ordered if d == depth - 1]
        if not parents:
            break
        children: dict[int, list[Task]] = {}
        for task in _rows(visible.filter(parent__in=parents)):
            children.setdefault(task.parent_id, []).append(task)
        ordered = [
            row
            for task, d in ordered
            for row in [(task, d), *((kid, d + 1) for kid in children.get(task.pk, ()))]
        ]
    return ordered


def _schedules(tasks: list[Task], today) -> tuple[dict[int, dict], list[str]]:
    """Each milestone's backward-scheduled dates, task by task, from two queries for all of them."""
    by_id = {t.pk: t for t in tasks}
    scheduled: dict[int, dict] = {}
    problems: list[str] = []
    for task_id, planned in planned_milestones_of(by_id).items():
        try:
            schedule = backward_schedule(
                planned, deadline=by_id[task_id].deadline, today=today, estimate=True
            )
        except (ScheduleError, CalendarNotCovered) as error:
            schedule, messages = None, [str(error)]
        else:
            messages = [p.message for p in schedule.problems] if schedule else []
        label = str(by_id[task_id])
        problems += [f"{label}{pgettext('punctuation', '：')}{message}" for message in messages]
        dates = {s.key: s for s in schedule.milestones} if schedule else {}
        for m in planned:
            s = dates.get(m.key)
            scheduled[m.key] = {
                "task": task_id,
                "title": m.name,
                "due": m.planned_finish.isoformat() if m.planned_finish else None,
                "done": m.completed_on.isoformat() if m.completed_on else None,
                "latestStart": s.latest_start.isoformat() if s else None,
                "latestFinish": s.latest_finish.isoformat() if s else None,
                "expectedFinish": s.expected_finish.isoformat() if s else None,
                "slack": s.slack if s else None,
                "critical": bool(s and s.critical),
            }
    return scheduled, problems


@login_required
@require_GET
def gantt(request: AuthedRequest) -> HttpResponse:
    plans = plan_choices(request.user)
    plan = chosen_plan(request, plans)
    context: dict = {"plans": plans, "plan": plan}
    if plan is None:
        return render(request, "plans/gantt.html", context)
    today = clock.today()
    visible = Task.objects.visible_to(request.user).filter(plan=plan)
    raw_root = request.GET.get("root", "")
    root = None
    if raw_root:
        if not raw_root.isdecimal() or len(raw_root) > 18:  # "²" is a digit, not a number
            raise Http404("task not found")
        root = visible.select_related("lead_unit").only(*ROW_FIELDS).filter(pk=int(raw_root)).first()
        if root is None:
            raise Http404("task not found")
    depth_limit = _depth(request.GET.get("depth", ""), 2 if root else 1)
    tops = [root] if root is not None else list(_rows(top_tasks(request.user, visible)))
    # Only the rows drawn are read and lit, level by level: not the whole plan or subtree below them.
    ordered = _down_to(visible, tops, depth_limit)
    truncated = len(ordered) > MAX_ROWS
    shown = ordered[:MAX_ROWS]
    tasks = [t for t, _d in shown]
    healths = healths_of(tasks, {t.pk: rounded(t.rolled_up) for t in tasks}, today)
    milestones, problems = _schedules(tasks, today)
    by_task: dict[int, list[dict]] = {}
    for m in milestones.values():
        by_task.setdefault(m["task"], []).append(m)
    rows: list[dict] = []
    for task, depth in shown:
        health = healths[task.pk]
        url = reverse("task_detail", args=[task.pk])
        task_row = len(rows)
        rows.append(
            {
                "kind": "task",
                "id": task.pk,
                "label": f"{task.code} {task.title}".strip(),
                "depth": depth,
                "start": task.start_date.isoformat(),
                "end": task.deadline.isoformat(),
                "light": health.light.value,
                "lightLabel": str(health.light.label),
                "why": health.why,
                "progress": health.progress,
                "unit": task.lead_unit.display_name,
                "url": url,
            }
        )
        for m in by_task.get(task.pk, []):
            if root is None:  # a whole plan: milestones sit on their task's bar
                m["row"] = task_row
                continue
            # a subtree: each milestone gets its own row, its bar the window the backward schedule allows
            m["row"] = len(rows)
            rows.append(
                {
                    "kind": "milestone",
                    "id": task.pk,
                    "label": m["title"],
                    "depth": depth + 1,
                    "start": m["latestStart"] or m["due"],
                    "end": m["latestFinish"] or m["due"],
                    "critical": m["critical"],
                    "done": bool(m["done"]),
                    "url": url,
                }
            )
    focus = None
    if root is not None and milestones:
        # Open a subtree's chart on the stretch where its milestones fall, not on its whole span.
        starts = [m["latestStart"] or m["due"] for m in milestones.values()] + [
            m["due"] for m in milestones.values()
        ]
        first = min(dt.date.fromisoformat(min(starts)), today) - dt.timedelta(days=30)
        focus = [first.isoformat(), (root.deadline + dt.timedelta(days=30)).isoformat()]
    context.update(
        root=root,
        depth=depth_limit,
        chart_height=min(720, 100 + 30 * len(rows)),
        depths=range(0, 5),
        truncated=truncated,
        max_rows=MAX_ROWS,
        problems=problems[:20],
        chart={
            "rows": rows,
            "milestones": list(milestones.values()),
            "today": today.isoformat(),
            "focus": focus,
            "labels": {
                "progress": _("进度"),
                "deadline": _("完成时限"),
                "start": _("开始日期"),
                "unit": _("牵头单位"),
                "due": _("计划完成"),
                "done": _("已完成"),
                "latestStart": _("最迟开始"),
                "latestFinish": _("最迟完成"),
                "expectedFinish": _("预计完成"),
                "slack": _("时差（工作日）"),
                "critical": _("关键路径"),
                "today": _("今天"),
                "window": _("倒排工期窗口"),
            },
        },
    )
    return render(request, "plans/gantt.html", context)
