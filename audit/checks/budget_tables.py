"""B — the budget tables add up: balances, totals, code hierarchies, 三公, and one table against another.

Which rows and columns take part in each identity is data (rules/budget_tables.yaml params); this
module only evaluates them, on intervals of displayed precision (audit.arith): a figure with d
decimals stands for ±0.5·10⁻ᵈ, so rounding is never a finding. A failed identity says why it
probably fails (digits swapped, a power of ten, a term left out). One ledger per document holds every
equality of every table rule, so a slip is diagnosed alike everywhere: it is named where it stands
(the identity whose stated figure it is) and the failures it causes elsewhere point back to it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from audit import arith
from audit.arith import Figure, IdentityResult
from audit.checks import kind
from audit.engine import CheckContext
from audit.facts.tables import BudgetTable, Column, Panel, TableFigure, TableRow, clean, table_lexicon
from audit.lexicon import derived
from audit.model import Evidence, Span, Text
from audit.records import dataclass, field
from audit.rules import load_rules

# --- identities and how they are reported ---------------------------------------------------------


@dataclass
class Outcome:
    """One column (or one pair of figures) of an identity, evaluated."""

    result: IdentityResult
    span: Span  # where the finding points: the stated figure
    subject: Text | Callable[[], Text]  # the stated figure: table, row, column (a callable: written only on failure)
    parts: Text | Callable[[], Text]  # what it is compared with (likewise)
    nearby: list[Figure] = field(default_factory=list)  # other figures a missing term may be (failures only)
    related: list[Span] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # extra message values (B007: what, relation)
    exact: bool = True  # an equality (a `≤` relation takes no part in diagnoses)


@dataclass
class Identity:
    """A relation the tables must satisfy (a parent row, a total row, one row's 合计 …)."""

    table: str  # table title, for the finding's subject
    outcomes: list[Outcome] = field(default_factory=list)


def _column_name(column: Column | None, lang: str) -> str:
    if column is None:
        return ""
    return _column_title(column.key, column.header, column.index, lang)


@derived(maxsize=4096)
def _column_title(key: str | None, header: str, index: int, lang: str) -> str:
    names = table_lexicon().column_names.get(key or "", {})
    return names.get(lang) or header.split(" / ")[0] or f"#{index + 1}"


def _row_name(row: TableRow) -> str:
    return _row_title(row.code, row.label)


_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def _row_title(code: str | None, label: str) -> str:
    label = _WHITESPACE.sub("", label)
    return f"{code} {label}".strip() if code else label


def _where(table: BudgetTable, row: TableRow, column: Column | None, *, with_table: bool = True,
           printed: TableFigure | None = None) -> Text:
    """Table, row and column of a figure; `printed` adds the cell as printed when the table is not in 万元
    (comparisons across tables and with the narrative are made in 万元)."""
    zh_col = _column_name(column, "zh")
    en_col = _column_name(column, "en")
    zh = f"「{_row_name(row)}」" + (f"{zh_col}列" if zh_col else "")
    en = f"\"{_row_name(row)}\"" + (f" ({en_col})" if en_col else "")
    if with_table:
        zh = f"{table.name('zh')}{zh}"
        en = f"{table.name('en')} {en}"
    if printed is not None and table.unit != "万元":
        zh += f"（表列 {printed.text}{table.unit}，折合万元）"
        en += f" (printed {printed.text} {table.unit}, here in 万元)"
    return Text(zh=zh, en=en)


def _figure(table: BudgetTable, row: TableRow, column: Column | None, value: TableFigure, *, scale: bool = False) -> Figure:
    """A cell as an arith Figure; `scale` converts it to 万元 for comparisons across tables."""
    col = _column_name(column, "zh")
    label = f"{table.name('zh')} {_row_name(row)}" + (f"·{col}" if col else "")
    return Figure(shown=value.value, label=label, span=value.span, scale=table.scale if scale else _ONE)


_ONE = Decimal(1)


def _fmt(value: Decimal) -> str:
    """A computed figure as printed: trailing zeros of a unit conversion dropped, at least 2 decimals."""
    if value.as_tuple().exponent < -2:
        value = value.normalize()
        if value.as_tuple().exponent > -2:
            value = value.quantize(Decimal("0.01"))
    return arith.display(value)


class Shared:
    """What the table rules derive from one document, computed once and shared by B001/B006–B009/B014
    and the ledger: each rule's identities, the tables by kind, the narrative's levels by concept."""

    def __init__(self, facts: Any):
        self.facts = facts
        self.tables: list[BudgetTable] = list(getattr(facts, "tables", []))
        self.by_kind: dict[str, list[BudgetTable]] = {}
        self.by_group: dict[tuple[str, int], list[BudgetTable]] = {}
        for table in self.tables:
            self.by_kind.setdefault(table.kind, []).append(table)
            self.by_group.setdefault((table.kind, table.group), []).append(table)
        self.identities: dict[tuple[int, Callable], tuple[dict, list[Identity] | None]] = {}
        self.ledger: dict[tuple, tuple[arith.Diagnosis, bool]] | None = None
        self._levels: dict[str, list] | None = None
        self._figures: dict[tuple[int, int, bool], Figure] = {}

    def figure(self, table: BudgetTable, row: TableRow, column: Column | None, value: TableFigure, *, scale: bool = False) -> Figure:
        """A cell as an arith Figure, built once: the same cell takes part in many identities and rules."""
        key = (id(value), id(column), scale)
        figure = self._figures.get(key)
        if figure is None:
            figure = self._figures[key] = _figure(table, row, column, value, scale=scale)
        return figure

    def of_kinds(self, kinds: Iterable[str]) -> list[BudgetTable]:
        """The tables of these kinds, in document order."""
        kinds = set(kinds)
        if len(kinds) == 1:
            return self.by_kind.get(next(iter(kinds)), [])
        return [t for t in self.tables if t.kind in kinds]

    def in_group(self, kind: str, group: int | None) -> list[BudgetTable]:
        """The tables of a kind in one set of tables (all sets when `group` is None)."""
        if group is None:
            return self.by_kind.get(kind, [])
        return self.by_group.get((kind, group), [])

    def levels(self, concept: str) -> list:
        """Narrative nodes stating this year's level of a concept (the latest year the narrative speaks of)."""
        if self._levels is None:
            statements = getattr(getattr(self.facts, "narrative", None), "statements", [])
            years = [n.year for s in statements for n in s.nodes if n.year]
            budget_year = max(years) if years else None
            self._levels = {}
            for s in statements:
                for n in s.nodes:
                    if n.concept is not None and n.level is not None and n.year in (None, budget_year):
                        self._levels.setdefault(n.concept, []).append(n)
        return self._levels.get(concept, [])


def _shared(document: Any) -> Shared:
    return document.derived("budget tables", lambda: Shared(document.facts))


class Scope(NamedTuple):
    """What an identity generator reads: the document's facts, one rule's params, and what is derived
    from the document once for all rules."""

    facts: Any
    params: dict[str, Any]
    shared: Shared


def _scope(ctx: CheckContext) -> Scope:
    return Scope(ctx.facts, ctx.params, _shared(ctx.document))


def _identities(document: Any, params: dict[str, Any], generator: Callable[[Scope], list[Identity] | None]) -> list[Identity] | None:
    """A generator's identities on a document with a rule's params, evaluated once (the rule and the
    ledger both ask for them)."""
    shared = _shared(document)
    key = (id(params), generator)
    cached = shared.identities.get(key)
    if cached is not None and cached[0] is params:
        return cached[1]
    identities = generator(Scope(document.facts, params, shared))
    shared.identities[key] = (params, identities)  # params held, so its id stays its own
    return identities


def _signature(result: IdentityResult) -> tuple:
    return tuple((f.span.line, f.span.column) if f.span else (f.label, f.text) for f in result.figures)


def _diagnoses(failures: list[tuple[IdentityResult, list[Figure]]], everything: list[IdentityResult]) -> dict[tuple, tuple[arith.Diagnosis, bool]]:
    """Per failed identity (by signature): the slip that best explains it — consistent with every
    identity that holds, and among those the one that explains the most failures (a cascade's root) —
    and whether this failure is where that slip is named (its stated figure is the slip, or no
    failure states it and this is the first it explains) rather than a knock-on effect."""
    holding: dict[tuple[int, int], list[IdentityResult]] = {}  # where a figure stands → the identities it is in
    for result in everything:
        for where in _places(result):
            holding.setdefault(where, []).append(result)
    options: dict[tuple, dict[tuple, arith.Diagnosis]] = {}
    for result, nearby in failures:
        found = [d for d in arith.candidates(result, nearby) if arith.consistent_with(d, _at(holding, d))]
        options[_signature(result)] = {d.key: d for d in found}
    score: dict[tuple, int] = {}
    for found in options.values():
        for key in found:
            score[key] = score.get(key, 0) + 1
    chosen: dict[tuple, arith.Diagnosis] = {}
    for signature, found in options.items():
        if found:
            best = max(score[k] for k in found)
            top = [d for k, d in found.items() if score[k] == best]
            if len(top) == 1:
                chosen[signature] = top[0]
    slips: dict[tuple[int, int], dict[tuple, arith.Diagnosis]] = {}  # where → the chosen slips there, by key
    for d in chosen.values():
        if d.figure.span is not None:
            slips.setdefault((d.figure.span.line, d.figure.span.column), {})[d.key] = d
    for result, _ in failures:  # a failure without a slip of its own may be the knock-on of another's
        signature = _signature(result)
        if signature not in chosen:
            # only a slip at one of this identity's figures can explain it
            explained = [d for where in _places(result) for d in slips.get(where, {}).values() if arith.explains(d, result)]
            if len(explained) == 1:
                chosen[signature] = d = explained[0]
                slips[(d.figure.span.line, d.figure.span.column)][d.key] = d
    roots: dict[tuple, tuple] = {}
    ordered = sorted((_signature(r) for r, _ in failures), key=lambda sig: sig[0] if isinstance(sig[0][0], int) else (0, 0))
    for signature in ordered:
        d = chosen.get(signature)
        if d is None:
            continue
        if _is_own(signature, d):
            if not _is_own(roots.get(d.key), d):
                roots[d.key] = signature
        else:
            roots.setdefault(d.key, signature)
    return {sig: (d, _is_own(sig, d) or roots.get(d.key) == sig) for sig, d in chosen.items()}


def _places(result: IdentityResult) -> dict[tuple[int, int], None]:
    """Where the identity's figures stand, each place once, in order."""
    return dict.fromkeys((f.span.line, f.span.column) for f in result.figures if f.span)


def _at(holding: dict[tuple[int, int], list[IdentityResult]], diagnosis: arith.Diagnosis) -> list[IdentityResult]:
    """The identities that hold the diagnosed figure: the only ones its correction may break."""
    span = diagnosis.figure.span
    return holding.get((span.line, span.column), []) if span is not None else []


def _is_own(signature: tuple | None, diagnosis: arith.Diagnosis) -> bool:
    """Is the diagnosed figure this identity's stated figure (the first of its signature)?"""
    span = diagnosis.figure.span
    return bool(signature) and span is not None and signature[0] == (span.line, span.column)


def _ledger(document: Any) -> dict[tuple, tuple[arith.Diagnosis, bool]]:
    """Diagnoses over every equality the table rules evaluate on this document, so that one slip is
    explained the same way, and named once, by all of B001/B006/B007/B008/B009."""
    shared = _shared(document)
    if shared.ledger is not None:
        return shared.ledger
    outcomes: list[Outcome] = []
    for rule in load_rules():
        generator = _GENERATORS.get(rule.kind)
        if generator is None:
            continue
        for identity in _identities(document, rule.params, generator) or []:
            outcomes.extend(o for o in identity.outcomes if o.exact)
    failures = [(o.result, o.nearby) for o in outcomes if not o.result.holds]
    shared.ledger = _diagnoses(failures, [o.result for o in outcomes]) if failures else {}
    return shared.ledger


def settle(ctx: CheckContext, identities: list[Identity] | None) -> None:
    """Tally every identity (None: nothing to check here) and report each failing column with the slip
    that explains it; a failure caused by a slip reported elsewhere points there."""
    if identities is None:
        ctx.not_applicable()
        return
    failures = [o for i in identities for o in i.outcomes if not o.result.holds and o.exact]
    ledger = _ledger(ctx.document) if failures else {}
    if any(_signature(o.result) not in ledger for o in failures):  # params differ from the shipped rules
        local = [o.result for i in identities for o in i.outcomes if o.exact]
        ledger = {**_diagnoses([(o.result, o.nearby) for o in failures], local), **ledger}
    for identity in identities:
        if not identity.outcomes:
            ctx.insufficient()
            continue
        failed = [o for o in identity.outcomes if not o.result.holds]
        if not failed:
            ctx.passed()
            continue
        for outcome in failed:
            if outcome.exact:
                diagnosis, is_root = ledger.get(_signature(outcome.result), (None, False))
            else:
                diagnosis, is_root = _repairs_relation(outcome.result, ledger), False
            _report(ctx, identity, outcome, diagnosis, is_root)


def _repairs_relation(result: IdentityResult, ledger: dict[tuple, tuple[arith.Diagnosis, bool]]) -> arith.Diagnosis | None:
    """A `≤` relation broken by a slip diagnosed elsewhere: correcting that figure restores it."""
    for diagnosis, _ in ledger.values():
        if diagnosis.corrected is None or diagnosis.figure.span is None:
            continue
        figures = list(result.figures)
        for index, figure in enumerate(figures):
            if figure.span == diagnosis.figure.span:
                figures[index] = figure.with_shown(diagnosis.corrected.shown)
                if _le(figures[0], figures[1]):
                    return diagnosis
    return None


def _report(ctx: CheckContext, identity: Identity, outcome: Outcome, diagnosis: arith.Diagnosis | None,
            is_root: bool) -> None:
    result = outcome.result
    related = list(outcome.related)
    if diagnosis is not None and not is_root:
        where = diagnosis.figure.span
        line = where.line if where else result.total.span.line
        cause = Text(
            zh=f"；这是 {diagnosis.figure.label} {diagnosis.figure.text} 处错误的连带结果（见第 {line} 行）",
            en=f"; a consequence of the slip in {diagnosis.figure.label} {diagnosis.figure.text} (see line {line})",
        )
        if where:
            related.append(where)
    elif diagnosis is not None:
        cause = Text(zh=f"；{diagnosis.text.zh}", en=f"; {diagnosis.text.en}")
    else:
        cause = Text(zh="", en="")
    suggestion = _suggestion(diagnosis, outcome) if diagnosis else None
    diagnosis_text = diagnosis.text if diagnosis else None
    difference = result.difference
    evidence = Evidence(
        stated=_fmt(result.stated),
        computed=_fmt(result.computed),
        difference=_fmt(difference),
        tolerance=_fmt(result.tolerance),
        terms=[result.total.term(), *result.terms()],
        diagnosis=diagnosis_text,
    )
    ctx.fail(
        outcome.span,
        {
            "where": _written(outcome.subject),
            "parts": _written(outcome.parts),
            "stated": _fmt(result.stated),
            "computed": _fmt(result.computed),
            "difference": _fmt(abs(difference)),
            "cause": cause,
            **outcome.values,
        },
        evidence=evidence,
        suggestion=suggestion,
        subject=identity.table,
        related=related,
    )


def _written(text: Text | Callable[[], Text]) -> Text:
    return text() if callable(text) else text


def _suggestion(diagnosis: arith.Diagnosis, outcome: Outcome) -> Text | None:
    figure = diagnosis.figure
    if diagnosis.corrected is not None:
        return Text(
            zh=f"核对 {figure.label}：若应为 {diagnosis.corrected.text}，改正后此项即平衡",
            en=f"Check {figure.label}: if it should read {diagnosis.corrected.text}, the identity holds",
        )
    if diagnosis.kind == arith.MISSING_TERM:
        return Text(
            zh=f"核对是否漏列或多列了 {figure.label} {figure.text}",
            en=f"Check whether {figure.label} {figure.text} was left out or counted twice",
        )
    return None


# --- selecting rows and columns from the params ---------------------------------------------------


class RowNames:
    """A params list of row names: which printed names it matches (in full), each name tried once
    (the same few hundred names recur in every table of every file)."""

    __slots__ = ("patterns", "_seen")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = tuple(re.compile(clean(p)) for p in patterns)
        self._seen: dict[str, bool] = {}

    def match(self, name: str) -> bool:
        seen = self._seen
        found = seen.get(name)
        if found is None:
            if len(seen) >= _SEEN_LIMIT:
                seen.clear()
            found = seen[name] = any(p.fullmatch(name) for p in self.patterns)
        return found


_SEEN_LIMIT = 4096


def _names(patterns: Iterable[str]) -> RowNames:
    return _compiled(tuple(patterns))


@lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> RowNames:
    """A params list of row names, compiled once (rules ask for the same lists on every row)."""
    return RowNames(patterns)


def _matches(row: TableRow, names: RowNames) -> bool:
    return names.match(row.name)


def _tables(scope: Scope, kinds: Iterable[str]) -> list[BudgetTable]:
    return scope.shared.of_kinds(kinds)


def _summable(panel: Panel) -> list[Column]:
    """Columns whose figures may be added: known meaning, money, not in doubt."""
    return [c for c in panel.columns if c.key and c.additive and not c.uncertain]


def _except(rows: list[TableRow], taken: set[int]) -> list[TableRow]:
    """The rows not taking part in an identity: a term left out may be among them (asked on failure only)."""
    return [r for r in rows if id(r) not in taken]


def _sum_outcome(shared: Shared, table: BudgetTable, panel: Panel, total: TableRow, members: list[TableRow], column: Column,
                 parts_text: Text, nearby_rows: Callable[[], Iterable[TableRow]] = tuple) -> Outcome | None:
    """total[column] = Σ members[column]; None when the total or every member is blank."""
    stated = total.cells.get(column.index)
    present = [(m, m.cells[column.index]) for m in members if column.index in m.cells]
    if stated is None or not present or any(column.index in r.unreadable for r in (total, *members)):
        return None  # nothing to add up, or a garbled cell among the terms
    result = arith.check_sum(shared.figure(table, total, column, stated), [shared.figure(table, m, column, v) for m, v in present])
    nearby = [] if result.holds else [shared.figure(table, r, column, r.cells[column.index]) for r in nearby_rows() if column.index in r.cells]
    return Outcome(result, stated.span, partial(_where, table, total, column), parts_text, nearby)


# --- B008: total rows and total columns -----------------------------------------------------------


def _block(rows: list[TableRow]) -> list[TableRow]:
    """Rows up to the next total or balance row."""
    block: list[TableRow] = []
    for row in rows:
        if row.kind in ("total", "balance"):
            break
        block.append(row)
    return block


def _members(panel: Panel, index: int, how: str) -> tuple[list[TableRow], list[TableRow], str]:
    """The item rows a total row adds up, by the params' `items` rule (top_codes, before, after,
    adjacent = after, else before); the rows that are parts only by position, for a second reading;
    and the rule that found them."""
    rows = panel.rows
    total = rows[index]
    if how == "top_codes":
        coded = [r for r in rows if r.code]
        top = min((len(r.code) for r in coded), default=0)
        return [r for r in coded if len(r.code) == top], [], how
    if how == "adjacent":
        subtotals = [r for r in rows if r.kind == "total" and r.name.endswith("小计") and r is not total]
        if subtotals and not total.name.endswith("小计"):
            return subtotals, [], "subtotals"  # a grand total over units that each have their 小计
        # totals stand above their items when the table opens with one, else below them
        return _members(panel, index, "after" if rows[0].kind == "total" else "before")
    if how == "before":
        block = list(reversed(_block(list(reversed(rows[:index])))))
    elif how == "after":
        block = _block(rows[index + 1:])
    else:
        raise ValueError(f"unknown items rule {how!r} (top_codes, before, after, adjacent)")
    if total.kind == "balance":  # 年初结转和结余 and its breakdown 一、…二、… below it
        return [r for r in block if r.kind == "part"], [], how
    items = [r for r in block if r.kind == "item"]
    if any(r.numbered for r in items):
        items = [r for r in items if r.numbered]  # unnumbered rows under numbered ones are their details
    return items, [r for r in block if r.maybe_item], how


_ITEMS_TEXT = {
    "top_codes": Text(zh="各类级科目之和", en="the sum of the top-level classification rows"),
    "before": Text(zh="其上各项之和", en="the sum of the items above it"),
    "after": Text(zh="其下各项之和", en="the sum of the items below it"),
    "subtotals": Text(zh="各小计之和", en="the sum of the subtotals"),
}


def _column_sums(scope: Scope) -> Iterator[Identity]:
    for spec in scope.params.get("column_sums", []):
        patterns = _names(spec["total"])
        how = spec.get("items", "before")
        for table in _tables(scope, spec["tables"]):
            for panel in table.panels:
                for index, row in enumerate(panel.rows):
                    if row.code or not _matches(row, patterns) or not row.cells:
                        continue
                    members, maybe, found_by = _members(panel, index, how)
                    if not members:
                        continue
                    identity = Identity(table.title)
                    taken = {id(row), *map(id, members)}  # identity, not equality: pydantic's == is slow and too loose
                    others = partial(_except, panel.rows, taken)
                    for column in _summable(panel):
                        outcome = _sum_outcome(scope.shared, table, panel, row, members, column, _ITEMS_TEXT[found_by], others)
                        if outcome and not outcome.result.holds and maybe:
                            # with no numbering, a 其中 list may end after any of its rows and the rest be
                            # items again: any such reading that balances will do
                            for cut in range(len(maybe)):
                                wider = _sum_outcome(scope.shared, table, panel, row, members + maybe[cut:], column,
                                                     _ITEMS_TEXT[found_by], others)
                                if wider and wider.result.holds:
                                    outcome = wider
                                    break
                        if outcome:
                            identity.outcomes.append(outcome)
                    yield identity


def _row_sums(scope: Scope, specs: list[dict[str, Any]] | None = None, kinds: list[str] | None = None) -> Iterator[Identity]:
    """A row's total column = Σ its component columns (`specs` default to the params' row_sums; `kinds`
    stands for a spec without `tables`)."""
    for spec in scope.params.get("row_sums", []) if specs is None else specs:
        for table in _tables(scope, spec.get("tables", kinds or [])):
            for panel in table.panels:
                total = panel.column(spec["total"])
                parts = [c for key in spec["parts"] if (c := panel.column(key)) is not None]
                if total is None or not parts or any(panel.column(k) for k in spec.get("unless", [])):
                    continue
                span = range(min(total.index, *(p.index for p in parts)), max(total.index, *(p.index for p in parts)) + 1)
                doubtful = [c for c in panel.columns if c.index in span and (c.key is None or c.uncertain)]
                used = {total.index, *(p.index for p in parts)}
                for row in panel.rows:
                    stated = row.cells.get(total.index)
                    if stated is None:
                        if total.index in row.unreadable:
                            yield Identity(table.title)  # the total cannot be read: insufficient data
                        continue
                    identity = Identity(table.title)
                    if doubtful or any(c.index in row.unreadable for c in parts):
                        yield identity  # a column between them cannot be read: insufficient data
                        continue
                    present = [(c, row.cells[c.index]) for c in parts if c.index in row.cells]
                    if present:
                        result = arith.check_sum(
                            scope.shared.figure(table, row, total, stated),
                            [scope.shared.figure(table, row, c, v) for c, v in present],
                        )
                        nearby = [] if result.holds else [
                            scope.shared.figure(table, row, c, f) for c in panel.columns
                            if c.index not in used and c.additive and (f := row.cells.get(c.index))]
                        identity.outcomes.append(Outcome(result, stated.span, partial(_where, table, row, total),
                                                         partial(_columns_text, [c for c, _ in present]), nearby))
                    yield identity


def _columns_text(columns: list[Column]) -> Text:
    return Text(zh=" + ".join(_column_name(c, "zh") for c in columns), en=" + ".join(_column_name(c, "en") for c in columns))


def _totals(scope: Scope) -> list[Identity] | None:
    if not any(t.rows for t in scope.shared.tables):
        return None
    return [*_column_sums(scope), *_row_sums(scope)]


@kind("table_totals")
def table_totals(ctx: CheckContext) -> None:
    """B008: a total row is the sum of its item rows, column by column; a row's 合计 is the sum of its parts."""
    settle(ctx, _identities(ctx.document, ctx.params, _totals))


# --- B009: classification-code hierarchy ----------------------------------------------------------


def _hierarchy(scope: Scope) -> list[Identity] | None:
    identities: list[Identity] = []
    for table in _tables(scope, scope.params.get("tables", [])):
        for panel in table.panels:
            coded = [r for r in panel.rows if r.code]
            counts: dict[str, int] = {}
            below: dict[tuple[str | None, str], list[TableRow]] = {}  # (domain, parent code) → rows one level down
            by_length: dict[int, list[TableRow]] = {}
            for r in coded:
                counts[r.code] = counts.get(r.code, 0) + 1
                below.setdefault((r.domain, r.code[:-2]), []).append(r)
                by_length.setdefault(len(r.code), []).append(r)
            for row in coded:
                if counts[row.code] > 1:
                    continue  # the same code twice: which one is the parent is unclear
                children = below.get((row.domain, row.code), [])
                if not children:
                    continue
                level = {3: ("类", "款"), 5: ("款", "项")}.get(len(row.code), ("", ""))
                parts = Text(zh=f"所属{level[1]}级科目之和", en="the sum of its sub-items")
                identity = Identity(table.title)
                taken = {id(row), *map(id, children)}
                others = partial(_except, by_length[len(children[0].code)], taken)
                for column in _summable(panel):
                    outcome = _sum_outcome(scope.shared, table, panel, row, children, column, parts, others)
                    if outcome:
                        identity.outcomes.append(outcome)
                identities.append(identity)
    return identities or None


@kind("table_hierarchy")
def table_hierarchy(ctx: CheckContext) -> None:
    """B009: a 类 row is the sum of its 款 rows, a 款 row of its 项 rows (经济分类: 301 ⊃ 30101)."""
    settle(ctx, _identities(ctx.document, ctx.params, _hierarchy))


# --- B001: balances of the 收支总表 ----------------------------------------------------------------


def _find(table: BudgetTable, names: list[str]) -> tuple[Panel, TableRow] | None:
    """The first row of these names, one holding figures first (a label merged across the two expense
    panels of a Jiangsu 收支总表 stands in both, its figure in one)."""
    patterns = _names(names)
    found = [(panel, row) for panel in table.panels for row in panel.rows if not row.code and _matches(row, patterns)]
    return next((f for f in found if f[1].cells), found[0] if found else None)


def _main_column(panel: Panel, row: TableRow, prefer: list[str]) -> Column | None:
    for key in prefer:
        column = panel.column(key)
        if column and not column.uncertain and column.index in row.cells:
            return column
    return None


def _balances(scope: Scope) -> list[Identity] | None:
    tables = _tables(scope, scope.params.get("tables", []))
    if not tables:
        return None
    prefer = scope.params.get("columns", ["amount", "total"])
    identities: list[Identity] = []
    for table in tables:
        for spec in scope.params.get("sums", []):
            found = _find(table, spec["total"])
            if found is None:
                continue
            panel, total = found
            identity = Identity(table.title)
            identities.append(identity)
            first = _find(table, spec["parts"][0])
            if first is None or first[0] is not panel:
                continue  # 本年收入合计 not found beside 收入总计: insufficient data
            parts = [first, *(p for names in spec["parts"][1:] if (p := _find(table, names)) and p[0] is panel)]
            parts_text = Text(zh=" + ".join(_row_name(r) for _, r in parts), en=" + ".join(_row_name(r) for _, r in parts))
            for column in _summable(panel):
                outcome = _sum_outcome(scope.shared, table, panel, total, [r for _, r in parts], column, parts_text)
                if outcome:
                    identity.outcomes.append(outcome)
        for spec in scope.params.get("equal", []):
            a, b = _find(table, spec[0]), _find(table, spec[1])
            if a is None or b is None:
                continue
            identity = Identity(table.title)
            identities.append(identity)
            ca, cb = _main_column(a[0], a[1], prefer), _main_column(b[0], b[1], prefer)
            if ca is None or cb is None:
                continue
            fa, fb = a[1].cells[ca.index], b[1].cells[cb.index]
            result = arith.check_sum(scope.shared.figure(table, a[1], ca, fa), [scope.shared.figure(table, b[1], cb, fb)])
            identity.outcomes.append(Outcome(result, fa.span, partial(_where, table, a[1], ca),
                                             partial(_where, table, b[1], cb, with_table=False), related=[fb.span]))
    return identities


@kind("table_balance")
def table_balance(ctx: CheckContext) -> None:
    """B001: 收入总计 = 本年收入合计 + 上年结转结余; 支出总计 likewise; 收入总计 = 支出总计."""
    settle(ctx, _identities(ctx.document, ctx.params, _balances))


# --- B006 (table side): the 三公 table adds up ------------------------------------------------------


def _three_costs(scope: Scope) -> list[Identity] | None:
    tables = _tables(scope, scope.params.get("tables", ["three_costs"]))
    if not any(t.rows for t in tables):
        return None
    identities: list[Identity] = []
    for table in tables:
        for spec in scope.params.get("identities", []):
            totals = _names(spec["total"])
            for panel in table.panels:
                for total in [r for r in panel.rows if _matches(r, totals)]:
                    parts = [next((r for r in panel.rows if r is not total and _matches(r, _names(names))), None)
                             for names in spec["parts"]]
                    if parts[0] is None and spec.get("first_required", False):
                        continue
                    members = [p for p in parts if p is not None]
                    if not members:
                        continue
                    identity = Identity(table.title)
                    parts_text = Text(zh=" + ".join(_row_name(r) for r in members), en=" + ".join(_row_name(r) for r in members))
                    for column in _summable(panel):
                        outcome = _sum_outcome(scope.shared, table, panel, total, members, column, parts_text)
                        if outcome:
                            identity.outcomes.append(outcome)
                    identities.append(identity)
    identities.extend(_row_sums(scope, scope.params.get("columns", []), scope.params.get("tables", ["three_costs"])))
    return identities


@kind("three_costs_table")
def three_costs_table(ctx: CheckContext) -> None:
    """B006: in the "三公" table, 小计 = 出国 + 用车 + 接待, 用车 = 购置 + 运行, column by column;
    and the same identities where the narrative states them (declared as `narrative_identities`)."""
    from audit.checks.budget_narrative import narrative_identities

    identities = _identities(ctx.document, ctx.params, _three_costs)
    narrative = narrative_identities(ctx, ctx.params.get("narrative_identities", []))
    if identities is None and narrative:
        return  # the narrative side was evaluated and tallied; there is no 三公 table
    settle(ctx, identities)


# --- B014: 三公 items cover their 经济分类 lines ----------------------------------------------------


def _le(small: Figure, large: Figure) -> bool:
    """small ≤ large on intervals: fails only when small's lowest reading exceeds large's highest."""
    return small.value - small.half <= large.value + large.half


@kind("three_costs_cover")
def three_costs_cover(ctx: CheckContext) -> None:
    """B014: 30212 ≤ 因公出国（境）费, 30217 ≤ 公务接待费, 30231 ≤ 公务用车运行费, 31013 ≤ 公务用车购置费."""
    scope = _scope(ctx)
    basics = _tables(scope, ctx.params.get("basic_tables", ["gpb_basic"]))
    costs = _tables(scope, ctx.params.get("item_tables", ["three_costs"]))
    if not basics or not costs:
        ctx.not_applicable()
        return
    for cost in costs:
        same = [t for t in basics if t.group == cost.group]
        if same:
            _cover(ctx, cost, same)
        else:
            ctx.not_applicable()


def _cover(ctx: CheckContext, cost: BudgetTable, basics: list[BudgetTable]) -> None:
    for pair in ctx.params.get("pairs", []):
        line = next(((t, p, r) for t in basics for p in t.panels for r in p.rows if r.code == str(pair["code"])), None)
        if line is None:
            ctx.not_applicable()
            continue
        table, panel, row = line
        column = _main_column(panel, row, ["total", "amount"])
        value = row.cells.get(column.index) if column else None
        item = _find(cost, pair["item"])
        item_column = _main_column(item[0], item[1], ["total", "gpb"]) if item else None
        if item_column is None and pair.get("column"):  # the one-row tables: the item is a column
            item = _find(cost, ["合计"])
            item_column = _main_column(item[0], item[1], [pair["column"]]) if item else None
        if value is None or item_column is None:
            ctx.insufficient()
            continue
        small = _figure(table, row, column, value, scale=True)
        large = _figure(cost, item[1], item_column, item[1].cells[item_column.index], scale=True)
        if _le(small, large):
            ctx.passed()
            continue
        ctx.fail(
            value.span,
            {
                "line": _where(table, row, column),
                "line_value": _fmt(small.value),
                "item": _where(cost, item[1], item_column),
                "item_value": _fmt(large.value),
            },
            evidence=Evidence(
                stated=_fmt(small.value), computed=f"<= {_fmt(large.value)}",
                difference=_fmt(small.value - large.value), tolerance=_fmt(small.half + large.half),
                terms=[small.term(), large.term()],
            ),
            subject=table.title,
            related=[item[1].cells[item_column.index].span],
        )


# --- B007: the same quantity in two tables ---------------------------------------------------------


def _selected(table: BudgetTable, side: dict[str, Any]) -> list[tuple[Panel, TableRow]]:
    panels = [p for p in table.panels if side.get("side") in (None, p.side)]
    rows = side.get("rows", "named")
    names = _names(side.get("row", []))
    out: list[tuple[Panel, TableRow]] = []
    for panel in panels:
        for row in panel.rows:
            if rows == "named" and not row.code and _matches(row, names):
                out.append((panel, row))
            elif rows == "codes" and row.code:
                out.append((panel, row))
            elif rows == "classes" and row.code and len(row.code) == 3:
                out.append((panel, row))
            elif rows == "items" and not row.code and row.kind == "item":
                out.append((panel, row))
    return out


_RELATIONS = {
    "eq": Text(zh="不一致", en="disagree"),
    "le": Text(zh="前者超过了后者（前者是后者的一部分）", en="the first exceeds the second, of which it is a part"),
}


def _key(row: TableRow, match: str) -> str:
    return row.code if match == "code" else _BRACKETS.sub("", row.name)


_BRACKETS = re.compile(r"[()（）]")
_LABEL_PUNCTUATION = re.compile(r"[\s:：,，、;；]+")


def _narrative(scope: Scope, concept: str) -> tuple[Figure, Span, Text] | None | bool:
    """This year's level of a narrative concept stated once (False when the narrative gives two values)."""
    nodes = scope.shared.levels(concept)
    if not nodes:
        return None
    if len({n.level.in_wan for n in nodes}) > 1:
        return False
    node = nodes[0]
    amount = node.level
    scale = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}[amount.unit]
    label = _LABEL_PUNCTUATION.sub("", node.label or node.raw_label)[-20:]
    figure = Figure(shown=amount.value, label=f"说明 {label}", span=amount.span, scale=scale)
    where = Text(zh=f"说明部分「{label}」", en=f"the narrative's \"{label}\"")
    return figure, amount.span, where


