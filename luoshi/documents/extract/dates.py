"""Target years and deadlines: "到2025年", "2020年如期开工", "6月底前", "用五年左右的时间", "十四五"末."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import cn2an

_N = r"[一二两三四五六七八九十\d]+"
_YEAR = re.compile(
    r"(?P<lead>到|至|截至|截止到|截止|在|于|力争|争取)?(?P<year>(?:19|20)\d{2})年"
    r"(?:(?P<month>1[0-2]|[1-9])月)?(?P<tail>底前|末前|底|末|前|以前|之前|内)?"
)
#: "“十五五”时期", "“十五五”末", and the plan's goals named bare: "“十五五”主要目标任务", "十五五规划纲要".
_FIVE_YEAR_PLAN = re.compile(
    r"“?十(?P<n>[一二三四五六七八九])五”?(?:规划)?(?P<tail>期间|时期|末期|末|(?=(?:主要|发展)?目标|规划?纲要))"
)
_MONTH = re.compile(
    r"(?<![\d年])(?P<month>1[0-2]|[1-9])月(?P<tail>底前|底|末|中旬前|上旬前|下旬前|前|以前|之前)"
)
_THIS_YEAR = re.compile(r"(?<![\d一二两三四五六七八九十均每])(?:年底前|年内|年底|年末|今年|本年度|全年)")
_NEXT_YEAR = re.compile(r"明年(?:底前|底|年底|末)?")
_WITHIN = re.compile(
    rf"(?:用|利用|花)(?P<n>{_N})年(?:左右)?(?:的)?时间|(?<![\d至到])(?P<m>{_N})年(?:之)?内"
    rf"|(?<![\d至到第])(?P<k>{_N})年(?=新|累计|建成|培育|引进|招引|完成|招聘|改造|实施|签约)"  # 三年新增…: a total over three years
)
_PERIOD = re.compile(r"(?P<start>(?:19|20)\d{2})年?\s*[—–\-~至到]+\s*(?P<end>(?:19|20)\d{2})年")
#: Years that name a baseline rather than a deadline: "比2020年", "在2022年基础上", "2022年基数"; and the long-range
#: vision a five-year plan is measured against ("综合考虑实现2035年远景目标…，提出…年均增长5%").
_BASELINE_BEFORE = ("比", "较", "与", "同", "相比")
_BASELINE_AFTER = ("基础", "基数", "水平", "同期", "相比", "的基础", "年度基数", "远景目标")


@dataclass
class PlanDates:
    """The plan's own year (an annual plan) or period, read from its title."""

    year: int | None
    period: tuple[int, int] | None

    @property
    def start(self) -> int | None:
        return self.year if self.year is not None else (self.period[0] if self.period else None)


@dataclass
class DateMention:
    """A deadline or target year found in the text; year None when only a duration is known."""

    start: int
    end: int
    year: int | None
    within_years: int | float | None = None
    month: int | None = None


def find_dates(text: str, start: int, end: int, plan_year: int | None) -> list[DateMention]:
    """Deadline-like date expressions in text[start:end], baselines left out, in text order.

    plan_year is the year the document speaks in: 今年, 年底前, 6月底前 fall in it, 明年 in the next.
    """
    found: list[DateMention] = []
    for match in _YEAR.finditer(text, start, end):
        if _is_baseline(text, match.start("year"), match.end()):
            continue
        if _PERIOD.match(text, match.start("year")):
            continue  # "2023年至2025年": the end year is found on its own
        month = int(match.group("month")) if match.group("month") else None
        found.append(DateMention(match.start(), match.end(), int(match.group("year")), month=month))
    for match in _FIVE_YEAR_PLAN.finditer(text, start, end):
        number = cn2an.cn2an("十" + match.group("n"), "smart")
        found.append(DateMention(match.start(), match.end(), 1955 + 5 * int(number)))
    for match in _WITHIN.finditer(text, start, end):
        count = cn2an.cn2an(match.group("n") or match.group("m") or match.group("k"), "smart")
        found.append(DateMention(match.start(), match.end(), None, within_years=count))
    if plan_year is not None:
        covered = bytearray(end - start)  # where a dated expression was already found
        for date in found:
            covered[date.start - start : date.end - start] = b"\x01" * (date.end - date.start)
        for pattern, offset in ((_MONTH, 0), (_THIS_YEAR, 0), (_NEXT_YEAR, 1)):
            for match in pattern.finditer(text, start, end):
                if not covered[match.start() - start]:
                    month = int(match.group("month")) if "month" in pattern.groupindex else None
                    found.append(DateMention(match.start(), match.end(), plan_year + offset, month=month))
    found.sort(key=lambda d: d.start)
    return found


class DateIndex:
    """Every date of a text found in one pass, looked up by span in log time."""

    def __init__(self, text: str, plan_year: int | None) -> None:
        self.dates = find_dates(text, 0, len(text), plan_year)
        self.starts = [date.start for date in self.dates]

    def within(self, start: int, end: int) -> list[DateMention]:
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return [date for date in self.dates[low:high] if date.end <= end]


def _is_baseline(text: str, year_start: int, end: int) -> bool:
    before = text[max(0, year_start - 2) : year_start]
    after = text[end : end + 4]
    return before.endswith(_BASELINE_BEFORE) or after.startswith(_BASELINE_AFTER)


def plan_year_and_period(title: str | None) -> tuple[int | None, tuple[int, int] | None]:
    """The plan's own year ("2024年…工作方案") or period ("（2023—2025年）") from its title."""
    if not title:
        return None, None
    period = _PERIOD.search(title)
    if period:
        return None, (int(period.group("start")), int(period.group("end")))
    years = {int(match.group("year")) for match in _YEAR.finditer(title)}
    return (years.pop(), None) if len(years) == 1 else (None, None)
