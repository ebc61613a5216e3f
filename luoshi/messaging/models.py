"""Sending messages out (shared by reminders, 督办单, bulletins and webhooks out): the channels, the
group robots, where one sending stands, and what every sending process shares about an outside service."""

import datetime as dt

from django.db import models
from django.db.models import Case, Expression, F, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.scoping import ScopedQuerySet


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class MessageFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    TEXT = "text", _("纯文本")


class WebhookEndpoint(models.Model):
    """A group robot (群机器人) that receives the reminders of one unit's tasks or of a whole plan."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉机器人“加签”安全设置的密钥（SEC 开头）；不用加签则留空。"),
    )
    message_format = models.CharField(
        _("消息格式"), max_length=10, choices=MessageFormat.choices, default=MessageFormat.MARKDOWN
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("单位"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("实施方案"),
    )
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(
        excluded_fields=["secret"], table_name="supervision_historicalwebhookendpoint"
    )

    class Meta:
        db_table = "supervision_webhookendpoint"
        ordering = ["id"]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, plan__isnull=True) | Q(unit__isnull=True, plan__isnull=False),
                name="webhook_serves_a_unit_or_a_plan",
                violation_error_message=_("群机器人要么属于一个单位，要么属于一个实施方案。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("发送失败，待重试")
    GIVEN_UP = "given_up", _("已放弃")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内通知")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")
    WECOM = "wecom", _("企业微信应用消息")
    DINGTALK = "dingtalk", _("钉钉工作通知")


#: The channels that reach one person through the office's own WeCom or DingTalk app.
WORK_APP_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class ServiceState(models.Model):
    """What every sending process must share about one outside service, whichever process learnt it.

    `name` is `wecom` or `dingtalk` (the office's app: its access token, kept until it expires),
    `robot:<id>` (a group robot) or `hook:<id>` (a webhook-out subscription). `held_until`: the service
    is left alone until then, after it timed out (a circuit breaker) or answered that it is called too
    often (a rate limit)."""

    name = models.CharField(_("服务"), max_length=50, unique=True)
    access_token = models.CharField(_("访问令牌"), max_length=512, blank=True)
    token_expires_at = models.DateTimeField(_("令牌到期时间"), null=True, blank=True)
    held_until = models.DateTimeField(_("暂停发送至"), null=True, blank=True)
    held_because = models.CharField(_("暂停原因"), max_length=200, blank=True)

    class Meta:
        db_table = "supervision_servicestate"
        verbose_name = _("外部服务状态")
        verbose_name_plural = _("外部服务状态")

    def __str__(self) -> str:
        return self.name


def robot_or_work_app(endpoint: str) -> Case:
    """The outside service of a sending addressed by a group robot (`endpoint`, a path to its id) or by
    `channel`: `robot:<id>`, `wecom` or `dingtalk`; None for mail and in-app."""
    return Case(
        When(
            **{f"{endpoint}__isnull": False}, then=Concat(Value("robot:"), Cast(endpoint, models.CharField()))
        ),
        When(channel__in=WORK_APP_CHANNELS, then=F("channel")),
        default=None,
        output_field=models.CharField(),
    )


class DeliveryQuerySet(ScopedQuerySet):
    def due(self, now: dt.datetime) -> "DeliveryQuerySet":
        """Sendings waiting to go out whose next try is now or earlier, each with its `service`."""
        return self.filter(
            state__in=[DeliveryState.PENDING, DeliveryState.RETRYING], next_attempt_at__lte=now
        ).annotate(service=self.service())

    def service(self) -> Expression:
        """The outside service each sending goes to, named as `ServiceState` names it (`robot:<id>`,
        `wecom`, `hook:<id>` …), or None for mail and in-app: what the send loop holds after a timeout
        or a rate limit. Each kind of sending says how it is addressed."""
        raise NotImplementedError


class Delivery(models.Model):
    """Where one sending stands: pending → sent, or retrying → given up (see `luoshi.messaging.sending`).

    Shared by reminders and by bulletins sent to subscribers."""

    state = models.CharField(
        _("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    created_at = models.DateTimeField(_("生成时间"))
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        abstract = True