def _candidates(scope: Scope, side: dict[str, Any], group: int | None) -> list[tuple[Figure, Span, Text | Callable[[], Text]]] | bool:
    """Every reading of one side of an agreement, in order of preference (False: ambiguous). Table
    readings come from one set of tables (`group`), or from all when `group` is None."""
    if "narrative" in side:
        found = _narrative(scope, side["narrative"])
        if found is False:
            return False
        return [found] if found else []
    out = []
    kinds = side["table"] if isinstance(side["table"], list) else [side["table"]]
    for table_kind in kinds:
        for table in scope.shared.in_group(table_kind, group):
            for panel, row in _selected(table, side):
                for key in side["column"]:
                    column = panel.column(key)
                    if column is None or column.uncertain or column.index not in row.cells:
                        continue
                    value = row.cells[column.index]
                    out.append((scope.shared.figure(table, row, column, value, scale=True), value.span,
                                partial(_where, table, row, column, printed=value)))
    return out


def _compare(a: Figure, b: Figure, relation: str) -> IdentityResult:
    """a = b on intervals, or a ≤ b (a part within its whole: fails only beyond rounding)."""
    if relation == "le":
        return IdentityResult(a, (b,), _le(a, b), a.value, b.value, a.value - b.value, a.half + b.half)
    return arith.check_sum(a, [b])


