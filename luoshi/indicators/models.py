"""Indicators (指标): measured quantities with a baseline, dated targets and actuals per period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, person) -> "IndicatorQuerySet":
        from luoshi.core.access import visible_indicators

        return visible_indicators(person, self)


class Indicator(models.Model):
    """A measured quantity, stored in its base unit (吨, 标箱, 元, %, 人, 家 …)."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("实施方案")
    )
    goal = models.ForeignKey(
        "plans.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators",
        verbose_name=_("目标"),
    )
    task = models.ForeignKey(
        "plans.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators",
        verbose_name=_("关联任务"),
    )
    name = models.CharField(_("指标名称"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20, help_text=_("基本单位，如 吨、标箱、元、%、人、家、条。"))
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
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
    tolerance = models.FloatField(_("容差（%）"), default=5.0, help_text=_("低于序时轨迹不超过此比例时为黄灯。"))
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

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

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("指标"))
    due_date = models.DateField(_("目标日期"))
    kind = models.CharField(_("类型"), max_length=10, choices=TargetKind.choices, default=TargetKind.ABSOLUTE)
    comparator = models.CharField(_("比较"), max_length=5, choices=Comparator.choices, default=Comparator.AT_LEAST)
    value = models.FloatField(
        _("数值"), help_text=_("绝对值；倍数；高于参照指标的百分点；或每年新增量，视类型而定。")
    )
    relative_to_target = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("相对于目标")
    )
    reference_indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("参照指标")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")

    def __str__(self) -> str:
        return f"{self.indicator} {self.get_comparator_display()} {self.value} @ {self.due_date}"


class IndicatorActual(models.Model):
    """The measured value for one period, entered by the owner unit."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("指标"))
    period_end = models.DateField(_("统计期末"))
    value = models.FloatField(_("实际值"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
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
