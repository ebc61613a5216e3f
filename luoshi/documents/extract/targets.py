"""Step 2, quantitative targets: indicator, comparator, value in base units, unit, year and kind.

Each number with a measure unit is read in its clause: words around it give the comparator and
the kind (absolute, multiple of a baseline, relative to another series, yearly increment), the
sentence gives the year. A number is kept only when something marks it as a target: a comparator,
a target verb, a metric-like indicator, a project list. Numbers in quotes or titles, attributes
(20万吨级, 2400平方公里的新城) and figures already achieved (同比增长…) are left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal

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

_CLAUSE_STOPS = "，。；！？：\n、\t"
_SENTENCE_STOPS = "。！？\n"
_COMMA_STOPS = "，。；！？：\n\t"
#: How far a clause or sentence may reach from a number; text without punctuation stays linear.
_MAX_REACH = 400
#: The words read before and after a number; indicator names and comparators fit well inside.
_MAX_LEFT = 40
#: How close a clause without an indicator must follow the target whose indicator it takes.
_INHERIT_REACH = 2
_EQUIVALENT = re.compile(r"（(?:约|合|折合|即)?$")  # 17万元（约2.4万美元）
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
_COUNT_THEN_OF = ("以上的", "以下的", "及以上的")
_THRESHOLD = re.compile(r"(?:以上|以下|及以上|及以下)(?!的目标)(?:的|[\u4e00-\u9fff])")
#: A short heading that announces the plan's targets: 主要目标, 发展目标, 目标任务, 主要指标.
_TARGETS_HEADING = re.compile(r"目标|指标")
_ATTRIBUTIVE = re.compile(r"(?:以上|以下)?(?:的(?!目标)|级|型|式)|(?:以上|以下)[\u4e00-\u9fff](?!目标)")
_MAX_RIGHT = 24
_DESCRIBED_THING = re.compile(r"(?:以上|以下|以内|左右)?的(?!目标|任务|要求|红线|底线)([\u4e00-\u9fff]{2,12})")
_ITEM_STOP = re.compile(r"[，。；、\n]")
_NAMED_BY_SIZE = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:项目|工程|基地|产业园|装置|电站|产能|生产线)|[^，。；]{0,30}等[\u4e00-\u9fff]{0,10}(?:项目|工程)")
#: "两个基地新增风电装机600万千瓦": a count of who does it, before the figure they reach.
_COUNTED_DOERS = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:新增|建成|完成|达到|实现)[\u4e00-\u9fff]{0,10}?\d")
_TIME_UNITS = ("工作日", "天", "小时", "分钟")
_WITHIN_TIME = re.compile(r"内(?:完成|予以|作出|进行|办结并)?(?P<action>[\u4e00-\u9fff]{2,10})")
_TIME_CIRCLE = re.compile(r"[\u4e00-\u9fff]{0,6}圈")
_CAPACITY_WORDS = ("年产", "年处理", "年加工", "日处理", "日供水", "年吞吐")
#: "按照装机容量的15%、时长2小时配置储能": a rule for sizing something, not a level to reach.
_PROPORTION_RULE = re.compile(r"按(?:照)?[\u4e00-\u9fff]{1,12}的")
_SHARE_OF_BASE = re.compile(r"^(?P<name>.+?)(?P<word>达到|不低于|不超过|超过|控制在|占)(?P<base>[\u4e00-\u9fff]{2,12})的$")
_SHARE_WORDS = ("比重", "比例", "份额", "占比")
_LIST_JOINER = re.compile(r"(?:以及|和|及|与|或)$")
#: A heading marker that opens the clause: "1.投资3000万元建设…".
_HEADING_MARKER = re.compile(r"^(?:\d{1,2}[.、．]|（\d{1,2}）|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")
_AT_LEAST_BEFORE_VERB = re.compile(r"(?:至少|最少)[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff]{1,8}$")


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
        if quantity is not None and quantity.start not in paired and not _skipped_position(doc, quantity, tables):
            target = _read_quantity(doc, quantity, plan, sections, dates, found[-1] if found else None)
            if target is not None:
                found.extend(_respectively(doc, target, quantity, paired) or [target])
    for match in words.DOUBLING_RE.finditer(text):
        if not doc.in_quotes(match.start()):
            target = _read_doubling(doc, match, plan, dates)
            if target is not None:
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
    doc: Prepared, quantity: Quantity, plan: PlanDates, sections: _Sections, dates: DateIndex,
    previous: Target | None = None,
) -> Target | None:
    """Read one number in its clause; None when it is not a target."""
    text = doc.text
    clause_start, clause_end = doc.enclosing(quantity.start, _CLAUSE_STOPS, _MAX_REACH)
    sentence = doc.enclosing(quantity.start, _SENTENCE_STOPS, _MAX_REACH)
    clause_start = max(clause_start, quantity.start - _MAX_LEFT)
    left = text[clause_start : quantity.start]
    right = text[quantity.end : min(clause_end, quantity.end + _MAX_RIGHT)]
    if _EQUIVALENT.search(left):
        return None  # 17万元（约2.4万美元）: an equivalent in brackets
    if quantity.unit in _TIME_UNITS and _TIME_CIRCLE.match(right):
        return None  # 构建1小时通勤圈, 15分钟健身圈: a reach that names a thing
    if left.endswith("从") and _FROM_TO.match(right):
        return None  # 从77%提高到80%: the level it starts from
    if left.endswith("等") and quantity.unit in COUNT_MEASURES:
        return None  # 新开工临江至河口等3个项目, 培育光伏等4个产业集群: the count of what the text names
    clause_head = _clause_head(doc, quantity)
    if _defines_a_kind(text, quantity) or _PROPORTION_RULE.search(clause_head) or left.endswith(_CAPACITY_WORDS):
        return None  # 年产5万台新能源汽车电驱系统项目: the size in a project's name
    in_targets_section = sections.announces_targets(quantity.start)
    if _reports_the_past(text, sentence, quantity.start, plan.start, in_targets_section):
        return None
    reading = _reading(quantity, left, right, clause_head)
    if quantity.is_range and reading.comparator in (None, "eq"):
        reading.comparator = "gte"  # 8—10个, 增长4.5%—5%: at least the lower bound
    part_of_list_before = _breaks_down(clause_head, previous, sentence)
    if part_of_list_before and previous.kind == "increment" and reading.kind == "absolute" \
            and not clause_head.endswith(_SHARE_WORDS):
        reading.kind = "increment"  # 每年完成造林100万亩，其中人工造林40万亩: a part of a yearly figure is yearly
    project = _project_list(quantity, left, right)
    stage = None
    if project:
        indicator = project
        stage_match = words.STAGES.search(text, quantity.end, clause_end)
        stage = stage_match.group() if stage_match else None
    else:
        fallback = _previous_object(text, sentence[0], clause_start)
        if not fallback and previous is not None and previous.span[1] >= sentence[0] \
                and _YEAR_CLAUSE_BEFORE.search(text, max(0, clause_start - 10), clause_start):
            fallback = previous.indicator  # 2026年，…覆盖率达到75%；2027年，达到85%
        indicator = _indicator_name(quantity, reading.indicator_words, right, fallback, clause_head)
    in_targets_section = (in_targets_section or part_of_list_before or _breaks_down(left, previous, sentence)
                          or _plain_figure(text, quantity, left, clause_head))
    if not _is_target(right, indicator, reading.comparator, reading.kind, project, clause_head,
                      in_targets_section, reading.unit):
        return None
    date = (_date_for(dates, quantity.start, (clause_start, clause_end), sentence, text, sections.start_of(quantity.start))
            or _five_year_goals(text, sentence[0], plan.year) or sections.dated_by_heading(quantity.start, dates))
    if date and date.year is not None and plan.start is not None and date.year < plan.start:
        return None  # a year before the plan starts is history, not a target
    return Target(
        id="", indicator=indicator, comparator=reading.comparator or "eq", value=plain_number(reading.value),
        unit=reading.unit, kind=reading.kind, year=date.year if date else plan.year,
        within_years=date.within_years if date else None, span=(clause_start, clause_end),
        value_span=(quantity.start, quantity.end), text=text[clause_start:clause_end],
        relative_to=reading.relative_to, stage=stage, deadline_text=text[date.start : date.end] if date else None,
    )


@dataclass
class _Reading:
    """What the words around a number say: kind, value and unit as meant, comparator, baseline."""

    kind: str
    value: Decimal
    unit: str
    comparator: str | None
    relative_to: str | None
    indicator_words: str


def _reading(quantity: Quantity, left: str, right: str, clause_head: str = "") -> _Reading:
    value, unit = quantity.value, quantity.unit
    comparator = _comparator(left, right)
    within = _WITHIN_TIME.match(right) if unit in _TIME_UNITS else None
    if within:  # 应在5个工作日内完成目录更新: a time limit for the action named after it
        return _Reading("absolute", value, unit, comparator or "lte", None, within.group("action"))
    indicator_words = words.COMPARATOR_BEFORE_RE.sub("", left)
    relative = words.RELATIVE_RE.search(left) if unit in ("百分点", "%") else None
    increment = words.INCREMENT_RE.search(left) or _shared_increment(left, clause_head)
    change = None if increment and increment.end() >= len(left) - 2 else words.CHANGE_RE.search(left)
    share = _SHARE_OF_BASE.match(left) if unit == "%" else None
    if share:  # 电力系统调节能力达到最高用电负荷的18%
        word = share.group("word")
        return _Reading("absolute", value, unit, comparator or words.COMPARATOR_BEFORE.get(word, "eq"), None,
                        share.group("name"))
    if relative:  # 高于全省2.5个百分点
        lower = relative.group("word") in words.RELATIVE_LOWER
        value, comparator = (-value, "lte") if lower else (value, "gte")
        return _Reading("relative", value, unit, comparator, relative.group("series"), left[: relative.start()])
    if change and unit in ("%", "百分点"):  # 较2023年下降30%以上, 比2020年提高5个百分点
        base = change.group("base") or ("上年" if change.group().startswith("同比") else "基期")
        down = change.group("word") in words.CHANGE_DOWN
        comparator = {"gte": "lte" if down else "gte", "approx": "approx"}.get(_after_word(right) or "", "eq")
        if unit == "百分点":
            return _Reading("relative", -value if down else value, unit, comparator, base, left[: change.start()])
        factor = 1 - value / 100 if down else 1 + value / 100
        return _Reading("multiple", factor, "倍", comparator, base, left[: change.start()])
    if change and unit in ("岁", "年") and not change.group("base"):  # 人均预期寿命再提高1岁: a rise from now
        down = change.group("word") in words.CHANGE_DOWN
        return _Reading("relative", -value if down else value, unit, comparator or "eq", "现有基础",
                        _AGAIN.sub("", left[: change.start()]))
    if increment:  # 年均新增20家以上; 年均下降5% is -5% a year
        if (increment.group("verb") or increment.group("every_verb")) in words.CHANGE_DOWN:
            value, comparator = -value, {"gte": "lte", "gt": "lt"}.get(comparator or "", comparator)
        return _Reading("increment", value, unit, comparator, None, words.INCREMENT_RE.sub("", indicator_words))
    if unit == "倍":  # 是2020年的2倍, 增长2倍 (= ×3)
        baseline = words.BASELINE_RE.search(left)
        relative_to = (baseline.group("base") or baseline.group("year")) if baseline else None
        factor = value + 1 if left.endswith(("增长", "增加")) else value
        return _Reading("multiple", factor, unit, comparator, relative_to,
                        left[: baseline.start()] if baseline else indicator_words)
    return _Reading("absolute", value, unit, comparator, None, indicator_words)


def _breaks_down(left: str, previous: Target | None, sentence: tuple[int, int]) -> bool:
    """"引进各类人才2.5万人，其中高层次人才500人": a part of the target just before, in its sentence."""
    return left.startswith("其中") and previous is not None and previous.span[1] >= sentence[0]


def _shared_increment(left: str, clause_head: str) -> re.Match[str] | None:
    """"每年推介重大项目不少于300个、总投资3000亿元以上": a 、-list item shares the list's 每年."""
    if left == clause_head or words.CUMULATIVE_WORDS.search(left) or words.CHANGE_RE.search(left):
        return None  # not a later list item, or an item that sums up or changes on its own
    return words.INCREMENT_RE.search(clause_head[: len(clause_head) - len(left)])


