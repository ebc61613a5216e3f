"""Indicator targets resolved to absolute values, the planned path, and the red/yellow/green rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from luoshi.indicators.models import (
    Comparator,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    TargetKind,
    TrajectoryShape,
)
from luoshi.indicators.status import IndicatorLight, indicator_status, light_for, status_by_period
from luoshi.indicators.trajectory import (
    IndicatorFacts,
    Observation,
    TargetFacts,
    expected_at,
    facts_for,
    period_ends,
    resolve_targets,
    trajectory,
    year_fraction,
)
from luoshi.indicators.units import convert, humanize, to_base

D = dt.date
YEAR_ENDS = [D(year, 12, 31) for year in range(2020, 2026)]


def routes(shape=TrajectoryShape.LINEAR) -> IndicatorFacts:
    """内外贸航线: 40 in 2019, double by 2022 (翻一番), double again by 2025 (再翻一番)."""
    return IndicatorFacts(
        id=1,
        name="内外贸航线",
        unit="条",
        shape=shape,
        baseline_value=40,
        baseline_date=D(2019, 12, 31),
        targets=(
            TargetFacts(11, D(2022, 12, 31), TargetKind.MULTIPLE, Comparator.AT_LEAST, 2),
            TargetFacts(12, D(2025, 12, 31), TargetKind.MULTIPLE, Comparator.AT_LEAST, 2, relative_to=11),
        ),
    )


def growth(*actuals: float) -> IndicatorFacts:
    """园区经济增速 at least 2.5 points above the province's (全省增速, indicator 7), year by year."""
    return IndicatorFacts(
        id=2,
        name="园区经济增速",
        unit="%",
        baseline_value=8.0,
        baseline_date=D(2019, 12, 31),
        targets=(
            TargetFacts(21, D(2025, 12, 31), TargetKind.RELATIVE, Comparator.AT_LEAST, 2.5, reference=7),
        ),
        actuals=tuple(Observation(D(2020 + i, 12, 31), v) for i, v in enumerate(actuals)),
        reference_actuals={
            7: (
                Observation(D(2020, 12, 31), 6.0),
                Observation(D(2021, 12, 31), 7.5),
                Observation(D(2022, 12, 31), 5.0),
            )
        },
    )


def test_doubling_and_doubling_again_resolve_from_the_baseline_and_the_first_target():
    first, second = resolve_targets(routes())
    assert first.absolute == 80  # 40 × 2
    assert second.absolute == 160  # 80 × 2
    assert "基期值 40 × 2" in first.explanation and "目标 80 × 2" in second.explanation


def test_a_linear_path_has_an_expected_value_for_every_year():
    points = trajectory(routes())
    assert [p.period_end for p in points] == YEAR_ENDS
    assert [p.expected for p in points] == pytest.approx(
        [53.333, 66.667, 80, 106.667, 133.333, 160], abs=1e-3
    )
    assert [p.target_id for p in points] == [None, None, 11, None, None, 12]


def test_a_constant_growth_path_doubles_in_equal_ratios():
    points = trajectory(routes(TrajectoryShape.GROWTH))
    # 40 · 2^(1/3) = 50.397, 40 · 2^(2/3) = 63.496, then 80 · 2^(1/3), …
    assert [p.expected for p in points] == pytest.approx(
        [50.397, 63.496, 80, 100.794, 126.992, 160], abs=1e-3
    )


def test_a_relative_target_follows_the_province_plus_two_and_a_half_points_period_by_period():
    facts = growth(9.0, 9.6, 6.0)
    assert [p.expected for p in trajectory(facts)] == [8.5, 10.0, 7.5, None, None, None]
    (target,) = resolve_targets(facts)
    assert target.absolute is None and "暂无" in target.explanation  # the province has not reported 2025
    lights = [p.light for p in status_by_period(facts)]
    # 9.0 ≥ 8.5; 9.6 is 4% short of 10.0 (within 5%); 6.0 is 20% short of 7.5
    assert lights == [IndicatorLight.GREEN, IndicatorLight.YELLOW, IndicatorLight.RED]
    assert indicator_status(facts).light == IndicatorLight.RED


def test_a_yearly_increment_adds_its_amount_for_every_year_since_the_baseline():
    facts = IndicatorFacts(
        id=3,
        name="高新技术企业",
        unit="家",
        shape=TrajectoryShape.GROWTH,
        baseline_value=50,
        baseline_date=D(2019, 12, 31),
        targets=(TargetFacts(31, D(2025, 12, 31), TargetKind.INCREMENT, Comparator.AT_LEAST, 20),),
    )
    (target,) = resolve_targets(facts)
    assert target.absolute == 170  # 50 + 20 × 6
    # an increment is linear whatever the indicator's shape: +20 every year
    assert [p.expected for p in trajectory(facts)] == pytest.approx([70, 90, 110, 130, 150, 170])


