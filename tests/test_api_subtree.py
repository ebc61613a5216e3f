"""A task's whole subtree in one request (what Redmine's include=children gives): tree order, depth,
progress and light, only what the caller may see, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.core.models import ApiToken
from luoshi.plans.models import Task, TaskKind
from luoshi.plans.rollup import progress_of
from luoshi.progress.actions import report_progress
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


def test_the_subtree_comes_in_tree_order_with_depth_progress_and_light(cast):
    second = make_task(cast.plan, "编制集装箱航线补贴办法", cast.caizheng, cast.key, kind=TaskKind.MEASURE)
    report_progress(cast.caizheng_staff, cast.measure, percent=40, narrative="已起草请示")
    response = api_as(cast.supervisor).get(f"/api/tasks/{cast.area.pk}/subtree")
    assert response.status_code == 200, response.content
    body = response.json()
    got = [(t["id"], t["depth"]) for t in body["tasks"]]
    assert got == [
        (cast.area.pk, 0),
        (cast.key.pk, 1),
        (cast.measure.pk, 2),
        (second.pk, 2),
        (cast.jingfa_task.pk, 1),
    ]
    assert body["root_id"] == cast.area.pk and body["count"] == 5
    expected = progress_of([t for t, _depth in got])
    assert {t["id"]: t["progress"] for t in body["tasks"]} == expected
    assert {t["id"]: t["progress"] for t in body["tasks"]}[cast.key.pk] == 20.0  # (40 + 0) / 2
    assert all(t["light"] and t["lead_unit"]["name"] for t in body["tasks"])


def test_the_subtree_holds_only_what_the_caller_may_see(cast):
    response = api_as(cast.jingfa_staff).get(
        f"/api/tasks/{cast.key.pk}/subtree"
    )  # 经发局 supports the key task
    assert [t["id"] for t in response.json()["tasks"]] == [cast.key.pk]  # the measure is 财政局's alone
    # 财政局 staff cannot see the area; its key task and measure are theirs
    assert api_as(cast.caizheng_staff).get(f"/api/tasks/{cast.area.pk}/subtree").status_code == 404


def test_a_subtree_one_may_not_see_or_that_is_not_there_is_a_404(cast):
    assert api_as(cast.outsider).get(f"/api/tasks/{cast.key.pk}/subtree").status_code == 404
    assert api_as(cast.supervisor).get("/api/tasks/999999/subtree").status_code == 404
    assert Client().get(f"/api/tasks/{cast.key.pk}/subtree").status_code == 401


def test_a_bigger_subtree_takes_no_more_queries(cast):
    client = api_as(cast.supervisor)
    url = f"/api/tasks/{cast.area.pk}/subtree"
    client.get(url)  # warm per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for i in range(30):
        parent = make_task(cast.plan, f"措施{i}", cast.caizheng, cast.key, kind=TaskKind.MEASURE)
        for j in range(3):
            report_progress(
                cast.caizheng_staff,
                make_task(cast.plan, f"工作{i}-{j}", cast.caizheng, parent),
                percent=10 * j,
                narrative="推进中",
            )
    assert len(api_as(cast.supervisor).get(url).json()["tasks"]) == 4 + 120
    assert count() == small


def test_each_subtree_row_has_the_shape_and_figures_of_the_task_api(cast):
    """The rows are written out as plain data for speed: they must still be what the schema says, and
    say for each task what GET /api/tasks/{id} says (progress, light, reasons, unit, owner, dates)."""
    from luoshi.plans.api import SubtreeOut, SubtreeTask

    report_progress(cast.caizheng_staff, cast.measure, percent=40, narrative="已起草请示")
    Task.objects.filter(pk=cast.measure.pk).update(owner=cast.caizheng_staff)
    client = api_as(cast.supervisor)
    body = client.get(f"/api/tasks/{cast.area.pk}/subtree").json()
    assert set(body) == set(SubtreeOut.model_fields)
    for row in body["tasks"]:
        assert set(row) == set(SubtreeTask.model_fields)
        single = client.get(f"/api/tasks/{row['id']}").json()
        assert {k: single[k] for k in row if k != "depth"} == {k: v for k, v in row.items() if k != "depth"}
    assert {row["id"]: row["owner"] for row in body["tasks"]}[cast.measure.pk]["name"]


def test_a_subtree_larger_than_the_limit_is_refused_with_the_way_to_read_it(cast, monkeypatch):
    make_task(cast.plan, "编制集装箱航线补贴办法", cast.caizheng, cast.key, kind=TaskKind.MEASURE)
    monkeypatch.setattr("luoshi.plans.api.MAX_SUBTREE", 2)
    # the office reads the tree and its rows in one walk, a unit's staff in two: both are held to the limit
    for person, root in ((cast.supervisor, cast.area), (cast.caizheng_staff, cast.key)):
        response = api_as(person).get(f"/api/tasks/{root.pk}/subtree")
        assert response.status_code == 422, (person, response.content)
        assert "/api/tasks?parent=" in response.content.decode()
    assert api_as(cast.supervisor).get(f"/api/tasks/{cast.measure.pk}/subtree").status_code == 200
