"""督办单 issued and answered in a period: the figures a bulletin shows."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from luoshi.notices.models import SupervisionNotice


@dataclass(frozen=True)
class NoticeCounts:
    issued: int  # issued in the period
    answered_on_time: int  # of those, answered by their reply deadline (as of the period's end)
    answered_late: int  # answered after it
    unanswered: int  # not answered by the period's end

    @property
    def answered(self) -> int:
        return self.answered_on_time + self.answered_late

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "answered": self.answered}


def notice_counts(
    start: dt.date, end: dt.date, *, plan_id: int | None = None, unit_ids: Iterable[int] | None = None
) -> NoticeCounts:
    """The 督办单 issued from `start` to `end`, and how they stood at the end of `end`; one query."""
    notices = SupervisionNotice.objects.annotate(
        issued_day=TruncDate("issued_at"), answered_day=TruncDate("answered_at")
    )
    notices = notices.filter(issued_day__range=(start, end))
    if plan_id is not None:
        notices = notices.filter(task__plan_id=plan_id)
    if unit_ids is not None:
        notices = notices.filter(lead_unit_id__in=list(unit_ids))
    answered = Q(answered_day__isnull=False, answered_day__lte=end)
    row = notices.aggregate(
        issued=Count("id"),
        on_time=Count("id", filter=answered & Q(answered_day__lte=F("reply_by"))),
        late=Count("id", filter=answered & Q(answered_day__gt=F("reply_by"))),
    )
    return NoticeCounts(
        row["issued"], row["on_time"], row["late"], row["issued"] - row["on_time"] - row["late"]
    )
