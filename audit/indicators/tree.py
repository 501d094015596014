"""Lark's parse tree of a 指标值 cell -> the fields of a `Constraint`.

Here live the conventions the grammar cannot express: which unit words combine (万+人次, 个+月),
what a composed date is worth (12月31日 -> 12.31 日期), how a prefix and a suffix comparator agree
(控制在…以内), what a range's two bounds give. A tree that parses but makes no sense (3人5次 read
as a date) raises `Reject`, and the reader then reads the cell as free text.

A node of the tree is a lark Tree (`data`, `children`); a leaf is a lark Token, a str subclass
(`type`, `start_pos`, `end_pos`), told apart from nodes by `isinstance(child, str)`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from audit.indicators.constraint import Dimension, Kind
from audit.indicators.grammar import NotInGrammar, parse
from audit.indicators.text import CellText
from audit.indicators.vocabulary import (
    COMPARATORS,
    DATE_FROM_DURATION,
    DATE_SUFFIXES,
    DATE_WORD,
    OCR_COMPARATORS,
    SCALE_WORDS,
    SUFFIXES,
    canonical,
    unit_table,
)


class Reject(Exception):
    """The tree parsed but makes no sense (e.g. 3人5次 as a date): read the cell as free text."""


def fields_of(tree, src: CellText) -> dict:
    """Constraint fields (but `raw`) of the `value` tree of a cell."""
    body = tree.children[0]
    return _structured(body, src) if body.data == "structured" else _plain(body, src)


def number(text: str) -> tuple[Decimal, int, list[str]]:
    """Number text -> (Decimal as written, displayed decimals, notes)."""
    notes: list[str] = []
    cleaned = text.replace(",", "")
    if re.search(r"\s", cleaned):
        notes.append("ocr-space-in-number")
        cleaned = re.sub(r"\s+", "", cleaned)
    value = Decimal(cleaned)
    decimals = len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
    return value, decimals, notes


def _tokens_of(tree) -> list:
    """The tree's tokens in order."""
    tokens = []
    for child in tree.children:
        tokens += [child] if isinstance(child, str) else _tokens_of(child)
    return tokens


def _resolve_unit(tree) -> tuple[str, Dimension, list[str]]:
    """unit tree -> (canonical unit, dimension, notes)."""
    table = unit_table()
    words = [str(t) for t in tree.children if isinstance(t, str)]
    pers = [c for c in tree.children if not isinstance(c, str)]
    notes: list[str] = []
    first = words[0]
    if len(words) == 2:
        second = words[1]
        if first in SCALE_WORDS and table[second] in (Dimension.COUNT, Dimension.MONEY):
            unit, dimension = first + canonical(second), table[second]
        elif first == "个" and table[second] in (Dimension.COUNT, Dimension.DURATION):
            unit, dimension = canonical(second), table[second]
        else:
            raise Reject(f"two unit words {first}{second}")
    else:
        unit, dimension = canonical(first), table[first]
        if first in SCALE_WORDS:
            notes.append("ambiguous-unit")
    if pers:
        denominators = []
        for per in pers:
            parts = [canonical(str(t)) for t in per.children if isinstance(t, str) and t.type == "UNIT"]
            denominators.append("·".join(parts))
        unit = "/".join([unit, *denominators])
        dimension = Dimension.RATE
    return unit, dimension, notes


@dataclass
class Bound:
    """One side of a plain value (or the one value of a cell): comparator, number, unit."""

    comparator: str | None = None
    value: Decimal | None = None
    decimals: int | None = None
    unit: str | None = None
    unit_raw: str | None = None
    dimension: Dimension = Dimension.NONE
    span: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)


