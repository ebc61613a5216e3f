"""Lights counted in the database (plans.lights) are the lights `healths_of` gives each task, on any day."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.plans.health import Light, expected_progress, healths_of
from luoshi.plans.lights import light_counts
from luoshi.plans.models import Task
from luoshi.plans.rollup import progress_of_plan, rebuild_rollups
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.models import WorkingDay
from luoshi.schedule.notice import parse_notices
from luoshi.schedule.workdays import working_days_between
from tests.browser.scene import make_scene
from tests.test_query_counts import grow


def python_counts(tasks: list[Task], day: dt.date) -> tuple[Counter, dict[int, Counter]]:
    healths = healths_of(tasks, progress_of_plan(tasks[0].plan_id), day)
    total, by_unit = Counter(), {}
    for task in tasks:
        total[healths[task.pk].light.value] += 1
        by_unit.setdefault(task.lead_unit_id, Counter())[healths[task.pk].light.value] += 1
    return total, by_unit


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 11, 27),
        dt.date(2026, 3, 16),
        dt.date(2025, 10, 8),
        dt.date(2027, 1, 4),
        dt.date(2024, 2, 29),
    ],
)
def test_counts_in_the_database_equal_the_lights_of_every_task(cast, day):
    make_scene(cast)
    grow(cast, 1, measures=16)
    grow(cast, 2, measures=40)
    rebuild_rollups(Task.objects.filter(plan=cast.plan))  # grow writes around the actions
    tasks = list(Task.objects.filter(plan=cast.plan))
    counted = light_counts(Task.objects.filter(plan=cast.plan), day)
    total, by_unit = python_counts(tasks, day)
    assert counted.total == total
    assert counted.by_unit == by_unit
    assert len({light for light in total}) >= 4  # the plan has lights of several colours that day


def test_a_returned_task_has_its_own_light_and_is_counted_under_it(cast):
    scene = make_scene(cast)
    health = healths_of([scene.returned], {scene.returned.pk: 100.0}, dt.date(2026, 11, 27))[
        scene.returned.pk
    ]
    assert health.light == Light.RETURNED and str(health.light.label) == "已退回"
    assert "退回" in health.why  # who returned it, when and why
    assert light_counts(Task.objects.filter(plan=cast.plan), dt.date(2026, 11, 27)).total[Light.RETURNED] == 1


def test_counting_costs_the_same_queries_whatever_the_plan(cast):
    make_scene(cast)
    with CaptureQueriesContext(connection) as small:
        light_counts(Task.objects.filter(plan=cast.plan), dt.date(2026, 11, 27))
    grow(cast, 1, measures=60)
    with CaptureQueriesContext(connection) as large:
        light_counts(Task.objects.filter(plan=cast.plan), dt.date(2026, 11, 27))
    assert len(large) == len(small)


def test_the_calendar_table_follows_a_holiday_notice_entered_by_the_office(db):
    start, day = dt.date(2030, 1, 1), dt.date(2030, 10, 9)
    numbers = dict(WorkingDay.objects.filter(day__in=[start, day]).values_list("day", "number"))
    assert numbers[day] - numbers[start] + 1 == working_days_between(
        start, day, estimate=True
    )  # Monday to Friday
    enter_holiday_year(
        None,
        parse_notices(  # National Day: 1–7 October off, Sunday 29 September worked
            "年份,2030\n放假,国庆节,2030-10-01,2030-10-07\n上班,国庆节,2030-09-29\n"
        )[0],
    )
    numbers = dict(WorkingDay.objects.filter(day__in=[start, day]).values_list("day", "number"))
    assert numbers[day] - numbers[start] + 1 == working_days_between(start, day)
    later = dict(
        WorkingDay.objects.filter(day__in=[dt.date(2031, 3, 3), dt.date(2040, 1, 2)]).values_list(
            "day", "number"
        )
    )
    assert later[dt.date(2040, 1, 2)] - later[dt.date(2031, 3, 3)] + 1 == working_days_between(
        dt.date(2031, 3, 3), dt.date(2040, 1, 2), estimate=True
    )
    assert expected_progress(start, dt.date(2030, 12, 31), day) > 0


def test_without_the_calendar_table_the_counts_are_the_same_from_python(cast):
    make_scene(cast)
    day = dt.date(2026, 11, 27)
    before = light_counts(Task.objects.filter(plan=cast.plan), day)
    WorkingDay.objects.all().delete()  # as a test's flush leaves it; `luoshi migrate` fills it
    after = light_counts(Task.objects.filter(plan=cast.plan), day)
    assert (after.total, after.by_unit, after.statuses) == (before.total, before.by_unit, before.statuses)
