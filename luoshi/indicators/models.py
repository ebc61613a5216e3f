"""Indicators (指标): measured quantities with a baseline, dated targets and actuals per period."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core import clock
from luoshi.core.scoping import ScopedQuerySet


class Direction(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


class Frequency(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class TrajectoryShape(models.TextChoices):
    LINEAR = "linear", _("线性")
    GROWTH = "growth", _("等比增长")


class ComputedFrom(models.TextChoices):
    NOTHING = "", _("人工填报")
    PROJECT_STARTS = "project_starts", _("关联任务的项目当年开工数")


class Indicator(models.Model):
    """A measured quantity, stored in its base unit (吨, 标箱, 元, %, 人, 家 …)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("实施方案")
    )
    goal = models.ForeignKey(
        "plans.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("目标"),
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("关联任务"),
    )
    name = models.CharField(_("指标名称"), max_length=200)
    unit = models.CharField(
        _("计量单位"), max_length=20, help_text=_("基本单位，如 吨、标箱、元、%、人、家、条。")
    )
    direction = models.CharField(
        _("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(_("频次"), max_length=10, choices=Frequency.choices, default=Frequency.YEAR)
    owner_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="indicators", verbose_name=_("责任单位")
    )
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    baseline_value = models.FloatField(_("基期值"), null=True, blank=True)
    baseline_date = models.DateField(_("基期日期"), null=True, blank=True)
    trajectory_shape = models.CharField(
        _("轨迹形态"), max_length=10, choices=TrajectoryShape.choices, default=TrajectoryShape.LINEAR
    )
    tolerance = models.FloatField(
        _("容差（%）"), default=5.0, help_text=_("低于序时轨迹不超过此比例时为黄灯。")
    )
    computed_from = models.CharField(
        _("实际值来源"),
        max_length=20,
        choices=ComputedFrom.choices,
        default=ComputedFrom.NOTHING,
        blank=True,
        help_text=_("“项目当年开工数”：每年的实际值由关联任务下项目的开工日期算出，不再填报。"),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self) -> str:
        return self.name


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("绝对值")
    MULTIPLE = "multiple", _("倍数（翻番）")
    RELATIVE = "relative", _("相对其他指标")
    INCREMENT = "increment", _("年均增量")


class Comparator(models.TextChoices):
    AT_LEAST = "gte", "≥"
    AT_MOST = "lte", "≤"
    ABOUT = "about", "≈"


class IndicatorTarget(models.Model):
    """A target for a date: absolute, a multiple of the baseline or an earlier target, relative to
    another indicator, or a yearly increment."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("指标")
    )
    due_date = models.DateField(_("目标日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=TargetKind.choices, default=TargetKind.ABSOLUTE)
    comparator = models.CharField(
        _("比较"), max_length=5, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    value = models.FloatField(
        _("数值"), help_text=_("绝对值；倍数；高于参照指标的百分点；或每年新增量，视类型而定。")
    )
    relative_to_target = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相对于目标"),
    )
    reference_indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("参照指标"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=TargetKind.RELATIVE, reference_indicator__isnull=False)
                | (~Q(kind=TargetKind.RELATIVE) & Q(reference_indicator__isnull=True)),
                name="target_reference_iff_relative",
                violation_error_message=_("“相对其他指标”的目标须且只须选择参照指标。"),
            ),
            models.CheckConstraint(
                condition=Q(relative_to_target__isnull=True) | Q(kind=TargetKind.MULTIPLE),
                name="target_base_target_only_for_multiple",
                violation_error_message=_("只有“倍数（翻番）”目标可以相对于另一个目标。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparator_display()} {self.value} @ {self.due_date}"

    def clean(self) -> None:
        """Each kind has what it needs to become an absolute value (see indicators.trajectory)."""
        super().clean()
        indicator = self.indicator if self.indicator_id else None
        if (
            self.kind == TargetKind.MULTIPLE
            and (base := self.relative_to_target) is not None
            and (base.indicator_id != self.indicator_id or (self.due_date and base.due_date >= self.due_date))
        ):
            raise ValidationError({"relative_to_target": _("须是同一指标、日期更早的目标。")})
        needs_baseline = self.kind == TargetKind.INCREMENT or (
            self.kind == TargetKind.MULTIPLE and not self.relative_to_target_id
        )
        if needs_baseline and indicator is not None and indicator.baseline_value is None:
            raise ValidationError({"kind": _("这类目标以基期值为起点，请先填写指标的基期值和基期日期。")})
        if self.kind == TargetKind.RELATIVE and self.reference_indicator_id == self.indicator_id:
            raise ValidationError({"reference_indicator": _("参照指标不能是指标自身。")})


class IndicatorActual(models.Model):
    """The measured value for one period, entered by the owner unit."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("指标")
    )
    period_end = models.DateField(_("统计期末"))
    value = models.FloatField(_("实际值"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报人"),
    )
    evidence = models.FileField(_("佐证材料"), upload_to="indicator-evidence/", blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_end", "id"]
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_end"],
                name="one_actual_per_period",
                violation_error_message=_("该统计期已填报过实际值。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period_end}: {self.value}"

    def clean(self) -> None:
        """An actual is of a period that has ended, and a finite number; whoever enters it."""
        if self.period_end and self.period_end > clock.today():
            raise ValidationError({"period_end": _("统计期末不能晚于今天。")})
        if self.value is not None and not math.isfinite(self.value):
            raise ValidationError({"value": _("实际值必须是有限的数。")})


class IndicatorStatus(models.Model):
    """An indicator's light now, kept for counting in the database: written only by
    `indicators.stored.refresh_statuses`, in the transaction of each change to the indicator, its
    targets, its actuals or a reference indicator's actuals. No row means no actual (暂无数据).
    Indicators computed from project starts are never stored: their light moves with the day."""

    indicator = models.OneToOneField(
        Indicator,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_status",
        verbose_name=_("指标"),
    )
    light = models.CharField(_("灯色"), max_length=10)
    period_end = models.DateField(_("统计期末"))
    actual = models.FloatField(_("实际值"))
    expected = models.FloatField(_("序时值"), null=True)
    shortfall = models.FloatField(_("差距（%）"), null=True)

    class Meta:
        verbose_name = _("指标当前状态")
        verbose_name_plural = _("指标当前状态")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.light}"
