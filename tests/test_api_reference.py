"""Reference data over the API, read only: units, people, indicators and projects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from luoshi.core.models import ApiToken
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.orgs.models import Role
from luoshi.projects.models import Project, ProjectStage, ProjectYear


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


def api_as(person) -> Client:
    """A client calling the API with a fresh bearer token of the person."""
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'test')[1]}"})


@pytest.fixture
def throughput(cast) -> Indicator:
    """Port throughput: 2.1亿吨 in 2020, over 3亿吨 by 2022."""
    indicator = Indicator.objects.create(
        plan=cast.plan,
        name="港口货物吞吐量",
        unit="吨",
        owner_unit=cast.jingfa,
        baseline_value=2.1e8,
        baseline_date=dt.date(2020, 12, 31),
    )
    IndicatorTarget.objects.create(indicator=indicator, due_date=dt.date(2022, 12, 31), value=3e8)
    IndicatorActual.objects.create(indicator=indicator, period_end=dt.date(2021, 12, 31), value=2.5e8)
    return indicator


@pytest.fixture
def railway(cast) -> Project:
    project = Project.objects.create(
        plan=cast.plan,
        name="铁路专用线",
        owner_unit=cast.jingfa,
        industry="交通",
        total_investment=Decimal("120000.00"),
    )
    project.tasks.add(cast.jingfa_task)
    ProjectStage.objects.create(
        project=project, stage="start", planned_date=dt.date(2025, 3, 1), actual_date=dt.date(2025, 4, 8)
    )
    ProjectYear.objects.create(
        project=project,
        year=2025,
        planned_investment=Decimal("30000.00"),
        completed_investment=Decimal("12500.50"),
    )
    return project


# --- Units and people -----------------------------------------------------------------------------


def test_units_come_with_their_parent_and_kind_so_a_client_can_build_the_tree(cast):
    units = {u["name"]: u for u in api_as(cast.outsider).get("/api/units").json()}
    assert len(units) == 7
    assert units["X工业园区管委会"]["parent_id"] is None
    assert units["党政办督查室"]["parent_id"] == cast.office.pk and units["党政办督查室"]["kind"] == "section"


def test_a_unit_shows_its_children_aliases_and_supervising_leader(cast):
    client = api_as(cast.jingfa_staff)
    jingfa = client.get(f"/api/units/{cast.jingfa.pk}").json()
    assert jingfa["aliases"] == ["经济发展局"] and [c["name"] for c in jingfa["children"]] == ["经发局综合科"]
    assert client.get(f"/api/units/{cast.caizheng.pk}").json()["supervising_leader"]["name"] == "李副主任"
    assert client.get("/api/units/987654").status_code == 404


def test_people_filter_by_unit_subunits_and_role(cast):
    client = api_as(cast.viewer)

    def usernames(query: str) -> set[str]:
        response = client.get(f"/api/people{query}")
        assert response.status_code == 200, response.content
        return {p["username"] for p in response.json()["items"]}

    assert usernames(f"?unit={cast.caizheng.pk}") == {"caizheng_manager", "caizheng_staff"}
    assert usernames(f"?unit={cast.office.pk}") == {"admin"}
    assert usernames(f"?unit={cast.office.pk}&include_subunits=true") == {"admin", "supervisor"}
    assert usernames(f"?role={Role.MANAGER}") == {"caizheng_manager", "jingfa_manager"}
    assert client.get("/api/people?role=king").status_code == 422
    assert "phone" not in client.get("/api/people").json()["items"][0]


def test_me_is_the_caller_with_role_and_the_units_they_act_for(cast):
    me = api_as(cast.jingfa_manager).get("/api/people/me").json()
    assert (me["username"], me["role"], me["unit"]["name"]) == ("jingfa_manager", "manager", "经发局")
    assert set(me["scope_unit_ids"]) == {cast.jingfa.pk, cast.jingfa_section.pk}
    leader = api_as(cast.leader).get("/api/people/me").json()
    assert leader["scope_unit_ids"] == [cast.caizheng.pk]


# --- Indicators and projects ----------------------------------------------------------------------


def test_indicators_are_listed_and_one_shows_its_targets_and_actuals(cast, throughput):
    client = api_as(cast.outsider)  # indicators are the plan's public figures
    listing = client.get(f"/api/indicators?plan={cast.plan.pk}").json()
    assert [i["name"] for i in listing["items"]] == ["港口货物吞吐量"]
    assert client.get(f"/api/indicators?owner_unit={cast.caizheng.pk}").json()["count"] == 0
    detail = client.get(f"/api/indicators/{throughput.pk}").json()
    assert (detail["unit"], detail["direction"], detail["baseline_value"]) == ("吨", "higher", 2.1e8)
    assert [(t["due_date"], t["comparator"], t["value"]) for t in detail["targets"]] == [
        ("2022-12-31", "gte", 3e8)
    ]
    assert [(a["period_end"], a["value"]) for a in detail["actuals"]] == [("2021-12-31", 2.5e8)]
    assert client.get("/api/indicators/987654").status_code == 404


def test_projects_are_listed_and_one_shows_its_stages_and_yearly_investment(cast, railway):
    client = api_as(cast.caizheng_staff)
    listing = client.get("/api/projects?industry=交通").json()
    assert [p["name"] for p in listing["items"]] == ["铁路专用线"]
    assert client.get("/api/projects?industry=化工").json()["count"] == 0
    detail = client.get(f"/api/projects/{railway.pk}").json()
    assert Decimal(detail["total_investment"]) == Decimal("120000")
    assert detail["task_ids"] == [cast.jingfa_task.pk]
    assert detail["stages"] == [{"stage": "start", "planned_date": "2025-03-01", "actual_date": "2025-04-08"}]
    year = detail["years"][0]
    assert year["year"] == 2025 and Decimal(year["completed_investment"]) == Decimal("12500.50")
    assert client.get("/api/projects/987654").status_code == 404


@pytest.mark.parametrize("url", ["/api/units", "/api/people", "/api/indicators", "/api/projects"])
def test_reference_data_cannot_be_written_through_the_api(cast, url):
    assert api_as(cast.supervisor).post(url, {}, content_type="application/json").status_code == 405
