"""Plans, their goals, and the one task tree that breaks a plan into work."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from luoshi.core.concurrency import VersionedModel
from luoshi.core.scoping import ScopedQuerySet
from luoshi.core.tree import subtree_ids

if TYPE_CHECKING:
    from luoshi.plans.health import Light


class Plan(VersionedModel):
    """An implementation plan (实施方案) being carried out."""

    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    owner_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="owned_plans", verbose_name=_("牵头单位")
    )
    summary = models.TextField(_("概述"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()
    #: Not stored: the rolled-up progress the API's plan detail attaches.
    progress: float

    class Meta:
        ordering = ["-period_start", "id"]
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
                violation_error_message=_("截止日期不能早于起始日期。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A plan-level aim (目标), usually measured by indicators."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("实施方案"))
    title = models.CharField(_("目标"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")

    def __str__(self) -> str:
        return self.title


class TaskKind(models.TextChoices):
    AREA = "area", _("方面")
    TARGET = "target", _("具体目标")
    MEASURE = "measure", _("具体措施")
    WORK = "work", _("具体工作")
    PROJECT = "project", _("具体项目")
    LIAISON = "liaison", _("对接跑办")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ASSIGNED = "assigned", _("已交办")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    IN_PROGRESS = "in_progress", _("承办中")
    CLOSING_REQUESTED = "closing_requested", _("申请办结")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已办结")


class Step(models.TextChoices):
    """The workflow's steps, one name each for the actions, the pages, the forms and the API."""

    ASSIGN = "assign", _("交办")
    ACKNOWLEDGE = "acknowledge", _("签收")
    START = "start", _("开始承办")
    REQUEST_CLOSING = "request_closing", _("申请办结")
    SIGN_OFF = "sign_off", _("复核通过（销号）")
    RETURN = "return", _("退回")


#: The range of dates a plan's tasks may carry: wide enough for any plan, narrow enough to compute on.
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)

#: Statuses in which the lead unit is working and may report progress.
ACTIVE_STATUSES = (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED)


def led_or_supported(unit_ids: Iterable[int]) -> Q:
    """牵头或配合: the task is led or supported by one of the units (a subquery, so no duplicate rows)."""
    supported = Task.support_units.through.objects.filter(unit_id__in=unit_ids).values("task_id")
    return Q(lead_unit_id__in=unit_ids) | Q(pk__in=supported)


class TaskQuerySet(ScopedQuerySet):
    def led_or_supported_by(self, unit_ids: Iterable[int]) -> "TaskQuerySet":
        """The tasks one of the units leads or supports (`led_or_supported`)."""
        return self.filter(led_or_supported(unit_ids))

    def subtree(self, root_ids) -> "TaskQuerySet":
        """The given tasks and every task below them, in one query."""
        return self.filter(pk__in=subtree_ids(Task, root_ids))

    def overdue(self, today: dt.date) -> "TaskQuerySet":
        """逾期未办结 (`definitions.open_past_deadline`): derived from the deadline, never typed."""
        from luoshi.plans.definitions import open_past_deadline

        return self.filter(open_past_deadline(today))

    def counted(self) -> "TaskQuerySet":
        """The tasks that count: assigned or later, never drafts (`definitions.counted`)."""
        from luoshi.plans.definitions import counted

        return self.filter(counted())

    def open(self) -> "TaskQuerySet":
        return self.exclude(status=TaskStatus.CLOSED)


