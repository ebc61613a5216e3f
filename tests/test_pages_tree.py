"""The task tree: filters kept in the URL, matches shown with their ancestors, the filtered view exported."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import client_for


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def tree(client, **query) -> str:
    return client.get(reverse("task_list"), query).content.decode()


def shown_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-id="(\d+)"', html)]


def test_without_filters_the_tree_opens_two_levels_and_loads_deeper_ones_on_demand(scene):
    c = scene.cast
    client = client_for(c.supervisor)
    html = tree(client)
    ids = shown_ids(html)
    assert ids[:2] == [c.area.pk, c.key.pk]  # depth first, in order
    assert c.measure.pk not in ids  # below the second level
    assert f'hx-get="{reverse("task_children", args=[c.key.pk])}"' in html
    children = client.get(reverse("task_children", args=[c.key.pk])).content.decode()
    assert shown_ids(children) == [c.measure.pk, scene.closing.pk, scene.due_soon.pk]
    assert (
        f'data-ancestors="{c.area.pk} {c.key.pk}"' in children
        or f'data-ancestors="{c.key.pk} {c.area.pk}"' in children
    )


def test_filters_are_kept_in_the_url_and_in_the_form(scene):
    c = scene.cast
    html = tree(
        client_for(c.supervisor), plan=c.plan.pk, unit=c.jingfa.pk, light="overdue", kind="project", q="铁路"
    )
    assert 'name="q" value="铁路"' in html
    assert f'<option value="{c.jingfa.pk}" selected>' in html
    assert '<option value="overdue" selected>' in html and '<option value="project" selected>' in html
    assert f"unit={c.jingfa.pk}" in html and "light=overdue" in html  # the export links carry the filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"light": "overdue"}, {"overdue"}),
        ({"overdue": "on"}, {"overdue"}),
        ({"status": "returned"}, {"returned"}),
        ({"status": "closing_requested"}, {"closing"}),
        ({"q": "请示"}, {"measure"}),
        ({"kind": "liaison"}, {"key"}),
        ({"unit": "jingfa", "lead_only": "on"}, {"jingfa_task", "overdue", "returned"}),
        ({"unit": "jingfa"}, {"jingfa_task", "overdue", "returned", "key", "assigned"}),  # lead or support
    ],
)
def test_each_filter_finds_exactly_its_tasks_and_shows_their_ancestors_as_context(scene, query, expected):
    c = scene.cast
    tasks = {
        "overdue": scene.overdue,
        "returned": scene.returned,
        "closing": scene.closing,
        "measure": c.measure,
        "key": c.key,
        "jingfa_task": c.jingfa_task,
        "assigned": scene.assigned,
    }
    if "unit" in query:
        query = {**query, "unit": getattr(c, query["unit"]).pk}
    html = tree(client_for(c.supervisor), **query)
    rows = dict(re.findall(r'<tr data-id="(\d+)"[^>]*?( class="context")?>', html))
    matches = {int(pk) for pk, context in rows.items() if not context}
    assert matches == {tasks[name].pk for name in expected}
    for name in expected:  # every match has its parent on the page, as context unless it matches too
        parent = tasks[name].parent_id
        assert str(parent) in rows
    assert f"符合条件的任务 {len(expected)} 项" in html


def test_a_unit_person_sees_only_their_units_part_of_the_tree(scene):
    c = scene.cast
    ids = set(shown_ids(tree(client_for(c.jingfa_staff), overdue="on")))
    assert scene.overdue.pk in ids
    ids = set(shown_ids(tree(client_for(c.outsider))))
    assert ids == set()


def test_the_export_holds_the_filtered_view_as_csv_and_as_xlsx(scene):
    c = scene.cast
    client = client_for(c.supervisor)
    query = {"plan": c.plan.pk, "unit": c.jingfa.pk, "lead_only": "on"}
    response = client.get(reverse("task_export", args=["csv"]), query)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "任务名称", "层级"]
    assert {r[1] for r in rows[1:]} == {
        "拿出绿色化工承接方案",
        "完成铁路专用线前期手续",
        "建立重点项目联席会议制度",
    }
    overdue_row = next(r for r in rows if r[1] == "完成铁路专用线前期手续")
    assert overdue_row[4] == "经发局" and overdue_row[8] == "2026-10-31" and overdue_row[-2] == "已逾期"
    assert (
        rows[0][-1] == "原因" and "完成时限 2026-10-31 已过" in overdue_row[-1]
    )  # the light says why, as on the page
    response = client.get(reverse("task_export", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = {sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)}
    assert titles == {r[1] for r in rows[1:]}
    overdue = next(
        r for r in sheet.iter_rows(min_row=3, values_only=True) if r[1] == "完成铁路专用线前期手续"
    )
    assert overdue[-2] == "已逾期" and overdue[-1] == overdue_row[-1]
    assert sheet["A1"].value == c.plan.title


def test_the_export_never_holds_a_task_the_person_may_not_see(scene):
    c = scene.cast
    response = client_for(c.outsider).get(reverse("task_export", args=["csv"]))
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:] == []


def test_the_children_of_a_task_one_may_not_see_are_a_404(scene):
    c = scene.cast
    assert client_for(c.outsider).get(reverse("task_children", args=[c.key.pk])).status_code == 404


def test_the_tree_in_english(scene):
    client = client_for(scene.cast.supervisor)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("task_list"), {"light": "overdue"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 matching task" in html and "Overdue" in html and "Task tree" in html


def test_the_opening_screen_has_the_rows_progress_and_lights_the_whole_tree_would_give_everyone(scene):
    """The unfiltered page reads only its rows; it must show exactly what building the whole tree shows."""
    from types import SimpleNamespace

    from luoshi.plans.models import Task
    from luoshi.plans.rollup import progress_of_plan
    from luoshi.plans.views.tree import PlanTree, _first_screen

    c = scene.cast

    def seen(rows) -> list[tuple]:
        return [
            (r.task.pk, r.depth, r.has_children, r.children_shown, r.context, r.ancestors, r.health)
            for r in rows
        ]

    for name, person in c.people().items():
        visible = list(Task.objects.visible_to(person).filter(plan=c.plan).order_by("order", "id"))
        whole = PlanTree(visible, progress_of_plan(c.plan.pk))
        rows, count = _first_screen(SimpleNamespace(user=person), c.plan)
        assert seen(rows) == seen(whole.rows(None)), name
        assert count == len(visible), name
    staff_rows, _count = _first_screen(SimpleNamespace(user=c.jingfa_staff), c.plan)
    assert c.key.pk in [r.task.pk for r in staff_rows if r.depth == 0]  # its parent area is not theirs to see
