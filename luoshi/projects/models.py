"""The project portfolio (项目库): investment projects and their stages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core import clock
from luoshi.core.scoping import ScopedQuerySet


class Project(models.Model):
    """An investment project, with its owner unit and the tasks it belongs to."""

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="projects", verbose_name=_("实施方案")
    )
    name = models.CharField(_("项目名称"), max_length=200)
    owner_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="projects", verbose_name=_("责任单位")
    )
    industry = models.CharField(_("产业类别"), max_length=50, blank=True)
    total_investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    tasks = models.ManyToManyField(
        "plans.Task", blank=True, related_name="projects", verbose_name=_("所属任务")
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    PREPARATION = "preparation", _("前期")
    START = "start", _("开工")
    PRODUCTION = "production", _("投产")
    COMPLETION = "completion", _("竣工")


class ProjectStage(models.Model):
    """A stage of a project with its planned and actual date."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stages", verbose_name=_("项目")
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices)
    planned_date = models.DateField(_("计划日期"))
    actual_date = models.DateField(_("实际日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "planned_date"]
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")
        indexes = [models.Index(fields=["stage", "actual_date"], name="project_stage_actual")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage"],
                name="one_date_per_stage",
                violation_error_message=_("该项目的这个阶段已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"

    def clean(self) -> None:
        """A stage is reached on a day that has come, whoever records it (its page or the admin)."""
        if self.actual_date is not None and self.actual_date > clock.today():
            raise ValidationError({"actual_date": _("实际日期不能晚于今天。")})


class ProjectYear(models.Model):
    """Planned and completed investment of a project in one year."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="years", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_investment = models.DecimalField(_("计划投资（万元）"), max_digits=14, decimal_places=2)
    completed_investment = models.DecimalField(
        _("完成投资（万元）"), max_digits=14, decimal_places=2, default=0
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "year"]
        verbose_name = _("年度投资")
        verbose_name_plural = _("年度投资")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"],
                name="one_row_per_project_year",
                violation_error_message=_("该项目这一年度的投资计划已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"
