"""The 催办 page: for the office, every reminder sent, whether it was read and answered by a report, by
lead unit, with filters; nobody else finds it."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from luoshi.inbox.actions import mark_read
from luoshi.inbox.models import Notification
from luoshi.plans import actions
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from tests import test_reminders as reminders_suite
from tests.cast import client_for
from tests.test_reminders import days, run_worker_cycle

#: The reminder suite's two-month plan, its rules and robots (fixtures).
world, robots = reminders_suite.world, reminders_suite.robots


def three_weeks_of_reminders(world, frozen_today) -> None:
    """The 财政局 task is overdue from 23 November; its staff read the first reminder and report on the 24th."""
    cast, request = world.cast, world.request
    frozen_today(dt.date(2026, 11, 2))
    actions.acknowledge_task(cast.caizheng_manager, request)
    report_progress(cast.caizheng_staff, Task.objects.get(pk=request.pk), percent=10, narrative="已启动")
    for day in days(dt.date(2026, 11, 20), dt.date(2026, 12, 11)):
        frozen_today(day)
        if day == dt.date(2026, 11, 24):
            first = Notification.objects.get(recipient=cast.caizheng_staff, subject__contains="第1级")
            mark_read(cast.caizheng_staff, first.pk)
            report_progress(
                cast.caizheng_staff, Task.objects.get(pk=request.pk), percent=70, narrative="修改中"
            )
        run_worker_cycle()


def test_the_office_sees_each_reminder_read_and_answered_or_not_by_unit(world, frozen_today):
    three_weeks_of_reminders(world, frozen_today)
    page = client_for(world.cast.supervisor).get(reverse("reminder_list"), {"since": "2026-11-01"})
    assert page.status_code == 200
    groups = {group.unit.name: group for group in page.context["groups"]}
    caizheng = groups["财政局"]
    person_lines = [
        (line.issued_on, line.what, line.to, bool(line.read_at), line.answered_on)
        for line in caizheng.lines
        if "群" not in line.to
    ]
    d = dt.date
    assert person_lines == [
        (d(2026, 12, 8), "催报进度", "财政局刘科员", False, None),  # ten working days after the last report
        (d(2026, 11, 30), "逾期催办·第3级", "李副主任", False, None),
        (d(2026, 11, 26), "逾期催办·第2级", "财政局张局长", False, None),  # two working days after the report
        (d(2026, 11, 23), "逾期催办·第1级", "财政局刘科员", True, d(2026, 11, 24)),
        (d(2026, 11, 20), "催报进度", "财政局刘科员", False, d(2026, 11, 24)),
    ]
    # The in-app message and the e-mail of one reminder are one line; the robots have their own.
    assert [len(line.channels) for line in caizheng.lines if line.to == "财政局刘科员"] == [2, 2, 2]
    assert "财政局" in page.text and "已答复 2026-11-24" in page.text and "未答复" in page.text

    unanswered = client_for(world.cast.supervisor).get(
        reverse("reminder_list"), {"since": "2026-11-01", "answered": "no", "unit": world.cast.caizheng.pk}
    )
    lines = [line for group in unanswered.context["groups"] for line in group.lines]
    assert lines and all(
        line.answered_on is None and line.task.lead_unit == world.cast.caizheng for line in lines
    )
    assert {group.unit.name for group in unanswered.context["groups"]} == {"财政局"}


def test_the_reminder_page_is_the_offices_alone(world, frozen_today):
    three_weeks_of_reminders(world, frozen_today)
    cast = world.cast
    for name in ("supervisor", "admin"):
        assert client_for(getattr(cast, name)).get(reverse("reminder_list")).status_code == 200
    for name in ("leader", "viewer", "caizheng_manager", "caizheng_staff", "jingfa_manager", "outsider"):
        assert client_for(getattr(cast, name)).get(reverse("reminder_list")).status_code == 404, name
    assert Client().get(reverse("reminder_list")).status_code == 302
    menu = client_for(cast.supervisor).get(reverse("cockpit")).text
    assert f'href="{reverse("reminder_list")}"' in menu
    assert (
        f'href="{reverse("reminder_list")}"'
        not in client_for(cast.caizheng_manager).get(reverse("cockpit")).text
    )
