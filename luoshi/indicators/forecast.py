"""The forecast: the value each target date will see if the actuals keep their course, and a verdict.

Two fits of value against time (in years): linear, y = a + b·t, and log-linear, ln y = a + b·t
(constant growth), both by ordinary least squares (numpy). The baseline counts as the first point.

Which fit: the smaller AIC, computed for both on the original scale — the log-linear model's
likelihood of the observed y includes its Jacobian, −Σ ln y. Both models have the same number of
parameters (a, b, σ), so this is simply the model under which the observed values are more
likely, and AIC, AICc and BIC would all choose alike. It was preferred to leave-one-out error
because plans report yearly: with 3 to 6 points, leave-one-out refits lines through 2 to 5 points
and its verdict turns on a single point, while the likelihood uses them all. A tie goes to the
linear fit, the more cautious one when extrapolating growth. The log-linear fit needs every value
above zero; otherwise the linear one is used.

The prediction interval is the textbook OLS interval for a new observation (Student's t with
n − 2 degrees of freedom), on the log scale and then exponentiated for the log-linear fit. At
least 3 points are needed. The verdict uses the central 80% interval: will meet when all of it
meets the target, will miss when none of it does, at risk otherwise. 80% rather than 95% because
with few yearly points a 95% interval straddles almost every target and would call everything
"at risk"; 80% is the narrower of the two levels forecasters customarily show.
"""

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from scipy import stats

from luoshi.indicators.models import Comparator, Indicator, TargetKind
from luoshi.indicators.status import IndicatorLight, PeriodStatus, indicator_status, status_by_period
from luoshi.indicators.trajectory import (
    IndicatorFacts,
    Observation,
    PlannedPoint,
    ResolvedTarget,
    facts_for,
    period_key,
    resolve_targets,
    trajectory,
    year_fraction,
)

#: The central share of the prediction interval the verdict is taken from.
INTERVAL = 0.80
#: Fewer points than this give no forecast (an interval needs n − 2 ≥ 1 degrees of freedom).
MIN_POINTS = 3


class Model(models.TextChoices):
    LINEAR = "linear", _("线性")
    LOG_LINEAR = "log_linear", _("对数线性（等比增长）")


class Verdict(models.TextChoices):
    WILL_MEET = "will_meet", _("预计完成")
    AT_RISK = "at_risk", _("存在风险")
    WILL_MISS = "will_miss", _("预计完不成")
    MET = "met", _("已完成")
    MISSED = "missed", _("未完成")
    UNKNOWN = "unknown", _("数据不足")

    @property
    def light(self) -> IndicatorLight:
        return {
            Verdict.WILL_MEET: IndicatorLight.GREEN,
            Verdict.MET: IndicatorLight.GREEN,
            Verdict.AT_RISK: IndicatorLight.YELLOW,
            Verdict.WILL_MISS: IndicatorLight.RED,
            Verdict.MISSED: IndicatorLight.RED,
        }.get(self, IndicatorLight.NO_DATA)


@dataclass(frozen=True)
class Fit:
    model: Model
    intercept: float
    slope: float  # per year; on the log scale for the log-linear fit
    n: int
    sse: float  # on the fitted scale
    t_mean: float
    sxx: float
    aic: float  # on the original scale, comparable between the two models

    def predict(self, t: float, level: float = INTERVAL) -> tuple[float, float, float]:
        """Point forecast and the central `level` prediction interval at time t (years)."""
        point = self.intercept + self.slope * t
        s = math.sqrt(self.sse / (self.n - 2))
        half = (
            float(stats.t.ppf((1 + level) / 2, self.n - 2))
            * s
            * math.sqrt(1 + 1 / self.n + (t - self.t_mean) ** 2 / self.sxx)
        )
        if self.model == Model.LOG_LINEAR:
            return math.exp(point), math.exp(point - half), math.exp(point + half)
        return point, point - half, point + half


