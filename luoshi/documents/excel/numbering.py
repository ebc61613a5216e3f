"""Outline numbers: 一、 / （一） / 1 / 1.1 / 1.1.1 / (1) / 1） / ① / 第一条, in a 序号 cell or leading a title.

Each number has a *style*; the outline nests a new style below the current one and returns to a
style already open, the way a reader of a Chinese official document does. Dotted numbers carry
their depth in the style, so 1 → 1.1 → 1.1.1 nest without any help.
"""

import re
from dataclasses import dataclass

CN = "一二三四五六七八九十百零〇"

#: (style name, pattern); the first group is the label. Order matters: longer forms first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("第", re.compile(rf"^第([{CN}\d]+)([条项部分章节个方面]{{1,2}})[、.．:：\s]*")),
    ("paren_cn", re.compile(rf"^[(（]([{CN}]+)[)）][、.．\s]*")),
    ("paren_num", re.compile(r"^[(（](\d{1,3})[)）][、.．\s]*")),
    ("cn", re.compile(rf"^([{CN}]+)(?:[、.．,，]\s*|\s+|$)")),
    ("half_paren", re.compile(r"^(\d{1,3})[)）][、.．\s]*")),
    ("num", re.compile(r"^(\d{1,3}(?:[.．]\d{1,3}){0,7})(?:[、.．,，]\s*|\s+|$)")),
    ("num", re.compile(r"^(\d{1,3}(?:[.．]\d{1,3}){1,7})(?=\D)")),
    ("circled", re.compile(r"^([①-⑳])[、.．\s]*")),
    ("alpha", re.compile(r"^([A-Za-z])[.．、)）]\s*")),
)

#: Dotted numbers go at most eight levels deep (1.1.1.1.1.1.1.1), which also bounds the tree's depth.
#: A 序号 cell may also write dotted levels with dashes: 1-2 is 1.2.
_CODE_DASHES = re.compile(r"^\d{1,3}(?:[-－—]\d{1,3})+$")


@dataclass(frozen=True)
class Numbering:
    """An outline number: its style (what nests below what), its label, and the text after it."""

    style: tuple[str, ...]
    label: str
    rest: str = ""

    @property
    def parts(self) -> tuple[int, ...]:
        """1.2.3 → (1, 2, 3) for dotted numbers; () for the other styles."""
        if self.style[0] != "num":
            return ()
        return tuple(int(p) for p in self.label.split("."))


def parse_code(text: str) -> Numbering | None:
    """The number in a 序号 cell, which holds nothing else."""
    text = text.strip()
    if _CODE_DASHES.match(text):
        text = re.sub(r"[-－—]", ".", text)
    found = _match(text)
    if found is None or found.rest:
        return None
    return found


def split_title(text: str) -> Numbering | None:
    """The number a title starts with ("（一）加快港口转型"), with the title after it as `rest`."""
    found = _match(text.strip())
    if found is None or not found.rest:
        return None
    return found


def _match(text: str) -> Numbering | None:
    for name, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        label = m.group(1).replace("．", ".")
        if name == "num":
            style: tuple[str, ...] = ("num", str(label.count(".") + 1))
        elif name == "第":
            style = ("第", m.group(2))
        else:
            style = (name,)
        return Numbering(style, label, text[m.end() :].strip())
    return None
