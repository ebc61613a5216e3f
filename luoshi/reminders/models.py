"""Reminders (催办): a plan's rules and each reminder sent."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.messaging.models import Channel, Delivery, DeliveryQuerySet, WebhookEndpoint, robot_or_work_app


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("到期提醒")
    BEFORE_MILESTONE = "before_milestone", _("节点提醒")
    OVERDUE = "overdue", _("逾期催办")
    NO_REPORT = "no_report", _("催报进度")
    NOTICE = "notice", _("督办单")


#: Kinds a plan's rules send on their own; a 督办单 is issued by hand (`luoshi.notices`).
RULE_KINDS = [(kind.value, kind.label) for kind in ReminderKind if kind != ReminderKind.NOTICE]

#: Kinds that look ahead to a date; the others count working days after something happened.
AHEAD_KINDS = (ReminderKind.BEFORE_DEADLINE, ReminderKind.BEFORE_MILESTONE)


class Recipient(models.TextChoices):
    """Who a rule's reminder goes to: the escalation ladder owner → unit head → supervising leader."""

    OWNER = "owner", _("责任人")
    UNIT_HEAD = "unit_head", _("牵头单位负责人")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")


class ReminderRule(models.Model):
    """One step of a plan's reminder schedule: when it fires, whom it reaches, and by which channels."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="reminder_rules", verbose_name=_("实施方案")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=RULE_KINDS)
    working_days = models.PositiveSmallIntegerField(
        _("工作日数"),
        help_text=_(
            "到期/节点提醒：提前几个工作日；逾期催办：逾期第几个工作日起，且上一级催办发出（或其后最近一次报送）"
            "后又过了与上一级相差的工作日数仍未报送，才升级到本级；催报：连续几个工作日未报送。"
        ),
    )
    recipient = models.CharField(
        _("提醒对象"), max_length=20, choices=Recipient.choices, default=Recipient.OWNER
    )
    in_app = models.BooleanField(_("站内通知"), default=True)
    by_email = models.BooleanField(_("电子邮件"), default=True)
    by_webhook = models.BooleanField(_("群机器人"), default=True)
    by_message = models.BooleanField(
        _("企业微信/钉钉消息"),
        default=True,
        help_text=_("发给本人的企业微信应用消息或钉钉工作通知（已配置企业应用且此人填了账号时）。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(table_name="supervision_historicalreminderrule")

    class Meta:
        db_table = "supervision_reminderrule"
        ordering = ["plan_id", "kind", "working_days", "id"]
        verbose_name = _("催办规则")
        verbose_name_plural = _("催办规则")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "working_days", "recipient"],
                name="reminder_rule_once_per_step",
                violation_error_message=_("该方案已有相同的催办规则。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in AHEAD_KINDS]) | Q(working_days__gte=1),
                name="reminder_rule_waits_at_least_a_day",
                violation_error_message=_("逾期催办和催报至少要隔 1 个工作日。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.working_days} → {self.get_recipient_display()}"


class ReminderQuerySet(DeliveryQuerySet):
    def service(self) -> Case:
        """A reminder goes to its group robot, or by its channel."""
        return robot_or_work_app("endpoint")


class Reminder(Delivery):
    """One reminder (催办) to one recipient by one channel, and where its delivery stands.

    `key` names the rule step, the task or milestone, the recipient, the channel and the date the
    reminder is about; the unique constraint on it is what makes a reminder go out at most once,
    however often and by however many workers the scan runs. The rules' reminders reach a person (or a
    group robot) at most once a day per task, whatever their level (`issued_on`): the scan picks which
    one goes first, and two more unique constraints hold the rule when two scans run at once.
    """

    key = models.CharField(_("去重键"), max_length=200, editable=False)
    rule = models.ForeignKey(
        ReminderRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("催办规则"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReminderKind.choices)
    recipient_role = models.CharField(_("提醒对象"), max_length=20, choices=Recipient.choices)
    task = models.ForeignKey(
        "plans.Task", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("任务")
    )
    milestone = models.ForeignKey(
        "plans.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("里程碑"),
    )
    due_on = models.DateField(_("所涉日期"), help_text=_("完成时限、节点日期，或连续未报送满期的那一天。"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("收件人"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("群机器人"),
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    link = models.CharField(_("任务链接"), max_length=500)
    issued_on = models.DateField(_("催办日期"), help_text=_("生成这条催办的那一天。"))

    objects = ReminderQuerySet.as_manager()

    class Meta:
        db_table = "supervision_reminder"
        ordering = ["created_at", "id"]
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="reminder_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="reminder_goes_out_once",
                violation_error_message=_("这条催办已经生成过。"),
            ),
            # A person by each channel, and a group robot, hear about a task from the rules at most
            # once a day (`issued_on`), whatever the level or kind: two scans at once cannot both add.
            models.UniqueConstraint(
                fields=["task", "channel", "recipient", "issued_on"],
                condition=~Q(channel=Channel.WEBHOOK) & ~Q(kind=ReminderKind.NOTICE),
                name="reminder_once_a_day_per_person",
                violation_error_message=_("今天已就这项任务提醒过此人。"),
            ),
            models.UniqueConstraint(
                fields=["task", "endpoint", "issued_on"],
                condition=Q(channel=Channel.WEBHOOK) & ~Q(kind=ReminderKind.NOTICE),
                name="reminder_once_a_day_per_robot",
                violation_error_message=_("今天已就这项任务向该群机器人发过提醒。"),
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.WEBHOOK, endpoint__isnull=False)
                | (~Q(channel=Channel.WEBHOOK) & Q(endpoint__isnull=True, recipient__isnull=False)),
                name="reminder_has_an_address",
                violation_error_message=_("群机器人催办要有机器人，其他渠道要有收件人。"),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def addressee(self) -> str:
        """Whom the reminder reaches, in words: a person (with their address) or a group robot."""
        robot, person = self.endpoint, self.recipient
        if self.channel == Channel.WEBHOOK:
            return f"{robot}（{robot.get_kind_display()}）" if robot else "—"
        if person is None:
            return "—"
        if self.channel == Channel.EMAIL:
            return f"{person.display_name} <{person.email}>"
        if self.channel == Channel.WECOM:
            return f"{person.display_name}（{self.get_channel_display()} {person.wecom_userid}）"
        if self.channel == Channel.DINGTALK:
            return f"{person.display_name}（{self.get_channel_display()} {person.dingtalk_userid}）"
        return person.display_name