def fit_series(model: Model, points: list[tuple[float, float]]) -> Fit:
    """One model fitted by least squares to (years, value) points."""
    t = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    v = np.log(y) if model == Model.LOG_LINEAR else y
    slope, intercept = np.polyfit(t, v, 1)
    sse = float(np.sum((v - (intercept + slope * t)) ** 2))
    n = len(t)
    variance = max(sse / n, 1e-12 * (1 + float(np.mean(v**2))))  # a perfect fit must not divide by zero
    log_likelihood = -n / 2 * (math.log(2 * math.pi * variance) + 1)
    if model == Model.LOG_LINEAR:
        log_likelihood -= float(np.sum(np.log(y)))  # the Jacobian: the likelihood of y, not of ln y
    return Fit(
        model,
        float(intercept),
        float(slope),
        n,
        sse,
        float(np.mean(t)),
        float(np.sum((t - np.mean(t)) ** 2)),
        2 * 3 - 2 * log_likelihood,
    )


def best_fit(points: list[tuple[float, float]]) -> Fit | None:
    """The better of the linear and log-linear fits by AIC (see the module note); None with too few points."""
    if len(points) < MIN_POINTS:
        return None
    if len({t for t, _ in points}) < 2:
        return None
    fits = [fit_series(Model.LINEAR, points)]
    if all(value > 0 for _, value in points):
        fits.append(fit_series(Model.LOG_LINEAR, points))
    return min(fits, key=lambda fit: fit.aic)  # min keeps the first, linear, on a tie


@dataclass(frozen=True)
class TargetForecast:
    target_id: int
    due_date: dt.date
    comparator: Comparator
    target_value: float | None  # the absolute value; for a relative target, the percentage points above
    measured: str  # "level", or "gap" for a relative target: the indicator minus its reference
    value: float | None  # the forecast, or the actual once the due period is reported
    low: float | None
    high: float | None
    model: Model | None
    verdict: Verdict
    reason: str

    @property
    def light(self) -> IndicatorLight:
        return self.verdict.light


def _meets(value: float, target: float, comparator: str, tolerance: float) -> bool:
    if comparator == Comparator.AT_LEAST:
        return value >= target - 1e-9 * max(1.0, abs(target))
    if comparator == Comparator.AT_MOST:
        return value <= target + 1e-9 * max(1.0, abs(target))
    return abs(value - target) <= abs(target) * tolerance / 100


def _verdict(low: float, high: float, target: float, comparator: str, tolerance: float) -> Verdict:
    if comparator == Comparator.ABOUT:
        band = abs(target) * tolerance / 100
        if target - band <= low and high <= target + band:
            return Verdict.WILL_MEET
        return Verdict.WILL_MISS if high < target - band or low > target + band else Verdict.AT_RISK
    if _meets(low, target, comparator, tolerance) and _meets(high, target, comparator, tolerance):
        return Verdict.WILL_MEET
    if not _meets(low, target, comparator, tolerance) and not _meets(high, target, comparator, tolerance):
        return Verdict.WILL_MISS
    return Verdict.AT_RISK


def _series(facts: IndicatorFacts, target: ResolvedTarget) -> tuple[list[Observation], str]:
    """The points a target is forecast from: the level (with the baseline first), or for a relative
    target the gap between the indicator and its reference, period by period."""
    if target.kind == TargetKind.RELATIVE:
        reference = next(t.reference for t in facts.targets if t.id == target.id)
        theirs = {
            period_key(o.period_end, facts.frequency): o.value
            for o in (facts.reference_actuals.get(reference, ()) if reference is not None else ())
        }
        gaps = [
            Observation(o.period_end, o.value - theirs[key])
            for o in facts.actuals
            if (key := period_key(o.period_end, facts.frequency)) in theirs
        ]
        return gaps, "gap"
    return _levels(facts), "level"


def _levels(facts: IndicatorFacts) -> list[Observation]:
    """The indicator's own values, the baseline first."""
    points = list(facts.actuals)
    if (
        facts.baseline_value is not None
        and facts.baseline_date is not None
        and all(o.period_end != facts.baseline_date for o in points)
    ):
        points.insert(0, Observation(facts.baseline_date, facts.baseline_value))
    return sorted(points, key=lambda o: o.period_end)


