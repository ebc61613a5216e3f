"""Periodic bulletins (定期通报): drafted, reviewed, then published as an immutable, numbered snapshot."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.messaging.models import Channel, Delivery, DeliveryQuerySet, robot_or_work_app


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周报")
    MONTH = "month", _("月报")
    QUARTER = "quarter", _("季报")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已印发")


class Bulletin(models.Model):
    """One bulletin for a period and a scope. Once published its `content` never changes."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="bulletins", verbose_name=_("实施方案")
    )
    scope_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("通报范围"),
        help_text=_("留空表示整个方案；选择单位则只通报该单位及其下级单位。"),
    )
    issuer_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("发文单位")
    )
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    commendations = models.TextField(_("表扬"), blank=True)
    criticisms = models.TextField(_("批评"), blank=True)
    remarks = models.TextField(_("下步要求"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT, editable=False
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True, editable=False)
    content = models.JSONField(_("通报内容快照"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_unit", "year", "number"],
                name="bulletin_number_unique_per_year",
                condition=Q(number__isnull=False),
                violation_error_message=_("该文号已被使用。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="bulletin_period_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.document_number or self.title

    @property
    def document_number(self) -> str:
        """文号, e.g. 督查通报〔2026〕12号; empty until published."""
        if self.number is None:
            return ""
        return f"督查通报〔{self.year}〕{self.number}号"

    @property
    def file_stem(self) -> str:
        """The name its downloads are saved under (without the extension)."""
        return self.document_number or f"通报草稿-{self.pk}"

    @property
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED


class BulletinSubscription(models.Model):
    """Someone who receives a plan's bulletins when they are published: a person, or a group robot."""

    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="bulletin_subscriptions",
        verbose_name=_("实施方案"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bulletin_subscriptions",
        verbose_name=_("订阅人"),
    )
    in_app = models.BooleanField(_("站内通知"), default=True)
    by_email = models.BooleanField(_("电子邮件（附 PDF）"), default=True)
    endpoint = models.ForeignKey(
        "messaging.WebhookEndpoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bulletin_subscriptions",
        verbose_name=_("群机器人"),
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("通报订阅")
        verbose_name_plural = _("通报订阅")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, endpoint__isnull=True)
                | Q(person__isnull=True, endpoint__isnull=False),
                name="bulletin_subscriber_is_a_person_or_a_robot",
                violation_error_message=_("订阅者要么是一个人，要么是一个群机器人。"),
            ),
            models.UniqueConstraint(
                fields=["plan", "person"],
                name="bulletin_subscription_once_per_person",
                violation_error_message=_("此人已订阅该方案的通报。"),
            ),
            models.UniqueConstraint(
                fields=["plan", "endpoint"],
                name="bulletin_subscription_once_per_robot",
                violation_error_message=_("该群机器人已订阅该方案的通报。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} → {self.person or self.endpoint}"


class BulletinDeliveryQuerySet(DeliveryQuerySet):
    def service(self) -> Case:
        """A bulletin goes to its subscription's group robot, or by its channel."""
        return robot_or_work_app("subscription__endpoint")


class BulletinDelivery(Delivery):
    """One published bulletin sent to one subscriber by one channel, and where that sending stands.

    The states, attempts, backoff and claim lease are the reminders' (`luoshi.messaging.sending`):
    a reminder row must name a task, so a bulletin's sending is recorded here instead.
    """

    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("通报")
    )
    subscription = models.ForeignKey(
        BulletinSubscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("订阅")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)

    objects = BulletinDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("通报分发")
        verbose_name_plural = _("通报分发")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="bulletin_delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "subscription", "channel"],
                name="bulletin_goes_to_a_subscriber_once",
                violation_error_message=_("这份通报已经发给该订阅者。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} → {self.subscription} ({self.channel})"


class ScheduleCadence(models.TextChoices):
    WEEKLY = "week", _("每周")
    MONTHLY = "month", _("每月")
    QUARTERLY = "quarter", _("每季度")


class BulletinSchedule(models.Model):
    """A plan's standing order for bulletins: on the Nth working day of each week, month or quarter,
    the bulletin for the period just ended is drafted (not published: the office reviews it)."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="bulletin_schedule", verbose_name=_("实施方案")
    )
    cadence = models.CharField(
        _("周期"), max_length=10, choices=ScheduleCadence.choices, default=ScheduleCadence.MONTHLY
    )
    working_day = models.PositiveSmallIntegerField(
        _("第几个工作日"),
        default=1,
        help_text=_(
            "新周期的第几个工作日起草上一周期的通报；每周一（遇节假日顺延）即“每周、第 1 个工作日”。"
        ),
    )
    scope_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("通报范围"),
        help_text=_("留空表示整个方案。"),
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("起草人"),
        help_text=_("以其名义起草，须为督查室人员；发文单位取其所在单位。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    last_period_start = models.DateField(_("最近起草的周期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("定期通报安排")
        verbose_name_plural = _("定期通报安排")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_day__gte=1, working_day__lte=20),
                name="bulletin_schedule_working_day_in_range",
                violation_error_message=_("第几个工作日应在 1 到 20 之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_cadence_display()}第{self.working_day}个工作日"
