"""A cell's text as the grammar reads it (stripped, NFKC), and the way back to the raw offsets.

Findings point at the characters the user wrote, not at their normalised form (＞ is read as >,
a zero-width space is dropped), so every character of the parsed text remembers where it came from.
"""

from __future__ import annotations

import unicodedata


def _normalised(ch: str) -> str:
    """What one character of a cell becomes in the parsed text ("" when dropped)."""
    category = unicodedata.category(ch)
    if category == "Cc":
        if ch not in "\t\n\r\f\v":
            return ""             # other control characters: dropped
    elif category == "Cf":
        return ""                 # zero-width spaces, BOM, soft hyphen: dropped
    elif category == "Cs":
        ch = "\ufffd"             # lone surrogate: keep a visible placeholder
    return unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch


class CellText:
    """The stripped NFKC text that is parsed (`text`), and the way back to offsets in `raw`."""

    __slots__ = ("raw", "text", "_origin")

    def __init__(self, raw: str) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(raw):
            for n in _normalised(ch):
                chars.append(n)
                origin.append(i)
        text = "".join(chars)
        # str.strip drops exactly the characters str.isspace accepts
        start = len(text) - len(text.lstrip())
        end = max(start, len(text.rstrip()))
        self.raw = raw
        self.text = text[start:end]
        self._origin = origin[start:end]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) in `text` -> [start, end) in `raw`."""
        return self._origin[start], self._origin[end - 1] + 1

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.raw[a:b]
