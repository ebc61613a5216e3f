"""Bulletins (定期通报) over the API: the list, one bulletin with what it says, its documents, and the
office's drafting, editing, review and publishing. Published bulletins are everyone's; drafts the office's."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from luoshi.bulletins import actions
from luoshi.bulletins.compose import parse_period
from luoshi.bulletins.export import FORMATS
from luoshi.bulletins.models import Bulletin, BulletinStatus, PeriodKind
from luoshi.core import downloads
from luoshi.core.access import Action, get_for, visible_to
from luoshi.core.api_types import LEFT_OUT, READ_ERRORS, WRITE_ERRORS, Id, Page, PersonRef, Text, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan

router = Router(tags=["bulletins"])  # 通报 (the name shown: luoshi.api.TAGS)

Format = Literal["docx", "pdf", "xlsx"]


class BulletinOut(Schema):
    id: int
    plan_id: int = Field(description="实施方案 id")
    title: str = Field(description="标题")
    document_number: str = Field(description="文号，如 督查通报〔2026〕12号；印发前为空")
    status: BulletinStatus = Field(description="状态：草稿、已审核、已印发")
    period_kind: PeriodKind = Field(description="周期：周报、月报、季报")
    period_start: dt.date = Field(description="起始日期")
    period_end: dt.date = Field(description="截止日期")
    scope_unit: UnitRef | None = Field(description="通报范围；null 为整个方案")
    issuer_unit: UnitRef = Field(description="发文单位")
    published_at: dt.datetime | None = Field(description="印发时间")
    downloads: dict[str, str] = Field(description="文档下载地址（docx、pdf、xlsx；同样需要认证）")

    @staticmethod
    def resolve_downloads(obj: Bulletin) -> dict[str, str]:
        return {
            fmt: reverse("api:download_bulletin", kwargs={"bulletin_id": obj.pk, "fmt": fmt})
            for fmt in sorted(FORMATS)
        }


class BulletinDetail(BulletinOut):
    commendations: str = Field(description="表扬")
    criticisms: str = Field(description="批评")
    remarks: str = Field(description="下步要求")
    created_by: PersonRef = Field(description="起草人")
    reviewed_by: PersonRef | None = Field(description="审核人")
    content: dict[str, Any] = Field(
        description="通报内容：印发后为冻结的快照（排名、逾期任务、各类统计），草稿为按当前数据的组稿"
    )

    @staticmethod
    def resolve_content(obj: Bulletin) -> dict[str, Any]:
        return actions.bulletin_content(obj)


class BulletinFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    status: BulletinStatus | None = Field(None, description="状态")
    period_kind: PeriodKind | None = Field(None, description="周期")


class BulletinCreate(Schema):
    model_config = ConfigDict(extra="forbid")

    plan: Id = Field(description="实施方案 id")
    period: Text = Field(max_length=20, description="通报周期：2026-11（月）、2026-Q4（季）或 2026-W47（周）")
    scope_unit: Id | None = Field(None, description="通报范围单位 id；留空为整个方案")
    title: Text = Field("", max_length=200, description="标题；留空按方案和周期生成")


class BulletinPatch(Schema):
    """Only the fields sent are changed; an edit after review needs a new review."""

    model_config = ConfigDict(extra="forbid")

    title: Text = Field(LEFT_OUT, min_length=1, max_length=200, description="标题")
    commendations: Text = Field(LEFT_OUT, max_length=20000, description="表扬")
    criticisms: Text = Field(LEFT_OUT, max_length=20000, description="批评")
    remarks: Text = Field(LEFT_OUT, max_length=20000, description="下步要求")


def _rows():
    return Bulletin.objects.select_related("plan", "issuer_unit", "scope_unit", "created_by", "reviewed_by")


def _bulletin(request: AuthedRequest, bulletin_id: int, action: Action = Action.VIEW) -> Bulletin:
    return get_for(Bulletin, request.user, bulletin_id, action, rows=_rows())


@router.get("/bulletins", response={200: list[BulletinOut], **READ_ERRORS}, summary="通报列表")
@paginate(Page)
def list_bulletins(request: AuthedRequest, filters: Query[BulletinFilters]):
    bulletins = visible_to(request.user, _rows())
    if filters.plan is not None:
        bulletins = bulletins.filter(plan_id=filters.plan)
    if filters.status is not None:
        bulletins = bulletins.filter(status=filters.status)
    if filters.period_kind is not None:
        bulletins = bulletins.filter(period_kind=filters.period_kind)
    return bulletins.order_by("-period_end", "-id")


@router.get(
    "/bulletins/{bulletin_id}", response={200: BulletinDetail, **READ_ERRORS}, summary="通报详情与内容"
)
def get_bulletin(request: AuthedRequest, bulletin_id: Id):
    return _bulletin(request, bulletin_id)


@router.get(
    "/bulletins/{bulletin_id}/download/{fmt}",
    response={200: None, **READ_ERRORS},
    url_name="download_bulletin",
    summary="下载通报（docx、pdf、xlsx）",
)
def download_bulletin(request: AuthedRequest, bulletin_id: Id, fmt: Format):
    bulletin = _bulletin(request, bulletin_id)
    return downloads.document(FORMATS, fmt, actions.bulletin_content(bulletin), bulletin.file_stem)


@router.post("/bulletins", response={201: BulletinDetail, **WRITE_ERRORS}, summary="起草通报（督查室）")
def draft_bulletin(request: AuthedRequest, payload: BulletinCreate):
    plan = Plan.objects.filter(pk=payload.plan).first()
    if plan is None:
        raise ValidationError({"plan": f"实施方案 {payload.plan} 不存在。"})
    try:
        period = parse_period(payload.period)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None
    scope_unit = None
    if payload.scope_unit is not None:
        scope_unit = Unit.objects.filter(pk=payload.scope_unit).first()
        if scope_unit is None:
            raise ValidationError({"scope_unit": f"单位 {payload.scope_unit} 不存在。"})
    bulletin = actions.draft_bulletin(
        request.user, plan=plan, period=period, scope_unit=scope_unit, title=payload.title.strip()
    )
    return Status(201, _rows().get(pk=bulletin.pk))


@router.patch(
    "/bulletins/{bulletin_id}", response={200: BulletinDetail, **WRITE_ERRORS}, summary="修改通报草稿"
)
def edit_bulletin(request: AuthedRequest, bulletin_id: Id, payload: BulletinPatch):
    bulletin = _bulletin(request, bulletin_id, Action.EDIT)
    actions.edit_bulletin(request.user, bulletin, **payload.model_dump(exclude_unset=True))
    return _rows().get(pk=bulletin.pk)


BulletinStep = Literal["review", "publish"]
STEPS: dict[str, tuple[actions.BulletinStep, Action]] = {
    "review": (actions.review_bulletin, Action.REVIEW),
    "publish": (actions.publish_bulletin, Action.PUBLISH),
}


@router.post(
    "/bulletins/{bulletin_id}/steps/{step}",
    response={200: BulletinDetail, **WRITE_ERRORS},
    summary="审核或印发通报（印发后编号、冻结并发送给订阅者）",
)
def take_bulletin_step(request: AuthedRequest, bulletin_id: Id, step: BulletinStep):
    step_action, permission = STEPS[step]
    step_action(request.user, _bulletin(request, bulletin_id, permission))
    return _rows().get(pk=bulletin_id)
