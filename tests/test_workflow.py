"""The task workflow: draft → assigned → acknowledged → in progress → closing requested → closed / returned."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.plans import actions
from luoshi.plans.models import TaskStatus, TaskTransition
from luoshi.progress.actions import report_progress


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def evidence(name: str = "请示.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def new_task(cast, **kwargs):
    return actions.create_task(
        cast.supervisor, plan=cast.plan, title="测试任务", lead_unit=cast.caizheng, **kwargs
    )


def test_a_task_walks_the_whole_workflow_and_every_step_is_kept(cast):
    task = new_task(cast)
    assert task.status == TaskStatus.DRAFT
    task = actions.assign_task(cast.supervisor, task)
    task = actions.acknowledge_task(cast.caizheng_manager, task)
    report_progress(cast.caizheng_staff, task, percent=60, narrative="已起草请示", files=[evidence()])
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS  # the first report starts the work
    task = actions.request_closing(cast.caizheng_manager, task, "已报送")
    task = actions.return_task(cast.supervisor, task, "佐证材料不全")
    assert task.status == TaskStatus.RETURNED
    task = actions.request_closing(cast.caizheng_manager, task, "已补充")
    task = actions.sign_off(cast.supervisor, task)
    assert task.status == TaskStatus.CLOSED and task.closed_at is not None
    steps = list(TaskTransition.objects.filter(task=task).values_list("to_status", "actor__username"))
    assert steps == [
        ("assigned", "supervisor"),
        ("acknowledged", "caizheng_manager"),
        ("in_progress", "caizheng_staff"),
        ("closing_requested", "caizheng_manager"),
        ("returned", "supervisor"),
        ("closing_requested", "caizheng_manager"),
        ("closed", "supervisor"),
    ]


def test_closing_needs_at_least_one_evidence_file(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=100, narrative="完成", files=[])
    with pytest.raises(ValidationError) as error:
        actions.request_closing(cast.caizheng_manager, cast.measure)
    assert "evidence" in error.value.message_dict
    cast.measure.refresh_from_db()
    assert cast.measure.status == TaskStatus.IN_PROGRESS


def test_a_step_from_the_wrong_status_is_refused(cast):
    with pytest.raises(ValidationError):
        actions.sign_off(cast.supervisor, cast.measure)  # in progress, not closing requested


def test_returning_needs_a_reason(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=100, narrative="完成", files=[evidence()])
    actions.request_closing(cast.caizheng_manager, cast.measure)
    with pytest.raises(ValidationError):
        actions.return_task(cast.supervisor, cast.measure, "  ")


def test_a_unit_cannot_sign_off_its_own_closing(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=100, narrative="完成", files=[evidence()])
    task = actions.request_closing(cast.caizheng_manager, cast.measure)
    with pytest.raises(PermissionDenied):
        actions.sign_off(cast.caizheng_manager, task)


def test_a_child_inherits_its_parents_deadline_and_starts_the_day_it_is_assigned(cast, frozen_today):
    child = actions.create_task(
        cast.caizheng_manager, plan=cast.plan, parent=cast.key, title="细化", lead_unit=cast.jingfa
    )
    assert child.deadline == cast.key.deadline
    assert child.start_date == dt.date(2026, 11, 27) != cast.key.start_date  # not the parent's 2024 start
    frozen_today(dt.date(2026, 12, 3))
    child = actions.assign_task(cast.supervisor, child)
    child.refresh_from_db()
    assert child.start_date == dt.date(2026, 12, 3)
    given = actions.create_task(
        cast.caizheng_manager,
        plan=cast.plan,
        parent=cast.key,
        title="定了开始日",
        lead_unit=cast.jingfa,
        start_date=dt.date(2026, 11, 2),
    )
    actions.assign_task(cast.supervisor, given)
    given.refresh_from_db()
    assert given.start_date == dt.date(2026, 11, 2)  # a start set by hand stays


def test_a_child_may_end_earlier_but_never_later_than_its_parent(cast):
    earlier = actions.create_task(
        cast.caizheng_manager,
        plan=cast.plan,
        parent=cast.key,
        title="提前",
        lead_unit=cast.jingfa,
        deadline=dt.date(2027, 1, 15),
    )
    assert earlier.deadline == dt.date(2027, 1, 15)
    with pytest.raises(ValidationError) as error:
        actions.create_task(
            cast.caizheng_manager,
            plan=cast.plan,
            parent=cast.key,
            title="推后",
            lead_unit=cast.jingfa,
            deadline=dt.date(2027, 12, 31),
        )
    assert "deadline" in error.value.message_dict


def test_evidence_downloads_only_for_people_who_see_the_task(cast):
    from django.test import Client
    from django.urls import reverse

    from luoshi.progress.models import Evidence

    report_progress(
        cast.caizheng_staff, cast.measure, percent=50, narrative="请示已起草", files=[evidence("请示.pdf")]
    )
    url = reverse("evidence_download", args=[Evidence.objects.get().pk])
    owner, outsider = Client(), Client()
    owner.force_login(cast.caizheng_manager)
    outsider.force_login(cast.outsider)
    response = owner.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "attachment" in response["Content-Disposition"]
    assert outsider.get(url).status_code == 404
    assert owner.get(reverse("evidence_download", args=[999999])).status_code == 404
