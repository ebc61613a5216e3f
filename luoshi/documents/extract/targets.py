"""Step 2, quantitative targets: indicator, comparator, value in base units, unit, year and kind.

Each number with a measure unit is read in its clause: words around it give the comparator and
the kind (absolute, multiple of a baseline, relative to another series, yearly increment), the
sentence gives the year. Whether a number is a target at all is decided by the ordered rules of
target_rules.py; this module reads the names, the dates and the 分别 lists around them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from decimal import Decimal

from . import target_rules as rules
from . import target_words as words
from .dates import DateIndex, DateMention, PlanDates
from .proposal import Heading, Target
from .quantities import (
    COUNT_MEASURES,
    QUANTITY,
    RANGE_HIGH_AFTER,
    Quantity,
    plain_number,
    quantity_from_match,
    with_range,
)
from .target_table import target_table_spans
from .text import Prepared

#: How close a clause without an indicator must follow the target whose indicator it takes.
_INHERIT_REACH = 2
_LEADING_YEAR = re.compile(
    r"^(?:到|至|在|截至)?(?:(?:19|20)\d{2}年(?:底|末)?(?:前)?|\d{1,2}月(?:底|末|中旬|上旬|下旬)?(?:前|以前)?"
    r"|第?[一二三四]季度(?:末|前)?|上半年|下半年|年内|年底前)"
)
#: "非常规天然气产量2030年达到…": a year between the name and its verb.
_TRAILING_YEAR = re.compile(r"(?<=[\u4e00-\u9fff])(?:到|至|在)?(?:19|20)\d{2}年(?:底|末)?(?:前)?$")
_WRITTEN_AFTER = re.compile(r"(?:以上|以内|以下|左右)?的([\u4e00-\u9fff]{2,12})")
#: 20万吨级, 2400平方公里的新城, 5000万元以上项目: the number describes something else.
_COUNTED_NOUN = re.compile(r"(?!以上|以下|以内|左右|的)[\u4e00-\u9fff“”]{2,24}")
_SCOPE_IN_BRACKETS = re.compile(r"（[^（）]{0,12}(?:以上|以下|及以上|及以下)）")
_AT_LEAST_WORD = re.compile(r"^(?:及以上|以上)(?!的)")
#: A short heading that announces the plan's targets: 主要目标, 发展目标, 目标任务, 主要指标.
_TARGETS_HEADING = re.compile(r"目标|指标")
_LIST_JOINER = re.compile(r"(?:以及|和|及|与|或)$")


def find_targets(
    doc: Prepared, headings: list[Heading], plan: PlanDates, dates: DateIndex | None = None
) -> list[Target]:
    """Targets in running text, in text order; table rows are read by target_table."""
    text = doc.text
    sections = _Sections(headings)
    tables = target_table_spans(doc.text)
    dates = dates or DateIndex(text, plan.year)
    found: list[Target] = []
    paired: set[int] = set()  # numbers already read as the later values of a 分别 list
    for match in QUANTITY.finditer(text):
        quantity = quantity_from_match(match)
        quantity = quantity and with_range(text, quantity)
        if (
            quantity is not None
            and quantity.start not in paired
            and not _skipped_position(doc, quantity, tables)
        ):
            target = _read_quantity(doc, quantity, plan, sections, dates, found[-1] if found else None)
            if target is not None:
                items = _respectively(doc, target, quantity, paired) or [target]
                for item in items[1:]:  # the later values of a 分别 list, decided with the first
                    rules.note_like(item.value_span, target.value_span)
                found.extend(items)
    for match in words.DOUBLING_RE.finditer(text):
        if not doc.in_quotes(match.start()):
            target = _read_doubling(doc, match, plan, dates)
            if target is not None:
                rules.note(target.value_span, "doubling")
                found.append(target)
    attach_headings(found, headings)
    return found


def _skipped_position(doc: Prepared, quantity: Quantity, tables: list[tuple[int, int]]) -> bool:
    text = doc.text
    before = text[quantity.start - 1 : quantity.start]
    after = text[quantity.end : quantity.end + 1]
    if doc.in_quotes(quantity.start) or (before.isascii() and before.isalnum()) or before in ("第", ".", "-"):
        return True
    if quantity.unit == "个" and after == "月":
        return True  # 一个月, 三个月: a duration
    if quantity.unit == "%" and RANGE_HIGH_AFTER.match(text, quantity.end):
        return True  # the low end of 4.5%-5%, read with its high end
    if quantity.number_text == "一" and quantity.unit in COUNT_MEASURES:
        return True  # 一个, 一家: the article "a"
    return any(start <= quantity.start < end for start, end in tables)  # read by target_table


def _read_quantity(
    doc: Prepared,
    quantity: Quantity,
    plan: PlanDates,
    sections: _Sections,
    dates: DateIndex,
    previous: Target | None = None,
) -> Target | None:
    """Read one number in its clause; None when it is not a target. The deciding rule is noted for tracing."""
    clause = rules.Clause.around(doc, quantity, plan, sections.announces_targets(quantity.start), previous)
    skipped = rules.first_skip(clause)
    if skipped:
        rules.note((quantity.start, quantity.end), skipped)
        return None
    candidate = _candidate(clause, rules.as_meant(clause, rules.reading(clause)))
    kept, rule = rules.decide(candidate)
    date = _target_date(clause, sections, dates) if kept else None
    if date and date.year is not None and plan.start is not None and date.year < plan.start:
        kept, rule = False, "before_the_plan"  # a year before the plan starts is history, not a target
    rules.note((quantity.start, quantity.end), rule)
    return _target(candidate, date) if kept else None


def _candidate(clause: rules.Clause, reading: rules.Reading) -> rules.Candidate:
    """The number named: a counted list of projects names itself, else the words around it do."""
    project = _project_list(clause.quantity, clause.left, clause.right)
    if project:
        return rules.Candidate.of(clause, reading, project, project)
    text, previous = clause.text, clause.previous
    fallback = _previous_object(text, clause.sentence[0], clause.span[0])
    if (
        not fallback
        and previous is not None
        and previous.span[1] >= clause.sentence[0]
        and _YEAR_CLAUSE_BEFORE.search(text, max(0, clause.span[0] - 10), clause.span[0])
    ):
        fallback = previous.indicator  # 2026年，…覆盖率达到75%；2027年，达到85%
    indicator = rules.funded_programme(clause) or _indicator_name(
        clause.quantity, reading.indicator_words, clause.right, fallback, clause.head
    )
    return rules.Candidate.of(clause, reading, indicator)


def _target_date(clause: rules.Clause, sections: _Sections, dates: DateIndex) -> DateMention | None:
    position = clause.quantity.start
    return (
        _date_for(dates, position, clause.span, clause.sentence, clause.text, sections.start_of(position))
        or _five_year_goals(clause.text, clause.sentence[0], clause.plan.year)
        or sections.dated_by_heading(position, dates)
    )


def _target(candidate: rules.Candidate, date: DateMention | None) -> Target:
    clause, reading = candidate.clause, candidate.reading
    text, quantity, (start, end) = clause.text, clause.quantity, clause.span
    stage = None
    if candidate.project:
        stage_match = words.STAGES.search(text, quantity.end, end)
        stage = stage_match.group() if stage_match else None
    return Target(
        id="",
        indicator=candidate.indicator,
        comparator=reading.comparator or "eq",
        value=plain_number(reading.value),
        unit=reading.unit,
        kind=reading.kind,
        year=date.year if date else clause.plan.year,
        within_years=date.within_years if date else None,
        span=(start, end),
        value_span=(quantity.start, quantity.end),
        text=text[start:end],
        relative_to=reading.relative_to,
        stage=stage,
        deadline_text=text[date.start : date.end] if date else None,
    )


def _indicator_name(
    quantity: Quantity, indicator_words: str, right: str, fallback: str, clause_head: str = ""
) -> str:
    """The indicator: the words before the number, unless the thing counted or measured follows it."""
    own = _indicator(indicator_words)
    indicator = "" if own in _ONLY_PREPOSITION else (own or fallback)
    # 提升改造210公里农村公路和120万平方米村内道路: a verb, or another figure, before the number
    verb_or_figure = bool(indicator) and bool(
        words.VERB_ONLY.fullmatch(indicator) or QUANTITY.search(indicator)
    )
    # 建成20个…工程: nothing of its own before; 店头电厂二期等402万千瓦机组: only the list's names before
    verb_or_figure = (
        verb_or_figure
        or (not own and bool(fallback))
        or own.endswith("等")
        or bool(rules.VERB_AT_END.search(own))
    )
    counts = quantity.unit in COUNT_MEASURES or verb_or_figure
    thing_after = _SIZE_BEFORE_THING.sub("", _AT_LEAST_WORD.sub("", _ABOUT.sub("", right, 1), 1), 1)
    counted = _counted_thing(thing_after) if counts else ""
    listed = bool(indicator_words) and indicator_words != clause_head  # 医学影像、…、消毒供应5个资源共享中心
    if counted and (listed or verb_or_figure or not indicator.endswith(words.METRIC_ENDINGS)):
        indicator = counted  # 50家企业超低排放改造
    written_after = _attributive_indicator(right)
    if written_after.endswith(words.METRIC_ENDINGS) and not indicator.endswith(words.METRIC_ENDINGS):
        indicator = written_after  # 高于全省2.5个百分点的发展增速
    return indicator


#: "20个500千伏输变电工程": the size of the things counted, written between the count and the things.
_SIZE_BEFORE_THING = re.compile(r"^\d+(?:\.\d+)?(?:万|亿)?(?:千伏|千瓦|兆瓦|吨|平方米|米|公里|MW)(?:级)?")
#: "从15个县（市）扩大到57个": the starting level is not part of the indicator's name.
_FROM_LEVEL = re.compile(r"从\d[^，。；]*$")
_YEAR_CLAUSE_BEFORE = re.compile(r"(?:19|20)\d{2}年(?:底|末)?，$")
_BOTH = re.compile(r"(?<![年人平])均(?=达到|不低于|不少于|超过|保持|稳定|控制|提高|提升)")
_BASELINE_TAIL = re.compile(r"(?:较|比|同比|相比)[^，。；]{0,8}$")
_RESPECTIVE_ITEMS = re.compile(r"和|、|及|与")
_NEXT_VALUE = re.compile(r"(?:和|、|，|及)")


def _respectively(doc: Prepared, target: Target, quantity: Quantity, paired: set[int]) -> list[Target] | None:
    """ "电子信息、生物医药产业产值分别突破300亿元、150亿元": one target per item, in order.

    The items share the words after the last one's own name (产业产值); the last item is split where
    its own name ends, at the word boundary nearest the first item's length. The comparator written
    after the last value (以上) holds for all of them.
    """
    text = doc.text
    clause_start = doc.enclosing(quantity.start, rules.COMMA_STOPS, rules.MAX_LEFT)[0]
    respectively = text.rfind("分别", clause_start, quantity.start)
    if respectively < 0:  # 县级公共图书馆、文化馆总分馆制覆盖率均达到100%
        both = _BOTH.search(text, clause_start, quantity.start)
        respectively = both.start() if both else -1
    if respectively < 0:
        return None
    subject = _BASELINE_TAIL.sub("", text[clause_start:respectively])  # …起数和死亡人数较上年|分别下降
    items = _ordinal_items(_indicator(subject)) or [
        item for item in _RESPECTIVE_ITEMS.split(_indicator(subject)) if item
    ]
    if len(items) < 2:
        return None
    read = _respective_values(text, quantity, respectively, len(items))
    if read is None:
        return None
    values, position = read
    last_comparator = rules.after_word(text[position : position + 4]) if position >= 0 else None
    shared_tail = items[-1][_own_name_length(items[-1], items[0]) :] if len(items[0]) < len(items[-1]) else ""
    names = [item + shared_tail for item in items[:-1]] + [items[-1]]
    found = []
    for name, value in zip(names, values, strict=True):
        own_measure = value.unit != quantity.unit  # 生猪、家禽年出栏量分别稳定在3900万头、13.5亿只以上
        found.append(
            replace(
                target,
                indicator=name,
                value=plain_number(value.value if own_measure else _as_read(target, quantity, value.value)),
                unit=value.unit if own_measure else target.unit,
                value_span=(value.start, value.end),
                comparator=last_comparator or target.comparator,
            )
        )
        if value is not quantity:
            paired.add(value.start)
    return found


#: "一二三产增加值": the primary, secondary and tertiary sectors written as one run of ordinals.
_ORDINAL_RUN = re.compile(r"^(?P<ordinals>一二三?|二三)(?P<sector>产业?)(?P<tail>.*)$")


def _ordinal_items(subject: str) -> list[str]:
    """ "一二三产增加值" → 一产, 二产, 三产增加值 (the items of a 分别 list); [] for any other subject."""
    run = _ORDINAL_RUN.match(subject)
    if run is None:
        return []
    items = [ordinal + run.group("sector") for ordinal in run.group("ordinals")]
    items[-1] += run.group("tail")
    return items


def _respective_values(
    text: str, quantity: Quantity, respectively: int, count: int
) -> tuple[list[Quantity], int] | None:
    """The values of a 分别 list from the first, and where the last ends (-1: one value holds for each)."""
    values, position = [quantity], quantity.end
    while len(values) < count:
        own_word = words.COMPARATOR_AFTER_RE.match(text, position)  # 分别增长4%左右和6%左右
        joiner = _NEXT_VALUE.match(text, own_word.end() if own_word else position)
        following = QUANTITY.match(text, joiner.end()) if joiner else None
        later = quantity_from_match(following) if following else None
        if later is None or not _same_kind_of_measure(later, quantity):
            if len(values) > 1:
                return None
            # 产业规模分别达1.28万亿、1.18万亿、8200亿元: the earlier values written without the measure
            bare = _bare_values_before(text, respectively, quantity, count)
            # 事故起数和死亡人数较上年分别下降10%以上: one value for each
            return (bare, quantity.end) if bare else ([quantity] * count, -1)
        values.append(later)
        position = later.end
    return values, position


def _same_kind_of_measure(later: Quantity, first: Quantity) -> bool:
    """The same measure, or counts of things each in its own (3900万头、13.5亿只)."""
    return later.unit == first.unit or (later.unit in COUNT_MEASURES and first.unit in COUNT_MEASURES)


_BARE_VALUE = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)、")
_MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}


def _bare_values_before(text: str, respectively: int, quantity: Quantity, count: int) -> list[Quantity]:
    """ "分别达1.28万亿、1.18万亿、8200亿元": the values before the last, in its measure; [] unless there is one for
    every item but the last, right before it."""
    bare = list(_BARE_VALUE.finditer(text, respectively, quantity.start))
    if len(bare) != count - 1 or bare[-1].end() != quantity.start:
        return []
    try:
        number = Decimal(quantity.number_text)
    except ArithmeticError:
        return []
    after = text[quantity.start + len(quantity.number_text) :]
    magnitude = next((m for m in ("万亿", "亿", "万") if after.startswith(m)), "")
    if not number or not magnitude:
        return []
    per_measure = quantity.value / (number * _MAGNITUDES[magnitude])  # 1 for 元
    found = [
        replace(
            quantity,
            value=Decimal(match.group(1)) * _MAGNITUDES[match.group(2)] * per_measure,
            start=match.start(),
            end=match.end() - 1,
            number_text=match.group(1),
        )
        for match in bare
    ]
    return [*found, quantity]


def _as_read(target: Target, first: Quantity, value: Decimal) -> Decimal:
    """A later value of a 分别 list read the way the first one was (增长6% → ×1.06, 下降 → negative)."""
    if target.unit == "倍" and first.unit == "%":
        return 1 + value / 100 if target.value >= 1 else 1 - value / 100
    return value * Decimal(str(target.value)) / first.value if first.value else value


def _own_name_length(item: str, first: str) -> int:
    """Where the last item's own name ends ("生物医药|产业产值"): where it ends like the first item
    (小班、中班、大班|班额), else at the word boundary nearest the first item's length."""
    near = len(first)
    alike = [
        index + 1 for index in range(len(item) - 2) if item[index] == first[-1]
    ]  # 大班|班额, 文化馆|总分馆制…
    if alike:
        return alike[0]
    import jieba  # only 分别 lists need segmenting; jieba loads its dictionary on first use

    jieba.setLogLevel(60)
    boundaries, position = [], 0
    for word in jieba.lcut(item):
        position += len(word)
        boundaries.append(position)
    inside = [b for b in boundaries if b < len(item)] or [len(item)]
    best = min(inside, key=lambda boundary: (abs(boundary - near), boundary))
    if near <= 2 and abs(best - near) > 1:
        return near  # 城镇、农村|居民人均可支配收入: jieba reads 农村居民 as one word
    return best


