"""The backward schedule feeds the task light: it can make a light worse, never better.

Worked by hand on the 2025 calendar around National Day (1–8 October off; Sunday 28 September
and Saturday 11 October are working days). The task is due Friday 17 October; its milestones run
in a chain: 起草请示 (5 days) → 征求意见 (4) → 报送省财政厅 (2). Backwards from the 17th:
报送 16–17 Oct; 征求意见 11, 13, 14, 15 Oct; 起草 28, 29, 30 Sep, 9, 10 Oct.
"""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.plans.health import Light, expected_progress, schedule_verdicts, task_health
from luoshi.plans.models import Milestone, Task, TaskStatus
from luoshi.schedule.backward import ScheduleVerdict, schedule_task
from tests.cast import make_task

D = dt.date
START, DEADLINE = D(2025, 9, 1), D(2025, 10, 17)


def health(
    progress: float,
    today: dt.date,
    schedule: ScheduleVerdict | None = None,
    status: str = TaskStatus.IN_PROGRESS,
    deadline: dt.date = DEADLINE,
):
    return task_health(
        status=status, start=START, deadline=deadline, progress=progress, today=today, schedule=schedule
    )


def make_request_task(cast, title: str = "报送请示") -> Task:
    task = make_task(cast.plan, title, cast.caizheng, cast.key, start=START, deadline=DEADLINE)
    previous = None
    for name, days in (("起草请示", 5), ("征求意见", 4), ("报送省财政厅", 2)):
        milestone = Milestone.objects.create(task=task, title=name, due_date=DEADLINE, duration_days=days)
        if previous:
            milestone.depends_on.add(previous)
        previous = milestone
    return task


def complete(task: Task, name: str, day: dt.date) -> None:
    Milestone.objects.filter(task=task, title=name).update(completed_on=day)


# --- The rule, on the light alone ------------------------------------------------------------------


def test_without_schedule_information_the_light_is_what_it_always_was():
    # 29 Sep: 22 of the 31 working days from 1 Sep to 17 Oct have passed — 71.0%.
    assert expected_progress(START, DEADLINE, D(2025, 9, 29)) == 71.0
    assert health(75, D(2025, 9, 29)).light == Light.GREEN
    assert health(60, D(2025, 9, 29)).light == Light.YELLOW  # 11 points behind
    assert health(75, D(2025, 9, 29), ScheduleVerdict.ON_TRACK).light == Light.GREEN


def test_a_schedule_behind_makes_a_green_task_yellow_and_a_late_milestone_makes_it_red():
    assert health(75, D(2025, 9, 29), ScheduleVerdict.BEHIND).light == Light.YELLOW
    assert health(75, D(2025, 9, 29), ScheduleVerdict.LATE).light == Light.RED
    assert health(60, D(2025, 9, 29), ScheduleVerdict.LATE).light == Light.RED


def test_the_schedule_never_makes_a_light_better():
    assert health(40, D(2025, 9, 29), ScheduleVerdict.ON_TRACK).light == Light.RED  # 31 points behind
    assert health(40, D(2025, 9, 29), ScheduleVerdict.BEHIND).light == Light.RED
    assert health(60, D(2025, 9, 29), ScheduleVerdict.ON_TRACK).light == Light.YELLOW


def test_done_and_overdue_tasks_keep_their_lights_whatever_the_schedule():
    assert health(50, D(2025, 9, 29), ScheduleVerdict.LATE, status=TaskStatus.CLOSED).light == Light.DONE
    assert health(50, D(2025, 10, 20), ScheduleVerdict.LATE).light == Light.OVERDUE
    assert health(75, D(2025, 9, 29), ScheduleVerdict.LATE).schedule == ScheduleVerdict.LATE


# --- The verdict, from the schedule ----------------------------------------------------------------


def test_with_a_working_day_to_spare_the_schedule_is_on_track(cast):
    task = make_request_task(cast)
    # From Fri 26 Sep: 起草 26, 28, 29, 30 Sep, 9 Oct; 征求 10, 11, 13, 14; 报送 15, 16 — a day early.
    schedule = schedule_task(task, today=D(2025, 9, 26))
    assert (schedule.expected_finish, schedule.slack, schedule.verdict) == (
        D(2025, 10, 16),
        1,
        ScheduleVerdict.ON_TRACK,
    )


