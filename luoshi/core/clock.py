"""The one place Luoshi asks what day it is, so tests and the demo can move time."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment `day` ends (midnight after it) in the local time zone: "by the end of `day`" is `at < end_of_day(day)`."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
