"""The office imports a work report as a new plan in Chromium, the live plan's cockpit does not move,
and the import is undone as a whole; an Excel 任务分解表 goes through its own upload page."""

from pathlib import Path

from django.urls import reverse

from luoshi.documents.models import ImportDraft
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan, Task, TaskStatus
from tests.browser.conftest import shoot
from tests.test_excel_import import HEAD, xlsx

#: Waits for what the server does at length (an import creates, an undo removes, a hundred drafts): a
#: loaded CI machine is slow there, which is no fault of the page.
SLOW = 60_000

REPORT = Path(__file__).resolve().parents[2] / "bench" / "corpus" / "county_gov_work_report.txt"


def cockpit_figures(page, url: str) -> str:
    page.goto(url)
    return page.locator("section.kpis").inner_text() + page.locator(".cockpit-grid.lower").inner_text()


def test_a_work_report_imported_as_a_new_plan_leaves_the_live_cockpit_alone_and_is_undone(scene, open_page):
    c = scene.cast
    page = open_page(c.supervisor)
    live = open_page.url + reverse("cockpit") + f"?plan={c.plan.pk}"
    before = cockpit_figures(page, live), cockpit_figures(page, open_page.url + reverse("cockpit"))
    live_tasks = set(Task.objects.filter(plan=c.plan).values_list("pk", "title", "parent_id", "status"))
    live_targets = set(IndicatorTarget.objects.values_list("pk", "indicator_id", "due_date", "value"))
    units = Unit.objects.count()

    page.click("nav >> text=导入")  # the office finds the import on the menu
    page.fill("textarea[name=text]", REPORT.read_text(encoding="utf-8"))
    page.click("button[type=submit]")
    page.wait_for_url("**/import/*/")
    assert page.locator("input[name=placement][value=new_plan]").is_checked()
    assert page.locator("input[name=new_title]").input_value() == "清源县2026年政府工作报告"
    assert not page.locator("input[data-unit='市委']").is_checked()  # only mentioned
    assert page.locator("input[data-unit='县审计局']").is_checked()  # given a part
    shoot(page, "import-review-new-plan")
    page.click("button.primary", timeout=SLOW)
    page.wait_for_selector("text=撤销这次导入", timeout=SLOW)
    shoot(page, "import-record")

    draft = ImportDraft.objects.get()
    new_plan = Plan.objects.get(pk=draft.plan_id)
    assert new_plan.title == "清源县2026年政府工作报告" and new_plan != c.plan
    assert Task.objects.filter(plan=new_plan).count() > 20
    assert not Task.objects.filter(plan=new_plan).exclude(status=TaskStatus.DRAFT).exists()
    assert not Unit.objects.filter(name__in=["市委", "省委", "县委", "市政府"]).exists()
    assert (
        set(Task.objects.filter(plan=c.plan).values_list("pk", "title", "parent_id", "status")) == live_tasks
    )
    assert (
        set(
            IndicatorTarget.objects.filter(indicator__plan=c.plan).values_list(
                "pk", "indicator_id", "due_date", "value"
            )
        )
        == live_targets
    )
    after = cockpit_figures(page, live), cockpit_figures(page, open_page.url + reverse("cockpit"))
    assert after == before  # the live plan's figures, and still the plan the cockpit opens on

    page.goto(open_page.url + reverse("import_review", args=[draft.pk]))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=撤销这次导入", timeout=SLOW)
    page.wait_for_selector("text=已撤销导入", timeout=SLOW)
    shoot(page, "import-undone")
    assert not Plan.objects.filter(pk=new_plan.pk).exists()
    assert Unit.objects.count() == units and not Indicator.objects.exclude(plan=c.plan).exists()
    assert set(Task.objects.values_list("pk", "title", "parent_id", "status")) == live_tasks


BAD = [
    HEAD,
    ["1", "港口物流", "", "财政局", "", "", "2026年12月"],
    ["", "", "编制物流园区规划", "财正局", "", "", "2026年12月"],
    ["", "", "争取专项资金", "经发局", "", "", "下个月吧"],
]
GOOD = [
    HEAD,
    ["1", "港口物流", "", "财政局", "", "", "2026年12月"],
    ["", "", "编制物流园区规划", "财政局", "经发局", "", "2026年11月"],
]


def test_the_excel_page_marks_bad_cells_saves_nothing_then_imports_a_good_file(scene, open_page, tmp_path):
    c = scene.cast
    tasks, plans = Task.objects.count(), Plan.objects.count()
    bad, good = tmp_path / "分解表.xlsx", tmp_path / "港口物流分解表.xlsx"
    bad.write_bytes(xlsx(BAD))
    good.write_bytes(xlsx(GOOD))
    page = open_page(c.supervisor)
    page.goto(open_page.url + reverse("import_upload"))
    page.click("text=任务分解表导入")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button.primary")
    page.wait_for_selector("#check-summary")
    assert "发现 2 处错误" in page.locator("#check-summary").inner_text()
    assert "找不到单位“财正局”" in page.locator("td.bad").nth(0).inner_text()
    assert page.locator("td.bad").nth(1).inner_text().startswith("下个月吧")
    shoot(page, "excel-preview-errors")
    page.click("button[value=import]")  # all rows: refused, nothing saved
    page.wait_for_selector("#check-summary")
    assert Task.objects.count() == tasks and Plan.objects.count() == plans

    page.goto(open_page.url + reverse("excel_upload"))
    page.set_input_files("input[name=file]", str(good))
    page.click("button.primary")
    page.wait_for_selector("#check-summary")
    assert "共 2 项任务可以导入" in page.locator("#check-summary").inner_text()
    page.check("input[name=placement][value=under_task]")
    page.select_option("select[name=parent]", str(c.area.pk))
    page.click("button[value=import]")
    page.wait_for_selector("text=撤销这次导入")
    shoot(page, "excel-imported")
    [area_task] = c.area.children.filter(title="港口物流")
    assert [t.title for t in area_task.children.all()] == ["编制物流园区规划"]
    assert Plan.objects.count() == plans
