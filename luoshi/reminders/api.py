"""Reminders (催办) over the API: the office's list and one reminder, through the access policy like their page."""

import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from luoshi.core.access import get_for, visible_to
from luoshi.core.api_types import READ_ERRORS, Id, Page, PersonRef
from luoshi.core.types import AuthedRequest
from luoshi.messaging.models import Channel, DeliveryState
from luoshi.reminders.models import Reminder, ReminderKind

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)


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
