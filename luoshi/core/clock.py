"""The one place Luoshi asks what day it is, so tests and the demo can move time."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def local_days() -> Callable[[dt.datetime], dt.date]:
    """The local day of a moment, for many moments: `timezone.localdate` looks the time zone up again on
    every call, which is most of its time over the thousands of rows of a subtree."""
    zone = timezone.get_current_timezone()
    return lambda moment: moment.astimezone(zone).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment `day` ends (midnight after it) in the local time zone: "by the end of `day`" is `at < end_of_day(day)`."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
