"""On-time closure (按时办结) per lead unit: the one definition the cockpit, unit pages and bulletins use."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from luoshi.plans.models import TaskKind, TaskStatus


@dataclass(frozen=True)
class Delivery:
    """A lead unit's record: tasks due by today, and how many of them were closed by their deadline."""

    due: int
    closed_on_time: int
    closed: int

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.closed_on_time / self.due, 1) if self.due else None


def delivery_by_unit(tasks: QuerySet, today: dt.date) -> dict[int, Delivery]:
    """On-time closure per lead unit, counting work items (not areas) due by `today`, in one query."""
    due = Q(deadline__lte=today)
    rows = (
        tasks.exclude(kind=TaskKind.AREA).order_by().values("lead_unit_id")
        .annotate(
            due=Count("id", filter=due),
            closed_on_time=Count("id", filter=due & Q(status=TaskStatus.CLOSED, closed_at__date__lte=F("deadline"))),
            closed=Count("id", filter=Q(status=TaskStatus.CLOSED)),
        )
    )
    return {r["lead_unit_id"]: Delivery(r["due"], r["closed_on_time"], r["closed"]) for r in rows}