def _indicator_name(quantity: Quantity, indicator_words: str, right: str, fallback: str, clause_head: str = "") -> str:
    """The indicator: the words before the number, unless the thing counted or measured follows it."""
    own = _indicator(indicator_words)
    indicator = "" if own in _ONLY_PREPOSITION else (own or fallback)
    # 提升改造210公里农村公路和120万平方米村内道路: a verb, or another figure, before the number
    verb_or_figure = bool(indicator) and bool(words.VERB_ONLY.fullmatch(indicator) or QUANTITY.search(indicator))
    # 建成20个…工程: nothing of its own before; 店头电厂二期等402万千瓦机组: only the list's names before
    verb_or_figure = verb_or_figure or (not own and bool(fallback)) or own.endswith("等") or bool(_VERB_AT_END.search(own))
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


#: "新能源富集地区布局建设700万千瓦新型储能项目": a verb right before the number, the thing after it.
_VERB_AT_END = re.compile(rf"(?:{words.VERB_ONLY.pattern})$")
#: "20个500千伏输变电工程": the size of the things counted, written between the count and the things.
_SIZE_BEFORE_THING = re.compile(r"^\d+(?:\.\d+)?(?:万|亿)?(?:千伏|千瓦|兆瓦|吨|平方米|米|公里|MW)(?:级)?")
_FROM_TO = re.compile(r"[^，。；]{0,16}?(?:到|至)\d")
#: "从15个县（市）扩大到57个": the starting level is not part of the indicator's name.
_FROM_LEVEL = re.compile(r"从\d[^，。；]*$")
_YEAR_CLAUSE_BEFORE = re.compile(r"(?:19|20)\d{2}年(?:底|末)?，$")
_AGAIN = re.compile(r"再$")
_BOTH = re.compile(r"(?<![年人平])均(?=达到|不低于|不少于|超过|保持|稳定|控制|提高|提升)")
_BASELINE_TAIL = re.compile(r"(?:较|比|同比|相比)[^，。；]{0,8}$")
_RESPECTIVE_ITEMS = re.compile(r"和|、|及|与")
_NEXT_VALUE = re.compile(r"(?:和|、|，|及)")