def fields(kind: Kind, bound: Bound, notes: list[str], **more) -> dict:
    """The Constraint fields (but `raw`) of a cell read as `bound`, the tree's readers' and the free
    text reader's one way of saying it; a zero value is noted last."""
    if bound.value is not None and bound.value == 0:
        notes.append("zero-value")
    return dict(
        kind=kind,
        comparator=bound.comparator,
        value=bound.value,
        decimals=bound.decimals,
        unit=bound.unit,
        unit_raw=bound.unit_raw,
        dimension=bound.dimension,
        value_span=bound.span,
        notes=notes,
        **more,
    )


def _compound_date(tokens: list, bound: Bound, src: CellText) -> None:
    """2023年12月31日 / 12月31日 / 2023年12月 -> a sortable number and a date unit."""
    numbers = [t for t in tokens if t.type == "NUMBER"]
    units = tuple(str(t) for t in tokens if t.type == "UNIT")
    if any(not re.fullmatch(r"\d+", str(n)) for n in numbers):
        raise Reject("date parts must be integers")
    ints = [int(str(n)) for n in numbers]
    day_words = ("日", "号")
    if len(units) == 3 and units[0] == "年" and units[1] == "月" and units[2] in day_words:
        year, month, day = ints
        value, unit, decimals = Decimal(f"{year:04d}{month:02d}{day:02d}"), "年月日", 0
    elif len(units) == 2 and units[0] == "月" and units[1] in day_words:
        month, day = ints
        value, unit, decimals = Decimal(f"{month}.{day:02d}"), "日期", 2
    elif len(units) == 2 and units[0] == "年" and units[1] in ("月", "月底"):
        year, month = ints
        day = None
        value, unit, decimals = Decimal(f"{year:04d}{month:02d}"), "年月", 0
    else:
        raise Reject(f"not a date: {units}")
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        bound.notes.append("invalid-date")
    bound.value, bound.decimals, bound.unit, bound.dimension = value, decimals, unit, Dimension.DATE
    bound.span = src.span(tokens[0].start_pos, tokens[-1].end_pos)
    bound.unit_raw = src.raw_slice(tokens[0].start_pos, tokens[-1].end_pos)


def _read_bound(tree, src: CellText) -> Bound:
    bound = Bound()
    prefix: str | None = None
    suffix_word: str | None = None
    sign = None
    for child in tree.children:
        if isinstance(child, str):
            if child.type == "SIGN":
                sign = child
            elif child.type == "COMPARATOR":
                prefix = str(child)
            elif child.type == "APPROX":
                bound.notes.append("approximate")
            elif child.type == "SUFFIX":
                suffix_word = str(child)
            continue
        if child.data == "compound":
            if sign is not None:
                raise Reject("signed date")
            _compound_date(list(child.children), bound, src)
            continue
        # simple: NUMBER unit?
        written = child.children[0]
        bound.value, bound.decimals, notes = number(str(written))
        bound.notes += notes
        bound.span = src.span((sign or written).start_pos, written.end_pos)
        if sign is not None and str(sign) == "-":
            bound.value = -bound.value
        if len(child.children) > 1:
            unit_tree = child.children[1]
            bound.unit, bound.dimension, notes = _resolve_unit(unit_tree)
            bound.notes += notes
            tokens = _tokens_of(unit_tree)
            bound.unit_raw = src.raw_slice(tokens[0].start_pos, tokens[-1].end_pos)
    # Comparator: prefix, suffix, or both (控制在…以内).
    prefix_op = COMPARATORS[prefix] if prefix else None
    if prefix in OCR_COMPARATORS:
        bound.notes.append("ocr-comparator")
    suffix_op = None
    if suffix_word is not None:
        suffix_op = SUFFIXES[suffix_word]
        if suffix_word == "左右":
            bound.notes.append("approximate")
        if suffix_word in DATE_SUFFIXES and bound.dimension is Dimension.DURATION:
            word = unicodedata.normalize("NFKC", bound.unit_raw.strip() if bound.unit_raw else "")
            if word in DATE_FROM_DURATION:
                bound.unit, bound.dimension = DATE_FROM_DURATION[word], Dimension.DATE
    if prefix_op and suffix_op and prefix_op != suffix_op:
        if prefix == "控制在":        # 控制在 only says "kept at"; the suffix is the real bound
            prefix_op = suffix_op
        else:
            bound.notes.append("conflicting-comparators")
    bound.comparator = prefix_op or suffix_op
    return bound


