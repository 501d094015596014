"""Reading figures as printed: Decimals that remember how many decimals were shown."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# `1183. 74` (OCR space after the point), `1,234.56`, `-12.5`, `１２`(already NFKC'd)
_FIGURE = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d*)?$")
_OCR_GAPS = re.compile(r"(?<=\d)\s*([.,])\s*(?=\d)|(?<=\d)\s+(?=\d)")
_ABSENT = {"", "-", "—", "--", "——", "/", "\\", "－", "无"}


def repair(text: str) -> str:
    """Undo OCR damage inside one number: `1183. 74` → `1183.74`, `1 183.74` → `1183.74`."""
    return _OCR_GAPS.sub(lambda m: m.group(1) or "", text.strip())


def parse_figure(text: str) -> Decimal | None:
    """A table cell or a matched figure → Decimal, or None when the cell holds no number (blank ≠ zero)."""
    if text in _ABSENT:
        return None
    if _FIGURE.fullmatch(text) is not None:
        cleaned = text  # a clean figure (most cells): nothing for repair to undo, no space to strip
    else:
        cleaned = repair(text)
        if cleaned in _ABSENT or not _FIGURE.match(cleaned):
            return None
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None


def decimals(value: Decimal) -> int:
    """Displayed decimal places of a Decimal parsed from text (Decimal('5.00') → 2).

    Read from its text where that is plain (`1183.74`): as_tuple() builds a tuple of every digit."""
    text = str(value)
    if "E" in text or "e" in text or "N" in text or "n" in text:  # 1.5E-7, NaN, Infinity
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def half_place(places: int) -> Decimal:
    """0.5·10⁻ᵖ: half of the last place of a figure shown with `places` decimals (not memoised: building it costs what a lookup would)."""
    return Decimal((0, (5,), -places - 1))  # exact: no context, so no underflow to 0


def half_unit(value: Decimal) -> Decimal:
    """Half of the last displayed place: a figure shown with d decimals stands for ±0.5·10⁻ᵈ."""
    return half_place(decimals(value))
