"""The task endpoints: plans, the task list (filters, ordering, pages), detail, create, edit with a
version, delete, workflow steps, history, comments and transitions — each with its denial."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.plans.models import Comment, Task, TaskStatus
from luoshi.progress.actions import report_progress
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person) -> Client:
    """A client calling the API with a fresh bearer token of the person."""
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def set_status(task: Task, status: str) -> None:
    Task.objects.filter(pk=task.pk).update(status=status)


# --- Plans ----------------------------------------------------------------------------------------


def test_plans_are_listed_and_a_plan_shows_its_rolled_up_progress(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=40, narrative="已起草请示")
    client = api_as(cast.outsider)  # plans are public documents
    listing = client.get("/api/plans").json()
    assert [p["title"] for p in listing["items"]] == [cast.plan.title] and listing["count"] == 1
    plan = client.get(f"/api/plans/{cast.plan.pk}").json()
    assert plan["owner_unit"]["name"] == "X工业园区管委会"
    assert plan["progress"] == 20.0  # measure 40 → key 40; area = (key 40 + jingfa task 0) / 2
    assert client.get("/api/plans/999999").status_code == 404


# --- Listing ------------------------------------------------------------------------------------


def test_the_task_list_holds_only_what_the_caller_may_see(cast):
    assert titles(api_as(cast.outsider).get("/api/tasks")) == []
    assert set(titles(api_as(cast.caizheng_staff).get("/api/tasks"))) == {cast.key.title, cast.measure.title}
    assert len(titles(api_as(cast.supervisor).get("/api/tasks"))) == 4


def test_tasks_filter_by_plan_parent_status_kind_and_text(cast):
    client = api_as(cast.supervisor)
    set_status(cast.jingfa_task, TaskStatus.ACKNOWLEDGED)
    assert len(titles(client.get(f"/api/tasks?plan={cast.plan.pk}"))) == 4
    assert titles(client.get(f"/api/tasks?plan={cast.plan.pk + 1}")) == []
    assert set(titles(client.get(f"/api/tasks?parent={cast.area.pk}"))) == {
        cast.key.title,
        cast.jingfa_task.title,
    }
    assert titles(client.get("/api/tasks?status=acknowledged")) == [cast.jingfa_task.title]
    assert titles(client.get("/api/tasks?kind=liaison")) == [cast.key.title]
    assert titles(client.get("/api/tasks?q=省财政厅")) == [cast.measure.title]
    Task.objects.filter(pk=cast.key.pk).update(code="（三）")
    assert titles(client.get("/api/tasks?q=（三）")) == [cast.key.title]


def test_the_unit_filter_matches_lead_and_support_units(cast):
    client = api_as(cast.supervisor)
    jingfa = set(titles(client.get(f"/api/tasks?unit={cast.jingfa.pk}")))
    assert jingfa == {cast.jingfa_task.title, cast.key.title}  # leads one, supports the other
    assert titles(client.get(f"/api/tasks?unit={cast.xuanchuan.pk}")) == []


def test_the_overdue_filter_follows_the_deadline_and_leaves_out_closed_tasks(cast):
    late = make_task(cast.plan, "逾期任务", cast.jingfa, cast.area, deadline=dt.date(2026, 6, 30))
    make_task(
        cast.plan,
        "逾期但已办结",
        cast.jingfa,
        cast.area,
        deadline=dt.date(2026, 6, 30),
        status=TaskStatus.CLOSED,
    )
    client = api_as(cast.supervisor)
    assert titles(client.get("/api/tasks?overdue=true")) == [late.title]
    not_overdue = titles(client.get("/api/tasks?overdue=false"))
    assert late.title not in not_overdue and "逾期但已办结" in not_overdue
    row = client.get("/api/tasks?overdue=true").json()["items"][0]
    assert row["light"] == "overdue"


def test_the_deadline_range_filter_includes_both_ends(cast):
    client = api_as(cast.supervisor)
    got = titles(client.get("/api/tasks?deadline_from=2027-03-31&deadline_to=2027-06-30"))
    assert set(got) == {cast.key.title, cast.measure.title, cast.jingfa_task.title}
    assert titles(client.get("/api/tasks?deadline_to=2027-03-31")) == [cast.measure.title]


def test_ordering_sorts_and_an_unknown_ordering_is_a_field_error(cast):
    client = api_as(cast.supervisor)
    assert titles(client.get("/api/tasks?ordering=deadline")) == [
        cast.measure.title,
        cast.key.title,
        cast.jingfa_task.title,
        cast.area.title,
    ]  # ties by id
    assert titles(client.get("/api/tasks?ordering=-deadline")) == [
        cast.area.title,
        cast.key.title,
        cast.jingfa_task.title,
        cast.measure.title,
    ]
    by_title = titles(client.get("/api/tasks?ordering=title"))
    assert by_title == sorted(by_title)
    response = client.get("/api/tasks?ordering=password")
    assert response.status_code == 422 and "ordering" in response.json()["detail"]


def test_pages_are_bounded(cast):
    client = api_as(cast.supervisor)
    first = client.get("/api/tasks?page_size=3&ordering=id").json()
    second = client.get("/api/tasks?page_size=3&page=2&ordering=id").json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    assert client.get("/api/tasks?page=9").json()["items"] == []
    for query in ("page_size=201", "page_size=0", "page=0", "page=100001", f"page={2**70}"):
        response = client.get(f"/api/tasks?{query}")
        assert response.status_code == 422, query


# --- Detail ---------------------------------------------------------------------------------------


def test_the_task_detail_shows_health_support_units_version_and_what_the_caller_may_do(cast):
    report_progress(cast.caizheng_staff, cast.measure, percent=40, narrative="已起草请示")
    body = api_as(cast.caizheng_staff).get(f"/api/tasks/{cast.key.pk}").json()
    assert body["progress"] == 40.0
    assert 0 < body["expected_progress"] < 100 and body["light"] in {"green", "yellow", "red"}
    assert [u["name"] for u in body["support_units"]] == ["经发局"]
    assert body["version"] == 1 and body["children"] == [cast.measure.pk]
    assert body["allowed_actions"] == ["view", "start", "report", "comment"]
    assert api_as(cast.supervisor).get(f"/api/tasks/{cast.key.pk}").json()["allowed_actions"] == [
        "view",
        "edit",
        "delete",
        "split",
        "assign",
        "sign_off",
        "return",
        "comment",
    ]


def test_a_task_out_of_sight_and_a_missing_task_are_the_same_404(cast):
    client = api_as(cast.outsider)
    hidden, missing = client.get(f"/api/tasks/{cast.key.pk}"), client.get("/api/tasks/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/tasks/{2**63}",
        "/api/tasks/-1",
        "/api/tasks/abc",
        f"/api/tasks?plan={2**64}",
        "/api/tasks?deadline_from=2026-02-30",
        "/api/tasks?deadline_to=yesterday",
        "/api/tasks?overdue=perhaps",
        "/api/tasks?status=lost",
        "/api/tasks?q=%00",
    ],
)
def test_out_of_range_ids_bad_dates_and_wrong_types_are_422_not_500(cast, url):
    assert api_as(cast.supervisor).get(url).status_code == 422


# --- Create ---------------------------------------------------------------------------------------


def new_task(cast, **fields) -> dict:
    return {"plan": cast.plan.pk, "title": "推进铁路专用线建设", "lead_unit": cast.jingfa.pk, **fields}


def test_the_supervision_office_creates_a_top_level_task(cast):
    response = api_as(cast.supervisor).post(
        "/api/tasks",
        new_task(
            cast,
            kind="project",
            support_units=[cast.caizheng.pk],
            owner=cast.jingfa_manager.pk,
            deadline="2028-12-31",
            weight=2,
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["parent_id"] is None and body["version"] == 1
    assert body["owner"]["name"] == "经发局赵局长" and [u["name"] for u in body["support_units"]] == [
        "财政局"
    ]
    assert body["start_date"] == "2026-11-27" and body["deadline"] == "2028-12-31"  # starts when assigned
    assert Task.objects.get(pk=body["id"]).history.first().history_user == cast.supervisor


def test_a_lead_units_manager_splits_their_task(cast):
    response = api_as(cast.caizheng_manager).post(
        "/api/tasks",
        new_task(cast, parent=cast.key.pk, deadline="2027-01-31"),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == cast.key.pk


def test_a_child_ending_after_its_parent_is_a_field_error(cast):
    response = api_as(cast.supervisor).post(
        "/api/tasks",
        new_task(cast, parent=cast.key.pk, deadline="2027-07-01"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "2027-06-30" in response.json()["detail"]["deadline"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"lead_unit": 987654}, "lead_unit"),
        ({"support_units": [987654]}, "support_units"),
        ({"owner": 987654}, "owner"),
        ({"plan": 987654}, "plan"),
        ({"goal": 987654}, "goal"),
        ({"title": ""}, "title"),
        ({"weight": 0}, "weight"),
        ({"kind": "wish"}, "kind"),
        ({"deadline": "2027-13-01"}, "deadline"),
        ({"deadline": "9999-12-31"}, "deadline"),  # the working-day calendar cannot count that far
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"start_date": "2027-01-01", "deadline": "2026-01-01"}, "__all__"),
        ({"status": "closed"}, "status"),
    ],
)
def test_bad_input_on_create_is_a_422_naming_the_field(cast, fields, field):
    response = api_as(cast.supervisor).post(
        "/api/tasks", new_task(cast, **fields), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert Task.objects.count() == 4


def test_creating_is_denied_to_staff_to_managers_at_the_top_and_to_outsiders(cast):
    def post(person, **fields):
        return api_as(person).post("/api/tasks", new_task(cast, **fields), content_type="application/json")

    assert post(cast.caizheng_staff, parent=cast.key.pk).status_code == 403
    assert post(cast.caizheng_manager).status_code == 403  # top-level tasks are the office's
    hidden = post(cast.outsider, parent=cast.key.pk)  # a parent out of sight is a parent that is not there
    assert hidden.status_code == 422 and "parent" in hidden.json()["detail"]
    assert Task.objects.count() == 4


# --- Edit -----------------------------------------------------------------------------------------


def patch(client: Client, task: Task, body: dict):
    return client.patch(f"/api/tasks/{task.pk}", body, content_type="application/json")


def test_an_edit_changes_only_the_fields_sent_and_bumps_the_version(cast):
    response = patch(
        api_as(cast.caizheng_manager),
        cast.key,
        {
            "version": 1,
            "title": "争取集装箱运输扶持政策",
            "support_units": [cast.jingfa.pk, cast.xuanchuan.pk],
            "owner": cast.caizheng_staff.pk,
        },
    )
    assert response.status_code == 200, response.content
    task = Task.objects.get(pk=cast.key.pk)
    assert task.title == "争取集装箱运输扶持政策" and task.version == 2 and task.owner == cast.caizheng_staff
    assert task.deadline == dt.date(2027, 6, 30) and task.kind == "liaison"
    assert {u.name for u in task.support_units.all()} == {"经发局", "宣传办"}
    assert response.json()["version"] == 2


def test_a_stale_edit_gets_409_and_the_data_is_unchanged(cast):
    client = api_as(cast.supervisor)
    assert patch(client, cast.key, {"version": 1, "title": "第一次修改"}).status_code == 200
    stale = patch(client, cast.key, {"version": 1, "title": "基于旧版本的修改", "deadline": "2027-05-31"})
    assert stale.status_code == 409
    task = Task.objects.get(pk=cast.key.pk)
    assert (task.title, task.deadline, task.version) == ("第一次修改", dt.date(2027, 6, 30), 2)
    assert not task.history.filter(title="基于旧版本的修改").exists()  # not even in the audit trail


def test_an_edit_needs_the_version_and_may_clear_the_owner_but_not_the_lead_unit(cast):
    client = api_as(cast.supervisor)
    Task.objects.filter(pk=cast.key.pk).update(owner=cast.caizheng_staff)
    assert "version" in patch(client, cast.key, {"title": "无版本"}).json()["detail"]
    assert "lead_unit" in patch(client, cast.key, {"version": 1, "lead_unit": None}).json()["detail"]
    assert (
        "deadline" in patch(client, cast.key, {"version": 1, "deadline": "2027-03-01"}).json()["detail"]
    )  # child
    assert "status" in patch(client, cast.key, {"version": 1, "status": "closed"}).json()["detail"]
    assert patch(client, cast.key, {"version": 1, "owner": None}).status_code == 200
    assert Task.objects.get(pk=cast.key.pk).owner is None


def test_editing_is_denied_to_staff_403_and_to_outsiders_404(cast):
    assert patch(api_as(cast.caizheng_staff), cast.key, {"version": 1, "title": "x"}).status_code == 403
    assert patch(api_as(cast.leader), cast.key, {"version": 1, "title": "x"}).status_code == 403
    assert patch(api_as(cast.outsider), cast.key, {"version": 1, "title": "x"}).status_code == 404
    assert Task.objects.get(pk=cast.key.pk).title == "争取集装箱运输支持政策"


# --- Delete ---------------------------------------------------------------------------------------


def test_a_draft_task_is_deleted_and_assigned_work_is_not(cast):
    draft = make_task(cast.plan, "草稿任务", cast.caizheng, cast.key, status=TaskStatus.DRAFT)
    client = api_as(cast.caizheng_manager)
    assert client.delete(f"/api/tasks/{cast.measure.pk}").status_code == 422  # in progress
    assert client.delete(f"/api/tasks/{draft.pk}").status_code == 204
    assert not Task.objects.filter(pk=draft.pk).exists() and Task.objects.filter(pk=cast.measure.pk).exists()


def test_deleting_is_denied_to_staff_403_and_to_outsiders_404(cast):
    draft = make_task(cast.plan, "草稿任务", cast.caizheng, cast.key, status=TaskStatus.DRAFT)
    assert api_as(cast.caizheng_staff).delete(f"/api/tasks/{draft.pk}").status_code == 403
    assert api_as(cast.viewer).delete(f"/api/tasks/{draft.pk}").status_code == 403
    assert api_as(cast.outsider).delete(f"/api/tasks/{draft.pk}").status_code == 404
    assert Task.objects.filter(pk=draft.pk).exists()


# --- Workflow -------------------------------------------------------------------------------------


def step(person, task: Task, name: str, note: str | None = None):
    body = {"note": note} if note is not None else None
    return api_as(person).post(f"/api/tasks/{task.pk}/steps/{name}", body, content_type="application/json")


def test_a_task_walks_the_workflow_through_the_api_and_every_step_is_listed(cast):
    task = make_task(cast.plan, "形成请示", cast.caizheng, cast.key, status=TaskStatus.DRAFT)
    assert step(cast.supervisor, task, "assign").json()["status"] == "assigned"
    assert step(cast.caizheng_manager, task, "acknowledge").json()["status"] == "acknowledged"
    assert step(cast.caizheng_staff, task, "start").json()["status"] == "in_progress"
    task.refresh_from_db()
    report_progress(
        cast.caizheng_staff,
        task,
        percent=100,
        narrative="已报送",
        files=[SimpleUploadedFile("请示.pdf", b"%PDF-1.4")],
    )
    assert (
        step(cast.caizheng_manager, task, "request_closing", "已完成").json()["status"] == "closing_requested"
    )
    assert step(cast.supervisor, task, "return", "佐证不全").json()["status"] == "returned"
    assert step(cast.caizheng_manager, task, "request_closing").json()["status"] == "closing_requested"
    closed = step(cast.supervisor, task, "sign_off").json()
    assert closed["status"] == "closed" and closed["light"] == "done" and closed["closed_at"]
    transitions = api_as(cast.caizheng_staff).get(f"/api/tasks/{task.pk}/transitions").json()
    assert [(t["to_status"], t["actor"]["name"]) for t in transitions][-2:] == [
        ("closing_requested", "财政局张局长"),
        ("closed", "督查室王主任"),
    ]
    assert transitions[4]["note"] == "佐证不全"


def test_a_step_from_the_wrong_status_or_a_return_without_a_reason_is_422(cast):
    assert step(cast.supervisor, cast.measure, "sign_off").status_code == 422
    set_status(cast.measure, TaskStatus.CLOSING_REQUESTED)
    response = step(cast.supervisor, cast.measure, "return", "  ")
    assert response.status_code == 422 and "note" in response.json()["detail"]
    assert step(cast.supervisor, cast.measure, "finish").status_code == 422  # no such step


@pytest.mark.parametrize(
    ("name", "denied"),
    [
        ("assign", "caizheng_staff"),
        ("acknowledge", "supervisor"),
        ("start", "jingfa_manager"),
        ("request_closing", "caizheng_staff"),
        ("sign_off", "caizheng_manager"),
        ("return", "caizheng_manager"),
    ],
)
def test_each_step_is_denied_to_a_role_without_it_and_hidden_from_outsiders(cast, name, denied):
    before = Task.objects.get(pk=cast.key.pk).status
    assert step(getattr(cast, denied), cast.key, name, "理由").status_code == 403
    assert step(cast.outsider, cast.key, name, "理由").status_code == 404
    assert Task.objects.get(pk=cast.key.pk).status == before


# --- History and comments -------------------------------------------------------------------------


def test_the_history_shows_who_changed_what_with_before_and_after(cast):
    patch(api_as(cast.caizheng_manager), cast.key, {"version": 1, "deadline": "2027-05-31"})
    history = api_as(cast.leader).get(f"/api/tasks/{cast.key.pk}/history").json()
    latest = history[0]
    assert latest["who"] == "财政局张局长" and latest["kind"] == "changed"
    assert {"field": "完成时限", "before": "2027-06-30", "after": "2027-05-31"} in latest["changes"]
    assert api_as(cast.outsider).get(f"/api/tasks/{cast.key.pk}/history").status_code == 404


def test_comments_are_added_and_listed(cast):
    response = api_as(cast.leader).post(
        f"/api/tasks/{cast.key.pk}/comments", {"body": "请抓紧对接省财政厅"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["author"]["name"] == "李副主任"
    listed = api_as(cast.jingfa_staff).get(f"/api/tasks/{cast.key.pk}/comments").json()
    assert [c["body"] for c in listed] == ["请抓紧对接省财政厅"]


def test_commenting_is_denied_to_the_viewer_403_and_to_outsiders_404_and_needs_a_body(cast):
    url = f"/api/tasks/{cast.key.pk}/comments"
    assert api_as(cast.viewer).post(url, {"body": "x"}, content_type="application/json").status_code == 403
    assert api_as(cast.outsider).post(url, {"body": "x"}, content_type="application/json").status_code == 404
    assert api_as(cast.outsider).get(url).status_code == 404
    assert api_as(cast.leader).post(url, {"body": ""}, content_type="application/json").status_code == 422
    assert not Comment.objects.exists()
