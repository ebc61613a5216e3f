"""Bulletins' background work: drafting on each plan's schedule, and sending published bulletins.

Both run inside the supervision worker's tasks (`luoshi.supervision.jobs`): the periodic scan drafts,
the sending of reminders also sends bulletins; publishing queues a sending at once.
"""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_tasks import task

from luoshi.bulletins import actions
from luoshi.bulletins.compose import Period
from luoshi.bulletins.models import Bulletin, BulletinSchedule, ScheduleCadence
from luoshi.bulletins.sending import send_due_deliveries
from luoshi.core import clock
from luoshi.schedule.workdays import shift_working_days

logger = logging.getLogger(__name__)


def _period_start(cadence: str, day: dt.date) -> dt.date:
    """The first day of the week, month or quarter that contains `day`."""
    if cadence == ScheduleCadence.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if cadence == ScheduleCadence.MONTHLY:
        return day.replace(day=1)
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_just_ended(cadence: str, today: dt.date) -> Period:
    """The whole week, month or quarter before the one `today` is in."""
    end = _period_start(cadence, today) - dt.timedelta(days=1)
    return Period(cadence, _period_start(cadence, end), end)


def drafting_day(cadence: str, today: dt.date, working_day: int) -> dt.date:
    """The Nth working day of the current period: the day its predecessor's bulletin is drafted."""
    return shift_working_days(
        _period_start(cadence, today) - dt.timedelta(days=1), working_day, estimate=True
    )


def draft_scheduled_bulletins(today: dt.date | None = None) -> list[Bulletin]:
    """Draft, for each active schedule whose day has come, the bulletin of the period just ended,
    unless that period already has one. Each period is claimed once on the schedule row, so two scans
    (or two workers) never draft it twice."""
    today = today or clock.today()
    drafted = []
    for schedule in BulletinSchedule.objects.filter(active=True).select_related(
        "plan", "drafter", "scope_unit"
    ):
        period = period_just_ended(schedule.cadence, today)
        plan = schedule.plan
        if (
            today < drafting_day(schedule.cadence, today, schedule.working_day)
            or period.end < plan.period_start
            or period.start > plan.period_end
        ):
            continue
        try:
            with transaction.atomic():
                claimed = (
                    BulletinSchedule.objects.filter(pk=schedule.pk)
                    .exclude(last_period_start=period.start)
                    .update(last_period_start=period.start)
                )
                if not claimed:
                    continue
                exists = Bulletin.objects.filter(
                    plan=plan,
                    scope_unit=schedule.scope_unit,
                    period_kind=period.kind,
                    period_start=period.start,
                    period_end=period.end,
                ).exists()
                if not exists:
                    drafted.append(
                        actions.draft_bulletin(
                            schedule.drafter, plan=plan, period=period, scope_unit=schedule.scope_unit
                        )
                    )
        except (
            PermissionDenied,
            ValidationError,
        ) as error:  # e.g. the drafter left the office: try next scan
            logger.warning("scheduled bulletin for plan %s, %s: %s", plan.pk, period.label, error)
    return drafted


@task()
def draft_bulletins() -> dict[str, int]:
    """Draft the bulletins whose scheduled day has come."""
    return {"drafted": len(draft_scheduled_bulletins())}


@task()
def send_bulletins() -> dict[str, int]:
    """Send (and retry) published bulletins to their subscribers; returns how many ended in each state."""
    return dict(send_due_deliveries())
