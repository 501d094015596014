"""An Excel cell's value as the publisher's reader saw it: its number format applied.

A spreadsheet stores 12345.6 as a binary float and shows `12,345.60` under `#,##0.00`; the audit
must read what was shown (two decimals → a ±0.005 interval), and never a float artefact such as
0.30000000000000004. Values go through 15 significant digits (what Excel itself keeps) into
Decimal, then the format's decimals, percent, thousands separator and literal text are applied.
Formats this module does not know (scientific, fractions) fall back to General.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# Pieces of a format section that print nothing: colours/conditions/locales in brackets, `_x`
# (space as wide as x), `*x` (fill with x).
_SILENT = re.compile(r"\[[^\]]*\]|_.|\*.")
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
# The digit placeholders of a section: 0 # ? with grouping commas and one decimal point.
_DIGITS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _sections(fmt: str) -> list[str]:
    """Split a format at `;` outside quotes: positive;negative;zero;text."""
    out, current, quoted = [], [], False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            out.append("".join(current))
            current = []
        else:
            current.append(char)
    out.append("".join(current))
    return out


def _plain(value: Decimal) -> str:
    """A Decimal in positional notation, no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _general(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    return _plain(Decimal(format(value, ".15g")))


def _digits(number: Decimal, placeholders: str) -> str:
    """Format a non-negative number by one run of digit placeholders (`#,##0.00`)."""
    integer, _, fraction = placeholders.partition(".")
    scaled = number
    while integer.endswith(","):  # trailing commas scale by a thousand each
        integer = integer[:-1]
        scaled /= 1000
    most = len(fraction)
    least = fraction.count("0")
    text = format(scaled.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP), "f")
    whole, _, decimals = text.partition(".")
    decimals = decimals.rstrip("0") if most > least else decimals
    decimals = decimals.ljust(least, "0")
    if "," in integer:
        whole = f"{int(whole):,}"
    if whole == "0" and "0" not in integer:  # `#.00` shows .50, not 0.50
        whole = ""
    return whole + ("." + decimals if decimals or (fraction and least) else "")


def number_text(value: float | int, fmt: str | None) -> str:
    """How Excel shows a number under format `fmt`."""
    if not fmt or fmt == "General" or fmt == "@":
        return _general(value)
    sections = _sections(fmt)
    original, negative = value, value < 0
    if value == 0 and len(sections) >= 3:
        section = sections[2]
    elif negative and len(sections) >= 2:
        section, negative = sections[1], False  # the section prints its own sign, if any
        value = -value
    else:
        section = sections[0]
    visible = _SILENT.sub("", section)
    if "E+" in visible.upper() or "E-" in visible.upper() or "/" in _QUOTED.sub("", visible):
        return _general(original)
    number = Decimal(format(abs(value), ".15g"))
    # Quoted text and backslash escapes are literal; `%` outside them scales by a hundred.
    pieces: list[str] = []
    position = 0
    for match in _QUOTED.finditer(visible):
        pieces.append(("code", visible[position : match.start()]))
        pieces.append(("text", match.group(1) if match.group(1) is not None else match.group(2)))
        position = match.end()
    pieces.append(("code", visible[position:]))
    if any(kind == "code" and "%" in text for kind, text in pieces):
        number *= 100
    out: list[str] = []
    placed = False
    for kind, text in pieces:
        if kind == "text":
            out.append(text)
            continue
        if not placed:
            match = _DIGITS.search(text)
            if match:
                out.append(text[: match.start()] + _digits(number, match.group(0)) + text[match.end() :])
                placed = True
                continue
        out.append(text)
    if not placed:  # a section with no digits ("-" for zero, or text only)
        return "".join(out).strip() if any(out) else _general(value)
    shown = "".join(out).strip()
    if negative and any(ch.isdigit() and ch != "0" for ch in shown):
        shown = "-" + shown
    return shown


def date_text(value, fmt: str | None) -> str:
    """A date or time as a Chinese reader would expect it: 2023年1月5日 under a 年-format,
    otherwise ISO (2023-01-05, with the time only when there is one)."""
    fmt = fmt or ""
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        value = value.date()
    if "年" in fmt and isinstance(value, dt.date):
        if "d" in fmt.lower() or "日" in fmt:
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat()


def display(value, fmt: str | None) -> str:
    """Any openpyxl cell value → the text a reader saw in the cell ('' for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return date_text(value, fmt)
    if isinstance(value, (int, float)):
        return number_text(value, fmt)
    return str(value).strip()
