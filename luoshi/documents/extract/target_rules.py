"""The rules that decide whether a number in running text is a target, in the order they are asked.

Each number is read once into a `Clause` (the words around it, where it stands). Then:

1. `SKIPS`: a number that only sizes, dates or names something is not read at all;
2. `READERS`: the first reader that recognises the wording gives the kind, value, unit and comparator;
3. `DECISIONS`: the first rule that applies keeps the number as a target or leaves it out; a number
   no rule speaks for is left out.

A rule's docstring opens with its example phrase, which tests/test_extract_target_rules.py reads
with that rule deciding. `tracing()` records which rule decided each number (bench/extract_eval.py
--rules shows the breakdown).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Generic, TypeVar

from . import target_words as words
from .dates import PlanDates
from .proposal import Span, Target
from .quantities import COUNT_MEASURES, QUANTITY, Quantity
from .text import Prepared

CLAUSE_STOPS = "，。；！？：\n、\t"
SENTENCE_STOPS = "。！？\n"
COMMA_STOPS = "，。；！？：\n\t"
#: How far a clause or sentence may reach from a number; text without punctuation stays linear.
MAX_REACH = 400
#: The words read before and after a number; indicator names and comparators fit well inside.
MAX_LEFT = 40
MAX_RIGHT = 24
TIME_UNITS = ("工作日", "天", "小时", "分钟")
RATE_UNITS = ("%", "百分点")
SHARE_WORDS = ("比重", "比例", "份额", "占比")
#: A heading marker that opens the clause: "1.投资3000万元建设…".
HEADING_MARKER = re.compile(
    r"^(?:\d{1,2}[.、．]|（\d{1,2}）|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)"
)
#: "新能源富集地区布局建设700万千瓦新型储能项目": a verb right before the number, the thing after it.
VERB_AT_END = re.compile(rf"(?:{words.VERB_ONLY.pattern})$")
NAMED_BY_SIZE = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:项目|工程|基地|产业园|装置|电站|产能|生产线)|[^，。；]{0,30}等[\u4e00-\u9fff]{0,10}(?:项目|工程)"
)

_EQUIVALENT = re.compile(r"（(?:约|合|折合|即)?$")
_TIME_CIRCLE = re.compile(r"[\u4e00-\u9fff]{0,6}圈")
_FROM_TO = re.compile(r"[^，。；]{0,16}?(?:到|至)\d")
_CAPACITY_WORDS = ("年产", "年处理", "年加工", "日处理", "日供水", "年吞吐")
_PROPORTION_RULE = re.compile(r"按(?:照)?[\u4e00-\u9fff]{1,12}的")
_KIND_DEFINED = re.compile(r"（[^（）]{0,30}$")
_SCOPE_WORDS = re.compile(r"以下|以上|不超过|不低于|不少于|及以上|以内")
_COUNT_AFTER_AMOUNT = re.compile(
    r"(?:以上|以下|及以上)?(?!的)[\u4e00-\u9fff]{1,8}?\d+(?:\.\d+)?[万千]?(?:家|个|项)"
)
_WITHIN_TIME = re.compile(r"内(?:完成|予以|作出|进行|办结并)?(?P<action>[\u4e00-\u9fff]{2,10})")
_SHARE_OF_BASE = re.compile(
    r"^(?P<name>.+?)(?P<word>达到|不低于|不超过|超过|控制在|占)(?P<base>[\u4e00-\u9fff]{2,12})的$"
)
_AT_LEAST_BEFORE_VERB = re.compile(r"(?:至少|最少)[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff]{1,8}$")
_AGAIN = re.compile(r"再$")
_THRESHOLD = re.compile(r"(?:以上|以下|及以上|及以下)(?!的目标)(?:的|[\u4e00-\u9fff])")
_COUNT_THEN_OF = ("以上的", "以下的", "及以上的")
_ATTRIBUTIVE = re.compile(r"(?:以上|以下)?(?:的(?!目标)|级|型|式)|(?:以上|以下)[\u4e00-\u9fff](?!目标)")
_DESCRIBED_THING = re.compile(
    r"(?:以上|以下|以内|左右)?的(?!目标|任务|要求|红线|底线)([\u4e00-\u9fff]{2,12})"
)
#: "两个基地新增风电装机600万千瓦": a count of who does it, before the figure they reach.
_COUNTED_DOERS = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:新增|建成|完成|达到|实现)[\u4e00-\u9fff]{0,10}?\d")
#: "其中20个预期性指标": the indicators themselves counted after the number.
_INDICATORS_COUNTED = re.compile(r"[\u4e00-\u9fff]{0,6}指标")
#: "长白山、三江、吉光": a 、-list of short names, glued to the number after it.
_LISTED_NAMES = re.compile(r"(?:[\u4e00-\u9fff]{1,6}、)+[\u4e00-\u9fff]{1,6}$")
_BUILDS = re.compile(r"建成|建设|新建|新增|培育|打造")
_SERVICE_AFTER_TIME = re.compile(r"(?:开放|营业|过境|免签|值守|在线|服务|不打烊|直达)")
_ITEM_STOP = re.compile(r"[，。；、\n]")
#: Words before a plain figure that make it a share, a rule per thing or a done deed, not a target.
_NOT_PLAIN_BEFORE = ("等", "的", "共")
_NOT_PLAIN_IN_HEAD = ("每", "按", "各", "了")
_LEVEL_STATED = re.compile(r"到(?:19|20)\d{2}年")
#: "筹措7亿元实施就业惠民工程": an amount raised or set aside, then the programme it pays for.
_FUNDING_VERB = re.compile(r"(?:筹措|筹集|安排|统筹)(?:资金)?$")
_FUNDED = re.compile(r"(?:用于|实施|支持)(?P<thing>[^，。；：、\n]{2,24}?)(?:[，。；：\n]|$)")


def funded_programme(c: Clause) -> str:
    """ "筹措7亿元实施就业惠民工程" → 就业惠民工程资金: the funds a plan commits to a named programme, or ""."""
    if c.quantity.unit != "元" or not _FUNDING_VERB.search(c.left):
        return ""
    funded = _FUNDED.match(c.text, c.quantity.end, c.span[1])
    return funded.group("thing") + "资金" if funded else ""


_NOT_A_LEVEL = ("作为", "成为", "设为", "定为")
_AIMED_YEAR = re.compile(r"到(\d{4})年")
_AIMED_YEAR_INSIDE = re.compile(r"[，。]到\d{4}年")


_T = TypeVar("_T")


class _once(Generic[_T]):  # lower case: it reads as a decorator, like cached_property
    """A property computed on first use and kept, without the lock functools.cached_property takes
    on Python 3.11 (a number is read thousands of times per document)."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True)
