"""Computed figures over the API — indicator trajectory, status and forecast, a task's backward
schedule, the portfolio rollups — equal to what the `luoshi` commands print as JSON."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.core.models import ApiToken
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget, TargetKind
from luoshi.plans.models import Milestone
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage
from luoshi.schedule.actions import enter_holiday_year
from luoshi.schedule.notice import parse_notices
from tests.cast import make_task


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


D = dt.date


def api_as(person) -> Client:
    """A client calling the API with a fresh bearer token of the person."""
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


def command_json(*args) -> object:
    out = StringIO()
    call_command(*args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def make_indicator(cast, name: str, actuals: tuple[float, ...] = (1_250_000, 1_500_000)) -> Indicator:
    """Containers doubling from 1 million in 2020 by 2025, with yearly actuals from 2021."""
    indicator = Indicator.objects.create(
        plan=cast.plan,
        owner_unit=cast.jingfa,
        name=name,
        unit="标箱",
        baseline_value=1_000_000,
        baseline_date=D(2020, 12, 31),
    )
    IndicatorTarget.objects.create(
        indicator=indicator, due_date=D(2025, 12, 31), kind=TargetKind.MULTIPLE, value=2
    )
    for year, value in zip(range(2021, 2030), actuals, strict=False):
        IndicatorActual.objects.create(indicator=indicator, period_end=D(year, 12, 31), value=value)
    return indicator


def make_project(cast, name: str, industry: str = "交通", unit=None) -> Project:
    project = Project.objects.create(
        plan=cast.plan,
        name=name,
        owner_unit=unit or cast.jingfa,
        industry=industry,
        total_investment=Decimal("12345.50"),
    )
    ProjectStage.objects.create(
        project=project, stage=Stage.START, planned_date=D(2025, 6, 30), actual_date=D(2025, 6, 1)
    )
    ProjectStage.objects.create(project=project, stage=Stage.COMPLETION, planned_date=D(2026, 6, 30))
    ProjectYear.objects.create(
        project=project,
        year=2025,
        planned_investment=Decimal("3000"),
        completed_investment=Decimal("2500.25"),
    )
    return project


def queries_for(client: Client, url: str) -> int:
    """The queries of a request after an unmeasured one, which warms the caches and records the
    token's use (written at most once a minute)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


# --- Indicators -----------------------------------------------------------------------------------


def test_an_indicators_figures_are_the_json_the_indicator_command_prints(cast):
    containers = make_indicator(cast, "集装箱吞吐量", (1_250_000, 1_500_000, 1_750_000))
    figures = api_as(cast.outsider).get(f"/api/indicators/{containers.pk}/figures").json()
    assert figures == command_json("indicator", str(containers.pk))
    assert figures["targets"][0]["absolute"] == 2_000_000  # 翻一番
    assert [p["expected"] for p in figures["trajectory"]][:2] == [1_200_000, 1_400_000]
    assert figures["status"]["light"] == "green"
    forecast = figures["forecasts"][0]
    assert forecast["verdict"] == "will_meet" and forecast["low"] < forecast["value"] < forecast["high"]


def test_every_visible_indicators_figures_are_the_list_the_command_prints(cast):
    for name in ("集装箱吞吐量", "港口货物吞吐量"):
        make_indicator(cast, name)
    listing = api_as(cast.caizheng_staff).get(f"/api/indicators/figures?plan={cast.plan.pk}").json()
    assert listing["count"] == 2
    assert listing["items"] == command_json("indicator", "--plan", str(cast.plan.pk))
    second = api_as(cast.caizheng_staff).get("/api/indicators/figures?page=2&page_size=1").json()
    assert [i["name"] for i in second["items"]] == ["港口货物吞吐量"] and second["count"] == 2


def test_indicator_figures_keep_their_query_count_as_indicators_grow(cast):
    client = api_as(cast.viewer)
    make_indicator(cast, "指标0")
    few = queries_for(client, "/api/indicators/figures")
    for i in range(1, 15):
        make_indicator(cast, f"指标{i}")
    assert queries_for(client, "/api/indicators/figures") == few
    assert few <= 7  # the token (2), the count, the indicators with their targets and actuals


def test_indicator_figures_are_denied_to_anonymous_callers_and_missing_ones_are_404(cast):
    containers = make_indicator(cast, "集装箱吞吐量")
    assert Client().get(f"/api/indicators/{containers.pk}/figures").status_code == 401
    assert Client().get("/api/indicators/figures").status_code == 401
    assert api_as(cast.viewer).get("/api/indicators/987654/figures").status_code == 404


# --- Portfolio ------------------------------------------------------------------------------------


def test_the_portfolio_is_the_json_the_portfolio_command_prints(cast):
    make_project(cast, "铁路专用线")
    make_project(cast, "化工园区管廊", industry="化工", unit=cast.caizheng)
    portfolio = api_as(cast.outsider).get("/api/portfolio").json()
    assert portfolio == command_json("portfolio")
    assert portfolio["total"]["projects"] == 2 and portfolio["total"]["total_investment"] == 24691
    assert portfolio["total"]["started_on_time"] == 2
    assert (
        portfolio["total"]["behind_schedule"] == 2
    )  # completion was due on 30 June 2026; today is 27 November
    assert [r["key"] for r in portfolio["by_unit"]] == sorted(["经发局", "财政局"])
    assert portfolio["by_year"][0]["completed_investment"] == 5000.5


