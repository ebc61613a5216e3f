"""Step 4, tasks: the sentences under each heading that ask for work, one task per sentence.

"要…。要…。" becomes two tasks. A sentence is a task when, past its openers (同时, 比如 …) and a
leading deadline (6月底前，), it starts with a directive word or with a unit that is given the duty.
A responsibility note ("（牵头单位：…）") applies to every task under its heading.
"""

from __future__ import annotations

import bisect
import re

from .dates import DateIndex
from .proposal import Heading, Target, Task, TaskUnit, UnitMention
from .target_words import STAGES
from .text import Prepared, split_spans

_DIRECTIVE = re.compile(
    r"(?:要(?!求|素|点|件)|必须|务必|确保|力争|争取|加快|推进|推动|加强|强化|积极|全力|深入|大力|持续|继续|坚持|坚决|"
    r"抓紧|尽快|扎实|全面|着力|切实|认真|进一步|严格|统筹|建立|健全|完善|实施|开展|组织|落实|探索|鼓励|支持|引导|"
    r"完成|实现|建设|打造|培育|提升|优化|推行|深化|拓展|规范|畅通|依托|围绕|发挥|做好|做大|加大|提高|引进|制定|出台|"
    r"设立|推广|构建|保障|压缩|降低|新增|聚焦|用好|抓好|迅速|主动|有序|有效|高标准|高质量|下大力|集中)"
)
_OPENERS = re.compile(
    r"^(?:(?:同时|此外|另外|其中|特别是|特别要|尤其是|比如|例如|再如|首先|其次|最后|就是|就|还要|也要|都要|并且|并|而且|"
    r"总之|因此|为此|对此|初步预测|预计)[，、]?)+"
)
_LEADING_DATE = re.compile(
    r"^(?:(?:到|至|截至|在|于|力争|争取|确保)*(?:(?:19|20)\d{2}年(?:\d{1,2}月)?|\d{1,2}月)(?:底|末|中旬|上旬|下旬)?"
    r"(?:前|以前|之前)?|年底前|年内|今年|全年)[，、]?"
)
_NOTE = re.compile(r"（(?:牵头|责任|主责|配合|协办|参与)(?:单位|部门)：")
_TITLE_STOP = re.compile(r"[，；：。！？]")
#: A first clause that only frames the work ("按照“一港双城”思路，…"); the title is the next clause.
_FRAME = re.compile(
    r"^(?:按照|根据|结合|对照|围绕|依据|遵照|为).*(?:要求|思路|部署|原则|精神|规定|实际|契机|目标|需要)$"
)
#: A first clause that only names who leads ("县金融服务中心牵头，组织…").
_ONLY_DUTY = re.compile(r"(?:要|也要)?(?:牵头|负责)$")
#: A short subject given a duty: "各责任单位也要…", "“一市三园”要…".
_SUBJECT_DUTY = re.compile(r"[^，。；：]{1,14}?(?<![重主需只必纲概摘首想])要(?![求素点件害是么])")
_MAX_TITLE = 40
_ROLES_ON_TASKS = ("lead", "support", "all", "counterpart")


def find_tasks(
    doc: Prepared,
    headings: list[Heading],
    mentions: list[UnitMention],
    targets: list[Target],
    plan_year: int | None,
    dates: DateIndex | None = None,
) -> list[Task]:
    """Tasks in text order, each under the heading whose body holds it."""
    text = doc.text
    index = _Index(mentions, targets)
    dates = dates or DateIndex(text, plan_year)
    tasks: list[Task] = []
    for heading_id, body in _bodies(text, headings):
        body_tasks: list[Task] = []
        notes: list[tuple[int, int]] = []
        for start, end in _sentences(text, body, index.duty_starts):
            if _NOTE.match(text, start):
                notes.append((start, end))
            elif not doc.in_quotes(start) and "\t" not in text[start:end]:
                title = _title(text, start, end, index.duty_starts, bool(index.targets_in((start, end))))
                if title:
                    body_tasks.append(_task(doc, heading_id, title, (start, end), index, dates))
        for note in notes:  # the note names who answers for every task above it
            note_units = index.units_in(note)
            for task in body_tasks:
                task.units.extend(u for u in note_units if u not in task.units)
        tasks.extend(body_tasks)
    for number, task in enumerate(tasks, start=1):
        task.id = f"task{number}"
    return tasks


class _Index:
    """Mentions and targets sorted by position, so each sentence finds its own in log time."""

    def __init__(self, mentions: list[UnitMention], targets: list[Target]) -> None:
        self.mentions = sorted((m for m in mentions if m.role in _ROLES_ON_TASKS), key=lambda m: m.span[0])
        self.mention_starts = [m.span[0] for m in self.mentions]
        self.targets = sorted(targets, key=lambda t: t.value_span[0])
        self.target_starts = [t.value_span[0] for t in self.targets]
        self.duty_starts = {m.span[0] for m in mentions if m.role in ("lead", "all")}

    def units_in(self, span: tuple[int, int]) -> list[TaskUnit]:
        low = bisect.bisect_left(self.mention_starts, span[0])
        high = bisect.bisect_left(self.mention_starts, span[1])
        units: list[TaskUnit] = []
        for mention in self.mentions[low:high]:
            unit = TaskUnit(mention.name, mention.role)
            if unit not in units:
                units.append(unit)
        return units

    def targets_in(self, span: tuple[int, int]) -> list[str]:
        low = bisect.bisect_left(self.target_starts, span[0])
        high = bisect.bisect_left(self.target_starts, span[1])
        return [t.id for t in self.targets[low:high]]


