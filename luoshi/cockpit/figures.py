"""The figures a leader reads on the cockpit, gathered from the one place each is derived.

Lights come from plans.health (via the task rows), progress from plans.rollup, indicator
trajectories, statuses and forecasts from indicators.forecast (the lights counted from their stored
copy, indicators.stored), and the portfolio from projects.rollups. This module only counts and groups what those return, for the person's view.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When

from luoshi.indicators.forecast import IndicatorFigures, indicator_figures
from luoshi.indicators.models import ComputedFrom, Indicator
from luoshi.indicators.status import IndicatorLight
from luoshi.indicators.trajectory import IndicatorFacts, facts_for
from luoshi.orgs.models import Person, Unit
from luoshi.plans.health import Health, Light, expected_progress, healths_of
from luoshi.plans.lights import light_counts
from luoshi.plans.models import Plan, Task, TaskStatus
from luoshi.plans.rollup import plan_progress, progress_of_plan, statuses_as_of

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


@dataclass(frozen=True)
class Reading:
    """The tasks a person sees in a plan, with each one's light and progress, now or as of a day."""

    day: dt.date
    tasks: list[Task]
    healths: dict[int, Health]
    progress: dict[int, float]
    statuses: dict[int, str]
    plan_progress: float


def read_plan(person: Person, plan: Plan, today: dt.date, as_of: dt.date | None = None) -> Reading:
    """Lights and progress of the tasks the person sees, in a fixed number of queries. Given a past
    `as_of`, the plan as it stood at the end of that day: statuses from the steps taken by then,
    progress reported by then, milestones done by then (the bulletin's reading)."""
    visible = Task.objects.visible_to(person).filter(plan=plan)
    tasks = list(
        visible.only(
            "id",
            "parent_id",
            "kind",
            "status",
            "start_date",
            "deadline",
            "lead_unit_id",
            "code",
            "title",
            "closed_at",
        )
    )
    if as_of is None or as_of >= today:
        statuses = {t.pk: t.status for t in tasks}
        progress, overall = progress_of_plan(plan.pk), plan_progress(plan.pk)
        day = today
    else:
        statuses = statuses_as_of(visible, as_of)
        progress, overall = progress_of_plan(plan.pk, as_of=as_of), plan_progress(plan.pk, as_of=as_of)
        day = as_of
    healths = healths_of(tasks, progress, day, statuses=statuses)
    return Reading(day, tasks, healths, progress, statuses, overall)


def task_figures(person: Person, plan: Plan, today: dt.date, as_of: dt.date | None = None) -> TaskFigures:
    """Counts of tasks by light, in all and by lead unit, in a fixed number of queries (as of a day if given).
    Today's are counted in the database (plans.lights); a past day's are read from its facts in Python."""
    if as_of is None or as_of >= today:
        return _figures_now(person, plan, today)
    reading = read_plan(person, plan, today, as_of)
    tasks, healths = reading.tasks, reading.healths
    drafts = sum(1 for h in healths.values() if h.light == Light.DRAFT)
    counts = Counter(h.light for h in healths.values() if h.light != Light.DRAFT)
    units: dict[int, UnitLights] = {}
    names = unit_names()
    for task in tasks:
        if healths[task.pk].light == Light.DRAFT:
            continue
        row = units.setdefault(task.lead_unit_id, UnitLights(task.lead_unit_id, names[task.lead_unit_id]))
        row.counts[healths[task.pk].light] += 1
    by_unit = sorted(units.values(), key=lambda u: (-u.counts[Light.OVERDUE], -u.attention, u.name))
    return TaskFigures(
        progress=reading.plan_progress,
        expected=expected_progress(plan.period_start, plan.period_end, reading.day),
        total=len(tasks) - drafts,
        counts=counts,
        awaiting_sign_off=sum(1 for t in tasks if reading.statuses[t.pk] == TaskStatus.CLOSING_REQUESTED),
        by_unit=by_unit,
        drafts=drafts,
    )


