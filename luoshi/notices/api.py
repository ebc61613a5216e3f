"""督办单 over the API: the list and one notice with its answer state, its documents, the office issuing
one on a task, and the lead unit's answer."""

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from luoshi.core import clock, downloads
from luoshi.core.access import Action, get_for, get_task_for, require, visible_to
from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Day, Id, Page, PersonRef, Text, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.notices import actions
from luoshi.notices.export import FORMATS, notice_document
from luoshi.notices.models import AnswerState, Severity, SupervisionNotice

router = Router(tags=["notices"])  # 督办单 (the name shown: luoshi.api.TAGS)

Format = Literal["docx", "pdf"]


class NoticeOut(Schema):
    id: int
    document_number: str = Field(description="编号，如 督办〔2026〕3号")
    task_id: int = Field(description="督办的任务 id")
    lead_unit: UnitRef = Field(description="主送单位（签发时任务的牵头单位）")
    severity: Severity = Field(description="督办等级：蓝、黄、红")
    reason: str = Field(description="督办事由")
    reply_by: dt.date = Field(description="答复期限")
    issuer_name: str = Field(description="签发单位")
    issued_by: PersonRef = Field(description="签发人")
    issued_at: dt.datetime = Field(description="签发时间")
    answer_state: AnswerState = Field(description="答复情况：待答复、按时答复、逾期答复、逾期未答复")
    reply: str = Field(description="答复内容；未答复为空")
    answered_by: PersonRef | None = Field(description="答复人")
    answered_at: dt.datetime | None = Field(description="答复时间")
    evidence_url: str | None = Field(description="答复所附佐证材料的下载地址；没有为 null")
    downloads: dict[str, str] = Field(description="督办单文档下载地址（docx、pdf）")

    @staticmethod
    def resolve_answer_state(obj: SupervisionNotice) -> AnswerState:
        return obj.answer_state(clock.today())

    @staticmethod
    def resolve_evidence_url(obj: SupervisionNotice) -> str | None:
        return reverse("api:download_notice_evidence", kwargs={"notice_id": obj.pk}) if obj.evidence else None

    @staticmethod
    def resolve_downloads(obj: SupervisionNotice) -> dict[str, str]:
        return {
            fmt: reverse("api:download_notice", kwargs={"notice_id": obj.pk, "fmt": fmt})
            for fmt in sorted(FORMATS)
        }


class NoticeFilters(Schema):
    task: Id | None = Field(None, description="任务 id")
    unit: Id | None = Field(None, description="主送单位 id")
    severity: Severity | None = Field(None, description="督办等级")
    answered: bool | None = Field(None, description="true 只列已答复的，false 只列未答复的")


class NoticeIn(Schema):
    severity: Severity | None = Field(None, description="督办等级；留空按任务的亮灯建议（逾期、红灯为红色）")
    reason: Text = Field(min_length=1, max_length=2000, description="督办事由")
    reply_by: Day | None = Field(None, description="答复期限；留空按等级（红 3、黄 5、蓝 7 个工作日）")


class AnswerIn(Schema):
    reply: Text = Field(min_length=1, max_length=5000, description="办理情况")


def _rows():
    return SupervisionNotice.objects.select_related(
        "task", "task__plan", "task__owner", "lead_unit", "issued_by", "answered_by"
    )


def _notice(request: AuthedRequest, notice_id: int, action: Action = Action.VIEW) -> SupervisionNotice:
    return get_for(SupervisionNotice, request.user, notice_id, action, rows=_rows())


@router.get("/notices", response={200: list[NoticeOut], **READ_ERRORS}, summary="督办单列表")
@paginate(Page)
def list_notices(request: AuthedRequest, filters: Query[NoticeFilters]):
    notices = visible_to(request.user, _rows())
    if filters.task is not None:
        notices = notices.filter(task_id=filters.task)
    if filters.unit is not None:
        notices = notices.filter(lead_unit_id=filters.unit)
    if filters.severity is not None:
        notices = notices.filter(severity=filters.severity)
    if filters.answered is not None:
        notices = notices.filter(answered_at__isnull=not filters.answered)
    return notices.order_by("-issued_at", "-id")


@router.get("/notices/{notice_id}", response={200: NoticeOut, **READ_ERRORS}, summary="督办单详情")
def get_notice(request: AuthedRequest, notice_id: Id):
    return _notice(request, notice_id)


@router.post(
    "/tasks/{task_id}/notices",
    response={201: NoticeOut, **WRITE_ERRORS},
    summary="就任务签发督办单（督查室），并发送给牵头单位",
)
def issue_notice(request: AuthedRequest, task_id: Id, payload: NoticeIn):
    task = get_task_for(request.user, task_id)
    require(request.user, Action.CREATE, SupervisionNotice(task=task))
    severity = payload.severity or actions.suggested_severity(task)
    reply_by = payload.reply_by or actions.default_reply_by(severity)
    notice = actions.issue_notice(
        request.user, task, severity=severity, reason=payload.reason, reply_by=reply_by
    )
    return Status(201, _rows().get(pk=notice.pk))


@router.post(
    "/notices/{notice_id}/answer",
    response={200: NoticeOut, **WRITE_ERRORS},
    summary="答复督办单（牵头单位负责人；multipart：reply、evidence 佐证材料）",
)
def answer_notice(
    request: AuthedRequest,
    notice_id: Id,
    data: Form[AnswerIn],
    evidence: File[UploadedFile] = None,  # type: ignore[assignment]  # ninja's form of an optional file
):
    notice = _notice(request, notice_id, Action.ANSWER)
    actions.answer_notice(request.user, notice, reply=data.reply, evidence=evidence)
    return _rows().get(pk=notice.pk)


@router.get(
    "/notices/{notice_id}/download/{fmt}",
    response={200: None, **READ_ERRORS},
    url_name="download_notice",
    summary="下载督办单（docx、pdf）",
)
def download_notice(request: AuthedRequest, notice_id: Id, fmt: Format):
    notice = _notice(request, notice_id)
    return downloads.document(FORMATS, fmt, notice_document(notice), notice.document_number)


@router.get(
    "/notices/{notice_id}/evidence",
    response={200: None, **READ_ERRORS},
    url_name="download_notice_evidence",
    summary="下载督办单答复的佐证材料",
)
def download_notice_evidence(request: AuthedRequest, notice_id: Id):
    notice = _notice(request, notice_id)
    return downloads.stored_file(notice.evidence, notice.evidence_name)