def _counted_thing(right: str) -> str:
    """ "2个千亿级产业集群和6个…" → 千亿级产业集群; "100个示范社区全面建成" → 示范社区."""
    reaches = words.COUNT_REACHES_STAGE.match(right)
    counted = _COUNTED_NOUN.match(right)
    if counted is None:
        return ""
    thing = reaches.group("thing") if reaches and len(reaches.group("thing")) >= 2 else counted.group()
    before, _, head = thing.rpartition("的")
    if before and len(head) >= 4:  # 20个具有湘岭特色的“高效办成一件事”重点事项: the head noun
        thing = head
    elif before and len(before) >= 2:  # 30个市直单位党组织的巡察: the things, not what is done to them
        thing = before
    return _LIST_JOINER.sub("", thing)


def _read_doubling(doc: Prepared, match: re.Match[str], plan: PlanDates, dates: DateIndex) -> Target | None:
    text = doc.text
    clause_start, clause_end = doc.enclosing(match.start(), rules.CLAUSE_STOPS, rules.MAX_REACH)
    sentence = doc.enclosing(match.start(), rules.SENTENCE_STOPS, rules.MAX_REACH)
    if rules.reports_the_past(text, sentence, match.start(), plan.start):
        return None
    left = text[clause_start : match.start()]
    baseline = words.BASELINE_RE.search(left)
    relative_to = None
    if baseline:
        relative_to = baseline.group("base") + "基础" if baseline.group("base") else baseline.group("year")
        left = left[: baseline.start()]
    if match.group("again"):
        relative_to = "previous_target"
    times = {"一": 1, "两": 2, "二": 2, "三": 3}.get(match.group("times")) or int(match.group("times"))
    date = _date_for(dates, match.start(), (clause_start, clause_end), sentence, text)
    return Target(
        id="",
        indicator=_indicator(left),
        comparator="gte" if match.group("more") else "eq",
        value=2**times,
        unit="倍",
        kind="multiple",
        year=date.year if date else plan.year,
        within_years=date.within_years if date else None,
        span=(clause_start, clause_end),
        value_span=match.span(),
        text=text[clause_start:clause_end],
        relative_to=relative_to,
        deadline_text=text[date.start : date.end] if date else None,
    )


