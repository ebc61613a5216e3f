"""Supervision over the API: reminders (催办) and the caller's inbox, the score ledger and its ranking,
annual commitments (工作承诺) and activities, each through the access policy like their pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from luoshi.activities import actions as activities
from luoshi.activities.models import Activity, ActivityAttachment, ActivityKind
from luoshi.commitments import actions as commitments
from luoshi.commitments.models import Commitment, CommitmentRole
from luoshi.core import clock, downloads
from luoshi.core.access import Action, get_for, get_task_for, visible_to
from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Day, Id, Page, PersonRef, Text, UnitRef
from luoshi.core.types import AuthedRequest
from luoshi.inbox import actions as notifications
from luoshi.inbox.models import Notification
from luoshi.messaging.models import Channel, DeliveryState
from luoshi.orgs.models import Unit
from luoshi.plans.models import Plan
from luoshi.reminders.models import Reminder, ReminderKind
from luoshi.scoring.actions import scores_by_unit
from luoshi.scoring.models import ScoreEntry, ScoreReason

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)

#: At most this many attachments with one activity.
MAX_FILES = 20


# --- Reminders and the inbox ------------------------------------------------------------------------


class ReminderOut(Schema):
    id: int
    kind: ReminderKind = Field(description="类型：到期提醒、节点提醒、逾期催办、催报进度、督办单")
    task_id: int = Field(description="任务 id")
    due_on: dt.date = Field(description="所涉日期：完成时限、节点日期，或连续未报送满期的那一天")
    channel: Channel = Field(description="渠道：站内通知、电子邮件、群机器人")
    recipient: PersonRef | None = Field(description="收件人；群机器人为 null")
    robot: str | None = Field(description="群机器人名称；发给个人为 null")
    subject: str = Field(description="标题")
    body: str = Field(description="正文")
    state: DeliveryState = Field(description="发送状态：待发送、已发送、待重试、已放弃")
    attempts: int = Field(description="已尝试次数")
    issued_on: dt.date = Field(description="催办日期")
    sent_at: dt.datetime | None = Field(description="发送时间")

    @staticmethod
    def resolve_robot(obj: Reminder) -> str | None:
        return obj.endpoint.name if obj.endpoint else None


class ReminderFilters(Schema):
    task: Id | None = Field(None, description="任务 id")
    kind: ReminderKind | None = Field(None, description="类型")
    state: DeliveryState | None = Field(None, description="发送状态")
    issued_from: dt.date | None = Field(None, description="催办日期不早于此日（含）")
    issued_to: dt.date | None = Field(None, description="催办日期不晚于此日（含）")


@router.get(
    "/reminders",
    response={200: list[ReminderOut], **READ_ERRORS},
    summary="催办记录（督查室与观察员看全部，其他人看发给自己的）",
)
@paginate(Page)
def list_reminders(request: AuthedRequest, filters: Query[ReminderFilters]):
    reminders = visible_to(request.user, Reminder.objects.select_related("recipient", "endpoint"))
    if filters.task is not None:
        reminders = reminders.filter(task_id=filters.task)
    if filters.kind is not None:
        reminders = reminders.filter(kind=filters.kind)
    if filters.state is not None:
        reminders = reminders.filter(state=filters.state)
    if filters.issued_from is not None:
        reminders = reminders.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to is not None:
        reminders = reminders.filter(issued_on__lte=filters.issued_to)
    return reminders.order_by("-created_at", "-id")


@router.get("/reminders/{reminder_id}", response={200: ReminderOut, **READ_ERRORS}, summary="一条催办")
def get_reminder(request: AuthedRequest, reminder_id: Id):
    return get_for(
        Reminder, request.user, reminder_id, rows=Reminder.objects.select_related("recipient", "endpoint")
    )


class NotificationOut(Schema):
    id: int
    subject: str = Field(description="标题")
    body: str = Field(description="正文")
    task_id: int | None = Field(description="所涉任务 id")
    link: str = Field(description="站内链接")
    created_at: dt.datetime
    read_at: dt.datetime | None = Field(description="已读时间；未读为 null")


@router.get("/notifications", response={200: list[NotificationOut], **READ_ERRORS}, summary="我的站内通知")
@paginate(Page)
def list_notifications(request: AuthedRequest, unread: bool = False):
    mine = Notification.objects.visible_to(request.user)
    return mine.unread() if unread else mine


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    summary="标记站内通知为已读",
)
def read_notification(request: AuthedRequest, notification_id: Id):
    return notifications.mark_read(request.user, notification_id)


# --- The score ledger -------------------------------------------------------------------------------


class ScoreEntryOut(Schema):
    id: int
    plan_id: int = Field(description="实施方案 id")
    unit: UnitRef = Field(description="单位")
    person: PersonRef | None = Field(description="责任人")
    task_id: int | None = Field(description="任务 id")
    reason: ScoreReason = Field(description="事由")
    points: float = Field(description="分值；扣分为负")
    occurred_on: dt.date = Field(description="发生日期")
    note: str = Field(description="说明")


class ScoreFilters(Schema):
    plan: Id | None = Field(None, description="实施方案 id")
    unit: Id | None = Field(None, description="单位 id")
    task: Id | None = Field(None, description="任务 id")
    since: dt.date | None = Field(None, description="发生日期不早于此日（含）")
    until: dt.date | None = Field(None, description="发生日期不晚于此日（含）")


@router.get(
    "/scores", response={200: list[ScoreEntryOut], **READ_ERRORS}, summary="计分记录（动态增量计分台账）"
)
@paginate(Page)
def list_scores(request: AuthedRequest, filters: Query[ScoreFilters]):
    entries = visible_to(request.user, ScoreEntry.objects.select_related("unit", "person"))
    for field, value in (
        ("plan_id", filters.plan),
        ("unit_id", filters.unit),
        ("task_id", filters.task),
        ("occurred_on__gte", filters.since),
        ("occurred_on__lte", filters.until),
    ):
        if value is not None:
            entries = entries.filter(**{field: value})
    return entries.order_by("-occurred_on", "-id")


class UnitScoreOut(Schema):
    unit: UnitRef = Field(description="单位")
    total: float = Field(description="合计得分")
    gained: float = Field(description="加分合计")
    lost: float = Field(description="扣分合计（负数）")
    entries: int = Field(description="记录条数")
    rank: int = Field(description="名次（1 为最好，同分同名次）")


class RankingOut(Schema):
    plan_id: int
    since: dt.date
    until: dt.date
    units: list[UnitScoreOut]


@router.get(
    "/plans/{plan_id}/ranking",
    response={200: RankingOut, **READ_ERRORS},
    summary="各单位得分排名（驾驶舱、通报所用）",
)
def get_ranking(
    request: AuthedRequest, plan_id: Id, since: dt.date | None = None, until: dt.date | None = None
):
    plan = get_for(Plan, request.user, plan_id)
    since, until = since or plan.period_start, until or clock.today()
    if since > until:
        raise ValidationError({"since": "起始日期不能晚于截止日期。"})
    ranking = scores_by_unit(since, until, plan=plan)
    return {
        "plan_id": plan.pk,
        "since": since,
        "until": until,
        "units": [
            {
                "unit": {"id": s.id, "name": s.name},
                "total": s.total,
                "gained": s.gained,
                "lost": s.lost,
                "entries": s.entries,
                "rank": s.rank,
            }
            for s in ranking
        ],
    }


# --- Commitments ------------------------------------------------------------------------------------


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


# --- Activities -------------------------------------------------------------------------------------


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