class Clause:
    """One number read in its place: the words around it, its clause and sentence, the target before it."""

    doc: Prepared
    text: str
    quantity: Quantity
    unit: str
    plan: PlanDates
    span: Span  # the clause, its start at most MAX_LEFT before the number
    sentence: Span
    left: str  # the clause up to the number
    right: str  # at most MAX_RIGHT characters of the clause after the number
    head: str  # the comma clause up to the number, 、-lists included
    under_targets_heading: bool  # under a short heading that announces targets (主要目标)
    previous: Target | None

    @classmethod
    def around(
        cls,
        doc: Prepared,
        quantity: Quantity,
        plan: PlanDates,
        under_targets_heading: bool,
        previous: Target | None,
    ) -> Clause:
        text = doc.text
        clause_start, clause_end = doc.enclosing(quantity.start, CLAUSE_STOPS, MAX_REACH)
        clause_start = max(clause_start, quantity.start - MAX_LEFT)
        head_start = doc.enclosing(quantity.start, COMMA_STOPS, MAX_LEFT)[0]
        return cls(
            doc=doc,
            text=text,
            quantity=quantity,
            unit=quantity.unit,
            plan=plan,
            span=(clause_start, clause_end),
            sentence=doc.enclosing(quantity.start, SENTENCE_STOPS, MAX_REACH),
            left=text[clause_start : quantity.start],
            right=text[quantity.end : min(clause_end, quantity.end + MAX_RIGHT)],
            head=text[head_start : quantity.start],
            under_targets_heading=under_targets_heading,
            previous=previous,
        )

    @_once
    def indicator_words(self) -> str:
        return words.COMPARATOR_BEFORE_RE.sub("", self.left)

    @_once
    def increment(self) -> re.Match[str] | None:
        return words.INCREMENT_RE.search(self.left) or _shared_increment(self.left, self.head)

    @_once
    def change(self) -> re.Match[str] | None:
        """较2023年下降30%: a change against a base, unless a yearly increment ends right before the number."""
        if self.increment and self.increment.end() >= len(self.left) - 2:
            return None
        return words.CHANGE_RE.search(self.left)

    @_once
    def breaks_down_previous(self) -> bool:
        """ "引进各类人才2.5万人，其中高层次人才500人": the clause is a part of the target just before."""
        return breaks_down(self.head, self.previous, self.sentence)


