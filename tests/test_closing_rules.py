"""Closing without surprises: who may ask for closing and whom to ask, a closing below 100% with its
reason, confirmed irreversible steps, and a lower progress report with the reason it is kept with."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.orgs.models import Role
from luoshi.plans import actions
from luoshi.plans.models import Task, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.progress.models import ProgressReport
from tests.cast import client_for, make_person


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def evidence(name: str = "批复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 approval", content_type="application/pdf")


def detail(person, task: Task) -> str:
    return client_for(person).get(reverse("task_detail", args=[task.pk])).content.decode()


def test_staff_of_the_lead_unit_are_told_who_asks_for_closing(scene):
    c = scene.cast
    html = detail(c.caizheng_staff, c.measure)
    assert 'data-step="request_closing"' not in html
    hint = html[html.index('id="closing-hint"') :]
    assert "申请办结由牵头单位的单位管理员提出" in hint and "财政局张局长" in hint[: hint.index("</p>")]


def test_a_section_without_its_own_manager_names_the_bureaus(cast):
    task = Task.objects.create(
        plan=cast.plan,
        parent=cast.jingfa_task,
        title="综合科汇总材料",
        lead_unit=cast.jingfa_section,
        status=TaskStatus.IN_PROGRESS,
        start_date=cast.plan.period_start,
        deadline=cast.jingfa_task.deadline,
    )
    clerk = make_person("zonghe", Role.STAFF, cast.jingfa_section, "综合科周科员")
    hint = detail(clerk, task)
    assert "经发局赵局长" in hint[hint.index('id="closing-hint"') :]


def test_the_manager_who_may_ask_sees_no_such_hint(scene):
    html = detail(scene.cast.caizheng_manager, scene.cast.measure)
    assert 'data-step="request_closing"' in html and 'id="closing-hint"' not in html


def test_closing_below_100_percent_needs_a_note(scene):
    c = scene.cast  # the measure is at 30%, with evidence
    with pytest.raises(ValidationError, match="未到 100%"):
        actions.request_closing(c.caizheng_manager, c.measure)
    task = actions.request_closing(c.caizheng_manager, c.measure, "剩余工作转入下一年度专项推进")
    assert task.status == TaskStatus.CLOSING_REQUESTED
    assert task.transitions.latest("at").note == "剩余工作转入下一年度专项推进"


def test_the_page_asks_to_confirm_a_closing_below_100_percent_and_requires_the_note(scene):
    html = detail(scene.cast.caizheng_manager, scene.cast.measure)
    form = html[html.rindex("<form", 0, html.index('data-step="request_closing"')) :]
    form = form[: form.index("</form>")]
    assert 'data-confirm="当前进度 30%，未到 100%。确定申请办结？' in form
    assert 'name="note" maxlength="1000" required' in form and 'name="confirmed" value="1"' in form


def test_a_closing_request_below_100_percent_without_a_note_is_refused_on_the_page(scene):
    c = scene.cast
    client = client_for(c.caizheng_manager)
    url = reverse("task_step", args=[c.measure.pk, "request_closing"])
    page = client.post(url, {"confirmed": "1"}, follow=True).content.decode()
    assert "当前进度 30%，未到 100%：申请办结须在办结说明中写明理由" in page
    assert Task.objects.get(pk=c.measure.pk).status == TaskStatus.IN_PROGRESS
    client.post(url, {"confirmed": "1", "note": "剩余工作并入年度计划"})
    assert Task.objects.get(pk=c.measure.pk).status == TaskStatus.CLOSING_REQUESTED


@pytest.mark.parametrize(
    ("step", "who", "task"),
    [("request_closing", "caizheng_manager", "measure"), ("sign_off", "supervisor", "closing")],
)
def test_a_forged_post_without_the_pages_confirmation_is_refused(scene, step, who, task):
    task = getattr(scene, task, None) or getattr(scene.cast, task)
    before = Task.objects.get(pk=task.pk).status
    page = (
        client_for(getattr(scene.cast, who))
        .post(reverse("task_step", args=[task.pk, step]), {"note": "已全部完成"}, follow=True)
        .content.decode()
    )
    assert "此操作须经确认" in page
    assert Task.objects.get(pk=task.pk).status == before


def test_the_page_asks_to_confirm_a_sign_off(scene):
    html = detail(scene.cast.supervisor, scene.closing)
    form = html[html.rindex("<form", 0, html.index('data-step="sign_off"')) :]
    assert 'data-confirm="确定复核通过并销号？' in form[: form.index("</form>")]
    client_for(scene.cast.supervisor).post(
        reverse("task_step", args=[scene.closing.pk, "sign_off"]), {"confirmed": "1"}
    )
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSED


def test_lowering_progress_needs_a_reason_that_the_report_keeps(scene):
    c = scene.cast  # the measure's last report said 30%
    with pytest.raises(ValidationError, match="由上次报送的 30% 下调为 20%"):
        report_progress(c.caizheng_staff, c.measure, percent=20, narrative="重新核定工作量")
    report = report_progress(
        c.caizheng_staff,
        c.measure,
        percent=20,
        narrative="重新核定工作量",
        reason="省厅要求补充测算，原请示需重写",
    )
    assert (report.lowered_from, report.lowering_reason) == (30, "省厅要求补充测算，原请示需重写")
    same = report_progress(c.caizheng_staff, c.measure, percent=20, narrative="测算中", reason="不是下调")
    assert (same.lowered_from, same.lowering_reason) == (None, "")


def test_the_report_form_refuses_a_lower_percent_without_reason_and_the_timeline_shows_it(scene):
    c = scene.cast
    client = client_for(c.caizheng_staff)
    url = reverse("task_report", args=[c.measure.pk])
    page = client.post(url, {"percent": 10, "narrative": "重新核定"}).content.decode()
    assert "进度由上次报送的 30% 下调为 10%，须说明下调理由" in page
    assert not ProgressReport.objects.filter(task=c.measure, percent=10).exists()
    client.post(url, {"percent": 10, "narrative": "重新核定", "reason": "原方案被省厅退回重做"})
    timeline = detail(c.caizheng_staff, c.measure)
    timeline = timeline[timeline.index('id="timeline"') :]
    assert "由 30% 下调" in timeline and "原方案被省厅退回重做" in timeline


def test_the_report_form_says_what_the_last_report_was(scene):
    html = detail(scene.cast.caizheng_staff, scene.cast.measure)
    assert 'data-lowering-below="30"' in html and "上次报送 30%" in html


def test_lowering_through_my_tasks_asks_for_the_reason_in_the_card(scene):
    c = scene.cast
    url = reverse("my_task_report", args=[c.measure.pk])
    card = (
        client_for(c.caizheng_staff)
        .post(
            url, {f"r{c.measure.pk}-percent": 5, f"r{c.measure.pk}-narrative": "重做"}, HTTP_HX_REQUEST="true"
        )
        .content.decode()
    )
    assert "须说明下调理由" in card
    assert not ProgressReport.objects.filter(task=c.measure, percent=5).exists()


def test_lowering_through_the_api_needs_the_reason_too(scene):
    c = scene.cast
    client = client_for(c.caizheng_staff)
    url = f"/api/tasks/{c.measure.pk}/reports"
    refused = client.post(url, {"percent": 10, "narrative": "重新核定"})
    assert refused.status_code == 422 and "须说明下调理由" in refused.json()["detail"]["reason"][0]
    made = client.post(url, {"percent": 10, "narrative": "重新核定", "reason": "口径调整"})
    assert made.status_code == 201, made.content
    assert (made.json()["lowered_from"], made.json()["lowering_reason"]) == (30, "口径调整")


def test_closing_at_100_percent_needs_no_note(scene):
    c = scene.cast
    report_progress(c.caizheng_staff, c.measure, percent=100, narrative="请示已获批复", files=[evidence()])
    assert actions.request_closing(c.caizheng_manager, c.measure).status == TaskStatus.CLOSING_REQUESTED


def test_closing_below_100_percent_through_the_api_needs_the_note_too(scene):
    c = scene.cast
    client = client_for(c.caizheng_manager)
    url = f"/api/tasks/{c.measure.pk}/steps/request_closing"
    refused = client.post(url, None, content_type="application/json")
    assert refused.status_code == 422 and "未到 100%" in refused.json()["detail"]["note"][0]
    made = client.post(url, {"note": "剩余工作并入年度计划"}, content_type="application/json")
    assert made.status_code == 200 and made.json()["status"] == "closing_requested"
