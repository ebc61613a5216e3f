"""Backward scheduling (倒排工期) over China's working days, worked by hand against the 2025 calendar.

Around National Day 2025: 1–8 October are off; Sunday 28 September and Saturday 11 October are
working days (调休). Working days, in order: … Fri 26 Sep, Sun 28, Mon 29, Tue 30, Thu 9 Oct,
Fri 10, Sat 11, Mon 13, Tue 14, Wed 15, Thu 16, Fri 17 …
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.plans.models import Milestone
from luoshi.schedule import workdays
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.backward import (
    DependencyCycle,
    PlannedMilestone,
    ProblemKind,
    ScheduleError,
    backward_schedule,
    schedule_task,
)
from luoshi.schedule.notice import parse_notices
from luoshi.schedule.workdays import CalendarNotCovered, WorkingCalendar
from tests.cast import make_task

D = dt.date

DRAFT, CONSULT, EVIDENCE, SUBMIT = 1, 2, 3, 4
REQUEST = [
    PlannedMilestone(DRAFT, "起草请示", 5),
    PlannedMilestone(CONSULT, "征求意见", 4, (DRAFT,)),
    PlannedMilestone(EVIDENCE, "准备佐证材料", 2, (DRAFT,)),
    PlannedMilestone(SUBMIT, "报送省财政厅", 2, (CONSULT, EVIDENCE)),
]


@pytest.fixture(autouse=True)
def _calendar_without_office_entries():
    workdays.use_office_entries()
    yield
    workdays.use_office_entries()


def by_name(schedule):
    return {m.name: m for m in schedule.milestones}


def test_latest_dates_run_back_from_the_deadline_across_national_day_and_its_make_up_days():
    schedule = backward_schedule(REQUEST, deadline=D(2025, 10, 17), today=D(2025, 9, 22))
    m = by_name(schedule)
    assert (m["报送省财政厅"].latest_start, m["报送省财政厅"].latest_finish) == (
        D(2025, 10, 16),
        D(2025, 10, 17),
    )
    # 15, 14, 13 Oct and the 调休 Saturday the 11th
    assert (m["征求意见"].latest_start, m["征求意见"].latest_finish) == (D(2025, 10, 11), D(2025, 10, 15))
    assert (m["准备佐证材料"].latest_start, m["准备佐证材料"].latest_finish) == (
        D(2025, 10, 14),
        D(2025, 10, 15),
    )
    # 10, 9 Oct, then over the holiday: 30, 29 Sep and the 调休 Sunday the 28th
    assert (m["起草请示"].latest_start, m["起草请示"].latest_finish) == (D(2025, 9, 28), D(2025, 10, 10))


def test_expected_dates_run_forward_from_today_and_the_slack_names_the_critical_path():
    schedule = backward_schedule(REQUEST, deadline=D(2025, 10, 17), today=D(2025, 9, 22))
    m = by_name(schedule)
    assert (m["起草请示"].expected_start, m["起草请示"].expected_finish) == (D(2025, 9, 22), D(2025, 9, 26))
    assert (m["征求意见"].expected_start, m["征求意见"].expected_finish) == (D(2025, 9, 28), D(2025, 10, 9))
    assert (m["准备佐证材料"].expected_start, m["准备佐证材料"].expected_finish) == (
        D(2025, 9, 28),
        D(2025, 9, 29),
    )
    assert (m["报送省财政厅"].expected_start, m["报送省财政厅"].expected_finish) == (
        D(2025, 10, 10),
        D(2025, 10, 11),
    )
    assert schedule.expected_finish == D(2025, 10, 11)
    # 13–17 October are spare on the main chain; 佐证材料 has two more (30 Sep and 9 Oct … 13 Oct)
    assert [m[name].slack for name in ("起草请示", "征求意见", "准备佐证材料", "报送省财政厅")] == [
        5,
        5,
        7,
        5,
    ]
    assert schedule.critical_path == (DRAFT, CONSULT, SUBMIT)
    assert schedule.feasible and schedule.problems == ()


def test_a_deadline_on_a_holiday_counts_back_from_the_last_working_day_before_it():
    schedule = backward_schedule(REQUEST[:1], deadline=D(2025, 10, 5), today=D(2025, 9, 1))
    assert schedule.last_working_day == D(2025, 9, 30)
    # five days: 30, 29, Sun 28 (调休), Fri 26, Thu 25
    assert by_name(schedule)["起草请示"].latest_start == D(2025, 9, 25)


def test_a_latest_start_already_past_is_reported_with_how_late_the_work_will_end():
    schedule = backward_schedule(REQUEST, deadline=D(2025, 10, 17), today=D(2025, 10, 9))
    assert not schedule.feasible
    kinds = [(p.kind, p.milestone) for p in schedule.problems]
    assert (ProblemKind.START_PASSED, DRAFT) in kinds
    # from 9 Oct: 起草 9, 10, Sat 11, 13, 14; 征求意见 15, 16, 17, 20; 报送 21, 22 → 3 working days late
    assert schedule.expected_finish == D(2025, 10, 22)
    assert schedule.slack == -3
    assert "比完成时限 2025-10-17 晚 3 个工作日" in schedule.problems[-1].message


def test_finished_milestones_keep_their_actual_date_and_leave_the_critical_path():
    done = [PlannedMilestone(DRAFT, "起草请示", 5, completed_on=D(2025, 9, 30)), *REQUEST[1:]]
    schedule = backward_schedule(done, deadline=D(2025, 10, 17), today=D(2025, 10, 9))
    m = by_name(schedule)
    assert m["起草请示"].done and m["起草请示"].expected_finish == D(2025, 9, 30)
    # 征求意见 9, 10, Sat 11, 13; 报送 14, 15: two days to spare
    assert (m["征求意见"].expected_start, m["征求意见"].expected_finish) == (D(2025, 10, 9), D(2025, 10, 13))
    assert schedule.expected_finish == D(2025, 10, 15)
    assert schedule.critical_path == (CONSULT, SUBMIT) and schedule.slack == 2
    assert schedule.feasible


def test_a_planned_date_later_than_the_latest_finish_is_pointed_out():
    late = [PlannedMilestone(DRAFT, "起草请示", 5, planned_finish=D(2025, 10, 15)), *REQUEST[1:]]
    schedule = backward_schedule(late, deadline=D(2025, 10, 17), today=D(2025, 9, 22))
    (problem,) = schedule.problems
    assert problem.kind == ProblemKind.PLANNED_TOO_LATE and "2025-10-10" in problem.message
    assert schedule.feasible  # a wrong plan date is a warning, not an infeasible schedule


def test_a_gap_of_two_working_days_or_a_done_milestone_raises_no_warning():
    # Latest finish Fri 10 Oct; planned Mon 13 Oct is two working days later (Sat 11 Oct is one).
    near = [PlannedMilestone(DRAFT, "起草请示", 5, planned_finish=D(2025, 10, 13)), *REQUEST[1:]]
    assert backward_schedule(near, deadline=D(2025, 10, 17), today=D(2025, 9, 22)).problems == ()
    done = [
        PlannedMilestone(DRAFT, "起草请示", 5, planned_finish=D(2025, 10, 15), completed_on=D(2025, 9, 19)),
        *REQUEST[1:],
    ]
    assert backward_schedule(done, deadline=D(2025, 10, 17), today=D(2025, 9, 22)).problems == ()


def test_a_dependency_cycle_is_reported_with_the_milestones_in_it():
    looped = [
        PlannedMilestone(1, "立项", 2),
        PlannedMilestone(2, "设计", 3, (1, 4)),
        PlannedMilestone(3, "审批", 1, (2,)),
        PlannedMilestone(4, "招标", 2, (3,)),
    ]
    with pytest.raises(DependencyCycle) as error:
        backward_schedule(looped, deadline=D(2025, 12, 31), today=D(2025, 9, 1))
    assert error.value.names == ["设计", "审批", "招标"]
    assert str(error.value) == "里程碑之间存在循环依赖：设计 → 审批 → 招标 → 设计，无法倒排工期。"


def test_a_milestone_waiting_on_itself_is_a_cycle_too():
    with pytest.raises(DependencyCycle, match="立项 → 立项"):
        backward_schedule(
            [PlannedMilestone(1, "立项", 2, (1,))], deadline=D(2025, 12, 31), today=D(2025, 9, 1)
        )


def test_a_dependency_outside_the_list_is_refused():
    with pytest.raises(ScheduleError, match="不在本任务中"):
        backward_schedule(
            [PlannedMilestone(1, "立项", 2, (9,))], deadline=D(2025, 12, 31), today=D(2025, 9, 1)
        )


def test_a_2027_schedule_fails_clearly_until_the_office_enters_2027_and_then_works(cast):
    task = make_task(
        cast.plan, "2027年初报送材料", cast.caizheng, cast.key, start=D(2026, 12, 1), deadline=D(2027, 1, 11)
    )
    first = Milestone.objects.create(task=task, title="汇总材料", due_date=D(2027, 1, 8), duration_days=3)
    second = Milestone.objects.create(task=task, title="报送", due_date=D(2027, 1, 11), duration_days=2)
    second.depends_on.add(first)
    with pytest.raises(CalendarNotCovered, match="2027 年的节假日安排尚未录入"):
        schedule_task(task, today=D(2026, 12, 21))

    # an example notice: 1–3 January off, Saturday 9 January worked
    enter_holiday_year(
        cast.admin, parse_notices("年份,2027\n放假,元旦,2027-01-01,2027-01-03\n上班,元旦,2027-01-09\n")[0]
    )
    schedule = schedule_task(task, today=D(2026, 12, 21))
    m = by_name(schedule)
    # back from Mon 11 Jan: 11, Sat 9 (调休) | 8, 7, 6
    assert (m["报送"].latest_start, m["报送"].latest_finish) == (D(2027, 1, 9), D(2027, 1, 11))
    assert (m["汇总材料"].latest_start, m["汇总材料"].latest_finish) == (D(2027, 1, 6), D(2027, 1, 8))
    assert schedule.critical_path == (first.pk, second.pk)


def test_an_estimate_schedules_a_year_nobody_covers_and_says_so():
    schedule = backward_schedule(REQUEST, deadline=D(2027, 3, 31), today=D(2027, 1, 4), estimate=True)
    assert schedule.estimated
    assert by_name(schedule)["报送省财政厅"].latest_start == D(2027, 3, 30)


def test_a_tasks_schedule_is_built_in_a_bounded_number_of_queries(cast):
    task = make_task(cast.plan, "年内完成", cast.caizheng, cast.key, deadline=D(2026, 12, 31))
    previous = None
    for i in range(12):
        milestone = Milestone.objects.create(
            task=task, title=f"节点{i}", due_date=D(2026, 12, 1), duration_days=2
        )
        if previous is not None:
            milestone.depends_on.add(previous)
        previous = milestone
    with CaptureQueriesContext(connection) as queries:
        schedule = schedule_task(task, today=D(2026, 6, 1))
    assert len(schedule.milestones) == 12
    assert len(queries) <= 2


# ---- properties ------------------------------------------------------------------------------------


@st.composite
def plans(draw):
    """A random set of milestones whose dependencies only point backwards (so there is no cycle)."""
    n = draw(st.integers(1, 8))
    milestones = []
    for key in range(n):
        depends_on = tuple(sorted(draw(st.sets(st.integers(0, key - 1), max_size=3)))) if key else ()
        milestones.append(PlannedMilestone(key, f"节点{key}", draw(st.integers(0, 15)), depends_on))
    # Late enough for real holidays, early enough that a forward schedule (up to 8 × 15 working
    # days after `today`) stays inside the years the official calendar covers.
    deadline = draw(st.dates(D(2024, 3, 1), D(2026, 3, 31)))
    today = deadline - dt.timedelta(days=draw(st.integers(-30, 300)))  # sometimes already past
    return milestones, deadline, today


CALENDAR = WorkingCalendar()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans())
def test_every_schedule_respects_order_dependencies_and_working_days(plan):
    milestones, deadline, today = plan
    schedule = backward_schedule(milestones, deadline=deadline, today=today, working_calendar=CALENDAR)
    by_key = {m.key: m for m in schedule.milestones}
    for m in schedule.milestones:
        assert m.latest_start <= m.latest_finish <= deadline
        assert m.expected_start <= m.expected_finish
        assert m.expected_start >= today
        for day in (m.latest_start, m.latest_finish, m.expected_start, m.expected_finish):
            assert CALENDAR.is_working_day(day)
        assert CALENDAR.working_days_between(m.latest_start, m.latest_finish) == max(m.duration, 1)
        for key in m.depends_on:
            assert by_key[key].latest_finish < m.latest_start
            assert by_key[key].expected_finish < m.expected_start
    assert schedule.critical_path and all(by_key[k].slack == schedule.slack for k in schedule.critical_path)
    assert schedule.feasible == (schedule.slack >= 0)
