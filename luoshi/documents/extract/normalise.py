"""Normalise text so the rules see one form: Chinese punctuation full-width, letters and digits half-width.

Every span in a proposal points into the normalised text, which the proposal carries along.
"""

from __future__ import annotations

import re

_HAN = r"\u3400-\u9fff"
# Full-width letters, digits and a few symbols become ASCII; Chinese punctuation stays full-width.
_TO_HALF = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
for _keep in "（），：；！？":
    _TO_HALF.pop(_keep)
_TO_HALF.update({"\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "})
_DROP = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
_TRANSLATE = {**{ord(k): v for k, v in _TO_HALF.items()}, **_DROP}

# ASCII punctuation used as Chinese punctuation; a comma or colon between digits is kept (1,000 / 10:30).
_ASCII_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_ASCII_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_SIMPLE = str.maketrans({";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}“”《》（）、，。；：]) (?=[{_HAN}“”《》（）、，。；：])")
#: 第X条 and its text keep one space between them, so the marker never fuses with a name after it.
_ARTICLE_MARKER = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+(?:[章节条節條]|部分))\s*")
_CELL_GAP = re.compile(r"[ \t]*\t[ \t]*| {2,}")
_SPACES = re.compile(r"[ \f\v]+")


def normalise(text: str) -> str:
    """Return the text in the canonical form every extraction step expects."""
    text = text.translate(_TRANSLATE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ASCII_COMMA.sub("，", text)
    text = _ASCII_COLON.sub("：", text)
    text = text.translate(_SIMPLE)
    lines = []
    for line in text.split("\n"):
        line = line.strip(" \t\f\v")
        line = _CELL_GAP.sub("\t", line)  # a tab or a wide gap separates table cells
        line = _SPACES.sub(" ", line)
        marker = _ARTICLE_MARKER.match(line)
        body = _SPACE_BETWEEN_HAN.sub("", line[marker.end() if marker else 0 :])
        lines.append(
            f"{marker.group(1)} {body}" if marker and body else (marker.group(1) if marker else body)
        )
    return "\n".join(lines)