def test_the_portfolio_can_be_limited_to_a_plan(cast):
    make_project(cast, "铁路专用线")
    other = api_as(cast.viewer).get("/api/portfolio?plan=987654").json()
    assert other["total"]["projects"] == 0 and other["by_unit"] == []
    mine = api_as(cast.viewer).get(f"/api/portfolio?plan={cast.plan.pk}").json()
    assert mine == command_json("portfolio", "--plan", str(cast.plan.pk))


def test_the_portfolio_keeps_its_query_count_as_projects_grow(cast):
    client = api_as(cast.viewer)
    make_project(cast, "项目0")
    few = queries_for(client, "/api/portfolio")
    for i in range(1, 15):
        make_project(cast, f"项目{i}", industry=f"产业{i % 4}", unit=(cast.jingfa, cast.caizheng)[i % 2])
    assert queries_for(client, "/api/portfolio") == few
    assert few <= 8  # the token (2) and the six rollup queries


def test_the_portfolio_is_denied_to_anonymous_callers(cast):
    assert Client().get("/api/portfolio").status_code == 401


# --- A task's schedule ----------------------------------------------------------------------------


@pytest.fixture
def request_task(cast, frozen_today):
    """A task due 17 October 2025 with three milestones in a row across National Day, seen on 29 September."""
    frozen_today(D(2025, 9, 29))
    task = make_task(
        cast.plan, "报送请示", cast.caizheng, cast.key, start=D(2025, 9, 1), deadline=D(2025, 10, 17)
    )
    previous = None
    for title, days in (("起草请示", 5), ("征求意见", 4), ("报送省财政厅", 2)):
        milestone = Milestone.objects.create(
            task=task, title=title, due_date=D(2025, 10, 17), duration_days=days
        )
        if previous:
            milestone.depends_on.add(previous)
        previous = milestone
    return task


def test_a_tasks_schedule_is_the_json_the_schedule_command_prints(cast, request_task):
    data = api_as(cast.caizheng_staff).get(f"/api/tasks/{request_task.pk}/schedule").json()
    assert data == command_json("schedule", str(request_task.pk))
    schedule = data["schedule"]
    milestones = {m["name"]: m for m in schedule["milestones"]}
    assert milestones["起草请示"]["latest_start"] == "2025-09-28"  # the 调休 Sunday
    # Started today, Monday 29 Sep: 29, 30 Sep, 9, 10, 11 Oct; 13–16; 17 and 20 Oct — one working day late.
    assert schedule["expected_finish"] == "2025-10-20" and schedule["slack"] == -1
    assert len(schedule["critical_path"]) == 3
    assert data["feasible"] is False and schedule["verdict"] == "behind"
    # 起草请示 and 征求意见 were typed as due on the deadline, after their latest finish
    assert {p["kind"] for p in schedule["problems"]} == {
        "start_passed",
        "deadline_missed",
        "planned_too_late",
    }


def test_a_schedule_is_only_for_those_who_may_see_the_task(cast, request_task):
    url = f"/api/tasks/{request_task.pk}/schedule"
    assert api_as(cast.outsider).get(url).status_code == 404
    assert api_as(cast.jingfa_staff).get(url).status_code == 404  # 经发局 supports the parent, not this task
    assert api_as(cast.leader).get(url).status_code == 200
    assert api_as(cast.viewer).get("/api/tasks/987654/schedule").status_code == 404
    assert Client().get(url).status_code == 401


def test_a_2027_schedule_without_the_years_holiday_notice_is_a_clear_422(cast):
    task = make_task(cast.plan, "2027年任务", cast.caizheng, cast.key, deadline=D(2027, 3, 31))
    Milestone.objects.create(task=task, title="完成", due_date=D(2027, 3, 31), duration_days=3)
    client = api_as(cast.caizheng_manager)
    response = client.get(f"/api/tasks/{task.pk}/schedule")
    assert response.status_code == 422
    [message] = response.json()["detail"]["__all__"]
    assert message.startswith("2027 年的节假日安排尚未录入，无法按工作日计算。")
    estimated = client.get(f"/api/tasks/{task.pk}/schedule?estimate=true").json()
    assert estimated["schedule"]["estimated"] is True
    [notice] = parse_notices("年份,2027\n放假,元旦,2027-01-01,2027-01-03\n")
    enter_holiday_year(None, notice)
    entered = client.get(f"/api/tasks/{task.pk}/schedule").json()
    assert entered["schedule"]["estimated"] is False
    assert entered["schedule"]["milestones"][0]["latest_start"] == "2027-03-29"  # Mon 29 – Wed 31 March


def test_a_dependency_cycle_is_a_422_naming_it(cast, request_task):
    first, last = request_task.milestones.order_by("id")[0], request_task.milestones.order_by("-id")[0]
    first.depends_on.add(last)
    response = api_as(cast.supervisor).get(f"/api/tasks/{request_task.pk}/schedule")
    assert response.status_code == 422
    assert response.json()["detail"]["__all__"] == [
        "里程碑之间存在循环依赖：起草请示 → 征求意见 → 报送省财政厅 → 起草请示，无法倒排工期。"
    ]


def test_the_figures_endpoints_are_documented_field_by_field(cast):
    schema = api_as(cast.viewer).get("/api/openapi.json").json()
    for path in (
        "/api/indicators/figures",
        "/api/indicators/{indicator_id}/figures",
        "/api/portfolio",
        "/api/tasks/{task_id}/schedule",
    ):
        assert "get" in schema["paths"][path], path
    components = schema["components"]["schemas"]
    assert "最迟开始" in components["ScheduledMilestoneOut"]["properties"]["latest_start"]["description"]
    assert "80%" in components["TargetForecastOut"]["properties"]["low"]["description"]
    assert "万元" in components["PortfolioRowOut"]["properties"]["completed_investment"]["description"]