def _sentences(text: str, body: tuple[int, int], duty_starts: set[int]) -> list[tuple[int, int]]:
    """The body's sentences, cut again where a later clause hands the duty to another unit.

    A responsibility note is kept whole though it may hold a "；".
    """
    sentences: list[tuple[int, int]] = []
    for start, end in split_spans(text, body):
        previous = sentences[-1] if sentences else None
        if previous and _NOTE.match(text, previous[0]) and not text[previous[0] : previous[1]].endswith("）"):
            sentences[-1] = (previous[0], end)
            continue
        cuts = [p for p in range(start + 1, end) if p in duty_starts and text[p - 1] == "，"]
        if cuts and not _SUBJECT_DUTY.match(_OPENERS.sub("", text[start : cuts[0]])):
            cuts = cuts[1:]  # "比如，落实…问题，组人部要…": the words before the first unit set its scene
        for cut in cuts:
            sentences.append((start, cut))
            start = cut
        sentences.append((start, end))
    return sentences


def _bodies(text: str, headings: list[Heading]) -> list[tuple[str | None, tuple[int, int]]]:
    """(heading id, body span) pairs: the text between a heading's title and the next heading."""
    bodies: list[tuple[str | None, tuple[int, int]]] = []
    first_line_end = text.find("\n")
    previous_id, previous_end = None, first_line_end + 1 if first_line_end >= 0 else 0
    for heading in headings:
        bodies.append((previous_id, (previous_end, heading.span[0])))
        previous_id, previous_end = heading.id, heading.title_span[1]
    bodies.append((previous_id, (previous_end, len(text))))
    return [(hid, span) for hid, span in bodies if span[1] > span[0]]


def _title(text: str, start: int, end: int, duty_starts: set[int], has_target: bool) -> str | None:
    """The task's short title, or None when the sentence neither asks for work nor sets a target.

    A sentence asks for work when it opens with a directive (要, 加快, 推进 …), when a unit or
    subject is given a duty early on ("X要…", "“一市三园”要…"), or when a clause opens with a unit
    that leads ("比如，对…政策，工业园区财政局要…"); the title is then that clause.
    """
    sentence = text[start:end]
    stripped = _OPENERS.sub("", sentence)
    stripped = _LEADING_DATE.sub("", stripped, count=1) or stripped
    offset = end - len(stripped)
    clauses = _clauses(stripped, offset)
    if not clauses:
        return None
    led = next(
        ((s, c) for s, c in clauses if s in duty_starts or (c.startswith("由") and s + 1 in duty_starts)),
        None,
    )
    if not (_DIRECTIVE.match(stripped) or _SUBJECT_DUTY.match(stripped) or has_target or led):
        return None
    first_start, title = clauses[0]
    if led:  # the clause that hands a unit its duty says best what the task is
        first_start, title = led
    index = [s for s, _ in clauses].index(first_start)
    only_names_lead = first_start in duty_starts and _ONLY_DUTY.search(title)
    if index + 1 < len(clauses) and (_FRAME.match(title) or only_names_lead):
        title = clauses[index + 1][1]  # "按照…要求，" frames the work; "X牵头，" only names who leads it
    title = title.removeprefix("也要").removeprefix("都要").removeprefix("要")
    if len(title) < 2:
        return None
    return title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1] + "…"


def _clauses(text: str, offset: int) -> list[tuple[int, str]]:
    """(absolute start, text) of each non-empty clause."""
    clauses, start = [], 0
    for match in _TITLE_STOP.finditer(text + "。"):
        if match.start() > start:
            clauses.append((offset + start, text[start : match.start()]))
        start = match.end()
    return clauses


def _task(
    doc: Prepared, heading_id: str | None, title: str, span: tuple[int, int], index: _Index, dates: DateIndex
) -> Task:
    text = doc.text
    target_ids = index.targets_in(span)
    body = text[span[0] : span[1]]
    if target_ids:
        kind = "target"
    elif re.search("项目|工程", body) and STAGES.search(body):
        kind = "project"
    else:
        kind = "measure"
    dated = [d for d in dates.within(*span) if d.year is not None]
    return Task(
        id="",
        heading=heading_id,
        title=title,
        text=body,
        span=span,
        kind=kind,
        units=index.units_in(span),
        targets=target_ids,
        year=dated[0].year if dated else None,
        deadline_text=text[dated[0].start : dated[0].end] if dated else None,
    )
