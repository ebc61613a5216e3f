"""Annual commitments (工作承诺) over the API: list, read, generate, acknowledge, download."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from luoshi.commitments import actions as commitments
from luoshi.commitments.models import Commitment, CommitmentRole
from luoshi.core import downloads
from luoshi.core.access import Action, get_for, visible_to
from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Id, Page, PersonRef, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Unit

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)


class CommitmentItemOut(Schema):
    task_id: int | None = Field(description="任务 id（任务已删除则为 null）")
    role: CommitmentRole = Field(description="承担方式：牵头、配合")
    plan_title: str = Field(description="实施方案")
    code: str = Field(description="序号")
    title: str = Field(description="任务名称")
    owner_name: str = Field(description="责任人")
    start_date: dt.date
    deadline: dt.date


class CommitmentOut(Schema):
    id: int
    unit: UnitRef = Field(description="单位")
    year: int = Field(description="年度")
    generated_at: dt.datetime = Field(description="生成时间")
    generated_by: PersonRef = Field(description="生成人")
    acknowledged_at: dt.datetime | None = Field(description="确认（签署）时间；未确认为 null")
    acknowledged_by: PersonRef | None = Field(description="确认人")
    download_url: str = Field(description="Excel 下载地址")

    @staticmethod
    def resolve_download_url(obj: Commitment) -> str:
        return reverse("api:download_commitment", kwargs={"commitment_id": obj.pk})


class CommitmentDetail(CommitmentOut):
    items: list[CommitmentItemOut] = Field(description="承诺事项")

    @staticmethod
    def resolve_items(obj: Commitment) -> list:
        return list(obj.items.all())


class CommitmentIn(Schema):
    unit: Id = Field(description="单位 id")
    year: int | None = Field(None, ge=2000, le=2100, description="年度；留空为明年")


class CommitmentFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    unit: Id | None = Field(None, description="单位 id")


def _commitments():
    return Commitment.objects.select_related("unit", "generated_by", "acknowledged_by")


@router.get("/commitments", response={200: list[CommitmentOut], **READ_ERRORS}, summary="工作承诺列表")
@paginate(Page)
def list_commitments(request: AuthedRequest, filters: Query[CommitmentFilters]):
    rows = visible_to(request.user, _commitments())
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    if filters.unit is not None:
        rows = rows.filter(unit_id=filters.unit)
    return rows


@router.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentDetail, **READ_ERRORS},
    summary="工作承诺及其事项",
)
def get_commitment(request: AuthedRequest, commitment_id: Id):
    return get_for(Commitment, request.user, commitment_id, rows=_commitments())


@router.post(
    "/commitments",
    response={201: CommitmentDetail, **WRITE_ERRORS},
    summary="生成（或重新生成）单位的年度工作承诺（督查室、单位负责人）",
)
def generate_commitment(request: AuthedRequest, payload: CommitmentIn):
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise ValidationError({"unit": f"单位 {payload.unit} 不存在。"})
    commitment = commitments.generate_commitment(request.user, unit, payload.year)
    return Status(201, _commitments().get(pk=commitment.pk))


@router.post(
    "/commitments/{commitment_id}/acknowledge",
    response={200: CommitmentDetail, **WRITE_ERRORS},
    summary="确认（签署）工作承诺（单位负责人）",
)
def acknowledge_commitment(request: AuthedRequest, commitment_id: Id):
    commitment = get_for(Commitment, request.user, commitment_id, Action.ACKNOWLEDGE, rows=_commitments())
    commitments.acknowledge_commitment(request.user, commitment)
    return _commitments().get(pk=commitment.pk)


@router.get(
    "/commitments/{commitment_id}/download",
    response={200: None, **READ_ERRORS},
    url_name="download_commitment",
    summary="下载工作承诺（Excel）",
)
def download_commitment(request: AuthedRequest, commitment_id: Id):
    commitment = get_for(Commitment, request.user, commitment_id, rows=_commitments())
    return downloads.attachment(commitments.commitment_xlsx(commitment), commitment.filename, downloads.XLSX)
