"""催办 in Chromium, end to end: the worker reminds the unit of an overdue task, the unit reads it in its
inbox and answers with a report, and the office sees on its 催办 page that the reminder was read and
answered."""

import datetime as dt

from django.urls import reverse

from luoshi.plans import actions
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from tests import test_reminders as reminders_suite
from tests.browser.conftest import shoot
from tests.test_reminders import days, run_worker_cycle

#: The reminder suite's two-month plan, its rules and robots (fixtures).
world, robots = reminders_suite.world, reminders_suite.robots


def test_the_unit_reads_and_answers_a_reminder_and_the_office_sees_it(
    transactional_db, world, frozen_today, open_page, live_server, settings
):
    cast, request = world.cast, world.request
    settings.SITE_URL = live_server.url  # the links in the messages lead back to this server
    frozen_today(dt.date(2026, 11, 2))
    actions.acknowledge_task(cast.caizheng_manager, request)
    report_progress(cast.caizheng_staff, Task.objects.get(pk=request.pk), percent=10, narrative="已启动")
    for day in days(dt.date(2026, 11, 20), dt.date(2026, 11, 23)):  # due on the 20th, overdue on the 23rd
        frozen_today(day)
        run_worker_cycle()

    staff = open_page(cast.caizheng_staff)
    staff.goto(open_page.url + reverse("notification_list"))
    message = staff.locator("article.notification.unread", has_text="逾期催办·第1级")
    assert message.count() == 1 and "形成专门请示报省财政厅" in message.inner_text()
    shoot(staff, "inbox-reminder")
    message.get_by_role("button", name="查看任务").click()
    staff.wait_for_url(f"**{reverse('task_detail', args=[request.pk])}")  # reading it opens the task

    staff.goto(open_page.url + reverse("my_tasks"))
    card = staff.locator(f"#task-card-{request.pk}")
    card.locator("summary").click()
    card.locator("input[name$=percent]").fill("70")
    card.locator("textarea[name$=narrative]").fill("请示已修改，今日报送。")
    card.locator("button", has_text="报送").click()
    staff.locator(f"#task-card-{request.pk} .msg.success").wait_for()

    office = open_page(cast.supervisor)
    office.goto(open_page.url + reverse("reminder_list") + "?since=2026-11-01")
    section = office.locator(f"#unit-{cast.caizheng.pk}")
    row = section.locator("tr", has_text="逾期催办·第1级").filter(
        has_text="财政局刘科员"
    )  # the robots have rows too
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[5] != "未读"  # read, with the time it was read
    assert cells[6] == "已答复 2026-11-23"  # answered by the report the same day
    shoot(office, "reminders")

    robots = section.locator("tr", has_text="逾期催办·第1级").filter(has_text="群")
    assert robots.count() == 2 and all("已答复 2026-11-23" in text for text in robots.all_inner_texts())
