"""Periodic bulletins (定期通报): drafted, reviewed, then published as an immutable, numbered snapshot."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="bulletins",
                             verbose_name=_("实施方案"))
    scope_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("通报范围"), help_text=_("留空表示整个方案；选择单位则只通报该单位及其下级单位。"),
    )
    issuer_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("发文单位"))
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    title = models.CharField(_("标题"), max_length=200)
    commendations = models.TextField(_("表扬"), blank=True)
    criticisms = models.TextField(_("批评"), blank=True)
    remarks = models.TextField(_("下步要求"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BulletinStatus.choices,
                              default=BulletinStatus.DRAFT, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, editable=False)
    number = models.PositiveIntegerField(_("序号"), null=True, blank=True, editable=False)
    content = models.JSONField(_("通报内容快照"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    published_at = models.DateTimeField(_("印发时间"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_unit", "year", "number"], name="bulletin_number_unique_per_year",
                condition=Q(number__isnull=False), violation_error_message=_("该文号已被使用。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="bulletin_period_ends_after_start",
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
    def is_published(self) -> bool:
        return self.status == BulletinStatus.PUBLISHED
