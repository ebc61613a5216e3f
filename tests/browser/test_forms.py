"""Every form with a date, opened in Chromium in Chinese and in English: the date field shows its current
value and the form saves it unchanged. Then the pickers, the questions before closing, the reason for a
lower report — and screenshots of the edit, split and report forms in both languages."""

import datetime as dt

import pytest
from django.urls import reverse

from luoshi.activities.models import Activity
from luoshi.indicators.models import IndicatorActual
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.models import ProgressReport
from luoshi.projects.models import Stage
from tests.browser.conftest import shoot

LOCALES = {"zh": "zh-CN", "en": "en-US"}


@pytest.fixture(params=sorted(LOCALES))
def lang(request) -> str:
    return request.param


def open_in(open_page, person, lang: str):
    """A page signed in as the person, in the language chosen (the language cookie, as the picker sets it)."""
    page = open_page(person, locale=LOCALES[lang])
    page.context.add_cookies(
        [{"name": "django_language", "value": "en" if lang == "en" else "zh-hans", "url": open_page.url}]
    )
    return page


def saved(page) -> None:
    """Wait for the page the form led to, and fail on a form shown again with its errors."""
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".errorlist, .msg.error").count() == 0, page.content()[:3000]


def test_editing_a_task_shows_its_dates_and_saves_them_unchanged(scene, open_page, lang):
    task = scene.cast.measure
    page = open_in(open_page, scene.cast.supervisor, lang)
    page.goto(open_page.url + reverse("task_edit", args=[task.pk]))
    assert page.locator("input[name=start_date]").input_value() == "2024-01-01"
    assert page.locator("input[name=deadline]").input_value() == "2027-03-31"
    shoot(page, f"form-task-edit-{lang}")
    page.locator("form button.primary").click()
    saved(page)
    assert page.url.endswith(reverse("task_detail", args=[task.pk]))
    task.refresh_from_db()
    assert (task.start_date, task.deadline, task.version) == (dt.date(2024, 1, 1), dt.date(2027, 3, 31), 2)


def test_splitting_a_task_saves_the_dates_given_and_the_child_shows_them(scene, open_page, lang):
    c = scene.cast
    page = open_in(open_page, c.jingfa_manager, lang)
    page.goto(open_page.url + reverse("task_split", args=[c.jingfa_task.pk]))
    page.fill("input[name=title]", f"编制承接项目清单 {lang}")
    page.fill("input[name=start_date]", "2026-12-01")
    page.fill("input[name=deadline]", "2027-04-30")
    page.locator(".choice-filter").last.fill("陈科员")  # the owner picker's filter box
    assert page.locator("select[name=owner]").input_value() == str(c.jingfa_staff.pk)
    shoot(page, f"form-task-split-{lang}")
    page.locator("form button.primary").click()
    saved(page)
    child = Task.objects.get(title=f"编制承接项目清单 {lang}")
    assert (child.start_date, child.deadline, child.owner) == (
        dt.date(2026, 12, 1),
        dt.date(2027, 4, 30),
        c.jingfa_staff,
    )
    page.goto(open_page.url + reverse("task_edit", args=[child.pk]))
    assert page.locator("input[name=start_date]").input_value() == "2026-12-01"
    assert page.locator("input[name=deadline]").input_value() == "2027-04-30"


def test_choosing_another_lead_unit_puts_its_people_first(scene, open_page):
    c = scene.cast
    page = open_page(c.supervisor)
    page.goto(open_page.url + reverse("task_split", args=[c.jingfa_task.pk]))
    first_group = page.locator("select[name=owner] optgroup").first
    assert first_group.get_attribute("label") == "经发局"
    page.select_option("select[name=lead_unit]", str(c.caizheng.pk))
    page.wait_for_function("document.querySelector('select[name=owner] optgroup').label === '财政局'")
    assert page.locator(".choice-filter").count() == 2  # the swapped picker kept its one filter box
    page.locator(".choice-filter").last.fill("刘科员")
    assert page.locator("select[name=owner]").input_value() == str(c.caizheng_staff.pk)


def test_recording_an_activity_opens_on_today_and_saves_it(scene, open_page, lang):
    page = open_in(open_page, scene.cast.caizheng_staff, lang)
    page.goto(open_page.url + reverse("activity_new"))
    assert page.locator("input[name=held_on]").input_value() == "2026-11-27"
    page.select_option("select[name=kind]", index=1)
    page.fill("input[name=title]", f"学习实施方案 {lang}")
    page.fill("textarea[name=outcome]", "明确了分工")
    page.locator("form button.primary").click()
    saved(page)
    assert Activity.objects.get(title=f"学习实施方案 {lang}").held_on == dt.date(2026, 11, 27)


