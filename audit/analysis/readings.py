"""The indicator readings: the indicator rows the I and C rules read, each with what its wording
says, read once per document (`Analysis.readings`).

A `Reading` is one real indicator row (a row of the indicator tree, not a table row read by
mistake); its `Wording` holds what follows from the words alone (squashed names, polarity, unit
classes, each rule's verdict), shared by every row worded alike across the run's projects and
documents: the wordings are kept in the run's memo tables (audit.memo), never the process's.
`judge_rows` runs a rule over the rows by its verdict on their wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Callable

from audit.facts.projects import Indicator, Project
from audit.indicators import Constraint, Kind
from audit.indicators.names import Polarity, contains, polarity_of_squashed, squash, unit_classes_of_squashed
from audit.lexicon import indicator_schema, lexicon
from audit.memo import Memos, once

if TYPE_CHECKING:
    from audit.engine import CheckContext

HUNDRED = Decimal(100)
ZERO = Decimal(0)
SIGN = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}  # comparators as a reader writes them


def fmt(value: Decimal) -> str:
    return format(value, "f")


def shown(c: Constraint) -> str:
    """The value as a reader writes it: ≤95%, ≥168小时, 90 (no unit)."""
    parts = []
    if c.comparator:
        parts.append(SIGN[c.comparator])
    if c.value is not None:
        parts.append(fmt(c.value))
    if c.unit:
        parts.append(c.unit)
    return "".join(parts) or c.raw.strip()


def raw(c: Constraint) -> str:
    return " ".join(c.raw.split())


def is_real(indicator: Indicator) -> bool:
    """A row of the indicator tree (its 二级 is a known one), not a row of a table read by mistake."""
    return _known_level2(indicator.level2_raw) or (
        not indicator.level2_raw and indicator.level1 is not None and bool(indicator.level3)
    )


def _known_level2(level2: str) -> bool:
    return indicator_schema().canonical_level2(level2) is not None  # memoised by the schema itself


def label(indicator: Indicator) -> str:
    return " ".join((indicator.level3 or indicator.description or indicator.level2 or "").split())


class Wording:
    """What the rules read from how an indicator row is worded (names, 二级, value text), each
    worked out at most once per wording: rows worded alike (most, across projects and documents)
    share one."""

    def __init__(self, indicator: Indicator) -> None:
        # the wording alone, never the row: the run's memo outlives documents, a row holds its file's lines
        self.level3, self.description = indicator.level3, indicator.description
        self.level2_printed, self.level2_raw = indicator.level2, indicator.level2_raw
        self.value = indicator.value
        self._memo: dict = {}

    def derive(self, key, function: Callable[["Wording"], object]):
        """function(self) for a function of the wording alone, worked out once per `key`."""
        memo = self._memo
        if key in memo:
            return memo[key]
        value = memo[key] = function(self)
        return value

    @once
    def names(self) -> tuple[str, str]:
        """(三级指标, 绩效指标描述), squashed; the name comes first, the description explains it."""
        return squash(self.level3), squash(self.description)

    @once
    def label(self) -> str:
        return " ".join((self.level3 or self.description or self.level2_printed or "").split())  # as label()

    @once
    def raw(self) -> str:
        return raw(self.value)

    @once
    def squashed_raw(self) -> str:
        """The value's text as keywords are matched on."""
        return squash(self.value.raw)

    @once
    def quantitative(self) -> bool:
        return quantitative(self.value)

    @once
    def polarity(self) -> Polarity | None:
        return polarity_of_squashed(*self.names, self.value.dimension)  # as polarity_of_names()

    @once
    def negative_sense(self) -> str | None:
        """事故, 投诉 …: where =0 / ≤0 is a real target."""
        return self.mentions(lexicon("polarity")["negative_sense"])

    @once
    def unit_classes(self) -> list[str]:
        return unit_classes_of_squashed(*self.names)  # as unit_classes_of()

    @once
    def looks_like_rate(self) -> bool:
        return "rate" in self.unit_classes

    @once
    def money_words(self) -> str | None:
        return self.mentions(lexicon("units")["money_words"])

    @once
    def level2(self) -> str | None:
        """The canonical 二级 (None when not a known one)."""
        return indicator_schema().canonical_level2(self.level2_raw)

    @once
    def copy_key(self) -> tuple:
        """What I010 compares between tables: 二级, name, description, value (the indicator set as printed)."""
        return (self.level2, *self.names, self.squashed_raw)

    def mentions(self, words) -> str | None:
        """The first of these words found in the name or the description."""
        return next((w for t in self.names if (w := contains(t, words))), None)


def _shared(name: str) -> property:
    return property(attrgetter(f"wording.{name}"), doc=getattr(Wording, name).__doc__)  # no Python frame per read


