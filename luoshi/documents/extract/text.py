"""The prepared text every step shares: quoted regions, lines and sentences, each as spans."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .proposal import Span

#: A quotation left open longer than this is taken to be a typo and closed at its line's end.
_MAX_QUOTE = 800
_QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’"}
_SENTENCE_END = re.compile(r"[。！？；\n]")


@dataclass
class Prepared:
    """Normalised text plus the structures the steps look things up in."""

    text: str
    quotes: list[Span] = field(default_factory=list)
    _quote_starts: list[int] = field(default_factory=list)

    def in_quotes(self, position: int) -> bool:
        """True when the character at position sits inside “…” or 《…》 (names, slogans, titles)."""
        index = bisect.bisect_right(self._quote_starts, position) - 1
        return index >= 0 and self.quotes[index][0] < position < self.quotes[index][1] - 1

    _stops: dict[str, list[int]] = field(default_factory=dict)

    def enclosing(self, position: int, stops: str, reach: int = 400) -> Span:
        """The stretch around position between two of the stop characters, at most reach either side.

        Stop positions are indexed once per set of stops, so each lookup is a binary search.
        """
        if stops not in self._stops:
            pattern = re.compile(f"[{re.escape(stops)}]")
            self._stops[stops] = [match.start() for match in pattern.finditer(self.text)]
        positions = self._stops[stops]
        index = bisect.bisect_left(positions, position)
        start = positions[index - 1] + 1 if index > 0 else 0
        end = positions[index] if index < len(positions) else len(self.text)
        return max(start, position - reach), min(end, position + reach)

    def line_at(self, position: int) -> Span:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, len(self.text) if end < 0 else end


def prepare(text: str) -> Prepared:
    quotes = find_quotes(text)
    return Prepared(text=text, quotes=quotes, _quote_starts=[start for start, _ in quotes])


def find_quotes(text: str) -> list[Span]:
    """Spans of quoted text, quote marks included; straight double quotes pair up within a line."""
    spans: list[Span] = []
    opening = "".join(_QUOTE_PAIRS)
    closing = "".join(_QUOTE_PAIRS.values())
    pattern = re.compile(f'[{re.escape(opening + closing)}"]')
    open_at: int | None = None
    open_char = ""
    straight_at: int | None = None
    for match in pattern.finditer(text):
        char, position = match.group(), match.start()
        if char == '"':
            if straight_at is not None and "\n" not in text[straight_at:position]:
                spans.append((straight_at, position + 1))
                straight_at = None
            else:
                straight_at = position
        elif char in _QUOTE_PAIRS:
            if open_at is None or position - open_at > _MAX_QUOTE:
                open_at, open_char = position, char
        elif open_at is not None and char == _QUOTE_PAIRS[open_char]:
            if position - open_at <= _MAX_QUOTE:
                spans.append((open_at, position + 1))
            open_at = None
    spans.sort()
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def split_spans(text: str, span: Span, stop: re.Pattern[str] = _SENTENCE_END) -> list[Span]:
    """Cut span into the non-blank pieces between stop characters (the stop stays with its piece)."""
    pieces: list[Span] = []
    start = span[0]
    for match in stop.finditer(text, span[0], span[1]):
        if text[start : match.start()].strip():
            pieces.append((start, match.end() if match.group() != "\n" else match.start()))
        start = match.end()
    if text[start : span[1]].strip():
        pieces.append((start, span[1]))
    return [_strip(text, piece) for piece in pieces]


def _strip(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    return start, end