def _single(scope: Scope, spec: dict[str, Any], what: Text, relation: str) -> Iterator[Identity]:
    """One quantity on each side; the first reading of `a` must agree with some reading of `b`. Two
    tables are compared within one set of tables (a 部门 file may hold each unit's set); the narrative
    speaks for the whole file, so it is compared only when the file holds one set."""
    narrative = "narrative" in spec["a"] or "narrative" in spec["b"]
    groups = sorted({t.group for t in scope.shared.tables})
    for group in [None] if narrative else groups:
        side_a, side_b = _candidates(scope, spec["a"], group), _candidates(scope, spec["b"], group)
        if side_a == [] or side_b == []:
            continue  # one side absent: not applicable
        identity = Identity(spec["what"]["zh"])
        yield identity
        if side_a is False or side_b is False:
            continue  # the narrative states two values: insufficient data
        if narrative and len(groups) > 1:
            continue  # several units' tables: which one the narrative means is unclear
        if spec.get("skip_zero") and any(f.value == 0 for f, _, _ in (*side_a[:1], *side_b[:1])):
            continue  # a zero here may mean "not applicable to this unit": insufficient data
        fa, span_a, where_a = side_a[0]
        results = [(_compare(fa, fb, relation), span_b, where_b) for fb, span_b, where_b in side_b]
        result, span_b, where_b = next(((r, sp, w) for r, sp, w in results if r.holds), results[0])
        identity.outcomes.append(Outcome(result, span_a, where_a, where_b, related=[span_b],
                                         values={"what": what, "relation": _RELATIONS[relation]},
                                         exact=relation == "eq"))


