"""I — indicator sanity (指标值 and the indicator tree): targets that cannot fail, point the wrong way,
carry the wrong unit, or were never filled in.

What an indicator *should* look like is data: polarity (rules/lexicons/polarity.yaml), unit
expectations (units.yaml), the indicator tree (indicator_schema.yaml) and template text
(placeholders.yaml). This module only reads an indicator's name and its parsed `Constraint`
against them, and says in each finding what a sound target would look like.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache, partial
from itertools import accumulate
from operator import attrgetter
from typing import Callable

from audit.checks import kind
from audit.engine import CheckContext
from audit.facts.projects import Indicator, Project
from audit.indicator import Constraint, Dimension, Kind, unit_table
from audit.lexicon import derived, indicator_schema, lexicon
from audit.memo import once
from audit.model import Evidence, Span, Term, Text
from audit.records import dataclass

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_SIGN = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
_FLIP = {"<=": ">=", "<": ">", ">=": "<=", ">": "<"}


# --- reading names and values ------------------------------------------------------------------


@lru_cache(maxsize=8192)
def squash_cached(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def squash(text: str | None) -> str:
    """NFKC, no whitespace: the form keywords are matched on."""
    return squash_cached(text or "")


def fmt(value: Decimal) -> str:
    return format(value, "f")


def shown(c: Constraint) -> str:
    """The value as a reader writes it: ≤95%, ≥168小时, 90 (no unit)."""
    parts = []
    if c.comparator:
        parts.append(_SIGN[c.comparator])
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
        # the wording alone, never the row: the memo outlives documents, and a row holds its file's lines
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
        return _polarity_of_squashed(*self.names, self.value.dimension)  # as polarity_of_names()

    @once
    def negative_sense(self) -> str | None:
        """事故, 投诉 …: where =0 / ≤0 is a real target."""
        return self.mentions(lexicon("polarity")["negative_sense"])

    @once
    def unit_classes(self) -> list[str]:
        return _unit_classes_of_squashed(*self.names)  # as unit_classes_of()

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
        return next((w for t in self.names if (w := _contains(t, words))), None)

    # What each rule that reads only the wording says of it (PASSED, NOT_APPLICABLE, or what a
    # finding reports): judged once per wording, so a row worded like one seen before costs a lookup.

    @once
    def vacuous(self):
        return _vacuous(self)

    @once
    def percent_bounds(self):
        return _percent_bounds(self)

    @once
    def direction(self):
        return _direction(self)

    @once
    def unit(self):
        c = self.value
        if not self.quantitative or c.dimension is Dimension.NONE:
            return NOT_APPLICABLE
        return unit_problem(self) or PASSED

    @once
    def no_unit(self):
        return _no_unit(self)

    @once
    def unreadable(self):
        return _unreadable(self)

    @once
    def placeholders(self):
        return _placeholders(self)


def _shared(name: str) -> property:
    return property(attrgetter(f"wording.{name}"), doc=getattr(Wording, name).__doc__)  # no Python frame per read


class Reading:
    """One real indicator row: the row itself (spans, 一级) and what its wording says."""

    __slots__ = ("indicator", "value", "wording")

    def __init__(self, indicator: Indicator, wording: Wording) -> None:
        self.indicator = indicator
        self.value = indicator.value
        self.wording = wording

    names = _shared("names")
    label = _shared("label")
    raw = _shared("raw")
    squashed_raw = _shared("squashed_raw")
    quantitative = _shared("quantitative")
    polarity = _shared("polarity")
    negative_sense = _shared("negative_sense")
    unit_classes = _shared("unit_classes")
    looks_like_rate = _shared("looks_like_rate")
    money_words = _shared("money_words")
    level2 = _shared("level2")
    copy_key = _shared("copy_key")


# Verdicts that depend only on an indicator's text, kept across documents: (lexicons, {key: verdict}).
_VERDICTS: tuple | None = None
_MEMO_LIMIT = 1 << 16  # wordings / verdicts remembered before starting afresh


def _lexicons() -> tuple:
    return lexicon("polarity"), lexicon("units"), lexicon("placeholders"), indicator_schema()


def _same(a: tuple, b: tuple) -> bool:
    return all(x is y for x, y in zip(a, b))


def _document_readings(ctx: CheckContext) -> tuple:
    """(lexicons, rows per project, every (project, row), projects with none) of the document, read
    once against the current lexicons and shared by the I/C rules. The entry holds the lexicons, so
    their ids in the key stay theirs; a lexicon extension makes a new entry."""
    lexicons = _lexicons()
    key = ("indicator readings", *map(id, lexicons))
    return ctx.document.derived(key, lambda: (lexicons, *_read(ctx.facts)))


def readings(ctx: CheckContext) -> list[tuple[Project, list[Reading]]]:
    """Each project with its real indicator rows, read once per document and shared by the rules."""
    return _document_readings(ctx)[1]


def _read(facts) -> tuple[list[tuple[Project, list[Reading]]], list[tuple[Project, Reading]], int]:
    """(each project with its real rows, every (project, row) in order, projects with none)."""
    wordings = verdicts()
    rows = []
    flat = []
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
            flat.append((project, reading))
        rows.append((project, read))
        empty += not read
    return rows, flat, empty


def verdicts() -> dict:
    """A memo for results that follow from an indicator's text alone (forgotten when a lexicon
    extension replaces the lexicons they were read against)."""
    global _VERDICTS
    lexicons = _lexicons()
    memo = _VERDICTS
    if memo is None or not _same(memo[0], lexicons) or len(memo[1]) >= _MEMO_LIMIT:
        memo = _VERDICTS = (lexicons, {})
    return memo[1]


PASSED, NOT_APPLICABLE = "passed", "not applicable"  # a Wording's verdict when it gives no finding


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
    _, _, flat, empty = _document_readings(ctx)
    if empty:
        ctx.not_applicable(empty)
    return flat


def quantitative(c: Constraint) -> bool:
    return c.kind is Kind.QUANTITATIVE and c.value is not None and not c.text_described


def _contains(text: str, words) -> str | None:
    """The first of `words`, in their order, found in `text`."""
    for word in words:  # a plain loop: a generator costs twice as much on every new name
        if word in text:
            return word
    return None


# --- polarity (正向/逆向) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Polarity:
    direction: str  # "higher" | "lower" | "decline"
    keyword: str
    source: str  # the text it was read from
    generic: bool = False  # read only from a 率 ending, not from a listed keyword


@derived(maxsize=4096)
def _polarity_of(text: str, duration: bool) -> Polarity | str | None:
    """One name → Polarity, "ambiguous", or None (says nothing)."""
    lex = lexicon("polarity")
    if not text:
        return None
    if duration:
        word = _contains(text, lex["lower_durations"])
        return Polarity("lower", word, text) if word else None
    if _contains(text, lex["neutral"]):
        return None
    word = _contains(text, lex["decline"])
    if word:
        return Polarity("decline", word, text)
    word = _contains(text, lex["lower_rates"])
    if word:
        return "ambiguous" if _contains(text, lex["decrease_verbs"]) else Polarity("lower", word, text)
    if _contains(text, lex["negative_sense"]):
        return None
    word = _contains(text, lex["higher"])
    if word:
        return Polarity("higher", word, text)
    head = strip_bracket(text)
    suffix = lex.get("rate_suffix")
    if suffix and head.endswith(suffix) and not any(head.endswith(x) for x in lex.get("rate_suffix_exclude", ())):
        return Polarity("higher", _clip(head, 12), text, generic=True)
    return None


def polarity_of_names(level3: str, description: str, dimension: Dimension) -> Polarity | None:
    """Which way an indicator should point, judged only where the unit lets a direction be read:
    rates on percentages (or unitless values), timeliness on durations. The name (三级指标) is
    read first; the description only when the name says nothing; an ambiguous name says nothing."""
    return _polarity_of_squashed(squash(level3), squash(description), dimension)


def _polarity_of_squashed(level3: str, description: str, dimension: Dimension) -> Polarity | None:
    if dimension in (Dimension.PERCENT, Dimension.NONE):
        duration = False
    elif dimension is Dimension.DURATION:
        duration = True
    else:
        return None
    for text in (level3, description):
        found = _polarity_of(text, duration)
        if found == "ambiguous":
            return None
        if found is not None:
            return found
    return None


_DIRECTION = {
    "higher": Text(zh="正向指标（越高越好）", en="higher-is-better"),
    "decline": Text(zh="降幅类正向指标（降得越多越好）", en="a decline (the larger the better)"),
    "lower": Text(zh="逆向指标（越低/越短越好）", en="lower-is-better"),
}


# --- unit classes ----------------------------------------------------------------------------


_BRACKET = re.compile(r"\(([^()]{0,6})\)?$")


def strip_bracket(text: str) -> str:
    """培训人员数(名) → 培训人员数: a trailing bracketed unit is not part of the name's head."""
    match = _BRACKET.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


