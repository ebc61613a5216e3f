"""Every main page renders for every role, shows what the scene holds, and keeps out who may not see it."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.cast import client_for

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


def main_pages(scene) -> dict[str, str]:
    c = scene.cast
    return {
        "cockpit": reverse("cockpit"),
        "my_tasks": reverse("my_tasks"),
        "tree": reverse("task_list"),
        "tree_filtered": reverse("task_list")
        + f"?plan={c.plan.pk}&unit={c.caizheng.pk}&light=overdue&q=请示&kind=measure",
        "gantt": reverse("gantt"),
        "gantt_subtree": reverse("gantt") + f"?root={c.key.pk}&depth=3",
        "board": reverse("supervision_board"),
        "units": reverse("unit_list"),
        "unit": reverse("unit_detail", args=[c.caizheng.pk]),
        "indicators": reverse("indicator_list"),
        "indicator": reverse("indicator_detail", args=[scene.port.pk]),
        "projects": reverse("project_list"),
        "projects_filtered": reverse("project_list") + "?state=behind&year=2026",
        "project": reverse("project_detail", args=[scene.project.pk]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_renders_for_every_role(scene, role):
    client = client_for(getattr(scene.cast, role))
    for name, url in main_pages(scene).items():
        response = client.get(url)
        hidden = role == "outsider" and name == "gantt_subtree"  # the key task is not theirs to see
        assert response.status_code == (404 if hidden else 200), (name, response.status_code)


def test_pages_need_a_login(scene):
    for name, url in main_pages(scene).items():
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("leader", "cockpit"),
        ("supervisor", "cockpit"),
        ("admin", "cockpit"),
        ("viewer", "cockpit"),
        ("caizheng_manager", "my_tasks"),
        ("caizheng_staff", "my_tasks"),
        ("outsider", "my_tasks"),
    ],
)
def test_home_sends_each_role_to_its_natural_page(scene, role, page):
    response = client_for(getattr(scene.cast, role)).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse(page)


def test_the_task_page_shows_milestones_support_units_and_a_merged_timeline(scene):
    c = scene.cast
    html = client_for(c.supervisor).get(reverse("task_detail", args=[scene.returned.pk])).content.decode()
    assert "缺少会议纪要" in html  # the return's reason, as a workflow event
    assert "联席会议制度已印发" in html and "制度文件.pdf" in html  # the report with its evidence
    html = client_for(c.caizheng_staff).get(reverse("task_detail", args=[c.measure.pk])).content.decode()
    assert 'id="milestones"' in html and "征求相关部门意见" in html and "报送省财政厅" in html
    html = client_for(c.caizheng_staff).get(reverse("task_detail", args=[c.key.pk])).content.decode()
    assert 'id="support-units"' in html and "经发局" in html


def test_an_unknown_plan_or_object_is_a_404(scene):
    client = client_for(scene.cast.supervisor)
    assert client.get(reverse("cockpit") + "?plan=999999").status_code == 404
    assert client.get(reverse("indicator_detail", args=[999999])).status_code == 404
    assert client.get(reverse("project_detail", args=[999999])).status_code == 404
    assert client.get(reverse("unit_detail", args=[999999])).status_code == 404
    assert client.get(reverse("gantt") + "?root=999999").status_code == 404
    assert client.get(reverse("task_export", args=["pdf"])).status_code == 404


def test_every_page_serves_its_scripts_from_the_app_itself(scene):
    client = client_for(scene.cast.supervisor)
    for name, url in main_pages(scene).items():
        html = client.get(url).content.decode()
        assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html, name
        assert "/static/vendor/htmx/htmx.min.js" in html, name


def test_the_apps_own_scripts_and_styles_are_found():
    """luoshi/static/ must be a static folder (STATICFILES_DIRS), or no page gets its CSS, htmx or charts."""
    from django.contrib.staticfiles import finders

    for path in (
        "luoshi/app.css",
        "luoshi/app.js",
        "luoshi/charts.js",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
    ):
        assert finders.find(path), path
