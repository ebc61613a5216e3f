"""督办单 (`SupervisionNotice`): a numbered written notice from the supervision office to a task's lead
unit, blue / yellow / red by severity, with a reply deadline; the lead unit's answer is tracked."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.scoping import ScopedQuerySet


class Severity(models.TextChoices):
    """How pressing the notice is: blue reminds, yellow warns, red is for work seriously behind."""

    BLUE = "blue", _("蓝色督办")
    YELLOW = "yellow", _("黄色督办")
    RED = "red", _("红色督办")


class AnswerState(models.TextChoices):
    WAITING = "waiting", _("待答复")
    ON_TIME = "on_time", _("按时答复")
    LATE = "late", _("逾期答复")
    UNANSWERED = "unanswered", _("逾期未答复")


def evidence_path(instance: "SupervisionNotice", filename: str) -> str:
    return f"notices/{instance.year}-{instance.number}/{filename}"


class SupervisionNotice(models.Model):
    """One 督办单: issued on a task to its lead unit, numbered 督办〔year〕N号, answered by that unit."""

    task = models.ForeignKey(
        "plans.Task", on_delete=models.PROTECT, related_name="notices", verbose_name=_("任务")
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("主送单位"),
        help_text=_("签发时任务的牵头单位。"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    number = models.PositiveIntegerField(_("序号"), editable=False)
    severity = models.CharField(_("督办等级"), max_length=10, choices=Severity.choices)
    reason = models.TextField(_("督办事由"))
    reply_by = models.DateField(_("答复期限"))
    issuer_name = models.CharField(_("签发单位"), max_length=100)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("签发人")
    )
    issued_at = models.DateTimeField(_("签发时间"))
    reply = models.TextField(_("答复内容"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_path, max_length=300, blank=True)
    evidence_name = models.CharField(_("佐证材料原文件名"), max_length=255, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="notice_number_unique_per_year",
                violation_error_message=_("该督办单编号已被使用。"),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(reply=""),
                name="notice_answer_has_a_reply",
                violation_error_message=_("答复须写明办理情况。"),
            ),
        ]

    def __str__(self) -> str:
        return self.document_number

    @property
    def document_number(self) -> str:
        """编号, e.g. 督办〔2026〕3号."""
        return f"督办〔{self.year}〕{self.number}号"

    @property
    def issued_on(self) -> dt.date:
        return timezone.localdate(self.issued_at)

    @property
    def answered_on(self) -> dt.date | None:
        return timezone.localdate(self.answered_at) if self.answered_at else None

    def answer_state(self, today: dt.date) -> AnswerState:
        """Answered on time or late, still waiting, or past its reply deadline unanswered."""
        if self.answered_on is not None:
            return AnswerState.ON_TIME if self.answered_on <= self.reply_by else AnswerState.LATE
        return AnswerState.WAITING if today <= self.reply_by else AnswerState.UNANSWERED