@derived(maxsize=4096)
def head_classes(text: str) -> tuple[str, ...]:
    """Unit classes of one name, read from its head: a keyword that ends it, or a unit in brackets."""
    units = lexicon("units")
    found: list[str] = []
    if "/" in text or "÷" in text:
        return ("rate",)  # 满意数/总调查人数: a fraction is a rate, whatever its last word
    match = _BRACKET.search(text)
    if match and match.start() > 0:
        inside = match.group(1)
        found += [name for name, words in units["bracket_units"].items() if inside in words]
        text = text[: match.start()]
    for name, endings in _class_endings(units):
        if text.endswith(endings) and name not in found:
            found.append(name)
    return tuple(found)


_ENDINGS: tuple = (None, ())  # (the units lexicon, its classes' keywords as tuples for str.endswith)


def _class_endings(units: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    global _ENDINGS
    if _ENDINGS[0] is not units:
        _ENDINGS = (units, tuple((name, tuple(spec["keywords"])) for name, spec in units["classes"].items()))
    return _ENDINGS[1]


def unit_classes_of(level3: str, description: str) -> list[str]:
    """The classes of the name (三级指标), plus those of the description (alone when the name
    has none)."""
    return _unit_classes_of_squashed(squash(level3), squash(description))


def _unit_classes_of_squashed(level3: str, description: str) -> list[str]:
    found = list(head_classes(level3))
    found += [c for c in head_classes(description) if c not in found]
    return found


# --- I001 vacuous -----------------------------------------------------------------------------


def _target(p: Polarity | None, c: Constraint) -> Text:
    """What a sound target looks like for this indicator."""
    return _target_for(p.direction if p is not None else None, c.dimension, c.unit)


@lru_cache(maxsize=256)
def _target_for(direction: str | None, dimension: Dimension, unit: str | None) -> Text:
    unit = unit or ("%" if dimension in (Dimension.PERCENT, Dimension.NONE) else "")
    if direction == "lower":
        if dimension is Dimension.DURATION:
            return Text(zh="上限，如 ≤24小时", en="a cap, e.g. ≤24 hours")
        return Text(zh=f"上限，如 ≤5{unit}", en=f"a cap, e.g. ≤5{unit}")
    if dimension is Dimension.PERCENT or (direction is not None and dimension is Dimension.NONE):
        return Text(zh="有实际约束力的下限，如 ≥90%（或全部完成时写 =100%）", en="a floor that binds, e.g. ≥90% (or =100% for all)")
    return Text(zh=f"按历史水平测算的具体目标值，如 ≥N{unit}", en=f"a concrete target set from past performance, e.g. ≥N{unit}")


_AT_LEAST_ZERO = Text(zh="“≥0”任何结果都能满足", en="“≥0” is met by any result")
_ABOVE_ZERO = Text(zh="“>0”只要不为零即达标，没有约束力", en="“>0” is met by anything above nothing")


@kind("indicator_vacuous")
def indicator_vacuous(ctx: CheckContext) -> None:
    """I001: a target no result can miss (≥0%, >0, ≤100% on a higher-is-better rate, 0% on a rate that should be high)."""
    judge_rows(ctx, _VACUOUS, _report_vacuous)


_VACUOUS = attrgetter("vacuous")


def _vacuous(row: Wording):
    c = row.value
    if not row.quantitative or c.upper_value is not None:
        return NOT_APPLICABLE
    p = row.polarity
    why = None
    if c.comparator == ">=" and c.value == ZERO:
        why = _AT_LEAST_ZERO
    elif c.comparator == ">" and c.value == ZERO and c.dimension in (Dimension.PERCENT, Dimension.NONE):
        why = _ABOVE_ZERO
    elif c.comparator in ("<=", "<") and c.value >= HUNDRED and c.dimension is Dimension.PERCENT and p is not None:
        # Any share of a whole is at most 100%; budget ratios (成本控制率) have no polarity here.
        kind_zh = "正向" if p.direction in ("higher", "decline") and not p.generic else ""
        kind_en = "higher-is-better and " if kind_zh else ""
        why = Text(
            zh=f"“{p.keyword}”是{kind_zh}比率，本就不超过100%，“{shown(c)}”任何结果都能满足",
            en=f"“{p.keyword}” is {kind_en}a share that never exceeds 100%, so “{shown(c)}” is always met",
        )
    elif (
        c.comparator in (None, "=")
        and c.value == ZERO
        and c.dimension is Dimension.PERCENT
        and p is not None
        and p.direction == "higher"
        and not p.generic
        and not row.negative_sense
    ):
        why = Text(
            zh=f"“{p.keyword}”应当越高越好，目标却是 0%",
            en=f"“{p.keyword}” should be high, yet the target is 0%",
        )
    if why is None:
        return PASSED
    return {"name": row.label, "value": row.raw, "why": why, "target": _target(p, c)}


def _report_vacuous(ctx: CheckContext, project: Project, row: Reading, values: dict) -> None:
    c = row.value
    ctx.fail(
        row.indicator.value_span,
        values,
        evidence=Evidence(stated=row.raw, values={"comparator": c.comparator, "value": fmt(c.value), "unit": c.unit}),
        subject=project.name,
    )


# --- I002 degenerate percentages -----------------------------------------------------------------


_CHANGE_WORDS = ("增长", "增加", "下降", "降低", "减少", "变化", "增减", "提高", "提升", "同比", "环比")


@kind("indicator_percent_bounds")
def indicator_percent_bounds(ctx: CheckContext) -> None:
    """I002: >100%, ≥100% (only 100 satisfies it), or a negative percentage."""
    judge_rows(ctx, _PERCENT_BOUNDS, _report_percent_bounds)


_PERCENT_BOUNDS = attrgetter("percent_bounds")


def _percent_bounds(row: Wording):
    c = row.value
    if not row.quantitative:
        return NOT_APPLICABLE
    percent = c.dimension is Dimension.PERCENT or (c.dimension is Dimension.NONE and row.looks_like_rate)
    if not percent:
        return NOT_APPLICABLE
    value = c.value
    unit = "%" if c.dimension is Dimension.PERCENT else ""
    why = target = None
    if (
        c.comparator in (">=", ">")
        and value >= HUNDRED
        and any(_contains(t, lexicon("polarity")["budget_ratios"]) for t in row.names)
    ):
        why = Text(
            zh=f"预算/成本类比率写成“{shown(c) if unit else shown(c) + '%'}”，等于要求花完甚至超出预算",
            en=f"a budget or cost ratio of “{shown(c)}” asks for the budget to be spent in full or exceeded",
        )
        target = Text(zh="成本控制类写“≤100%”，预算执行类写可达到的下限（如 ≥90%）", en="Write “≤100%” for cost control, a reachable floor (e.g. ≥90%) for budget execution")
    elif c.comparator == ">=" and value == HUNDRED:
        why = Text(zh="只有 100% 能满足“≥100%”，写法不当", en="only 100% satisfies “≥100%”")
        target = Text(zh="若要求全部完成，写“=100%”；否则写可达到的下限，如 ≥95%", en="Write “=100%” if everything must be done, else a reachable floor such as ≥95%")
    elif c.comparator in (">=", ">") and value >= HUNDRED:
        why = Text(zh=f"比率不可能超过 100%，“{shown(c)}”无法达到", en=f"a rate cannot exceed 100%, so “{shown(c)}” cannot be met")
        target = Text(zh="写不超过 100% 的下限，如 ≥95%", en="Write a floor no higher than 100%, e.g. ≥95%")
    elif value < ZERO and not any(w in t for t in row.names for w in _CHANGE_WORDS):
        why = Text(zh="比率不能为负数", en="a rate cannot be negative")
        target = Text(zh="0%–100% 之间的目标值", en="Write a target between 0% and 100%")
    if why is None:
        return PASSED
    if c.dimension is Dimension.NONE:
        why = Text(zh=why.zh + f"（未写单位，按“{row.label}”的比率含义读作 %）", en=why.en + " (no unit written; read as % from the name)")
    return {"name": row.label, "value": row.raw, "why": why, "target": target}, f"0–100{unit or '%'}"


def _report_percent_bounds(ctx: CheckContext, project: Project, row: Reading, verdict: tuple) -> None:
    values, computed = verdict
    ctx.fail(
        row.indicator.value_span,
        values,
        evidence=Evidence(stated=row.raw, computed=computed),
        subject=project.name,
    )


# --- I003 direction ---------------------------------------------------------------------------------


@kind("indicator_direction")
def indicator_direction(ctx: CheckContext) -> None:
    """I003: a higher-is-better indicator with ≤/<, a lower-is-better one with ≥/>, a decline rate with ≤."""
    judge_rows(ctx, _DIRECTION_OF, _report_direction)


_DIRECTION_OF = attrgetter("direction")


def _direction(row: Wording):
    c = row.value
    if not row.quantitative or c.comparator not in ("<=", "<", ">=", ">"):
        return NOT_APPLICABLE
    p = row.polarity
    if p is None or p.generic:
        return NOT_APPLICABLE  # a bare 率 ending says it is a share, not which way it should go
    wrong = False
    if p.direction in ("higher", "decline") and c.comparator in ("<=", "<"):
        # ≤100% on a higher-is-better rate is vacuous: I001 reports it.
        wrong = not (c.dimension is Dimension.PERCENT and c.value >= HUNDRED)
    elif p.direction == "lower" and c.comparator in (">=", ">"):
        wrong = c.value != ZERO  # ≥0 is I001's
    if not wrong:
        return PASSED
    flipped = _SIGN[_FLIP[c.comparator]]
    if c.value == ZERO:
        target = Text(zh=f"{flipped} 一个大于 0 的目标值", en=f"{flipped} a target above zero")
    else:
        target = Text(zh=f"{flipped}{fmt(c.value)}{c.unit or ''}", en=f"{flipped}{fmt(c.value)}{c.unit or ''}")
    need = "≥" if p.direction in ("higher", "decline") else "≤"
    values = {
        "name": row.label,
        "keyword": p.keyword,
        "direction": _DIRECTION[p.direction],
        "need": need,
        "value": row.raw,
        "shown": shown(c),
        "target": target,
    }
    return values, need, p


def _report_direction(ctx: CheckContext, project: Project, row: Reading, verdict: tuple) -> None:
    values, need, p = verdict
    ctx.fail(
        row.indicator.value_span,
        values,
        evidence=Evidence(stated=shown(row.value), computed=f"{need} …", values={"polarity": p.direction, "keyword": p.keyword}),
        subject=project.name,
    )


# --- I004 unit --------------------------------------------------------------------------------


_DIM_ZH = {
    Dimension.PERCENT: "百分比",
    Dimension.MONEY: "金额",
    Dimension.COUNT: "计数",
    Dimension.DURATION: "时长",
    Dimension.DATE: "日期",
    Dimension.AREA: "面积",
    Dimension.LENGTH: "长度",
    Dimension.RATE: "单位金额/比率",
    Dimension.OTHER: "其他",
    Dimension.NONE: "无单位",
}


def unit_problem(row: Reading) -> tuple[Text, Text] | None:
    """(what is wrong, what the unit should be), or None."""
    c = row.value
    units = lexicon("units")
    dim = Dimension.MONEY if c.unit == "万" and row.money_words else c.dimension  # the bare 万 reads as 万元 in a name about money (补助 ≥45万)
    level2 = row.level2
    rule = units["level2"].get(level2 or "")
    if rule and dim.value in rule["forbid"]:
        expect = Text(zh="应使用" + rule["expect"]["zh"], en="Use " + rule["expect"]["en"])
        return (
            Text(zh=f"{level2}的指标值却是{_DIM_ZH[dim]}（{shown(c)}）", en=f"a {level2} valued as {dim.value} ({shown(c)})"),
            expect,
        )
    classes = row.unit_classes
    if classes and not (rule and dim.value in rule.get("allow", ())):
        specs = units["classes"]
        allowed = {d for name in classes for d in specs[name]["allow"]}
        if row.money_words:
            allowed |= set(specs["money"]["allow"])  # 乡镇收益数量 ≥17.5万元: a quantity of money
        if any(_contains(t, units["change_words"]) for t in row.names):
            allowed.add("percent")  # 缩短周期 ≥10%: a relative change
        if any(_contains(t, units["timeliness_words"]) for t in row.names):
            allowed |= set(specs["timeliness"]["allow"])  # 按时缴纳保费 ≥10月份: a deadline
        if dim.value not in allowed:
            spec = specs[classes[0]]
            return (
                Text(
                    zh=f"名称表明是{spec['label']['zh']}指标，指标值却是{_DIM_ZH[dim]}（{shown(c)}）",
                    en=f"the name makes it {spec['label']['en']}, yet the value is {dim.value} ({shown(c)})",
                ),
                Text(zh="应使用" + spec["expect"]["zh"], en="Use " + spec["expect"]["en"]),
            )
    limit = units["max_duration"].get(c.unit or "")
    if dim is Dimension.DURATION and limit is not None and c.value > Decimal(str(limit)):
        return (
            Text(
                zh=f"{fmt(c.value)}{c.unit} 对一个年度项目而言不合常理（上限约 {limit}{c.unit}）",
                en=f"{fmt(c.value)} {c.unit} is implausible for a one-year project (about {limit} at most)",
            ),
            Text(zh="核对数值与单位（如 12个月、1年）", en="Check the number and the unit (e.g. 12 months, 1 year)"),
        )
    return None


@kind("indicator_unit")
def indicator_unit(ctx: CheckContext) -> None:
    """I004: the unit does not fit the indicator (时效 in money, a count or a duration in percent, …)."""
    judge_rows(ctx, _UNIT, _report_unit)


_UNIT = attrgetter("unit")


def _report_unit(ctx: CheckContext, project: Project, row: Reading, problem: tuple[Text, Text]) -> None:
    indicator, c = row.indicator, row.value
    why, expect = problem
    ctx.fail(
        indicator.value_span,
        {"name": row.label, "value": row.raw, "why": why, "expect": expect},
        evidence=Evidence(stated=row.raw, values={"dimension": c.dimension.value, "unit": c.unit, "level2": indicator.level2}),
        subject=project.name,
    )


# --- I005 no unit -------------------------------------------------------------------------------


@kind("indicator_no_unit")
def indicator_no_unit(ctx: CheckContext) -> None:
    """I005: a quantitative value with no unit (≥90): 90%? 90人? 90分?"""
    judge_rows(ctx, _NO_UNIT, _report_no_unit)


_NO_UNIT = attrgetter("no_unit")


def _no_unit(row: Wording):
    c = row.value
    if not row.quantitative:
        return NOT_APPLICABLE
    if c.unit is not None or _unit_in_name(row.label):
        return PASSED
    guess = "%" if row.looks_like_rate else "（人、次、%、万元…）"
    guess_en = "%" if row.looks_like_rate else " (people, times, %, 万元…)"
    return {"name": row.label, "value": row.raw, "target": Text(zh=f"{shown(c)}{guess}", en=f"{shown(c)}{guess_en}")}


# A unit stated once in the indicator's name, as a column header would: 群众满意度(%), 培训人数（人次）
_NAME_UNIT = re.compile(r"\(\s*([^()\s]{1,6})\s*\)\s*$")


def _unit_in_name(name: str) -> bool:
    """The name ends in a bracketed unit word, so a bare number in the value is in that unit."""
    match = _NAME_UNIT.search(name)
    return match is not None and match.group(1) in unit_table()


def _report_no_unit(ctx: CheckContext, project: Project, row: Reading, values: dict) -> None:
    ctx.fail(row.indicator.value_span, values, evidence=Evidence(stated=row.raw), subject=project.name)


# --- I006 indicator tree ---------------------------------------------------------------------------


@kind("indicator_tree")
def indicator_tree(ctx: CheckContext) -> None:
    """I006: a table lacks a required 一级指标 (产出, 效益/效果, 满意度), or a 二级 sits under the wrong 一级."""
    schema = indicator_schema()
    misplaced = verdicts().setdefault("I006", {})  # (一级, 二级) as printed → the 二级's parent if misplaced
    for project, readings_ in readings(ctx):
        rows = [row.indicator for row in readings_]
        if not rows:
            ctx.insufficient() if project.insufficient else ctx.not_applicable()
            continue
        failed = False
        present = {i.level1 for i in rows if i.level1}
        # 财预〔2021〕101号 puts 成本指标 beside 产出; either schema is complete with 产出/效益/满意度.
        missing = [level for level in schema.required if level not in present]
        if missing:
            failed = True
            first = rows[0]
            span = project.name_span or first.span
            ctx.fail(
                span,
                {
                    "missing": "、".join(missing),
                    "present": "、".join(sorted(present)) or "无",
                    "detail": Text(
                        zh=f"缺少一级指标“{'、'.join(missing)}”（现有：{'、'.join(sorted(present))}）",
                        en=f"lacks the 一级指标 {', '.join(missing)} (has: {', '.join(sorted(present))})",
                    ),
                    "target": Text(
                        zh="补充" + "、".join(f"{m}（如 " + _EXAMPLE.get(m, "…") + "）" for m in missing),
                        en="Add " + ", ".join(missing),
                    ),
                },
                evidence=Evidence(values={"missing": missing, "present": sorted(present)}),
                subject=project.name,
                related=[rows[-1].span],
            )
        for indicator in rows:
            if indicator.level1_source != "cell":
                continue
            pair = (indicator.level1_raw, indicator.level2_raw)
            verdict = misplaced.get(pair)
            if verdict is None:
                if len(misplaced) >= _MEMO_LIMIT:
                    misplaced.clear()
                verdict = misplaced[pair] = _misplaced(schema, *pair)
            if not verdict:
                continue
            parent = verdict[0]
            failed = True
            ctx.fail(
                indicator.level2_span,
                {
                    "missing": "",
                    "present": "",
                    "detail": Text(
                        zh=f"二级指标“{indicator.level2_raw}”放在一级指标“{indicator.level1_raw}”下，应属于“{parent}”",
                        en=f"the 二级 “{indicator.level2_raw}” sits under “{indicator.level1_raw}”; it belongs under “{parent}”",
                    ),
                    "target": Text(zh=f"将其移到“{parent}”下", en=f"Move it under “{parent}”"),
                },
                subject=project.name,
            )
        if not failed:
            ctx.passed()


def _misplaced(schema, level1_raw: str | None, level2_raw: str | None) -> tuple:
    """(the 一级 it belongs under,) when a 二级 is printed under another one; () when in its place."""
    level1 = schema.canonical_level1(level1_raw)
    level2 = schema.canonical_level2(level2_raw)
    if not level1 or not level2 or level1 == level2 or schema.allowed(level1, level2):
        return ()
    return (schema.parent_of(level2),)


_EXAMPLE = {
    "产出指标": "数量、质量、时效、成本指标",
    "效益指标": "社会效益指标",
    "满意度指标": "服务对象满意度 ≥90%",
}


# --- I007 unreadable / glued ------------------------------------------------------------------------


_REMARK = re.compile(r"^(?:\([^()]{0,10}\)|[(（][^()（）]{0,10}[)）])?$")


@kind("indicator_unreadable")
def indicator_unreadable(ctx: CheckContext) -> None:
    """I007: a value the grammar cannot read, or a number glued to free text (≥160年抓获犯罪嫌疑人数量)."""
    judge_rows(ctx, _UNREADABLE, _report_unreadable)


_UNREADABLE = attrgetter("unreadable")


def _unreadable(row: Wording):
    c = row.value
    if c.kind is not Kind.UNPARSED or row.squashed_raw in lexicon("placeholders")["empty_values"]:
        return PASSED if c.kind is not Kind.EMPTY else NOT_APPLICABLE
    read = shown(c) if c.value is not None else ""
    if c.value is not None and c.unit and _REMARK.match(squash(c.glued_text)):
        return PASSED  # ≥95%（含）: a readable target with a remark in brackets
    if c.glued_text and c.value is not None:
        detail = Text(
            zh=f"数字与文字粘连：读到“{read}”，另有文字“{c.glued_text}”",
            en=f"a number glued to text: read “{read}” plus the words “{c.glued_text}”",
        )
    elif c.value is not None:
        detail = Text(zh=f"只读到“{read}”，其余无法识别", en=f"only “{read}” could be read")
    else:
        detail = Text(zh="无法识别比较符、数值和单位", en="no comparator, number and unit could be read")
    return {"name": row.label, "value": row.raw, "detail": detail}


def _report_unreadable(ctx: CheckContext, project: Project, row: Reading, values: dict) -> None:
    c = row.value
    ctx.fail(
        row.indicator.value_span,
        values,
        evidence=Evidence(stated=row.raw, values={"notes": list(c.notes), "glued_text": c.glued_text}),
        subject=project.name,
    )


# --- I008 placeholders ----------------------------------------------------------------------------


@derived(maxsize=1)
def _placeholder_patterns() -> tuple[list[tuple[re.Pattern, Text]], list[re.Pattern]]:
    lex = lexicon("placeholders")
    template = [(re.compile(p["pattern"]), Text.of(p["label"])) for p in lex["template_text"]]
    bare = [re.compile(p) for p in lex["bare_goal"]]
    return template, bare


@derived(maxsize=8192)
def template_text(text: str) -> tuple[str, Text] | None:
    """The first template phrase in a (squashed) text, and what kind it is; memoised: names and
    values repeat across projects and documents."""
    patterns, _ = _placeholder_patterns()
    for pattern, what in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0), what
    return None


