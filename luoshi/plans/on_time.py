"""On-time closure (按时办结) per lead unit: the one definition the cockpit, unit pages and bulletins use.

"On time" is `definitions.handed_in_on_time`: closed, with the accepted closing request on or before
the deadline — the same rule the score's on-time points use. Drafts do not count.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from luoshi.plans.definitions import counted, handed_in_day, handed_in_on_time
from luoshi.plans.models import TaskKind, TaskStatus


@dataclass(frozen=True)
class OnTimeRecord:
    """A lead unit's record: tasks due by today, and how many of them were closed on time."""

    due: int
    closed_on_time: int
    closed: int

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.closed_on_time / self.due, 1) if self.due else None


def on_time_by_unit(tasks: QuerySet, today: dt.date) -> dict[int, OnTimeRecord]:
    """On-time closure per lead unit, counting assigned work items (not areas) due by `today`, as
    they stood at the end of `today`, in one query."""
    due = Q(deadline__lte=today)
    rows = (
        tasks.filter(counted())
        .exclude(kind=TaskKind.AREA)
        .annotate(handed_in=handed_in_day())
        .order_by()
        .values("lead_unit_id")
        .annotate(
            due=Count("id", filter=due),
            closed_on_time=Count("id", filter=due & handed_in_on_time(today)),
            closed=Count("id", filter=Q(status=TaskStatus.CLOSED, closed_at__date__lte=today)),
        )
    )
    return {r["lead_unit_id"]: OnTimeRecord(r["due"], r["closed_on_time"], r["closed"]) for r in rows}