def _clause_head(doc: Prepared, quantity: Quantity) -> str:
    """The comma clause up to the number, 、-lists included."""
    return doc.text[doc.enclosing(quantity.start, _COMMA_STOPS, _MAX_LEFT)[0] : quantity.start]


def _respectively(doc: Prepared, target: Target, quantity: Quantity, paired: set[int]) -> list[Target] | None:
    """"电子信息、生物医药产业产值分别突破300亿元、150亿元": one target per item, in order.

    The items share the words after the last one's own name (产业产值); the last item is split where
    its own name ends, at the word boundary nearest the first item's length. The comparator written
    after the last value (以上) holds for all of them.
    """
    text = doc.text
    clause_start = doc.enclosing(quantity.start, _COMMA_STOPS, _MAX_LEFT)[0]
    respectively = text.rfind("分别", clause_start, quantity.start)
    if respectively < 0:  # 县级公共图书馆、文化馆总分馆制覆盖率均达到100%
        both = _BOTH.search(text, clause_start, quantity.start)
        respectively = both.start() if both else -1
    if respectively < 0:
        return None
    subject = _BASELINE_TAIL.sub("", text[clause_start:respectively])  # …起数和死亡人数较上年|分别下降
    items = [item for item in _RESPECTIVE_ITEMS.split(_indicator(subject)) if item]
    if len(items) < 2:
        return None
    values, position = [quantity], quantity.end
    while len(values) < len(items):
        own_word = words.COMPARATOR_AFTER_RE.match(text, position)  # 分别增长4%左右和6%左右
        joiner = _NEXT_VALUE.match(text, own_word.end() if own_word else position)
        following = QUANTITY.match(text, joiner.end()) if joiner else None
        later = quantity_from_match(following) if following else None
        if later is None or later.unit != quantity.unit:
            if len(values) > 1:
                return None
            values = [quantity] * len(items)  # 事故起数和死亡人数较上年分别下降10%以上: one value for each
            position = -1
            break
        values.append(later)
        position = later.end
    last_comparator = _after_word(text[position : position + 4]) if position >= 0 else None
    shared_tail = items[-1][_own_name_length(items[-1], items[0]) :] if len(items[0]) < len(items[-1]) else ""
    names = [item + shared_tail for item in items[:-1]] + [items[-1]]
    found = []
    for name, value in zip(names, values, strict=True):
        found.append(replace(
            target, indicator=name, value=plain_number(_as_read(target, quantity, value.value)),
            value_span=(value.start, value.end), comparator=last_comparator or target.comparator,
        ))
        if value is not quantity:
            paired.add(value.start)
    return found


