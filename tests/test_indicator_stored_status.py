"""The stored light of each indicator always equals its light computed from the facts, whatever is
changed, by whichever path; and the cockpit counts from it in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from luoshi.cockpit.figures import indicator_overview
from luoshi.indicators.actions import record_actual
from luoshi.indicators.models import (
    ComputedFrom,
    Direction,
    Indicator,
    IndicatorActual,
    IndicatorStatus,
    IndicatorTarget,
    TargetKind,
    TrajectoryShape,
)
from luoshi.indicators.status import IndicatorLight, indicator_status
from luoshi.indicators.trajectory import facts_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


PERIODS = [
    dt.date(2024, 12, 31),
    dt.date(2025, 6, 30),
    dt.date(2025, 12, 31),
    dt.date(2026, 6, 30),
    dt.date(2026, 9, 30),
]
DUE = [dt.date(2025, 12, 31), dt.date(2026, 12, 31), dt.date(2027, 12, 31)]


def recomputed() -> dict[int, tuple]:
    """Every indicator's light from scratch, as the indicator pages compute it."""
    out = {}
    for facts in facts_for(
        Indicator.objects.exclude(computed_from=ComputedFrom.PROJECT_STARTS), today=dt.date.today()
    ):
        status = indicator_status(facts)
        if status is not None:
            out[facts.id] = (
                status.light,
                status.period_end,
                status.actual,
                status.expected,
                status.shortfall,
            )
    return out


def stored() -> dict[int, tuple]:
    return {
        s.indicator_id: (s.light, s.period_end, s.actual, s.expected, s.shortfall)
        for s in IndicatorStatus.objects.all()
    }


def make_indicators(cast) -> list[Indicator]:
    """Three indicators; the third can be given a target relative to the second."""
    return [
        Indicator.objects.create(
            plan=cast.plan,
            name=f"指标{i}",
            unit="吨",
            owner_unit=cast.caizheng,
            baseline_value=100.0,
            baseline_date=dt.date(2023, 12, 31),
        )
        for i in range(3)
    ]


values = st.floats(min_value=-50, max_value=400, allow_nan=False, allow_infinity=False)
steps = st.one_of(
    st.tuples(st.just("actual"), st.integers(0, 2), st.sampled_from(PERIODS), values),
    st.tuples(st.just("delete actual"), st.integers(0, 2), st.sampled_from(PERIODS)),
    st.tuples(
        st.just("target"),
        st.integers(0, 2),
        st.sampled_from(DUE),
        st.sampled_from([TargetKind.ABSOLUTE, TargetKind.MULTIPLE, TargetKind.INCREMENT]),
        values,
    ),
    st.tuples(st.just("relative target"), st.sampled_from(DUE), st.floats(-5, 5)),
    st.tuples(st.just("edit target"), st.integers(0, 2), values),
    st.tuples(st.just("delete target"), st.integers(0, 2)),
    st.tuples(
        st.just("edit indicator"),
        st.integers(0, 2),
        st.sampled_from(["baseline", "tolerance", "direction", "shape"]),
        values,
    ),
)


def apply(step: tuple, indicators: list[Indicator], cast) -> None:
    kind, *args = step
    if kind == "actual":
        index, period, value = args
        record_actual(cast.supervisor, indicators[index], period_end=period, value=value)
    elif kind == "delete actual":
        IndicatorActual.objects.filter(indicator=indicators[args[0]], period_end=args[1]).delete()
    elif kind == "target":
        index, due, target_kind, value = args
        IndicatorTarget.objects.create(
            indicator=indicators[index],
            due_date=due,
            kind=target_kind,
            value=abs(value) / 100 + 1 if target_kind == TargetKind.MULTIPLE else value,
        )
    elif kind == "relative target":
        due, points = args
        IndicatorTarget.objects.create(
            indicator=indicators[2],
            due_date=due,
            kind=TargetKind.RELATIVE,
            value=points,
            reference_indicator=indicators[1],
        )
    elif kind == "edit target":
        target = IndicatorTarget.objects.filter(indicator=indicators[args[0]]).order_by("pk").first()
        if target is not None:
            target.value = args[1] if target.kind != TargetKind.MULTIPLE else abs(args[1]) / 100 + 1
            target.save()
    elif kind == "delete target":
        target = IndicatorTarget.objects.filter(indicator=indicators[args[0]]).order_by("-pk").first()
        if target is not None:
            target.delete()
    else:
        index, field, value = args
        indicator = Indicator.objects.get(pk=indicators[index].pk)
        if field == "baseline":
            indicator.baseline_value = value
        elif field == "tolerance":
            indicator.tolerance = abs(value) / 10
        elif field == "direction":
            indicator.direction = (
                Direction.LOWER if indicator.direction == Direction.HIGHER else Direction.HIGHER
            )
        else:
            indicator.trajectory_shape = (
                TrajectoryShape.GROWTH
                if indicator.trajectory_shape == TrajectoryShape.LINEAR
                else TrajectoryShape.LINEAR
            )
        indicator.save()


