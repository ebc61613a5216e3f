"""Progress reports (进度报送) and their evidence files (佐证材料)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ProgressReport(models.Model):
    """A unit's dated report on one task."""

    task = models.ForeignKey(
        "plans.Task", on_delete=models.CASCADE, related_name="reports", verbose_name=_("任务")
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("报送单位")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports", verbose_name=_("报送人")
    )
    reported_on = models.DateField(_("报送日期"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    narrative = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    lowered_from = models.PositiveSmallIntegerField(_("下调前进度（%）"), null=True, blank=True)
    lowering_reason = models.TextField(_("下调理由"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("进度报送")
        verbose_name_plural = _("进度报送")
        indexes = [models.Index(fields=["task", "-reported_on", "-id"], name="report_task_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="report_percent_at_most_100",
                violation_error_message=_("完成进度应在 0 到 100 之间。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on} {self.percent}%"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.report.task_id}/{filename}"


class Evidence(models.Model):
    """A file that proves what a report says."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("进度报送")
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name
