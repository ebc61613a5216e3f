"""Progress reports (进度报送) over the API: list a task's reports, file one with evidence, search reports."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from luoshi.core.access import Action, get_task_for
from luoshi.core.api_types import LEFT_OUT, READ_ERRORS, WRITE_ERRORS, Day, Id, Page, PersonRef, Text, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.plans.models import Task
from luoshi.progress.actions import report_progress
from luoshi.progress.models import Evidence, ProgressReport
from luoshi.progress.views import evidence_file

router = Router(tags=["progress"])  # 进度报送 (the name shown: luoshi.api.TAGS)

#: At most this many evidence files in one report.
MAX_FILES = 20


class EvidenceOut(Schema):
    id: int
    name: str = Field(description="原文件名")
    size: int = Field(description="大小（字节）")
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（同样需要认证）")

    @staticmethod
    def resolve_name(obj: Evidence) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        return reverse("api:download_evidence", kwargs={"evidence_id": obj.pk})


class ReportOut(Schema):
    id: int
    task_id: int = Field(description="任务 id")
    unit: UnitRef = Field(description="报送单位")
    author: PersonRef = Field(description="报送人")
    reported_on: dt.date = Field(description="报送日期")
    percent: int = Field(description="完成进度（%）")
    narrative: str = Field(description="进展情况")
    problems: str = Field(description="存在问题")
    lowered_from: int | None = Field(description="下调前进度（%）：低于上次报送时为上次的进度，否则为空")
    lowering_reason: str = Field(description="下调理由")
    created_at: dt.datetime
    evidence: list[EvidenceOut] = Field(description="佐证材料")


class ReportIn(Schema):
    percent: int = Field(ge=0, le=100, description="完成进度（%），0–100")
    narrative: Text = Field(min_length=1, max_length=20000, description="进展情况")
    problems: Text = Field("", max_length=20000, description="存在问题")
    reason: Text = Field("", max_length=1000, description="下调理由：进度低于上次报送时必填")
    reported_on: Day = Field(LEFT_OUT, description="报送日期；不填为今天，不能晚于今天")


class ReportFilters(Schema):
    task: Id | None = Field(None, description="任务 id")
    unit: Id | None = Field(None, description="报送单位 id")
    reported_from: dt.date | None = Field(None, description="报送日期不早于此日（含）")
    reported_to: dt.date | None = Field(None, description="报送日期不晚于此日（含）")


def _reports():
    return ProgressReport.objects.select_related("unit", "author").prefetch_related("evidence")


@router.get(
    "/tasks/{task_id}/reports", response={200: list[ReportOut], **READ_ERRORS}, summary="任务的进度报送"
)
@paginate(Page)
def list_task_reports(request: AuthedRequest, task_id: Id):
    return _reports().filter(task=get_task_for(request.user, task_id))


@router.post(
    "/tasks/{task_id}/reports",
    response={201: ReportOut, **WRITE_ERRORS},
    summary="报送进度（multipart：percent、narrative、problems、files 佐证材料）",
)
def file_report(
    request: AuthedRequest,
    task_id: Id,
    data: Form[ReportIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's form of optional files
):
    task = get_task_for(request.user, task_id, Action.REPORT)
    files = files or []
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"一次最多上传 {MAX_FILES} 个文件。"})
    report = report_progress(
        request.user,
        task,
        percent=data.percent,
        narrative=data.narrative,
        problems=data.problems,
        reason=data.reason,
        reported_on=data.reported_on,
        files=files,
    )
    return Status(201, _reports().get(pk=report.pk))


@router.get("/reports", response={200: list[ReportOut], **READ_ERRORS}, summary="进度报送查询")
@paginate(Page)
def list_reports(request: AuthedRequest, filters: Query[ReportFilters]):
    reports = _reports().filter(task__in=Task.objects.visible_to(request.user))
    if filters.task is not None:
        reports = reports.filter(task_id=filters.task)
    if filters.unit is not None:
        reports = reports.filter(unit_id=filters.unit)
    if filters.reported_from is not None:
        reports = reports.filter(reported_on__gte=filters.reported_from)
    if filters.reported_to is not None:
        reports = reports.filter(reported_on__lte=filters.reported_to)
    return reports.order_by("-reported_on", "-id")


@router.get(
    "/evidence/{evidence_id}",
    response={200: None, **READ_ERRORS},
    url_name="download_evidence",
    summary="下载佐证材料",
)
def download_evidence(request: AuthedRequest, evidence_id: Id):
    return evidence_file(request.user, evidence_id)
