"""The office turns a pasted 实施方案 into tasks in Chromium: paste, review, merge, correct, accept."""

from django.urls import reverse

from luoshi.documents.models import ImportDraft
from luoshi.indicators.models import IndicatorTarget
from luoshi.plans.models import Task
from tests.browser.conftest import shoot

PLAN_TEXT = """关于推进港口发展的实施方案
一、主要目标
到2026年，港口吞吐量超3亿吨，集装箱达到100万标箱。
二、重点任务
（一）做好宣传。宣传办要制定宣传工作方案。经发局要配合做好新闻发布。
"""


def test_the_office_pastes_a_plan_merges_two_items_corrects_a_target_and_accepts(scene, open_page):
    c = scene.cast
    page = open_page(c.supervisor)
    page.goto(open_page.url + reverse("import_upload"))
    page.fill("textarea[name=text]", PLAN_TEXT)
    page.click("button[type=submit]")
    page.wait_for_url("**/import/*/**")
    assert page.locator("mark#src-t1").inner_text().startswith("港口吞吐量")
    draft = ImportDraft.objects.get()
    first, second = [t for t in draft.proposal["tasks"] if "宣传" in t["text"] or "新闻" in t["text"]]
    page.check(f"li[data-item={second['id']}] input[name$=-merge]")
    page.fill("tr[data-item=t1] input[name$=-value]", "320000000")
    page.check("input[name=placement][value=plan_top]")  # asked for: beside the plan's areas
    page.select_option("select[name=plan]", str(c.plan.pk))
    shoot(page, "import-review")
    page.click("button.primary")
    page.wait_for_selector("text=撤销这次导入")
    merged = Task.objects.get(source_text=first["text"] + second["text"])
    assert merged.lead_unit == c.xuanchuan and list(merged.support_units.all()) == [c.jingfa]
    assert IndicatorTarget.objects.get(indicator__name="港口吞吐量").value == 320000000
    assert "已导入任务" in page.locator(".msg").first.inner_text()