_AT_LEAST_AFTER = re.compile(r"(?:及)?(?:以上)?")


def _project_list(quantity: Quantity, left: str, right: str) -> str | None:
    """ "581个亿元以上产业项目", "新签约亿元以上项目150个": a counted list of projects."""
    if quantity.unit not in COUNT_MEASURES or (left.startswith("对") and left.endswith("的")):
        return None  # 对一季度计划开工但尚未开工的19个项目: projects acted on, not a list to build
    at_least = _AT_LEAST_AFTER.match(right)  # it matches the empty string too, so never None
    after = words.PROJECT_NOUN.match(right, at_least.end() if at_least else 0)
    if after:
        return after.group()  # 600个以上亿元级工业项目: 以上 says at least, it is no part of the name
    return _indicator(left) if left.endswith(("项目", "工程")) else None


def _indicator(left: str) -> str:
    """The indicator's name from the words before the number, fillers and dates trimmed."""
    left = _FROM_LEVEL.sub("", rules.HEADING_MARKER.sub("", left.strip()))
    if "）" in left and "（" not in left.rsplit("）", 1)[0][-30:]:
        left = left.rsplit("）", 1)[1]  # …（建筑面积不超过5000平方米）从立项到…审批时间: after the bracket
    if "的" in left and len(left.rsplit("的", 1)[1]) >= 2:
        owner, head = left.rsplit("的", 1)
        if not ("占" in owner and head in rules.SHARE_WORDS):  # 制造业增加值占全市生产总值的比重: one name
            left = head
    previous = None
    while previous != left:
        previous = left
        left = _TRAILING_YEAR.sub("", _LEADING_YEAR.sub("", left))
        left = words.LEADING_FILLERS.sub("", left)
        left = words.TRAILING_FILLERS.sub("", left)
        left = words.COMPARATOR_BEFORE_RE.sub("", left)
    left = _SCOPE_IN_BRACKETS.sub("", left.strip("，、：； "))  # 高质量数据集（三星级以上）占比
    while left and (left[0] in "（）" or left[-1] == "（" or (left[-1] == "）" and "（" not in left)):
        left = left[1:] if left[0] in "（）" else left[:-1]  # 研学旅行基地（营地）keeps its brackets
    return left.strip("，、：； ")


