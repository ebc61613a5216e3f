"""Units with Chinese magnitude prefixes: 3亿吨 is 300000000 吨, 2447亿元 is 244700000000 元.

Only 万 (10⁴), 亿 (10⁸) and 万亿 (10¹²) are prefixes here; 千 and 百 are not, because they begin
real units (千瓦时) far more often than they scale one. Arithmetic is decimal, so 0.3亿 is exactly
30000000, and a whole result comes back as an int.
"""

from decimal import Decimal

PREFIXES = {"万亿": 10**12, "亿": 10**8, "万": 10**4}  # longest first, so 万亿 wins over 万

Number = int | float


def split_unit(unit: str) -> tuple[int, str]:
    """The prefix's factor and the base unit: "亿吨" → (100000000, "吨"), "吨" → (1, "吨")."""
    unit = unit.strip()
    for prefix, factor in PREFIXES.items():
        if unit.startswith(prefix):
            return factor, unit[len(prefix) :]
    return 1, unit


def _number(value: Decimal) -> Number:
    return int(value) if value == value.to_integral_value() else float(value)


def to_base(value: Number | str, unit: str) -> tuple[Number, str]:
    """A value with a prefixed unit in the base unit: to_base(3, "亿吨") → (300000000, "吨")."""
    factor, base = split_unit(unit)
    return _number(Decimal(str(value)) * factor), base


def convert(value: Number | str, from_unit: str, to_unit: str) -> Number:
    """A value from one prefixed unit to another of the same base: convert(2447, "亿元", "万元") → 24470000."""
    from_factor, from_base = split_unit(from_unit)
    to_factor, to_base_unit = split_unit(to_unit)
    if from_base != to_base_unit:
        raise ValueError(f"单位“{from_unit}”与“{to_unit}”不能换算。")
    return _number(Decimal(str(value)) * from_factor / to_factor)


def humanize(value: Number, base_unit: str, places: int = 2) -> str:
    """A base-unit value read the Chinese way: humanize(300000000, "吨") → "3亿吨"."""
    for prefix, factor in PREFIXES.items():
        if abs(value) >= factor:
            scaled = round(Decimal(str(value)) / factor, places).normalize()
            return f"{scaled:f}{prefix}{base_unit}"
    return f"{round(Decimal(str(value)), places).normalize():f}{base_unit}"
