"""The days each task's backward schedule turns behind and late, kept per task (plans.schedule_days),
give the verdict `health.finding_for` gives on every day, and follow the facts they read."""

import datetime as dt
import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.plans import actions
from luoshi.plans.health import finding_for, healths_of
from luoshi.plans.lights import light_counts
from luoshi.plans.models import Milestone, ScheduleDays, Task
from luoshi.plans.rollup import progress_of_plan, rebuild_rollups
from luoshi.plans.schedule_days import refresh_all_schedule_days
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.backward import ScheduleVerdict, planned_milestones_of
from luoshi.schedule.notice import parse_notices
from tests.browser.scene import make_scene
from tests.test_light_counts import python_counts
from tests.test_query_counts import grow


def kept_verdict(days: ScheduleDays, day: dt.date) -> ScheduleVerdict:
    if days.late_from is not None and day >= days.late_from:
        return ScheduleVerdict.LATE
    if days.behind_from is not None and day >= days.behind_from:
        return ScheduleVerdict.BEHIND
    return ScheduleVerdict.ON_TRACK


def varied_milestones(plan, seed: int) -> None:
    """Milestones of every shape on some of the plan's tasks: chains, parallel work, done early and late."""
    rng = random.Random(seed)
    tasks = list(Task.objects.filter(plan=plan).order_by("id"))
    for task in rng.sample(tasks, min(25, len(tasks))):
        previous = None
        for j in range(rng.randint(1, 4)):
            done = rng.random() < 0.3
            milestone = Milestone.objects.create(
                task=task,
                title=f"节点{j}",
                due_date=task.deadline,
                duration_days=rng.choice([1, 5, 20, 60, 200]),
                completed_on=task.start_date + dt.timedelta(days=rng.randint(0, 700)) if done else None,
            )
            if previous is not None and rng.random() < 0.6:
                milestone.depends_on.add(previous)
            previous = milestone


def assert_kept_days_give_every_days_verdict(plan) -> None:
    """For every task with milestones, on every day from its kept `holds_from` up to its deadline
    (a week apart, and around each kept day), the kept verdict is the computed one."""
    tasks = {t.pk: t for t in Task.objects.filter(plan=plan)}
    planned = planned_milestones_of(tasks)
    kept = {d.task_id: d for d in ScheduleDays.objects.filter(task__plan=plan)}
    assert kept.keys() == planned.keys()
    checked = 0
    for pk, milestones in planned.items():
        days, deadline = kept[pk], tasks[pk].deadline
        first = max(days.holds_from, dt.date(2023, 1, 1))
        around = [
            d + dt.timedelta(days=k) for d in (days.behind_from, days.late_from) if d for k in (-1, 0, 1)
        ]
        probe = [first + dt.timedelta(days=7 * k) for k in range((deadline - first).days // 7 + 1)]
        for day in {*probe, *around, deadline}:
            if not days.holds_from <= day <= deadline:
                continue
            finding = finding_for(milestones, deadline, day)
            expected = finding.verdict if finding else ScheduleVerdict.ON_TRACK
            assert kept_verdict(days, day) == expected, (pk, day)
            checked += 1
    assert checked > 100


def test_kept_days_give_the_verdict_of_every_day(cast):
    make_scene(cast)
    grow(cast, 1, measures=16)
    varied_milestones(cast.plan, seed=1)
    refresh_all_schedule_days()
    verdicts = {
        kept_verdict(d, day)
        for d in ScheduleDays.objects.all()
        for day in (dt.date(2026, 3, 16), dt.date(2026, 11, 27), dt.date(2027, 6, 1))
    }
    assert verdicts == set(ScheduleVerdict)  # the plan has all three on those days
    assert_kept_days_give_every_days_verdict(cast.plan)


def test_lights_counted_from_the_kept_days_equal_the_lights_of_every_task(cast):
    make_scene(cast)
    grow(cast, 1, measures=16)
    grow(cast, 2, measures=40)
    varied_milestones(cast.plan, seed=2)
    rebuild_rollups(Task.objects.filter(plan=cast.plan))  # grow writes around the actions
    refresh_all_schedule_days()
    tasks = list(Task.objects.filter(plan=cast.plan))
    for day in [dt.date(2026, 11, 27), dt.date(2026, 3, 16), dt.date(2027, 1, 4), dt.date(2027, 9, 30)]:
        with CaptureQueriesContext(connection) as queries:
            counted = light_counts(Task.objects.filter(plan=cast.plan), day)
        total, by_unit = python_counts(tasks, day)
        assert (counted.total, counted.by_unit) == (total, by_unit), day
        # every schedule was read from the kept days: the calendar number and the count, nothing lit again
        assert len(queries) == 2, day


def test_a_new_deadline_moves_the_kept_days(cast):
    make_scene(cast)
    refresh_all_schedule_days()
    task = Task.objects.get(pk=cast.measure.pk)
    before = ScheduleDays.objects.get(task=task)
    actions.update_task(
        cast.supervisor, task, expected_version=task.version, changes={"deadline": dt.date(2027, 1, 15)}
    )
    after = ScheduleDays.objects.get(task=task)
    assert (after.behind_from, after.late_from) != (before.behind_from, before.late_from)
    assert_kept_days_give_every_days_verdict(cast.plan)
    day = dt.date(2026, 12, 1)  # 40 working days of milestones left, 32 to the new deadline
    health = healths_of([task], progress_of_plan(cast.plan.pk), day)[task.pk]
    assert health.schedule == kept_verdict(after, day) != ScheduleVerdict.ON_TRACK


def test_a_holiday_notice_moves_the_kept_days(cast):
    make_scene(cast)
    varied_milestones(cast.plan, seed=3)
    refresh_all_schedule_days()
    before = dict(ScheduleDays.objects.values_list("task_id", "behind_from"))
    enter_holiday_year(  # a whole working month off in 2027 pushes every schedule back
        None, parse_notices("年份,2027\n放假,春节,2027-02-01,2027-02-28\n")[0]
    )
    after = dict(ScheduleDays.objects.values_list("task_id", "behind_from"))
    assert before != after
    assert_kept_days_give_every_days_verdict(cast.plan)
