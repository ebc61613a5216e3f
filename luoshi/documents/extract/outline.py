"""Step 1, the outline: numbered headings (第X章/条, 一、, （一）, 1., （1）, ①, inline 一是…/一要…) as a tree.

Levels come from the order of numbering styles in Chinese official documents, but only the styles a
document actually uses count: a 第X条 article holding （一） items puts them one level down, with no gap.
A heading's level is its style's rank among the styles used, whatever sits between it and its parent:
一是… directly under 一、 is level 3 in a document that also uses （一）.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .proposal import Heading, Span
from .text import Prepared

_CN = "一二三四五六七八九十"
_ORDINAL = rf"第[{_CN}百零〇\d]+"
_HEADING = re.compile(
    rf"(?P<chapter>{_ORDINAL}(?:章|部分))|(?P<section>{_ORDINAL}节)|(?P<article>{_ORDINAL}条)"
    rf"|(?P<cn>[{_CN}]+、)|(?P<cn_paren>（[{_CN}]+）)|(?P<num_paren>（\d{{1,2}}）|\d{{1,2}}）)"
    r"|(?P<num>\d{1,2}(?:\.|、)(?!\d))|(?P<circled>[①-⑳])"
)
#: Rank of each numbering style, outermost first; "ordinal" is 第一，…第二，… and "inline" 一是…二是… in a paragraph.
STYLE_RANK = {
    "chapter": 0,
    "section": 1,
    "article": 2,
    "cn": 3,
    "cn_paren": 4,
    "num": 5,
    "num_paren": 6,
    "circled": 7,
    "ordinal": 8,
    "inline": 9,
}
_INLINE = re.compile(
    rf"(?:(?<=[。；：！？，\n])|^)(?:(?P<marker>[{_CN}]{{1,2}}[是要])(?!的|否|为了|素|求|点|件)|(?P<ordinal>第[{_CN}]{{1,2}})，)",
    re.MULTILINE,
)
_TITLE_END = re.compile(r"[。！？；：]")
#: A heading typed straight into its first sentence ("…统一到部署要求上来省委、省政府高度重视…"):
#: a directional complement closes the heading; what follows it is the paragraph's subject.
_RUN_ON = re.compile(r"(?:上来|起来|下去|出来)(?=[\u4e00-\u9fff])")
_MIN_RUN_ON_TITLE = 30


@dataclass
class _Found:
    style: str
    marker: str
    span: Span
    title_span: Span


def find_outline(doc: Prepared) -> list[Heading]:
    """All headings in text order, each with its level and parent."""
    found = _line_headings(doc) + _inline_headings(doc)
    found.sort(key=lambda f: f.span[0])
    headings: list[Heading] = []
    stack: list[tuple[int, Heading]] = []
    used = sorted({STYLE_RANK[item.style] for item in found})
    for number, item in enumerate(found, start=1):
        rank = STYLE_RANK[item.style]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        title = doc.text[item.title_span[0] : item.title_span[1]]
        heading = Heading(
            id=f"h{number}",
            level=used.index(rank) + 1,
            style=item.style,
            marker=item.marker,
            title=title,
            span=item.span,
            title_span=item.title_span,
            parent=stack[-1][1].id if stack else None,
        )
        headings.append(heading)
        stack.append((rank, heading))
    return headings


def _line_headings(doc: Prepared) -> list[_Found]:
    text = doc.text
    found = []
    position = 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        match = _HEADING.match(line)
        if not match or doc.in_quotes(start):
            continue
        style = match.lastgroup or ""
        title_start = start + match.end()
        while title_start < start + len(line) and text[title_start] == " ":
            title_start += 1
        title_end = _title_end(text, title_start, start + len(line))
        if title_end <= title_start:
            continue
        found.append(_Found(style, match.group().strip(), (start, title_end), (title_start, title_end)))
    return found


def _title_end(text: str, start: int, line_end: int) -> int:
    stop = _TITLE_END.search(text, start, line_end)
    if stop is None:
        end = line_end
        while end > start and text[end - 1] in "，、 \t":
            end -= 1
        return end
    if stop.start() - start > _MIN_RUN_ON_TITLE:
        run_on = _RUN_ON.search(text, start + _MIN_RUN_ON_TITLE // 2, stop.start())
        if run_on:
            return run_on.end()
    return stop.start()


def _inline_headings(doc: Prepared) -> list[_Found]:
    """一是…二是…: kept only as a run that starts at 一 and counts up, so a stray 一是 is not a heading."""
    text = doc.text
    candidates = [m for m in _INLINE.finditer(text) if not doc.in_quotes(m.start())]
    found: list[_Found] = []
    runs: dict[str, list[re.Match[str]]] = {}  # 第一，… runs on around the 一是… inside each of its items
    for match in candidates:
        marker = match.group("marker") or match.group("ordinal")
        style = marker[-1] if match.group("marker") else "第"
        number = _numeral(marker[:-1] if match.group("marker") else marker[1:])
        run = runs.get(style, [])
        if number == 1:
            found.extend(_run_items(text, run))
            runs[style] = [match]
        elif run and number == len(run) + 1:
            run.append(match)
    for run in runs.values():
        found.extend(_run_items(text, run))
    return sorted(found, key=lambda item: item.span[0])


def _run_items(text: str, run: list[re.Match[str]]) -> list[_Found]:
    if len(run) < 2:
        return []
    items = []
    for index, match in enumerate(run):
        title_start = match.end()
        limit = text.find("\n", title_start)
        limit = len(text) if limit < 0 else limit
        if index + 1 < len(run):  # "一是…，二是…": an item ends where the next begins
            limit = min(limit, run[index + 1].start())
        stop = _TITLE_END.search(text, title_start, limit)
        title_end = stop.start() if stop else limit
        while title_end > title_start and text[title_end - 1] in "，、 ":
            title_end -= 1
        marker = match.group("marker") or match.group("ordinal")
        style = "inline" if match.group("marker") else "ordinal"  # 第一，… holds the 一是… inside it
        items.append(_Found(style, marker, (match.start(), title_end), (title_start, title_end)))
    return items


def _numeral(text: str) -> int:
    """一 → 1 … 十 → 10, 十二 → 12."""
    if len(text) == 1:
        return _CN.index(text) + 1
    tens, _, ones = text.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)