def _previous_object(text: str, sentence_start: int, clause_start: int) -> str:
    """ "设立数字化转型专项资金，每年安排不少于5000万元": the thing counted is the previous clause's object."""
    previous = text[sentence_start : max(sentence_start, clause_start - 1)]
    previous = re.split(r"[，、；：]", previous)[-1]
    match = words.OBJECT_AFTER_VERB.search(previous)
    return match.group(1) if match else ""


def _attributive_indicator(right: str) -> str:
    """ "高于全省2.5个百分点的发展增速": the indicator written after the number."""
    match = _WRITTEN_AFTER.match(right)
    return match.group(1) if match else ""


#: A preposition standing where the indicator would: "为1000家左右社区卫生服务中心…" names the thing after.
_ONLY_PREPOSITION = frozenset({"为", "对", "在", "向", "给", "帮助"})
_ABOUT = re.compile(r"^左右")


_MAX_DATING_HEADING = 30


class _Sections:
    """Which headings announce targets (主要目标, 发展指标), found by position in log time."""

    def __init__(self, headings: list[Heading]) -> None:
        self.headings = headings
        self.by_id = {heading.id: heading for heading in headings}
        self.starts = [heading.span[0] for heading in headings]
        self.announce_targets = [
            bool(_TARGETS_HEADING.search(heading.title)) and len(heading.title) <= 12 for heading in headings
        ]

    def start_of(self, position: int) -> int | None:
        """Where the heading holding position starts; None before the first heading."""
        index = bisect.bisect_right(self.starts, position) - 1
        return self.starts[index] if index >= 0 else None

    def dated_by_heading(self, position: int, dates: DateIndex) -> DateMention | None:
        """The date a short heading above position names ("二、“十五五”时期主要目标任务" → 2030), nearest first.

        A heading that runs on into a sentence ("（一）新建…12所，2023年底前…") dates only itself.
        """
        index = bisect.bisect_right(self.starts, position) - 1
        heading = self.headings[index] if index >= 0 else None
        while heading is not None:
            title = heading.title
            if len(title) <= _MAX_DATING_HEADING and "，" not in title and position >= heading.title_span[1]:
                named = [date for date in dates.within(*heading.title_span) if date.year is not None]
                if named:
                    return named[-1]
            heading = self.by_id.get(heading.parent) if heading.parent else None
        return None

    def announces_targets(self, position: int) -> bool:
        index = bisect.bisect_right(self.starts, position) - 1
        return index >= 0 and self.announce_targets[index]


