"""The figures a leader reads on the cockpit, gathered from the one place each is derived.

Lights come from plans.health (via the task rows), progress from plans.rollup, indicator
trajectories, statuses and forecasts from indicators.forecast, and the portfolio from
projects.rollups. This module only counts and groups what those return, for the person's view.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from luoshi.orgs.models import Person, Unit
from luoshi.plans.health import Health, Light, expected_progress, healths_of
from luoshi.plans.models import Plan, Task, TaskStatus
from luoshi.plans.rollup import plan_progress, progress_of_plan

#: Lights that call for attention, worst first.
ATTENTION = (Light.OVERDUE, Light.RED, Light.YELLOW)


@dataclass
class UnitLights:
    unit_id: int
    name: str
    counts: Counter = field(default_factory=Counter)

    @property
    def attention(self) -> int:
        return sum(self.counts[light] for light in ATTENTION)


@dataclass
class TaskFigures:
    """The lights of the tasks a person sees in a plan, in all and by lead unit."""

    progress: float
    expected: float
    total: int  # counted tasks: drafts are listed apart
    counts: Counter
    awaiting_sign_off: int
    by_unit: list[UnitLights]
    drafts: int = 0  # 草稿 N 项，未交办

    def count(self, light: str) -> int:
        return self.counts[light]


def task_figures(person: Person, plan: Plan, today: dt.date) -> TaskFigures:
    """Counts of tasks by light, in all and by lead unit, in a fixed number of queries."""
    tasks = list(
        Task.objects.visible_to(person).filter(plan=plan)
        .only("id", "parent_id", "status", "start_date", "deadline", "lead_unit_id")
    )
    progress = progress_of_plan(plan.pk)
    healths: dict[int, Health] = healths_of(tasks, progress, today)
    drafts = sum(1 for h in healths.values() if h.light == Light.DRAFT)
    counts = Counter(h.light for h in healths.values() if h.light != Light.DRAFT)
    units: dict[int, UnitLights] = {}
    names = {pk: short or name for pk, name, short in Unit.objects.values_list("id", "name", "short_name")}
    for task in tasks:
        if healths[task.pk].light == Light.DRAFT:
            continue
        row = units.setdefault(task.lead_unit_id, UnitLights(task.lead_unit_id, names[task.lead_unit_id]))
        row.counts[healths[task.pk].light] += 1
    by_unit = sorted(units.values(), key=lambda u: (-u.counts[Light.OVERDUE], -u.attention, u.name))
    return TaskFigures(
        progress=plan_progress(plan.pk),
        expected=expected_progress(plan.period_start, plan.period_end, today),
        total=len(tasks) - drafts,
        counts=counts,
        awaiting_sign_off=sum(1 for t in tasks if t.status == TaskStatus.CLOSING_REQUESTED),
        by_unit=by_unit,
        drafts=drafts,
    )


def tasks_by_unit_chart(by_unit: list[UnitLights], limit: int = 15) -> list[dict]:
    """Rows for the bar chart of tasks needing attention per lead unit, worst first."""
    return [
        {"unit_id": u.unit_id, "name": u.name, **{str(light): u.counts[light] for light in ATTENTION}}
        for u in by_unit[:limit] if u.attention
    ]