def breaks_down(left: str, previous: Target | None, sentence: Span) -> bool:
    """ "引进各类人才2.5万人，其中高层次人才500人": a part of the target just before, in its sentence."""
    return left.startswith("其中") and previous is not None and previous.span[1] >= sentence[0]


def _example(applies: Callable) -> str:
    """A rule's example phrase: its docstring's first line (\\n there stands for a line break)."""
    return (applies.__doc__ or "").splitlines()[0].replace("\\n", "\n")


# ---- tracing: which rule decided each number ----------------------------------------------------

_TRACE: ContextVar[dict[Span, str] | None] = ContextVar("target_rule_trace", default=None)


@contextmanager
def tracing() -> Iterator[dict[Span, str]]:
    """Record, for each number read in the block, the rule that decided it: {value_span: rule name}."""
    decided: dict[Span, str] = {}
    token = _TRACE.set(decided)
    try:
        yield decided
    finally:
        _TRACE.reset(token)


def note(value_span: Span, rule: str) -> None:
    decided = _TRACE.get()
    if decided is not None:
        decided[value_span] = rule


def note_like(value_span: Span, like: Span) -> None:
    """A number decided together with another one (the later values of a 分别 list)."""
    decided = _TRACE.get()
    if decided is not None and like in decided:
        decided[value_span] = decided[like]


# ---- 1. numbers that are not read at all ----------------------------------------------------------


@dataclass(frozen=True)
class Skip:
    name: str
    applies: Callable[[Clause], bool]

    @property
    def example(self) -> str:
        return _example(self.applies)


SKIPS: list[Skip] = []


def _skip(applies: Callable[[Clause], bool]) -> Callable[[Clause], bool]:
    SKIPS.append(Skip(applies.__name__.lstrip("_"), applies))
    return applies


@_skip
def _equivalent_in_brackets(c: Clause) -> bool:
    """人均补贴17万元（约2.4万美元）。
    An equivalent in brackets repeats the figure before it."""
    return bool(_EQUIVALENT.search(c.left))


@_skip
def _time_circle(c: Clause) -> bool:
    """构建1小时通勤圈。
    A reach in time that names a thing (15分钟健身圈)."""
    return c.unit in TIME_UNITS and bool(_TIME_CIRCLE.match(c.right))


@_skip
def _starting_level(c: Clause) -> bool:
    """森林覆盖率从77%提高到80%。
    The level a change starts from; the level it reaches is read on its own."""
    return c.left.endswith("从") and bool(_FROM_TO.match(c.right))


@_skip
def _count_of_named_list(c: Clause) -> bool:
    """新开工临江至河口等3个项目。
    The count of the things the text has just named (培育光伏等4个产业集群)."""
    return c.left.endswith("等") and c.unit in COUNT_MEASURES


@_skip
def _count_of_listed_names(c: Clause) -> bool:
    """推动呼和浩特、鄂尔多斯、满洲里3个综保区高质量发展。
    The count of the names listed right before it, as many as there are (长春、白山2个城市…示范项目); but
    建成医学影像、心电诊断…5个资源共享中心 counts what is to be built."""
    listed = _LISTED_NAMES.search(c.head) if c.unit in COUNT_MEASURES else None
    if listed is None or listed.group().count("、") + 1 != c.quantity.value:
        return False
    first_item_end = listed.start() + listed.group().index("、")
    return not _BUILDS.search(c.head, 0, first_item_end)  # 建成医学影像、…5个资源共享中心: what is built