def _date_for(
    dates: DateIndex,
    position: int,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    text: str = "",
    section_start: int | None = None,
) -> DateMention | None:
    """The clause's own date, else the last one before it in the sentence, else the paragraph's or section's.

    A sentence opening with "到2025年，" sets the year for the later sentences of its paragraph that name
    none ("到2025年，…。国际货运航线累计达到50条，…"), and for the later paragraphs of its section
    ("（二）发展目标。到2025年，…。" then "产业能级更高。…比重稳定在30%以上").
    """
    in_sentence = dates.within(*sentence)
    in_clause = [d for d in in_sentence if clause[0] <= d.start < clause[1]]
    if in_clause:
        return in_clause[0]
    before = [
        d
        for d in in_sentence
        if d.end <= position
        and not _duration_left_behind(d, position, text)
        and not _ATTRIBUTIVE_DATE.match(text, d.end)
    ]
    if before or not text:
        return before[-1] if before else None
    look_from = text.rfind("\n", 0, sentence[0]) + 1
    if section_start is not None and section_start < look_from:
        look_from = section_start
    for date in reversed(dates.within(look_from, sentence[0])):
        if date.year is not None and _sets_the_year(text, date):
            return date
    return None


#: "《纲要（草案）》明确了主要指标：…", "“十五五”规划提出的目标：…": a paragraph about the five-year plan's goals.
_FIVE_YEAR_GOALS = re.compile(
    r"[^。\n]{0,30}?(?P<plan>纲要|“?十[一二三四五六七八九]五”?规划|五年规划)[^。\n]{0,30}?(?:目标|指标)"
)


