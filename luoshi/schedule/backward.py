"""Backward scheduling (倒排工期): from the deadline, the latest each milestone may start and finish;
from today and what is done, when each will finish; the slack, and the critical path.

Pure functions over plain dataclasses, in working days of China's calendar (`workdays`). Inside,
a time is a boundary between working days, counted from the deadline: working day k runs from
boundary k to k + 1, and the deadline's own working day is k = 0. A milestone of d working days
that starts at boundary s occupies days s … s + d − 1, so its dates always fall on working days.
A milestone with a duration of 0 still takes its day: a checkpoint is reached on a working day.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from luoshi.plans.models import Milestone
from luoshi.schedule.workdays import WorkingCalendar, calendar, working_days_between

#: Working days a date may trail the schedule without a warning (see `plans.definitions`).
SCHEDULE_TOLERANCE = 2

if TYPE_CHECKING:
    from luoshi.plans.models import Task


@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone to schedule: its work in working days and the milestones it waits for."""

    key: int
    name: str
    duration: int
    depends_on: tuple[int, ...] = ()
    completed_on: dt.date | None = None
    planned_finish: dt.date | None = None  # the date typed into the plan, checked against the latest finish


@dataclass(frozen=True)
class ScheduledMilestone:
    key: int
    name: str
    duration: int
    depends_on: tuple[int, ...]
    latest_start: dt.date
    latest_finish: dt.date
    expected_start: dt.date | None  # None once done
    expected_finish: dt.date  # the actual completion date once done
    done: bool
    slack: int  # working days between expected and latest finish; negative means late
    critical: bool
    planned_finish: dt.date | None


class ProblemKind(StrEnum):
    START_PASSED = "start_passed"
    DEADLINE_MISSED = "deadline_missed"
    PLANNED_TOO_LATE = "planned_too_late"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    message: str
    milestone: int | None = None


class ScheduleVerdict(models.TextChoices):
    """What the schedule says of the task as a whole; the task light (plans.health) reads it."""

    ON_TRACK = "on_track", _("按倒排工期推进")
    BEHIND = "behind", _("最迟开始已过，按当前进度将误期")  # some slack is negative
    LATE = "late", _("有节点超过最迟完成日期仍未完成")


@dataclass(frozen=True)
class Schedule:
    deadline: dt.date
    last_working_day: dt.date  # the deadline, or the last working day before it
    today: dt.date
    milestones: tuple[ScheduledMilestone, ...]  # in dependency order
    critical_path: tuple[int, ...]  # the chain of milestones that sets the expected finish
    expected_finish: dt.date | None
    slack: int | None  # the smallest slack of any open milestone
    problems: tuple[Problem, ...] = field(default=())
    estimated: bool = False  # some year was counted Monday to Friday
    verdict: ScheduleVerdict = ScheduleVerdict.ON_TRACK

    @property
    def feasible(self) -> bool:
        return not any(
            p.kind in (ProblemKind.START_PASSED, ProblemKind.DEADLINE_MISSED) for p in self.problems
        )


class ScheduleError(ValueError):
    """The milestones cannot be scheduled at all."""


