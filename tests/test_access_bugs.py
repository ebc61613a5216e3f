"""The holes the one access policy closed: each test failed before it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from luoshi.documents.actions import accept_proposal, propose
from luoshi.documents.extract.reading import read_bytes
from luoshi.documents.models import ImportDraft
from luoshi.inbox.models import Notification
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.orgs.models import Unit
from luoshi.projects.models import Project, ProjectStage
from tests.conftest import TODAY
from tests.test_text_import import review_post


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


#: A text naming units that do not exist yet (港航局 supports, 省财政厅 is a counterpart) and a target with a new indicator.
TEXT = """关于推进港口发展的实施方案
一、主要目标
到2027年，港口吞吐量超3亿吨。
二、重点任务
（一）争取政策支持。工业园区财政局要尽快形成专门请示，港航局配合，抓紧与省财政厅沟通对接。
"""


def test_a_unit_manager_importing_under_their_task_creates_no_units_or_indicators(cast):
    draft = propose(cast.caizheng_manager, read_bytes(TEXT.encode(), "方案.txt"))
    units, indicators = Unit.objects.count(), Indicator.objects.count()
    result = accept_proposal(cast.caizheng_manager, draft, plan=cast.plan, parent=cast.key)
    assert result.tasks, "the tasks themselves are the manager's to create"
    assert (Unit.objects.count(), Indicator.objects.count(), IndicatorTarget.objects.count()) == (
        units,
        indicators,
        0,
    )
    assert "港航局" in result.proposed_units and any(
        "港口吞吐量" in name for name in result.proposed_indicators
    )


def test_what_a_manager_may_not_create_is_proposed_to_the_supervision_office(cast):
    draft = propose(cast.caizheng_manager, read_bytes(TEXT.encode(), "方案.txt"))
    accept_proposal(cast.caizheng_manager, draft, plan=cast.plan, parent=cast.key)
    note = Notification.objects.get(recipient=cast.supervisor)
    assert "港航局" in note.body and "港口吞吐量" in note.body
    assert not Notification.objects.filter(recipient=cast.caizheng_manager).exists()


def test_the_office_importing_still_creates_units_and_indicators(cast):
    draft = propose(cast.supervisor, read_bytes(TEXT.encode(), "方案.txt"))
    result = accept_proposal(cast.supervisor, draft, plan=cast.plan)
    assert Unit.objects.filter(name="港航局").exists() and result.indicators
    assert not result.proposed_units and not result.proposed_indicators


def test_through_the_review_page_a_manager_asks_the_office_for_the_new_units(cast):
    draft = propose(cast.caizheng_manager, read_bytes(TEXT.encode(), "方案.txt"))
    client = Client()
    client.force_login(cast.caizheng_manager)
    url = reverse("import_review", kwargs={"draft_id": draft.pk})
    html = client.get(url).content.decode()
    assert "提请督查室建立此单位" in html and "新建此单位" not in html
    keep = {f"keep-{item['id']}": "1" for item in [*draft.proposal["outline"], *draft.proposal["tasks"]]}
    client.post(
        url,
        review_post(
            draft.proposal, {"placement": "under_task", "parent": cast.key.pk, "unit-省财政厅": "1", **keep}
        ),
    )
    assert not Unit.objects.filter(name="省财政厅").exists()
    assert "省财政厅" in Notification.objects.get(recipient=cast.supervisor).body


@pytest.mark.parametrize("role", ["viewer", "caizheng_staff", "leader"])
def test_who_may_not_import_does_not_reach_the_import_pages(cast, role):
    client = Client()
    client.force_login(getattr(cast, role))
    assert client.get(reverse("import_upload")).status_code == 403
    response = client.post(reverse("import_upload"), {"text": TEXT})
    assert response.status_code == 403
    assert not ImportDraft.objects.exists(), "no extraction runs for someone who may not import"
    with pytest.raises(PermissionDenied):
        propose(getattr(cast, role), read_bytes(TEXT.encode(), "方案.txt"))
    own = ImportDraft.objects.create(
        owner=getattr(cast, role),
        source_name="方案.txt",
        proposal=propose(cast.supervisor, read_bytes(TEXT.encode(), "方案.txt")).proposal,
    )
    assert client.get(reverse("import_review", kwargs={"draft_id": own.pk})).status_code == 403


def test_an_indicator_actual_in_the_future_is_refused_by_the_model_itself(cast):
    indicator = Indicator.objects.create(
        plan=cast.plan, name="港口吞吐量", unit="吨", owner_unit=cast.caizheng
    )
    actual = IndicatorActual(indicator=indicator, period_end=TODAY + dt.timedelta(days=30), value=1)
    with pytest.raises(ValidationError) as error:
        actual.full_clean()
    assert "period_end" in error.value.message_dict


def test_a_project_stage_reached_in_the_future_is_refused_by_the_model_itself(cast):
    project = Project.objects.create(
        plan=cast.plan, name="集装箱码头", owner_unit=cast.caizheng, total_investment=1
    )
    stage = ProjectStage(
        project=project, stage="start", planned_date=TODAY, actual_date=TODAY + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        stage.full_clean()
    assert "actual_date" in error.value.message_dict


def test_the_admin_shows_indicator_actuals_read_only_so_they_go_through_the_entry_page(cast):
    indicator = Indicator.objects.create(
        plan=cast.plan, name="港口吞吐量", unit="吨", owner_unit=cast.caizheng
    )
    IndicatorActual.objects.create(indicator=indicator, period_end=TODAY, value=5)
    client = Client()
    client.force_login(cast.supervisor)
    html = client.get(f"/admin/indicators/indicator/{indicator.pk}/change/").content.decode()
    assert 'name="actuals-0-value"' not in html and 'name="actuals-0-period_end"' not in html


def test_the_admin_refuses_a_stage_date_in_the_future(cast):
    project = Project.objects.create(
        plan=cast.plan, name="集装箱码头", owner_unit=cast.caizheng, total_investment=1
    )
    stage = ProjectStage.objects.create(project=project, stage="start", planned_date=TODAY)
    client = Client()
    client.force_login(cast.supervisor)
    future = TODAY + dt.timedelta(days=10)
    client.post(
        f"/admin/projects/project/{project.pk}/change/",
        {
            "plan": cast.plan.pk,
            "name": project.name,
            "owner_unit": cast.caizheng.pk,
            "total_investment": "1",
            "industry": "",
            "location": "",
            "stages-TOTAL_FORMS": "1",
            "stages-INITIAL_FORMS": "1",
            "stages-MIN_NUM_FORMS": "0",
            "stages-MAX_NUM_FORMS": "1000",
            "stages-0-id": stage.pk,
            "stages-0-project": project.pk,
            "stages-0-stage": "start",
            "stages-0-planned_date": TODAY.isoformat(),
            "stages-0-actual_date": future.isoformat(),
            "years-TOTAL_FORMS": "0",
            "years-INITIAL_FORMS": "0",
            "years-MIN_NUM_FORMS": "0",
            "years-MAX_NUM_FORMS": "1000",
        },
    )
    stage.refresh_from_db()
    assert stage.actual_date is None