def _five_year_goals(text: str, sentence_start: int, year: int | None) -> DateMention | None:
    """The end of the five-year plan under way in year, for a paragraph that sets out that plan's goals."""
    if year is None:
        return None
    paragraph = text.rfind("\n", 0, sentence_start) + 1
    match = _FIVE_YEAR_GOALS.match(text, paragraph, paragraph + 80)
    if match is None:
        return None
    start = paragraph + match.start("plan")
    return DateMention(start, paragraph + match.end("plan"), year - (year - 2016) % 5 + 4)


#: "基本完成2000年底前建成的城镇老旧小区改造任务": a date describing a thing, not a deadline.
_ATTRIBUTIVE_DATE = re.compile(r"[^，。；：、\d]{0,6}的|已")


def _duration_left_behind(date: DateMention, position: int, text: str) -> bool:
    """ "三年累计签约项目150个、总投资800亿元，项目履约率达到90%": a duration holds in its comma clause only."""
    if (
        not text
        or date.year is not None
        or "时间" in text[date.start : date.end + 3]
        or text[date.end : date.end + 1] == "，"
    ):
        return False  # "用五年左右的时间，…", "力争三年内，…" set the span of the whole sentence
    return any(stop in text[date.end : position] for stop in "，；")


def _sets_the_year(text: str, date: DateMention) -> bool:
    """ "到2025年，" at a sentence's start: a year that governs the sentences after it."""
    start = date.start - 1 if date.start and text[date.start - 1] in "到至" else date.start
    opens = start == 0 or text[start - 1] in "。，\n"
    head = text[start : date.end + 2]
    return opens and head.startswith(("到", "至")) and bool(re.search(r"年(?:底|末)?，", head))


