"""Webhooks out (对外推送): other systems subscribe to what happens in Luoshi (a task closed, a task
overdue, a bulletin published) and receive each event once, signed, retried until it is taken."""

import secrets

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.messaging.models import Delivery, DeliveryQuerySet


class Event(models.TextChoices):
    TASK_CLOSED = "task.closed", _("任务办结（销号）")
    TASK_OVERDUE = "task.overdue", _("任务逾期")
    BULLETIN_PUBLISHED = "bulletin.published", _("通报印发")


def new_secret() -> str:
    return secrets.token_hex(32)


class HookSubscription(models.Model):
    """An address another system gave the office, and the events it wants there."""

    name = models.CharField(_("名称"), max_length=100, help_text=_("接收方系统，如 市政务督查平台。"))
    url = models.URLField(
        _("推送地址"),
        max_length=500,
        help_text=_("接收 POST 的 http(s) 地址。"),
        validators=[URLValidator(schemes=["http", "https"])],
    )
    secret = models.CharField(
        _("签名密钥"),
        max_length=200,
        default=new_secret,
        help_text=_("接收方用它核对 X-Luoshi-Signature（HMAC-SHA256）；请交给接收方，并妥善保管。"),
    )
    on_task_closed = models.BooleanField(Event.TASK_CLOSED.label, default=True)
    on_task_overdue = models.BooleanField(Event.TASK_OVERDUE.label, default=True)
    on_bulletin_published = models.BooleanField(Event.BULLETIN_PUBLISHED.label, default=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["secret"])

    #: Event → the field that says whether a subscription wants it.
    WANTS = {
        Event.TASK_CLOSED: "on_task_closed",
        Event.TASK_OVERDUE: "on_task_overdue",
        Event.BULLETIN_PUBLISHED: "on_bulletin_published",
    }

    class Meta:
        ordering = ["id"]
        verbose_name = _("推送订阅")
        verbose_name_plural = _("推送订阅")

    def __str__(self) -> str:
        return self.name


class HookDeliveryQuerySet(DeliveryQuerySet):
    def service(self) -> Concat:
        """Each subscription is its own service (`hook:<id>`): one that hangs is held alone."""
        return Concat(Value("hook:"), Cast("subscription_id", models.CharField()))


class HookDelivery(Delivery):
    """One event for one subscription, and where its sending stands (the reminders' own retry rules).

    `key` names the event and the subscription; its uniqueness is what sends an event at most once."""

    subscription = models.ForeignKey(
        HookSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("推送订阅")
    )
    event = models.CharField(_("事件"), max_length=30, choices=Event.choices)
    event_id = models.CharField(
        _("事件编号"), max_length=100, help_text=_("同一事件发给各订阅者时相同；接收方可据此去重。")
    )
    key = models.CharField(_("去重键"), max_length=150, editable=False)
    payload = models.JSONField(_("内容"))

    objects = HookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="hook_delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="hook_event_goes_out_once",
                violation_error_message=_("这一事件已经推送给该订阅者。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"
