"""The score ledger posted incrementally equals the ledger posted from scratch, whatever happened between
postings: steps, back-dated and withdrawn reports, moved deadlines, new units and owners, tasks split or
turned back into drafts, a changed rule, and postings as of any day (a past month, today, a later day)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from luoshi.plans.models import Plan, Task, TaskStatus, TaskTransition
from luoshi.progress.models import ProgressReport
from luoshi.scoring.actions import expected_postings, post_scores
from luoshi.scoring.models import ScoredTask, ScoreEntry, ScoringRule
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


d = dt.date
FIRST_DAY = d(2026, 9, 1)

#: Where a task may go from each status, as the workflow allows it.
NEXT = {
    TaskStatus.ASSIGNED: [TaskStatus.ACKNOWLEDGED],
    TaskStatus.ACKNOWLEDGED: [TaskStatus.IN_PROGRESS, TaskStatus.CLOSING_REQUESTED],
    TaskStatus.IN_PROGRESS: [TaskStatus.CLOSING_REQUESTED],
    TaskStatus.CLOSING_REQUESTED: [TaskStatus.CLOSED, TaskStatus.RETURNED],
    TaskStatus.RETURNED: [TaskStatus.CLOSING_REQUESTED, TaskStatus.IN_PROGRESS],
    TaskStatus.CLOSED: [],
    TaskStatus.DRAFT: [TaskStatus.ASSIGNED],
}


def row(entry: ScoreEntry) -> tuple:
    return (
        entry.key,
        entry.reason,
        entry.points,
        entry.occurred_on,
        entry.note,
        entry.unit_id,
        entry.person_id,
        entry.task_id,
        entry.source_type_id,
        entry.source_id,
    )


class FromScratch:
    """The ledger as posting every entry from scratch keeps it: after posting as of a day, the entries up to
    that day are exactly the expected ones (those already stored keep their points); later ones stay."""

    def __init__(self, plan: Plan) -> None:
        self.plan, self.entries = plan, {}

    def post(self, until: dt.date) -> None:
        expected = {p.key: p for p in expected_postings(self.plan, until)}
        for key in [k for k, entry in self.entries.items() if entry[3] <= until and k not in expected]:
            del self.entries[key]
        for key, p in expected.items():
            if key not in self.entries:
                self.entries[key] = (
                    key,
                    p.reason,
                    p.points,
                    p.occurred_on,
                    p.note[:300],
                    p.unit_id,
                    p.person_id,
                    p.task_id,
                    ContentType.objects.get_for_model(p.source_type).pk,
                    p.source_id,
                )


class Office:
    """Random facts about a small plan, one day after another."""

    def __init__(self, cast, plan: Plan, rng: random.Random, frozen_today) -> None:
        self.cast, self.plan, self.rng, self.on = cast, plan, rng, frozen_today
        self.day = FIRST_DAY
        self.units = [cast.caizheng, cast.jingfa, cast.xuanchuan]
        self.people = [cast.caizheng_staff, cast.jingfa_staff, None]
        self.tasks = [self.new_task() for _ in range(5)]

    def new_task(self, parent: Task | None = None, status: str = TaskStatus.ASSIGNED) -> Task:
        start = self.day + dt.timedelta(days=self.rng.randint(-10, 5))
        task = make_task(
            self.plan,
            f"任务{Task.objects.count() + 1}",
            self.rng.choice(self.units),
            parent,
            status=status,
            start=start,
            deadline=start + dt.timedelta(days=self.rng.randint(3, 40)),
        )
        task.owner = self.rng.choice(self.people)
        task.save()
        return task

    def some_task(self) -> Task:
        return Task.objects.get(pk=self.rng.choice(self.tasks).pk)

    def step(self) -> None:
        task = self.some_task()
        if not NEXT[task.status]:
            return
        to = self.rng.choice(NEXT[task.status])
        at = timezone.make_aware(dt.datetime.combine(self.day, dt.time(self.rng.randint(8, 18), 0)))
        TaskTransition.objects.create(
            task=task,
            from_status=task.status,
            to_status=to,
            actor=self.cast.supervisor,
            at=at,
            note=self.rng.choice(["佐证不全", "已完成", ""]),
        )
        task.status = to
        task.closed_at = at if to == TaskStatus.CLOSED else None
        task.save()

    def report(self) -> None:
        task = self.some_task()
        unit = task.lead_unit if self.rng.random() < 0.8 else self.rng.choice(self.units)
        ProgressReport.objects.create(
            task=task,
            unit=unit,
            author=self.cast.caizheng_staff,
            percent=50,
            narrative="进展",
            reported_on=self.day - dt.timedelta(days=self.rng.randint(0, 25)),
        )

    def withdraw_report(self) -> None:
        reports = list(ProgressReport.objects.filter(task__plan=self.plan).order_by("pk"))
        report = self.rng.choice(reports) if reports else None
        if report:
            report.delete()

    def move_deadline(self) -> None:
        task = self.some_task()
        moved = task.deadline + dt.timedelta(days=self.rng.randint(-15, 15))
        task.deadline = max(moved, task.start_date or moved)  # never before the start
        task.save()

    def hand_over(self) -> None:
        task = self.some_task()
        task.lead_unit, task.owner = self.rng.choice(self.units), self.rng.choice(self.people)
        task.save()

    def split(self) -> None:
        self.tasks.append(
            self.new_task(self.some_task(), self.rng.choice([TaskStatus.DRAFT, TaskStatus.ASSIGNED]))
        )

    def back_to_draft(self) -> None:
        Task.objects.filter(pk=self.some_task().pk).update(status=TaskStatus.DRAFT)

    def change_rule(self) -> None:
        rule, _ = ScoringRule.objects.get_or_create(plan=self.plan)
        rule.report_every_days = self.rng.choice([3, 5, 10])
        rule.overdue_points_per_day = Decimal(self.rng.choice(["1", "2"]))
        rule.save()

    def next_day(self) -> None:
        self.day += dt.timedelta(days=self.rng.randint(1, 6))
        self.on(self.day)

    def posting_day(self) -> dt.date:
        """Today, the end of last month, an earlier day, or a day ahead."""
        last_month = self.day.replace(day=1) - dt.timedelta(days=1)
        return self.rng.choice(
            [
                self.day,
                self.day,
                last_month,
                self.day - dt.timedelta(days=self.rng.randint(1, 20)),
                self.day + dt.timedelta(days=self.rng.randint(1, 10)),
            ]
        )


@pytest.mark.parametrize("seed", range(8))
def test_the_incremental_ledger_equals_the_ledger_posted_from_scratch(cast, frozen_today, seed):
    rng = random.Random(seed)
    plan = Plan.objects.create(
        title="随机方案", period_start=d(2026, 8, 1), period_end=d(2027, 3, 31), owner_unit=cast.committee
    )
    ScoringRule.objects.create(plan=plan, report_every_days=5)
    frozen_today(FIRST_DAY)
    office = Office(cast, plan, rng, frozen_today)
    scratch = FromScratch(plan)
    changes = (
        [office.step] * 6
        + [office.report] * 6
        + [
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
    postings = 0
    for _ in range(60):
        rng.choice(changes)()
        if rng.random() < 0.3:
            until = office.posting_day()
            post_scores(plan, until)
            scratch.post(until)
            postings += 1
            assert sorted(row(e) for e in ScoreEntry.objects.filter(plan=plan)) == sorted(
                scratch.entries.values()
            ), f"seed {seed}, posting {postings} as of {until}"
    assert postings >= 5 and ScoreEntry.objects.filter(plan=plan).exists()


def test_posting_again_computes_nothing_and_a_later_day_only_the_new_late_days(
    cast, frozen_today, django_assert_max_num_queries
):
    plan = Plan.objects.create(
        title="年度攻坚方案",
        period_start=d(2026, 11, 1),
        period_end=d(2026, 12, 31),
        owner_unit=cast.committee,
    )
    ScoringRule.objects.create(plan=plan, report_every_days=30)
    tasks = [
        make_task(
            plan,
            f"任务{i}",
            cast.caizheng,
            status=TaskStatus.IN_PROGRESS,
            start=d(2026, 11, 2),
            deadline=d(2026, 11, 20),
        )
        for i in range(30)
    ]
    first = post_scores(plan, until=d(2026, 11, 30))
    assert (first.added, first.removed) == (30 * 6, 0)  # 23–27 and 30 November, each task

    entries = ScoreEntry.objects.filter(plan=plan)
    posted_at = set(entries.values_list("posted_at", flat=True))
    frozen_today(d(2026, 12, 3))
    later = post_scores(plan, until=d(2026, 12, 2))
    assert (later.added, later.removed) == (30 * 2, 0)
    assert (
        set(entries.filter(occurred_on__lte=d(2026, 11, 30)).values_list("posted_at", flat=True)) == posted_at
    )
    assert (
        entries.get(task=tasks[0], occurred_on=d(2026, 12, 2)).note
        == "逾期第 8 个工作日（完成时限 2026-11-20）"
    )

    with django_assert_max_num_queries(16):  # nothing changed: the tasks are read, none is computed again
        again = post_scores(plan, until=d(2026, 11, 30))
    assert (again.added, again.removed) == (0, 0)
    assert set(ScoredTask.objects.filter(plan=plan).values_list("through", flat=True)) == {d(2026, 12, 2)}
    assert entries.count() == 30 * 8


def test_last_months_posting_after_todays_leaves_out_a_step_taken_since(cast, frozen_today):
    """Handed in late on 25 November, returned on 2 December: posted as of 4 December the task is late
    through 4 December; posted again as of 30 November it was late only until it was handed in."""
    plan = Plan.objects.create(
        title="年度攻坚方案",
        period_start=d(2026, 11, 1),
        period_end=d(2026, 12, 31),
        owner_unit=cast.committee,
    )
    ScoringRule.objects.create(plan=plan, report_every_days=30)
    task = make_task(
        plan,
        "形成专门请示",
        cast.caizheng,
        status=TaskStatus.CLOSING_REQUESTED,
        start=d(2026, 11, 2),
        deadline=d(2026, 11, 20),
    )
    noon = dt.time(12, 0)
    TaskTransition.objects.create(
        task=task,
        from_status=TaskStatus.IN_PROGRESS,
        to_status=TaskStatus.CLOSING_REQUESTED,
        actor=cast.caizheng_manager,
        at=timezone.make_aware(dt.datetime.combine(d(2026, 11, 25), noon)),
    )
    TaskTransition.objects.create(
        task=task,
        from_status=TaskStatus.CLOSING_REQUESTED,
        to_status=TaskStatus.RETURNED,
        actor=cast.supervisor,
        note="佐证不全",
        at=timezone.make_aware(dt.datetime.combine(d(2026, 12, 2), noon)),
    )
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.RETURNED)
    late = ScoreEntry.objects.filter(plan=plan, reason="overdue_day")

    post_scores(plan, until=d(2026, 12, 4))
    assert late.filter(occurred_on__lte=d(2026, 11, 30)).count() == 6  # 23 November to 30 November
    post_scores(plan, until=d(2026, 11, 30))
    assert [e.occurred_on for e in late.filter(occurred_on__lte=d(2026, 11, 30))] == [
        d(2026, 11, 23),
        d(2026, 11, 24),
        d(2026, 11, 25),
    ]


def test_last_months_posting_after_todays_computes_nothing_for_tasks_that_only_reported_since(
    cast, frozen_today, django_assert_max_num_queries
):
    """A bulletin of last month posts as of its last day after the daily scan posted through today: a report
    dated since changes none of last month's entries, so such a task is left as posted (and stays posted
    through today); the ledger is still the one posting from scratch keeps."""
    plan = Plan.objects.create(
        title="年度攻坚方案",
        period_start=d(2026, 10, 1),
        period_end=d(2026, 12, 31),
        owner_unit=cast.committee,
    )
    ScoringRule.objects.create(plan=plan, report_every_days=5)
    tasks = [
        make_task(
            plan,
            f"任务{i}",
            cast.caizheng,
            status=TaskStatus.IN_PROGRESS,
            start=d(2026, 10, 8),
            deadline=d(2026, 11, 20),
        )
        for i in range(20)
    ]
    for task in tasks:
        for day in (d(2026, 11, 3), d(2026, 12, 2)):  # one in November, one since
            ProgressReport.objects.create(
                task=task,
                unit=cast.caizheng,
                author=cast.caizheng_staff,
                reported_on=day,
                percent=50,
                narrative="进展",
            )
    frozen_today(d(2026, 12, 4))
    scratch = FromScratch(plan)
    post_scores(plan, until=d(2026, 12, 4))
    scratch.post(d(2026, 12, 4))
    with django_assert_max_num_queries(16):  # the tasks are read, none is computed again
        again = post_scores(plan, until=d(2026, 11, 30))
    scratch.post(d(2026, 11, 30))
    assert (again.added, again.removed) == (0, 0)
    assert sorted(row(e) for e in ScoreEntry.objects.filter(plan=plan)) == sorted(scratch.entries.values())
    assert set(ScoredTask.objects.filter(plan=plan).values_list("through", flat=True)) == {d(2026, 12, 4)}
    assert ScoreEntry.objects.filter(
        plan=plan, reason="missed_report", occurred_on__lte=d(2026, 11, 30)
    ).exists()


def test_the_posting_after_the_one_that_created_the_rule_computes_nothing_again(
    cast, frozen_today, django_assert_max_num_queries
):
    """The first posting creates the plan's rule with its defaults (5); the next reads it back (5.00): the
    same rule, so no task is computed again (a province's first draft recomputed every task)."""
    plan = Plan.objects.create(
        title="年度攻坚方案",
        period_start=d(2026, 11, 1),
        period_end=d(2026, 12, 31),
        owner_unit=cast.committee,
    )
    for i in range(5):
        make_task(plan, f"任务{i}", cast.caizheng, start=d(2026, 11, 2), deadline=d(2026, 11, 20))
    assert not ScoringRule.objects.filter(plan=plan).exists()
    post_scores(plan, until=d(2026, 11, 30))
    with django_assert_max_num_queries(16):
        again = post_scores(plan, until=d(2026, 11, 30))
    assert (again.added, again.removed) == (0, 0)