class Reading:
    """One real indicator row: the row itself (spans, 一级) and what its wording says (the
    FORWARDED names below read through to the wording)."""

    __slots__ = ("indicator", "value", "wording")

    def __init__(self, indicator: Indicator, wording: Wording) -> None:
        self.indicator = indicator
        self.value = indicator.value
        self.wording = wording


# What a Reading forwards from its wording, each a property (no Python frame per read).
FORWARDED = ("names", "label", "raw", "squashed_raw", "quantitative", "polarity", "negative_sense",
             "unit_classes", "looks_like_rate", "money_words", "level2", "copy_key")
for _name in FORWARDED:
    setattr(Reading, _name, _shared(_name))


@dataclass(eq=False)
class IndicatorReadings:
    """A document's real indicator rows, read once and shared by the I/C rules."""

    projects: list[tuple[Project, list[Reading]]]  # each project with its real rows
    rows: list[tuple[Project, Reading]]  # every (project, row), in order
    empty: int  # projects with no real row


WORDINGS = "indicator wordings"  # the run's memo table of wordings and verdicts on the text alone


def read_indicators(facts, memos: Memos) -> IndicatorReadings:
    """The document's real indicator rows, each with its wording: a wording the run has seen
    before (rows worded alike, across projects and documents) is shared, not worked out again."""
    wordings = memos.table(WORDINGS)
    projects = []
    rows = []
    empty = 0
    for project in facts.projects:
        read = []
        for i in project.indicators:
            # everything is_real reads, memoised with the wordings (it consults the indicator schema)
            real_key = ("real", i.level2_raw, i.level1 is None, not i.level3)
            real = wordings.get(real_key)
            if real is None:
                real = wordings[real_key] = is_real(i)
            if not real:
                continue
            # everything a Wording reads (the value follows from its text: parse_value is pure)
            key = ("wording", i.level3, i.description, i.level2, i.level2_raw, i.value.raw)
            wording = wordings.get(key)
            if wording is None:
                wording = wordings[key] = Wording(i)
            reading = Reading(i, wording)
            read.append(reading)
            rows.append((project, reading))
        projects.append((project, read))
        empty += not read
    return IndicatorReadings(projects, rows, empty)


def readings(ctx: CheckContext) -> list[tuple[Project, list[Reading]]]:
    """Each project with its real indicator rows, read once per document and shared by the rules."""
    return ctx.analysis.readings.projects


PASSED, NOT_APPLICABLE = "passed", "not applicable"  # a Wording's verdict when it gives no finding


def by_wording(judge: Callable[[Wording], object]) -> Callable[[Wording], object]:
    """`judge` (a rule's verdict on a wording alone: PASSED, NOT_APPLICABLE, or what a finding
    reports) worked out once per wording: a row worded like one seen before costs a lookup."""
    return lambda wording: wording.derive(judge, judge)


def wording_kind(name: str, judge: Callable[[Wording], object]) -> Callable[[Callable], Callable]:
    """Register the check kind `name` that judges every real row by its wording alone (`judge`,
    worked out once per distinct wording) and fails each row it faults at the row's value, with the
    message values and evidence the decorated `finding(row, verdict) -> (values, Evidence)` gives:
    the shape of the I rules that need nothing but the row."""
    from audit.engine import kind

    def register(finding: Callable) -> Callable:
        def report(ctx: CheckContext, project: Project, row: Reading, verdict: object) -> None:
            values, evidence = finding(row, verdict)
            ctx.fail(row.indicator.value_span, values, evidence=evidence, subject=project.name)

        kind(name)(lambda ctx: judge_rows(ctx, by_wording(judge), report))
        return finding

    return register


def judge_rows(ctx: CheckContext, verdict_of: Callable[[Wording], object], report: Callable) -> None:
    """Tally every real row by its wording's verdict; `report(ctx, project, row, verdict)` each
    finding, in row order."""
    passed = not_applicable = 0
    for project, row in each(ctx):
        verdict = verdict_of(row.wording)
        if verdict is PASSED:
            passed += 1
        elif verdict is NOT_APPLICABLE:
            not_applicable += 1
        else:
            report(ctx, project, row, verdict)
    ctx.passed(passed)
    ctx.not_applicable(not_applicable)


def each(ctx: CheckContext) -> list[tuple[Project, Reading]]:
    """Every real indicator row, read; a project with none read is not applicable (counted here,
    all at once: a ready list costs the eleven rules that walk it far less than a generator)."""
    read = ctx.analysis.readings
    if read.empty:
        ctx.not_applicable(read.empty)
    return read.rows


def quantitative(c: Constraint) -> bool:
    return c.kind is Kind.QUANTITATIVE and c.value is not None and not c.text_described


