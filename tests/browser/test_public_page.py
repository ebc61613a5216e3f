"""The public results page, on the demo plan, in a real browser: nobody's name, phone or notes."""

import pytest
from django.urls import reverse

from luoshi.bulletins.actions import draft_bulletin, publish_bulletin, review_bulletin
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.models import Bulletin
from luoshi.demo.load import load_demo
from luoshi.indicators.models import IndicatorActual
from luoshi.orgs.models import Person
from luoshi.plans.models import Comment, Task, TaskTransition
from luoshi.progress.models import ProgressReport
from luoshi.public.actions import set_public_page
from tests.browser.conftest import PHONE, shoot


@pytest.fixture
def demo(transactional_db, frozen_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = load_demo().plan
    office = Person.objects.get(username="supervisor")
    for person in Person.objects.all():  # the demo has no phone numbers: give everyone one to look for
        person.phone = f"1380571{person.pk:04d}"
        person.save(update_fields=["phone"])
    bulletin = draft_bulletin(office, plan=plan, period=parse_period("2026-11"))
    review_bulletin(office, bulletin)
    publish_bulletin(office, bulletin)
    set_public_page(office, plan, published=True, intro="本页公示方案落实情况，欢迎社会监督。")
    return plan


def private_words() -> set[str]:
    """Everything about people and everything said inside: names, phones, notes, reasons, comments."""
    words = set()
    for person in Person.objects.all():
        words |= {person.full_name, person.phone}
    for report in ProgressReport.objects.all():
        words |= {report.narrative, report.problems, report.lowering_reason}
    words |= set(Comment.objects.values_list("body", flat=True))
    words |= set(TaskTransition.objects.values_list("note", flat=True))
    words |= set(IndicatorActual.objects.values_list("note", flat=True))
    words |= set(Task.objects.values_list("description", flat=True))
    for bulletin in Bulletin.objects.all():
        words |= {bulletin.commendations, bulletin.criticisms, bulletin.remarks}
    return {w.strip() for w in words if w and len(w.strip()) >= 2}


def test_the_public_page_shows_the_results_and_nothing_private(demo, browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    url = live_server.url + reverse("public_page", args=[demo.pk])
    page.goto(url)
    assert page.title().startswith("结果公示")
    assert page.locator("h2").all_inner_texts()[:4] == [
        "主要方面",
        "目标指标 " + page.locator("#indicators-title small").inner_text(),
        "已办结任务 " + page.locator("#completed-title small").inner_text(),
        "已印发通报",
    ]
    assert page.locator("#indicators-title ~ .table-wrap tbody tr").count() > 3
    assert page.locator("#completed-title ~ .table-wrap tbody tr").count() > 3
    assert "督查通报〔2026〕" in page.locator("#bulletins-title ~ ul").inner_text()
    assert page.locator("a[href*='/accounts/'], form, input").count() == 0  # no sign-in, no forms
    shoot(page, "public-results-page")
    private = private_words()
    assert len(private) > 50  # the demo says plenty inside
    seen = [page.content()]
    while page.locator("nav.pager a", has_text="下一页").count():  # every page of every list
        page.locator("nav.pager a", has_text="下一页").first.click()
        page.wait_for_load_state("domcontentloaded")
        seen.append(page.content())
    page.set_viewport_size(PHONE)
    shoot(page, "public-results-page-phone")
    context.close()
    leaks = sorted({word for word in private for html in seen if word in html})
    assert not leaks, leaks
