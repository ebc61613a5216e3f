"""The planned path (序时轨迹) of an indicator: from its baseline to each target, a value for every period.

Targets of four kinds become absolute values here, and only here:
- absolute: the value itself (≥ 3亿吨 by 2022);
- multiple: the baseline, or an earlier target (relative_to_target), times the value — 翻一番 is ×2
  of the baseline, 再翻一番 is ×2 of the first target;
- increment: the baseline plus the value for every year since the baseline date (+20 家 a year);
- relative: another indicator's actual of the same period plus the value, period by period (the
  province's growth + 2.5 percentage points); it has a value only once the reference has one.
Between two anchors the path is linear or of constant growth (Indicator.trajectory_shape); a
segment ending at an increment target is linear, as a fixed yearly increment is by definition.
Time is measured in years since the baseline (`year_fraction`), so 31 Dec to 31 Dec is exactly one
year, leap or not, and "+20 a year" gives whole numbers at year ends.
"""

import calendar as month_calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import QuerySet
from django.utils.translation import gettext

from luoshi.indicators.models import (
    Comparator,
    ComputedFrom,
    Direction,
    Frequency,
    Indicator,
    IndicatorActual,
    TargetKind,
    TrajectoryShape,
)


@dataclass(frozen=True)
class Observation:
    period_end: dt.date
    value: float


@dataclass(frozen=True)
class TargetFacts:
    id: int
    due_date: dt.date
    kind: TargetKind
    comparator: Comparator
    value: float
    relative_to: int | None = None
    reference: int | None = None
    note: str = ""