class DependencyCycle(ScheduleError):
    """Milestones wait for each other in a circle."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            gettext("里程碑之间存在循环依赖：%(cycle)s，无法倒排工期。")
            % {"cycle": " → ".join([*names, names[0]])}
        )


def _dependency_order(milestones: list[PlannedMilestone]) -> list[PlannedMilestone]:
    """Milestones so that each comes after those it depends on; DependencyCycle if there is none."""
    by_key = {m.key: m for m in milestones}
    if len(by_key) != len(milestones):
        raise ScheduleError(gettext("里程碑编号重复。"))
    for m in milestones:
        unknown = [key for key in m.depends_on if key not in by_key]
        if unknown:
            raise ScheduleError(
                gettext("里程碑“%(name)s”依赖的节点 %(unknown)s 不在本任务中。")
                % {"name": m.name, "unknown": unknown}
            )
    waiting = {m.key: len(set(m.depends_on)) for m in milestones}
    dependents: dict[int, list[int]] = {m.key: [] for m in milestones}
    for m in milestones:
        for key in set(m.depends_on):
            dependents[key].append(m.key)
    ready = [m.key for m in milestones if waiting[m.key] == 0]
    order: list[PlannedMilestone] = []
    while ready:
        key = ready.pop(0)
        order.append(by_key[key])
        for dependent in dependents[key]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                ready.append(dependent)
    if len(order) < len(milestones):
        raise DependencyCycle(_find_cycle({k for k, n in waiting.items() if n > 0}, by_key))
    return order


def _find_cycle(stuck: set[int], by_key: dict[int, PlannedMilestone]) -> list[str]:
    """Names of one cycle among the stuck milestones, in the order the work would flow."""
    path: list[int] = []
    key = min(stuck)
    while key not in path:
        path.append(key)
        key = min(k for k in by_key[key].depends_on if k in stuck)  # every stuck milestone waits on one
    cycle = list(reversed(path[path.index(key) :]))
    first = cycle.index(min(cycle))  # start the circle at the earliest-entered milestone
    return [by_key[k].name for k in cycle[first:] + cycle[:first]]


def backward_schedule(
    milestones: list[PlannedMilestone],
    *,
    deadline: dt.date,
    today: dt.date,
    working_calendar: WorkingCalendar | None = None,
    estimate: bool = False,
) -> Schedule:
    """Latest dates backwards from the deadline, expected dates forwards from today, slack and
    the critical path. Raises DependencyCycle, ScheduleError, or CalendarNotCovered (unless estimate)."""
    cal = working_calendar or calendar()
    order = _dependency_order(milestones)
    end = cal.on_or_before(deadline, estimate=estimate)

    def boundary(day: dt.date) -> int:
        """The number of the working day on or after `day`, counted from the deadline's (0)."""
        day = cal.on_or_after(day, estimate=estimate)
        if day >= end:
            return cal.working_days_between(end, day, estimate=estimate) - 1
        return 1 - cal.working_days_between(day, end, estimate=estimate)

    def day_of(k: int) -> dt.date:
        return cal.shift(end, k, estimate=estimate)

    length = {m.key: max(m.duration, 1) for m in order}
    dependents: dict[int, list[int]] = {m.key: [] for m in order}
    for m in order:
        for key in m.depends_on:
            dependents[key].append(m.key)

    latest_start: dict[int, int] = {}
    for m in reversed(order):
        latest_finish = min((latest_start[d] for d in dependents[m.key]), default=1)
        latest_start[m.key] = latest_finish - length[m.key]

    now = boundary(today)
    start: dict[int, int | None] = {}
    finish: dict[int, int] = {}
    for m in order:
        if m.completed_on is not None:
            start[m.key] = None
            finish[m.key] = boundary(cal.on_or_before(m.completed_on, estimate=estimate)) + 1
        else:
            begin = max([now, *(finish[p] for p in m.depends_on)])
            start[m.key] = begin
            finish[m.key] = begin + length[m.key]

    slack = {m.key: latest_start[m.key] + length[m.key] - finish[m.key] for m in order}
    open_keys = [m.key for m in order if m.completed_on is None]
    least = min((slack[k] for k in open_keys), default=None)
    critical = {k for k in open_keys if slack[k] == least}
    path = _critical_path(order, critical, start, finish)

    scheduled = tuple(
        ScheduledMilestone(
            key=m.key,
            name=m.name,
            duration=m.duration,
            depends_on=tuple(m.depends_on),
            latest_start=day_of(latest_start[m.key]),
            latest_finish=day_of(latest_start[m.key] + length[m.key] - 1),
            expected_start=None if (started := start[m.key]) is None else day_of(started),
            expected_finish=m.completed_on or day_of(finish[m.key] - 1),
            done=m.completed_on is not None,
            slack=slack[m.key],
            critical=m.key in critical,
            planned_finish=m.planned_finish,
        )
        for m in order
    )
    expected_finish = day_of(max(finish[k] for k in open_keys) - 1) if open_keys else None
    problems = _problems(
        scheduled,
        now=now,
        latest_start=latest_start,
        least=least,
        deadline=deadline,
        expected_finish=expected_finish,
    )
    dates = [today, end, *(m.latest_start for m in scheduled), *(m.expected_finish for m in scheduled)]
    return Schedule(
        deadline=deadline,
        last_working_day=end,
        today=today,
        milestones=scheduled,
        critical_path=path,
        expected_finish=expected_finish,
        slack=least,
        problems=problems,
        estimated=estimate and cal.is_estimated(min(dates), max(dates)),
        verdict=_verdict(scheduled, least=least, today=today),
    )


def _verdict(
    milestones: tuple[ScheduledMilestone, ...], *, least: int | None, today: dt.date
) -> ScheduleVerdict:
    """LATE once an open milestone is past its latest finish; BEHIND once the work left, started
    today, ends after the deadline (negative slack, i.e. some latest start has passed)."""
    if any(not m.done and m.latest_finish < today for m in milestones):
        return ScheduleVerdict.LATE
    if least is not None and least < 0:
        return ScheduleVerdict.BEHIND
    return ScheduleVerdict.ON_TRACK


