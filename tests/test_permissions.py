"""Every write page and API endpoint, for every role: allowed where the rules say, refused (403/404) everywhere else.

The expectations below restate the rules of luoshi.core.access independently, so removing any
single check there makes a case here fail. The task under test is the cast's key task: lead unit
财政局, support unit 经发局, split from an area led by 党政办; the leader oversees 财政局.
"""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.core.models import ApiToken
from luoshi.plans.models import Comment, Task, TaskStatus
from luoshi.progress.models import Evidence, ProgressReport

ROLES = [
    "admin",
    "supervisor",
    "leader",
    "caizheng_manager",
    "caizheng_staff",
    "jingfa_manager",
    "jingfa_staff",
    "viewer",
    "outsider",
]


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's hundreds of cases, each rolling back its own writes (tests/conftest.py)."""
    return shared_cast


#: endpoint → the roles allowed to use it on the key task
ALLOWED = {
    "edit": {"admin", "supervisor", "caizheng_manager"},
    "split": {"admin", "supervisor", "caizheng_manager"},
    "delete": {"admin", "supervisor", "caizheng_manager"},
    "assign": {"admin", "supervisor", "caizheng_manager"},
    "acknowledge": {"admin", "caizheng_manager"},
    "start": {"admin", "caizheng_manager", "caizheng_staff"},
    "request_closing": {"admin", "caizheng_manager"},
    "sign_off": {"admin", "supervisor"},
    "return": {"admin", "supervisor"},
    "report": {"admin", "caizheng_manager", "caizheng_staff", "jingfa_manager", "jingfa_staff"},
    "comment": {
        "admin",
        "supervisor",
        "leader",
        "caizheng_manager",
        "caizheng_staff",
        "jingfa_manager",
        "jingfa_staff",
    },
}


def set_status(task: Task, status: str) -> None:
    Task.objects.filter(pk=task.pk).update(status=status)


def with_evidence(cast, task: Task) -> None:
    report = ProgressReport.objects.create(
        task=task,
        unit=task.lead_unit,
        author=cast.caizheng_staff,
        reported_on=task.start_date,
        percent=100,
        narrative="完成",
    )
    Evidence.objects.create(report=report, file="evidence/x.pdf", original_name="x.pdf", size=3)


def prepare(cast, endpoint: str) -> tuple[str, dict, Callable[[], bool]]:
    """Put the key task where the endpoint applies; return the URL, the POST data, and a probe
    that tells whether the endpoint took effect."""
    task = cast.key
    url = lambda name, **kw: reverse(name, kwargs={"task_id": task.pk, **kw})  # noqa: E731
    status_after = lambda status: lambda: Task.objects.get(pk=task.pk).status == status  # noqa: E731
    if endpoint == "edit":
        data = {
            "title": "改过的标题",
            "kind": task.kind,
            "lead_unit": task.lead_unit_id,
            "start_date": task.start_date,
            "deadline": task.deadline,
            "weight": 2,
            "version": task.version,
            "support_units": [cast.jingfa.pk],
        }
        return url("task_edit"), data, lambda: Task.objects.get(pk=task.pk).title == "改过的标题"
    if endpoint == "split":
        data = {"title": "新的下级任务", "kind": "work", "lead_unit": cast.jingfa.pk, "weight": 1}
        return url("task_split"), data, lambda: task.children.filter(title="新的下级任务").exists()
    if endpoint == "delete":
        Task.objects.filter(pk__in=[task.pk, cast.measure.pk]).update(status=TaskStatus.DRAFT)
        return url("task_delete"), {}, lambda: not Task.objects.filter(pk=task.pk).exists()
    if endpoint == "report":
        files = SimpleUploadedFile("佐证.txt", "已完成请示起草".encode())
        data = {"percent": 40, "narrative": "起草中", "problems": "", "files": files}
        return url("task_report"), data, lambda: task.reports.filter(narrative="起草中").exists()
    if endpoint == "comment":
        return url("task_comment"), {"body": "请加快进度"}, lambda: Comment.objects.filter(task=task).exists()
    start, end = {
        "assign": (TaskStatus.DRAFT, TaskStatus.ASSIGNED),
        "acknowledge": (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED),
        "start": (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS),
        "request_closing": (TaskStatus.IN_PROGRESS, TaskStatus.CLOSING_REQUESTED),
        "sign_off": (TaskStatus.CLOSING_REQUESTED, TaskStatus.CLOSED),
        "return": (TaskStatus.CLOSING_REQUESTED, TaskStatus.RETURNED),
    }[endpoint]
    set_status(task, start)
    if endpoint == "request_closing":
        with_evidence(cast, task)
    return url("task_step", step=endpoint), {"note": "理由", "confirmed": "1"}, status_after(end)


