"""Lighting many tasks at once (`healths_of`, and `healths_of_rows` for plain rows: 序时进度 and
逾期工作日 from the calendar table, the sentences translated once per language) gives every task of
the demo the Health `task_health` gives it alone — light, reasons, expected and progress figures,
schedule verdict — with the calendar counted in Python, on days across the plan, before and after the
office enters holidays mid-plan, in either language."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from luoshi.plans.definitions import is_counted
from luoshi.plans.health import (
    Health,
    Light,
    TaskFacts,
    finding_for,
    healths_of,
    healths_of_rows,
    last_returns,
    task_health,
)
from luoshi.plans.models import Task, TaskStatus
from luoshi.plans.rollup import progress_of_plan
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.backward import planned_milestones_of
from luoshi.schedule.notice import parse_notices
from tests.conftest import TODAY
from tests.test_demo_data import demo, loaded  # noqa: F401  (the demo, loaded once)
from tests.test_schedule_days import varied_milestones

#: Across the plan: before most tasks start, around holidays, today, and after many deadlines.
DAYS = [
    dt.date(2025, 3, 3),
    dt.date(2025, 10, 8),
    dt.date(2026, 2, 16),
    dt.date(2026, 9, 30),
    TODAY,
    dt.date(2027, 1, 4),
    dt.date(2027, 6, 30),
]

#: Entered by the office mid-plan: a longer National Day and a month off in a year nobody covered yet.
NOTICES = [
    "年份,2026\n放假,国庆节,2026-10-01,2026-10-09\n上班,国庆节,2026-09-27\n放假,调休,2026-11-02,2026-11-13\n",
    "年份,2027\n放假,春节,2027-02-01,2027-02-28\n",
]


def one_by_one(tasks: list[Task], progress: dict[int, float], day: dt.date) -> dict[int, Health]:
    """Each task lit alone, as `task_health` lights it with nothing computed ahead: its own milestones
    scheduled, its own last return, the working days counted by the calendar in Python."""
    out = {}
    for t in tasks:
        finding = None
        if is_counted(t.status) and t.status != TaskStatus.CLOSED:
            planned = planned_milestones_of([t.pk]).get(t.pk)
            finding = finding_for(planned, t.deadline, day) if planned else None
        returned = last_returns([t.pk], today=day).get(t.pk) if t.status == TaskStatus.RETURNED else None
        out[t.pk] = task_health(
            status=t.status,
            start=t.start_date,
            deadline=t.deadline,
            progress=progress.get(t.pk, 0.0),
            today=day,
            schedule=finding,
            returned=returned,
            closed_on=timezone.localdate(t.closed_at) if t.closed_at else None,
        )
    return out


def rows_of(tasks: list[Task]) -> list[TaskFacts]:
    return [
        TaskFacts(
            t.pk,
            t.status,
            t.start_date,
            t.deadline,
            timezone.localdate(t.closed_at) if t.closed_at else None,
        )
        for t in tasks
    ]


def assert_every_task_lit_alike(plan_id: int, days: list[dt.date]) -> list[Health]:
    tasks = list(Task.objects.filter(plan_id=plan_id).order_by("id"))
    progress = progress_of_plan(plan_id)
    seen = []
    for day in days:
        alone = one_by_one(tasks, progress, day)
        assert healths_of(tasks, progress, day) == alone, day
        assert healths_of_rows(rows_of(tasks), progress, day) == alone, day
        seen += alone.values()
    return seen


class TestManyTasksAtOnce:
    def test_every_task_of_the_demo_on_days_across_the_plan(self, demo):  # noqa: F811
        plan_id = Task.objects.order_by("id").first().plan_id
        varied_milestones(demo.plan, seed=5)  # schedules of every shape, on top of the demo's own
        seen = assert_every_task_lit_alike(plan_id, DAYS)
        lights = {h.light for h in seen}
        assert {Light.GREEN, Light.YELLOW, Light.RED, Light.OVERDUE, Light.DONE, Light.RETURNED} <= lights
        reasons = "\n".join(r for h in seen for r in h.reasons)
        # Reasons of every kind were compared: the schedule's, overdue working days, a return's.
        assert "个工作日，仍未办结" in reasons and "节点“" in reasons and "退回：" in reasons
        assert len({h.expected for h in seen}) > 50  # expected progress of many values, not just 0 and 100

    def test_holidays_entered_mid_plan_move_both_alike(self, demo):  # noqa: F811
        plan_id = Task.objects.order_by("id").first().plan_id
        tasks = list(Task.objects.filter(plan_id=plan_id))
        progress = progress_of_plan(plan_id)
        before = healths_of(tasks, progress, TODAY)
        for text in NOTICES:
            enter_holiday_year(None, parse_notices(text)[0])
        after = healths_of(tasks, progress, TODAY)
        assert any(before[pk].expected != after[pk].expected for pk in before)  # the holidays count
        assert_every_task_lit_alike(plan_id, DAYS)

    @pytest.mark.parametrize("language", ["en", "zh-hans"])
    def test_in_either_language(self, demo, language):  # noqa: F811
        plan_id = Task.objects.order_by("id").first().plan_id
        with translation.override(language):
            seen = assert_every_task_lit_alike(plan_id, [TODAY])
        english = any("working day" in r or "progress" in r.lower() for h in seen for r in h.reasons)
        assert english == (language == "en")