def _critical_path(
    order: list[PlannedMilestone], critical: set[int], start: dict[int, int | None], finish: dict[int, int]
) -> tuple[int, ...]:
    """From the critical milestone that finishes last, back through the critical ones that drive it."""
    if not critical:
        return ()
    by_key = {m.key: m for m in order}
    position = {m.key: i for i, m in enumerate(order)}
    key = max(critical, key=lambda k: (finish[k], -position[k]))
    path = [key]
    while True:
        drivers = [p for p in by_key[key].depends_on if p in critical and finish[p] == start[key]]
        if not drivers:
            break
        key = min(drivers, key=position.__getitem__)
        path.append(key)
    return tuple(reversed(path))


def _problems(
    milestones: tuple[ScheduledMilestone, ...],
    *,
    now: int,
    latest_start: dict[int, int],
    least: int | None,
    deadline: dt.date,
    expected_finish: dt.date | None,
) -> tuple[Problem, ...]:
    problems = []
    for m in milestones:
        if not m.done and latest_start[m.key] < now:
            problems.append(
                Problem(
                    ProblemKind.START_PASSED,
                    gettext("“%(name)s”最迟应于 %(latest_start)s 开始，已过期；如尚未开始，将无法按期完成。")
                    % {"name": m.name, "latest_start": m.latest_start},
                    m.key,
                )
            )
        # A done milestone's planned date no longer matters, and one or two working days past the
        # latest finish are within the precision of a plan's dates: neither is a warning.
        if (
            not m.done
            and m.planned_finish is not None
            and m.planned_finish > m.latest_finish
            and working_days_between(m.latest_finish, m.planned_finish, estimate=True) - 1
            > SCHEDULE_TOLERANCE
        ):
            problems.append(
                Problem(
                    ProblemKind.PLANNED_TOO_LATE,
                    gettext(
                        "“%(name)s”计划 %(planned_finish)s 完成，晚于倒排的最迟完成日期 %(latest_finish)s。"
                    )
                    % {"name": m.name, "planned_finish": m.planned_finish, "latest_finish": m.latest_finish},
                    m.key,
                )
            )
    if least is not None and least < 0:
        problems.append(
            Problem(
                ProblemKind.DEADLINE_MISSED,
                gettext(
                    "按当前进度预计 %(expected_finish)s 完成，比完成时限 %(deadline)s 晚 %(days)s 个工作日。"
                )
                % {"expected_finish": expected_finish, "deadline": deadline, "days": -least},
            )
        )
    return tuple(problems)


def planned_milestones_of(task_ids: Iterable[int]) -> dict[int, list[PlannedMilestone]]:
    """The milestones of many tasks as scheduler input, by task, in two queries. Dependencies on
    milestones of other tasks are left out: each is the task's own schedule."""

    ids = list(task_ids)
    # Asked even when there are no milestones (a prefetch would not be): the same queries for any list.
    waits_for: dict[int, list[int]] = {}
    for milestone_id, prior_id in Milestone.depends_on.through.objects.filter(
        from_milestone__task_id__any_of=ids
    ).values_list("from_milestone_id", "to_milestone_id"):
        waits_for.setdefault(milestone_id, []).append(prior_id)
    by_task: dict[int, list[tuple]] = {}
    rows = (  # plain rows, not model instances: a subtree's tasks can have a thousand milestones
        Milestone.objects.filter(task_id__any_of=ids)
        .order_by("due_date", "order", "id")
        .values_list("pk", "task_id", "title", "duration_days", "completed_on", "due_date")
    )
    for row in rows:
        by_task.setdefault(row[1], []).append(row)
    planned: dict[int, list[PlannedMilestone]] = {}
    for task_id, milestones in by_task.items():
        own = {pk for pk, *_rest in milestones}
        planned[task_id] = [
            PlannedMilestone(
                key=pk,
                name=title,
                duration=duration,
                depends_on=tuple(sorted(d for d in waits_for.get(pk, ()) if d in own)),
                completed_on=completed_on,
                planned_finish=due_date,
            )
            for pk, _task, title, duration, completed_on, due_date in milestones
        ]
    return planned


def planned_milestones(task: "Task") -> list[PlannedMilestone]:
    """A task's milestones as scheduler input, in two queries."""
    return planned_milestones_of([task.pk]).get(task.pk, [])


def schedule_task(task: "Task", *, today: dt.date, estimate: bool = False) -> Schedule:
    """The backward schedule of a task's milestones from its deadline."""
    return backward_schedule(planned_milestones(task), deadline=task.deadline, today=today, estimate=estimate)


def task_schedule_figures(task: "Task", *, today: dt.date, estimate: bool = False) -> dict:
    """The figures `luoshi schedule --format json` prints and `GET /api/tasks/{id}/schedule` serves.
    Raises like schedule_task."""
    schedule = schedule_task(task, today=today, estimate=estimate)
    return {
        "task": {"id": task.pk, "title": task.title, "deadline": task.deadline},
        "feasible": schedule.feasible,
        "schedule": schedule,
    }