def test_a_lower_is_better_indicator_falls_short_by_rising_above_its_path():
    facts = IndicatorFacts(
        id=4,
        name="单位工业增加值能耗",
        unit="吨标准煤/万元",
        direction=Direction.LOWER,
        baseline_value=0.60,
        baseline_date=D(2020, 12, 31),
        targets=(TargetFacts(41, D(2025, 12, 31), TargetKind.ABSOLUTE, Comparator.AT_MOST, 0.50),),
    )
    assert expected_at(facts, D(2021, 12, 31)) == pytest.approx(0.58)
    rule = {"direction": Direction.LOWER, "tolerance": 5.0}
    assert light_for(0.57, 0.58, **rule) == IndicatorLight.GREEN
    assert light_for(0.60, 0.58, **rule) == IndicatorLight.YELLOW  # 3.4% above
    assert light_for(0.62, 0.58, **rule) == IndicatorLight.RED  # 6.9% above


def test_the_light_rule_for_more_is_better():
    rule = {"direction": Direction.HIGHER, "tolerance": 5.0}
    assert light_for(100, 100, **rule) == IndicatorLight.GREEN
    assert light_for(95, 100, **rule) == IndicatorLight.YELLOW
    assert light_for(94.9, 100, **rule) == IndicatorLight.RED
    assert light_for(None, 100, **rule) == IndicatorLight.NO_DATA
    assert light_for(-1, 0, **rule) == IndicatorLight.RED


def test_years_are_counted_by_the_calendar_so_year_ends_are_whole_years():
    assert year_fraction(D(2019, 12, 31), D(2022, 12, 31)) == 3
    assert year_fraction(D(2020, 2, 29), D(2021, 2, 28)) == 1  # a month's last day stays the last day
    assert year_fraction(D(2021, 1, 1), D(2021, 7, 2)) == pytest.approx(182 / 365)


def test_periods_end_on_the_last_day_of_each_month_quarter_or_year():
    assert period_ends(D(2025, 5, 15), D(2025, 12, 31), "quarter") == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
    ]
    assert period_ends(D(2025, 1, 31), D(2025, 3, 31), "month") == [D(2025, 2, 28), D(2025, 3, 31)]


def test_units_with_wan_and_yi_convert_exactly():
    assert to_base(3, "亿吨") == (300000000, "吨")
    assert to_base(200, "万标箱") == (2000000, "标箱")
    assert to_base(0.3, "亿元") == (30000000, "元")
    assert convert(2447, "亿元", "万元") == 24470000
    assert humanize(300000000, "吨") == "3亿吨"
    with pytest.raises(ValueError):
        convert(1, "亿吨", "万元")


# ---- from the database -----------------------------------------------------------------------------


def make_indicator(cast, name: str, **kwargs) -> Indicator:
    return Indicator.objects.create(
        plan=cast.plan, owner_unit=cast.jingfa, name=name, unit=kwargs.pop("unit", "%"), **kwargs
    )


def test_the_facts_of_many_indicators_load_in_a_fixed_number_of_queries(cast):
    province = make_indicator(cast, "全省经济增速")
    for year, value in ((2020, 6.0), (2021, 7.5)):
        IndicatorActual.objects.create(indicator=province, period_end=D(year, 12, 31), value=value)
    for i in range(15):
        park = make_indicator(cast, f"园区增速{i}", baseline_value=8, baseline_date=D(2019, 12, 31))
        IndicatorTarget.objects.create(
            indicator=park,
            due_date=D(2025, 12, 31),
            kind=TargetKind.RELATIVE,
            value=2.5,
            reference_indicator=province,
        )
        IndicatorActual.objects.create(indicator=park, period_end=D(2020, 12, 31), value=9.0)
    with CaptureQueriesContext(connection) as queries:
        facts = facts_for(Indicator.objects.exclude(pk=province.pk), today=D(2026, 11, 27))
    assert len(queries) <= 4
    assert len(facts) == 15
    assert expected_at(facts[0], D(2021, 12, 31)) == 10.0


def test_a_relative_target_needs_a_reference_indicator(cast):
    park = make_indicator(cast, "园区增速")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorTarget.objects.create(
            indicator=park, due_date=D(2025, 12, 31), kind=TargetKind.RELATIVE, value=2.5
        )


def test_doubling_again_must_build_on_an_earlier_target_of_the_same_indicator(cast):
    park = make_indicator(cast, "航线", unit="条", baseline_value=40, baseline_date=D(2019, 12, 31))
    later = IndicatorTarget.objects.create(
        indicator=park, due_date=D(2025, 12, 31), kind=TargetKind.MULTIPLE, value=2
    )
    earlier = IndicatorTarget(
        indicator=park, due_date=D(2022, 12, 31), kind=TargetKind.MULTIPLE, value=2, relative_to_target=later
    )
    with pytest.raises(ValidationError) as error:
        earlier.full_clean()
    assert "relative_to_target" in error.value.message_dict


def test_a_doubling_target_needs_a_baseline(cast):
    park = make_indicator(cast, "航线", unit="条")
    target = IndicatorTarget(indicator=park, due_date=D(2022, 12, 31), kind=TargetKind.MULTIPLE, value=2)
    with pytest.raises(ValidationError, match="基期值"):
        target.full_clean()