@pytest.mark.parametrize("endpoint", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_use_exactly_the_write_pages_the_rules_allow(cast, role, endpoint):
    url, data, took_effect = prepare(cast, endpoint)
    client = Client()
    client.force_login(getattr(cast, role))
    response = client.post(url, data)
    if role in ALLOWED[endpoint]:
        assert response.status_code in (200, 302), response.content[:500]
        assert took_effect(), f"{role} should be able to {endpoint}"
    else:
        assert response.status_code in (403, 404)
        assert not took_effect(), f"{role} must not be able to {endpoint}"


def api_call(client: Client, cast, endpoint: str, data: dict):
    """The API request that does what the page form `data` does."""
    task = cast.key
    base = f"/api/tasks/{task.pk}"
    if endpoint == "edit":
        return client.patch(
            base, {"version": data["version"], "title": data["title"]}, content_type="application/json"
        )
    if endpoint == "split":
        return client.post(
            "/api/tasks",
            {"plan": cast.plan.pk, "parent": task.pk, "title": data["title"], "lead_unit": data["lead_unit"]},
            content_type="application/json",
        )
    if endpoint == "delete":
        return client.delete(base)
    if endpoint == "report":
        return client.post(f"{base}/reports", data)
    if endpoint == "comment":
        return client.post(f"{base}/comments", data, content_type="application/json")
    return client.post(f"{base}/steps/{endpoint}", data, content_type="application/json")


@pytest.mark.parametrize("endpoint", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_use_exactly_the_api_endpoints_the_rules_allow(cast, role, endpoint):
    _url, data, took_effect = prepare(cast, endpoint)
    _token, key = ApiToken.issue(getattr(cast, role), "permission walk")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api_call(client, cast, endpoint, data)
    if role in ALLOWED[endpoint]:
        assert response.status_code in (200, 201, 204), response.content[:500]
        assert took_effect(), f"{role} should be able to {endpoint} through the API"
    else:
        # A parent named in a request body that the caller cannot see is "no such parent" (422).
        refused = (403, 404, 422) if endpoint == "split" else (403, 404)
        assert response.status_code in refused, response.content[:300]
        assert not took_effect(), f"{role} must not be able to {endpoint} through the API"


@pytest.mark.parametrize("role", ROLES)
def test_a_task_page_shows_only_the_buttons_the_person_may_use(cast, role):
    set_status(cast.key, TaskStatus.ASSIGNED)
    client = Client()
    client.force_login(getattr(cast, role))
    response = client.get(reverse("task_detail", kwargs={"task_id": cast.key.pk}))
    if role in ("outsider",):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert ('data-step="acknowledge"' in html) == (role in ALLOWED["acknowledge"])
    assert (reverse("task_edit", kwargs={"task_id": cast.key.pk}) in html) == (role in ALLOWED["edit"])
    assert ('id="report"' in html) is False  # an assigned task is not yet reported on


def test_someone_elses_task_and_a_missing_task_look_the_same(cast):
    client = Client()
    client.force_login(cast.outsider)
    hidden = client.get(reverse("task_detail", kwargs={"task_id": cast.key.pk}))
    missing = client.get(reverse("task_detail", kwargs={"task_id": 999999}))
    assert hidden.status_code == missing.status_code == 404


def test_a_manager_acts_for_the_sections_below_their_unit(cast):
    section_task = Task.objects.create(
        plan=cast.plan,
        parent=cast.area,
        title="科室任务",
        lead_unit=cast.jingfa_section,
        start_date=cast.plan.period_start,
        deadline=cast.area.deadline,
        status=TaskStatus.ASSIGNED,
    )
    client = Client()
    client.force_login(cast.jingfa_manager)
    client.post(reverse("task_step", kwargs={"task_id": section_task.pk, "step": "acknowledge"}))
    section_task.refresh_from_db()
    assert section_task.status == TaskStatus.ACKNOWLEDGED


def test_pages_need_a_login(cast):
    response = Client().get(reverse("task_detail", kwargs={"task_id": cast.key.pk}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_only_admin_and_supervision_office_reach_the_admin(cast, role):
    client = Client()
    client.force_login(getattr(cast, role))
    index = client.get("/admin/")
    units = client.get("/admin/orgs/unit/add/")
    people = client.get("/admin/orgs/person/add/")
    if role == "admin":
        assert (index.status_code, units.status_code, people.status_code) == (200, 200, 200)
    elif role == "supervisor":
        assert (index.status_code, units.status_code) == (200, 200)
        assert people.status_code == 403  # people and their roles are the administrator's
    else:
        assert index.status_code == 302  # sent to the admin login
        assert units.status_code == 302


def test_a_manager_assigns_and_edits_the_tasks_they_split_off_to_another_unit(cast):
    client = Client()
    client.force_login(cast.caizheng_manager)
    client.post(
        reverse("task_split", kwargs={"task_id": cast.key.pk}),
        {"title": "经发局配合测算", "kind": "work", "lead_unit": cast.jingfa.pk, "weight": 1},
    )
    child = cast.key.children.get(title="经发局配合测算")
    assert child.deadline == cast.key.deadline
    client.post(reverse("task_step", kwargs={"task_id": child.pk, "step": "assign"}))
    child.refresh_from_db()
    assert child.status == TaskStatus.ASSIGNED
    staff = Client()
    staff.force_login(cast.caizheng_staff)
    assert staff.get(reverse("task_edit", kwargs={"task_id": child.pk})).status_code == 404
    jingfa = Client()
    jingfa.force_login(cast.jingfa_manager)
    jingfa.post(reverse("task_step", kwargs={"task_id": child.pk, "step": "acknowledge"}))
    child.refresh_from_db()
    assert child.status == TaskStatus.ACKNOWLEDGED
