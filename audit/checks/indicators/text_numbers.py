"""I009: a 文字描述 (text-described) indicator carrying a number, and where else in the document that
number stands: most often a leftover copied from the table filled in just before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal
from functools import partial
from itertools import accumulate
from typing import Callable

from audit.analysis.readings import ZERO, each, fmt, label, raw, readings
from audit.engine import CheckContext, kind
from audit.facts.projects import Indicator
from audit.indicators.names import clip
from audit.model import Evidence, Span, Term, Text


# --- I009 numbers in text-described indicators ----------------------------------------------------


# A number not touching another digit or a dot: as (?<![\d.])\d+(?:\.\d+)?(?![\d.]), written to start
# with \d so the regex engine skips ahead to the next digit instead of trying every character.
_NUMBER = re.compile(r"\d(?<![\d.]\d)\d*(?:\.\d+)?(?![\d.])")


class Place:
    """Where a number stands. Its columns and its context are worked out on first read: a common
    number stands in many places, and a finding quotes at most a few of them."""

    __slots__ = ("line", "rank", "_source", "_index", "_start", "_end", "_where", "_context")

    def __init__(self, line: int, rank: int, source, start: int, end: int, where: Callable[[], Text]) -> None:
        self.line = line
        self.rank = rank  # 0: another indicator's stated value, 1: a budget cell, 2: a text-described value, 3: other text
        self._source, self._index, self._start, self._end = source, line - 1, start, end
        self._where = where
        self._context: Text | None = None

    @property
    def column(self) -> int:
        return self._source.column(self._index, self._start) + 1

    @property
    def end_column(self) -> int:
        return self._source.column(self._index, self._end - 1) + 2

    @property
    def context(self) -> Text:
        if self._context is None:
            self._context = self._where()
        return self._context


def _fact_places(ctx: CheckContext) -> dict[int, tuple[int, Callable[[], Text]]]:
    """Line number → (rank, what stands there), for the lines that hold project facts; each
    context is written only when a finding quotes the place."""
    where: dict[int, tuple[int, Callable[[], Text]]] = {}
    for project in ctx.facts.projects:
        for field_name, zh, en in (("budget", "预算数", "budget"), ("fiscal", "财政资金", "fiscal funds"), ("other", "其他资金", "other funds")):
            money = getattr(project, field_name)
            if money is not None:
                where[money.span.line] = (
                    1,
                    partial(_money_context, project.name, zh, en, money.text),
                )
        for indicator in project.indicators:
            rank = 2 if indicator.value.text_described else 0
            context = partial(_indicator_context, project.name, indicator)
            for line in range(indicator.value_span.line, (indicator.value_span.end_line or indicator.value_span.line) + 1):
                where.setdefault(line, (rank, context))
    return where


def _money_context(project: str, zh: str, en: str, text: str) -> Text:
    return Text(zh=f"「{project}」{zh} {text}", en=f"“{project}” {en} {text}")


def _indicator_context(project: str, indicator: Indicator) -> Text:
    name, value = clip(label(indicator), 20), raw(indicator.value)
    return Text(zh=f"「{project}」指标“{name}”的指标值“{value}”", en=f"“{project}” indicator “{name}” value “{value}”")


def _calendar(text: str, start: int, end: int) -> bool:
    """A year, a month or a day (2020年, 12月31日): never an amount."""
    after = text[end : end + 1]
    before = text[start - 1 : start] if start else ""
    return after in ("年", "月", "日", "号") or before == "月" or (end - start == 4 and after == "-")


def number_index(ctx: CheckContext, wanted: set[Decimal] | None = None) -> dict[Decimal, list[Place]]:
    """Every number in the document (dates excepted) with where it stands; only those in `wanted`
    when given (a Place and its context are built only for numbers someone will look up).

    One regex pass over the whole text, not one per line: line breaks bound a number exactly as a
    line's ends do, and a match's line is found by bisecting the lines' start offsets."""
    facts_at = _fact_places(ctx)
    places: dict[Decimal, list[Place]] = defaultdict(list)
    source = ctx.document.source
    texts = source.texts
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    values: dict[str, Decimal | None] = {}  # number text → its value, None when not wanted (figures recur)
    for match in _NUMBER.finditer("\n".join(texts)):
        digits = match.group(0)
        if digits in values:
            value = values[digits]
        else:
            value = values[digits] = Decimal(digits)
            if wanted is not None and value not in wanted:
                value = values[digits] = None
        if value is None:
            continue
        index = bisect_right(starts, match.start()) - 1
        text = texts[index]
        start, end = match.start() - starts[index], match.end() - starts[index]
        if _calendar(text, start, end):
            continue
        number = index + 1
        rank, context = facts_at.get(number, (3, None))
        if context is None:
            context = partial(_line_context, ctx.document, number, text, start, end)
        places[value].append(Place(number, rank, source, start, end, context))
    return places