_NAME_CELL = Text(zh="三级指标", en="the indicator name")
_VALUE_CELL = Text(zh="指标值", en="the value")


@kind("indicator_placeholder")
def indicator_placeholder(ctx: CheckContext) -> None:
    """I008: template text left in (目标内容1, a goal of 1.1, XXX) or an empty 指标值."""
    _, bare = _placeholder_patterns()
    for project, rows in readings(ctx):
        failed = False
        goal = project.goal
        if goal is not None and project.goal_span is not None:
            text = squash(goal)
            found = template_text(text)
            if found:
                failed = True
                ctx.fail(
                    project.goal_span,
                    {"where": Text(zh="绩效目标", en="the performance goal"), "text": _clip(goal), "detail": Text(zh=f"含{found[1].zh}“{found[0]}”", en=f"contains {found[1].en} “{found[0]}”")},
                    evidence=Evidence(stated=_clip(goal), values={"placeholder": found[0]}),
                    subject=project.name,
                )
            elif any(p.match(text) for p in bare):
                failed = True
                ctx.fail(
                    project.goal_span,
                    {
                        "where": Text(zh="绩效目标", en="the performance goal"),
                        "text": _clip(goal) or "（空）",
                        "detail": Text(zh="只有编号，没有目标内容", en="holds only numbering, no goal")
                        if text
                        else Text(zh="未填写", en="is not filled in"),
                    },
                    evidence=Evidence(stated=goal),
                    subject=project.name,
                )
        for row in rows:
            found = row.wording.placeholders
            if not found:
                continue
            failed = True
            indicator = row.indicator
            for in_value, values in found:
                ctx.fail(indicator.value_span if in_value else indicator.name_span, values, subject=project.name)
        if goal is None and not project.indicators:
            ctx.not_applicable()
        elif not failed:
            ctx.passed()


