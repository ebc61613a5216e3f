"""A bulletin is as of its period: what had been reported, decided and done by the period's last day."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi.bulletins.compose import RANKED_KINDS, compose, parse_period
from luoshi.orgs.models import Person
from luoshi.plans import actions
from luoshi.plans.health import Light
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from tests.conftest import TODAY
from tests.test_demo_data import demo, loaded  # noqa: F401  (the demo, loaded once)

CATEGORIES = ("closed", "overdue", "red", "yellow", "returned", "green")


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("完成.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")


@pytest.fixture
def returned_in_december(cast, frozen_today):
    """财政局 hands in its measure in November; the office returns it on 6 December."""
    frozen_today(dt.date(2026, 11, 16))
    report_progress(
        cast.caizheng_staff, cast.measure, percent=100, narrative="已报省财政厅", files=[evidence()]
    )
    actions.request_closing(cast.caizheng_manager, cast.measure)
    frozen_today(dt.date(2026, 12, 6))
    actions.return_task(cast.supervisor, cast.measure, "缺少省财政厅回执")
    frozen_today(dt.date(2026, 12, 10))
    return cast


def test_a_past_months_bulletin_leaves_out_what_happened_after_it(returned_in_december):
    cast = returned_in_december
    november = compose(cast.plan, parse_period("2026-11"), today=dt.date(2026, 12, 10))
    assert cast.measure.pk not in {t["id"] for t in november["at_risk_tasks"]}  # returned in December
    december = compose(cast.plan, parse_period("2026-12"), today=dt.date(2026, 12, 10))
    assert cast.measure.pk in {t["id"] for t in december["at_risk_tasks"]}


def test_a_report_added_today_does_not_change_last_months_bulletin(cast, frozen_today):
    frozen_today(dt.date(2026, 12, 10))
    before = compose(cast.plan, parse_period("2026-11"))
    report_progress(cast.caizheng_staff, cast.measure, percent=80, narrative="12月进展")
    assert compose(cast.plan, parse_period("2026-11")) == before
    assert compose(cast.plan, parse_period("2026-12"))["overall"] != before["overall"]


def test_a_task_assigned_after_the_period_is_not_in_it(cast, frozen_today):
    frozen_today(dt.date(2026, 12, 3))
    new = actions.create_task(
        cast.supervisor, plan=cast.plan, parent=cast.area, title="十二月新任务", lead_unit=cast.jingfa
    )
    actions.assign_task(cast.supervisor, new)
    assert compose(cast.plan, parse_period("2026-11"))["overall"]["tasks"] == 3
    assert compose(cast.plan, parse_period("2026-12"))["overall"]["tasks"] == 4


class TestTheDemosBulletins:
    def test_every_months_categories_add_up_to_its_total_and_composing_twice_agrees(self, demo):  # noqa: F811
        plan = Task.objects.order_by("id").first().plan
        first = Task.objects.filter(plan=plan).earliest("created_at").transitions.order_by("at").first()
        month = (first.at.date() if first else plan.period_start).replace(day=1)
        checked = 0
        while month <= TODAY:
            period = parse_period(f"{month.year}-{month.month:02d}")
            content = compose(plan, period)
            overall = content["overall"]
            assert sum(overall[c] for c in CATEGORIES) == overall["tasks"], period.label
            assert len(content["overdue_tasks"]) == overall["overdue"]
            assert len(content["at_risk_tasks"]) == overall["red"] + overall["yellow"] + overall["returned"]
            assert sum(r["tasks"] for r in content["ranking"]) == overall["tasks"]
            assert compose(plan, period) == content, period.label
            checked += 1
            month = (month + dt.timedelta(days=32)).replace(day=1)
        assert checked >= 3

    def test_every_task_has_the_same_light_on_the_page_in_the_api_and_in_the_bulletin(self, demo):  # noqa: F811
        plan = Task.objects.order_by("id").first().plan
        client = Client()
        client.force_login(Person.objects.get(username="supervisor"))
        page: dict[int, str] = {}
        for light in Light.values:
            html = client.get(reverse("task_list"), {"plan": plan.pk, "light": light}).content.decode()
            for task_id in re.findall(r'<tr data-id="(\d+)"[^>]*?(?<!class="context")>', html):
                page[int(task_id)] = light
        api: dict[int, str] = {}
        number = 1
        while True:
            body = client.get("/api/tasks", {"plan": plan.pk, "page": number, "page_size": 200}).json()
            api.update({row["id"]: row["light"] for row in body["items"]})
            if len(api) >= body["count"]:
                break
            number += 1
        assert page == api and len(api) == Task.objects.filter(plan=plan).count()
        bulletin = compose(plan, parse_period(f"{TODAY.year}-{TODAY.month:02d}"))
        listed = {t["id"]: Light.OVERDUE.value for t in bulletin["overdue_tasks"]}
        listed |= {t["id"]: t["light"] for t in bulletin["at_risk_tasks"]}
        assert listed == {
            pk: light
            for pk, light in api.items()
            if light in (Light.OVERDUE, Light.RED, Light.YELLOW, Light.RETURNED) and pk in ranked_ids(plan)
        }
        overall = bulletin["overall"]
        counts = {
            light: sum(1 for pk, v in api.items() if v == light and pk in ranked_ids(plan))
            for light in Light.values
        }
        assert (overall["green"], overall["closed"], overall["drafts"]) == (
            counts["green"],
            counts["done"],
            counts["draft"],
        )


def ranked_ids(plan) -> set[int]:
    return set(Task.objects.filter(plan=plan, kind__in=RANKED_KINDS).values_list("id", flat=True))
