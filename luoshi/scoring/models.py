"""Dynamic scoring (动态增量计分): a plan's scoring rules and the ledger of every point given or taken."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _points(
    verbose_name: "StrOrPromise", default: str, help_text: "StrOrPromise" = ""
) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=6, decimal_places=2, default=Decimal(default), help_text=help_text
    )


class ScoringRule(models.Model):
    """How a plan scores its units and people. Deductions are entered as positive amounts."""

    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.CASCADE, related_name="scoring_rule", verbose_name=_("实施方案")
    )
    on_time_points = _points(_("按时办结加分"), "5", _("在完成时限前（含当天）申请办结并通过复核。"))
    early_points_per_day = _points(_("提前办结每工作日加分"), "0.5")
    early_points_cap = _points(_("提前办结加分上限"), "5")
    overdue_points_per_day = _points(_("逾期每工作日扣分"), "1")
    returned_points = _points(_("办结申请被退回扣分"), "2")
    missed_report_points = _points(_("未按时报送扣分"), "1")
    report_every_days = models.PositiveSmallIntegerField(
        _("报送周期（工作日）"), default=10, help_text=_("连续这么多个工作日没有报送进度，记一次未按时报送。")
    )
    target_exceeded_points = _points(_("指标超额完成加分"), "3")
    history = HistoricalRecords(table_name="supervision_historicalscoringrule")

    class Meta:
        db_table = "supervision_scoringrule"
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    on_time_points__gte=0,
                    early_points_per_day__gte=0,
                    early_points_cap__gte=0,
                    overdue_points_per_day__gte=0,
                    returned_points__gte=0,
                    missed_report_points__gte=0,
                    target_exceeded_points__gte=0,
                ),
                name="scoring_rule_amounts_not_negative",
                violation_error_message=_("分值一律填正数，扣分项会自动记为负分。"),
            ),
            models.CheckConstraint(
                condition=Q(report_every_days__gte=1),
                name="scoring_rule_report_cycle_positive",
                violation_error_message=_("报送周期至少 1 个工作日。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} 计分规则"


class ScoreReason(models.TextChoices):
    ON_TIME = "on_time", _("按时办结")
    EARLY = "early", _("提前办结")
    OVERDUE_DAY = "overdue_day", _("逾期")
    RETURNED = "returned", _("办结申请被退回")
    MISSED_REPORT = "missed_report", _("未按时报送")
    TARGET_EXCEEDED = "target_exceeded", _("指标超额完成")


class ScoreEntry(models.Model):
    """One line of the score ledger: points a unit (and the task's owner) gained or lost, why, and from what.

    Entries are derived from stored facts by `luoshi.scoring.actions.post_scores`; `key` names
    the fact, and its unique constraint keeps a fact from being scored twice.
    """

    key = models.CharField(_("去重键"), max_length=100, editable=False)
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="score_entries", verbose_name=_("实施方案")
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="score_entries", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="score_entries",
        verbose_name=_("责任人"),
    )
    task = models.ForeignKey(
        "plans.Task",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="score_entries",
        verbose_name=_("任务"),
    )
    reason = models.CharField(_("事由"), max_length=20, choices=ScoreReason.choices)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    occurred_on = models.DateField(_("发生日期"))
    note = models.CharField(_("说明"), max_length=300)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("依据类型")
    )
    source_id = models.PositiveBigIntegerField(_("依据编号"))
    source = GenericForeignKey("source_type", "source_id")
    posted_at = models.DateTimeField(_("记账时间"))

    class Meta:
        db_table = "supervision_scoreentry"
        ordering = ["occurred_on", "id"]
        verbose_name = _("计分记录")
        verbose_name_plural = _("计分记录")
        indexes = [
            models.Index(fields=["occurred_on", "unit"], name="score_period_unit"),
            models.Index(fields=["plan", "occurred_on"], name="score_plan_period"),
            models.Index(fields=["source_type", "source_id"], name="score_source"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="score_entry_posted_once",
                violation_error_message=_("这一事项已经计过分。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.unit_id} {self.points:+} {self.note}"


class ScoredTask(models.Model):
    """How far the ledger has been posted for one task, and from which facts: the bookkeeping that lets
    `post_scores` skip the tasks whose facts have not changed since (动态增量计分 without recounting).

    `through` is the day the task was last posted up to; `facts` fingerprints everything its entries
    depend on (the task's own fields, whether it is a leaf, its workflow steps and its lead unit's
    reports — counted with their newest id, as both are only ever added or removed, never edited —
    the plan's scoring rule and the office's holiday calendar); `seen` counts the steps and reports
    dated on or before `through`, so that a step or report dated later than one posting but earlier
    than the next is noticed.
    """

    task = models.OneToOneField(
        "plans.Task", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("任务")
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="+", verbose_name=_("实施方案")
    )
    through = models.DateField(_("计分截至"))
    facts = models.CharField(_("事实指纹"), max_length=32)
    seen = models.CharField(_("截至当日的记录数"), max_length=40)

    class Meta:
        db_table = "supervision_scoredtask"
        verbose_name = _("任务计分进度")
        verbose_name_plural = _("任务计分进度")

    def __str__(self) -> str:
        return f"{self.task_id} → {self.through}"


class UnitPoints(models.Model):
    """The score ledger summed by plan, unit and a period (a day, a month): what a unit ranking reads
    instead of millions of entries.

    Kept by `post_scores` in the same transaction as the entries it adds or removes (each chunk adds what it
    added and takes away what it removed), and by the deletion of a task with entries; a plan's or a
    unit's rows go with it, as its entries do. So each row always equals the sums of its entries
    (`tests/test_scoring_day_points.py` compares the two after random postings).
    """

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="+", verbose_name=_("实施方案")
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    points = models.DecimalField(_("分值"), max_digits=12, decimal_places=2)
    gained = models.DecimalField(_("加分"), max_digits=12, decimal_places=2)
    lost = models.DecimalField(_("扣分"), max_digits=12, decimal_places=2)
    entries = models.IntegerField(_("计分记录数"))  # not Positive: a removal is upserted as a negative count

    class Meta:
        abstract = True


class UnitDayPoints(UnitPoints):
    """The sums by day."""

    day = models.DateField(_("发生日期"))

    class Meta:
        verbose_name = _("单位每日得分")
        verbose_name_plural = _("单位每日得分")
        indexes = [models.Index(fields=["plan", "day"], name="unit_day_points_period")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "day"], name="unit_day_points_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.points:+}"


class UnitMonthPoints(UnitPoints):
    """The sums by month (`month` is its first day): a ranking over months reads one row per unit and month
    (the cockpit's, since the plan's start: ~24 rows a unit, not ~700), and days only for the months the
    period cuts (`actions.scores_by_unit`)."""

    month = models.DateField(_("月份"))

    class Meta:
        verbose_name = _("单位每月得分")
        verbose_name_plural = _("单位每月得分")
        indexes = [models.Index(fields=["plan", "month"], name="unit_month_points_period")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit", "month"], name="unit_month_points_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id} {self.points:+}"