def _placeholders(row: Wording) -> tuple[tuple[bool, dict], ...]:
    """What I008 reports of a row's wording: (in the value cell?, message values) per finding."""
    c = row.value
    if c.kind is Kind.EMPTY or row.squashed_raw in lexicon("placeholders")["empty_values"]:
        where = Text(zh=f"指标“{row.label}”的指标值", en=f"the value of “{row.label}”")
        return ((True, {"where": where, "text": row.raw or "（空）", "detail": Text(zh="未填写", en="is not filled in")}),)
    out = []
    for cell, text, squashed in ((_NAME_CELL, row.level3, row.names[0]), (_VALUE_CELL, c.raw, row.squashed_raw)):
        found = template_text(squashed)
        if found:
            detail = Text(zh=f"含{found[1].zh}“{found[0]}”", en=f"contains {found[1].en} “{found[0]}”")
            out.append((cell is _VALUE_CELL, {"where": cell, "text": _clip(text), "detail": detail}))
    return tuple(out)


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    name, value = _clip(label(indicator), 20), raw(indicator.value)
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
            context = partial(_line_context, number, text, start, end)
        places[value].append(Place(number, rank, source, start, end, context))
    return places


def _line_context(number: int, text: str, start: int, end: int) -> Text:
    """A number in plain text: its line and the words around it."""
    snippet = _clip(text[max(0, start - 12) : end + 12].strip(), 30)
    return Text(zh=f"第{number}行“{snippet}”", en=f"line {number} “{snippet}”")


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


