"""The pages people use every day, driven in Chromium: report, sign off, be refused, switch language —
and a screenshot of every main page under test-output/screenshots/."""

import re

from django.urls import reverse

from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.models import Evidence
from tests.browser.conftest import PHONE, shoot


def test_unit_staff_report_progress_with_evidence_and_the_cockpit_moves(scene, open_page):
    c = scene.cast
    page = open_page(c.caizheng_staff)
    assert page.url.endswith(reverse("my_tasks"))  # unit people land on their tasks
    page.goto(open_page.url + reverse("cockpit"))
    before = float(page.locator("#plan-progress .value").get_attribute("data-value"))

    page.goto(open_page.url + reverse("my_tasks"))
    card = page.locator(f"#task-card-{c.measure.pk}")
    shoot(page, "mine")
    card.locator("summary").click()
    card.locator("input[name$=percent]").fill("90")
    card.locator("textarea[name$=narrative]").fill("请示已报省财政厅，等待批复。")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "请示文件.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}]
    )
    card.locator("button", has_text="报送").click()
    card = page.locator(f"#task-card-{c.measure.pk}")  # htmx swapped the card in place
    card.locator(".msg.success").wait_for()
    assert card.locator(".task-progress").inner_text() == "90.0%"
    assert page.url.endswith(reverse("my_tasks"))  # never left the page
    assert Evidence.objects.filter(report__task=c.measure, original_name="请示文件.pdf").exists()

    page.goto(open_page.url + reverse("cockpit"))
    after = float(page.locator("#plan-progress .value").get_attribute("data-value"))
    assert after > before

    page.goto(open_page.url + reverse("task_detail", args=[c.measure.pk]))
    assert page.locator("#timeline").get_by_text("请示文件.pdf").is_visible()
    assert "90.0%" in page.locator("#task-progress").inner_text()
    shoot(page, "task")
    page.set_viewport_size(PHONE)
    shoot(page, "task-phone")


def test_the_supervision_office_signs_off_a_closing_from_the_board(scene, open_page):
    page = open_page(scene.cast.supervisor)
    assert page.url.endswith(reverse("cockpit"))
    page.goto(open_page.url + reverse("supervision_board"))
    shoot(page, "board")
    row = page.locator(f"#board-closing-{scene.closing.pk}")
    page.once("dialog", lambda dialog: dialog.accept())  # 销号 cannot be undone: the page asks first
    row.locator("[data-step=sign_off]").click()
    row = page.locator(f"#board-closing-{scene.closing.pk}")
    row.locator(".msg.success").wait_for()
    assert row.locator(".task-status").inner_text() == "已办结"
    assert row.locator("[data-step]").count() == 0  # nothing more to do on a closed task
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSED


def test_another_units_staff_find_no_way_to_edit_the_task_and_a_forged_post_is_refused(scene, open_page):
    c = scene.cast
    key = c.key  # led by 财政局; 经发局 only supports it
    page = open_page(c.jingfa_staff)
    page.goto(open_page.url + reverse("task_detail", args=[key.pk]))
    assert page.locator("h1").inner_text().startswith("1 争取集装箱运输支持政策")
    assert page.locator(f"a[href='{reverse('task_edit', args=[key.pk])}']").count() == 0
    assert page.locator(f"a[href='{reverse('task_split', args=[key.pk])}']").count() == 0
    assert page.locator("[data-step]").count() == 0
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": open_page.url}
    edit = page.request.post(
        open_page.url + reverse("task_edit", args=[key.pk]),
        headers=headers,
        form={
            "title": "伪造的标题",
            "kind": key.kind,
            "lead_unit": c.jingfa.pk,
            "start_date": "2024-01-01",
            "deadline": "2027-06-30",
            "weight": "1",
            "version": str(key.version),
        },
    )
    sign_off = page.request.post(
        open_page.url + reverse("board_sign_off", args=[c.measure.pk]), headers=headers
    )
    step = page.request.post(
        open_page.url + reverse("task_step", args=[scene.closing.pk, "sign_off"]), headers=headers
    )
    assert edit.status == 403
    assert sign_off.status == 404  # not even visible to them
    assert step.status in (403, 404)
    assert Task.objects.get(pk=key.pk).title == "争取集装箱运输支持政策"
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSING_REQUESTED


def test_switching_to_english_shows_english_pages(scene, open_page):
    page = open_page(scene.cast.leader)
    page.select_option("header select[name=language]", "en")
    page.locator("header form.lang button").click()  # choosing alone changes nothing (WCAG 3.2.2)
    page.wait_for_selector("html[lang=en]")
    nav = page.locator("header nav").inner_text()
    assert "Cockpit" in nav and "Task tree" in nav
    assert page.locator("h1").inner_text().startswith("Leader cockpit")
    assert not re.search(
        r"[\u4e00-\u9fff]", page.locator(".kpis").inner_text()
    )  # no Chinese left in the tiles
    shoot(page, "cockpit-en")
    page.goto(open_page.url + reverse("task_list"))
    assert page.locator("#task-tree th").first.inner_text() == "Task"
    shoot(page, "tree-en")
    page.goto(open_page.url + reverse("task_detail", args=[scene.cast.key.pk]))
    shoot(page, "task-en")


def test_screenshots_of_every_main_page(scene, open_page):
    c = scene.cast
    page = open_page(c.supervisor)
    base = open_page.url
    shoot(page, "cockpit")
    page.goto(base + reverse("task_list"))
    page.locator(f"tr[data-id='{c.key.pk}'] [data-toggle]").click()
    page.locator(f"tr[data-id='{c.measure.pk}']").wait_for()
    shoot(page, "tree")
    page.locator(f"tr[data-id='{c.key.pk}'] [data-toggle]").click()
    assert page.locator(f"tr[data-id='{c.measure.pk}']").is_hidden()
    page.goto(base + reverse("task_list") + f"?plan={c.plan.pk}&light=overdue")
    shoot(page, "tree-filtered")
    for name, url in [
        ("gantt", reverse("gantt") + "?depth=2"),
        ("gantt-task", reverse("gantt") + f"?root={c.measure.pk}"),
        ("units", reverse("unit_list")),
        ("unit", reverse("unit_detail", args=[c.caizheng.pk])),
        ("indicators", reverse("indicator_list")),
        ("indicator", reverse("indicator_detail", args=[scene.port.pk])),
        ("projects", reverse("project_list")),
        ("project", reverse("project_detail", args=[scene.project.pk])),
        ("task-returned", reverse("task_detail", args=[scene.returned.pk])),
    ]:
        page.goto(base + url)
        shoot(page, name)
    page.emulate_media(media="print")
    for name, url in [
        ("cockpit-print", reverse("cockpit")),
        ("tree-print", reverse("task_list") + "?overdue=on"),
    ]:
        page.goto(base + url)
        shoot(page, name)
        assert page.locator("header.topbar").is_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    for name, url in [
        ("cockpit-phone", reverse("cockpit")),
        ("board-phone", reverse("supervision_board")),
        ("tree-phone", reverse("task_list")),
    ]:
        page.goto(base + url)
        shoot(page, name)
    leader = open_page(c.caizheng_staff, viewport=PHONE)
    shoot(leader, "mine-phone")