def _as_read(target: Target, first: Quantity, value: Decimal) -> Decimal:
    """A later value of a 分别 list read the way the first one was (增长6% → ×1.06, 下降 → negative)."""
    if target.unit == "倍" and first.unit == "%":
        return 1 + value / 100 if target.value >= 1 else 1 - value / 100
    return value * Decimal(str(target.value)) / first.value if first.value else value


def _own_name_length(item: str, first: str) -> int:
    """Where the last item's own name ends ("生物医药|产业产值"): where it ends like the first item
    (小班、中班、大班|班额), else at the word boundary nearest the first item's length."""
    near = len(first)
    alike = [index + 1 for index in range(len(item) - 2) if item[index] == first[-1]]  # 大班|班额, 文化馆|总分馆制…
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
    """"2个千亿级产业集群和6个…" → 千亿级产业集群; "100个示范社区全面建成" → 示范社区."""
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
    clause_start, clause_end = doc.enclosing(match.start(), _CLAUSE_STOPS, _MAX_REACH)
    sentence = doc.enclosing(match.start(), _SENTENCE_STOPS, _MAX_REACH)
    if _reports_the_past(text, sentence, match.start(), plan.start):
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
        id="", indicator=_indicator(left), comparator="gte" if match.group("more") else "eq",
        value=2**times, unit="倍", kind="multiple", year=date.year if date else plan.year,
        within_years=date.within_years if date else None, span=(clause_start, clause_end),
        value_span=match.span(), text=text[clause_start:clause_end], relative_to=relative_to,
        deadline_text=text[date.start : date.end] if date else None,
    )