# --- I010 copies --------------------------------------------------------------------------------


@kind("indicator_copies")
def indicator_copies(ctx: CheckContext) -> None:
    """I010: one indicator table copied unchanged across projects; one 三级指标 repeated within a table."""
    minimum = int(ctx.params.get("min_rows", 3))
    groups: dict[tuple, list[Project]] = defaultdict(list)
    for project, rows in readings(ctx):
        key = tuple([row.copy_key for row in rows])
        if len(key) >= minimum:
            groups[key].append(project)
        elif not key:
            ctx.not_applicable()
        else:
            ctx.passed()
    for key, members in groups.items():
        first = members[0]
        if len(members) == 1:
            ctx.passed()
            continue
        others = members[1:]
        names_zh = "、".join(f"「{p.name}」" for p in others[:5]) + (f"等 {len(others)} 个项目" if len(others) > 5 else "")
        names_en = ", ".join(f"“{p.name}”" for p in others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        ctx.fail(
            first.name_span or first.span,
            {
                "detail": Text(
                    zh=f"与{names_zh}的绩效指标表完全相同（{len(key)} 行指标逐字一致）",
                    en=f"has the same indicator table, word for word ({len(key)} rows), as {names_en}",
                ),
                "target": Text(zh="按各项目的实际产出和效益分别设置指标", en="Set indicators from each project's own outputs and effects"),
            },
            evidence=Evidence(values={"projects": [p.name for p in members], "rows": len(key)}),
            subject=first.name,
            related=[p.name_span or p.span for p in others],
        )
    for project, rows in readings(ctx):
        seen: dict[str, Indicator] = {}
        for row in rows:
            indicator, name = row.indicator, row.names[0]
            if not name:
                continue
            if name in seen:
                first_row = seen[name]
                ctx.fail(
                    indicator.name_span,
                    {
                        "detail": Text(
                            zh=f"三级指标“{row.label}”在同一张表中重复出现（另见第 {first_row.span.line} 行，{first_row.level2_raw} 下）",
                            en=f"the 三级指标 “{row.label}” appears twice in one table (also line {first_row.span.line}, under {first_row.level2_raw})",
                        ),
                        "target": Text(zh="删除重复行，或改成衡量不同方面的指标", en="Drop the repeat or make it measure something else"),
                    },
                    subject=project.name,
                    related=[first_row.span],
                )
            else:
                seen[name] = indicator


# --- I011 process measures as outputs ---------------------------------------------------------


@kind("indicator_process_measure")
def indicator_process_measure(ctx: CheckContext) -> None:
    """I011: a process or input measure (预算执行率, 资金到位率, 支付进度, 投入资金) used as an output or effect."""
    patterns = tuple(ctx.params.get("patterns", []))
    exempt = set(ctx.params.get("exempt_level2", ["成本指标"]))
    keyword_of = _keywords(patterns)  # one per list of patterns: the key of its verdicts too
    passed = not_applicable = 0
    for project, row in each(ctx):
        indicator = row.indicator
        level2 = row.level2
        level1 = indicator.level1
        if level2 in exempt or level1 not in ("产出指标", "效益指标"):
            not_applicable += 1
            continue
        keyword = row.wording.derive(keyword_of, keyword_of)
        if keyword is None:
            passed += 1
            continue
        ctx.fail(
            indicator.name_span,
            {"name": row.label, "keyword": keyword, "level1": level1, "level2": indicator.level2_raw or level2 or ""},
            evidence=Evidence(values={"keyword": keyword, "level2": level2}),
            subject=project.name,
        )
    ctx.passed(passed)
    ctx.not_applicable(not_applicable)


class _Keywords:
    """A rule's patterns, compiled once; called on a wording, what the first pattern to match says,
    over the name and the description in turn."""

    __slots__ = ("compiled",)

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.compiled = tuple(re.compile(p) for p in patterns)

    def __call__(self, row: Wording) -> str | None:
        return next((m.group(0) for t in row.names for p in self.compiled if (m := p.search(t))), None)


@lru_cache(maxsize=64)
def _keywords(patterns: tuple[str, ...]) -> _Keywords:
    return _Keywords(patterns)
