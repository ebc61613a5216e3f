"""The task tree: subtrees in one query; a parent's progress is the weighted rollup of its children."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.plans.health import Light, expected_progress, task_health
from luoshi.plans.models import Task, TaskStatus
from luoshi.plans.rollup import plan_progress, progress_of, progress_of_plan, refresh_rollups
from luoshi.progress.models import ProgressReport
from tests.cast import make_task


def report(task: Task, percent: int, day: dt.date, cast) -> None:
    ProgressReport.objects.create(
        task=task,
        unit=task.lead_unit,
        author=cast.caizheng_staff,
        reported_on=day,
        percent=percent,
        narrative="进展",
    )
    refresh_rollups(
        [task.pk]
    )  # written around report_progress, so the stored rollup is refreshed as it would


def test_a_subtree_is_one_query_at_any_depth(cast):
    deep = cast.measure
    for level in range(6):
        deep = make_task(cast.plan, f"第{level}层", cast.caizheng, deep)
    with CaptureQueriesContext(connection) as queries:
        ids = set(Task.objects.subtree([cast.key.pk]).values_list("id", flat=True))
    assert len(queries) == 1
    assert cast.key.pk in ids and cast.measure.pk in ids and deep.pk in ids
    assert cast.jingfa_task.pk not in ids and cast.area.pk not in ids


def test_a_parent_rolls_up_its_childrens_latest_reports_by_weight(cast):
    day = dt.date(2026, 10, 1)
    extra = make_task(cast.plan, "第二项措施", cast.caizheng, cast.key, weight=3)
    report(cast.measure, 20, day - dt.timedelta(days=30), cast)
    report(cast.measure, 40, day, cast)  # the latest report counts
    report(extra, 80, day, cast)
    Task.objects.filter(pk=cast.jingfa_task.pk).update(status=TaskStatus.CLOSED)
    refresh_rollups([cast.jingfa_task.pk])
    progress = progress_of_plan(cast.plan.pk)
    assert progress[cast.measure.pk] == 40
    assert progress[cast.key.pk] == pytest.approx((40 * 1 + 80 * 3) / 4)  # 70
    assert progress[cast.jingfa_task.pk] == 100  # closed counts as done
    assert progress[cast.area.pk] == pytest.approx((70 + 100) / 2)
    assert progress_of([cast.key.pk]) == {cast.key.pk: pytest.approx(70)}
    assert plan_progress(cast.plan.pk) == pytest.approx(85)


def test_rollup_of_a_whole_plan_is_one_query(cast):
    for i in range(30):
        make_task(cast.plan, f"工作{i}", cast.jingfa, cast.jingfa_task)
    with CaptureQueriesContext(connection) as queries:
        progress_of_plan(cast.plan.pk)
    assert len(queries) == 1


def test_expected_progress_counts_working_days_not_calendar_days():
    # 2025-09-29 … 2025-10-10: the National Day week is off; 9 Oct and 10 Oct are working days.
    start, deadline = dt.date(2025, 9, 29), dt.date(2025, 10, 10)
    assert expected_progress(start, deadline, dt.date(2025, 9, 30)) == 50.0  # 2 of 4 working days
    assert expected_progress(start, deadline, dt.date(2025, 10, 8)) == 50.0  # holidays add nothing


@pytest.mark.parametrize(
    ("progress", "today", "status", "light"),
    [
        (50, dt.date(2026, 7, 1), TaskStatus.IN_PROGRESS, Light.GREEN),
        (40, dt.date(2026, 7, 1), TaskStatus.IN_PROGRESS, Light.YELLOW),
        (10, dt.date(2026, 7, 1), TaskStatus.IN_PROGRESS, Light.RED),
        (90, dt.date(2027, 1, 5), TaskStatus.IN_PROGRESS, Light.OVERDUE),
        (90, dt.date(2027, 1, 5), TaskStatus.CLOSED, Light.DONE),
        (60, dt.date(2026, 7, 1), TaskStatus.RETURNED, Light.RETURNED),
    ],
)
def test_the_light_is_derived_from_dates_and_progress(progress, today, status, light):
    health = task_health(
        status=status,
        start=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 12, 31),
        progress=progress,
        today=today,
    )
    assert health.light == light


def test_overdue_is_derived_from_the_deadline(cast, frozen_today):
    frozen_today(dt.date(2027, 4, 1))
    overdue = set(Task.objects.overdue(dt.date(2027, 4, 1)).values_list("title", flat=True))
    assert overdue == {"形成专门请示报省财政厅"}
