"""China's working-day calendar: public holidays and make-up working weekends (调休).

A year's days come, in this order, from the holiday notice the office entered (`HolidayYear`), from
the `chinese-calendar` package (2004–2026 in version 1.11), or — only when the caller asks for an
estimate, as the task light does — from Monday to Friday. A year nobody covers otherwise raises
`CalendarNotCovered`. A day the office entered always wins, even in a year the package covers: a
notice may reach into the year before it (元旦 spanning 31 December), and the office is the authority.

Counting stays fast: each year is kept as a cumulative count of working days per day of the year,
so a count over any range is a few subtractions and moving n working days is a bisection.

The office's entries are read from the database in one query on first use and kept until a holiday
year is saved here (its writers call `models.calendar_changed`), or for at most `OFFICE_CALENDAR_TTL`
seconds, so that another process (the task worker, a second server) sees a change within minutes.
"""

import datetime as dt
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

import chinese_calendar

#: Seconds an office calendar read from the database is trusted before it is read again.
OFFICE_CALENDAR_TTL = 300.0


class CalendarNotCovered(Exception):
    """The working-day calendar has no holiday notice for this year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排尚未录入，无法按工作日计算。"
            f"请先录入国务院办公厅关于 {year} 年部分节假日安排的通知（管理后台或 luoshi holidays import）。"
        )


class Source(StrEnum):
    OFFICE = "office"  # entered by the office from the State Council notice
    PACKAGE = "package"  # the chinese-calendar package
    ESTIMATE = "estimate"  # Monday to Friday, for a year nobody covers


@dataclass(frozen=True)
class OfficeEntries:
    """What the office entered: the years it covers, and each listed day (True = working, False = off)."""

    years: frozenset[int] = frozenset()
    days: Mapping[dt.date, bool] = field(default_factory=dict)


@lru_cache(maxsize=64)
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


@lru_cache(maxsize=128)
def _base_flags(year: int, source: Source) -> tuple[bool, ...]:
    """Working (True) or not, per day of the year, before the office's listed days are applied."""
    if source == Source.PACKAGE:
        return tuple(chinese_calendar.is_workday(day) for day in _days_of(year))
    return tuple(day.weekday() < 5 for day in _days_of(year))


def _cumulative(flags: Iterable[bool]) -> tuple[int, ...]:
    """prefix[i] = working days among the first i days of the year."""
    prefix = [0]
    for working in flags:
        prefix.append(prefix[-1] + working)
    return tuple(prefix)


