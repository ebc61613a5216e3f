"""What a bulletin says: computed from the plan's data as one JSON-ready snapshot.

A draft is composed once, when it is drafted (and again when the office refreshes it), and stored;
publishing composes it a last time and freezes the snapshot. The bulletin's page and documents only
ever read the stored snapshot.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.activities.actions import activity_counts
from luoshi.core import clock
from luoshi.notices.counts import notice_counts
from luoshi.orgs.models import Unit
from luoshi.plans.definitions import days_late, is_counted
from luoshi.plans.health import Light, healths_of
from luoshi.plans.models import ACTIVE_STATUSES, Plan, Task, TaskKind, TaskStatus
from luoshi.plans.on_time import Delivery, delivery_by_unit
from luoshi.plans.rollup import plan_progress, progress_of_plan, statuses_as_of
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


def _ranking(
    plan: Plan, tasks, period: Period, counted: list[Task], statuses: dict[int, str], overdue_rows: list[dict]
) -> list[dict]:
    """Per lead unit: score, on-time closures, overdue count and days, reporting, activities, as the
    tasks stood at the period's end.

    Ranked by the period's score (动态增量计分), then by on-time closure rate."""
    end, start = period.end, period.start
    delivery = delivery_by_unit(tasks, end)
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
        record = delivery.get(unit_id, Delivery(0, 0, 0))
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


def _task_row(task: Task, progress: float, **extra) -> dict:
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


def compose(plan: Plan, period: Period, scope_unit: Unit | None = None, today: dt.date | None = None) -> dict:
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
    overdue, at_risk, early = [], [], []
    counts: defaultdict[str, int] = defaultdict(int)
    counted = [t for t in ranked if is_counted(statuses[t.pk])]
    for task in counted:
        health = healths[task.pk]
        counts[health.light] += 1
        if health.light == Light.DONE:
            closed_on = timezone.localdate(task.closed_at) if task.closed_at else None
            if closed_on and period.start <= closed_on < task.deadline:
                early.append(_task_row(task, 100.0, days_early=(task.deadline - closed_on).days))
        elif health.light == Light.OVERDUE:
            overdue.append(
                _task_row(
                    task,
                    health.progress,
                    unit_id=task.lead_unit_id,
                    days_overdue=days_late(task.deadline, as_of),
                    reasons=list(health.reasons),
                )
            )
        elif health.light in (Light.RED, Light.YELLOW, Light.RETURNED):
            at_risk.append(
                _task_row(
                    task,
                    health.progress,
                    expected=health.expected,
                    light=health.light.value,
                    reasons=list(health.reasons),
                )
            )
    ranking = _ranking(plan, tasks, period, counted, statuses, overdue)
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
