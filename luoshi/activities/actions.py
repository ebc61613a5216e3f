"""Campaign activities: recording one, and the counts by unit and kind a bulletin reports."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from luoshi.activities.models import Activity, ActivityAttachment
from luoshi.core import clock
from luoshi.core.access import Action, can, require
from luoshi.core.history import set_history_user
from luoshi.orgs.models import Person, Unit
from luoshi.plans.models import Task
from luoshi.progress.actions import validate_evidence


def record_activity(
    actor: Person,
    *,
    unit: Unit,
    kind: str,
    held_on: dt.date,
    title: str,
    outcome: str,
    participants: str = "",
    participant_count: int = 0,
    counterpart: str = "",
    task: Task | None = None,
    files: Sequence[UploadedFile] = (),
) -> Activity:
    """Record an activity a unit held, with its attachments (sign-in sheet, photos, minutes)."""
    require(actor, Action.CREATE, Activity(unit=unit))  # the office, or someone acting for the unit
    if task is not None and not can(actor, Action.VIEW, task):
        raise PermissionDenied("task not visible")
    if held_on > clock.today():
        raise ValidationError({"held_on": _("活动日期不能晚于今天。")})
    activity = Activity(
        unit=unit,
        kind=kind,
        held_on=held_on,
        title=title.strip(),
        outcome=outcome.strip(),
        participants=participants.strip(),
        participant_count=participant_count,
        counterpart=counterpart.strip(),
        task=task,
        recorded_by=actor,
    )
    activity.full_clean()
    validate_evidence(files)
    set_history_user(activity, actor)
    with transaction.atomic():
        activity.save()
        for f in files:
            attachment = ActivityAttachment(
                activity=activity, original_name=(f.name or "")[:255], size=f.size or 0
            )
            attachment.file.save(f.name, f, save=False)
            attachment.save()
    return activity


def activities_in(
    period_start: dt.date,
    period_end: dt.date,
    *,
    unit_ids: Sequence[int] | None = None,
    kind: str | None = None,
) -> QuerySet:
    """The activities held in a period (both days included), newest first."""
    return (
        _held_in(period_start, period_end, unit_ids, kind)
        .select_related("unit", "task")
        .prefetch_related("attachments")
    )


def _held_in(
    period_start: dt.date, period_end: dt.date, unit_ids: Sequence[int] | None = None, kind: str | None = None
) -> QuerySet:
    activities = Activity.objects.filter(held_on__gte=period_start, held_on__lte=period_end)
    if unit_ids is not None:
        activities = activities.filter(unit_id__in=unit_ids)
    if kind is not None:
        activities = activities.filter(kind=kind)
    return activities


def activity_counts(
    period_start: dt.date, period_end: dt.date, *, unit_ids: Sequence[int] | None = None
) -> dict[int, dict[str, int]]:
    """How many activities each unit held in a period, by kind: {unit id: {kind: count}}, in one GROUP BY."""
    rows = (
        _held_in(period_start, period_end, unit_ids)
        .order_by()
        .values("unit_id", "kind")
        .annotate(count=Count("id"))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["unit_id"]][row["kind"]] = row["count"]
    return dict(counts)