class WorkingCalendar:
    """The working days of China, from the office's entries, the package, or (on request) Mon–Fri."""

    def __init__(self, office: OfficeEntries | None = None) -> None:
        self.office = office or OfficeEntries()
        self._prefixes: dict[tuple[int, bool], tuple[int, ...]] = {}

    def source(self, year: int) -> Source | None:
        """Where the year's days come from; None when nobody covers it."""
        if year in self.office.years:
            return Source.OFFICE
        if _package_covers(year):
            return Source.PACKAGE
        return None

    def is_covered(self, year: int) -> bool:
        return self.source(year) is not None

    def _prefix(self, year: int, estimate: bool) -> tuple[int, ...]:
        key = (year, estimate)
        prefix = self._prefixes.get(key)
        if prefix is None:
            source = self.source(year)
            if source is None and not estimate:
                raise CalendarNotCovered(year)
            flags = list(_base_flags(year, source or Source.ESTIMATE))
            for day, working in self.office.days.items():
                if day.year == year:
                    flags[day.timetuple().tm_yday - 1] = working
            prefix = self._prefixes[key] = _cumulative(flags)
        return prefix

    def _before(self, day: dt.date, estimate: bool) -> int:
        """Working days from 1 January of day's year up to, not including, day."""
        return self._prefix(day.year, estimate)[day.timetuple().tm_yday - 1]

    def is_working_day(self, day: dt.date, *, estimate: bool = False) -> bool:
        index = day.timetuple().tm_yday - 1
        prefix = self._prefix(day.year, estimate)
        return prefix[index + 1] > prefix[index]

    def working_days_between(self, start: dt.date, end: dt.date, *, estimate: bool = False) -> int:
        """Working days in [start, end] (both included); 0 when end is before start."""
        if end < start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            first = max(start, dt.date(year, 1, 1))
            last = min(end, dt.date(year, 12, 31))
            total += self._before(last, estimate) + self.is_working_day(last, estimate=estimate)
            total -= self._before(first, estimate)
        return total

    def shift(self, day: dt.date, n: int, *, estimate: bool = False) -> dt.date:
        """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself when n is 0."""
        if n == 0:
            return day
        year = day.year
        prefix = self._prefix(year, estimate)
        index = day.timetuple().tm_yday - 1
        if n > 0:
            rank = prefix[index + 1] + n  # the target's rank among the year's working days, from 1
            while rank > prefix[-1]:
                rank -= prefix[-1]
                year += 1
                prefix = self._prefix(year, estimate)
        else:
            rank = prefix[index] + n + 1
            while rank < 1:
                year -= 1
                prefix = self._prefix(year, estimate)
                rank += prefix[-1]
        return dt.date(year, 1, 1) + dt.timedelta(days=bisect_left(prefix, rank) - 1)

    def on_or_before(self, day: dt.date, *, estimate: bool = False) -> dt.date:
        """The day itself if it is a working day, else the last working day before it."""
        return day if self.is_working_day(day, estimate=estimate) else self.shift(day, -1, estimate=estimate)

    def on_or_after(self, day: dt.date, *, estimate: bool = False) -> dt.date:
        """The day itself if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day, estimate=estimate) else self.shift(day, 1, estimate=estimate)

    def is_estimated(self, start: dt.date, end: dt.date) -> bool:
        """True when some year in the range is covered by nobody and is counted Monday to Friday."""
        return any(not self.is_covered(year) for year in range(start.year, end.year + 1))


_lock = threading.Lock()
_current: WorkingCalendar | None = None
_loaded_at = 0.0


def read_office_entries() -> OfficeEntries:
    """Every entered year and its listed days, in one query; a later notice wins on a shared day."""
    from luoshi.schedule.models import DayKind, HolidayYear

    rows = HolidayYear.objects.order_by("year", "spans__first_day").values_list(
        "year", "spans__kind", "spans__first_day", "spans__last_day"
    )
    years: set[int] = set()
    days: dict[dt.date, bool] = {}
    for year, kind, first_day, last_day in rows:
        years.add(year)
        if kind is None:
            continue  # a year entered without any listed day
        for offset in range((last_day - first_day).days + 1):
            days[first_day + dt.timedelta(days=offset)] = kind == DayKind.WORK
    return OfficeEntries(frozenset(years), days)


def calendar() -> WorkingCalendar:
    """The calendar in force: the office's entries (cached, see the module note) over the package."""
    global _current, _loaded_at
    current = _current
    if current is not None and time.monotonic() - _loaded_at < OFFICE_CALENDAR_TTL:
        return current
    with _lock:
        if _current is None or time.monotonic() - _loaded_at >= OFFICE_CALENDAR_TTL:
            _current = WorkingCalendar(read_office_entries())
            _loaded_at = time.monotonic()
        return _current


def forget_office_calendar() -> None:
    """Drop the cached calendar; the next use reads the office's entries again."""
    global _current
    with _lock:
        _current = None


def use_office_entries(entries: OfficeEntries | None = None) -> WorkingCalendar:
    """Put these entries (by default: nothing entered) in force without reading the database.

    For tests that must not touch the database, and for callers that already hold the entries;
    the next save of a holiday year replaces them with what the database holds."""
    global _current, _loaded_at
    with _lock:
        _current = WorkingCalendar(entries)
        _loaded_at = time.monotonic()
        return _current


def is_covered(year: int) -> bool:
    return calendar().is_covered(year)


def is_working_day(day: dt.date, *, estimate: bool = False) -> bool:
    return calendar().is_working_day(day, estimate=estimate)


def working_days_between(start: dt.date, end: dt.date, *, estimate: bool = False) -> int:
    """Working days in [start, end] (both included); 0 when end is before start."""
    return calendar().working_days_between(start, end, estimate=estimate)


def shift_working_days(day: dt.date, n: int, *, estimate: bool = False) -> dt.date:
    """The n-th working day after `day` (n > 0) or before it (n < 0)."""
    return calendar().shift(day, n, estimate=estimate)


def is_estimated(start: dt.date, end: dt.date) -> bool:
    """True when some year in the range has no official calendar and was counted Monday to Friday."""
    return calendar().is_estimated(start, end)
