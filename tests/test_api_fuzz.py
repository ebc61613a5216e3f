"""Schemathesis fuzzes the API from its own OpenAPI document: no request may make it fail (5xx).

Each operation gets a bounded number of schema-conforming and of schema-breaking requests, sent
in-process to the real WSGI handler, authenticated as the supervisor (who may do the most). Most
generated ids are pointed at objects that exist, so requests get past the 404s into the actions.
"""

import datetime as dt
import random

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error

from luoshi.core.models import ApiToken
from luoshi.indicators.models import Indicator, IndicatorActual, IndicatorTarget
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Goal, Plan, Task
from luoshi.progress.actions import report_progress
from luoshi.progress.models import Evidence
from luoshi.projects.models import Project, ProjectStage, ProjectYear

#: Examples per operation and per mode (valid, invalid); keeps the whole test well under a minute.
EXAMPLES = 12

#: Parameter and field names whose value is the id of an existing object, and where such ids live.
ID_SOURCES = {
    "task_id": Task,
    "task": Task,
    "parent": Task,
    "plan_id": Plan,
    "plan": Plan,
    "goal": Goal,
    "unit_id": Unit,
    "unit": Unit,
    "lead_unit": Unit,
    "owner_unit": Unit,
    "support_units": Unit,
    "owner": Person,
    "evidence_id": Evidence,
    "indicator_id": Indicator,
    "project_id": Project,
}


@pytest.fixture
def wsgi_app():
    """The real WSGI handler, kept from closing the test's database connection after each request
    (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def portfolio(cast):
    """Something behind every read endpoint: a goal, an indicator, a project, a report with evidence."""
    Goal.objects.create(plan=cast.plan, title="港口吞吐量过 3 亿吨")
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
    project = Project.objects.create(
        plan=cast.plan, name="铁路专用线", owner_unit=cast.jingfa, total_investment="120000.00"
    )
    ProjectStage.objects.create(project=project, stage="start", planned_date=dt.date(2025, 3, 1))
    ProjectYear.objects.create(project=project, year=2025, planned_investment="30000.00")
    report_progress(
        cast.caizheng_staff,
        cast.measure,
        percent=40,
        narrative="已起草",
        files=[SimpleUploadedFile("请示.pdf", b"%PDF-1.4 draft")],
    )


def steer(case: Case, rnd: random.Random) -> Case:
    """Three times in four, point integer ids at objects that exist (looked up now, so tasks the
    fuzzer created are found too).

    `rnd` is a plain random generator seeded by Hypothesis: its choices among the ids must not be
    Hypothesis draws, whose bounds (how many ids there are) would change as the fuzzer creates
    objects, which Hypothesis rejects as an inconsistent strategy (FlakyStrategyDefinition)."""
    if rnd.random() > 0.75:  # Hypothesis leans towards 0, so this keeps the generated ids now and then
        return case
    containers = [case.path_parameters, case.query, case.body if isinstance(case.body, dict) else None]
    for container in filter(None, containers):
        for name, value in list(container.items()):
            model = ID_SOURCES.get(name)
            ids = list(model.objects.values_list("pk", flat=True)) if model else []
            if not ids:
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                container[name] = rnd.choice(ids)
            elif isinstance(value, list) and all(isinstance(v, int) for v in value):
                container[name] = rnd.sample(ids, min(len(value), len(ids)))
    return case


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    cases = operation.as_strategy(generation_mode=mode).flatmap(
        lambda case: st.randoms(use_true_random=True).map(lambda rnd: steer(case, rnd))
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


def test_no_generated_request_makes_the_api_fail(cast, portfolio, wsgi_app):
    headers = {"Authorization": f"Bearer {ApiToken.issue(cast.supervisor, 'fuzz')[1]}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, headers)
