"""The project portfolio (项目库) over the API, with stages and yearly investment, and its rollups
exactly as `luoshi portfolio --format json` prints them; read only."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from luoshi.core import clock
from luoshi.core.access import get_for
from luoshi.core.api_types import READ_ERRORS, Id, Page, Text, UnitRef
from luoshi.core.output import plain
from luoshi.core.types import AuthedRequest
from luoshi.projects.models import Project, Stage
from luoshi.projects.rollups import rollups

router = Router(tags=["projects"])  # 项目库 (the name shown: luoshi.api.TAGS)


class ProjectOut(Schema):
    id: int
    plan_id: int = Field(description="实施方案 id")
    name: str = Field(description="项目名称")
    owner_unit: UnitRef = Field(description="责任单位")
    industry: str = Field(description="产业类别")
    total_investment: Decimal = Field(description="总投资（万元）")
    location: str = Field(description="建设地点")


class StageOut(Schema):
    stage: Stage = Field(description="阶段：前期、开工、投产、竣工")
    planned_date: dt.date = Field(description="计划日期")
    actual_date: dt.date | None = Field(description="实际日期")


class YearOut(Schema):
    year: int = Field(description="年度")
    planned_investment: Decimal = Field(description="计划投资（万元）")
    completed_investment: Decimal = Field(description="完成投资（万元）")


class ProjectDetail(ProjectOut):
    task_ids: list[int] = Field(description="所属任务 id")
    stages: list[StageOut] = Field(description="阶段节点")
    years: list[YearOut] = Field(description="年度投资")

    @staticmethod
    def resolve_task_ids(obj: Project) -> list[int]:
        return [task.pk for task in obj.tasks.all()]


class ProjectFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    owner_unit: Id | None = Field(None, description="责任单位 id")
    industry: Text | None = Field(None, max_length=50, description="产业类别")


@router.get("/projects", response={200: list[ProjectOut], **READ_ERRORS}, summary="项目列表")
@paginate(Page)
def list_projects(request: AuthedRequest, filters: Query[ProjectFilters]):
    projects = Project.objects.visible_to(request.user).select_related("owner_unit")
    if filters.plan is not None:
        projects = projects.filter(plan_id=filters.plan)
    if filters.owner_unit is not None:
        projects = projects.filter(owner_unit_id=filters.owner_unit)
    if filters.industry:
        projects = projects.filter(industry=filters.industry)
    return projects


@router.get("/projects/{project_id}", response={200: ProjectDetail, **READ_ERRORS}, summary="项目详情")
def get_project(request: AuthedRequest, project_id: Id):
    return get_for(
        Project,
        request.user,
        project_id,
        rows=Project.objects.select_related("owner_unit").prefetch_related("stages", "years", "tasks"),
    )


class PortfolioRowOut(Schema):
    key: str = Field(description="责任单位名称、产业类别，或“全部”")
    unit_id: int | None = Field(description="责任单位 id（按单位汇总时）")
    projects: int = Field(description="项目数")
    total_investment: float = Field(description="总投资（万元）")
    completed_investment: float = Field(description="完成投资（万元），各年度完成投资之和")
    started: int = Field(description="已开工项目数（开工节点有实际日期）")
    started_on_time: int = Field(description="按期开工项目数（实际开工不晚于计划）")
    behind_schedule: int = Field(description="滞后项目数（有节点计划日期已过而无实际日期）")


class PortfolioYearOut(Schema):
    year: int = Field(description="年度")
    planned_investment: float = Field(description="计划投资（万元）")
    completed_investment: float = Field(description="完成投资（万元）")
    planned_starts: int = Field(description="计划当年开工的项目数")
    started: int = Field(description="当年实际开工的项目数")
    started_on_time: int = Field(description="当年按期开工的项目数")


class PortfolioOut(Schema):
    today: dt.date = Field(description="按哪一天计算")
    total: PortfolioRowOut = Field(description="全部项目")
    by_unit: list[PortfolioRowOut] = Field(description="按责任单位")
    by_industry: list[PortfolioRowOut] = Field(description="按产业类别")
    by_year: list[PortfolioYearOut] = Field(description="按年度")


class PortfolioFilters(Schema):
    plan: Id | None = Field(None, description="只汇总这个实施方案的项目")


@router.get("/portfolio", response={200: PortfolioOut, **READ_ERRORS}, summary="项目库汇总")
def get_portfolio(request: AuthedRequest, filters: Query[PortfolioFilters]):
    """Rollups by unit, industry and year, in aggregate queries: what `luoshi portfolio --format json` prints."""
    projects = Project.objects.visible_to(request.user)
    if filters.plan is not None:
        projects = projects.filter(plan_id=filters.plan)
    return plain(rollups(projects, today=clock.today()))
