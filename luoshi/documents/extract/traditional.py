"""Traditional characters (繁體): read in simplified form, spans kept on the text as pasted.

OpenCC's t2s conversion replaces characters one for one in all but rare phrases, so the converted text
has the same length and every span found in it points at the same words of the original. A line whose
conversion would change its length is converted character by character instead, which keeps lengths
equal by construction. The rules read the simplified text; the proposal's `text` and spans stay on the
original, and the names (indicators, units, titles) are given in simplified characters.
"""

from __future__ import annotations

from functools import cache

import opencc

#: A text is read as traditional when at least this share of its Chinese characters change under t2s.
_MIN_SHARE = 0.02
_SAMPLE = 20000


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """Whether enough of a sample of the text changes under t2s to call it traditional."""
    sample = text[:_SAMPLE]
    han = sum(1 for char in sample if "\u4e00" <= char <= "\u9fff")
    if han == 0:
        return False
    converted = _converter().convert(sample)
    if len(converted) != len(sample):
        converted = "".join(_converter().convert(char) for char in sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=True) if a != b)
    return changed >= _MIN_SHARE * han


def to_simplified(text: str) -> str:
    """t2s with the length of every line kept, so that positions in the result are positions in text."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    lines = []
    for line in text.split("\n"):
        simple = _converter().convert(line)
        if len(simple) != len(line):
            simple = "".join(_char(char) for char in line)
        lines.append(simple)
    return "\n".join(lines)


def _char(char: str) -> str:
    simple = _converter().convert(char)
    return simple if len(simple) == 1 else char
