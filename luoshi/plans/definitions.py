"""What counts and what "late" means: the named definitions every figure uses, so that a page, the
API, the bulletin and the score never disagree about the same task.

- `counted` — a task counts once it is 交办 (assigned). A draft has no light and no weight in any
  rollup, count, ranking, bulletin, score or reminder; pages list drafts apart ("草稿 N 项，未交办").
- `open_past_deadline` (逾期未办结) — not closed and its deadline before the day. The light OVERDUE,
  the overdue filters of the tree and the API, the board's overdue list, the bulletin's overdue list.
- `handed_in_on_time` (按时办结) — closed, and the closing request that was accepted came on or
  before the deadline (the office's review time is not the unit's delay). The on-time rate of units
  (`plans.on_time`) and the on-time points of the score (`luoshi.scoring.actions`).
- `working_days_late` (逾期工作日) — the working days after the deadline up to a day. The light's
  reason and the score's daily penalty (until the work is handed in,
  `reminders.cadence.TaskFacts.overdue_days`).
- `days_late` (逾期天数) — calendar days after the deadline: the "逾期 N 天" of the board, the lists and
  the bulletin, as an office counts them in its notices.
- `SCHEDULE_TOLERANCE` — a backward schedule (倒排工期) that misses the deadline by at most this many
  working days makes no light worse and raises no warning of its own: such gaps are within the
  precision of the plan's dates, and shown folded so that the real ones stand out.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate

from luoshi.plans.models import TaskStatus, TaskTransition
from luoshi.schedule import backward
from luoshi.schedule.workdays import working_days_between

#: Working days a schedule may trail the deadline before it counts against the task.
SCHEDULE_TOLERANCE = backward.SCHEDULE_TOLERANCE


def is_counted(status: str) -> bool:
    """Whether a task in this status counts: assigned (交办) or later, never a draft."""
    return status != TaskStatus.DRAFT


def counted() -> Q:
    """The tasks that count (see `is_counted`), as a filter."""
    return ~Q(status=TaskStatus.DRAFT)


def open_past_deadline(today: dt.date) -> Q:
    """逾期未办结: counted, not closed, and its deadline before `today`."""
    return counted() & ~Q(status=TaskStatus.CLOSED) & Q(deadline__lt=today)


def is_open_past_deadline(status: str, deadline: dt.date, today: dt.date) -> bool:
    return is_counted(status) and status != TaskStatus.CLOSED and deadline < today


def handed_in_day():
    """The day a closed task's work was handed in: its last closing request, else its closing day.
    An expression over Task rows, for `handed_in_on_time`."""

    last_request = (
        TaskTransition.objects.filter(task=OuterRef("pk"), to_status=TaskStatus.CLOSING_REQUESTED)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return TruncDate(Coalesce(Subquery(last_request), F("closed_at")))


def handed_in_on_time(closed_by: dt.date) -> Q:
    """按时办结 by `closed_by`: closed on or before that day, with the work handed in by the deadline.
    Needs the queryset annotated with `handed_in=handed_in_day()`."""
    return Q(status=TaskStatus.CLOSED, closed_at__date__lte=closed_by, handed_in__lte=F("deadline"))


def counted_working_days(first: dt.date, last: dt.date) -> int:
    """The working days in [first, last], years without a holiday notice counted Monday to Friday: how
    序时进度 and 逾期工作日 count, unless given another counter of the same days."""
    return working_days_between(first, last, estimate=True)


def working_days_late(
    deadline: dt.date, day: dt.date, count: Callable[[dt.date, dt.date], int] = counted_working_days
) -> int:
    """逾期工作日: the working days after `deadline` up to and including `day` (0 if not past)."""
    if day <= deadline:
        return 0
    return count(deadline + dt.timedelta(days=1), day)


def days_late(deadline: dt.date, day: dt.date) -> int:
    """逾期天数: calendar days after `deadline` up to `day` (0 if not past)."""
    return max(0, (day - deadline).days)
