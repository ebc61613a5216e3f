"""Indicators (指标) over the API, with their targets and actuals, and their computed figures
(trajectory, status, forecast) exactly as `luoshi indicator --format json` prints them; read only."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from luoshi.core import clock
from luoshi.core.access import Action, get_for
from luoshi.core.api_types import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    READ_ERRORS,
    WRITE_ERRORS,
    Day,
    Id,
    Page,
    Text,
    UnitRef,
)
from luoshi.core.output import plain
from luoshi.core.types import AuthedRequest
from luoshi.indicators.actions import parse_value, record_actual
from luoshi.indicators.forecast import Model, Verdict, figures_for
from luoshi.indicators.models import Comparator, Direction, Frequency, Indicator, TargetKind, TrajectoryShape
from luoshi.indicators.status import IndicatorLight

router = Router(tags=["indicators"])  # 指标 (the name shown: luoshi.api.TAGS)


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


class ResolvedTargetOut(Schema):
    id: int = Field(description="目标 id")
    due_date: dt.date = Field(description="目标日期")
    kind: TargetKind = Field(description="绝对值、倍数、相对其他指标或年均增量")
    comparator: Comparator = Field(description="比较：gte ≥，lte ≤，about ≈")
    value: float = Field(description="录入的数值：绝对值、倍数、高出参照指标的百分点或年均增量")
    absolute: float | None = Field(
        description="折算后到期须达到的值（基本单位）；参照指标尚无实际值时为 null"
    )
    explanation: str = Field(description="折算说明")


class PlannedPointOut(Schema):
    period_end: dt.date = Field(description="统计期末")
    expected: float | None = Field(description="序时值：按序时轨迹本期应达到的值；参照指标无实际值时为 null")
    target_id: int | None = Field(description="本期到期的目标 id")


class PeriodStatusOut(Schema):
    period_end: dt.date = Field(description="统计期末")
    actual: float = Field(description="实际值")
    expected: float | None = Field(description="序时值")
    shortfall: float | None = Field(description="实际值低于序时值的百分比；≤ 0 为达到序时")
    light: IndicatorLight = Field(
        description="灯：green 达到序时，yellow 在容差内，red 明显落后，no_data 无序时值"
    )


class TargetForecastOut(Schema):
    target_id: int = Field(description="目标 id")
    due_date: dt.date = Field(description="目标日期")
    comparator: Comparator = Field(description="比较：gte ≥，lte ≤，about ≈")
    target_value: float | None = Field(description="目标值；相对目标为须高出参照指标的百分点")
    measured: Literal["level", "gap"] = Field(description="预测对象：level 指标值，gap 指标与参照指标之差")
    value: float | None = Field(description="目标日期的预测值；目标期已有实际值时为实际值")
    low: float | None = Field(description="80% 预测区间下限")
    high: float | None = Field(description="80% 预测区间上限")
    model: Model | None = Field(description="拟合模型：linear 线性，log_linear 对数线性（按 AIC 择优）")
    verdict: Verdict = Field(
        description="判断：will_meet 预计完成，at_risk 存在风险，will_miss 预计完不成，"
        "met 已完成，missed 未完成，unknown 数据不足"
    )
    reason: str = Field(description="判断依据")


class IndicatorFiguresOut(Schema):
    id: int = Field(description="指标 id")
    name: str = Field(description="指标名称")
    unit: str = Field(description="计量单位（基本单位）")
    direction: Direction = Field(description="越高越好 / 越低越好")
    targets: list[ResolvedTargetOut] = Field(description="目标，已折算为绝对值")
    trajectory: list[PlannedPointOut] = Field(description="序时轨迹：基期之后每个统计期的序时值")
    periods: list[PeriodStatusOut] = Field(description="每个已报统计期的实际值与灯")
    status: PeriodStatusOut | None = Field(description="当前状态（最近一期）；尚无实际值时为 null")
    forecasts: list[TargetForecastOut] = Field(description="每个目标的预测与判断")


class IndicatorFiguresPage(Schema):
    items: list[IndicatorFiguresOut]
    count: int = Field(description="符合条件的指标总数")


class FiguresQuery(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    owner_unit: Id | None = Field(None, description="责任单位 id")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1–{MAX_PAGE_SIZE}，默认 50")


def _visible(request: AuthedRequest) -> QuerySet[Indicator]:
    """The indicators the caller may see, in the order `luoshi indicator` lists them."""
    return Indicator.objects.visible_to(request.user).order_by("plan_id", "id")


@router.get(
    "/indicators/figures",
    response={200: IndicatorFiguresPage, **READ_ERRORS},
    summary="全部指标的轨迹、状态与预测",
)
def list_indicator_figures(request: AuthedRequest, query: Query[FiguresQuery]):
    """One page of indicators with every computed figure, in a fixed number of queries whatever the page size."""
    indicators = _visible(request)
    if query.plan is not None:
        indicators = indicators.filter(plan_id=query.plan)
    if query.owner_unit is not None:
        indicators = indicators.filter(owner_unit_id=query.owner_unit)
    offset = (query.page - 1) * query.page_size
    figures = figures_for(indicators[offset : offset + query.page_size], today=clock.today())
    return {"items": plain(figures), "count": indicators.count()}


@router.get(
    "/indicators/{indicator_id}/figures",
    response={200: IndicatorFiguresOut, **READ_ERRORS},
    summary="指标的轨迹、状态与预测",
)
def get_indicator_figures(request: AuthedRequest, indicator_id: Id):
    """Trajectory, status and forecast of one indicator: what `luoshi indicator ID --format json` prints."""
    indicator = get_for(Indicator, request.user, indicator_id)
    return plain(figures_for(Indicator.objects.filter(pk=indicator.pk), today=clock.today())[0])


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
    return get_for(
        Indicator,
        request.user,
        indicator_id,
        rows=Indicator.objects.select_related("owner_unit").prefetch_related("targets", "actuals"),
    )


class ActualIn(Schema):
    period_end: Day = Field(description="统计期末")
    value: Text = Field(min_length=1, max_length=40, description="实际值：数字，或带单位如 2.5亿吨")
    note: Text = Field("", max_length=200, description="说明")


@router.post(
    "/indicators/{indicator_id}/actuals",
    response={201: ActualOut, **WRITE_ERRORS},
    summary="填报实际值（multipart：period_end、value、note、evidence 佐证材料）",
)
def enter_actual(
    request: AuthedRequest,
    indicator_id: Id,
    data: Form[ActualIn],
    evidence: File[UploadedFile] = None,  # type: ignore[assignment]  # ninja's form of an optional file
):
    indicator = get_for(Indicator, request.user, indicator_id, Action.RECORD)
    try:
        value = parse_value(data.value, indicator.unit)
    except ValueError as error:
        raise ValidationError({"value": str(error)}) from None
    actual = record_actual(
        request.user, indicator, period_end=data.period_end, value=value, evidence=evidence, note=data.note
    )
    return Status(201, actual)
