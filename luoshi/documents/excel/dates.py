"""Deadlines as 任务分解表 write them: Excel dates, 2025-06-30, 2025年6月底, 2025.6, 2025年上半年, 长期坚持 …

A cell naming several dates ("2024年底前完成初稿，2025年6月底前全面完成", "2024—2025年") means the
last of them. A standing task ("长期坚持", "持续推进") has no date of its own: the importer gives it
its parent's deadline, the plan's end at the top.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from openpyxl.utils.datetime import from_excel

#: Phrases that mean "no end date": the task runs as long as its parent.
STANDING_PHRASES = ("长期", "持续", "常态", "常年", "每年", "每季度", "每月", "年度", "经常性", "动态")

_CN_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "Ｏ": "0",
    "一": "1",
    "二": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}

_YEAR = r"(?<!\d)((?:19|20)\d{2}|\d{2}(?=年))"
#: Any number written as a year, to refuse 3000年 or 9999年 rather than read its last two digits.
_ANY_YEAR = re.compile(r"(?<!\d)(\d{3,})\s*年")
_DAY = re.compile(_YEAR + r"\s*[年./\-－]\s*(\d{1,2})\s*[月./\-－]\s*(\d{1,2})\s*[日号]?")
_MONTH = re.compile(
    _YEAR + r"\s*(?:年\s*(\d{1,2})\s*月份?|[./\-－]\s*(\d{1,2})(?!\d))\s*(底|末|初|上旬|中旬|下旬|前|中)?"
)
_QUARTER = re.compile(_YEAR + r"\s*年?\s*(?:第?([1-4一二三四])\s*季度|[Qq]([1-4]))")
_HALF = re.compile(_YEAR + r"\s*年?\s*(上半年|下半年|年中|年底|年末|年初|底|末)")
_YEAR_ONLY = re.compile(_YEAR + r"\s*年")
_BARE_YEAR = re.compile(r"^((?:19|20)\d{2})$")


@dataclass(frozen=True)
class Deadline:
    """A parsed 完成时限: a date, or standing (no date), each keeping the words it came from."""

    date: dt.date | None
    text: str

    @property
    def is_standing(self) -> bool:
        return self.date is None


class DeadlineError(ValueError):
    """The cell says something, but not a date we can read."""


def parse_deadline(value: object) -> Deadline | None:
    """The deadline a cell gives; None for an empty cell; DeadlineError for words that are no date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return Deadline(value.date(), value.date().isoformat())
    if isinstance(value, dt.date):
        return Deadline(value, value.isoformat())
    if isinstance(value, int | float):
        return Deadline(_from_number(value), str(value))
    text = str(value).strip()
    if not text:
        return None
    western = _western_digits(text)
    for m in _ANY_YEAR.finditer(western):
        if not 1900 <= int(m.group(1)) <= 2099:
            raise DeadlineError(f"“{text}”中的年份 {m.group(1)} 不在 1900–2099 年之间，请检查")
    found = _dates_in(western)
    if found:
        return Deadline(max(found), text)
    if _BARE_YEAR.match(text):
        return Deadline(dt.date(int(text), 12, 31), text)
    if any(phrase in text for phrase in STANDING_PHRASES):
        return Deadline(None, text)
    if re.search(r"[\d一二三四五六七八九十]\s*月", text):
        raise DeadlineError(f"“{text}”缺少年份，请写成 2025年6月底 这样带年份的日期")
    raise DeadlineError(f"无法识别“{text}”，请写成 2025年6月30日、2025年6月底、2025-06-30 或“长期坚持”")


def _from_number(value: float) -> dt.date:
    if float(value).is_integer() and 1990 <= value <= 2100:
        return dt.date(int(value), 12, 31)  # a bare year: its end
    if 20000 <= value <= 80000:  # an Excel serial day number (1954–2119) not formatted as a date
        return from_excel(value).date()
    raise DeadlineError(f"无法把数字 {value:g} 当作日期，请写成 2025年6月30日 或 2025-06-30")


def _western_digits(text: str) -> str:
    """二〇二五年六月底 → 2025年6月底; 十二月 → 12月 (Chinese numerals only where dates need them)."""
    text = re.sub(r"十([一二])(?=月)", lambda m: "1" + _CN_DIGITS[m.group(1)], text)
    text = re.sub(r"十(?=月)", "10", text)
    text = re.sub(
        r"[〇零○一二三四五六七八九](?=[〇零○一二三四五六七八九]*年)|(?<=年)[一二三四五六七八九](?=月)",
        lambda m: _CN_DIGITS[m.group(0)],
        text,
    )
    return text


def _dates_in(text: str) -> list[dt.date]:
    """Every date the text names, each as the last day it allows."""
    found: list[dt.date] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    for m in _DAY.finditer(text):
        found.append(_valid_date(_year(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(0)))
        taken.append(m.span())
    for m in _QUARTER.finditer(text):
        if free(m):
            quarter = int(_CN_DIGITS.get(m.group(2) or "", m.group(2) or m.group(3)))
            found.append(_month_end(_year(m.group(1)), quarter * 3))
            taken.append(m.span())
    for m in _MONTH.finditer(text):
        month = int(m.group(2) or m.group(3))
        if free(m) and not 1 <= month <= 12:
            raise DeadlineError(f"“{m.group(0).strip()}”中没有 {month} 月，请检查")
        if free(m):
            found.append(_within_month(_year(m.group(1)), month, m.group(4) or ""))
            taken.append(m.span())
    for m in _HALF.finditer(text):
        if free(m):
            found.append(
                dt.date(_year(m.group(1)), 6, 30)
                if m.group(2) in ("上半年", "年中")
                else dt.date(_year(m.group(1)), 12, 31)
            )
            taken.append(m.span())
    for m in _YEAR_ONLY.finditer(text):
        if free(m):
            found.append(dt.date(_year(m.group(1)), 12, 31))
    return found


def _year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _valid_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DeadlineError(f"“{text.strip()}”不是有效的日期") from None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _within_month(year: int, month: int, part: str) -> dt.date:
    """6月上旬 → the 10th, 中旬 → the 20th, 初 → the 10th; 6月, 6月底, 6月前 → the month's end."""
    if part in ("上旬", "初"):
        return dt.date(year, month, 10)
    if part in ("中旬", "中"):
        return dt.date(year, month, 20)
    return _month_end(year, month)
