"""My tasks: a unit's open work by urgency, and progress reported inline (htmx) with evidence."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.models import Evidence, ProgressReport
from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


HTMX = {"HTTP_HX_REQUEST": "true"}


def report_data(task: Task, percent: int = 80, narrative: str = "已完成初稿", files=()) -> dict:
    prefix = f"r{task.pk}-"
    return {
        f"{prefix}percent": percent,
        f"{prefix}narrative": narrative,
        f"{prefix}problems": "",
        f"{prefix}files": list(files),
    }


def test_the_cards_come_by_urgency_and_only_the_units_open_tasks(scene):
    c = scene.cast
    html = client_for(c.jingfa_staff).get(reverse("my_tasks")).content.decode()
    sections = re.findall(r'<section class="mine-section" id="section-(\w+)"', html)
    assert sections == ["returned", "overdue", "assigned", "working"]
    cards = [int(pk) for pk in re.findall(r'id="task-card-(\d+)"', html)]
    assert cards[:2] == [scene.returned.pk, scene.overdue.pk]
    assert c.key.pk in cards  # a task 经发局 supports
    assert c.measure.pk not in cards  # 财政局's alone
    assert "缺少会议纪要，请补充佐证材料。" in html  # why it was returned


def test_a_report_filed_inline_returns_the_refreshed_card_with_the_new_progress(scene):
    c = scene.cast
    client = client_for(c.caizheng_staff)
    form = client.get(reverse("my_task_report", args=[c.measure.pk]), **HTMX).content.decode()
    assert (
        f'name="r{c.measure.pk}-percent"' in form and 'value="30"' in form
    )  # starts from the current progress
    evidence = SimpleUploadedFile("请示.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(
        reverse("my_task_report", args=[c.measure.pk]), report_data(c.measure, 80, files=[evidence]), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<article")  # a fragment, not a page
    assert "进度已报送" in html and "80.0%" in html
    report = ProgressReport.objects.get(task=c.measure, percent=80)
    assert report.author == c.caizheng_staff
    assert Evidence.objects.get(report=report).original_name == "请示.pdf"


def test_a_report_with_errors_comes_back_in_the_card_with_what_was_typed(scene):
    c = scene.cast
    response = client_for(c.caizheng_staff).post(
        reverse("my_task_report", args=[c.measure.pk]), report_data(c.measure, 130, "写了一半"), **HTMX
    )
    html = response.content.decode()
    assert (
        response.status_code == 200 and "请检查填写的内容" in html and "写了一半" in html and " open>" in html
    )
    assert not ProgressReport.objects.filter(task=c.measure, narrative="写了一半").exists()


def test_without_htmx_a_report_goes_back_to_the_page(scene):
    c = scene.cast
    response = client_for(c.caizheng_staff).post(
        reverse("my_task_report", args=[c.measure.pk]), report_data(c.measure, 50)
    )
    assert response.status_code == 302 and response["Location"] == reverse("my_tasks")
    assert ProgressReport.objects.filter(task=c.measure, percent=50).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("outsider", 404), ("jingfa_staff", 404), ("leader", 403), ("viewer", 403), ("supervisor", 403)],
)
def test_a_forged_report_is_refused(scene, role, status):
    c = scene.cast
    response = client_for(getattr(c, role)).post(
        reverse("my_task_report", args=[c.measure.pk]), report_data(c.measure, 99), **HTMX
    )
    assert response.status_code == status
    assert not ProgressReport.objects.filter(task=c.measure, percent=99).exists()


def test_only_the_unit_manager_sees_and_may_use_the_acknowledge_button(scene):
    c = scene.cast
    staff = client_for(c.caizheng_staff)
    card = re.search(
        rf'id="task-card-{scene.assigned.pk}".*?</article>',
        staff.get(reverse("my_tasks")).content.decode(),
        re.S,
    ).group(0)
    assert 'data-step="acknowledge"' not in card and "等待本单位管理员签收" in card
    url = reverse("my_task_step", args=[scene.assigned.pk, "acknowledge"])
    assert staff.post(url, **HTMX).status_code == 403
    manager = client_for(c.caizheng_manager)
    card = re.search(
        rf'id="task-card-{scene.assigned.pk}".*?</article>',
        manager.get(reverse("my_tasks")).content.decode(),
        re.S,
    ).group(0)
    assert 'data-step="acknowledge"' in card
    html = manager.post(url, **HTMX).content.decode()
    assert "操作成功：签收" in html and 'data-step="acknowledge"' not in html
    assert Task.objects.get(pk=scene.assigned.pk).status == TaskStatus.ACKNOWLEDGED


def test_a_step_the_workflow_refuses_is_explained_in_the_card(scene):
    c = scene.cast
    Task.objects.filter(pk=c.jingfa_task.pk).update(status=TaskStatus.IN_PROGRESS)
    html = (
        client_for(c.jingfa_manager)
        .post(
            reverse("my_task_step", args=[c.jingfa_task.pk, "request_closing"]),
            {"note": "方案已报送，待批复", "confirmed": "1"},
            **HTMX,
        )
        .content.decode()
    )
    assert "至少要上传一份佐证材料" in html
    assert Task.objects.get(pk=c.jingfa_task.pk).status == TaskStatus.IN_PROGRESS


def test_the_supervision_offices_steps_are_not_taken_from_here(scene):
    response = client_for(scene.cast.supervisor).post(
        reverse("my_task_step", args=[scene.closing.pk, "sign_off"]), **HTMX
    )
    assert response.status_code == 404
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSING_REQUESTED


def test_a_parent_task_asks_for_reports_on_its_subtasks(scene):
    c = scene.cast
    html = client_for(c.caizheng_staff).get(reverse("my_tasks")).content.decode()
    card = re.search(rf'id="task-card-{c.key.pk}".*?</article>', html, re.S).group(0)
    assert "请在下级任务上报送" in card and "报送进度" not in card
