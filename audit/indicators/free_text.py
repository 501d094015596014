"""A 指标值 cell the grammar rejects, read as well as it can be: free text around a number.

* no digit at all                -> QUALITATIVE (效果明显, 逐年提升 ...), or UNPARSED when the cell
                                    holds no letter either (only symbols: ≥, ——)
* digits glued to free text      -> UNPARSED, but comparator / number / unit are still filled and
                                    the free text is put in `glued_text`

A unit word is only split off when it cannot be the start of a word: ``≥160年抓获犯罪嫌疑人数量``
gives glued_text ``年抓获犯罪嫌疑人数量`` and no unit (年 may belong to 年抓获 "caught per year"),
while ``≥95%（含）`` keeps unit % and glued_text ``(含)``.
"""

from __future__ import annotations

import re
import unicodedata

from audit.indicators.constraint import Dimension, Kind
from audit.indicators.text import CellText
from audit.indicators.tree import Bound, fields, number
from audit.indicators.vocabulary import (
    COMPARATORS,
    NUMBER,
    OCR_COMPARATORS,
    SCALE_WORDS,
    SUFFIXES,
    canonical,
    is_cjk_word,
    unit_regex,
    unit_table,
)

_NUMBER = re.compile(NUMBER)
_DIGIT = re.compile(r"\d")
_BY_LENGTH = sorted(COMPARATORS, key=len, reverse=True)      # longest spelling first: 大于等于 before 大于
_SUFFIXES_BY_LENGTH = sorted(SUFFIXES, key=len, reverse=True)


def has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def read_free_text(src: CellText) -> dict:
    """Constraint fields (but `raw`) of a cell the grammar rejected."""
    text = src.text
    if not has_digit(text):
        if any(unicodedata.category(ch).startswith("L") for ch in text):
            return dict(kind=Kind.QUALITATIVE)
        return dict(kind=Kind.UNPARSED, notes=["no-text"])     # only symbols, e.g. "≥" or "——"
    match = _NUMBER.search(text)
    if match is None:        # cannot happen (both patterns use \d); kept so that no input can fail
        return dict(kind=Kind.UNPARSED, notes=["unreadable-number"])
    value, decimals, notes = number(match.group(0))
    start = match.start()
    if start > 0 and text[start - 1] == "-" and (start == 1 or not text[start - 2].isalnum()):
        value, start = -value, start - 1
    span = src.span(start, match.end())
    comparator, pre_end = _before(text, start, notes)
    unit, unit_raw, dimension, suffix_op, post = _after(src, match.end(), notes)
    comparator = comparator or suffix_op
    parts = []
    if pre_end > 0:
        parts.append(src.raw_slice(0, pre_end).strip())
    if post < len(text):
        parts.append(src.raw_slice(post, len(text)).strip())
    glued = " ".join(p for p in parts if p) or None
    if glued:
        notes.append("glued-text")
    if unit is None:
        notes.append("missing-unit")
    bound = Bound(comparator, value, decimals, unit, unit_raw, dimension, span)
    return fields(Kind.UNPARSED, bound, notes, glued_text=glued)


def _before(text: str, start: int, notes: list[str]) -> tuple[str | None, int]:
    """Before the number: [free text] [comparator] [approx] -> (comparator, end of the free text)."""
    end = len(text[:start].rstrip())
    for word in ("大约", "约"):
        if text.endswith(word, 0, end):
            notes.append("approximate")
            end -= len(word)
            break
    end = len(text[:end].rstrip())
    for written in _BY_LENGTH:
        if text.endswith(written, 0, end):
            if written in OCR_COMPARATORS:
                notes.append("ocr-comparator")
            return COMPARATORS[written], end - len(written)
    return None, end


def _after(src: CellText, end: int, notes: list[str]):
    """After the number: [unit] [suffix] [free text] -> (unit, unit_raw, dimension, suffix
    comparator, start of the free text)."""
    text = src.text
    post = len(text) - len(text[end:].lstrip())
    found = unit_regex().match(text, post)
    if found is None:
        return None, None, Dimension.NONE, None, post
    word = found.group(0)
    after = text[found.end():]
    # A CJK unit word directly followed by more letters may just be the start of a word (年抓获…).
    if is_cjk_word(word) and after and unicodedata.category(after[0]).startswith("L"):
        return None, None, Dimension.NONE, None, post
    if word in SCALE_WORDS:
        notes.append("ambiguous-unit")
    unit_raw = src.raw_slice(post, found.end())
    post = found.end()
    suffix_op = None
    for suffix in _SUFFIXES_BY_LENGTH:
        if text.startswith(suffix, post):
            suffix_op = SUFFIXES[suffix]
            post += len(suffix)
            break
    return canonical(word), unit_raw, unit_table()[word], suffix_op, post