def _matched(scope: Scope, spec: dict[str, Any], what: Text, relation: str, match: str) -> Iterator[Identity]:
    """Rows matched by code or by name across two tables, columns compared pairwise."""
    for ta in _tables(scope, [spec["a"]["table"]]):
        for tb in _tables(scope, [spec["b"]["table"]]):
            if ta.group != tb.group:
                continue  # another unit's set of tables
            index: dict[str, list[tuple[Panel, TableRow]]] = {}
            for pr in _selected(tb, spec["b"]):
                index.setdefault(_key(pr[1], match), []).append(pr)
            keys = list(zip(spec["a"]["column"], spec["b"]["column"]))
            for pa, ra in _selected(ta, spec["a"]):
                hits = index.get(_key(ra, match), [])
                if len(hits) != 1:
                    continue
                pb, rb = hits[0]
                identity = Identity(ta.title)
                for key_a, key_b in keys:
                    ca, cb = pa.column(key_a), pb.column(key_b)
                    if ca is None or cb is None or ca.uncertain or cb.uncertain:
                        continue
                    fa, fb = ra.cells.get(ca.index), rb.cells.get(cb.index)
                    if fa is None or fb is None:
                        continue  # a blank cell is absent: nothing to compare
                    result = _compare(scope.shared.figure(ta, ra, ca, fa, scale=True),
                                      scope.shared.figure(tb, rb, cb, fb, scale=True), relation)
                    identity.outcomes.append(Outcome(result, fa.span, partial(_where, ta, ra, ca, printed=fa),
                                                     partial(_where, tb, rb, cb, printed=fb),
                                                     related=[fb.span], values={"what": what, "relation": _RELATIONS[relation]},
                                                     exact=relation == "eq"))
                if identity.outcomes:
                    yield identity


def _agreements(scope: Scope) -> list[Identity] | None:
    identities: list[Identity] = []
    for spec in scope.params.get("agreements", []):
        what = Text.of(spec["what"])
        relation = spec.get("relation", "eq")
        match = spec.get("match", "none")
        if match == "none":
            identities.extend(_single(scope, spec, what, relation))
        else:
            identities.extend(_matched(scope, spec, what, relation, match))
    return identities or None


@kind("table_agreement")
def table_agreement(ctx: CheckContext) -> None:
    """B007: a quantity shown in two places (收支总表 ↔ 支出总表 ↔ 财政拨款收支总表 ↔ … ↔ the narrative) agrees."""
    settle(ctx, _identities(ctx.document, ctx.params, _agreements))


_GENERATORS = {
    "table_totals": _totals,
    "table_hierarchy": _hierarchy,
    "table_balance": _balances,
    "three_costs_table": _three_costs,
    "table_agreement": _agreements,
}
