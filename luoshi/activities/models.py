"""Campaign activities (学习研讨、宣传推介、对接跑办) a unit holds and reports, with their outcomes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.scoping import ScopedQuerySet


class ActivityKind(models.TextChoices):
    STUDY = "study", _("学习研讨")
    PROMOTION = "promotion", _("宣传推介")
    LIAISON_VISIT = "liaison_visit", _("对接跑办")


class Activity(models.Model):
    """An activity a unit held: when, what kind, who took part, and what came of it."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="activities", verbose_name=_("单位")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=200)
    participants = models.TextField(_("参加人员"), blank=True)
    participant_count = models.PositiveIntegerField(_("参加人数"), default=0)
    counterpart = models.CharField(
        _("对接单位"), max_length=200, blank=True, help_text=_("对接跑办的对方单位，如省财政厅。")
    )
    outcome = models.TextField(_("成效"))
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("关联任务"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    history = HistoricalRecords(table_name="supervision_historicalactivity")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "supervision_activity"
        ordering = ["-held_on", "-id"]
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        indexes = [models.Index(fields=["held_on", "unit", "kind"], name="activity_period_unit_kind")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.LIAISON_VISIT) | ~Q(counterpart=""),
                name="liaison_visit_names_its_counterpart",
                violation_error_message=_("对接跑办要写明对接单位。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


def attachment_path(instance: "ActivityAttachment", filename: str) -> str:
    return f"activities/{instance.activity_id}/{filename}"


class ActivityAttachment(models.Model):
    """A file that shows the activity took place: a sign-in sheet, photos, minutes."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("活动")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        db_table = "supervision_activityattachment"
        ordering = ["id"]
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")

    def __str__(self) -> str:
        return self.original_name
