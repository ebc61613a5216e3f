"""Figures in the plan's own words: targets as the plan states them, counts as whole numbers.

A relative target reads "≥ 全省增速 + 2.5 个百分点" (with the resulting threshold once the reference
is known), a growth or fall reads "较基期增长 5%" / "较基期下降 3.5%" rather than "1.05 倍" / "0.965 倍",
a doubling reads "翻一番"; an indicator counted in 家, 个, 人 … is shown and forecast in whole numbers.
"""

from django.utils.translation import gettext as _

from luoshi.indicators.models import TargetKind
from luoshi.indicators.trajectory import ResolvedTarget
from luoshi.indicators.units import humanize, split_unit

#: Base units of things counted one by one: their values and forecasts are whole numbers.
COUNT_UNITS = frozenset("家个项人条座所件次名户艘台套处批辆列")


def _doubling(value: float) -> str | None:
    """翻一番, 翻两番, 翻三番: the multiples the plan says in words."""
    return {2.0: _("较基期翻一番"), 4.0: _("较基期翻两番"), 8.0: _("较基期翻三番")}.get(value)


def is_count(unit: str) -> bool:
    return split_unit(unit)[1] in COUNT_UNITS


def amount(value: float | None, unit: str) -> str:
    """A value with its unit the Chinese way (3亿吨); counts as whole numbers (204 家, not 204.17)."""
    if value is None:
        return "—"
    return humanize(round(value) if is_count(unit) else value, unit)


def points(value: float) -> str:
    """A difference in percentage points, to two decimals at most (2.5, not 2.50)."""
    return f"{round(value, 2):g}"


def above_reference(value: float) -> str:
    """A relative target's figure: its margin over the reference (高于参照 2.5 个百分点)."""
    return _("高于参照 %(points)s 个百分点") % {"points": points(value)}


def _number(value: float) -> str:
    return f"{value:g}"


def target_words(target: ResolvedTarget, unit: str, reference: str = "") -> str:
    """The target as the plan says it, with what it comes to where that is known."""
    sign = target.comparator.label if hasattr(target.comparator, "label") else str(target.comparator)
    if target.kind == TargetKind.RELATIVE:
        words = _("%(sign)s %(reference)s + %(points)s 个百分点") % {
            "sign": sign,
            "reference": reference or _("参照指标"),
            "points": _number(target.value),
        }
    elif target.kind == TargetKind.MULTIPLE:
        value = float(target.value)
        if doubling := _doubling(value):
            words = doubling
        elif 0 < value < 1:
            words = _("较基期下降 %(rate)s%%") % {"rate": _number(round((1 - value) * 100, 4))}
        elif 1 < value < 2:
            words = _("较基期增长 %(rate)s%%") % {"rate": _number(round((value - 1) * 100, 4))}
        else:
            words = _("为基期的 %(times)s 倍") % {"times": _number(value)}
    elif target.kind == TargetKind.INCREMENT:
        words = _("每年新增 %(amount)s") % {"amount": amount(target.value, unit)}
    else:
        return f"{sign} {amount(target.absolute, unit)}"
    if target.absolute is None:
        return words
    return _("%(words)s（即 %(sign)s %(amount)s）") % {
        "words": words,
        "sign": sign,
        "amount": amount(target.absolute, unit),
    }
