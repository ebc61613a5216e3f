"""The Gantt view and the task page read the dates of tasks and milestones and the backward schedule."""

import json
import re

import pytest
from django.urls import reverse

from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def gantt_data(html: str) -> dict:
    return json.loads(
        re.search(r'<script id="gantt-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )


def test_the_plans_gantt_has_a_bar_per_task_and_its_milestones_on_it(scene):
    c = scene.cast
    data = gantt_data(client_for(c.supervisor).get(reverse("gantt"), {"depth": 2}).content.decode())
    rows = {r["id"]: r for r in data["rows"]}
    assert rows[c.measure.pk]["start"] == "2024-01-01" and rows[c.measure.pk]["end"] == "2027-03-31"
    assert rows[scene.overdue.pk]["light"] == "overdue"
    on_measure = [m for m in data["milestones"] if m["task"] == c.measure.pk]
    assert [m["title"] for m in on_measure] == ["起草请示", "征求相关部门意见", "报送省财政厅"]
    assert all(data["rows"][m["row"]]["id"] == c.measure.pk for m in on_measure)
    assert data["today"] == "2026-11-27"


def test_a_subtree_gives_each_milestone_a_row_with_its_backward_schedule(scene):
    c = scene.cast
    data = gantt_data(
        client_for(c.caizheng_staff).get(reverse("gantt"), {"root": c.measure.pk}).content.decode()
    )
    kinds = [(r["kind"], r["label"]) for r in data["rows"]]
    assert kinds == [
        ("task", "1.1 形成专门请示报省财政厅"),
        ("milestone", "起草请示"),
        ("milestone", "征求相关部门意见"),
        ("milestone", "报送省财政厅"),
    ]
    last = next(m for m in data["milestones"] if m["title"] == "报送省财政厅")
    # 5 working days ending on the deadline's last working day (2027-03-31 is a Wednesday)
    assert last["latestFinish"] == "2027-03-31" and last["latestStart"] == "2027-03-25"
    assert last["critical"] is True
    assert data["focus"][1] == "2027-04-30"


def test_a_subtree_one_may_not_see_is_a_404(scene):
    assert (
        client_for(scene.cast.outsider).get(reverse("gantt"), {"root": scene.cast.measure.pk}).status_code
        == 404
    )


def test_the_task_page_shows_the_milestones_backward_schedule(scene):
    c = scene.cast
    html = client_for(c.caizheng_staff).get(reverse("task_detail", args=[c.measure.pk])).content.decode()
    table = re.search(r'<table class="grid" id="milestones">.*?</table>', html, re.S).group(0)
    assert "最迟开始" in table and "2027-03-25" in table and "关键" in table


def test_a_subtrees_chart_shows_the_progress_and_lights_of_the_whole_plans_chart(scene):
    """The subtree's chart reads only the subtree; what it shows must equal the whole plan's chart."""
    c = scene.cast
    client = client_for(c.supervisor)
    whole = {
        r["id"]: r
        for r in gantt_data(client.get(reverse("gantt"), {"depth": 6}).content.decode())["rows"]
        if r["kind"] == "task"
    }
    sub = [
        r
        for r in gantt_data(client.get(reverse("gantt"), {"root": c.key.pk, "depth": 6}).content.decode())[
            "rows"
        ]
        if r["kind"] == "task"
    ]
    assert sub[0]["id"] == c.key.pk and len(sub) > 3
    base = whole[c.key.pk]["depth"]
    for row in sub:
        assert (row["light"], row["progress"], row["depth"] + base) == (
            whole[row["id"]]["light"],
            whole[row["id"]]["progress"],
            whole[row["id"]]["depth"],
        )


def test_a_subtree_root_that_is_not_in_the_plan_is_a_404(scene):
    client = client_for(scene.cast.supervisor)
    assert client.get(reverse("gantt"), {"root": "99999999"}).status_code == 404
    assert client.get(reverse("gantt"), {"root": "9" * 30}).status_code == 404


def test_a_chart_too_big_to_draw_shows_its_first_rows_in_tree_order(scene, monkeypatch):
    """The chart reads level by level only as far as the rows it draws: what it draws must be the
    first rows of the whole tree, in the tree's order, and it says there are more."""
    from luoshi.plans.views import gantt

    c = scene.cast
    client = client_for(c.supervisor)
    every = [
        r["id"]
        for r in gantt_data(client.get(reverse("gantt"), {"depth": 6}).content.decode())["rows"]
        if r["kind"] == "task"
    ]
    assert len(every) > 4
    for limit in range(1, len(every)):
        monkeypatch.setattr(gantt, "MAX_ROWS", limit)
        response = client.get(reverse("gantt"), {"depth": 6})
        drawn = [r["id"] for r in gantt_data(response.content.decode())["rows"] if r["kind"] == "task"]
        assert drawn == every[:limit]
        assert response.context["truncated"] is True
