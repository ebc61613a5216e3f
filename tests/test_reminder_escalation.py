"""Overdue reminders escalate like an office does: owner → unit head → supervising leader, one step at a
time, each after the plan's interval unanswered; and nobody hears about one task twice in a day."""

import dataclasses
import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from luoshi.core import clock
from luoshi.inbox.models import Notification
from luoshi.plans import actions
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.reminders.actions import new_reminders
from luoshi.reminders.models import Reminder, ReminderKind, ReminderRule
from tests import test_reminders as reminders_suite
from tests.cast import make_task
from tests.test_reminders import days, run_worker_cycle


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


#: The reminder suite's two-month plan, its rules and robots (fixtures).
world, robots = reminders_suite.world, reminders_suite.robots


def heard(first: dt.date, last: dt.date, frozen_today, before_scan=lambda day: None) -> list[tuple]:
    """Run the worker every day from `first` to `last`; who got which message in the app, day by day."""
    went_out = []
    for day in days(first, last):
        frozen_today(day)
        before_scan(day)
        seen = Notification.objects.count()
        run_worker_cycle()
        for note in Notification.objects.order_by("id")[seen:]:
            went_out.append((day, note.recipient.username, note.subject.split("】")[0] + "】"))
    return went_out


def test_a_long_overdue_task_climbs_one_step_every_interval_not_all_at_once(world, frozen_today):
    # The task was due on 20 November; the office switches the reminders on only on 7 December.
    went_out = heard(dt.date(2026, 12, 7), dt.date(2026, 12, 31), frozen_today)
    overdue = [entry for entry in went_out if "逾期催办" in entry[2]]
    d = dt.date
    assert overdue == [
        (d(2026, 12, 7), "caizheng_staff", "【逾期催办·第1级】"),
        (
            d(2026, 12, 9),
            "caizheng_manager",
            "【逾期催办·第2级】",
        ),  # the rules' steps are 2 working days apart
        (d(2026, 12, 11), "leader", "【逾期催办·第3级】"),
    ]


def test_a_report_after_a_step_restarts_the_wait_before_the_next(world, frozen_today):
    cast, request = world.cast, world.request
    ReminderRule.objects.filter(plan=world.plan, kind=ReminderKind.NO_REPORT).update(active=False)
    frozen_today(dt.date(2026, 11, 2))
    actions.acknowledge_task(cast.caizheng_manager, request)

    def the_unit_answers(day: dt.date) -> None:
        if day in (dt.date(2026, 12, 8), dt.date(2026, 12, 10)):
            report_progress(
                cast.caizheng_staff, Task.objects.get(pk=request.pk), percent=80, narrative="正在修改"
            )

    went_out = heard(dt.date(2026, 12, 7), dt.date(2026, 12, 31), frozen_today, the_unit_answers)
    d = dt.date
    assert [(day, who) for day, who, subject in went_out if "逾期催办" in subject] == [
        (d(2026, 12, 7), "caizheng_staff"),
        (d(2026, 12, 14), "caizheng_manager"),  # 2 working days after the last answer, on the 10th
        (d(2026, 12, 16), "leader"),
    ]


def test_one_message_a_day_per_person_and_task_whatever_the_level_or_kind(world, frozen_today):
    cast, request = world.cast, world.request
    frozen_today(dt.date(2026, 11, 2))
    actions.acknowledge_task(cast.caizheng_manager, request)
    report_progress(cast.caizheng_staff, Task.objects.get(pk=request.pk), percent=10, narrative="已启动")
    # The owner is the unit head herself, and both steps are due on the first overdue working day.
    request.owner = cast.caizheng_manager
    request.save()
    ReminderRule.objects.filter(plan=world.plan, kind=ReminderKind.OVERDUE, working_days=3).update(
        working_days=1
    )

    went_out = heard(dt.date(2026, 12, 7), dt.date(2026, 12, 9), frozen_today)
    d = dt.date
    assert went_out == [
        (d(2026, 12, 7), "caizheng_manager", "【逾期催办·第1级】"),  # not also the 催报 due the same day
        (d(2026, 12, 8), "caizheng_manager", "【逾期催办·第2级】"),
        (d(2026, 12, 9), "caizheng_manager", "【催报】"),  # it waited its turn
    ]
    # Each person by each channel, and each group robot, heard about the task once a day.
    sent = list(
        Reminder.objects.values_list("issued_on", "task_id", "channel", "recipient_id", "endpoint_id")
    )
    addresses = [(day, task, channel, robot or person) for day, task, channel, person, robot in sent]
    assert len(addresses) == len(set(addresses)) == 2 * 2 + 2 * 2 + 2  # in-app and email; two robots; 催报


def test_draft_tasks_are_never_reminded(world, frozen_today):
    cast = world.cast
    Task.objects.exclude(status=TaskStatus.DRAFT).delete()
    make_task(
        world.plan,
        "尚未交办的草稿",
        cast.caizheng,
        status=TaskStatus.DRAFT,
        start=dt.date(2026, 11, 2),
        deadline=dt.date(2026, 11, 20),
    )
    assert heard(dt.date(2026, 12, 7), dt.date(2026, 12, 11), frozen_today) == []


def test_two_scans_at_once_still_reach_each_person_once_a_day(world, frozen_today):
    """Two workers that read "not yet reminded today" before either stored its reminders: the database,
    not the scan's reading, keeps the once-a-day rule."""
    day = dt.date(2026, 12, 7)
    frozen_today(day)
    first, second = new_reminders(day), new_reminders(day)
    assert first and [d.key for d in first] == [d.key for d in second]
    # The second worker read the facts a moment apart: the same people are due a reminder about another
    # occasion (another key), which its reading of "not yet reminded today" let through.
    second = [dataclasses.replace(d, due_on=d.due_on - dt.timedelta(days=1)) for d in second]
    now = clock.now()
    for batch in (first, second):
        with transaction.atomic():
            Reminder.objects.bulk_create([d.as_row(now, day) for d in batch], ignore_conflicts=True)
    sent = list(Reminder.objects.values_list("task_id", "channel", "recipient_id", "endpoint_id"))
    addresses = [(task, channel, robot or person) for task, channel, person, robot in sent]
    assert len(addresses) == len(set(addresses)) == len(first)


def test_the_database_refuses_a_second_reminder_to_the_same_person_the_same_day(world, frozen_today):
    day = dt.date(2026, 12, 7)
    frozen_today(day)
    run_worker_cycle()
    reminder = Reminder.objects.exclude(channel="webhook").first()
    twin = Reminder(
        **{
            f.attname: getattr(reminder, f.attname)
            for f in Reminder._meta.concrete_fields
            if not f.primary_key
        }
    )
    twin.key = reminder.key + ":again"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    twin.issued_on = day + dt.timedelta(days=1)  # tomorrow it may go out again
    twin.save()
