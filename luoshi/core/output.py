"""Printing computed figures from commands: `--format json` or an aligned table, from the same data.

Used by `luoshi schedule`, `luoshi holidays show`, `luoshi indicator` and `luoshi portfolio`. It
belongs in `luoshi.core` (it knows nothing of schedules) and lives here only until moved there.
"""

import dataclasses
import datetime as dt
import enum
import json
import math
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise

from luoshi.core import clock


def plain(value: Any) -> Any:
    """The value as JSON-ready data: dataclasses become objects, dates ISO strings, Decimals numbers,
    choices their value, and a float that is not finite null."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def cell(value: Any) -> str:
    """A value as a table shows it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:,.2f}" if math.isfinite(value) else "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, enum.Enum) and hasattr(value, "label"):
        return str(value.label)
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_table(headers: list[str], rows: list[list[Any]]) -> str:
    """Rows under headers, columns aligned by display width (a Chinese character is two wide)."""
    texts = [[cell(v) for v in row] for row in rows]
    widths = [max([_width(h), *(_width(r[i]) for r in texts)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in texts)])


class FigureCommand(BaseCommand):
    """A command that prints computed figures as a table (default) or JSON."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="按哪一天计算（YYYY-MM-DD），默认今天"
        )

    def today(self, options: dict) -> dt.date:
        return options.get("today") or clock.today()

    def emit(self, options: dict, data: Any, table: Callable[[], str]) -> None:
        """Print the data as JSON, or the table the command draws from the same data."""
        if options["format"] == "json":
            self.stdout.write(json.dumps(plain(data), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table())