def test_once_the_latest_start_has_passed_the_schedule_is_behind(cast):
    task = make_request_task(cast)
    # 起草 should have started on the 调休 Sunday, 28 Sep; from Monday 29 Sep the chain ends Mon 20 Oct.
    schedule = schedule_task(task, today=D(2025, 9, 29))
    assert (schedule.expected_finish, schedule.slack, schedule.verdict) == (
        D(2025, 10, 20),
        -1,
        ScheduleVerdict.BEHIND,
    )


def test_a_milestone_past_its_latest_finish_makes_the_schedule_late(cast):
    task = make_request_task(cast)
    complete(task, "起草请示", D(2025, 10, 10))
    # 征求意见 may start by Sat 11 Oct: on Mon 13 Oct it is behind (13–16, 报送 17, 20) …
    assert schedule_task(task, today=D(2025, 10, 13)).verdict == ScheduleVerdict.BEHIND
    # … and on Thu 16 Oct, not done, it is past its latest finish (Wed 15 Oct).
    assert schedule_task(task, today=D(2025, 10, 16)).verdict == ScheduleVerdict.LATE
    complete(task, "征求意见", D(2025, 10, 15))
    assert schedule_task(task, today=D(2025, 10, 16)).verdict == ScheduleVerdict.ON_TRACK


# --- Many tasks at once ----------------------------------------------------------------------------


def test_the_verdicts_of_many_tasks_come_in_three_queries_and_feed_the_light(cast):
    tasks = [make_request_task(cast, f"报送请示{i}") for i in range(3)]
    complete(tasks[1], "起草请示", D(2025, 9, 26))  # a week early: the rest fits from 9 Oct
    # Thu 9 Oct: 起草 should have started on 28 Sep; the chain now ends 22 Oct, 3 working days late.
    with CaptureQueriesContext(connection) as few:
        verdicts = schedule_verdicts([t.pk for t in tasks] + [cast.measure.pk], today=D(2025, 10, 9))
    assert verdicts == {
        tasks[0].pk: ScheduleVerdict.BEHIND,
        tasks[1].pk: ScheduleVerdict.ON_TRACK,
        tasks[2].pk: ScheduleVerdict.BEHIND,
    }  # the measure has no milestones
    more = tasks + [make_request_task(cast, f"更多{i}") for i in range(12)]
    with CaptureQueriesContext(connection) as many:
        assert len(schedule_verdicts([t.pk for t in more], today=D(2025, 10, 9))) == 15
    assert len(few) == len(many) == 3
    light = task_health(
        status=tasks[0].status,
        start=START,
        deadline=DEADLINE,
        progress=80,
        today=D(2025, 10, 9),
        schedule=verdicts.get(tasks[0].pk),
    ).light
    assert light == Light.YELLOW  # green by progress (80 against 77.4), yellow by the schedule


def test_a_schedule_one_or_two_working_days_late_is_folded_not_a_light(cast):
    task = make_request_task(cast)
    # 29 Sep: one working day behind (see above); 30 Sep: two. Within the plan's precision.
    for day in (D(2025, 9, 29), D(2025, 9, 30)):
        assert schedule_task(task, today=day).verdict == ScheduleVerdict.BEHIND
        assert schedule_verdicts([task.pk], today=day) == {task.pk: ScheduleVerdict.ON_TRACK}
    assert schedule_verdicts([task.pk], today=D(2025, 10, 9)) == {task.pk: ScheduleVerdict.BEHIND}


def test_closed_tasks_and_tasks_with_a_dependency_cycle_get_no_verdict(cast):
    closed, cyclic = make_request_task(cast, "已办结"), make_request_task(cast, "循环")
    Task.objects.filter(pk=closed.pk).update(status=TaskStatus.CLOSED)
    first, last = cyclic.milestones.order_by("id")[0], cyclic.milestones.order_by("-id")[0]
    first.depends_on.add(last)
    assert schedule_verdicts([closed.pk, cyclic.pk], today=D(2025, 9, 29)) == {}
    assert schedule_verdicts([], today=D(2025, 9, 29)) == {}


def test_a_year_without_a_holiday_notice_is_estimated_for_the_light_not_an_error(cast):
    deadline = D(2027, 3, 31)
    task = make_task(cast.plan, "2027年任务", cast.caizheng, cast.key, deadline=deadline)
    Milestone.objects.create(task=task, title="完成", due_date=deadline, duration_days=3)
    assert schedule_verdicts([task.pk], today=D(2026, 11, 27)) == {task.pk: ScheduleVerdict.ON_TRACK}
