"""Annual commitments (工作承诺): a unit's list of tasks for a year, acknowledged by its head."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.scoping import ScopedQuerySet


class Commitment(models.Model):
    """A unit's commitment list for one year ("纳入明年工作承诺"), frozen once acknowledged."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="commitments", verbose_name=_("单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("生成人")
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    history = HistoricalRecords(table_name="supervision_historicalcommitment")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "supervision_commitment"
        ordering = ["-year", "unit__order", "unit_id"]
        verbose_name = _("工作承诺")
        verbose_name_plural = _("工作承诺")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="one_commitment_per_unit_and_year",
                violation_error_message=_("该单位该年度的工作承诺已经存在。"),
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="commitment_acknowledged_by_someone_at_a_time",
                violation_error_message=_("确认时间和确认人要同时填写。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} 年度工作承诺"

    @property
    def filename(self) -> str:
        """The name its .xlsx download is saved under."""
        return f"{self.unit.name}{self.year}年度工作承诺.xlsx"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class CommitmentRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")


class CommitmentItem(models.Model):
    """One task in a commitment list, copied as it stood when the list was generated."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="items", verbose_name=_("工作承诺")
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitment_items",
        verbose_name=_("任务"),
    )
    role = models.CharField(_("承担方式"), max_length=10, choices=CommitmentRole.choices)
    plan_title = models.CharField(_("实施方案"), max_length=200)
    code = models.CharField(_("序号"), max_length=30, blank=True)
    title = models.CharField(_("任务名称"), max_length=300)
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    start_date = models.DateField(_("开始日期"))
    deadline = models.DateField(_("完成时限"))
    order = models.PositiveIntegerField(_("排序"))

    class Meta:
        db_table = "supervision_commitmentitem"
        ordering = ["commitment_id", "order"]
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()
