"""The public results page (结果公示): off until the office publishes it, only what the office chose,
never people, and the same small number of queries however large the plan."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.indicators.actions import record_actual
from luoshi.indicators.models import Indicator, IndicatorTarget
from luoshi.orgs.models import Person
from luoshi.plans.actions import add_comment
from luoshi.plans.models import TaskKind, TaskStatus
from luoshi.progress.actions import report_progress
from luoshi.public.actions import set_public_page
from luoshi.public.figures import PAGE_ROWS
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def results(cast):
    """A plan with a completed task, an indicator with an actual, and private words on the way."""
    done = make_task(
        cast.plan,
        "完成集装箱航线补贴政策",
        cast.caizheng,
        cast.key,
        status=TaskStatus.CLOSED,
        kind=TaskKind.WORK,
    )
    done.closed_at = timezone.make_aware(dt.datetime(2026, 10, 9, 15))
    done.description = "内部：请张局长务必督促"
    done.save()
    for person in Person.objects.all():
        person.phone = f"1390000{person.pk:04d}"
        person.save()
    port = Indicator.objects.create(
        plan=cast.plan,
        name="港口货物吞吐量",
        unit="吨",
        owner_unit=cast.caizheng,
        baseline_value=2e8,
        baseline_date=dt.date(2023, 12, 31),
    )
    IndicatorTarget.objects.create(indicator=port, due_date=dt.date(2027, 12, 31), value=3e8)
    record_actual(
        cast.caizheng_staff, port, period_end=dt.date(2025, 12, 31), value=2.6e8, note="口径待统计局核实"
    )
    report_progress(
        cast.caizheng_staff,
        cast.measure,
        percent=40,
        narrative="已与省财政厅初步沟通，刘科员跟进",
        problems="请示文稿尚待局长签字",
    )
    add_comment(cast.leader, cast.measure, "李副主任：抓紧报送")
    return {"done": done, "port": port}


def public(plan_id: int, query: str = "") -> tuple[int, str]:
    response = Client().get(reverse("public_page", args=[plan_id]) + query)
    return response.status_code, response.content.decode()


def test_a_plan_has_no_public_page_until_the_office_publishes_it(cast, results):
    assert public(cast.plan.pk)[0] == 404
    set_public_page(cast.supervisor, cast.plan, intro="")  # settings saved, still not published
    assert public(cast.plan.pk)[0] == 404
    set_public_page(cast.supervisor, cast.plan, published=True)
    status, html = public(cast.plan.pk)
    assert status == 200
    assert "完成集装箱航线补贴政策" in html and "港口货物吞吐量" in html and "2.6亿吨" in html


def test_taking_the_page_down_works_at_once_despite_the_cache(cast, results):
    set_public_page(cast.supervisor, cast.plan, published=True)
    assert public(cast.plan.pk)[0] == 200
    set_public_page(cast.supervisor, cast.plan, published=False)
    assert public(cast.plan.pk)[0] == 404


def test_the_page_shows_only_the_parts_the_office_chose(cast, results):
    set_public_page(cast.supervisor, cast.plan, published=True, show_indicators=False, show_units=False)
    html = public(cast.plan.pk)[1]
    assert "港口货物吞吐量" not in html
    assert "完成集装箱航线补贴政策" in html
    assert "财政局" not in html
    set_public_page(cast.supervisor, cast.plan, show_completed_tasks=False, show_indicators=True)
    html = public(cast.plan.pk)[1]
    assert "完成集装箱航线补贴政策" not in html and "港口货物吞吐量" in html


def test_no_person_and_no_internal_words_appear(cast, results):
    set_public_page(cast.supervisor, cast.plan, published=True)
    html = public(cast.plan.pk)[1]
    for person in Person.objects.all():
        for private in (person.full_name, person.phone, person.username):
            assert private not in html, private
    for private in ("口径待统计局核实", "刘科员", "请示文稿尚待局长签字", "抓紧报送", "张局长"):
        assert private not in html, private


def test_the_office_sets_the_page_and_no_one_else_reaches_its_settings(cast, results):
    client = Client()
    client.force_login(cast.supervisor)
    assert client.get(reverse("public_list")).status_code == 200
    url = reverse("public_settings", args=[cast.plan.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"published": "on", "show_areas": "on", "show_bulletins": "on", "intro": "欢迎社会监督"})
    status, html = public(cast.plan.pk)
    assert status == 200 and "欢迎社会监督" in html and "港口货物吞吐量" not in html  # unticked boxes hide
    for role in ("leader", "caizheng_manager", "caizheng_staff", "viewer"):
        other = Client()
        other.force_login(getattr(cast, role))
        assert other.get(reverse("public_list")).status_code == 404
        assert other.get(url).status_code == 404
        assert other.post(url, {"published": ""}).status_code == 404
    assert public(cast.plan.pk)[0] == 200  # none of them took it down
    assert Client().get(url).status_code == 302  # to the login page


def test_completed_tasks_come_a_page_at_a_time_newest_first(cast, results):
    for i in range(PAGE_ROWS + 5):
        task = make_task(cast.plan, f"已办结第{i:03d}项", cast.jingfa, cast.area, status=TaskStatus.CLOSED)
        task.closed_at = timezone.make_aware(dt.datetime(2026, 1, 1, 9) + dt.timedelta(days=i))
        task.save()
    set_public_page(cast.supervisor, cast.plan, published=True)
    first = public(cast.plan.pk)[1]
    assert "完成集装箱航线补贴政策" in first and f"已办结第{PAGE_ROWS + 4:03d}项" in first
    assert "已办结第000项" not in first
    second = public(cast.plan.pk, "?tasks=2")[1]
    assert "已办结第000项" in second and "完成集装箱航线补贴政策" not in second
    assert public(cast.plan.pk, "?tasks=abc")[1] == first  # a bad page number is the first page


def test_the_page_costs_the_same_queries_however_large_the_plan_and_a_cached_one_one_query(cast, results):
    set_public_page(cast.supervisor, cast.plan, published=True)

    def queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert public(cast.plan.pk)[0] == 200
        return len(captured)

    small = queries()
    for i in range(80):
        make_task(cast.plan, f"任务{i}", cast.jingfa, cast.area, status=TaskStatus.CLOSED)
        Indicator.objects.create(plan=cast.plan, name=f"指标{i}", unit="家", owner_unit=cast.jingfa)
    assert queries() == small
    with CaptureQueriesContext(connection) as captured:
        public(cast.plan.pk)
    assert len(captured) == 1  # the page's settings; the rest comes from the cache


def test_the_page_speaks_the_chosen_language_and_each_language_is_cached_apart(cast, results):
    set_public_page(cast.supervisor, cast.plan, published=True)
    assert "已办结任务" in public(cast.plan.pk)[1]
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("public_page", args=[cast.plan.pk])).content.decode()
    assert "Completed tasks" in html and "Published bulletins" in html and "已办结任务" not in html


def test_a_relative_target_names_its_reference_as_the_plan_does(cast, results):
    from luoshi.indicators.models import TargetKind

    province = Indicator.objects.create(
        plan=cast.plan, name="全省GDP增速", unit="%", owner_unit=cast.caizheng
    )
    growth = Indicator.objects.create(
        plan=cast.plan, name="地区生产总值增速", unit="%", owner_unit=cast.caizheng
    )
    IndicatorTarget.objects.create(
        indicator=growth,
        due_date=dt.date(2027, 12, 31),
        kind=TargetKind.RELATIVE,
        value=2.5,
        reference_indicator=province,
    )
    set_public_page(cast.supervisor, cast.plan, published=True, show_indicators=True)
    html = public(cast.plan.pk)[1]
    assert "≥ 全省GDP增速 + 2.5 个百分点" in html and "参照指标" not in html