def _figures_now(person: Person, plan: Plan, today: dt.date) -> TaskFigures:
    counted = light_counts(Task.objects.visible_to(person).filter(plan=plan), today)
    names = unit_names()
    units = [
        UnitLights(
            unit_id, names[unit_id], Counter({Light(k): v for k, v in lights.items() if k != Light.DRAFT})
        )
        for unit_id, lights in counted.by_unit.items()
    ]
    units = [u for u in units if sum(u.counts.values())]
    drafts = counted.total[Light.DRAFT]
    return TaskFigures(
        progress=plan_progress(plan.pk),
        expected=expected_progress(plan.period_start, plan.period_end, today),
        total=sum(counted.total.values()) - drafts,
        counts=Counter({Light(k): v for k, v in counted.total.items() if k != Light.DRAFT}),
        awaiting_sign_off=counted.statuses[TaskStatus.CLOSING_REQUESTED],
        by_unit=sorted(units, key=lambda u: (-u.counts[Light.OVERDUE], -u.attention, u.name)),
        drafts=drafts,
    )


def unit_names() -> dict[int, str]:
    return {pk: short or name for pk, name, short in Unit.objects.values_list("id", "name", "short_name")}


def tasks_by_unit_chart(by_unit: list[UnitLights], limit: int = 15) -> list[dict]:
    """Rows for the bar chart of tasks needing attention per lead unit, worst first."""
    return [
        {"unit_id": u.unit_id, "name": u.name, **{str(light): u.counts[light] for light in ATTENTION}}
        for u in by_unit[:limit]
        if u.attention
    ]


#: Indicators worst first.
INDICATOR_ORDER = (IndicatorLight.RED, IndicatorLight.YELLOW, IndicatorLight.NO_DATA, IndicatorLight.GREEN)


@dataclass(frozen=True)
class IndicatorOverview:
    """The indicators a person sees in a plan: how many of each light, and the worst few in full."""

    total: int
    counts: dict[IndicatorLight, int]
    worst: list[tuple[IndicatorFigures, IndicatorFacts]]


def _light(figures: IndicatorFigures) -> IndicatorLight:
    return figures.status.light if figures.status else IndicatorLight.NO_DATA


def indicator_overview(person: Person, plan: Plan, today: dt.date, shown: int) -> IndicatorOverview:
    """Counts by light from the stored lights, in the database, and the figures of only the `shown`
    worst indicators (red, yellow, no data, green; then by id): a fixed number of queries however many
    indicators the plan has. Indicators computed from project starts, whose light moves with the day,
    are computed on the fly (a plan has few)."""
    visible = Indicator.objects.visible_to(person).filter(plan=plan)
    computed = Q(computed_from=ComputedFrom.PROJECT_STARTS)
    rank = Case(
        *(When(stored_status__light=light, then=Value(i)) for i, light in enumerate(INDICATOR_ORDER)),
        default=Value(INDICATOR_ORDER.index(IndicatorLight.NO_DATA)),
        output_field=IntegerField(),
    )
    stored = visible.exclude(computed).annotate(rank=rank)
    counts = {light: 0 for light in IndicatorLight}
    for row in stored.order_by().values("rank").annotate(n=Count("pk")):
        counts[INDICATOR_ORDER[row["rank"]]] += row["n"]
    worst_ids = list(stored.order_by("rank", "pk").values_list("pk", flat=True)[:shown])
    facts = facts_for(visible.filter(computed | Q(pk__in=worst_ids)), today=today)
    figures = [(indicator_figures(f), f) for f in facts]
    for fig, f in figures:
        if f.id not in worst_ids:  # computed on the fly
            counts[_light(fig)] += 1
    figures.sort(key=lambda pair: (INDICATOR_ORDER.index(_light(pair[0])), pair[0].id))
    return IndicatorOverview(sum(counts.values()), counts, figures[:shown])
