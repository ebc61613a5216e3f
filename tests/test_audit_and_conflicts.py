"""Every change is kept with who, when, before and after; a stale edit never overwrites a newer one."""

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.core.concurrency import ConflictError
from luoshi.plans import actions
from luoshi.plans.history import task_history
from luoshi.plans.models import Task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def edit_form(task: Task, cast, **changes) -> dict:
    data = {
        "title": task.title,
        "kind": task.kind,
        "lead_unit": task.lead_unit_id,
        "start_date": task.start_date,
        "deadline": task.deadline,
        "weight": task.weight,
        "version": task.version,
        "support_units": [u.pk for u in task.support_units.all()],
    }
    data.update(changes)
    return data


def test_an_edit_is_kept_with_who_before_and_after_and_shown_on_the_task_page(cast):
    client = Client()
    client.force_login(cast.caizheng_manager)
    response = client.post(
        reverse("task_edit", kwargs={"task_id": cast.key.pk}),
        edit_form(
            cast.key,
            cast,
            title="争取集装箱运输扶持政策",
            deadline="2027-05-31",
            support_units=[cast.jingfa.pk, cast.xuanchuan.pk],
        ),
    )
    assert response.status_code == 302
    latest = task_history(Task.objects.get(pk=cast.key.pk))[0]
    assert latest.who == "财政局张局长"
    changes = {c.field: (str(c.before), str(c.after)) for c in latest.changes}
    assert changes["任务名称"] == ("争取集装箱运输支持政策", "争取集装箱运输扶持政策")
    assert changes["完成时限"] == ("2027-06-30", "2027-05-31")
    assert changes["配合单位"] == ("经发局", "经发局、宣传办")
    page = client.get(reverse("task_detail", kwargs={"task_id": cast.key.pk})).content.decode()
    assert "争取集装箱运输支持政策" in page and "争取集装箱运输扶持政策" in page and 'id="history"' in page


def test_a_workflow_step_and_a_deletion_are_in_the_history_too(cast):
    actions.assign_task(
        cast.supervisor,
        actions.create_task(cast.supervisor, plan=cast.plan, title="临时任务", lead_unit=cast.jingfa),
    )
    task = Task.objects.get(title="临时任务")
    status_change = task_history(task)[0]
    assert status_change.who == "督查室王主任"
    assert [(c.before, c.after) for c in status_change.changes] == [("草稿", "已交办")]
    draft = actions.create_task(cast.supervisor, plan=cast.plan, title="作废任务", lead_unit=cast.jingfa)
    actions.delete_task(cast.supervisor, draft)
    deleted = Task.history.filter(title="作废任务", history_type="-").get()
    assert deleted.history_user == cast.supervisor


def test_the_second_of_two_edits_from_the_same_version_gets_a_conflict_not_an_overwrite(cast):
    version = cast.key.version
    first = Task.objects.get(pk=cast.key.pk)
    second = Task.objects.get(pk=cast.key.pk)
    actions.update_task(cast.supervisor, first, expected_version=version, changes={"title": "甲的修改"})
    with pytest.raises(ConflictError):
        actions.update_task(
            cast.caizheng_manager, second, expected_version=version, changes={"title": "乙的修改"}
        )
    assert Task.objects.get(pk=cast.key.pk).title == "甲的修改"


def test_a_stale_edit_on_the_page_gets_a_form_error_and_409(cast):
    stale = edit_form(cast.key, cast, title="乙的修改")
    actions.update_task(
        cast.supervisor,
        Task.objects.get(pk=cast.key.pk),
        expected_version=cast.key.version,
        changes={"title": "甲的修改"},
    )
    client = Client()
    client.force_login(cast.caizheng_manager)
    response = client.post(reverse("task_edit", kwargs={"task_id": cast.key.pk}), stale)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert Task.objects.get(pk=cast.key.pk).title == "甲的修改"


def test_a_deadline_later_than_the_parents_is_a_form_error(cast):
    client = Client()
    client.force_login(cast.caizheng_manager)
    response = client.post(
        reverse("task_edit", kwargs={"task_id": cast.measure.pk}),
        edit_form(cast.measure, cast, deadline="2028-01-01"),
    )
    assert response.status_code == 200
    assert "不能晚于上级任务" in response.content.decode()
    assert str(Task.objects.get(pk=cast.measure.pk).deadline) == "2027-03-31"
