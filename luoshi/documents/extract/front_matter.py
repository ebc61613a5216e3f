"""The document's front matter: its title past any web page chrome, and the date and year it speaks in.

Text copied from a web page starts with the page's chrome (下载 / 打印 / 【字号：… / 当前位置：首页 > …, a URL,
a 来源： note); none of it is ever the title. The date comes from the lines that carry one in official
documents: "——2026年1月27日在…会议上" under a speech's title, "（2026年1月5日印发）", "时间：2026-02-02",
a date alone on the last lines; failing those, "今年是“十五五”开局之年" names the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .proposal import DocumentDate

#: A line of web page chrome: navigation, share and print buttons, font size, the source and time notes.
_CHROME = re.compile(
    r"(?:https?://|www\.)\S*|(?:来源|source|出处|稿源|作者|编辑|责任编辑|发布时间|发布日期|时间|日期|浏览次数|点击数|阅读量?)"
    r"\s*[：:].*|(?:下载|打印|全屏|收藏|分享|关闭|关闭窗口|打印本页|加大|还原|减小|默认|首页|[大中小]|[>›»】]|【)"
    r"|【?字号\s*[：:]?.*|【[^】]{0,12}】|(?:您的位置|您所在的位置|当前位置)\s*[：:]?.*|扫一扫.*|分享到.*",
    re.IGNORECASE,
)
#: Words that name a kind of document; a title-like line holding one is preferred to navigation above it.
_KIND = re.compile(
    r"报告|方案|意见|通知|规划|要点|计划|办法|讲话|决定|纲要|清单|措施|细则|规定|公告|通报|总结|条例"
)
_HEADING_START = re.compile(
    r"(?:第[一二三四五六七八九十百\d]+[章节条部]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.、）])"
)
_LOOK_AHEAD = 8
_MAX_TITLE = 80

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DATE = r"(?P<year>(?:19|20)\d{2})年(?P<month>1[0-2]|0?[1-9])月(?P<day>[12]\d|3[01]|0?[1-9])日"
#: "——2026年1月27日在…人民代表大会…上", "（2026年1月27日在…会议上）", "（2026年1月5日）" under a title:
#: when a speech was given.
#: The dash may be typed with any dash-like character: — (U+2014), ― (U+2015), – (U+2013), ─ (U+2500), -.
_DASH = "—―–─\\-"
_DELIVERED = re.compile(rf"^[{_DASH}（(]*\s*{_DATE}在")
_DATE_UNDER_TITLE = re.compile(rf"^[{_DASH}（(]+\s*{_DATE}[）)]?$")
_ISSUED = re.compile(
    rf"(?:(?:印发|成文|发布)日期[：:]\s*|(?=(?:19|20)\d{{2}}年\d{{1,2}}月\d{{1,2}}日(?:印发|发布|公布))){_DATE}"
)
_DATE_LINE = re.compile(
    r"^(?:时间|日期|发布时间|发布日期|印发日期|成文日期)\s*[：:]\s*"
    r"(?P<year>(?:19|20)\d{2})[-年/.](?P<month>\d{1,2})[-月/.](?P<day>\d{1,2})"
)
_DATE_ALONE = re.compile(rf"^[（(]?{_DATE}[）)]?$")
#: "今年是“十五五”开局之年", "今年是“十四五”规划收官之年".
_THIS_YEAR_IS = re.compile(
    r"今年是[^。；，]{0,12}?“?十(?P<n>[一二三四五六七八九])五”?(?:规划)?(?P<when>开局|起步|收官|攻坚|关键)之年"
)
_HEAD_LINES = 24
_TAIL_LINES = 8


def is_chrome(line: str) -> bool:
    """True for a line of web page chrome (下载, 【字号：, 来源：…, a URL): never a title or a heading."""
    return bool(_CHROME.fullmatch(line.strip()))


def document_title(text: str) -> str | None:
    """The title: the first line past the page chrome when it reads as a title (short, not a sentence).

    Navigation above the title (首页 > 要闻 > 要闻) is passed over when a title-like line naming a kind of
    document (…报告, …方案, …通知) follows before the first sentence.
    """
    lines = [line.strip() for line in text.split("\n", 200)[:200]]
    candidates = [line for line in lines if line and not is_chrome(line)]
    if not candidates:
        return None
    first = candidates[0]
    if _titled(first) and _KIND.search(first):
        return first
    if len(first) <= _MAX_TITLE:
        for line in candidates[1:_LOOK_AHEAD]:
            if "。" in line:
                break
            if _titled(line) and _KIND.search(line):
                return line
    return first if _titled(first) else None


def _titled(line: str) -> bool:
    return (
        len(line) <= _MAX_TITLE
        and not _HEADING_START.match(line)
        and not line.endswith(("：", "；"))
        and not re.search(r"[。！？]", line)
    )


@dataclass
class _Found:
    year: int
    date: str | None
    start: int
    end: int
    source: str


def document_date(text: str, title_year: int | None) -> DocumentDate | None:
    """When the document was given or issued, and the year its 今年 means.

    The year is the title's single year (2026年…政府工作报告) when there is one, else the year of the date.
    """
    found = _dated(text) or _this_year_is(text)
    if found is None:
        if title_year is None:
            return None
        title_at = text.find(f"{title_year}年")
        return DocumentDate(
            year=title_year, date=None, text=f"{title_year}年", span=(title_at, title_at + 5), source="title"
        )
    return DocumentDate(
        year=title_year or found.year,
        date=found.date,
        text=text[found.start : found.end],
        span=(found.start, found.end),
        source=found.source,
    )


def _dated(text: str) -> _Found | None:
    """The first date of a kind the head or tail lines give: delivered, issued, dated, signed."""
    head = _numbered_lines(text, 0, text[:6000].split("\n")[:_HEAD_LINES])
    tail_start = text.rfind("\n", 0, max(0, len(text) - 1500)) + 1
    tail = _numbered_lines(text, tail_start, text[tail_start:].split("\n"))[-_TAIL_LINES:]
    for source, pattern, where in (
        ("delivered", _DELIVERED, head),
        ("delivered", _DATE_UNDER_TITLE, head),
        ("issued", _ISSUED, head + tail),
        ("signed", _DATE_ALONE, tail),
        ("dated", _DATE_LINE, head),
    ):
        for start, line in where:
            match = pattern.search(line.translate(_CN_DIGITS)) if source == "signed" else pattern.search(line)
            if match:
                year = int(match.group("year"))
                date = f"{year:04d}-{int(match.group('month')):02d}-{int(match.group('day')):02d}"
                return _Found(year, date, start + match.start(), start + match.end(), source)
    return None


def _numbered_lines(text: str, position: int, raw_lines: list[str]) -> list[tuple[int, str]]:
    """The non-blank lines with where each starts in text."""
    lines = []
    for line in raw_lines:
        if line.strip():
            lines.append((position, line))
        position += len(line) + 1
    return lines


def _this_year_is(text: str) -> _Found | None:
    match = _THIS_YEAR_IS.search(text)
    if match is None:
        return None
    first = 1955 + 5 * ("一二三四五六七八九".index(match.group("n")) + 10) + 1  # 十五五 → 2026–2030
    year = first + 4 if match.group("when") == "收官" else first
    return _Found(year, None, match.start(), match.end(), "this_year")
