"""Text split at a separator that stands outside brackets or quotes.

Two readers need it: a count claim's item list (`办公室(含财务、人事)、政治处` is two items, facts/
count_claims.py) and an Excel number format's sections (`0;"a;b"` is two sections, readers/
cellformat.py). One function serves both: a character that both opens and closes (a straight
quote) toggles, since a close is tried before an open.
"""

from __future__ import annotations


def split_outside(text: str, separator: str, opens: str, closes: str) -> list[str]:
    """`text` cut at each `separator` that is inside no bracket pair (or quotes) of opens/closes."""
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch in closes and depth:
            depth -= 1
        elif ch in opens:
            depth += 1
        if ch == separator and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return pieces
