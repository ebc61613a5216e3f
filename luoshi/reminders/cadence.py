"""Working-day arithmetic and a task's reporting rhythm: the facts reminders and scoring both read.

Days are counted on China's working-day calendar; a year without an official holiday notice is
estimated Monday to Friday, as the task light does, so that supervision never stops at a year's end.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import timezone

from luoshi.plans.models import ACTIVE_STATUSES, Task, TaskStatus
from luoshi.schedule.workdays import is_working_day, shift_working_days, working_days_between

ONE_DAY = dt.timedelta(days=1)


def working_days_after(start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days after `start` up to and including `end`."""
    days = []
    day = start + ONE_DAY
    while day <= end:
        if is_working_day(day, estimate=True):
            days.append(day)
        day += ONE_DAY
    return days


def count_working_days_after(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end`."""
    return working_days_between(start + ONE_DAY, end, estimate=True)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


class Transition(Protocol):
    """A workflow step as the facts read it: a `TaskTransition`, or scoring's lighter `Step`."""

    @property
    def pk(self) -> int: ...
    @property
    def from_status(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def at(self) -> dt.datetime: ...
    @property
    def note(self) -> str: ...


@dataclass(frozen=True)
class TaskFacts:
    """What happened to a task up to a day: its workflow steps and report dates, and what follows from them."""

    task: Task
    initial_status: str
    transitions: Sequence[Transition]
    report_dates: Sequence[dt.date]
    until: dt.date

    @classmethod
    def of(
        cls,
        task: Task,
        transitions: Iterable[Transition],
        report_dates: Iterable[dt.date],
        until: dt.date,
    ) -> "TaskFacts":
        """The facts as they stood at the end of `until`; later steps and reports are left out."""
        steps = sorted(transitions, key=lambda t: (t.at, t.pk))
        initial = steps[0].from_status if steps else task.status
        return cls(
            task=task,
            initial_status=initial,
            transitions=[t for t in steps if local_date(t.at) <= until],
            report_dates=sorted(d for d in report_dates if d <= until),
            until=until,
        )

    @property
    def status(self) -> str:
        """The task's status at the end of `until`."""
        return self.transitions[-1].to_status if self.transitions else self.initial_status

    def last_step_to(self, status: str) -> Transition | None:
        for step in reversed(self.transitions):
            if step.to_status == status:
                return step
        return None

    def delivered_on(self) -> dt.date | None:
        """The day the lead unit handed in the work that was (or is being) accepted: its last closing request.

        None while the work is not handed in, or for a task closed without any record of when.
        """
        if self.status not in (TaskStatus.CLOSING_REQUESTED, TaskStatus.CLOSED):
            return None
        step = self.last_step_to(TaskStatus.CLOSING_REQUESTED) or self.last_step_to(TaskStatus.CLOSED)
        if step is not None:
            return local_date(step.at)
        return local_date(self.task.closed_at) if self.task.closed_at else None

    def overdue_span(self) -> tuple[dt.date, dt.date] | None:
        """(deadline, last day): the task is late on the working days after the deadline up to the last day,
        the day the work was handed in, or `until` if not yet; None for a draft, or work closed without a record."""
        if self.status == TaskStatus.DRAFT:
            return None
        if self.status in (TaskStatus.CLOSING_REQUESTED, TaskStatus.CLOSED):
            delivered = self.delivered_on()
            return (self.task.deadline, delivered) if delivered else None
        return self.task.deadline, self.until

    def overdue_days(self) -> list[dt.date]:
        """Working days the task was late: after the deadline until handed in, or until `until` if not yet
        (逾期工作日, `plans.definitions.working_days_late`, counted up to the day the work was handed in)."""
        span = self.overdue_span()
        return working_days_after(*span) if span else []

    def reporting_spans(self) -> list[tuple[dt.date, dt.date]]:
        """The stretches [start, stop) in which the lead unit was to report: acknowledged, in progress, returned."""
        spans: list[tuple[dt.date, dt.date]] = []
        status = self.initial_status
        since = self.task.start_date
        for step in self.transitions:
            day = local_date(step.at)
            was_active, is_active = status in ACTIVE_STATUSES, step.to_status in ACTIVE_STATUSES
            if is_active and not was_active:
                since = day
            elif was_active and not is_active:
                spans.append((since, day))
            status = step.to_status
        if status in ACTIVE_STATUSES:
            spans.append((since, self.until + ONE_DAY))
        return [(start, stop) for start, stop in spans if start < stop]

    def silence_marks(self, every: int) -> list[dt.date]:
        """Each day on which `every` working days had passed with no report (a missed report).

        Counting starts when reporting is due (the task acknowledged or handed back) and restarts at
        each report; a report on the mark day itself is in time.
        """
        if every < 1:
            raise ValueError("a reporting rhythm is at least one working day")
        marks: list[dt.date] = []
        for start, stop in self.reporting_spans():
            anchor = start
            for report_day in [*(d for d in self.report_dates if start <= d < stop), stop]:
                mark = shift_working_days(anchor, every, estimate=True)
                while mark < report_day:
                    marks.append(mark)
                    mark = shift_working_days(mark, every, estimate=True)
                anchor = max(anchor, report_day)
        return marks

    def current_silence_mark(self, every: int) -> dt.date | None:
        """The latest missed-report mark, if the unit is still silent since it (the day a reminder is due)."""
        if self.status not in ACTIVE_STATUSES:
            return None
        marks = self.silence_marks(every)
        if not marks:
            return None
        last_report = self.report_dates[-1] if self.report_dates else None
        if last_report is not None and last_report >= marks[-1]:
            return None
        return marks[-1]