def _reports_the_past(
    text: str, sentence: tuple[int, int], position: int, plan_start: int | None = None, aiming: bool = False
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
    if words.SAME_PERIOD.search(part) and _opens_with_past_period(text[start:end], plan_start):
        return True
    if words.REPORTED.search(text, start, end) and _opens_with_past_period(text[start:end], plan_start):
        return True  # 一季度，全区实现地区生产总值168.7亿元，同比增长5.6%；规模以上工业增加值增长7.2%
    return bool(words.PAST_COMPARISONS.search(part)) and not words.AIMING_WORDS.search(part)


def _without_marker(sentence: str) -> str:
    return _HEADING_MARKER.sub("", sentence.lstrip())


def _states_a_level(text: str, sentence_start: int, position: int, part: str) -> bool:
    """"2024年县域内就诊率为84.6%": a level stated with 为 in a sentence that aims at nothing."""
    before = text[max(sentence_start, position - 2) : position]
    if not before.endswith("为") or before.endswith(("作为", "成为", "设为", "定为")):
        return False
    return not (words.AIMING_WORDS.search(part) or re.search(r"到(?:19|20)\d{2}年", text[sentence_start:position]))


_KIND_DEFINED = re.compile(r"（[^（）]{0,30}$")


def _defines_a_kind(text: str, quantity: Quantity) -> bool:
    """Numbers that say which things a measure is about, not how many to reach.

    "小型低风险产业类项目（总投资3000万元以下、建筑面积不超过5000平方米）": a scope in brackets;
    "培育年产值超10亿元企业15家": an amount right before the thing counted and its count.
    """
    opening = _KIND_DEFINED.search(text, max(0, quantity.start - 30), quantity.start)
    if opening:
        inside = text[opening.start() : text.find("）", quantity.end, quantity.end + 40) + 1 or quantity.end]
        if re.search(r"以下|以上|不超过|不低于|不少于|及以上|以内", inside) and not inside.startswith("（其中"):
            return True
    return quantity.unit == "元" and bool(_COUNT_AFTER_AMOUNT.match(text, quantity.end))


_COUNT_AFTER_AMOUNT = re.compile(r"(?:以上|以下|及以上)?(?!的)[\u4e00-\u9fff]{1,8}?\d+(?:\.\d+)?[万千]?(?:家|个|项)")


def _aims_at_a_year(text: str, sentence_start: int, part: str) -> bool:
    """"到2025年，…累计完成备案1.2万家以上": 累计完成 in a sentence aiming at a year is a target."""
    opening = re.match(r"到(\d{4})年", text[sentence_start : sentence_start + 8])
    return bool(opening or re.search(r"[，。]到\d{4}年", part)) and bool(words.AIMING_WORDS.search(part))


def _opens_with_past_period(sentence: str, plan_start: int | None) -> bool:
    """"2023年，…同比增长12.3%", "去年，…": the sentence reports on a period, not one the plan aims at."""
    opening = words.PERIOD_OPENING.match(sentence)
    if opening is None:
        return False
    year = opening.group("year")
    return year is None or plan_start is None or int(year) < plan_start


def _comparator(left: str, right: str) -> str | None:
    after = _after_word(right)
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


def _after_word(right: str) -> str | None:
    match = words.COMPARATOR_AFTER_RE.match(right)
    return words.COMPARATOR_AFTER[match.group()] if match else None


def _project_list(quantity: Quantity, left: str, right: str) -> str | None:
    """"581个亿元以上产业项目", "新签约亿元以上项目150个": a counted list of projects."""
    if quantity.unit not in COUNT_MEASURES or (left.startswith("对") and left.endswith("的")):
        return None  # 对一季度计划开工但尚未开工的19个项目: projects acted on, not a list to build
    after = words.PROJECT_NOUN.match(right)
    if after:
        return after.group()
    return _indicator(left) if left.endswith(("项目", "工程")) else None


def _indicator(left: str) -> str:
    """The indicator's name from the words before the number, fillers and dates trimmed."""
    left = _FROM_LEVEL.sub("", _HEADING_MARKER.sub("", left.strip()))
    if "）" in left and "（" not in left.rsplit("）", 1)[0][-30:]:
        left = left.rsplit("）", 1)[1]  # …（建筑面积不超过5000平方米）从立项到…审批时间: after the bracket
    if "的" in left and len(left.rsplit("的", 1)[1]) >= 2:
        owner, head = left.rsplit("的", 1)
        if not ("占" in owner and head in _SHARE_WORDS):  # 制造业增加值占全市生产总值的比重: one name
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
    """"设立数字化转型专项资金，每年安排不少于5000万元": the thing counted is the previous clause's object."""
    previous = text[sentence_start : max(sentence_start, clause_start - 1)]
    previous = re.split(r"[，、；：]", previous)[-1]
    match = words.OBJECT_AFTER_VERB.search(previous)
    return match.group(1) if match else ""


def _attributive_indicator(right: str) -> str:
    """"高于全省2.5个百分点的发展增速": the indicator written after the number."""
    match = _WRITTEN_AFTER.match(right)
    return match.group(1) if match else ""


def _plain_figure(text: str, quantity: Quantity, left: str, clause_head: str) -> bool:
    """A figure written in digits in a plan's own words is a target even without a verb we know
    ("盘活批而未供和闲置土地6000亩", "整顿软弱涣散村党组织42个") — unless it only counts what a list
    names (白沙河等9条), sets a rule per thing (每条产业链明确1名), a share of something (按…的20%),
    how often (2次), or what the clause goes on to measure (18个断面达标率不低于90%)."""
    if not quantity.number_text[0].isdigit() or quantity.unit == "次" or quantity.is_range:
        return False
    if left.endswith(("等", "的", "共")) or any(word in clause_head for word in ("每", "按", "各", "了")):
        return False
    if quantity.unit not in COUNT_MEASURES and _NAMED_BY_SIZE.match(text, quantity.end):
        return False  # 中海油300万吨油砂加工项目: the size in a project's name
    stop = _ITEM_STOP.search(text, quantity.end, quantity.end + _MAX_REACH)
    return not QUANTITY.search(text, quantity.end, stop.start() if stop else quantity.end + _MAX_REACH)


def _counts_at_least(unit: str, right: str) -> bool:
    """"3000家以上中小企业": at least so many of the things named after it, not a threshold."""
    return unit in COUNT_MEASURES and right.startswith(("以上", "及以上")) and not right.startswith(_COUNT_THEN_OF)


#: A preposition standing where the indicator would: "为1000家左右社区卫生服务中心…" names the thing after.
_ONLY_PREPOSITION = frozenset({"为", "对", "在", "向", "给", "帮助"})
_ABOUT = re.compile(r"^左右")


def _is_target(
    right: str, indicator: str, comparator: str | None, kind: str, project: str | None, clause_head: str,
    in_targets_section: bool, unit: str,
) -> bool:
    """Whether a number is a target.

    clause_head is the comma clause up to the number, 、-lists included, so that in
    "累计创建国家级绿色工厂150家、省级绿色工厂500家" the second item shares the first one's verb.
    Under a heading that announces targets (主要目标, 发展指标) a named figure is a target as it stands.
    """
    metric = indicator.endswith(words.METRIC_ENDINGS)
    threshold = _THRESHOLD.match(right) and not _counts_at_least(unit, right)
    if threshold or (words.NOT_A_TARGET.search(clause_head + right) and not indicator.endswith("率")):
        return False  # 10万元以上的村, 年产值10亿元以上企业; but 1000家以上创新型中小企业 counts them
    if unit in ("次", "批次") and words.FREQUENCY_RE.search(clause_head):
        return False  # 每季度巡河不少于1次: a duty's rhythm  # 10万元以上的村, 给予最高不超过500万元的奖励, 权重不低于10%: thresholds and rules
    if project is not None:
        return True
    if right.startswith("方面"):
        return False  # 重点抓好以下14个方面的工作: how the text is laid out
    if _ATTRIBUTIVE.match(right) and not metric and not _counts_at_least(unit, right):
        return False
    described = _DESCRIBED_THING.match(right)
    if described and kind == "absolute" and not described.group(1).endswith(words.METRIC_ENDINGS) \
            and not indicator.endswith("投资"):  # 总投资120亿元的产业园项目 is the project's size to reach
        return False  # 设立规模10亿元的产业引导基金, 浓度低于100毫克/升的污水处理厂: it describes a thing
    if not indicator:  # "力争突破320亿元", "改造城镇老旧小区420个、4.6万户": named by the clause before
        return comparator is not None or "、" in clause_head
    if unit in COUNT_MEASURES and (_COUNTED_DOERS.match(right) or (unit == "项" and indicator.endswith("指标"))):
        return False  # 提出6项指标, 其中约束性指标9项: how many indicators a plan has
    item = clause_head.rsplit("、", 1)[-1]  # the list item the number stands in
    if unit not in COUNT_MEASURES and kind == "absolute" and comparator is None and not metric \
            and not words.TARGET_VERBS.search(item) and not _VERB_AT_END.search(item) \
            and _NAMED_BY_SIZE.match(right):
        return False  # 推动临江化工60万吨钾肥装置技术升级: a company's plant named by its size
    verb_marks = words.TARGET_VERBS.search(right) or (  # not a verb inside an attribute: 办好的三件大事
        words.TARGET_VERBS.search(clause_head) and not clause_head.endswith("的"))
    marked = (comparator or kind != "absolute" or metric or verb_marks
              or words.BUILD_BEFORE_NUMBER.search(clause_head)
              or (unit in COUNT_MEASURES and words.COUNT_REACHES_STAGE.match(right)))
    return bool(marked or in_targets_section)


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
    dates: DateIndex, position: int, clause: tuple[int, int], sentence: tuple[int, int], text: str = "",
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
    before = [d for d in in_sentence if d.end <= position and not _duration_left_behind(d, position, text)
              and not _ATTRIBUTIVE_DATE.match(text, d.end)]
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
_FIVE_YEAR_GOALS = re.compile(r"[^。\n]{0,30}?(?P<plan>纲要|“?十[一二三四五六七八九]五”?规划|五年规划)[^。\n]{0,30}?(?:目标|指标)")


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
    """"三年累计签约项目150个、总投资800亿元，项目履约率达到90%": a duration holds in its comma clause only."""
    if not text or date.year is not None or "时间" in text[date.start : date.end + 3] or text[date.end : date.end + 1] == "，":
        return False  # "用五年左右的时间，…", "力争三年内，…" set the span of the whole sentence
    return any(stop in text[date.end : position] for stop in "，；")


def _sets_the_year(text: str, date: DateMention) -> bool:
    """"到2025年，" at a sentence's start: a year that governs the sentences after it."""
    start = date.start - 1 if date.start and text[date.start - 1] in "到至" else date.start
    opens = start == 0 or text[start - 1] in "。，\n"
    head = text[start : date.end + 2]
    return opens and head.startswith(("到", "至")) and bool(re.search(r"年(?:底|末)?，", head))


def number_targets(targets: list[Target]) -> list[Target]:
    """Sort targets into text order, give them ids, and point each "再翻一番" at the target it doubles.

    A target whose clause names no indicator ("突破1.2万亿元，较2022年翻一番") takes the one before it.
    """
    targets = sorted(targets, key=lambda t: t.value_span[0])
    for index, target in enumerate(targets):
        previous = targets[index - 1] if index else None
        near = previous is not None and target.span[0] - previous.span[1] <= _INHERIT_REACH
        own_year = bool(_LEADING_YEAR.match(target.text))  # "2026年…达到900亿元，2027年突破1050亿元"
        if not target.indicator and near and (previous.year == target.year or own_year):
            target.indicator = previous.indicator
        elif previous is not None and near and target.indicator in words.GENERIC_INDICATORS:
            target.indicator = previous.indicator + target.indicator  # 一般公共预算收入增长5%，总量达到218亿元
        elif previous is not None and near and words.VERB_ONLY.fullmatch(target.indicator):
            target.indicator = previous.indicator  # 开工建设标准厂房80万平方米、建成60万平方米
    targets = [target for target in targets if target.indicator]
    for number, target in enumerate(targets, start=1):
        target.id = f"t{number}"
    for index, target in enumerate(targets):
        if target.relative_to != "previous_target":
            continue
        for earlier in reversed(targets[:index]):
            if earlier.indicator and (earlier.indicator in target.indicator or target.indicator in earlier.indicator):
                target.previous_target = earlier.id
                break
    return targets


def attach_headings(targets: list[Target], headings: list[Heading]) -> None:
    """Each target belongs to the last heading that starts before it."""
    starts = [heading.span[0] for heading in headings]
    for target in targets:
        index = bisect.bisect_right(starts, target.span[0]) - 1
        target.heading = headings[index].id if index >= 0 else None