@_skip
def _scope_of_a_kind(c: Clause) -> bool:
    """简化小型低风险产业类项目（总投资3000万元以下）审批流程。
    Numbers that say which things a measure is about: a scope in brackets, or an amount right before the
    thing counted and its count (培育年产值超10亿元企业15家)."""
    quantity, text = c.quantity, c.text
    opening = _KIND_DEFINED.search(text, max(0, quantity.start - 30), quantity.start)
    if opening:
        inside = text[opening.start() : text.find("）", quantity.end, quantity.end + 40) + 1 or quantity.end]
        if _SCOPE_WORDS.search(inside) and not inside.startswith("（其中"):
            return True
    return quantity.unit == "元" and bool(_COUNT_AFTER_AMOUNT.match(text, quantity.end))


@_skip
def _proportion_rule(c: Clause) -> bool:
    """按照装机容量的15%配置储能。
    A rule for sizing something, not a level to reach."""
    return bool(_PROPORTION_RULE.search(c.head))


@_skip
def _capacity_in_a_name(c: Clause) -> bool:
    """建设年产5万台新能源汽车电驱系统项目。
    The size in a project's name."""
    return c.left.endswith(_CAPACITY_WORDS)


@_skip
def _past_result(c: Clause) -> bool:
    """一年来，新签约项目16个。
    A result already reached: a past period, 同比, 已, a level stated with 为 in a sentence that aims at
    nothing. Under a heading about targets, 累计完成 is a sum to reach."""
    return reports_the_past(c.text, c.sentence, c.quantity.start, c.plan.start, c.under_targets_heading)


def reports_the_past(
    text: str, sentence: Span, position: int, plan_start: int | None = None, aiming: bool = False
) -> bool:
    """True when the part of the sentence holding position states a result already reached.

    aiming: the sentence stands under a heading about targets, where 累计完成 is a sum to reach.
    """
    start, end = sentence
    part_start = max(start, text.rfind("；", start, position) + 1)
    part_end = text.find("；", position, end)
    part = text[part_start : end if part_end < 0 else part_end]
    if words.PAST_OPENING.match(_without_marker(text[start:end])):
        return True  # "一年来，新签约项目16个…", "“十四五”以来，全县累计投入…"
    actual = words.ACTUAL_MARKERS.search(part)
    if actual and not (actual.group() == "累计完成" and (aiming or _aims_at_a_year(text, start, part))):
        return True
    if _states_a_level(text, start, position, part):
        return True
    if (
        words.SAME_PERIOD.search(part) or words.REPORTED.search(text, start, end)
    ) and _opens_with_past_period(text[start:end], plan_start):
        return True  # 一季度，全区实现地区生产总值168.7亿元，同比增长5.6%；规模以上工业增加值增长7.2%
    return bool(words.PAST_COMPARISONS.search(part)) and not words.AIMING_WORDS.search(part)


def _without_marker(sentence: str) -> str:
    return HEADING_MARKER.sub("", sentence.lstrip())


def _states_a_level(text: str, sentence_start: int, position: int, part: str) -> bool:
    """ "2024年县域内就诊率为84.6%": a level stated with 为 in a sentence that aims at nothing."""
    before = text[max(sentence_start, position - 2) : position]
    if not before.endswith("为") or before.endswith(_NOT_A_LEVEL):
        return False
    return not (words.AIMING_WORDS.search(part) or _LEVEL_STATED.search(text[sentence_start:position]))


def _aims_at_a_year(text: str, sentence_start: int, part: str) -> bool:
    """ "到2025年，…累计完成备案1.2万家以上": 累计完成 in a sentence aiming at a year is a target."""
    opening = _AIMED_YEAR.match(text[sentence_start : sentence_start + 8])
    return bool(opening or _AIMED_YEAR_INSIDE.search(part)) and bool(words.AIMING_WORDS.search(part))


def _opens_with_past_period(sentence: str, plan_start: int | None) -> bool:
    """ "2023年，…同比增长12.3%", "去年，…": the sentence reports on a period, not one the plan aims at."""
    opening = words.PERIOD_OPENING.match(sentence)
    if opening is None:
        return False
    year = opening.group("year")
    return year is None or plan_start is None or int(year) < plan_start