@dataclass(frozen=True)
class IndicatorFacts:
    """Everything the trajectory, status and forecast of one indicator are computed from."""

    id: int
    name: str
    unit: str
    direction: Direction = Direction.HIGHER
    frequency: Frequency = Frequency.YEAR
    shape: TrajectoryShape = TrajectoryShape.LINEAR
    tolerance: float = 5.0
    baseline_value: float | None = None
    baseline_date: dt.date | None = None
    targets: tuple[TargetFacts, ...] = ()
    actuals: tuple[Observation, ...] = ()
    reference_actuals: Mapping[int, tuple[Observation, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class ResolvedTarget:
    id: int
    due_date: dt.date
    kind: TargetKind
    comparator: Comparator
    value: float  # as entered: an absolute value, a multiple, percentage points or a yearly increment
    absolute: float | None  # what the indicator must reach by the due date; None if not known yet
    explanation: str


@dataclass(frozen=True)
class PlannedPoint:
    period_end: dt.date
    expected: float | None  # None where a reference indicator has no actual yet
    target_id: int | None = None  # set where a target falls due


# ---- time ------------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; a month's last day stays the month's last day (29 Feb → 28 Feb)."""
    year = day.year + years
    last = month_calendar.monthrange(year, day.month)[1]
    if day.day == month_calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, day.month, last)
    return dt.date(year, day.month, min(day.day, last))


def year_fraction(start: dt.date, end: dt.date) -> float:
    """Years from start to end: whole years by the calendar, plus the share of the next one."""
    if end < start:
        return -year_fraction(end, start)
    whole = end.year - start.year
    while whole > 0 and _add_years(start, whole) > end:
        whole -= 1
    anchor, following = _add_years(start, whole), _add_years(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def period_key(day: dt.date, frequency: str) -> tuple[int, ...]:
    if frequency == Frequency.MONTH:
        return (day.year, day.month)
    if frequency == Frequency.QUARTER:
        return (day.year, (day.month - 1) // 3)
    return (day.year,)


def period_ends(after: dt.date, until: dt.date, frequency: str) -> list[dt.date]:
    """The last days of the periods ending after `after`, up to and including `until`."""
    step = 1 if frequency == Frequency.MONTH else 3 if frequency == Frequency.QUARTER else 12
    ends: list[dt.date] = []
    year, month = after.year, after.month
    month = ((month - 1) // step + 1) * step  # the last month of after's period
    while True:
        end = dt.date(year, month, month_calendar.monthrange(year, month)[1])
        if end > until:
            return ends
        if end > after:
            ends.append(end)
        month += step
        if month > 12:
            year, month = year + 1, month - 12


# ---- targets ---------------------------------------------------------------------------------


def _reference_value(facts: IndicatorFacts, reference: int | None, day: dt.date) -> float | None:
    """The reference indicator's actual in day's period (the latest one, if it reports more often)."""
    if reference is None:
        return None
    key = period_key(day, facts.frequency)
    values = [
        o.value
        for o in facts.reference_actuals.get(reference, ())
        if period_key(o.period_end, facts.frequency) == key
    ]
    return values[-1] if values else None


def resolve_targets(facts: IndicatorFacts) -> list[ResolvedTarget]:
    """Every target as the absolute value the indicator must reach by its due date."""
    by_id = {t.id: t for t in facts.targets}
    resolved: dict[int, tuple[float | None, str]] = {}

    def resolve(target: TargetFacts, seen: frozenset[int]) -> tuple[float | None, str]:
        if target.id in resolved:
            return resolved[target.id]
        baseline, baseline_date = facts.baseline_value, facts.baseline_date
        result: tuple[float | None, str]
        if target.kind == TargetKind.ABSOLUTE:
            result = (target.value, gettext("绝对值"))
        elif target.kind == TargetKind.MULTIPLE and target.relative_to is not None:
            base = by_id.get(target.relative_to)
            if base is None or base.id in seen:
                result = (None, gettext("所相对的目标不存在或循环引用"))
            else:
                base_value, _ = resolve(base, seen | {target.id})
                result = (
                    None if base_value is None else base_value * target.value,
                    gettext("%(due_date)s 目标 %(base)s × %(value)s")
                    % {"due_date": base.due_date, "base": _fmt(base_value), "value": _fmt(target.value)},
                )
        elif target.kind in (TargetKind.MULTIPLE, TargetKind.INCREMENT):
            if baseline is None or baseline_date is None:
                result = (None, gettext("缺少基期值或基期日期"))
            elif target.kind == TargetKind.MULTIPLE:
                result = (
                    baseline * target.value,
                    gettext("基期值 %(baseline)s × %(value)s")
                    % {"baseline": _fmt(baseline), "value": _fmt(target.value)},
                )
            else:
                years = year_fraction(baseline_date, target.due_date)
                result = (
                    baseline + target.value * years,
                    gettext("基期值 %(baseline)s + 每年 %(value)s × %(years)s 年")
                    % {"baseline": _fmt(baseline), "value": _fmt(target.value), "years": _fmt(years)},
                )
        else:
            reference = _reference_value(facts, target.reference, target.due_date)
            result = (
                None if reference is None else reference + target.value,
                gettext("参照指标同期值 %(reference)s + %(value)s 个百分点")
                % {"reference": _fmt(reference), "value": _fmt(target.value)},
            )
        resolved[target.id] = result
        return result

    out = []
    for target in sorted(facts.targets, key=lambda t: (t.due_date, t.id)):
        absolute, explanation = resolve(target, frozenset())
        out.append(
            ResolvedTarget(
                target.id,
                target.due_date,
                target.kind,
                target.comparator,
                target.value,
                absolute,
                explanation,
            )
        )
    return out


def _fmt(value: float | None) -> str:
    """A number as people write it: 1,000,000, 2.5, 0.58."""
    if value is None:
        return gettext("（暂无）")
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


# ---- the path ----------------------------------------------------------------------------------


def _relative_target_for(facts: IndicatorFacts, day: dt.date) -> TargetFacts | None:
    """The relative target whose stretch (after the previous one's due date) holds the day."""
    earlier: dt.date | None = facts.baseline_date
    for target in sorted(
        (t for t in facts.targets if t.kind == TargetKind.RELATIVE), key=lambda t: t.due_date
    ):
        if (earlier is None or day > earlier) and day <= target.due_date:
            return target
        earlier = target.due_date
    return None


def _anchors(
    facts: IndicatorFacts, targets: list[ResolvedTarget]
) -> list[tuple[dt.date, float, TargetKind | None]]:
    if facts.baseline_value is None or facts.baseline_date is None:
        return []
    anchors: list[tuple[dt.date, float, TargetKind | None]] = [
        (facts.baseline_date, facts.baseline_value, None)
    ]
    for target in targets:
        if (
            target.kind != TargetKind.RELATIVE
            and target.absolute is not None
            and target.due_date > anchors[-1][0]
        ):
            anchors.append((target.due_date, target.absolute, target.kind))
    return anchors


def expected_at(
    facts: IndicatorFacts, day: dt.date, targets: list[ResolvedTarget] | None = None
) -> float | None:
    """The value the plan expects on a day; None outside the plan or while a reference is missing."""
    relative = _relative_target_for(facts, day)
    if relative is not None:
        reference = _reference_value(facts, relative.reference, day)
        return None if reference is None else reference + relative.value
    anchors = _anchors(facts, resolve_targets(facts) if targets is None else targets)
    for (start, v0, _), (end, v1, kind) in pairwise(anchors):
        if start <= day <= end:
            origin = anchors[0][0]  # the baseline date
            share = (year_fraction(origin, day) - year_fraction(origin, start)) / (
                year_fraction(origin, end) - year_fraction(origin, start)
            )
            if facts.shape == TrajectoryShape.GROWTH and kind != TargetKind.INCREMENT and v0 > 0 and v1 > 0:
                return v0 * (v1 / v0) ** share  # constant growth; from zero or below it is linear
            return v0 + (v1 - v0) * share
    if anchors and day == anchors[0][0]:
        return anchors[0][1]
    return None


def trajectory(facts: IndicatorFacts) -> list[PlannedPoint]:
    """The expected value at the end of every period from the baseline to the last target, and on
    each target's due date."""
    targets = resolve_targets(facts)
    if not targets:
        return []
    if facts.baseline_date is not None:
        after = facts.baseline_date
    else:  # a relative target alone needs no baseline: start with the reference's first period
        reported = [
            o.period_end
            for t in facts.targets
            if t.reference is not None
            for o in facts.reference_actuals.get(t.reference, ())
        ]
        if not reported:
            return []
        after = min(reported) - dt.timedelta(days=1)
    days = set(period_ends(after, targets[-1].due_date, facts.frequency)) | {t.due_date for t in targets}
    due = {t.due_date: t.id for t in reversed(targets)}
    return [
        PlannedPoint(day, expected_at(facts, day, targets), due.get(day))
        for day in sorted(days)
        if day > after
    ]


# ---- from the database -------------------------------------------------------------------------


def facts_for(indicators: QuerySet[Indicator], *, today: dt.date) -> list[IndicatorFacts]:
    """The facts of every indicator in the queryset, in a fixed number of queries (at most five)."""
    from luoshi.projects.rollups import starts_by_task_and_year

    rows = list(indicators.prefetch_related("targets", "actuals"))
    reference_ids = {
        t.reference_indicator_id for i in rows for t in i.targets.all() if t.reference_indicator_id
    }
    references: dict[int, list[Observation]] = {}
    if reference_ids:
        actuals = IndicatorActual.objects.filter(indicator_id__in=reference_ids).order_by("period_end", "id")
        for indicator_id, period_end, value in actuals.values_list("indicator_id", "period_end", "value"):
            references.setdefault(indicator_id, []).append(Observation(period_end, value))
    computed = [i for i in rows if i.computed_from == ComputedFrom.PROJECT_STARTS and i.task_id]
    starts = starts_by_task_and_year({i.task_id for i in computed if i.task_id}) if computed else {}
    return [
        IndicatorFacts(
            id=i.pk,
            name=i.name,
            unit=i.unit,
            direction=Direction(i.direction),
            frequency=Frequency(i.frequency),
            shape=TrajectoryShape(i.trajectory_shape),
            tolerance=i.tolerance,
            baseline_value=i.baseline_value,
            baseline_date=i.baseline_date,
            targets=tuple(
                TargetFacts(
                    t.pk,
                    t.due_date,
                    TargetKind(t.kind),
                    Comparator(t.comparator),
                    t.value,
                    t.relative_to_target_id,
                    t.reference_indicator_id,
                    t.note,
                )
                for t in i.targets.all()
            ),
            actuals=_computed_actuals(i, starts, today)
            if i in computed
            else tuple(Observation(a.period_end, a.value) for a in i.actuals.all()),
            reference_actuals={
                t.reference_indicator_id: tuple(references.get(t.reference_indicator_id, ()))
                for t in i.targets.all()
                if t.reference_indicator_id
            },
        )
        for i in rows
    ]


def _computed_actuals(
    indicator: Indicator, starts: Mapping[tuple[int, int], int], today: dt.date
) -> tuple[Observation, ...]:
    """Projects started each year under the indicator's task: the years that have ended, and this year to date."""
    assert indicator.task_id is not None, "an indicator computed from project starts has a task"
    years = [year for task_id, year in starts if task_id == indicator.task_id]
    first = indicator.baseline_date.year + 1 if indicator.baseline_date else min(years, default=today.year)
    return tuple(
        Observation(min(dt.date(year, 12, 31), today), float(starts.get((indicator.task_id, year), 0)))
        for year in range(first, today.year + 1)
    )


def facts_of(indicator: Indicator, *, today: dt.date) -> IndicatorFacts:
    """The facts of one indicator."""
    return facts_for(Indicator.objects.filter(pk=indicator.pk), today=today)[0]