@pytest.mark.django_db(transaction=False)
@given(steps=st.lists(steps, min_size=1, max_size=12))
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_stored_light_equals_a_recomputation_after_any_sequence_of_changes(cast, steps):
    with transaction.atomic():
        indicators = make_indicators(cast)
        for step in steps:
            apply(step, indicators, cast)
            assert stored() == recomputed(), step
        transaction.set_rollback(True)


def test_an_actual_of_a_reference_indicator_moves_the_light_of_those_compared_with_it(cast):
    province, park = make_indicators(cast)[:2]
    IndicatorTarget.objects.create(
        indicator=park,
        due_date=dt.date(2026, 12, 31),
        kind=TargetKind.RELATIVE,
        value=2.0,
        reference_indicator=province,
    )
    record_actual(cast.supervisor, park, period_end=dt.date(2026, 9, 30), value=7.0)
    assert (
        IndicatorStatus.objects.get(indicator=park).light == IndicatorLight.NO_DATA
    )  # nothing to compare with
    record_actual(cast.supervisor, province, period_end=dt.date(2026, 9, 30), value=5.0)
    assert IndicatorStatus.objects.get(indicator=park).light == IndicatorLight.GREEN  # 7 ≥ 5 + 2
    record_actual(cast.supervisor, province, period_end=dt.date(2026, 9, 30), value=6.0)
    assert IndicatorStatus.objects.get(indicator=park).light == IndicatorLight.RED  # 7 < 8 by 12.5%
    assert stored() == recomputed()


def test_deleting_an_indicator_or_its_plan_takes_its_stored_light_with_it(cast):
    first, second, _ = make_indicators(cast)
    for indicator in (first, second):
        IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2026, 12, 31), value=200)
        record_actual(cast.supervisor, indicator, period_end=dt.date(2025, 12, 31), value=150)
    first.delete()
    assert set(stored()) == {second.pk}
    cast.plan.delete()
    assert stored() == {}


def test_the_cockpit_counts_indicators_in_the_same_queries_however_many_there_are(cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            overview = indicator_overview(cast.supervisor, cast.plan, dt.date(2026, 11, 27), 9)
        assert overview.total == Indicator.objects.count()
        return len(captured)

    def add(n: int) -> None:
        for i in range(n):
            indicator = Indicator.objects.create(
                plan=cast.plan,
                name=f"新增{i}",
                unit="吨",
                owner_unit=cast.caizheng,
                baseline_value=100.0,
                baseline_date=dt.date(2023, 12, 31),
            )
            IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2027, 12, 31), value=200 + i)
            record_actual(cast.supervisor, indicator, period_end=dt.date(2025, 12, 31), value=120 + 10 * i)

    add(3)
    few = queries()
    add(12)
    assert queries() == few


def test_the_cockpit_shows_the_worst_indicators_and_counts_as_the_figures_say(cast):
    indicators = make_indicators(cast) + make_indicators(cast)
    for i, indicator in enumerate(indicators):
        IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2027, 12, 31), value=200)
        if i:  # the first has no actual
            record_actual(cast.supervisor, indicator, period_end=dt.date(2025, 12, 31), value=90 + 15 * i)
    overview = indicator_overview(cast.supervisor, cast.plan, dt.date(2026, 11, 27), 3)
    lights = {
        f.id: (indicator_status(f).light if indicator_status(f) else IndicatorLight.NO_DATA)
        for f in facts_for(Indicator.objects.all(), today=dt.date(2026, 11, 27))
    }
    assert overview.counts == {
        light: sum(1 for v in lights.values() if v == light) for light in IndicatorLight
    }
    order = [IndicatorLight.RED, IndicatorLight.YELLOW, IndicatorLight.NO_DATA, IndicatorLight.GREEN]
    expected = sorted(lights, key=lambda pk: (order.index(lights[pk]), pk))[:3]
    assert [fig.id for fig, _ in overview.worst] == expected
