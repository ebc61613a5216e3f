"""The demo's calendar: the sample plan's years moved to around today, and a clock to replay history.

The speech's plan runs 2020–2025. The demo adds a whole number of years so that today falls near
the middle of the plan, and then replays two or three years of work day by day, so that every
timestamp (a transition, a report's submission, the audit history) reads as it would have.
"""

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from luoshi.core import clock

#: The plan period in the speech's own years.
SPEECH_FIRST_YEAR = 2020
SPEECH_LAST_YEAR = 2025


def year_shift(today: dt.date) -> int:
    """Whole years to add to the speech's dates so that today lies within half a year of the middle."""
    middle = (
        dt.date(SPEECH_FIRST_YEAR, 1, 1)
        + (dt.date(SPEECH_LAST_YEAR + 1, 1, 1) - dt.date(SPEECH_FIRST_YEAR, 1, 1)) / 2
    )
    return math.floor((today - middle).days / 365.25 + 0.5)


class Calendar:
    """Turns a date written in the speech's years into the demo's date."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.shift = year_shift(today)

    def on(self, year: int, month: int, day: int) -> dt.date:
        """The demo date for a speech date; 29 February falls back to the 28th in a common year."""
        year += self.shift
        if month == 2 and day == 29 and not _is_leap(year):
            day = 28
        return dt.date(year, month, day)

    def year(self, year: int) -> int:
        return year + self.shift

    @property
    def first_day(self) -> dt.date:
        return self.on(SPEECH_FIRST_YEAR, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.on(SPEECH_LAST_YEAR, 12, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def moment(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class Replay:
    """Moves Luoshi's and Django's clock to past moments while the demo's history is written.

    Why move the clock rather than fix timestamps afterwards: the actions stamp transitions with
    `clock.now()`, and Django stamps `auto_now_add` fields and the audit history with
    `timezone.now()`; moving both lets the ordinary actions write history as it happened.
    Only `load_demo` uses it, for the length of one load, and it always puts the clocks back.
    """

    def __init__(self) -> None:
        self._saved: tuple | None = None

    def at(self, when: dt.datetime) -> None:
        def fixed() -> dt.datetime:
            return when

        clock.now = fixed
        timezone.now = fixed

    @contextmanager
    def running(self) -> Iterator["Replay"]:
        self._saved = (clock.now, timezone.now)
        try:
            yield self
        finally:
            clock.now, timezone.now = self._saved