def first_skip(c: Clause) -> str | None:
    """The name of the first skip that applies, or None when the number is to be read."""
    for skip in SKIPS:
        if skip.applies(c):
            return skip.name
    return None


# ---- 2. what the words around a number say ---------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What the words around a number say: kind, value and unit as meant, comparator, baseline."""

    kind: str
    value: Decimal
    unit: str
    comparator: str | None
    relative_to: str | None
    indicator_words: str


Reader = Callable[[Clause, "str | None"], "Reading | None"]


def reading(c: Clause) -> Reading:
    """The first reader that recognises the wording; a plain absolute value when none does."""
    comparator = comparator_of(c.left, c.right)
    for reader in READERS:
        found = reader(c, comparator)
        if found is not None:
            return found
    return Reading("absolute", c.quantity.value, c.unit, comparator, None, c.indicator_words)


def _time_limit(c: Clause, comparator: str | None) -> Reading | None:
    """应在5个工作日内完成目录更新: a time limit for the action named after it."""
    within = _WITHIN_TIME.match(c.right) if c.unit in TIME_UNITS else None
    if within is None:
        return None
    return Reading("absolute", c.quantity.value, c.unit, comparator or "lte", None, within.group("action"))


def _share_of_base(c: Clause, comparator: str | None) -> Reading | None:
    """电力系统调节能力达到最高用电负荷的18%: a share of another quantity, named before it."""
    share = _SHARE_OF_BASE.match(c.left) if c.unit == "%" else None
    if share is None:
        return None
    comparator = comparator or words.COMPARATOR_BEFORE.get(share.group("word"), "eq")
    return Reading("absolute", c.quantity.value, c.unit, comparator, None, share.group("name"))


def _relative_to_series(c: Clause, comparator: str | None) -> Reading | None:
    """高于全省2.5个百分点: a difference from another series; 低于 is a negative one."""
    relative = words.RELATIVE_RE.search(c.left) if c.unit in RATE_UNITS else None
    if relative is None:
        return None
    value = c.quantity.value
    lower = relative.group("word") in words.RELATIVE_LOWER
    value, comparator = (-value, "lte") if lower else (value, "gte")
    return Reading(
        "relative", value, c.unit, comparator, relative.group("series"), c.left[: relative.start()]
    )


def _change_of_rate(c: Clause, comparator: str | None) -> Reading | None:
    """较2023年下降30%以上: a multiple of the base (0.7 倍); 比2020年提高5个百分点: a difference."""
    change = c.change
    if change is None or c.unit not in RATE_UNITS:
        return None
    value = c.quantity.value
    base = change.group("base") or ("上年" if change.group().startswith("同比") else "基期")
    down = change.group("word") in words.CHANGE_DOWN
    comparator = {"gte": "lte" if down else "gte", "approx": "approx"}.get(after_word(c.right) or "", "eq")
    if c.unit == "百分点":
        return Reading(
            "relative", -value if down else value, c.unit, comparator, base, c.left[: change.start()]
        )
    factor = 1 - value / 100 if down else 1 + value / 100
    return Reading("multiple", factor, "倍", comparator, base, c.left[: change.start()])


def _change_in_years(c: Clause, comparator: str | None) -> Reading | None:
    """人均预期寿命再提高1岁: a rise from now."""
    change = c.change
    if change is None or c.unit not in ("岁", "年") or change.group("base"):
        return None
    value = c.quantity.value
    down = change.group("word") in words.CHANGE_DOWN
    return Reading(
        "relative",
        -value if down else value,
        c.unit,
        comparator or "eq",
        "现有基础",
        _AGAIN.sub("", c.left[: change.start()]),
    )


def _yearly_increment(c: Clause, comparator: str | None) -> Reading | None:
    """年均新增20家以上: so much a year; 年均下降5% is -5% a year."""
    increment = c.increment
    if increment is None:
        return None
    value = c.quantity.value
    if (increment.group("verb") or increment.group("every_verb")) in words.CHANGE_DOWN:
        value, comparator = -value, {"gte": "lte", "gt": "lt"}.get(comparator or "", comparator)
    return Reading(
        "increment", value, c.unit, comparator, None, words.INCREMENT_RE.sub("", c.indicator_words)
    )


