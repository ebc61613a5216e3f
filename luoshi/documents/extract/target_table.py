"""Targets written as a table: a header with 指标 and 目标 columns, then one indicator per row.

Cells are separated by tabs (a .docx table, or a wide gap in plain text, becomes tabs on reading).
"""

from __future__ import annotations

import re

from .dates import PlanDates
from .proposal import Target
from .quantities import parse_number, plain_number, split_magnitude
from .target_rules import note
from .text import Prepared

_VALUE = re.compile(
    r"^(?P<before>≥|≤|>|<|约|不低于|不少于|不超过|达到)?\s*(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<unit>[^\d\s以左]*?)\s*(?P<after>以上|以下|以内|左右)?$"
)
_BEFORE = {
    "≥": "gte",
    "≤": "lte",
    ">": "gt",
    "<": "lt",
    "约": "approx",
    "不低于": "gte",
    "不少于": "gte",
    "不超过": "lte",
    "达到": "gte",
}
_AFTER = {"以上": "gte", "以下": "lte", "以内": "lte", "左右": "approx"}
_YEAR = re.compile(r"((?:19|20)\d{2})年?")
_YEAR_HEADER = re.compile(r"^((?:19|20)\d{2})年?(?:目标|目标值|规划值|预期)?$")
_UNIT_IN_NAME = re.compile(r"（([^（）]{1,8})）$")


def find_table_targets(doc: Prepared, plan: PlanDates) -> list[Target]:
    """One target per data row of every table whose header names an indicator and a target column."""
    targets: list[Target] = []
    for rows in _tables(doc.text):
        targets.extend(_read_table(doc.text, rows, plan))
    return targets


def target_table_spans(text: str) -> list[tuple[int, int]]:
    """Where the target tables are, so running-text rules leave their cells alone."""
    spans = []
    for rows in _tables(text):
        header = next((i for i, (_, cells) in enumerate(rows) if _columns(cells)), None)
        if header is not None:
            last_start, last_cells = rows[-1]
            spans.append((rows[header][0], last_start + len("\t".join(last_cells))))
    return spans


def _tables(text: str) -> list[list[tuple[int, list[str]]]]:
    """Runs of consecutive lines holding tabs, each line as (start offset, cells)."""
    tables: list[list[tuple[int, list[str]]]] = []
    run: list[tuple[int, list[str]]] = []
    position = 0
    for line in text.split("\n"):
        if "\t" in line:
            run.append((position, line.split("\t")))
        else:
            if len(run) >= 2:
                tables.append(run)
            run = []
        position += len(line) + 1
    if len(run) >= 2:
        tables.append(run)
    return tables


def _read_table(text: str, rows: list[tuple[int, list[str]]], plan: PlanDates) -> list[Target]:
    header_index = next((i for i, (_, cells) in enumerate(rows) if _columns(cells)), None)
    if header_index is None:
        return []
    header = rows[header_index][1]
    columns = _columns(header) or (0, None, 0)
    year_match = _YEAR.search(header[columns[2]])
    year = int(year_match.group(1)) if year_match else (plan.period[1] if plan.period else plan.year)
    deadline_text = header[columns[2]] if year_match else None
    targets = []
    for start, row in rows[header_index + 1 :]:
        target = _row_target(text, header, columns, start, row)
        if target is not None:
            target.year, target.deadline_text = year, deadline_text
            note(target.value_span, "target_table")
            targets.append(target)
    return targets


def _row_target(
    text: str, header: list[str], columns: tuple[int, int | None, int], start: int, row: list[str]
) -> Target | None:
    """The target one data row sets, its year left to the table; None for a row that sets none."""
    indicator_col, unit_col, target_col = columns
    if len(row) > len(header) or len(row) < len(header) - 1:
        return None
    # a merged first cell ("经济发展" over several rows) leaves the following rows one cell short
    cells = [""] * (len(header) - len(row)) + row
    offset = start - sum(len(c) + 1 for c in cells[: len(header) - len(row)])
    value = _VALUE.match(cells[target_col].strip())
    number = parse_number(value.group("number")) if value else None
    if value is None or number is None:
        return None
    indicator = cells[indicator_col].strip()
    unit_in_name = _UNIT_IN_NAME.search(indicator)
    if unit_in_name:  # 地区生产总值（亿元）
        indicator = indicator[: unit_in_name.start()]
    unit_text = (
        (cells[unit_col] if unit_col is not None else "")
        or value.group("unit")
        or (unit_in_name.group(1) if unit_in_name else "")
    )
    factor, unit = split_magnitude(unit_text)
    comparator = _AFTER.get(value.group("after") or "") or _BEFORE.get(value.group("before") or "") or "eq"
    cell_start = offset + sum(len(c) + 1 for c in cells[:target_col])
    line_end = start + len("\t".join(row))
    return Target(
        id="",
        indicator=indicator,
        comparator=comparator,
        value=plain_number(number * factor),
        unit=unit,
        kind="increment" if re.search("年均|每年", indicator) else "absolute",
        year=None,
        within_years=None,
        span=(start, line_end),
        value_span=(cell_start, cell_start + len(cells[target_col])),
        text=text[start:line_end],
    )


def _columns(cells: list[str]) -> tuple[int, int | None, int] | None:
    """(indicator, unit, target) column indexes when this row is a target table's header.

    The target column is the last one saying 目标, or else the one with the latest year (2025年).
    """
    indicator = next((i for i, c in enumerate(cells) if "指标" in c), None)
    if indicator is None:
        return None
    targets = [i for i, c in enumerate(cells) if "目标" in c]
    if not targets:
        years = [(int(m.group(1)), i) for i, c in enumerate(cells) if (m := _YEAR_HEADER.match(c.strip()))]
        targets = [max(years)[1]] if len(years) >= 1 else []
    if not targets:
        return None
    unit = next((i for i, c in enumerate(cells) if c.strip() in ("单位", "计量单位")), None)
    return indicator, unit, targets[-1]
