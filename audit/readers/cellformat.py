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
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from audit.memo import per_run
from audit.textsplit import split_outside

# Pieces of a format section that print nothing: colours/conditions/locales in brackets, `_x`
# (space as wide as x), `*x` (fill with x).
_SILENT = re.compile(r"\[[^\]]*\]|_.|\*.")
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
# The digit placeholders of a section: 0 # ? with grouping commas and one decimal point.
_DIGITS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _sections(fmt: str) -> list[str]:
    """Split a format at `;` outside quotes: positive;negative;zero;text."""
    return split_outside(fmt, ";", '"', '"')


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


@dataclass(frozen=True)
class _Section:
    """One section of a number format, parsed once: the literal text around the digits and how
    the digits are shown. `digits` None: the section prints only its literal text ("-" for zero)."""

    prefix: str
    suffix: str
    digits: bool
    percent: bool
    scale: int  # trailing commas: divide by 1000 each
    grouping: bool  # thousands separator
    most: int  # decimals shown at most (0 and #)
    least: int  # decimals always shown (0)
    leading_zero: bool  # `0.50` (0 in the integer part) or `.50` (`#.00`)
    general: bool = False  # scientific or fraction: shown as General


def _parse_section(section: str) -> _Section:
    visible = _SILENT.sub("", section)
    code_only = _QUOTED.sub("", visible)
    if "E+" in code_only.upper() or "E-" in code_only.upper() or "/" in code_only:
        return _Section("", "", False, False, 0, False, 0, 0, False, general=True)
    # Quoted text and backslash escapes are literal; the first placeholder run outside them is the
    # number; `%` outside them scales by a hundred.
    out: list[str] = []
    prefix, placeholders = None, ""
    position = 0
    pieces = []
    for match in _QUOTED.finditer(visible):
        pieces.append((True, visible[position : match.start()]))
        pieces.append((False, match.group(1) if match.group(1) is not None else match.group(2)))
        position = match.end()
    pieces.append((True, visible[position:]))
    for is_code, text in pieces:
        if is_code and prefix is None and (match := _DIGITS.search(text)):
            out.append(text[: match.start()])
            prefix, placeholders = "".join(out), match.group(0)
            out = [text[match.end() :]]
        else:
            out.append(text)
    percent = "%" in code_only
    if prefix is None:
        return _Section("".join(out).strip(), "", False, percent, 0, False, 0, 0, False)
    integer, _, fraction = placeholders.partition(".")
    scale = len(integer) - len(integer.rstrip(","))
    integer = integer.rstrip(",")
    return _Section(prefix.lstrip(), "".join(out).rstrip(), True, percent, scale, "," in integer,
                    len(fraction), fraction.count("0"), "0" in integer)


@per_run
def _plan(fmt: str) -> tuple[_Section, ...]:
    return tuple(_parse_section(s) for s in _sections(fmt))


_QUANTUM = [Decimal(1).scaleb(-places) for places in range(31)]


def _digits(number: Decimal, section: _Section) -> str:
    """Format a non-negative number as the section's placeholders show it (`#,##0.00`)."""
    if section.scale:
        number /= 1000**section.scale
    most, least = section.most, section.least
    text = format(number.quantize(_QUANTUM[min(most, 30)], rounding=ROUND_HALF_UP), "f")
    whole, _, decimals = text.partition(".")
    if most > least:
        decimals = decimals.rstrip("0").ljust(least, "0")
    if section.grouping:
        whole = f"{int(whole):,}"
    if whole == "0" and not section.leading_zero:  # `#.00` shows .50, not 0.50
        whole = ""
    return whole + ("." + decimals if decimals or least else "")


def number_text(value: float | int, fmt: str | None) -> str:
    """How Excel shows a number under format `fmt`."""
    if not fmt or fmt == "General" or fmt == "@":
        return _general(value)
    sections = _plan(fmt)
    negative = value < 0
    if value == 0 and len(sections) >= 3:
        section = sections[2]
    elif negative and len(sections) >= 2:
        section, negative = sections[1], False  # the section prints its own sign, if any
    else:
        section = sections[0]
    if section.general:
        return _general(value)
    if not section.digits:
        return section.prefix or _general(value)
    number = Decimal(repr(value) if isinstance(value, int) else format(abs(value), ".15g")).copy_abs()
    if section.percent:
        number *= 100
    shown = (section.prefix + _digits(number, section) + section.suffix).strip()
    if negative and any(ch in "123456789" for ch in shown):
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
