"""Dynamic scoring (动态增量计分): every point posted from a stored fact, once, with its reason and source;
rankings by unit and by person for a period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.indicators.models import Comparator, Indicator, IndicatorActual, IndicatorTarget, TargetKind
from luoshi.plans import actions
from luoshi.plans.models import Plan, Task, TaskKind, TaskStatus, TaskTransition
from luoshi.progress.actions import report_progress
from luoshi.scoring.actions import post_scores, score_ledger, scores_by_person, scores_by_unit
from luoshi.scoring.models import ScoreEntry, ScoreReason, ScoringRule
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


d = dt.date
FRIDAY_20_NOVEMBER = d(2026, 11, 20)


@pytest.fixture
def plan(cast) -> Plan:
    return Plan.objects.create(
        title="年度攻坚方案",
        period_start=d(2026, 11, 1),
        period_end=d(2026, 12, 31),
        owner_unit=cast.committee,
    )


def new_task(
    cast, plan, title="形成专门请示", *, unit=None, owner=None, deadline=FRIDAY_20_NOVEMBER, **kwargs
) -> Task:
    task = make_task(
        plan,
        title,
        unit or cast.caizheng,
        status=TaskStatus.ASSIGNED,
        start=d(2026, 11, 2),
        deadline=deadline,
        **kwargs,
    )
    task.owner = owner or cast.caizheng_staff
    task.save()
    return task


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("佐证.pdf", b"%PDF-1.4", content_type="application/pdf")


class Desk:
    """The people of one unit working a task through the workflow on given days."""

    def __init__(self, manager, staff, frozen_today) -> None:
        self.manager, self.staff, self.on = manager, staff, frozen_today

    def fresh(self, task: Task) -> Task:
        return Task.objects.get(pk=task.pk)

    def acknowledge(self, task: Task, day: dt.date) -> None:
        self.on(day)
        actions.acknowledge_task(self.manager, self.fresh(task))

    def report(self, task: Task, day: dt.date, percent: int = 50) -> None:
        self.on(day)
        report_progress(self.staff, self.fresh(task), percent=percent, narrative="进展", files=[evidence()])

    def hand_in(self, task: Task, day: dt.date) -> None:
        self.on(day)
        actions.request_closing(self.manager, self.fresh(task), "已完成")


@pytest.fixture
def caizheng(cast, frozen_today) -> Desk:
    return Desk(cast.caizheng_manager, cast.caizheng_staff, frozen_today)


@pytest.fixture
def jingfa(cast, frozen_today) -> Desk:
    return Desk(cast.jingfa_manager, cast.jingfa_staff, frozen_today)


def ledger(plan: Plan) -> list[tuple[str, str, Decimal, dt.date]]:
    return [(e.reason, e.unit.name, e.points, e.occurred_on) for e in ScoreEntry.objects.filter(plan=plan)]


def test_closing_early_earns_the_on_time_points_and_a_bonus_per_working_day_early(
    cast, plan, caizheng, frozen_today
):
    task = new_task(cast, plan)
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    caizheng.hand_in(task, d(2026, 11, 16))  # Monday; the deadline is Friday: 4 working days early
    frozen_today(d(2026, 11, 18))
    actions.sign_off(cast.supervisor, Task.objects.get(pk=task.pk))

    post_scores(plan, until=d(2026, 11, 30))
    assert ledger(plan) == [
        (ScoreReason.ON_TIME, "财政局", Decimal("5.00"), d(2026, 11, 18)),
        (ScoreReason.EARLY, "财政局", Decimal("2.00"), d(2026, 11, 18)),
    ]
    closing = TaskTransition.objects.get(task=task, to_status=TaskStatus.CLOSED)
    assert {e.source for e in ScoreEntry.objects.all()} == {closing}
    assert ScoreEntry.objects.get(reason=ScoreReason.EARLY).note == "提前 4 个工作日申请办结"
    assert set(ScoreEntry.objects.values_list("person__username", flat=True)) == {"caizheng_staff"}


def test_the_early_bonus_stops_at_its_cap(cast, plan, caizheng, frozen_today):
    task = new_task(cast, plan, deadline=d(2026, 12, 31))
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    caizheng.hand_in(task, d(2026, 11, 3))
    frozen_today(d(2026, 11, 4))
    actions.sign_off(cast.supervisor, Task.objects.get(pk=task.pk))
    post_scores(plan, until=d(2026, 11, 30))
    assert ScoreEntry.objects.get(reason=ScoreReason.EARLY).points == Decimal("5.00")


def test_each_working_day_late_costs_the_configured_points_until_the_work_is_handed_in(
    cast, plan, caizheng, frozen_today
):
    ScoringRule.objects.create(plan=plan, overdue_points_per_day=Decimal("2"), report_every_days=20)
    task = new_task(cast, plan)
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    caizheng.hand_in(task, d(2026, 11, 27))  # five working days after Friday's deadline
    frozen_today(d(2026, 12, 1))
    actions.sign_off(cast.supervisor, Task.objects.get(pk=task.pk))

    post_scores(plan, until=d(2026, 12, 10))
    late = ScoreEntry.objects.filter(reason=ScoreReason.OVERDUE_DAY)
    assert [e.occurred_on for e in late] == [
        d(2026, 11, 23),
        d(2026, 11, 24),
        d(2026, 11, 25),
        d(2026, 11, 26),
        d(2026, 11, 27),
    ]
    assert {e.points for e in late} == {Decimal("-2.00")}
    assert late.first().note == "逾期第 1 个工作日（完成时限 2026-11-20）"
    assert not ScoreEntry.objects.filter(reason=ScoreReason.ON_TIME).exists()


def test_a_returned_closing_costs_points_and_points_at_the_return_step(cast, plan, caizheng, frozen_today):
    task = new_task(cast, plan)
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    caizheng.hand_in(task, d(2026, 11, 10))
    frozen_today(d(2026, 11, 11))
    actions.return_task(cast.supervisor, Task.objects.get(pk=task.pk), "佐证材料不全")

    post_scores(plan, until=d(2026, 11, 12))
    entry = ScoreEntry.objects.get(reason=ScoreReason.RETURNED)
    assert (entry.points, entry.occurred_on, entry.note) == (
        Decimal("-2.00"),
        d(2026, 11, 11),
        "办结申请被退回：佐证材料不全",
    )
    assert entry.source == TaskTransition.objects.get(task=task, to_status=TaskStatus.RETURNED)


def test_a_missed_report_is_scored_on_the_same_rhythm_the_reminders_use(cast, plan, caizheng):
    ScoringRule.objects.create(plan=plan, report_every_days=5)
    task = new_task(cast, plan, deadline=d(2026, 12, 31))
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 16))  # on the mark day itself: in time

    post_scores(plan, until=d(2026, 11, 25))
    missed = ScoreEntry.objects.filter(reason=ScoreReason.MISSED_REPORT)
    # 2 Nov + 5 working days = 9 Nov (missed); 16 Nov reported; 16 Nov + 5 = 23 Nov (missed).
    assert [e.occurred_on for e in missed] == [d(2026, 11, 9), d(2026, 11, 23)]
    assert {e.points for e in missed} == {Decimal("-1.00")}
    assert {e.source for e in missed} == {task}


def test_a_task_split_into_drafts_still_owes_its_own_reports(cast, plan, caizheng):
    ScoringRule.objects.create(plan=plan, report_every_days=5)
    task = new_task(cast, plan, deadline=d(2026, 12, 31))
    caizheng.acknowledge(task, d(2026, 11, 2))
    caizheng.report(task, d(2026, 11, 2))
    Task.objects.create(
        plan=plan,
        parent=task,
        title="草拟的分解任务",
        lead_unit=task.lead_unit,
        start_date=task.start_date,
        deadline=task.deadline,
    )  # a draft: the work is still the parent's
    post_scores(plan, until=d(2026, 11, 10))
    assert [e.occurred_on for e in ScoreEntry.objects.filter(reason=ScoreReason.MISSED_REPORT)] == [
        d(2026, 11, 9)
    ]


def test_posting_again_adds_nothing_and_a_moved_deadline_withdraws_what_no_longer_holds(cast, plan, caizheng):
    ScoringRule.objects.create(plan=plan, report_every_days=30)
    task = new_task(cast, plan)
    caizheng.acknowledge(task, d(2026, 11, 2))
    first = post_scores(plan, until=d(2026, 11, 25))
    assert (first.added, first.removed) == (3, 0)  # 23, 24, 25 November late
    again = post_scores(plan, until=d(2026, 11, 25))
    assert (again.added, again.removed) == (0, 0)

    Task.objects.filter(pk=task.pk).update(deadline=d(2026, 11, 24))  # the office extends the deadline
    moved = post_scores(plan, until=d(2026, 11, 25))
    assert (moved.added, moved.removed) == (0, 2)
    assert [e.occurred_on for e in ScoreEntry.objects.all()] == [d(2026, 11, 25)]


def test_drafts_areas_and_tasks_imported_as_done_never_score(cast, plan):
    make_task(
        plan,
        "草稿任务",
        cast.caizheng,
        status=TaskStatus.DRAFT,
        start=d(2026, 11, 2),
        deadline=d(2026, 11, 5),
    )
    make_task(
        plan,
        "导入时已办结",
        cast.caizheng,
        status=TaskStatus.CLOSED,
        start=d(2026, 11, 2),
        deadline=d(2026, 11, 5),
    )  # no record of when it was handed in: neither late nor on time
    make_task(
        plan, "港口转型升级", cast.office, kind=TaskKind.AREA, start=d(2026, 11, 2), deadline=d(2026, 11, 5)
    )
    assert post_scores(plan, until=d(2026, 11, 30)).added == 0


def test_a_target_beaten_earns_the_indicator_owner_unit_a_bonus(cast, plan):
    task = new_task(cast, plan, deadline=d(2026, 12, 31))
    throughput = Indicator.objects.create(
        plan=plan, name="港口吞吐量", unit="万吨", owner_unit=cast.jingfa, task=task
    )
    IndicatorTarget.objects.create(
        indicator=throughput, due_date=d(2026, 12, 31), comparator=Comparator.AT_LEAST, value=30000
    )
    actual = IndicatorActual.objects.create(indicator=throughput, period_end=d(2026, 10, 31), value=32000)
    post_scores(plan, until=d(2026, 11, 1))
    entry = ScoreEntry.objects.get(reason=ScoreReason.TARGET_EXCEEDED)
    assert (entry.unit, entry.points, entry.occurred_on, entry.source) == (
        cast.jingfa,
        Decimal("3.00"),
        d(2026, 10, 31),
        actual,
    )
    assert entry.note == "港口吞吐量 实际 32000万吨，超过目标 30000万吨"


def test_rankings_sum_the_ledger_by_unit_and_by_person_within_the_period(
    cast, plan, caizheng, jingfa, frozen_today
):
    ScoringRule.objects.create(plan=plan, report_every_days=30)
    early = new_task(cast, plan, "拿出承接方案", unit=cast.jingfa, owner=cast.jingfa_staff)
    late = new_task(cast, plan)
    jingfa.acknowledge(early, d(2026, 11, 2))
    jingfa.report(early, d(2026, 11, 2))
    jingfa.hand_in(early, d(2026, 11, 19))
    frozen_today(d(2026, 11, 19))
    actions.sign_off(cast.supervisor, Task.objects.get(pk=early.pk))
    caizheng.acknowledge(late, d(2026, 11, 2))
    post_scores(plan, until=d(2026, 12, 4))  # 财政局 late from 23 Nov to 4 Dec: 10 working days

    november = scores_by_unit(d(2026, 11, 1), d(2026, 11, 30), plan=plan)
    assert [(s.name, s.total, s.gained, s.lost, s.entries, s.rank) for s in november] == [
        ("经发局", Decimal("5.50"), Decimal("5.50"), Decimal("0"), 2, 1),
        ("财政局", Decimal("-6.00"), Decimal("0"), Decimal("-6.00"), 6, 2),
    ]
    december = scores_by_unit(d(2026, 12, 1), d(2026, 12, 31))
    assert [(s.name, s.total) for s in december] == [("财政局", Decimal("-4.00"))]
    people = scores_by_person(d(2026, 11, 1), d(2026, 12, 31), plan=plan)
    assert [(s.name, s.total, s.rank) for s in people] == [
        ("经发局陈科员", Decimal("5.50"), 1),
        ("财政局刘科员", Decimal("-10.00"), 2),
    ]
    why = score_ledger(d(2026, 11, 1), d(2026, 11, 30), unit_ids=[cast.jingfa.pk])
    assert [e.note for e in why] == ["在完成时限内办结", "提前 1 个工作日申请办结"]


def test_units_with_equal_scores_share_a_rank(cast, plan, caizheng, jingfa):
    ScoringRule.objects.create(plan=plan, report_every_days=30)
    for desk, unit, owner in (
        (caizheng, cast.caizheng, cast.caizheng_staff),
        (jingfa, cast.jingfa, cast.jingfa_staff),
    ):
        task = new_task(cast, plan, unit=unit, owner=owner)
        desk.acknowledge(task, d(2026, 11, 2))
    post_scores(plan, until=d(2026, 11, 24))
    assert [s.rank for s in scores_by_unit(d(2026, 11, 1), d(2026, 11, 30))] == [1, 1]


def test_a_doubling_target_is_judged_against_twice_the_baseline(cast, plan):
    routes = Indicator.objects.create(
        plan=plan,
        name="内外贸航线",
        unit="条",
        owner_unit=cast.jingfa,
        baseline_value=20,
        baseline_date=d(2024, 12, 31),
    )
    IndicatorTarget.objects.create(
        indicator=routes,
        due_date=d(2026, 12, 31),
        kind=TargetKind.MULTIPLE,
        comparator=Comparator.AT_LEAST,
        value=2,
    )
    IndicatorActual.objects.create(indicator=routes, period_end=d(2026, 6, 30), value=39)  # not yet 40
    post_scores(plan, until=d(2026, 7, 1))
    assert not ScoreEntry.objects.filter(reason=ScoreReason.TARGET_EXCEEDED).exists()
    IndicatorActual.objects.create(indicator=routes, period_end=d(2026, 9, 30), value=41)
    post_scores(plan, until=d(2026, 10, 1))
    entry = ScoreEntry.objects.get(reason=ScoreReason.TARGET_EXCEEDED)
    assert entry.note == "内外贸航线 实际 41条，超过目标 40条"
