"""Red/yellow/green of an indicator (红黄绿灯): its actual against the planned path (序时轨迹).

The one rule: on or beyond the path, in the indicator's good direction, is green; short of it by
no more than the indicator's tolerance (a percentage of the expected value) is yellow; further
short is red. Lower-is-better indicators fall short by being above the path.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.indicators.models import Direction
from luoshi.indicators.trajectory import IndicatorFacts, expected_at, resolve_targets


class IndicatorLight(models.TextChoices):
    GREEN = "green", _("达到序时")
    YELLOW = "yellow", _("略低于序时")
    RED = "red", _("明显落后")
    NO_DATA = "no_data", _("暂无数据")


@dataclass(frozen=True)
class PeriodStatus:
    period_end: dt.date
    actual: float
    expected: float | None
    shortfall: float | None  # percent of the expected value the actual falls short by; ≤ 0 is on track
    light: IndicatorLight


def _short(actual: float, expected: float, direction: str) -> float:
    """How far short of the expected value the actual is, in its units; negative when ahead."""
    short = expected - actual if direction == Direction.HIGHER else actual - expected
    return 0.0 if abs(short) <= 1e-9 * max(1.0, abs(expected)) else short


def shortfall_percent(actual: float, expected: float, direction: str) -> float | None:
    """The shortfall in percent of the expected value; None when the expected value is 0."""
    short = _short(actual, expected, direction)
    if short == 0:
        return 0.0
    return None if expected == 0 else 100.0 * short / abs(expected)


def light_for(
    actual: float | None, expected: float | None, *, direction: str, tolerance: float
) -> IndicatorLight:
    """The light of one value against the path: the one rule in this module's docstring."""
    if actual is None or expected is None:
        return IndicatorLight.NO_DATA
    if _short(actual, expected, direction) <= 0:
        return IndicatorLight.GREEN
    percent = shortfall_percent(actual, expected, direction)
    return IndicatorLight.YELLOW if percent is not None and percent <= tolerance else IndicatorLight.RED


def status_by_period(facts: IndicatorFacts) -> list[PeriodStatus]:
    """Each actual against the path at its period's end."""
    targets = resolve_targets(facts)
    out = []
    for actual in facts.actuals:
        expected = expected_at(facts, actual.period_end, targets)
        out.append(
            PeriodStatus(
                actual.period_end,
                actual.value,
                expected,
                None if expected is None else shortfall_percent(actual.value, expected, facts.direction),
                light_for(actual.value, expected, direction=facts.direction, tolerance=facts.tolerance),
            )
        )
    return out


def indicator_status(facts: IndicatorFacts) -> PeriodStatus | None:
    """The indicator's light now: its latest actual that the plan has an expectation for; None
    without any actual."""
    periods = status_by_period(facts)
    judged = [p for p in periods if p.light != IndicatorLight.NO_DATA]
    return (judged or periods)[-1] if periods else None