def number_targets(targets: list[Target]) -> list[Target]:
    """Sort targets into text order, give them ids, and point each "再翻一番" at the target it doubles.

    A target whose clause names no indicator ("突破1.2万亿元，较2022年翻一番") takes the one before it.
    """
    targets = sorted(targets, key=lambda t: t.value_span[0])
    for previous, target in zip([None, *targets], targets, strict=False):
        if previous is not None and target.span[0] - previous.span[1] <= _INHERIT_REACH:
            _name_from_previous(target, previous)
    targets = [target for target in targets if target.indicator]
    for number, target in enumerate(targets, start=1):
        target.id = f"t{number}"
    for index, target in enumerate(targets):
        if target.relative_to == "previous_target":
            target.previous_target = _doubled(target, targets[:index])
    return targets


_STAGE_AT_END = re.compile(rf"(?:{words.STAGES.pattern})$")


def _name_from_previous(target: Target, previous: Target) -> None:
    """A target right after another takes or completes its indicator from that one."""
    own_year = bool(_LEADING_YEAR.match(target.text))  # "2026年…达到900亿元，2027年突破1050亿元"
    if not target.indicator and (previous.year == target.year or own_year):
        target.indicator = previous.indicator
    elif target.indicator in words.GENERIC_INDICATORS:
        target.indicator = previous.indicator + target.indicator  # 一般公共预算收入增长5%，总量达到218亿元
    elif words.VERB_ONLY.fullmatch(target.indicator):
        # 开工建设标准厂房80万平方米、建成60万平方米; 新能源开工1600万千瓦、投产1000万千瓦: its own stage
        stage = _STAGE_AT_END.search(previous.indicator)
        own_stage = words.STAGES.fullmatch(target.indicator)
        target.indicator = (
            previous.indicator[: stage.start()] + target.indicator
            if stage and own_stage and stage.start() > 0
            else previous.indicator
        )


def _doubled(target: Target, earlier: list[Target]) -> str | None:
    """The id of the latest earlier target with the same indicator ("再翻一番" doubles it)."""
    for candidate in reversed(earlier):
        if candidate.indicator and (
            candidate.indicator in target.indicator or target.indicator in candidate.indicator
        ):
            return candidate.id
    return None


def attach_headings(targets: list[Target], headings: list[Heading]) -> None:
    """Each target belongs to the last heading that starts before it."""
    starts = [heading.span[0] for heading in headings]
    for target in targets:
        index = bisect.bisect_right(starts, target.span[0]) - 1
        target.heading = headings[index].id if index >= 0 else None