def _plain(tree, src: CellText) -> dict:
    bounds = [_read_bound(c, src) for c in tree.children if not isinstance(c, str)]
    tokens = [c for c in tree.children if isinstance(c, str)]
    first = bounds[0]
    notes = list(first.notes)
    upper = None
    if len(bounds) == 2:
        second = bounds[1]
        notes.append("range")
        notes += [n for n in second.notes if n not in notes]
        upper = second.value
        if first.unit is None and second.unit is not None:
            first.unit, first.unit_raw, first.dimension = second.unit, second.unit_raw, second.dimension
        elif second.unit is not None and second.unit != first.unit:
            notes.append("range-unit-mismatch")
    elif any(t.type == "RANGE_SEP" for t in tokens):
        notes.append("trailing-junk")
    if any(t.type == "JUNK" for t in tokens):
        notes.append("trailing-junk")
    if first.unit is None:
        notes.append("missing-unit")
    return fields(Kind.QUANTITATIVE, first, notes, upper_value=upper)


def _classify_word(word: str) -> tuple[str | None, Dimension, list[str]]:
    """Text of the 单位 slot -> (canonical unit or None, dimension, notes)."""
    try:
        return _resolve_unit(parse(word, "unit_text").children[0])
    except (NotInGrammar, Reject):
        pass
    if DATE_WORD.match(word):
        return word, Dimension.DATE, []
    return None, Dimension.NONE, []


def _structured(tree, src: CellText) -> dict:
    notes: list[str] = []
    comparator = None
    text_described = False
    value = decimals = span = None
    word_token = None
    had_cmp_slot = False
    for child in tree.children:
        if isinstance(child, str):
            continue                                   # 符号
        if child.data == "s_comparator":
            had_cmp_slot = True
            written = str(child.children[0])
            comparator = COMPARATORS[written]
            if written in OCR_COMPARATORS:
                notes.append("ocr-comparator")
        elif child.data == "s_text_described":
            had_cmp_slot = True
            text_described = True
        elif child.data == "s_value":
            numbers = [t for t in child.children if isinstance(t, str) and t.type == "NUMBER"]
            if numbers:
                value, decimals, more = number(str(numbers[0]))
                notes += more
                span = src.span(numbers[0].start_pos, numbers[0].end_pos)
        elif child.data == "s_labelled":                # 单位 <word>?
            rest = [t for t in child.children if t.type == "REST"]
            word_token = rest[0] if rest else None
        elif child.data == "s_overwritten":             # <unit> <word>? : label 单位 replaced
            label, *rest = child.children
            if rest:
                notes.append("unit-overwritten")
                word_token = rest[0]
            else:
                notes.append("unit-label-missing")
                word_token = label
    if not had_cmp_slot:
        notes.append("missing-comparator")

    unit = unit_raw = None
    dimension = Dimension.NONE
    if word_token is not None:
        word = str(word_token)
        unit_raw = src.raw_slice(word_token.start_pos, word_token.end_pos)
        unit, dimension, more = _classify_word(word)
        notes += more
        if unit is None and not text_described:
            unit, dimension = word, Dimension.OTHER
            notes.append("unknown-unit")
    elif not text_described:
        notes += ["missing-unit", "unit-missing-in-structured-form"]

    if text_described:
        kind = Kind.QUALITATIVE
    elif value is None:
        kind = Kind.UNPARSED
        notes.append("missing-value")
    else:
        kind = Kind.QUANTITATIVE
    bound = Bound(comparator, value, decimals, unit, unit_raw, dimension, span)
    return fields(kind, bound, notes, text_described=text_described)
