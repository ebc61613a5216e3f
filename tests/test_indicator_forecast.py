"""Forecasts: the value expected at each target date from the actuals, and the verdict it gives."""

import datetime as dt

import pytest

from luoshi.indicators.forecast import (
    INTERVAL,
    Model,
    Verdict,
    best_fit,
    fit_series,
    forecast,
    indicator_figures,
    level_forecast,
)
from luoshi.indicators.models import Comparator, Direction, TargetKind
from luoshi.indicators.status import IndicatorLight
from luoshi.indicators.trajectory import IndicatorFacts, Observation, TargetFacts

D = dt.date


def containers(*actuals: float) -> IndicatorFacts:
    """集装箱吞吐量 (万标箱): 100 in 2020, at least 200 by 2025; actuals from 2021 on."""
    return IndicatorFacts(
        id=1,
        name="集装箱吞吐量",
        unit="万标箱",
        baseline_value=100,
        baseline_date=D(2020, 12, 31),
        targets=(TargetFacts(11, D(2025, 12, 31), TargetKind.ABSOLUTE, Comparator.AT_LEAST, 200),),
        actuals=tuple(Observation(D(2021 + i, 12, 31), v) for i, v in enumerate(actuals)),
    )


def test_a_target_turns_from_green_to_red_when_the_actuals_fall():
    # 100, 125, 150: a straight line, +25 a year, reaches 225 by 2025
    (rising,) = forecast(containers(125, 150))
    assert rising.model == Model.LINEAR
    assert rising.value == pytest.approx(225)
    assert rising.verdict == Verdict.WILL_MEET and rising.light == IndicatorLight.GREEN

    # then 110 and 90: nothing near 200 is left in the forecast's range
    (falling,) = forecast(containers(125, 150, 110, 90))
    assert falling.verdict == Verdict.WILL_MISS and falling.light == IndicatorLight.RED
    assert falling.high < 200


def test_the_falling_series_worked_by_hand():
    points = list(enumerate([100, 125, 150, 110, 90]))
    linear = fit_series(Model.LINEAR, points)
    # slope = Σ(t−2)(y−115) / Σ(t−2)² = −35 / 10 = −3.5; at t = 5: 115 − 3.5 × 3 = 104.5
    # SSE = 22² + 6.5² + 35² + 1.5² + 18² = 2077.5, s = √(2077.5 / 3) = 26.32
    # half width = t(0.90; 3) × s × √(1 + 1/5 + 9/10) = 1.638 × 26.32 × 1.449 = 62.45
    value, low, high = linear.predict(5)
    assert value == pytest.approx(104.5)
    assert (low, high) == pytest.approx((104.5 - 62.45, 104.5 + 62.45), abs=0.02)
    # the log-linear fit explains these values a little better (AIC 49.8 against 50.3) and is chosen
    assert best_fit(points).model == Model.LOG_LINEAR
    assert best_fit(points).aic == pytest.approx(49.82, abs=0.01)
    assert linear.aic == pytest.approx(50.34, abs=0.01)


def test_steady_growth_is_forecast_by_the_log_linear_fit_and_steady_increase_by_the_linear_one():
    assert best_fit(list(enumerate([100, 111, 120, 134, 146]))).model == Model.LOG_LINEAR
    assert best_fit(list(enumerate([100, 110, 120, 130, 141]))).model == Model.LINEAR
    assert best_fit(list(enumerate([-2, 1, 3]))).model == Model.LINEAR  # no logarithm of a negative value


def test_the_prediction_interval_widens_the_further_ahead_it_looks():
    fit = best_fit(list(enumerate([100, 111, 120, 134, 146])))
    near, far = fit.predict(5), fit.predict(10)
    assert near[1] < near[0] < near[2]
    assert far[2] - far[1] > near[2] - near[1]
    assert INTERVAL == 0.80


def test_an_uncertain_forecast_is_at_risk():
    (result,) = forecast(containers(118, 150, 160))  # points straddle a path to 200 by 2025
    assert result.low < 200 < result.high
    assert result.verdict == Verdict.AT_RISK and result.light == IndicatorLight.YELLOW