def _multiple(c: Clause, comparator: str | None) -> Reading | None:
    """是2020年的2倍; 增长2倍 is three times the base."""
    if c.unit != "倍":
        return None
    baseline = words.BASELINE_RE.search(c.left)
    relative_to = (baseline.group("base") or baseline.group("year")) if baseline else None
    value = c.quantity.value
    factor = value + 1 if c.left.endswith(("增长", "增加")) else value
    return Reading(
        "multiple",
        factor,
        c.unit,
        comparator,
        relative_to,
        c.left[: baseline.start()] if baseline else c.indicator_words,
    )


READERS: tuple[Callable[[Clause, str | None], Reading | None], ...] = (
    _time_limit,
    _share_of_base,
    _relative_to_series,
    _change_of_rate,
    _change_in_years,
    _yearly_increment,
    _multiple,
)


def as_meant(c: Clause, read: Reading) -> Reading:
    """What the reading becomes in its place: a range is at least its lower bound, a part of a yearly figure is yearly."""
    if c.quantity.is_range and read.comparator in (None, "eq"):
        read = replace(read, comparator="gte")  # 8—10个, 增长4.5%—5%
    previous = c.previous
    if (
        c.breaks_down_previous
        and previous is not None
        and previous.kind == "increment"
        and read.kind == "absolute"
        and not c.head.endswith(SHARE_WORDS)
    ):
        read = replace(read, kind="increment")  # 每年完成造林100万亩，其中人工造林40万亩
    return read


def _shared_increment(left: str, clause_head: str) -> re.Match[str] | None:
    """ "每年推介重大项目不少于300个、总投资3000亿元以上": a 、-list item shares the list's 每年."""
    if left == clause_head or words.CUMULATIVE_WORDS.search(left) or words.CHANGE_RE.search(left):
        return None  # not a later list item, or an item that sums up or changes on its own
    return words.INCREMENT_RE.search(clause_head[: len(clause_head) - len(left)])


def comparator_of(left: str, right: str) -> str | None:
    """The comparator written after the number (以上) or before it (不低于); 超…以上 is still "more than"."""
    after = after_word(right)
    before_match = words.COMPARATOR_BEFORE_RE.search(left)
    before = None
    if before_match:
        word = before_match.group()
        before = words.COMPARATOR_BEFORE.get(word) or ("gte" if word.startswith(("至少", "最少")) else None)
    if after == "gte" and before == "gt":
        return "gt"  # 超3亿吨以上 still reads as "more than"
    if not (after or before) and _AT_LEAST_BEFORE_VERB.search(left):
        return "gte"  # 至少配备保洁员2名: 至少 governs the verb, the object stands between
    return after or before


def after_word(right: str) -> str | None:
    match = words.COMPARATOR_AFTER_RE.match(right)
    return words.COMPARATOR_AFTER[match.group()] if match else None


# ---- 3. target or not -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A number read and named: what the decisions look at."""

    clause: Clause
    reading: Reading
    indicator: str
    project: str | None
    unit: str  # as read: 增长5% is read in 倍
    right: str
    head: str
    metric: bool  # the indicator names a metric (…率, …量, …收入)

    @classmethod
    def of(cls, clause: Clause, reading: Reading, indicator: str, project: str | None = None) -> Candidate:
        return cls(
            clause,
            reading,
            indicator,
            project,
            reading.unit,
            clause.right,
            clause.head,
            indicator.endswith(words.METRIC_ENDINGS),
        )


@dataclass(frozen=True)
class Rule:
    """One decision: when applies() holds, the number is kept (keeps) or left out."""

    name: str
    keeps: bool
    applies: Callable[[Candidate], bool]

    @property
    def example(self) -> str:
        return _example(self.applies)


DECISIONS: list[Rule] = []
#: The name given when no rule applies: nothing marks the number as a target.
UNMARKED = "unmarked"


def _rule(keeps: bool) -> Callable[[Callable[[Candidate], bool]], Callable[[Candidate], bool]]:
    def register(applies: Callable[[Candidate], bool]) -> Callable[[Candidate], bool]:
        DECISIONS.append(Rule(applies.__name__.lstrip("_"), keeps, applies))
        return applies

    return register


