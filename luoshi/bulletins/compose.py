"""What a bulletin says: computed from the plan's data as one JSON-ready snapshot.

A draft is composed once, when it is drafted (and again when the office refreshes it), and stored;
publishing composes it a last time and freezes the snapshot. The bulletin's page and documents only
ever read the stored snapshot.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from luoshi.activities.actions import activity_counts
from luoshi.core import clock
from luoshi.notices.counts import notice_counts
from luoshi.orgs.models import Person, Unit
from luoshi.plans.definitions import days_late, is_counted
from luoshi.plans.health import Light, healths_of, task_health
from luoshi.plans.models import ACTIVE_STATUSES, Milestone, Plan, Task, TaskKind, TaskStatus
from luoshi.plans.on_time import OnTimeRecord, on_time_by_unit
from luoshi.plans.rollup import counted_tasks, rounded, scratch_progress, statuses_as_of
from luoshi.progress.models import ProgressReport
from luoshi.scoring.actions import scores_by_unit

#: Areas (方面) group work; units are ranked on the work itself.
RANKED_KINDS = [k for k in TaskKind.values if k != TaskKind.AREA]


@dataclass(frozen=True)
class Period:
    kind: str  # week / month / quarter
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start:%Y年%m月%d日}至{self.end:%m月%d日}"


def parse_period(text: str) -> Period:
    """'2026-11' (month), '2026-Q4' (quarter) or '2026-W47' (ISO week)."""
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            start = dt.date(year, month, 1)
            end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
            return Period("month", start, end)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
        return Period("quarter", start, end)
    if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", text):
        try:
            start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            pass
        else:
            return Period("week", start, start + dt.timedelta(days=6))
    raise ValueError(
        _("无法识别的通报周期“%(text)s”：请写成 2026-11（月）、2026-Q4（季）或 2026-W47（周）。")
        % {"text": text}
    )


def _tasks_in_scope(plan: Plan, scope_unit: Unit | None):
    tasks = Task.objects.filter(plan=plan)
    if scope_unit is not None:
        tasks = tasks.filter(lead_unit__in=Unit.objects.subtree([scope_unit.pk]))
    return tasks


@dataclass
class _UnitTally:
    """One lead unit's counted tasks as the period's end saw them, gathered while the tasks stream by."""

    name: str
    tasks: int = 0
    active: int = 0
    reported: int = 0
    overdue_days: list[int] = field(default_factory=list)


def _ranking(plan: Plan, tasks, period: Period, tallies: dict[int, _UnitTally]) -> list[dict]:
    """Per lead unit: score, on-time closures, overdue count and days, reporting, activities, as the
    tasks stood at the period's end.

    Ranked by the period's score (动态增量计分), then by on-time closure rate."""
    end, start = period.end, period.start
    delivery = on_time_by_unit(tasks, end)
    unit_ids = list(tallies)
    scores = {s.id: s.total for s in scores_by_unit(start, end, plan=plan, unit_ids=unit_ids)}
    activities = activity_counts(start, end, unit_ids=unit_ids)
    table: list[dict[str, Any]] = []
    for unit_id, tally in tallies.items():
        days = tally.overdue_days
        record = delivery.get(unit_id, OnTimeRecord(0, 0, 0))
        table.append(
            {
                "unit_id": unit_id,
                "unit": tally.name,
                "tasks": tally.tasks,
                "due": record.due,
                "closed_on_time": record.closed_on_time,
                "on_time_rate": record.on_time_rate,
                "overdue": len(days),
                "overdue_days": sum(days),
                "active": tally.active,
                "reported": tally.reported,
                "report_rate": round(100.0 * tally.reported / tally.active, 1) if tally.active else None,
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


def _task_row(task: "_Row", unit: str, owner: str, progress: float, **extra) -> dict:
    return {
        "id": task.id,
        "code": task.code,
        "title": task.title,
        "unit": unit,
        "owner": owner,
        "deadline": task.deadline.isoformat(),
        "progress": progress,
        **extra,
    }


def _draft_sentences(ranking: list[dict], early: list[dict], overdue: list[dict]) -> tuple[str, str]:
    """Commendations and criticisms as draft sentences the office edits before publishing."""
    praise = []
    for row in ranking:
        if row["due"] and row["on_time_rate"] == 100.0:
            praise.append(_("%(unit)s到期任务%(n)d项全部按时办结。") % {"unit": row["unit"], "n": row["due"]})
    for task in early[:5]:
        praise.append(
            _("%(unit)s提前%(days)d天完成“%(title)s”。")
            % {"unit": task["unit"], "days": task["days_early"], "title": task["title"]}
        )
    blame = []
    for row in sorted(ranking, key=lambda r: (-r["overdue_days"], r["unit"])):
        if row["overdue"]:
            blame.append(
                _("%(unit)s有%(n)d项任务逾期未办结，累计逾期%(days)d天。")
                % {"unit": row["unit"], "n": row["overdue"], "days": row["overdue_days"]}
            )
    worst = max(overdue, key=lambda t: t["days_overdue"], default=None)
    if worst:
        blame.append(
            _("其中“%(title)s”（%(unit)s）已逾期%(days)d天，请抓紧办理。")
            % {"title": worst["title"], "unit": worst["unit"], "days": worst["days_overdue"]}
        )
    return "\n".join(praise), "\n".join(blame)


class _Row(NamedTuple):
    """A ranked task as the bulletin reads it: plain values, never a model instance (a province has 100,000)."""

    id: int
    code: str
    title: str
    lead_unit_id: int
    owner_id: int | None
    start_date: dt.date
    deadline: dt.date
    closed_at: dt.datetime | None


#: Ranked tasks read from the database at a time: memory stays flat however large the plan.
BATCH = 2000


def _scheduled_or_returned(ranked_tasks, statuses: dict[int, str]) -> set[int]:
    """The open tasks whose light needs more than their own fields: those with milestones (the backward
    schedule) and those returned (the return's reason). `healths_of` lights them; the rest it would light
    from their fields alone, so `task_health` lights those directly, without its per-list queries."""
    open_ = {pk for pk, status in statuses.items() if is_counted(status) and status != TaskStatus.CLOSED}
    with_milestones = set(
        Milestone.objects.filter(task__in=ranked_tasks.order_by().values("pk"))
        .order_by()
        .values_list("task_id", flat=True)
        .distinct()
    )
    return {pk for pk in open_ if pk in with_milestones or statuses[pk] == TaskStatus.RETURNED}


def _plan_progress(plan: Plan, figures: dict[int, float], as_of: dt.date) -> float:
    """`rollup.plan_progress` as of the day, from the figures already computed for the whole plan."""
    roots = counted_tasks(Task.objects.filter(plan=plan, parent=None), as_of)
    rows = [(w, figures.get(pk, 0.0)) for pk, w in roots.values_list("id", "weight")]
    total = sum(w for w, _ in rows)
    return rounded(sum(w * value for w, value in rows) / total) if total else 0.0


def compose(plan: Plan, period: Period, scope_unit: Unit | None = None, today: dt.date | None = None) -> dict:
    """The bulletin's content for a period and scope, as plain JSON-ready data, as of the period's
    last day (or today, while the period runs): progress reported by then, statuses from the steps
    taken by then, milestones done by then, scores dated in the period. Drafts are counted apart;
    the lights' categories add up to the total.

    Made for a province: the plan's progress as of the day is computed once, bottom up; the ranked
    tasks stream by in batches as plain rows, each lit by `health.task_health` (the one definition of
    a light), and only the rows the bulletin lists are kept."""
    today = today or clock.today()
    as_of = min(period.end, today)
    tasks = _tasks_in_scope(plan, scope_unit)
    ranked_tasks = tasks.filter(kind__in=RANKED_KINDS)
    statuses = statuses_as_of(ranked_tasks, as_of)
    figures = scratch_progress(Task.objects.filter(plan=plan), as_of)
    plan_figure = _plan_progress(plan, figures, as_of)
    progress = {pk: rounded(figures[pk]) for pk in statuses if pk in figures}
    del figures
    special = _scheduled_or_returned(ranked_tasks, statuses)
    healths = (
        healths_of(
            Task.objects.filter(pk__in=special).only("id", "status", "start_date", "deadline", "closed_at"),
            progress,
            as_of,
            statuses=statuses,
        )
        if special
        else {}
    )
    reporting = (*ACTIVE_STATUSES, TaskStatus.CLOSING_REQUESTED)
    # A subquery, not a list of ids: the scope may hold a whole province's tasks.
    reported_ids = set(
        ProgressReport.objects.filter(
            task__in=ranked_tasks.values("pk"), reported_on__range=(period.start, period.end)
        )
        .values_list("task_id", flat=True)
        .distinct()
    )
    units = dict(Unit.objects.filter(pk__in=ranked_tasks.values("lead_unit_id")).values_list("pk", "name"))
    owners = {
        p.pk: p.display_name
        for p in Person.objects.filter(pk__in=ranked_tasks.values("owner_id")).only(
            "id", "full_name", "username"
        )
    }
    overdue: list[dict] = []
    at_risk: list[dict] = []
    early: list[dict] = []
    counts: defaultdict[Light, int] = defaultdict(int)
    tallies: dict[int, _UnitTally] = {}
    drafts = 0
    rows = ranked_tasks.order_by("deadline", "id").values_list(*_Row._fields)
    local_day = clock.local_days()
    for task in map(_Row._make, rows.iterator(chunk_size=BATCH)):
        status = statuses[task.id]
        if not is_counted(status):
            drafts += 1
            continue
        closed_on = local_day(task.closed_at) if task.closed_at else None
        health = healths.get(task.id) or task_health(
            status=status,
            start=task.start_date,
            deadline=task.deadline,
            progress=progress.get(task.id, 0.0),
            today=as_of,
            closed_on=closed_on,
        )
        counts[health.light] += 1
        unit, owner = units[task.lead_unit_id], owners.get(task.owner_id, "")
        tally = tallies.setdefault(task.lead_unit_id, _UnitTally(unit))
        tally.tasks += 1
        if task.start_date <= period.end and status in reporting:
            tally.active += 1
            tally.reported += task.id in reported_ids
        if health.light == Light.DONE:
            if closed_on and period.start <= closed_on < task.deadline:
                early.append(_task_row(task, unit, owner, 100.0, days_early=(task.deadline - closed_on).days))
        elif health.light == Light.OVERDUE:
            days = days_late(task.deadline, as_of)
            tally.overdue_days.append(days)
            overdue.append(
                _task_row(
                    task,
                    unit,
                    owner,
                    health.progress,
                    unit_id=task.lead_unit_id,
                    days_overdue=days,
                    reasons=list(health.reasons),
                )
            )
        elif health.light in (Light.RED, Light.YELLOW, Light.RETURNED):
            at_risk.append(
                _task_row(
                    task,
                    unit,
                    owner,
                    health.progress,
                    expected=health.expected,
                    light=health.light.value,
                    reasons=list(health.reasons),
                )
            )
    ranking = _ranking(plan, tasks, period, tallies)
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
            "plan_progress": plan_figure,
            "tasks": sum(counts.values()),
            "closed": counts[Light.DONE],
            "overdue": len(overdue),
            "red": counts[Light.RED],
            "yellow": counts[Light.YELLOW],
            "returned": counts[Light.RETURNED],
            "green": counts[Light.GREEN],
            "drafts": drafts,
        },
        "ranking": ranking,
        "overdue_tasks": sorted(overdue, key=lambda t: -t["days_overdue"]),
        "at_risk_tasks": sorted(at_risk, key=lambda t: t["progress"] - t["expected"]),
        "closed_early": early,
        "draft_commendations": commendations,
        "draft_criticisms": criticisms,
        # 督办单 issued in the period and how they were answered by its end (luoshi.notices).
        "notices": notice_counts(
            period.start,
            as_of,
            plan_id=plan.pk,
            unit_ids=None
            if scope_unit is None
            else Unit.objects.subtree([scope_unit.pk]).values_list("id", flat=True),
        ).as_dict(),
    }
