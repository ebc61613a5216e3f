"""China's working-day calendar: public holidays and make-up working weekends (调休).

Official data comes from the `chinese-calendar` package for the years it covers. For a year it
does not cover, `working_days_between(..., estimate=True)` counts Monday to Friday and says so
through `is_estimated`; without `estimate` it raises `CalendarNotCovered`.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar


class CalendarNotCovered(Exception):
    """The working-day calendar has no holiday notice for this year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year} 年的节假日安排尚未录入，无法按工作日计算。请先录入国务院办公厅节假日安排通知。")


@lru_cache(maxsize=64)
def _covered(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_covered(year: int) -> bool:
    return _covered(year)


def is_working_day(day: dt.date, *, estimate: bool = False) -> bool:
    if is_covered(day.year):
        return chinese_calendar.is_workday(day)
    if estimate:
        return day.weekday() < 5
    raise CalendarNotCovered(day.year)


@lru_cache(maxsize=128)
def _year_prefix(year: int, estimate: bool) -> tuple[int, ...]:
    """prefix[i] = working days in the year strictly before day-of-year index i."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    prefix = [0]
    for i in range(days):
        prefix.append(prefix[-1] + is_working_day(start + dt.timedelta(days=i), estimate=estimate))
    return tuple(prefix)


def _before(day: dt.date, estimate: bool) -> int:
    """Working days from Jan 1 of day's year up to, not including, day."""
    return _year_prefix(day.year, estimate)[(day - dt.date(day.year, 1, 1)).days]


def working_days_between(start: dt.date, end: dt.date, *, estimate: bool = False) -> int:
    """Working days in [start, end] (both included); 0 when end is before start."""
    if end < start:
        return 0
    total = 0
    year = start.year
    while year <= end.year:
        first = max(start, dt.date(year, 1, 1))
        last = min(end, dt.date(year, 12, 31))
        total += _before(last, estimate) + is_working_day(last, estimate=estimate) - _before(first, estimate)
        year += 1
    return total


def is_estimated(start: dt.date, end: dt.date) -> bool:
    """True when some year in the range has no official calendar and was counted Monday to Friday."""
    return any(not is_covered(y) for y in range(start.year, end.year + 1))
