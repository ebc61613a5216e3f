"""A plain-text rendering of a proposal for people reading it in a terminal (`--format table`)."""

from __future__ import annotations

import unicodedata

from .proposal import Extraction

_ROLE_NAMES = {"lead": "牵头", "support": "配合", "all": "全体", "counterpart": "对接", "mentioned": "提及"}
COMPARATOR_SIGNS = {"gt": ">", "gte": "≥", "eq": "=", "lte": "≤", "lt": "<", "approx": "≈"}
_KIND_NAMES = {"absolute": "绝对值", "multiple": "倍数", "relative": "相对", "increment": "年增量"}


def render_table(extraction: Extraction) -> str:
    lines = [f"文件：{extraction.source.name}（{extraction.source.characters} 字）"]
    if extraction.title:
        lines.append(f"标题：{extraction.title}")
    lines += ["", f"大纲（{len(extraction.outline)}）"]
    lines += [f"{'  ' * (h.level - 1)}{h.marker} {h.title}" for h in extraction.outline]
    lines += ["", f"指标目标（{len(extraction.targets)}）"]
    rows = [["编号", "指标", "比较", "数值", "单位", "年份", "类型", "原文"]]
    for t in extraction.targets:
        year = str(t.year) if t.year else (f"{t.within_years}年内" if t.within_years else "")
        rows.append(
            [
                t.id,
                t.indicator,
                COMPARATOR_SIGNS[t.comparator],
                f"{t.value:,}",
                t.unit,
                year,
                _KIND_NAMES[t.kind],
                _clip(t.text, 30),
            ]
        )
    lines += _columns(rows)
    lines += ["", f"单位（{len(extraction.units)}）"]
    rows = [["单位", "角色", "匹配", "提及次数"]]
    for u in extraction.units:
        matched = u.known_name or ("（新单位）" if u.is_new else "（统称）")
        rows.append([u.name, "、".join(_ROLE_NAMES[r] for r in u.roles), matched, str(len(u.mentions))])
    lines += _columns(rows)
    lines += ["", f"任务（{len(extraction.tasks)}）"]
    rows = [["编号", "所属标题", "任务", "单位", "时限"]]
    for k in extraction.tasks:
        units = "、".join(f"{u.name}({_ROLE_NAMES[u.role]})" for u in k.units)
        rows.append([k.id, k.heading or "", _clip(k.title, 28), _clip(units, 30), k.deadline_text or ""])
    lines += _columns(rows)
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]
