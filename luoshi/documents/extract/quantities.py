"""Numbers with a measure unit ("3亿吨", "七十万人", "75%", "2.5个百分点"), converted to base units.

cn2an's smart mode converts a pure number span (七十万 → 700000); it raises when a unit is still
attached, so the span is cut first. Arabic numbers are parsed with Decimal so 0.62万 stays exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_MAGNITUDES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(1000)}

#: Measure units a target can be counted in, mapped to the base unit written in the proposal.
MEASURES: dict[str, str] = {
    "个百分点": "百分点",
    "百分点": "百分点",
    "个工作日": "工作日",
    "工作日": "工作日",
    "平方公里": "平方公里",
    "平方千米": "平方公里",
    "平方米": "平方米",
    "立方米": "立方米",
    "千瓦时": "千瓦时",
    "千瓦": "千瓦",
    "兆瓦": "兆瓦",
    "吨标准煤": "吨标准煤",
    "标箱": "标箱",
    "TEU": "标箱",
    "公里": "公里",
    "千米": "公里",
    "公顷": "公顷",
    "美元": "美元",
    "人次": "人次",
    "家次": "家次",
    "批次": "批次",
    "元": "元",
    "吨": "吨",
    "人": "人",
    "家": "家",
    "个": "个",
    "户": "户",
    "项": "项",
    "所": "所",
    "座": "座",
    "台": "台",
    "辆": "辆",
    "套": "套",
    "名": "名",
    "亩": "亩",
    "架": "架",
    "张": "张",
    "件": "件",
    "条": "条",
    "艘": "艘",
    "倍": "倍",
    "天": "天",
    "小时": "小时",
    "分钟": "分钟",
    "公斤": "公斤",
    "千克": "公斤",
    "斤": "斤",
    "亩次": "亩次",
    "千伏安": "千伏安",
    "册": "册",
    "盏": "盏",
    "TB": "TB",
    "PB": "PB",
    "套（间）": "套（间）",
    "套(间)": "套（间）",
    "片": "片",
    "支": "支",
    "类": "类",
    "起": "起",
    "宗": "宗",
    "批": "批",
    "株": "株",
    "头": "头",
    "只": "只",
    "间": "间",
    "栋": "栋",
    "%": "%",
    "‰": "‰",
    "场次": "场次",
    "场": "场",
    "次": "次",
    "处": "处",
    "部": "部",
    "列": "列",
    "吨/日": "吨/日",
    "吨/天": "吨/日",
    "立方米/日": "立方米/日",
    "立方米/天": "立方米/日",
    "吨/年": "吨/年",
    "微克/立方米": "微克/立方米",
    "毫克/升": "毫克/升",
    "吨标准煤/万元": "吨标准煤/万元",
    "立方米/万元": "立方米/万元",
    "EFLOPS": "EFLOPS",
    "EFlops": "EFLOPS",
    "PFLOPS": "PFLOPS",
    "PFlops": "PFLOPS",
    "TFLOPS": "TFLOPS",
    "MW": "兆瓦",
    "GW": "吉瓦",
    "kW": "千瓦",
    "km": "公里",
    "吉瓦": "吉瓦",
    "克/千克": "克/千克",
    "班次": "班次",
    "岁": "岁",
    "例": "例",
    "年": "年",
    "方": "方",
    "度": "度",
    "P": "P",
}
#: Measures that are words of their own too, read as measures only in the shape a figure gives them:
#: 年 after a decimal ("受教育年限14.2年", never 2026年 or 三年), 方 and 度 after a magnitude
#: ("100亿方天然气", "3000亿度电", never 三方 or 一度), P after digits ("算力4万P").
_GUARDED = {
    "年": lambda number, magnitude: "." in number,
    "方": lambda number, magnitude: bool(magnitude),
    "度": lambda number, magnitude: bool(magnitude),
    "P": lambda number, magnitude: number[0].isdigit(),
}
#: "58万元/人", "0.6人/百亿元": a measure per something, kept as one compound unit.
_PER = r"/(?:百亿|十万|万|亿|千|百)?(?:元|人|户|千克|公斤|亩|平方米|平方公里|年|天|日|小时|台|家|人次)"
_MEASURE_ALTERNATION = "|".join(sorted(map(re.escape, MEASURES), key=len, reverse=True))
_NUMBER = (
    rf"(?:\d+(?:,\d{{3}})*(?:\.\d+)?|[一二两三四五六七八九十][{CN_DIGITS}]*(?:点[零〇一二三四五六七八九]+)?)"
)

#: A number, an optional magnitude (万/亿 …) and a measure unit; "百分之七十五" separately.
QUANTITY = re.compile(
    rf"(?P<number>{_NUMBER})(?P<magnitude>万亿|亿|万|千)?(?P<measure>{_MEASURE_ALTERNATION})(?P<per>{_PER})?"
    rf"|百分之(?P<percent>{_NUMBER})"
)
#: Measures that only count things; a count of 一 is nearly always the article "a", not a target.
COUNT_MEASURES = {
    "个",
    "家",
    "项",
    "所",
    "座",
    "台",
    "辆",
    "套",
    "名",
    "架",
    "张",
    "件",
    "条",
    "艘",
    "户",
    "次",
    "场",
    "处",
    "部",
    "列",
    "类",
    "起",
    "宗",
    "批",
    "株",
    "头",
    "只",
    "间",
    "栋",
    "套（间）",
    "片",
    "支",
    "册",
    "盏",
    "例",
}


@dataclass
class Quantity:
    value: Decimal
    unit: str
    start: int
    end: int
    number_text: str
    #: "8—10个": a range, read as its lower bound
    is_range: bool = False


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number-with-unit in text[start:end], with spans in the full text."""
    found = []
    for match in QUANTITY.finditer(text, start, len(text) if end is None else end):
        quantity = quantity_from_match(match)
        if quantity is not None:
            found.append(quantity)
    return found


