"""Review and plan: which parts of a document look back and which set work ahead.

A 政府工作报告 spends half its length on the past year and the past five years ("一、2025年工作回顾",
"过去五年，…", "“十四五”时期…成效") before it sets this year's targets ("今年经济社会发展的主要预期目标是",
"二、2026年工作安排"). Figures in a review are results already reached, never targets.

A part is a review from a top-level heading or a paragraph that opens on the past until a top-level
heading or a paragraph that opens on the present or the future. Past and future are judged against the
document's own year: "2025年工作回顾" looks back in a report of 2026, "“十五五”时期" looks ahead.
"""

from __future__ import annotations

import bisect
import re

from .proposal import Heading, Span

_REVIEW_WORDS = re.compile(
    r"回顾|过去一年|过去五年|过去的一年|一年来|五年来|成效|成就|发展现状|发展基础|工作基础|基本情况|取得的进展|工作总结"
)
_PLAN_WORDS = re.compile(
    r"安排|重点工作|重点任务|主要目标|预期目标|目标任务|今年|明年|下一步|工作思路|总体要求|主要考虑|开好局|起好步|今后|未来"
)
#: A year or a five-year plan named in a heading or at a paragraph's start.
_WHEN = re.compile(r"(?P<year>(?:19|20)\d{2})年|“?十(?P<n>[一二三四五六七八九])五”?")
#: A paragraph that opens on a past stretch: "过去一年，", "五年来，", "“十四五”时期，"; the review runs on
#: until something opens on what is ahead.
_OPENS_PAST = re.compile(
    r"(?:刚刚)?过去(?:的)?(?:一年|五年)|一年来|五年来|这五年|回顾(?:过去|一年|五年)"
    r"|(?P<when>“?十[一二三四五六七八九]五”?(?:规划)?(?:是|，|以来|时期|期间|我们))"
)
#: A paragraph that opens on a past year ("2025年，全市实现…"): its first sentence alone reports.
_OPENS_PAST_YEAR = re.compile(r"(?:19|20)\d{2}年(?:是|，|以来|全年|我们)")
#: A paragraph that opens on what is to be done: "今年是…", "2026年，", "“十五五”时期…", "今后五年", or on the
#: plan being drawn up ("根据《…规划的建议》", "《纲要草案》").
_OPENS_AHEAD = re.compile(
    r"(?:今年|明年)(?!以来)|今后|未来五年|展望|做好(?:今年|明年)|(?:今年|全年)?[^，。]{0,16}主要预期目标"
    r"|(?:根据|按照|依据)?《[^》]{0,80}(?:规划|建议|纲要)[^》]{0,8}》"
    r"|(?P<when>(?:(?:19|20)\d{2}年|“?十[一二三四五六七八九]五”?(?:规划)?)(?:是|，|时期|期间|全年|要|经济社会|工作))"
)
_ADDRESS = re.compile(r"^(?:各位代表|同志们)[！!，,]?")


class ReviewParts:
    """The review parts of a document, looked up by position in log time."""

    def __init__(self, text: str, headings: list[Heading], year: int | None) -> None:
        self.spans = review_spans(text, headings, year)
        self.starts = [start for start, _ in self.spans]

    def holds(self, position: int) -> bool:
        index = bisect.bisect_right(self.starts, position) - 1
        return index >= 0 and position < self.spans[index][1]


def review_spans(text: str, headings: list[Heading], year: int | None) -> list[Span]:
    """The spans of text that look back; empty for a plan that never does."""
    top = {h.span[0]: h for h in headings if h.level == 1 and h.style not in ("inline", "ordinal")}
    spans: list[Span] = []
    in_review, since, position = False, 0, 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        heading = top.get(start)
        if heading is not None:
            review: bool | None = _heading_looks_back(heading.title, year)
        else:
            line = _ADDRESS.sub("", line)
            review = _paragraph_looks_back(line, year)
            if review is None:
                if not in_review and _OPENS_PAST_YEAR.match(line) and _is_past(_WHEN.match(line), year):
                    stop = line.find("。")  # "2025年，全市实现…。": this sentence only
                    spans.append((start, start + stop + 1 if stop >= 0 else position))
                continue
        if review and not in_review:
            since = start
        elif in_review and not review:
            spans.append((since, start))
        in_review = bool(review)
    if in_review:
        spans.append((since, len(text)))
    return spans


def _heading_looks_back(title: str, year: int | None) -> bool:
    """A top-level heading looks back when it names the past before (or without) naming what is ahead."""
    back = _REVIEW_WORDS.search(title)
    ahead = _PLAN_WORDS.search(title)
    for when in _WHEN.finditer(title):
        past = _is_past(when, year)
        if past is True and (back is None or when.start() < back.start()):
            back = when
        elif past is False and (ahead is None or when.start() < ahead.start()):
            ahead = when
    if back is None:
        return False
    return ahead is None or back.start() < ahead.start()


def _paragraph_looks_back(line: str, year: int | None) -> bool | None:
    """True when a paragraph opens on the past, False on what is ahead, None when it opens on neither."""
    past = _OPENS_PAST.match(line)
    if past and (past.group("when") is None or _is_past(_WHEN.search(past.group("when")), year)):
        return True
    ahead = _OPENS_AHEAD.match(line)
    if ahead and (ahead.group("when") is None or _is_past(_WHEN.search(ahead.group("when")), year) is False):
        return False
    return None


def _is_past(when: re.Match[str] | None, year: int | None) -> bool | None:
    """Whether a year (2025年) or a five-year plan (“十四五”) ended before the document's year."""
    if when is None or year is None:
        return None
    if when.group("year"):
        return int(when.group("year")) < year
    last = 1955 + 5 * ("一二三四五六七八九".index(when.group("n")) + 11)  # 十五五 → 2030
    return last < year
