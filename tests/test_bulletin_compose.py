"""A province-size bulletin says exactly what the bulletin said when every task was lit at once.

`compose` streams the ranked tasks and lights most of them directly; the reference below is the
composition it replaced (commit 77639f0): every ranked task loaded as a model instance and lit by
`healths_of`, the plan's progress walked twice. The two must agree on every figure, for every
month of the demo, for a scope, and for the period that is still running.
"""

import datetime as dt
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from luoshi.activities.actions import activity_counts
from luoshi.bulletins.compose import (
    RANKED_KINDS,
    Period,
    _draft_sentences,
    _tasks_in_scope,
    compose,
    parse_period,
)
from luoshi.core import clock
from luoshi.notices.counts import notice_counts
from luoshi.orgs.models import Unit
from luoshi.plans.definitions import days_late, is_counted
from luoshi.plans.health import Light, healths_of
from luoshi.plans.models import ACTIVE_STATUSES, Milestone, Plan, Task, TaskStatus
from luoshi.plans.on_time import OnTimeRecord, on_time_by_unit
from luoshi.plans.rollup import plan_progress, progress_of_plan, statuses_as_of
from luoshi.progress.models import ProgressReport
from luoshi.scoring.actions import post_scores, scores_by_unit
from tests.conftest import TODAY
from tests.test_demo_data import demo, loaded  # noqa: F401  (the demo, loaded once)


def reference_ranking(
    plan: Plan, tasks, period: Period, counted: list[Task], statuses: dict[int, str], overdue_rows: list[dict]
) -> list[dict]:
    """Per lead unit: score, on-time closures, overdue count and days, reporting, activities, as the
    tasks stood at the period's end.

    Ranked by the period's score (动态增量计分), then by on-time closure rate."""
    end, start = period.end, period.start
    delivery = on_time_by_unit(tasks, end)
    reporting = (*ACTIVE_STATUSES, TaskStatus.CLOSING_REQUESTED)
    # A subquery, not a list of ids: the scope may hold a whole province's tasks.
    reported_ids = set(
        ProgressReport.objects.filter(
            task__in=tasks.filter(kind__in=RANKED_KINDS).values("pk"), reported_on__range=(start, end)
        )
        .values_list("task_id", flat=True)
        .distinct()
    )
    rows: dict[int, dict] = {}
    for task in counted:
        row = rows.setdefault(
            task.lead_unit_id, {"unit": task.lead_unit.name, "total": 0, "active": 0, "reported": 0}
        )
        row["total"] += 1
        if task.start_date <= end and statuses[task.pk] in reporting:
            row["active"] += 1
            row["reported"] += task.pk in reported_ids
    unit_ids = list(rows)
    scores = {s.id: s.total for s in scores_by_unit(start, end, plan=plan, unit_ids=unit_ids)}
    activities = activity_counts(start, end, unit_ids=unit_ids)
    overdue_by_unit: dict[int, list[int]] = defaultdict(list)
    for overdue in overdue_rows:
        overdue_by_unit[overdue["unit_id"]].append(overdue["days_overdue"])
    table = []
    for unit_id, row in rows.items():
        days = overdue_by_unit.get(unit_id, [])
        record = delivery.get(unit_id, OnTimeRecord(0, 0, 0))
        table.append(
            {
                "unit_id": unit_id,
                "unit": row["unit"],
                "tasks": row["total"],
                "due": record.due,
                "closed_on_time": record.closed_on_time,
                "on_time_rate": record.on_time_rate,
                "overdue": len(days),
                "overdue_days": sum(days),
                "active": row["active"],
                "reported": row["reported"],
                "report_rate": round(100.0 * row["reported"] / row["active"], 1) if row["active"] else None,
                "score": float(scores.get(unit_id, 0)),
                "activities": sum(activities.get(unit_id, {}).values()),
            }
        )
    table.sort(
        key=lambda r: (
            -r["score"],
            -(r["on_time_rate"] or 0),
            r["overdue"],
            r["overdue_days"],
            -(r["report_rate"] or 0),
            r["unit"],
        )
    )
    for rank, row in enumerate(table, start=1):
        row["rank"] = rank
    return table


def reference_task_row(task: Task, progress: float, **extra) -> dict:
    return {
        "id": task.pk,
        "code": task.code,
        "title": task.title,
        "unit": task.lead_unit.name,
        "owner": task.owner.display_name if task.owner else "",
        "deadline": task.deadline.isoformat(),
        "progress": progress,
        **extra,
    }