def _line_context(document, number: int, text: str, start: int, end: int) -> Text:
    """A number in plain text: where it is (line, or page of a PDF) and the words around it."""
    snippet = clip(text[max(0, start - 12) : end + 12].strip(), 30)
    at = document.located(number, start + 1)
    return Text(zh=f"{at.zh}“{snippet}”", en=f"{at.en} “{snippet}”")


def figure_span(ctx: CheckContext, indicator: Indicator) -> Span:
    """The number inside the 指标值 cell when it can be located exactly, else the whole cell."""
    cell, c = indicator.value_span, indicator.value
    if c.value_span is None or (cell.end_line or cell.line) != cell.line:
        return cell
    start, end = c.value_span
    digits = c.raw[start:end]
    originals = ctx.document.source.original_lines
    original = originals[cell.line - 1] if 1 <= cell.line <= len(originals) else ""
    column = cell.column - 1 + start
    if original[column : column + len(digits)] != digits:
        return cell  # the cell's text does not map 1:1 onto the original line
    return Span(line=cell.line, column=column + 1, end_line=cell.line, end_column=column + 1 + len(digits))


@kind("indicator_text_number")
def indicator_text_number(ctx: CheckContext) -> None:
    """I009: a 文字描述 indicator carrying a number: say so, and where else that number appears."""
    common = int(ctx.params.get("common_after", 6))
    shown_places = int(ctx.params.get("show_places", 3))
    index: dict[Decimal, list[Place]] | None = None
    for project, row in each(ctx):
        indicator, c = row.indicator, row.value
        if not c.text_described:
            ctx.not_applicable()
            continue
        if c.value is None or c.value == ZERO:
            ctx.passed()  # 文字描述 with no number (or the form's default 0)
            continue
        if index is None:
            wanted = {r.value.value for _, rows in readings(ctx) for r in rows if r.value.text_described}
            index = number_index(ctx, wanted)
        own = range(indicator.value_span.line, (indicator.value_span.end_line or indicator.value_span.line) + 1)
        here = indicator.value_span.line
        # Leftovers come from the table filled in just before: nearest earlier places first.
        places = sorted(
            (p for p in index.get(c.value, []) if p.line not in own),
            key=lambda p: (p.rank, p.line > here, abs(p.line - here)),
        )
        # Name the places when they are few; another indicator's stated value is the likeliest source.
        stated = [p for p in places if p.rank == 0]
        named = stated if 0 < len(stated) <= common else (places if len(places) <= common else [])
        if not places:
            elsewhere = Text(zh="文中其他位置没有出现这个数字", en="the number appears nowhere else in the document")
        elif not named:
            elsewhere = Text(zh=f"这个数字在文中另有 {len(places)} 处，过于常见，无法判断来源", en=f"the number appears in {len(places)} other places, too common to trace")
        else:
            listed = named[:shown_places]
            rest = len(places) - len(listed)
            more_zh = f"（另有 {rest} 处）" if rest else ""
            more_en = f" (and {rest} more)" if rest else ""
            elsewhere = Text(
                zh="同一数字还出现在：" + "；".join(p.context.zh for p in listed) + more_zh + "，疑为复制遗留",
                en="the same number appears at " + "; ".join(p.context.en for p in listed) + more_en + ": likely a copy-paste leftover",
            )
        listed = named[:shown_places]
        related = [Span(line=p.line, column=p.column, end_line=p.line, end_column=p.end_column) for p in listed]
        ctx.fail(
            figure_span(ctx, indicator),
            {"name": row.label, "value": row.raw, "number": fmt(c.value), "elsewhere": elsewhere, "slot": c.unit_raw or ""},
            evidence=Evidence(
                stated=fmt(c.value),
                terms=[Term(label=p.context.zh, value=fmt(c.value), line=p.line, column=p.column) for p in listed],
                values={"occurrences": len(places)},
            ),
            subject=project.name,
            related=related,
        )
