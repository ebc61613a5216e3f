"""The cockpit as of a past day (截至), and what changed since the end of the previous month (环比)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.cockpit.changes import changes_between
from luoshi.cockpit.figures import task_figures
from luoshi.plans import actions
from luoshi.plans.health import Light
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from tests.cast import client_for
from tests.conftest import TODAY


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


@pytest.fixture
def november(cast, frozen_today):
    """经发局 closes its task on 20 November; 财政局's measure falls due on 13 November, unclosed."""
    Task.objects.filter(pk=cast.measure.pk).update(deadline=dt.date(2026, 11, 13))
    frozen_today(dt.date(2026, 10, 20))
    report_progress(cast.caizheng_staff, cast.measure, percent=40, narrative="起草")
    frozen_today(dt.date(2026, 11, 18))
    report_progress(
        cast.jingfa_staff,
        cast.jingfa_task,
        percent=100,
        narrative="完成",
        files=[SimpleUploadedFile("方案.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    actions.request_closing(cast.jingfa_manager, cast.jingfa_task)
    frozen_today(dt.date(2026, 11, 20))
    actions.sign_off(cast.supervisor, cast.jingfa_task)
    frozen_today(TODAY)
    return cast


def test_the_cockpit_as_of_a_past_day_counts_what_stood_then(november):
    cast = november
    now = task_figures(cast.supervisor, cast.plan, TODAY)
    then = task_figures(cast.supervisor, cast.plan, TODAY, as_of=dt.date(2026, 10, 31))
    assert (now.count(Light.DONE), now.count(Light.OVERDUE)) == (1, 1)
    assert (then.count(Light.DONE), then.count(Light.OVERDUE)) == (0, 0)
    assert then.total == now.total == sum(then.counts.values())
    page = client_for(cast.supervisor).get(reverse("cockpit"), {"as_of": "2026-10-31"}).content.decode()
    assert "截至 2026-10-31" in page
    done = re.search(r'data-light="done">.*?<span class="value">(\d+)</span>', page, re.S)
    assert done and done.group(1) == "0"


def test_the_comparison_with_last_months_end_names_new_overdue_and_closed_work_by_unit(november):
    cast = november
    changes = changes_between(cast.supervisor, cast.plan, dt.date(2026, 10, 31), TODAY, TODAY)
    assert [t.pk for t, _ in changes.new_overdue] == [cast.measure.pk]
    assert [t.pk for t, _ in changes.newly_closed] == [cast.jingfa_task.pk]
    units = {u.name: u for u in changes.by_unit}
    assert (units["经发局"].progress_then, units["经发局"].progress_now, units["经发局"].newly_closed) == (
        0.0,
        100.0,
        1,
    )
    assert units["财政局"].new_overdue == 1
    page = (
        client_for(cast.supervisor).get(reverse("cockpit_changes"), {"plan": cast.plan.pk}).content.decode()
    )
    assert "新增逾期 1 项，新办结 1 项" in page and "2026-10-31 至 2026-11-27" in page


def test_the_comparison_page_needs_a_login(cast):
    assert Client().get(reverse("cockpit_changes")).status_code == 302


def test_a_past_days_tiles_open_the_tasks_as_they_stood_that_day_and_list_as_many(november):
    cast = november
    client = client_for(cast.supervisor)
    page = client.get(reverse("cockpit"), {"plan": cast.plan.pk, "as_of": "2026-11-16"}).content.decode()
    tiles = re.findall(
        r'<a class="kpi light-(\w+)" href="([^"]+)" data-light="\w+">.*?<span class="value">(\d+)</span>',
        page,
        re.S,
    )
    assert {light for light, _, _ in tiles} >= {"green", "overdue", "done"}
    for light, url, count in tiles:
        assert (
            url.startswith(reverse("cockpit_as_of")) and "as_of=2026-11-16" in url and f"light={light}" in url
        )
        listed = client.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200
        assert len(listed.context["rows"]) == int(count), light  # the list holds exactly the tile's number
    overdue = client.get(
        reverse("cockpit_as_of"), {"plan": cast.plan.pk, "as_of": "2026-11-16", "light": "overdue"}
    )
    rows = overdue.context["rows"]
    assert [task.pk for task, _, _ in rows] == [cast.measure.pk]  # due on the 13th, not yet done on the 16th
    assert "完成时限 2026-11-13 已过" in rows[0][1].why and rows[0][2] == "财政局"
    # Today's tiles still open the task tree with its filters.
    today = client.get(reverse("cockpit"), {"plan": cast.plan.pk}).content.decode()
    assert f"{reverse('task_list')}?plan={cast.plan.pk}&amp;light=overdue" in today


def test_the_past_day_list_is_only_what_the_person_sees(november):
    cast = november
    listed = client_for(cast.caizheng_staff).get(
        reverse("cockpit_as_of"), {"plan": cast.plan.pk, "as_of": "2026-11-16"}
    )
    visible = set(Task.objects.visible_to(cast.caizheng_staff).values_list("pk", flat=True))
    assert listed.status_code == 200 and {task.pk for task, _, _ in listed.context["rows"]} <= visible
    assert Client().get(reverse("cockpit_as_of")).status_code == 302