def reference_compose(
    plan: Plan, period: Period, scope_unit: Unit | None = None, today: dt.date | None = None
) -> dict:
    """The bulletin's content for a period and scope, as plain JSON-ready data, as of the period's
    last day (or today, while the period runs): progress reported by then, statuses from the steps
    taken by then, milestones done by then, scores dated in the period. Drafts are counted apart;
    the lights' categories add up to the total."""
    today = today or clock.today()
    as_of = min(period.end, today)
    tasks = _tasks_in_scope(plan, scope_unit)
    ranked_tasks = tasks.filter(kind__in=RANKED_KINDS)
    statuses = statuses_as_of(ranked_tasks, as_of)
    ranked = list(ranked_tasks.select_related("lead_unit", "owner").order_by("deadline", "id"))
    progress = progress_of_plan(plan.pk, as_of=as_of)
    healths = healths_of(ranked, progress, as_of, statuses=statuses)
    overdue, at_risk, early, counts = [], [], [], defaultdict(int)
    counted = [t for t in ranked if is_counted(statuses[t.pk])]
    for task in counted:
        health = healths[task.pk]
        counts[health.light] += 1
        if health.light == Light.DONE:
            closed_on = timezone.localdate(task.closed_at) if task.closed_at else None
            if closed_on and period.start <= closed_on < task.deadline:
                early.append(reference_task_row(task, 100.0, days_early=(task.deadline - closed_on).days))
        elif health.light == Light.OVERDUE:
            overdue.append(
                reference_task_row(
                    task,
                    health.progress,
                    unit_id=task.lead_unit_id,
                    days_overdue=days_late(task.deadline, as_of),
                    reasons=list(health.reasons),
                )
            )
        elif health.light in (Light.RED, Light.YELLOW, Light.RETURNED):
            at_risk.append(
                reference_task_row(
                    task,
                    health.progress,
                    expected=health.expected,
                    light=health.light.value,
                    reasons=list(health.reasons),
                )
            )
    ranking = reference_ranking(plan, tasks, period, counted, statuses, overdue)
    commendations, criticisms = _draft_sentences(ranking, early, overdue)
    return {
        "plan": plan.title,
        "scope": scope_unit.name if scope_unit else "",
        "period": {
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
        },
        "as_of": as_of.isoformat(),
        "overall": {
            "plan_progress": plan_progress(plan.pk, as_of=as_of),
            "tasks": len(counted),
            "closed": counts[Light.DONE],
            "overdue": len(overdue),
            "red": counts[Light.RED],
            "yellow": counts[Light.YELLOW],
            "returned": counts[Light.RETURNED],
            "green": counts[Light.GREEN],
            "drafts": len(ranked) - len(counted),
        },
        "ranking": ranking,
        "overdue_tasks": sorted(overdue, key=lambda t: -t["days_overdue"]),
        "at_risk_tasks": sorted(at_risk, key=lambda t: t["progress"] - t["expected"]),
        "closed_early": early,
        "draft_commendations": commendations,
        "draft_criticisms": criticisms,
        "notices": notice_counts(
            period.start,
            as_of,
            plan_id=plan.pk,
            unit_ids=None
            if scope_unit is None
            else Unit.objects.subtree([scope_unit.pk]).values_list("id", flat=True),
        ).as_dict(),
    }


def months_of(plan: Plan) -> list[Period]:
    """Every month from the plan's first step to TODAY's."""
    first = Task.objects.filter(plan=plan).earliest("created_at").transitions.order_by("at").first()
    month = (first.at.date() if first else plan.period_start).replace(day=1)
    months = []
    while month <= TODAY:
        months.append(parse_period(f"{month.year}-{month.month:02d}"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


class TestTheDemosBulletins:
    def test_every_month_says_what_lighting_every_task_at_once_said(self, demo):  # noqa: F811
        plan = Task.objects.order_by("id").first().plan
        post_scores(plan)
        months = months_of(plan)
        assert len(months) >= 3
        for period in months:
            assert compose(plan, period) == reference_compose(plan, period), period.label

    def test_a_quarter_a_week_and_a_units_scope_say_the_same_too(self, demo):  # noqa: F811
        plan = Task.objects.order_by("id").first().plan
        post_scores(plan)
        busiest = (
            Task.objects.filter(plan=plan, kind__in=RANKED_KINDS)
            .values("lead_unit")
            .order_by()
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()["lead_unit"]
        )
        scope = Unit.objects.get(pk=busiest)
        for text in (f"{TODAY.year}-Q4", f"{TODAY.year}-W{TODAY.isocalendar()[1]:02d}"):
            period = parse_period(text)
            assert compose(plan, period) == reference_compose(plan, period), text
        period = parse_period(f"{TODAY.year}-{TODAY.month:02d}")
        scoped = compose(plan, period, scope)
        assert scoped["overall"]["tasks"] > 0
        assert scoped == reference_compose(plan, period, scope)


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("完成.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


def test_a_task_returned_overdue_and_scheduled_keeps_its_reasons(cast, frozen_today):
    """The tasks lit apart (a return's reason, a milestone's schedule) say what `healths_of` says."""
    from luoshi.plans import actions
    from luoshi.progress.actions import report_progress

    Milestone.objects.create(task=cast.key, title="方案报批", due_date=dt.date(2026, 11, 5), duration_days=5)
    frozen_today(dt.date(2026, 11, 16))
    report_progress(
        cast.caizheng_staff, cast.measure, percent=100, narrative="已报省财政厅", files=[evidence()]
    )
    actions.request_closing(cast.caizheng_manager, cast.measure)
    actions.return_task(cast.supervisor, cast.measure, "缺少省财政厅回执")
    frozen_today(dt.date(2026, 12, 10))
    Task.objects.filter(pk=cast.measure.pk).update(deadline=dt.date(2026, 11, 20))
    for text in ("2026-11", "2026-12"):
        period = parse_period(text)
        content = compose(cast.plan, period)
        assert content == reference_compose(cast.plan, period), text
    late = {t["id"]: t for t in compose(cast.plan, parse_period("2026-11"))["overdue_tasks"]}
    assert any("缺少省财政厅回执" in reason for reason in late[cast.measure.pk]["reasons"])
