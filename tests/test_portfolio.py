"""Portfolio rollups (项目库汇总) by unit, industry and year, computed in SQL."""

import datetime as dt
from decimal import Decimal

import pytest

from luoshi.indicators.forecast import Verdict, forecast
from luoshi.indicators.models import ComputedFrom, Indicator, IndicatorTarget, TargetKind
from luoshi.indicators.trajectory import facts_for
from luoshi.projects.models import Project, ProjectStage, ProjectYear, Stage
from luoshi.projects.rollups import projects_started_in, rollups


@pytest.fixture
def cast(shared_cast):
    """Made once for this module's tests, each rolling back its own writes (tests/conftest.py: made_once)."""
    return shared_cast


D = dt.date
TODAY = D(2026, 11, 27)


def make_project(cast, name, unit, industry, total, stages=(), years=()) -> Project:
    project = Project.objects.create(
        plan=cast.plan, name=name, owner_unit=unit, industry=industry, total_investment=Decimal(total)
    )
    for stage, planned, actual in stages:
        ProjectStage.objects.create(project=project, stage=stage, planned_date=planned, actual_date=actual)
    for year, planned, completed in years:
        ProjectYear.objects.create(
            project=project,
            year=year,
            planned_investment=Decimal(planned),
            completed_investment=Decimal(completed),
        )
    return project


@pytest.fixture
def portfolio(cast):
    make_project(
        cast,
        "铁路专用线一期",
        cast.jingfa,
        "铁路专用线",
        50000,
        stages=[(Stage.START, D(2020, 3, 1), D(2020, 2, 20))],  # started early
        years=[(2020, 20000, 18000), (2021, 30000, 30000)],
    )
    make_project(
        cast,
        "铁路专用线二期",
        cast.jingfa,
        "铁路专用线",
        30000,
        stages=[
            (Stage.START, D(2020, 6, 30), D(2020, 8, 15)),  # started late
            (Stage.PRODUCTION, D(2021, 12, 31), None),
        ],
    )  # and now behind
    make_project(
        cast,
        "绿色化工园",
        cast.caizheng,
        "石化",
        200000,
        stages=[(Stage.START, D(2021, 5, 1), None)],  # behind: never started
        years=[(2021, 50000, 0)],
    )
    make_project(
        cast, "新材料基地", cast.caizheng, "石化", 100000, stages=[(Stage.START, D(2027, 1, 1), None)]
    )  # not due yet
    return rollups(Project.objects.all(), today=TODAY)


def test_the_whole_portfolio_adds_up(portfolio):
    total = portfolio.total
    assert (total.projects, total.total_investment, total.completed_investment) == (4, 380000, 48000)
    assert (total.started, total.started_on_time, total.behind_schedule) == (2, 1, 2)


def test_rollups_by_unit_count_each_project_once_however_many_years_and_stages_it_has(portfolio):
    rows = {row.key: row for row in portfolio.by_unit}
    jingfa, caizheng = rows["经发局"], rows["财政局"]
    assert (jingfa.projects, jingfa.total_investment, jingfa.completed_investment) == (2, 80000, 48000)
    assert (jingfa.started, jingfa.started_on_time, jingfa.behind_schedule) == (2, 1, 1)
    assert (caizheng.projects, caizheng.total_investment, caizheng.completed_investment) == (2, 300000, 0)
    assert (caizheng.started, caizheng.behind_schedule) == (0, 1)


def test_rollups_by_industry(portfolio):
    rows = {row.key: row for row in portfolio.by_industry}
    assert (rows["铁路专用线"].projects, rows["铁路专用线"].started) == (2, 2)
    assert rows["石化"].total_investment == 300000


def test_rollups_by_year_count_investment_and_starts_in_their_own_year(portfolio):
    rows = {row.year: row for row in portfolio.by_year}
    assert (rows[2020].planned_investment, rows[2020].completed_investment) == (20000, 18000)
    assert (rows[2020].planned_starts, rows[2020].started, rows[2020].started_on_time) == (2, 2, 1)
    assert (rows[2021].planned_investment, rows[2021].completed_investment) == (80000, 30000)
    assert (rows[2021].planned_starts, rows[2021].started) == (1, 0)
    assert (rows[2027].planned_starts, rows[2027].planned_investment) == (1, 0)


def test_eight_spur_lines_starting_in_2020_are_counted_from_their_stages_not_typed(cast):
    for i in range(9):
        started = D(2020, 3 + i, 1) if i < 8 else D(2021, 4, 1)
        project = make_project(
            cast,
            f"铁路专用线{i + 1}",
            cast.jingfa,
            "铁路专用线",
            10000,
            stages=[(Stage.START, D(2020, 12, 31), started)],
        )
        project.tasks.add(cast.jingfa_task)
    assert projects_started_in(2020) == 8
    assert projects_started_in(2021, Project.objects.filter(industry="铁路专用线")) == 1

    indicator = Indicator.objects.create(
        plan=cast.plan,
        task=cast.jingfa_task,
        owner_unit=cast.jingfa,
        name="铁路专用线开工",
        unit="条",
        baseline_value=0,
        baseline_date=D(2019, 12, 31),
        computed_from=ComputedFrom.PROJECT_STARTS,
    )
    IndicatorTarget.objects.create(
        indicator=indicator, due_date=D(2020, 12, 31), kind=TargetKind.ABSOLUTE, value=8
    )
    (facts,) = facts_for(Indicator.objects.filter(pk=indicator.pk), today=TODAY)
    assert [(o.period_end, o.value) for o in facts.actuals[:2]] == [
        (D(2020, 12, 31), 8),
        (D(2021, 12, 31), 1),
    ]
    assert facts.actuals[-1].period_end == TODAY  # this year, to date
    assert forecast(facts)[0].verdict == Verdict.MET


@pytest.mark.parametrize("size", [5, 60])
def test_rollups_take_the_same_few_queries_for_a_small_and_a_large_portfolio(
    cast, size, django_assert_max_num_queries
):
    units = [cast.caizheng, cast.jingfa, cast.xuanchuan]
    for i in range(size):
        make_project(
            cast,
            f"项目{i}",
            units[i % 3],
            ["石化", "港口", "新材料"][i % 3],
            1000 + i,
            stages=[(Stage.START, D(2020 + i % 5, 6, 30), D(2020 + i % 5, 7, 1) if i % 2 else None)],
            years=[(2020 + i % 5, 500, 100), (2021 + i % 5, 500, 0)],
        )
    with django_assert_max_num_queries(6):
        portfolio = rollups(Project.objects.all(), today=TODAY)
    assert portfolio.total.projects == size
    assert sum(row.projects for row in portfolio.by_unit) == size
    assert portfolio.total.completed_investment == 100 * size
