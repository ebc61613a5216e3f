"""How the pages write amounts of money: 万元 as entered, read the Chinese way or the English way; and
in a table, every amount in the one unit its header names (万元, or 亿元 once amounts reach 1 亿)."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from luoshi.core.money import MoneyColumns
from luoshi.indicators.units import humanize

register = template.Library()


def _trim(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


@register.filter
def wan_yuan(value: Decimal | float | int | None) -> str:
    """An amount in 万元 as 173亿元 in Chinese, or as 17.3 bn yuan in English."""
    if value is None or value == "":
        return "—"
    yuan = float(value) * 10_000
    if (get_language() or "zh-hans").startswith("zh"):
        return humanize(yuan, "元")
    for size, word in ((1e9, "bn"), (1e6, "m")):
        if abs(yuan) >= size:
            return f"{_trim(yuan / size)} {word} yuan"
    return f"{_trim(yuan)} yuan"


@register.filter
def in_unit(value: Decimal | float | int | None, columns: MoneyColumns) -> str:
    """An amount in 万元 written in its table's unit, with separators: 24,470,000 万元 → 2,447.00 (亿元)."""
    return columns.show(value)
