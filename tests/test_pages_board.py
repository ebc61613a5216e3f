"""The supervision board: its five lists, and signing off or returning a closing from there."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from luoshi.plans.models import Task, TaskStatus, TaskTransition
from tests.cast import client_for, make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


HTMX = {"HTTP_HX_REQUEST": "true"}


def section(html: str, key: str) -> str:
    return re.search(rf'id="section-{key}".*?</section>', html, re.S).group(0)


def ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-task="(\d+)"', html)}


def test_each_list_holds_its_tasks(scene):
    c = scene.cast
    html = client_for(c.supervisor).get(reverse("supervision_board")).content.decode()
    assert ids(section(html, "overdue")) == {scene.overdue.pk}
    assert ids(section(html, "due_soon")) == {scene.due_soon.pk}
    assert ids(section(html, "closing")) == {scene.closing.pk}
    assert ids(section(html, "returned")) == {scene.returned.pk}
    # stale: open leaf tasks with no report in 30 days — not the key task, whose progress is rolled up
    assert ids(section(html, "stale")) == {scene.overdue.pk, c.measure.pk, scene.returned.pk}


def test_due_soon_counts_working_days_not_calendar_days(scene, frozen_today):
    c = scene.cast
    frozen_today(dt.date(2026, 9, 28))  # Monday; 1–7 October is the National Day holiday
    inside = make_task(c.plan, "节后第一周报送", c.caizheng, c.key, deadline=dt.date(2026, 10, 9))
    outside = make_task(c.plan, "节后第二周报送", c.caizheng, c.key, deadline=dt.date(2026, 10, 14))
    html = client_for(c.supervisor).get(reverse("supervision_board")).content.decode()
    due_soon = ids(section(html, "due_soon"))
    assert inside.pk in due_soon  # 28, 29, 30 Sep and 8, 9 Oct: five working days
    assert outside.pk not in due_soon  # 7 calendar days would miss it anyway; 7 working days end on 12 Oct


def test_the_stale_threshold_comes_from_the_url(scene):
    html = (
        client_for(scene.cast.supervisor)
        .get(reverse("supervision_board"), {"stale_days": 120})
        .content.decode()
    )
    assert ids(section(html, "stale")) == set()


@pytest.mark.parametrize("role", ["leader", "viewer", "caizheng_manager"])
def test_nobody_but_the_office_sees_the_sign_off_buttons(scene, role):
    html = client_for(getattr(scene.cast, role)).get(reverse("supervision_board")).content.decode()
    assert 'data-step="sign_off"' not in html and 'data-step="return"' not in html


def test_the_office_signs_off_from_the_board(scene):
    client = client_for(scene.cast.supervisor)
    html = client.get(reverse("supervision_board")).content.decode()
    assert 'data-step="sign_off"' in section(html, "closing")
    assert 'hx-confirm="确定复核通过并销号？' in section(html, "closing")  # the page asks first
    response = client.post(
        reverse("board_sign_off", args=[scene.closing.pk]), {"section": "closing", "confirmed": "1"}, **HTMX
    )
    row = response.content.decode()
    assert row.lstrip().startswith("<tr") and "已复核通过" in row and "data-step" not in row
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSED


def test_a_sign_off_posted_without_the_pages_confirmation_is_refused(scene):
    row = (
        client_for(scene.cast.supervisor)
        .post(reverse("board_sign_off", args=[scene.closing.pk]), {"section": "closing"}, **HTMX)
        .content.decode()
    )
    assert "此操作须经确认" in row and 'data-step="sign_off"' in row
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSING_REQUESTED


def test_a_return_needs_a_reason_and_keeps_it(scene):
    client = client_for(scene.cast.supervisor)
    url = reverse("board_return", args=[scene.closing.pk])
    row = client.post(url, {"note": "  "}, **HTMX).content.decode()
    assert "退回须填写理由" in row
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSING_REQUESTED
    row = client.post(url, {"note": "缺少批复文件"}, **HTMX).content.decode()
    assert "已退回牵头单位整改" in row and "缺少批复文件" in row
    step = TaskTransition.objects.filter(task=scene.closing).latest("at")
    assert (step.to_status, step.note, step.actor) == (
        TaskStatus.RETURNED,
        "缺少批复文件",
        scene.cast.supervisor,
    )


@pytest.mark.parametrize(
    ("role", "status"), [("caizheng_manager", 403), ("leader", 403), ("viewer", 403), ("outsider", 404)]
)
def test_a_forged_sign_off_or_return_is_refused(scene, role, status):
    client = client_for(getattr(scene.cast, role))
    assert client.post(reverse("board_sign_off", args=[scene.closing.pk]), **HTMX).status_code == status
    assert (
        client.post(reverse("board_return", args=[scene.closing.pk]), {"note": "x"}, **HTMX).status_code
        == status
    )
    assert Task.objects.get(pk=scene.closing.pk).status == TaskStatus.CLOSING_REQUESTED


def test_signing_off_twice_is_explained_not_an_error(scene):
    client = client_for(scene.cast.supervisor)
    client.post(reverse("board_sign_off", args=[scene.closing.pk]), {"confirmed": "1"}, **HTMX)
    row = client.post(
        reverse("board_sign_off", args=[scene.closing.pk]), {"confirmed": "1"}, **HTMX
    ).content.decode()
    assert "不能执行此操作" in row
