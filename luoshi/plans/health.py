"""Red/yellow/green (红黄绿灯): derived from the deadline, from expected against reported progress,
and — when the caller passes it — from the verdict of the task's backward schedule (倒排工期).

Expected progress (序时进度) is the share of the task's working days already elapsed. The schedule
can only make a light worse, never better: a task whose milestones' latest start has passed (it
will miss the deadline at the current pace) is at least yellow; one with a milestone past its latest
finish and not done is at least red. This module is the only place that turns those facts into a light.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Task, TaskStatus
from luoshi.schedule.backward import ScheduleError, ScheduleVerdict, backward_schedule, planned_milestones_of
from luoshi.schedule.workdays import working_days_between

#: How far (in percentage points) reported progress may trail expected progress and still be yellow.
YELLOW_GAP = 15.0


class Light(models.TextChoices):
    DONE = "done", _("已办结")
    GREEN = "green", _("正常推进")
    YELLOW = "yellow", _("进度滞后")
    RED = "red", _("严重滞后")
    OVERDUE = "overdue", _("已逾期")


#: The least severe light a schedule verdict allows; ON_TRACK allows any.
SCHEDULE_FLOOR = {ScheduleVerdict.BEHIND: Light.YELLOW, ScheduleVerdict.LATE: Light.RED}
#: Progress lights from best to worst, for "at least this bad".
_SEVERITY = [Light.GREEN, Light.YELLOW, Light.RED]


@dataclass(frozen=True)
class Health:
    light: Light
    expected: float
    progress: float
    schedule: ScheduleVerdict | None = None  # None: no schedule information was given

    @property
    def gap(self) -> float:
        return max(0.0, self.expected - self.progress)


def expected_progress(start: dt.date, deadline: dt.date, today: dt.date) -> float:
    """序时进度: the percentage of the task's working days elapsed by the end of `today`."""
    if today < start:
        return 0.0
    if today >= deadline:
        return 100.0
    total = working_days_between(start, deadline, estimate=True)
    if total == 0:
        return 100.0
    elapsed = working_days_between(start, today, estimate=True)
    return round(100.0 * elapsed / total, 1)


def task_health(*, status: str, start: dt.date, deadline: dt.date, progress: float, today: dt.date,
                schedule: ScheduleVerdict | None = None) -> Health:
    """The light of one task, from its status, dates, rolled-up progress and, if given, its
    schedule verdict (from `schedule_verdicts`; None means no schedule information)."""
    expected = expected_progress(start, deadline, today)
    if status == TaskStatus.CLOSED:
        return Health(Light.DONE, expected, 100.0, schedule)
    if deadline < today:
        return Health(Light.OVERDUE, expected, progress, schedule)
    gap = expected - progress
    if gap <= 0:
        light = Light.GREEN
    elif gap <= YELLOW_GAP:
        light = Light.YELLOW
    else:
        light = Light.RED
    if status == TaskStatus.RETURNED and light == Light.GREEN:
        light = Light.YELLOW  # a returned closing means the work is not yet accepted
    floor = SCHEDULE_FLOOR.get(schedule) if schedule is not None else None
    if floor is not None and _SEVERITY.index(floor) > _SEVERITY.index(light):
        light = floor
    return Health(light, expected, progress, schedule)


def schedule_verdicts(task_ids: Iterable[int], *, today: dt.date) -> dict[int, ScheduleVerdict]:
    """The schedule verdict of many tasks at once, for `task_health(schedule=...)`, in three queries.

    Tasks without milestones, closed tasks, and tasks whose milestones cannot be scheduled (a
    dependency cycle: reported on the task's schedule, not guessed at here) are left out. Years
    without a holiday notice are counted Monday to Friday, as the expected progress is."""
    ids = list(task_ids)
    open_tasks = dict(Task.objects.filter(pk__in=ids).exclude(status=TaskStatus.CLOSED).values_list("pk", "deadline"))
    verdicts: dict[int, ScheduleVerdict] = {}
    for task_id, planned in planned_milestones_of(open_tasks).items():
        try:
            schedule = backward_schedule(planned, deadline=open_tasks[task_id], today=today, estimate=True)
        except ScheduleError:
            continue
        verdicts[task_id] = schedule.verdict
    return verdicts


def healths_of(tasks: Iterable[Task], progress: Mapping[int, float], today: dt.date) -> dict[int, Health]:
    """The light of each task, by id: progress, dates and the schedule verdict, for a whole list at
    once (the verdicts take three queries whatever the number of tasks)."""
    tasks = list(tasks)
    verdicts = schedule_verdicts((t.pk for t in tasks if t.status != TaskStatus.CLOSED), today=today)
    return {
        t.pk: task_health(status=t.status, start=t.start_date, deadline=t.deadline,
                          progress=progress.get(t.pk, 0.0), today=today, schedule=verdicts.get(t.pk))
        for t in tasks
    }