def test_filtering_activities_by_dates_keeps_the_dates_shown(scene, open_page, lang):
    page = open_in(open_page, scene.cast.supervisor, lang)
    page.goto(open_page.url + reverse("activity_list"))
    page.fill("input[name=since]", "2026-10-01")
    page.fill("input[name=until]", "2026-11-30")
    page.locator("input[name=until]").press("Enter")
    page.wait_for_url("**until=2026-11-30**")
    assert page.locator("input[name=since]").input_value() == "2026-10-01"


def test_a_project_stage_shows_its_actual_date_and_saves_it_unchanged(scene, open_page, lang):
    stage = scene.project.stages.get(stage=Stage.START)
    page = open_in(open_page, scene.cast.jingfa_staff, lang)
    page.goto(open_page.url + reverse("project_detail", args=[scene.project.pk]))
    row = page.locator("#stages tbody tr").first
    assert row.locator("input[name=actual_date]").input_value() == "2025-02-20"
    row.locator("button").click()
    page.locator(".msg.success").wait_for()
    stage.refresh_from_db()
    assert stage.actual_date == dt.date(2025, 2, 20)


def test_an_indicator_actual_is_entered_with_its_period_end(scene, open_page, lang):
    page = open_in(open_page, scene.cast.jingfa_staff, lang)
    page.goto(open_page.url + reverse("indicator_detail", args=[scene.port.pk]))
    form = page.locator("#enter-actuals form").first
    form.locator("input[name=period_end]").fill("2026-09-30")
    form.locator("input[name=value]").fill("270000000")
    form.locator("button").click()
    page.locator(".msg.success").wait_for()
    assert IndicatorActual.objects.get(indicator=scene.port, period_end=dt.date(2026, 9, 30)).value == 2.7e8


def test_the_report_form_asks_for_a_reason_only_when_progress_goes_down(scene, open_page, lang):
    c = scene.cast  # the measure's last report said 30%
    page = open_in(open_page, c.caizheng_staff, lang)
    page.goto(open_page.url + reverse("task_detail", args=[c.measure.pk]))
    report = page.locator("#report")
    reason = report.locator("textarea[name=reason]")
    report.locator("input[name=percent]").fill("40")
    assert not reason.is_visible()
    report.locator("input[name=percent]").fill("20")
    assert reason.is_visible()
    report.locator("textarea[name=narrative]").fill("省厅要求补充测算")
    shoot(page, f"form-report-{lang}")
    report.locator("button.primary").click()
    assert ProgressReport.objects.filter(task=c.measure, percent=20).count() == 0  # the browser asked first
    reason.fill("原请示需按新口径重写")
    report.locator("button.primary").click()
    saved(page)
    assert ProgressReport.objects.get(task=c.measure, percent=20).lowering_reason == "原请示需按新口径重写"
    assert page.locator("#timeline .lowering-reason").first.is_visible()


def test_closing_below_100_percent_asks_first_and_takes_the_note(scene, open_page):
    c = scene.cast
    page = open_page(c.caizheng_manager)
    page.goto(open_page.url + reverse("task_detail", args=[c.measure.pk]))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    form = page.locator("form:has([data-step=request_closing])")
    form.locator("input[name=note]").fill("剩余工作并入明年专项")
    form.locator("button").click()
    page.wait_for_timeout(200)
    assert questions and "当前进度 30%" in questions[0]
    assert Task.objects.get(pk=c.measure.pk).status == TaskStatus.IN_PROGRESS  # dismissed: nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    form.locator("button").click()
    page.locator(".msg.success").wait_for()
    task = Task.objects.get(pk=c.measure.pk)
    assert task.status == TaskStatus.CLOSING_REQUESTED
    assert task.transitions.latest("at").note == "剩余工作并入明年专项"


def test_staff_see_whom_to_ask_for_closing(scene, open_page, lang):
    page = open_in(open_page, scene.cast.caizheng_staff, lang)
    page.goto(open_page.url + reverse("task_detail", args=[scene.cast.measure.pk]))
    hint = page.locator("#closing-hint")
    assert hint.is_visible() and "财政局张局长" in hint.inner_text()


def test_closing_from_my_tasks_asks_first_and_takes_the_note(scene, open_page):
    c = scene.cast
    page = open_page(c.caizheng_manager)
    page.goto(open_page.url + reverse("my_tasks"))
    card = page.locator(f"#task-card-{c.measure.pk}")
    form = card.locator("form:has([data-step=request_closing])")
    form.locator("input[name=note]").fill("剩余工作并入明年专项")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    form.locator("button").click()
    card = page.locator(f"#task-card-{c.measure.pk}")  # htmx swapped the card in place
    card.locator(".msg.success").wait_for()
    shoot(page, "mine-closing-requested")
    assert questions and "当前进度 30%" in questions[0]
    assert Task.objects.get(pk=c.measure.pk).transitions.latest("at").note == "剩余工作并入明年专项"