def test_with_fewer_than_three_points_there_is_no_forecast():
    (result,) = forecast(containers(125))
    assert result.verdict == Verdict.UNKNOWN and "不足 3 期" in result.reason
    assert result.light == IndicatorLight.NO_DATA


def test_a_target_whose_period_is_reported_is_met_or_missed_by_the_actual():
    (met,) = forecast(containers(125, 150, 170, 190, 205))
    assert met.verdict == Verdict.MET and met.value == 205
    (missed,) = forecast(containers(125, 150, 170, 190, 199))
    assert missed.verdict == Verdict.MISSED


def test_a_lower_is_better_target_is_forecast_against_its_ceiling():
    facts = IndicatorFacts(
        id=4,
        name="单位工业增加值能耗",
        unit="吨标准煤/万元",
        direction=Direction.LOWER,
        baseline_value=0.60,
        baseline_date=D(2020, 12, 31),
        targets=(TargetFacts(41, D(2025, 12, 31), TargetKind.ABSOLUTE, Comparator.AT_MOST, 0.50),),
        actuals=(Observation(D(2021, 12, 31), 0.585), Observation(D(2022, 12, 31), 0.57)),
    )
    (result,) = forecast(facts)  # −0.015 a year reaches only 0.525 by 2025
    assert result.value == pytest.approx(0.525, abs=1e-3)
    assert result.verdict == Verdict.WILL_MISS


def test_a_province_plus_two_and_a_half_points_target_is_forecast_on_the_gap():
    facts = IndicatorFacts(
        id=2,
        name="园区经济增速",
        unit="%",
        baseline_value=8.0,
        baseline_date=D(2019, 12, 31),
        targets=(
            TargetFacts(21, D(2025, 12, 31), TargetKind.RELATIVE, Comparator.AT_LEAST, 2.5, reference=7),
        ),
        actuals=(
            Observation(D(2020, 12, 31), 9.0),
            Observation(D(2021, 12, 31), 9.6),
            Observation(D(2022, 12, 31), 6.0),
        ),
        reference_actuals={
            7: (
                Observation(D(2020, 12, 31), 6.0),
                Observation(D(2021, 12, 31), 7.5),
                Observation(D(2022, 12, 31), 5.0),
            )
        },
    )
    (result,) = forecast(facts)
    # gaps 3.0, 2.1, 1.0 points: a line falling 1.0 a year, at 2025 (five years on) 2.033 − 4 = −1.97
    assert result.measured == "gap" and result.target_value == 2.5
    assert result.value == pytest.approx(-1.967, abs=1e-3)
    assert result.verdict == Verdict.WILL_MISS


def test_all_figures_of_an_indicator_come_together():
    figures = indicator_figures(containers(125, 150, 110, 90))
    assert figures.status.light == IndicatorLight.RED  # 90 against 180 expected in 2024
    assert figures.targets[0].absolute == 200
    assert figures.forecasts[0].verdict == Verdict.WILL_MISS
    assert len(figures.trajectory) == 5


def test_a_relative_target_also_forecasts_the_indicator_itself():
    facts = IndicatorFacts(
        id=2,
        name="园区经济增速",
        unit="%",
        baseline_value=8.0,
        baseline_date=D(2019, 12, 31),
        targets=(
            TargetFacts(21, D(2025, 12, 31), TargetKind.RELATIVE, Comparator.AT_LEAST, 2.5, reference=7),
        ),
        actuals=(
            Observation(D(2020, 12, 31), 9.0),
            Observation(D(2021, 12, 31), 10.0),
            Observation(D(2022, 12, 31), 11.0),
        ),
        reference_actuals={
            7: (
                Observation(D(2020, 12, 31), 6.0),
                Observation(D(2021, 12, 31), 7.0),
                Observation(D(2022, 12, 31), 8.0),
            )
        },
    )
    (result,) = forecast(facts)
    assert result.measured == "gap" and result.value == pytest.approx(
        3.0, abs=1e-3
    )  # the margin holds at 3 points
    assert level_forecast(facts, D(2025, 12, 31)) == pytest.approx(
        14.0, abs=0.02
    )  # its own level, a point a year
    assert level_forecast(facts, D(2021, 12, 31)) == 10.0  # a reported period is its actual
