"""Activities over the API: list, read, record with attachments, download an attachment."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from luoshi.activities import actions as activities
from luoshi.activities.models import Activity, ActivityAttachment, ActivityKind
from luoshi.core import downloads
from luoshi.core.access import get_for, get_task_for, visible_to
from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Day, Id, Page, PersonRef, Text, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.orgs.models import Unit

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)

#: At most this many attachments with one activity.
MAX_FILES = 20


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="原文件名")
    size: int = Field(description="大小（字节）")
    url: str = Field(description="下载地址（同样需要认证）")

    @staticmethod
    def resolve_name(obj: ActivityAttachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: ActivityAttachment) -> str:
        return reverse("api:download_activity_attachment", kwargs={"attachment_id": obj.pk})


class ActivityOut(Schema):
    id: int
    unit: UnitRef = Field(description="单位")
    kind: ActivityKind = Field(description="类型：学习研讨、宣传推介、对接跑办")
    held_on: dt.date = Field(description="日期")
    title: str = Field(description="主题")
    participants: str = Field(description="参加人员")
    participant_count: int = Field(description="参加人数")
    counterpart: str = Field(description="对接单位")
    outcome: str = Field(description="成效")
    task_id: int | None = Field(description="关联任务 id")
    recorded_by: PersonRef = Field(description="填报人")
    created_at: dt.datetime
    attachments: list[AttachmentOut] = Field(description="附件（签到表、照片、纪要）")


class ActivityFilters(Schema):
    unit: Id | None = Field(None, description="单位 id")
    kind: ActivityKind | None = Field(None, description="类型")
    since: dt.date | None = Field(None, description="日期不早于此日（含）")
    until: dt.date | None = Field(None, description="日期不晚于此日（含）")


class ActivityIn(Schema):
    unit: Id = Field(description="单位 id")
    kind: ActivityKind = Field(description="类型")
    held_on: Day = Field(description="日期，不能晚于今天")
    title: Text = Field(min_length=1, max_length=200, description="主题")
    outcome: Text = Field(min_length=1, max_length=20000, description="成效")
    participants: Text = Field("", max_length=20000, description="参加人员")
    participant_count: int = Field(0, ge=0, le=100_000, description="参加人数")
    counterpart: Text = Field("", max_length=200, description="对接单位（对接跑办必填）")
    task: Id | None = Field(None, description="关联任务 id")


def _activities():
    return Activity.objects.select_related("unit", "recorded_by").prefetch_related("attachments")


@router.get("/activities", response={200: list[ActivityOut], **READ_ERRORS}, summary="活动列表")
@paginate(Page)
def list_activities(request: AuthedRequest, filters: Query[ActivityFilters]):
    rows = visible_to(request.user, _activities())
    for field, value in (
        ("unit_id", filters.unit),
        ("kind", filters.kind),
        ("held_on__gte", filters.since),
        ("held_on__lte", filters.until),
    ):
        if value is not None:
            rows = rows.filter(**{field: value})
    return rows.order_by("-held_on", "-id")


@router.get("/activities/{activity_id}", response={200: ActivityOut, **READ_ERRORS}, summary="一项活动")
def get_activity(request: AuthedRequest, activity_id: Id):
    return get_for(Activity, request.user, activity_id, rows=_activities())


@router.post(
    "/activities",
    response={201: ActivityOut, **WRITE_ERRORS},
    summary="填报活动（multipart：各字段与 files 附件）",
)
def record_activity(
    request: AuthedRequest,
    data: Form[ActivityIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's form of optional files
):
    files = files or []
    if len(files) > MAX_FILES:
        raise ValidationError({"files": f"一次最多上传 {MAX_FILES} 个文件。"})
    unit = Unit.objects.filter(pk=data.unit).first()
    if unit is None:
        raise ValidationError({"unit": f"单位 {data.unit} 不存在。"})
    task = get_task_for(request.user, data.task) if data.task is not None else None
    activity = activities.record_activity(
        request.user,
        unit=unit,
        kind=data.kind,
        held_on=data.held_on,
        title=data.title,
        outcome=data.outcome,
        participants=data.participants,
        participant_count=data.participant_count,
        counterpart=data.counterpart,
        task=task,
        files=files,
    )
    return Status(201, _activities().get(pk=activity.pk))


@router.get(
    "/activities/attachments/{attachment_id}",
    response={200: None, **READ_ERRORS},
    url_name="download_activity_attachment",
    summary="下载活动附件",
)
def download_activity_attachment(request: AuthedRequest, attachment_id: Id):
    attachment = get_for(ActivityAttachment, request.user, attachment_id)
    return downloads.stored_file(attachment.file, attachment.original_name)