class Task(VersionedModel):
    """One node of a plan's task tree: an area, a key task, a measure or a work item."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("实施方案"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级任务"),
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("目标")
    )
    code = models.CharField(_("序号"), max_length=30, blank=True)
    title = models.CharField(_("任务名称"), max_length=300)
    description = models.TextField(_("任务内容"), blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=TaskKind.choices, default=TaskKind.WORK)
    lead_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("牵头单位")
    )
    support_units = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="supported_tasks", verbose_name=_("配合单位")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_tasks",
        verbose_name=_("责任人"),
    )
    start_date = models.DateField(_("开始日期"))
    starts_when_assigned = models.BooleanField(
        _("交办之日开始"),
        default=False,
        editable=False,
        help_text=_("开始日期未填写：草稿交办时，开始日期改为交办之日。"),
    )
    deadline = models.DateField(_("完成时限"))
    weight = models.FloatField(_("权重"), default=1.0, help_text=_("在同级任务中所占的份量，用于进度汇总。"))
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.DRAFT, editable=False
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    rolled_up = models.FloatField(
        _("汇总进度"),
        default=0.0,
        db_default=0.0,
        editable=False,
        help_text=_("由进度报送、办结和下级任务汇总得出，随每次变化更新，不可手工填写。"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["updated_at", "starts_when_assigned", "rolled_up"], m2m_fields=[support_units]
    )

    objects = TaskQuerySet.as_manager()

    # Not stored: what the task lists annotate (has_children, last_reported_on) and what the API attaches
    # to the tasks it shows (plans.api.with_health: progress, expected_progress, light, reasons).
    has_children: bool
    last_reported_on: dt.date | None
    progress: float
    expected_progress: float
    light: "Light"
    reasons: list[str]

    class Meta:
        ordering = ["plan_id", "order", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [
            models.Index(fields=["plan", "parent"], name="task_plan_parent"),
            models.Index(fields=["lead_unit", "status"], name="task_lead_status"),
            models.Index(fields=["deadline"], name="task_deadline"),
            # the public results page: a plan's completed tasks, newest first, a page at a time
            models.Index(fields=["plan", "status", "-closed_at"], name="task_plan_status_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="task_weight_positive",
                violation_error_message=_("权重必须大于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("start_date")),
                name="task_deadline_after_start",
                violation_error_message=_("完成时限不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    def clean(self) -> None:
        """A child never ends after its parent, nor leaves its parent's plan."""
        super().clean()
        for name in ("start_date", "deadline"):
            day = getattr(self, name)
            if day and not (MIN_DATE <= day <= MAX_DATE):
                raise ValidationError(
                    {name: _("日期应在 %(min)s 至 %(max)s 之间。") % {"min": MIN_DATE, "max": MAX_DATE}}
                )
        parent = self.parent
        if parent is None:
            return
        if self.plan_id and parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("上级任务必须属于同一个实施方案。")})
        if self.deadline and self.deadline > parent.deadline:
            raise ValidationError(
                {
                    "deadline": _("完成时限不能晚于上级任务的完成时限（%(date)s）。")
                    % {"date": parent.deadline}
                }
            )
        if self.pk and parent.pk == self.pk:
            raise ValidationError({"parent": _("任务不能以自己为上级。")})

    @property
    def is_closed(self) -> bool:
        return self.status == TaskStatus.CLOSED


class Milestone(models.Model):
    """A dated checkpoint (节点) inside a task."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("任务")
    )
    title = models.CharField(_("节点名称"), max_length=200)
    due_date = models.DateField(_("计划完成日期"))
    completed_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    duration_days = models.PositiveIntegerField(_("工期（工作日）"), default=1)
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents", verbose_name=_("前置节点")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "order", "id"]
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")

    def __str__(self) -> str:
        return self.title


class ScheduleDays(models.Model):
    """The days from which a task's backward schedule (倒排工期) says behind and late, kept so that the
    cockpit counts lights in SQL (plans.lights). A verdict moves with the day, but monotonically once
    no milestone completion lies ahead: from `holds_from` on (the latest completion), the verdict of
    any day is LATE from `late_from`, BEHIND from `behind_from`, on track before (None: not by the
    deadline). Kept by `plans.schedule_days.refresh_schedule_days` in the transaction of every change
    to what it reads (milestones, the deadline, the calendar); tests/test_schedule_days.py proves it
    equals `health.schedule_findings` on every day."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, primary_key=True, related_name="schedule_days", verbose_name=_("任务")
    )
    holds_from = models.DateField(_("适用起始日"))
    behind_from = models.DateField(_("滞后起始日"), null=True, blank=True)
    late_from = models.DateField(_("超期起始日"), null=True, blank=True)

    class Meta:
        verbose_name = _("倒排工期判定日")
        verbose_name_plural = _("倒排工期判定日")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.behind_from} / {self.late_from}"


class TaskTransition(models.Model):
    """One step of a task's workflow: who moved it, from what, to what, when and why."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("任务")
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=TaskStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TaskStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """A remark on a task, typically a leader's instruction (批示) or a supervisor's note."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments", verbose_name=_("任务"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("作者")
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("批示与意见")
        verbose_name_plural = _("批示与意见")

    def __str__(self) -> str:
        return self.body[:30]
