"""Indicators (指标) over the API, with their targets and actuals; read only for now."""

import datetime as dt

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from luoshi.api import READ_ERRORS, Id, Page, UnitRef, api
from luoshi.core.types import AuthedRequest
from luoshi.indicators.models import Comparator, Direction, Frequency, Indicator, TargetKind, TrajectoryShape

router = Router(tags=["指标"])


class IndicatorOut(Schema):
    id: int
    plan_id: int = Field(description="实施方案 id")
    goal_id: int | None = Field(description="目标 id")
    task_id: int | None = Field(description="关联任务 id")
    name: str = Field(description="指标名称")
    unit: str = Field(description="计量单位（基本单位）")
    direction: Direction = Field(description="越高越好 / 越低越好")
    frequency: Frequency = Field(description="统计频次")
    owner_unit: UnitRef = Field(description="责任单位")
    baseline_value: float | None = Field(description="基期值")
    baseline_date: dt.date | None = Field(description="基期日期")


class TargetOut(Schema):
    id: int
    due_date: dt.date = Field(description="目标日期")
    kind: TargetKind = Field(description="绝对值、倍数、相对其他指标或年均增量")
    comparator: Comparator = Field(description="比较：gte ≥，lte ≤，about ≈")
    value: float = Field(description="数值，含义视类型而定")
    relative_to_target_id: int | None = Field(description="倍数目标所相对的目标 id")
    reference_indicator_id: int | None = Field(description="参照指标 id")
    note: str


class ActualOut(Schema):
    id: int
    period_end: dt.date = Field(description="统计期末")
    value: float = Field(description="实际值")
    note: str


class IndicatorDetail(IndicatorOut):
    source: str = Field(description="数据来源")
    trajectory_shape: TrajectoryShape = Field(description="序时轨迹形态")
    tolerance: float = Field(description="容差（%）")
    targets: list[TargetOut] = Field(description="目标值")
    actuals: list[ActualOut] = Field(description="实际值")


class IndicatorFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    owner_unit: Id | None = Field(None, description="责任单位 id")


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS}, summary="指标列表")
@paginate(Page)
def list_indicators(request: AuthedRequest, filters: Query[IndicatorFilters]):
    indicators = Indicator.objects.visible_to(request.user).select_related("owner_unit")
    if filters.plan is not None:
        indicators = indicators.filter(plan_id=filters.plan)
    if filters.owner_unit is not None:
        indicators = indicators.filter(owner_unit_id=filters.owner_unit)
    return indicators


@router.get("/indicators/{indicator_id}", response={200: IndicatorDetail, **READ_ERRORS}, summary="指标详情")
def get_indicator(request: AuthedRequest, indicator_id: Id):
    indicator = (
        Indicator.objects.visible_to(request.user).select_related("owner_unit")
        .prefetch_related("targets", "actuals").filter(pk=indicator_id).first()
    )
    if indicator is None:
        raise Http404("indicator not found")
    return indicator


api.add_router("", router)