def decide(candidate: Candidate) -> tuple[bool, str]:
    """(kept, the deciding rule's name): the first rule that applies decides."""
    for rule in DECISIONS:
        if rule.applies(candidate):
            return rule.keeps, rule.name
    return False, UNMARKED


def counts_at_least(unit: str, right: str) -> bool:
    """ "3000家以上中小企业": at least so many of the things named after it, not a threshold."""
    return (
        unit in COUNT_MEASURES
        and right.startswith(("以上", "及以上"))
        and not right.startswith(_COUNT_THEN_OF)
    )


@_rule(keeps=False)
def _threshold(n: Candidate) -> bool:
    """对年收入10万元以上的村给予奖励。
    A threshold that picks things out; but 培育1000家以上创新型中小企业 counts them."""
    return bool(_THRESHOLD.match(n.right)) and not counts_at_least(n.unit, n.right)


@_rule(keeps=False)
def _rule_of_a_scheme(n: Candidate) -> bool:
    """给予最高不超过500万元的奖励。
    Rewards, weights and other rules of a scheme (权重不低于10%); a rate is still a target."""
    return bool(words.NOT_A_TARGET.search(n.head + n.right)) and not n.indicator.endswith("率")


@_rule(keeps=False)
def _frequency(n: Candidate) -> bool:
    """每季度巡河不少于1次。
    A duty's rhythm."""
    return n.unit in ("次", "批次") and bool(words.FREQUENCY_RE.search(n.head))


@_rule(keeps=True)
def _project_list(n: Candidate) -> bool:
    """新签约亿元以上项目150个。
    A counted list of projects."""
    return n.project is not None


@_rule(keeps=True)
def _funds_for_a_programme(n: Candidate) -> bool:
    """筹措7亿元实施就业惠民工程。
    The funds committed to a programme the plan names (named 就业惠民工程资金)."""
    return bool(funded_programme(n.clause))


@_rule(keeps=False)
def _layout(n: Candidate) -> bool:
    """重点抓好以下14个方面的工作。
    How the text is laid out."""
    return n.right.startswith("方面")


@_rule(keeps=False)
def _attributive(n: Candidate) -> bool:
    """建设20万吨级码头。
    The number describes the thing after it (20万吨级, 2400平方公里的新城)."""
    return bool(_ATTRIBUTIVE.match(n.right)) and not n.metric and not counts_at_least(n.unit, n.right)


@_rule(keeps=False)
def _hours_of_a_service(n: Candidate) -> bool:
    """有序推动公园24小时开放。
    A time that describes a service or a policy (240小时过境免签政策), not a time limit to meet (压缩至3个工作日以内)."""
    return n.unit in TIME_UNITS and n.reading.comparator is None and bool(_SERVICE_AFTER_TIME.match(n.right))


@_rule(keeps=False)
def _describes_a_thing(n: Candidate) -> bool:
    """设立规模10亿元的产业引导基金。
    It describes a thing (浓度低于100毫克/升的污水处理厂); but 总投资120亿元的产业园项目 is a size to reach."""
    described = _DESCRIBED_THING.match(n.right)
    return (
        described is not None
        and n.reading.kind == "absolute"
        and not described.group(1).endswith(words.METRIC_ENDINGS)
        and not n.indicator.endswith("投资")
    )


@_rule(keeps=True)
def _unnamed_but_compared(n: Candidate) -> bool:
    """全市社会消费品零售总额增长6.5%左右、突破1350亿元。
    Named by the clause before; the comparator marks it."""
    return not n.indicator and n.reading.comparator is not None


@_rule(keeps=True)
def _unnamed_list_item(n: Candidate) -> bool:
    """改造城镇老旧小区420个、4.6万户。
    Named by the item before it in a 、-list."""
    return not n.indicator and "、" in n.head


@_rule(keeps=False)
def _unnamed(n: Candidate) -> bool:
    """落实目标任务，梳理形成本台账，共20项。
    Nothing names what the number measures."""
    return not n.indicator


