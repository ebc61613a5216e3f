"""Amounts of money in tables: every amount of a table in the one unit its header names."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MoneyColumns:
    """The one unit of a table's amounts (entered in 万元), chosen by the largest: 亿元 with two decimals
    once it reaches 1 亿 (10,000 万元), else whole 万元. Headers name `unit`; cells use `|in_unit`."""

    unit: Promise
    per_unit: int  # 万元 in one unit
    places: int

    @classmethod
    def for_amounts(cls, amounts: Iterable[Decimal | float | int | None]) -> "MoneyColumns":
        largest = max((abs(float(a)) for a in amounts if a is not None), default=0.0)
        if largest >= 10_000:
            return cls(_("亿元"), 10_000, 2)
        return cls(_("万元"), 1, 0)

    def show(self, value: Decimal | float | int | None) -> str:
        if value is None or value == "":
            return "—"
        return f"{float(value) / self.per_unit:,.{self.places}f}"
