"""The days from which each task's backward schedule (倒排工期) says behind and late, kept per task
(`models.ScheduleDays`), so that lights are counted in SQL (plans.lights) without scheduling every
task with milestones in Python on every reading.

A schedule verdict moves with the day, but in one direction once every completion it counts lies
behind the day: the day moves `now` forward, so the work left finishes no earlier (the least slack
only falls: BEHIND, once reached, stays), and an open milestone past its latest finish stays past it
(LATE stays). From `holds_from`, the latest completion date, a task's verdict on any day is therefore
LATE from `late_from`, BEHIND from `behind_from`, on track before. Both are found with
`health.finding_for` itself (the first day LATE, and the first day not on track, by bisection up to
the deadline: after it an open task is overdue whatever its schedule), so the rule stays in one place.
A reading of an earlier day than `holds_from` (a milestone completed later counts as open then) is
lit in Python.

Kept in the transaction of every change to what it reads: a task's deadline (`actions.update_task`),
its milestones (`refresh_schedule_days`, called by whoever writes them) and the calendar
(`schedule.models.calendar_changed`). A bulk load that goes around them calls
`refresh_schedule_days` for the whole plan, as it calls `rollup.rebuild_rollups`.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

from luoshi.plans.health import finding_for
from luoshi.plans.models import MIN_DATE, Milestone, ScheduleDays, Task
from luoshi.schedule.backward import PlannedMilestone, ScheduleVerdict, planned_milestones_of

#: Tasks scheduled per batch when refreshing many.
BATCH = 2000


def _first_day(holds: Callable[[dt.date], bool], first: dt.date, last: dt.date) -> dt.date | None:
    """The first day in [first, last] on which `holds` (false, then true for good) is true, or None."""
    if first > last or not holds(last):
        return None
    while first < last:
        middle = first + (last - first) // 2
        if holds(middle):
            last = middle
        else:
            first = middle + dt.timedelta(days=1)
    return first


def schedule_days_of(
    planned: list[PlannedMilestone], deadline: dt.date
) -> tuple[dt.date, dt.date | None, dt.date | None]:
    """(holds_from, behind_from, late_from) of a task with these milestones and this deadline."""
    holds_from = max((m.completed_on for m in planned if m.completed_on), default=MIN_DATE)

    def verdict(day: dt.date) -> ScheduleVerdict:
        finding = finding_for(planned, deadline, day)
        return finding.verdict if finding is not None else ScheduleVerdict.ON_TRACK

    late_from = _first_day(lambda day: verdict(day) == ScheduleVerdict.LATE, holds_from, deadline)
    behind_from = _first_day(
        lambda day: verdict(day) != ScheduleVerdict.ON_TRACK, holds_from, late_from or deadline
    )
    return holds_from, behind_from, late_from


def refresh_schedule_days(task_ids: Iterable[int]) -> None:
    """Compute again and store the schedule days of these tasks (none for a task without milestones).
    Call it inside the transaction that changed their milestones or deadlines."""
    ids = sorted(set(task_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        deadlines = dict(Task.objects.filter(pk__in=batch).values_list("pk", "deadline"))
        planned = planned_milestones_of(deadlines)
        ScheduleDays.objects.filter(task_id__in=batch).delete()
        ScheduleDays.objects.bulk_create(
            ScheduleDays(
                task_id=pk, **dict(zip(("holds_from", "behind_from", "late_from"), days, strict=True))
            )
            for pk, days in ((pk, schedule_days_of(planned[pk], deadlines[pk])) for pk in planned)
        )


def refresh_all_schedule_days(tasks: QuerySet | None = None) -> None:
    """Every task with milestones (or those of `tasks`, a queryset of ids): after a calendar change or a bulk load."""
    with_milestones = Milestone.objects.order_by().values_list("task_id", flat=True).distinct()
    if tasks is not None:
        with_milestones = with_milestones.filter(task_id__in=tasks)
    stale = ScheduleDays.objects.exclude(task_id__in=with_milestones)
    if tasks is not None:
        stale = stale.filter(task_id__in=tasks)
    stale.delete()
    refresh_schedule_days(list(with_milestones))