@_rule(keeps=False)
def _count_of_indicators(n: Candidate) -> bool:
    """提出6项指标。
    How many indicators a plan has (其中约束性指标9项, 其中20个预期性指标), or who reaches a figure (两个基地新增风电装机600万千瓦)."""
    return n.unit in COUNT_MEASURES and bool(
        _COUNTED_DOERS.match(n.right)
        or (n.unit == "项" and n.indicator.endswith("指标"))
        or (n.unit == "个" and bool(_INDICATORS_COUNTED.match(n.right)))
    )


@_rule(keeps=False)
def _plant_named_by_size(n: Candidate) -> bool:
    """推动临江化工60万吨钾肥装置技术升级。
    A company's plant named by its size."""
    item = n.head.rsplit("、", 1)[-1]  # the list item the number stands in
    return (
        n.unit not in COUNT_MEASURES
        and n.reading.kind == "absolute"
        and n.reading.comparator is None
        and not n.metric
        and not words.TARGET_VERBS.search(item)
        and not VERB_AT_END.search(item)
        and bool(NAMED_BY_SIZE.match(n.right))
    )


@_rule(keeps=True)
def _comparator(n: Candidate) -> bool:
    """港口吞吐量超3亿吨。
    A comparator (超, 不低于, 以上) marks a level to reach."""
    return n.reading.comparator is not None


@_rule(keeps=True)
def _not_absolute(n: Candidate) -> bool:
    """高新技术企业年均新增20家。
    A yearly increment, a multiple of a base or a difference from another series."""
    return n.reading.kind != "absolute"


@_rule(keeps=True)
def _metric(n: Candidate) -> bool:
    """全市森林覆盖率45%。
    The indicator is a metric (…率, …量, …收入)."""
    return n.metric


@_rule(keeps=True)
def _target_verb(n: Candidate) -> bool:
    """新建5G基站1200个。
    A target verb in the clause (not inside an attribute: 办好的三件大事), or after the number."""
    return bool(
        words.TARGET_VERBS.search(n.right)
        or (words.TARGET_VERBS.search(n.head) and not n.head.endswith("的"))
    )


@_rule(keeps=True)
def _built_before_the_number(n: Candidate) -> bool:
    """建设省级良种繁育基地5个。
    建设 before the number, the thing built between them."""
    return bool(words.BUILD_BEFORE_NUMBER.search(n.head))


@_rule(keeps=True)
def _count_reaching_a_stage(n: Candidate) -> bool:
    """30个物流园全面投用。
    A count of things that reach a stage (投产, 竣工, 投用)."""
    return n.unit in COUNT_MEASURES and bool(words.COUNT_REACHES_STAGE.match(n.right))


@_rule(keeps=True)
def _under_a_targets_heading(n: Candidate) -> bool:
    """（一）主要目标\\n全市星级酒店40家。
    Under a heading that announces targets (主要目标, 发展指标) a named figure is a target as it stands."""
    return n.clause.under_targets_heading


@_rule(keeps=True)
def _part_of_the_target_before(n: Candidate) -> bool:
    """引进各类人才2.5万人，其中高层次人才500人。
    A part of the target just before, in its sentence."""
    c = n.clause
    return c.breaks_down_previous or breaks_down(c.left, c.previous, c.sentence)


@_rule(keeps=True)
def _plain_figure(n: Candidate) -> bool:
    """盘活批而未供和闲置土地6000亩。
    A figure written in digits in a plan's own words (整顿软弱涣散村党组织42个) — unless it only counts
    what a list names (白沙河等9条), sets a rule per thing (每条产业链明确1名), a share of something
    (按…的20%), how often (2次), or what the clause goes on to measure (18个断面达标率不低于90%)."""
    c = n.clause
    quantity = c.quantity
    if not quantity.number_text[0].isdigit() or quantity.unit == "次" or quantity.is_range:
        return False
    if c.left.endswith(_NOT_PLAIN_BEFORE) or any(word in c.head for word in _NOT_PLAIN_IN_HEAD):
        return False
    if quantity.unit not in COUNT_MEASURES and NAMED_BY_SIZE.match(c.text, quantity.end):
        return False  # 中海油300万吨油砂加工项目: the size in a project's name
    stop = _ITEM_STOP.search(c.text, quantity.end, quantity.end + MAX_REACH)
    return not QUANTITY.search(c.text, quantity.end, stop.start() if stop else quantity.end + MAX_REACH)
