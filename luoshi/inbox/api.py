"""The caller's inbox (站内通知) over the API: their notifications, and marking one read."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Id, Page
from luoshi.core.types import AuthedRequest
from luoshi.inbox import actions as notifications
from luoshi.inbox.models import Notification

router = Router(tags=["supervision"])  # 督查督办 (the name shown: luoshi.api.TAGS)


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
