"""The ledger's daily and monthly sums by unit (`UnitDayPoints`, `UnitMonthPoints`: what the unit rankings read) always equal the sums of the
entries, whatever was posted: random steps, reports (back-dated, withdrawn), moved deadlines, new lead units,
rule changes, beaten and no longer beaten indicator targets, postings as of any day, a deleted task; and
the ranking read from them is the one the ledger gives, for any period."""

import datetime as dt
import random

import pytest
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import Rank, TruncMonth

from luoshi.indicators.models import Comparator, Indicator, IndicatorActual, IndicatorTarget
from luoshi.plans.models import Plan, Task
from luoshi.scoring.actions import ZERO, Score, post_scores, score_ledger, scores_by_unit
from luoshi.scoring.models import ScoreEntry, ScoringRule, UnitDayPoints, UnitMonthPoints
from tests.test_scoring_incremental import FIRST_DAY, Office


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


d = dt.date


def summed_ledger(by=None) -> set[tuple]:
    """The ledger's sums by plan, unit and day (or by `by`: TruncMonth for months)."""
    rows = (
        ScoreEntry.objects.annotate(period=by or F("occurred_on"))
        .values("plan_id", "unit_id", "period")
        .annotate(
            total=Sum("points"),
            gained=Sum("points", filter=Q(points__gt=0), default=ZERO),
            lost=Sum("points", filter=Q(points__lt=0), default=ZERO),
            n=Count("id"),
        )
        .order_by()
    )
    return {
        (r["plan_id"], r["unit_id"], r["period"], r["total"], r["gained"], r["lost"], r["n"]) for r in rows
    }


def day_points() -> set[tuple]:
    return set(
        UnitDayPoints.objects.values_list("plan_id", "unit_id", "day", "points", "gained", "lost", "entries")
    )


def summed_months() -> set[tuple]:
    return summed_ledger(TruncMonth("occurred_on"))


def month_points() -> set[tuple]:
    return set(
        UnitMonthPoints.objects.values_list(
            "plan_id", "unit_id", "month", "points", "gained", "lost", "entries"
        )
    )


def ranking_from_ledger(start, end, **kwargs) -> list:
    """The ranking as SQL gives it from the entries themselves (the reference: a window function)."""
    rows = (
        score_ledger(start, end, **kwargs)
        .values("unit_id", "unit__name")
        .annotate(
            total=Sum("points"),
            gained=Sum("points", filter=Q(points__gt=0), default=ZERO),
            lost=Sum("points", filter=Q(points__lt=0), default=ZERO),
            n=Count("id"),
            rank=Window(Rank(), order_by=Sum("points").desc()),
        )
        .order_by("rank", "unit_id")
    )
    return [
        Score(r["unit_id"], r["unit__name"], r["total"], r["gained"], r["lost"], r["n"], r["rank"])
        for r in rows
    ]


class Measured(Office):
    """The office, with an indicator whose actuals beat its target now and then."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.indicator = Indicator.objects.create(
            plan=self.plan, name="港口吞吐量", unit="万吨", owner_unit=self.rng.choice(self.units)
        )
        IndicatorTarget.objects.create(
            indicator=self.indicator, due_date=d(2027, 3, 31), comparator=Comparator.AT_LEAST, value=100
        )

    def measure(self) -> None:
        IndicatorActual.objects.update_or_create(
            indicator=self.indicator,
            period_end=self.day - dt.timedelta(days=self.rng.randint(0, 40)),
            defaults={"value": self.rng.randint(90, 130)},
        )

    def withdraw_actual(self) -> None:
        actuals = list(IndicatorActual.objects.filter(indicator=self.indicator).order_by("pk"))
        actual = self.rng.choice(actuals) if actuals else None
        if actual:
            actual.delete()


@pytest.mark.parametrize("seed", range(6))
def test_the_daily_sums_equal_the_ledger_after_random_postings(cast, frozen_today, seed):
    rng = random.Random(seed)
    plan = Plan.objects.create(
        title="随机方案", period_start=d(2026, 8, 1), period_end=d(2027, 3, 31), owner_unit=cast.committee
    )
    ScoringRule.objects.create(plan=plan, report_every_days=5)
    frozen_today(FIRST_DAY)
    office = Measured(cast, plan, rng, frozen_today)
    changes = (
        [office.step] * 6
        + [office.report] * 6
        + [office.measure] * 4
        + [
            office.withdraw_actual,
            office.withdraw_report,
            office.move_deadline,
            office.hand_over,
            office.split,
            office.back_to_draft,
            office.change_rule,
            office.next_day,
            office.next_day,
            office.next_day,
        ]
    )
    postings, beaten = 0, False
    for _ in range(60):
        rng.choice(changes)()
        if rng.random() < 0.3:
            until = office.posting_day()
            post_scores(plan, until)
            postings += 1
            assert day_points() == summed_ledger(), f"seed {seed}, posting {postings} as of {until}"
            assert month_points() == summed_months(), f"seed {seed}, posting {postings} as of {until}"
            beaten |= ScoreEntry.objects.filter(plan=plan, reason="target_exceeded").exists()
            day = office.day
            for start, end in (
                (plan.period_start, day),
                (day.replace(day=1), day),
                (day - dt.timedelta(days=rng.randint(1, 30)), day - dt.timedelta(days=rng.randint(0, 5))),
                (day, day + dt.timedelta(days=10)),
                (plan.period_start, day.replace(day=1) - dt.timedelta(days=1)),  # whole months only
                (day - dt.timedelta(days=75), day.replace(day=1) - dt.timedelta(days=1)),  # cut, whole, cut
            ):
                assert scores_by_unit(start, end, plan=plan) == ranking_from_ledger(start, end, plan=plan)
                some = [rng.choice(office.units).pk]
                assert scores_by_unit(start, end, unit_ids=some) == ranking_from_ledger(
                    start, end, unit_ids=some
                )
    assert postings >= 5 and UnitDayPoints.objects.filter(plan=plan).exists()
    assert beaten, "a target was beaten at some posting"


def test_a_deleted_task_takes_its_points_out_and_a_deleted_plan_its_sums(cast, frozen_today):
    rng = random.Random(1)
    plans = []
    for title in ("甲方案", "乙方案"):
        plan = Plan.objects.create(
            title=title, period_start=d(2026, 8, 1), period_end=d(2027, 3, 31), owner_unit=cast.committee
        )
        ScoringRule.objects.create(plan=plan, report_every_days=5)
        frozen_today(FIRST_DAY)
        office = Office(cast, plan, rng, frozen_today)
        for _ in range(20):
            rng.choice([office.step, office.report, office.next_day])()
        post_scores(plan, office.day + dt.timedelta(days=30))
        plans.append(plan)
    scored = Task.objects.filter(plan=plans[0], score_entries__isnull=False).distinct().first()
    assert scored is not None
    scored.delete()  # an undone import may delete a task that scored
    assert day_points() == summed_ledger()
    assert month_points() == summed_months()
    gone = plans[0].pk
    plans[0].delete()
    assert not UnitDayPoints.objects.filter(plan_id=gone).exists()
    assert not UnitMonthPoints.objects.filter(plan_id=gone).exists()
    assert day_points() == summed_ledger() != set()
    assert month_points() == summed_months() != set()