def quantity_from_match(match: re.Match[str]) -> Quantity | None:
    if match.group("percent"):
        value = parse_number(match.group("percent"))
        return None if value is None else Quantity(value, "%", match.start(), match.end(), match.group())
    number_text = match.group("number")
    value = parse_number(number_text)
    if value is None:
        return None
    magnitude = match.group("magnitude")
    guard = _GUARDED.get(match.group("measure"))
    if guard is not None and not guard(number_text, magnitude):
        return None
    if magnitude:
        value *= _MAGNITUDES[magnitude]
    unit = MEASURES[match.group("measure")] + (match.group("per") or "")
    return Quantity(value, unit, match.start(), match.end(), number_text)


_RANGE_LOW = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)%?[—–~～-]$")
#: The low end of "4.5%-5%", read with the high end as one range.
RANGE_HIGH_AFTER = re.compile(r"[—–~～-]\d")


def with_range(text: str, quantity: Quantity) -> Quantity:
    """ "培育8—10个百亿企业": the range's lower bound (8个), spanning the whole range; else as it is."""
    low = _RANGE_LOW.search(text, max(0, quantity.start - 12), quantity.start)
    if low and "%" in low.group() and quantity.unit != "%":
        return quantity
    high = parse_number(quantity.number_text) if low else None
    if not low or not high or not quantity.number_text[0].isdigit():
        return quantity
    value = Decimal(low.group(1)) * quantity.value / high
    return Quantity(value, quantity.unit, low.start(), quantity.end, low.group(1), is_range=True)


def parse_number(text: str) -> Decimal | None:
    """'2,447' → 2447, '0.62' → 0.62, '七十万' → 700000; None when it is not a number."""
    if text[0].isdigit():
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError):
        return None


def split_magnitude(unit_text: str) -> tuple[Decimal, str]:
    """'亿元' → (10^8, '元'), '万个' → (10^4, '个'), '%' → (1, '%'); used for table unit columns."""
    unit_text = unit_text.strip("（）() ")
    for prefix, factor in _MAGNITUDES.items():
        if unit_text.startswith(prefix) and len(unit_text) > len(prefix):
            rest = unit_text[len(prefix) :]
            return factor, MEASURES.get(rest, rest)
    return Decimal(1), MEASURES.get(unit_text, unit_text)


def plain_number(value: Decimal) -> int | float:
    """A JSON number: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)
