"""Reporting progress on a task, with evidence files."""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.core import clock, limits
from luoshi.core.access import Action, require, scope_unit_ids
from luoshi.core.history import set_history_user
from luoshi.orgs.models import Person
from luoshi.plans.actions import start_task
from luoshi.plans.models import ACTIVE_STATUSES, Task, TaskStatus
from luoshi.plans.rollup import refresh_rollups
from luoshi.progress.models import Evidence, ProgressReport


def _reporting_unit(actor: Person, task: Task):
    """The unit a report is filed for: the actor's own unit where it takes part, else the lead unit."""
    scope = scope_unit_ids(actor)
    if task.lead_unit_id in scope:
        return task.lead_unit
    for unit in task.support_units.all():
        if unit.pk in scope:
            return unit
    return task.lead_unit


def validate_evidence(files: Sequence[UploadedFile]) -> None:
    for f in files:
        if not f.size:
            raise ValidationError({"files": _("文件“%(name)s”是空的。") % {"name": f.name}})
        if f.size > limits.EVIDENCE_BYTES.most:
            raise ValidationError({"files": f"{f.name}：{limits.EVIDENCE_BYTES.message(f.size)}"})


def lowering_message(previous: int, percent: int) -> str:
    return _("进度由上次报送的 %(previous)d%% 下调为 %(percent)d%%，须说明下调理由。") % {
        "previous": previous,
        "percent": percent,
    }


def latest_percent(task: Task) -> int | None:
    """The percent the task's latest report gave, or None before its first report."""
    return task.reports.order_by("-reported_on", "-id").values_list("percent", flat=True).first()


def report_progress(
    actor: Person,
    task: Task,
    *,
    percent: int,
    narrative: str,
    problems: str = "",
    reason: str = "",
    reported_on: dt.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> ProgressReport:
    """File a progress report. A first report on an acknowledged task starts it (承办). A percent
    below the latest report's needs the reason, which the report keeps."""
    require(actor, Action.REPORT, task)
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(
            _("任务当前状态为“%(status)s”，不能报送进度。") % {"status": task.get_status_display()}
        )
    reported_on = reported_on or clock.today()
    if reported_on > clock.today():
        raise ValidationError({"reported_on": _("报送日期不能晚于今天。")})
    previous = latest_percent(task)
    lowered = previous is not None and percent < previous
    if previous is not None and lowered and not reason.strip():
        raise ValidationError({"reason": lowering_message(previous, percent)})
    report = ProgressReport(
        task=task,
        unit=_reporting_unit(actor, task),
        author=actor,
        reported_on=reported_on,
        percent=percent,
        narrative=narrative.strip(),
        problems=problems.strip(),
        lowered_from=previous if lowered else None,
        lowering_reason=reason.strip() if lowered else "",
    )
    report.full_clean()
    validate_evidence(files)
    set_history_user(report, actor)
    with transaction.atomic():
        report.save()
        for f in files:
            evidence = Evidence(report=report, original_name=(f.name or "")[:255], size=f.size or 0)
            evidence.file.save(f.name, f, save=False)
            set_history_user(evidence, actor)
            evidence.save()
        # Reporting is starting work: record the step rather than ask for a separate click. The status
        # is read again under the row lock: of two first reports at the same moment, the second finds the
        # task already started and simply lands.
        status = Task.objects.select_for_update().filter(pk=task.pk).values_list("status", flat=True).first()
        if status == TaskStatus.ACKNOWLEDGED and task.lead_unit_id == report.unit_id:
            start_task(actor, task, note=_("首次报送进度"))
        refresh_rollups([task.pk])  # the stored progress of the task and its ancestors follows the report
    return report