def level_forecast(facts: IndicatorFacts, day: dt.date) -> float | None:
    """The indicator's own value expected on `day` (its reported value once that period is in), whatever
    its target measures: for a relative target, what the indicator itself will be, beside its margin."""
    points = _levels(facts)
    key = period_key(day, facts.frequency)
    reported = [o for o in points if period_key(o.period_end, facts.frequency) == key]
    if reported:
        return reported[-1].value
    if not points:
        return None
    origin = points[0].period_end
    fit = best_fit([(year_fraction(origin, o.period_end), o.value) for o in points])
    return None if fit is None else fit.predict(year_fraction(origin, day))[0]


def forecast_target(facts: IndicatorFacts, target: ResolvedTarget) -> TargetForecast:
    """The value expected at the target's due date, and whether the target will be met."""
    points, measured = _series(facts, target)
    goal = target.value if target.kind == TargetKind.RELATIVE else target.absolute

    def result(verdict: Verdict, reason: str, value=None, low=None, high=None, model=None) -> TargetForecast:
        return TargetForecast(
            target.id,
            target.due_date,
            target.comparator,
            goal,
            measured,
            value,
            low,
            high,
            model,
            verdict,
            reason,
        )

    if goal is None:
        return result(
            Verdict.UNKNOWN,
            gettext("目标值尚不能确定：%(explanation)s") % {"explanation": target.explanation},
        )
    key = period_key(target.due_date, facts.frequency)
    reported = [o for o in points if period_key(o.period_end, facts.frequency) == key]
    if reported:
        value = reported[-1].value
        if _meets(value, goal, target.comparator, facts.tolerance):
            return result(Verdict.MET, gettext("目标期已有实际值"), value, value, value)
        if reported[-1].period_end >= target.due_date:
            return result(Verdict.MISSED, gettext("目标期已有实际值"), value, value, value)
        # a count to date within the due period that has not reached the target yet: forecast it
    if not points:
        return result(Verdict.UNKNOWN, gettext("尚无实际值"))
    origin = points[0].period_end
    fit = best_fit([(year_fraction(origin, o.period_end), o.value) for o in points])
    if fit is None:
        return result(Verdict.UNKNOWN, gettext("实际值不足 %(n)s 期，暂不预测") % {"n": MIN_POINTS})
    value, low, high = fit.predict(year_fraction(origin, target.due_date))
    verdict = _verdict(low, high, goal, target.comparator, facts.tolerance)
    reason = gettext("%(model)s拟合 %(n)s 期，%(interval)s 预测区间") % {
        "model": fit.model.label,
        "n": fit.n,
        "interval": f"{INTERVAL:.0%}",
    }
    return result(verdict, reason, value, low, high, fit.model)


def forecast(facts: IndicatorFacts) -> list[TargetForecast]:
    """Every target's forecast and verdict."""
    return [forecast_target(facts, target) for target in resolve_targets(facts)]


@dataclass(frozen=True)
class IndicatorFigures:
    """Every computed figure of one indicator, as the pages, the API and `luoshi indicator` show it."""

    id: int
    name: str
    unit: str
    direction: str
    targets: list[ResolvedTarget]
    trajectory: list[PlannedPoint]
    periods: list[PeriodStatus]
    status: PeriodStatus | None
    forecasts: list[TargetForecast]


def indicator_figures(facts: IndicatorFacts) -> IndicatorFigures:
    return IndicatorFigures(
        id=facts.id,
        name=facts.name,
        unit=facts.unit,
        direction=facts.direction,
        targets=resolve_targets(facts),
        trajectory=trajectory(facts),
        periods=status_by_period(facts),
        status=indicator_status(facts),
        forecasts=forecast(facts),
    )


def figures_for(indicators: QuerySet[Indicator], *, today: dt.date) -> list[IndicatorFigures]:
    """The figures of every indicator in the queryset, in the queries of `facts_for` (at most five):
    what `luoshi indicator --format json` prints and the API serves."""
    return [indicator_figures(facts) for facts in facts_for(indicators, today=today)]
