"""The owner unit records when a project reached a stage; the portfolio counts it from then on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.projects.models import Project, ProjectStage, Stage
from luoshi.projects.rollups import projects_started_in


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


@pytest.fixture
def spur_line(cast):
    project = Project.objects.create(
        plan=cast.plan, name="铁路专用线一期", owner_unit=cast.jingfa, total_investment=Decimal("50000")
    )
    return ProjectStage.objects.create(project=project, stage=Stage.START, planned_date=dt.date(2026, 6, 30))


def post(person, stage, day: str):
    client = Client()
    client.force_login(person)
    return client.post(reverse("project_stage_date", args=[stage.project_id, stage.pk]), {"actual_date": day})


def test_the_owner_unit_records_the_start_of_works_and_the_portfolio_counts_it(cast, spur_line):
    assert projects_started_in(2026) == 0
    assert post(cast.jingfa_staff, spur_line, "2026-07-15").status_code == 302
    spur_line.refresh_from_db()
    assert spur_line.actual_date == dt.date(2026, 7, 15)
    assert spur_line.history.first().history_user == cast.jingfa_staff
    assert projects_started_in(2026) == 1


def test_only_the_owner_unit_sees_the_form(cast, spur_line):
    action = reverse("project_stage_date", args=[spur_line.project_id, spur_line.pk])
    detail = reverse("project_detail", args=[spur_line.project_id])
    owner, other = Client(), Client()
    owner.force_login(cast.jingfa_staff)
    other.force_login(cast.caizheng_staff)
    assert action in owner.get(detail).content.decode()
    assert action not in other.get(detail).content.decode()


@pytest.mark.parametrize("role", ["caizheng_manager", "leader", "viewer", "outsider"])
def test_other_people_cannot_record_a_stage(cast, spur_line, role):
    assert post(getattr(cast, role), spur_line, "2026-07-15").status_code == 403
    spur_line.refresh_from_db()
    assert spur_line.actual_date is None


def test_a_future_date_is_refused_with_a_message(cast, spur_line):
    client = Client()
    client.force_login(cast.jingfa_manager)
    response = client.post(
        reverse("project_stage_date", args=[spur_line.project_id, spur_line.pk]),
        {"actual_date": "2027-01-01"},
        follow=True,
    )
    assert "实际日期不能晚于今天" in response.content.decode()
    spur_line.refresh_from_db()
    assert spur_line.actual_date is None
