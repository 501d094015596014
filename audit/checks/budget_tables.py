"""B — the budget tables add up: balances, totals, code hierarchies, 三公, and one table against another.

Which rows and columns take part in each identity is data (rules/budget_tables.yaml params); this
module only evaluates them, on intervals of displayed precision (audit.arith): a figure with d
decimals stands for ±0.5·10⁻ᵈ, so rounding is never a finding. A failed identity says why it
probably fails (digits swapped, a power of ten, a term left out); when one slip breaks several
identities the first failure names it and the others are reported as its consequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Iterator

from audit import arith
from audit.arith import Figure, IdentityResult
from audit.checks import kind
from audit.engine import CheckContext
from audit.facts.tables import BudgetTable, Column, Panel, TableFigure, TableRow, clean, table_lexicon
from audit.model import Evidence, Span, Text

# --- identities and how they are reported ---------------------------------------------------------


@dataclass
class Outcome:
    """One column (or one pair of figures) of an identity, evaluated."""

    result: IdentityResult
    span: Span  # where the finding points: the stated figure
    subject: Text  # the stated figure: table, row, column
    parts: Text  # what it is compared with
    nearby: list[Figure] = field(default_factory=list)
    related: list[Span] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # extra message values (B007: what, relation)


@dataclass
class Identity:
    """A relation the tables must satisfy (a parent row, a total row, one row's 合计 …)."""

    table: str  # table title, for the finding's subject
    outcomes: list[Outcome] = field(default_factory=list)


def _column_name(column: Column | None, lang: str) -> str:
    if column is None:
        return ""
    names = table_lexicon().column_names.get(column.key or "", {})
    return names.get(lang) or column.header.split(" / ")[0] or f"#{column.index + 1}"


def _row_name(row: TableRow) -> str:
    label = re.sub(r"\s+", "", row.label)
    return f"{row.code} {label}".strip() if row.code else label


def _where(table: BudgetTable, row: TableRow, column: Column | None, *, with_table: bool = True) -> Text:
    zh_col = _column_name(column, "zh")
    en_col = _column_name(column, "en")
    zh = f"「{_row_name(row)}」" + (f"{zh_col}列" if zh_col else "")
    en = f"\"{_row_name(row)}\"" + (f" ({en_col})" if en_col else "")
    if with_table:
        zh = f"{table.name('zh')}{zh}"
        en = f"{table.name('en')} {en}"
    return Text(zh=zh, en=en)


def _figure(table: BudgetTable, row: TableRow, column: Column | None, value: TableFigure, *, scale: bool = False, sign: int = 1) -> Figure:
    col = _column_name(column, "zh")
    label = f"{table.name('zh')} {_row_name(row)}" + (f"·{col}" if col else "")
    return Figure(shown=value.value, label=label, span=value.span, sign=sign, scale=table.scale if scale else Decimal(1))


def _fmt(value: Decimal) -> str:
    return arith.display(value.normalize() if value == value.to_integral() and value.as_tuple().exponent < -2 else value)


def _diagnoses(failures: list[Outcome], everything: list[IdentityResult]) -> dict[int, arith.Diagnosis]:
    """For each failure, the slip that best explains it: consistent with every identity that holds, and
    among those the one that also explains the most other failures (the root cause of a cascade)."""
    options: dict[int, dict[tuple, arith.Diagnosis]] = {}
    for outcome in failures:
        found = [d for d in arith.candidates(outcome.result, outcome.nearby) if arith.consistent_with(d, everything)]
        options[id(outcome)] = {d.key: d for d in found}
    score: dict[tuple, int] = {}
    for found in options.values():
        for key in found:
            score[key] = score.get(key, 0) + 1
    chosen: dict[int, arith.Diagnosis] = {}
    for outcome in failures:
        found = options[id(outcome)]
        if not found:
            continue
        best = max(score[k] for k in found)
        top = [d for k, d in found.items() if score[k] == best]
        if len(top) == 1:
            chosen[id(outcome)] = top[0]
    return chosen


def settle(ctx: CheckContext, identities: Iterable[Identity]) -> None:
    """Tally every identity and report each failing column; one slip behind several failures is named
    once, at the identity whose stated figure it is, and the other failures point back to it."""
    identities = list(identities)
    everything = [o.result for i in identities for o in i.outcomes]
    failures = [o for i in identities for o in i.outcomes if not o.result.holds]
    chosen = _diagnoses(failures, everything)
    groups: dict[tuple, list[Outcome]] = {}
    for outcome in failures:
        if id(outcome) in chosen:
            groups.setdefault(chosen[id(outcome)].key, []).append(outcome)
    roots: dict[tuple, Outcome] = {}
    for key, members in groups.items():
        diagnosis = chosen[id(members[0])]
        own = [o for o in members if o.result.total.span == diagnosis.figure.span]
        roots[key] = own[0] if own else members[0]
    for identity in identities:
        if not identity.outcomes:
            ctx.insufficient()
            continue
        failed = [o for o in identity.outcomes if not o.result.holds]
        if not failed:
            ctx.passed()
            continue
        for outcome in failed:
            diagnosis = chosen.get(id(outcome))
            root = roots.get(diagnosis.key) if diagnosis else None
            if root is None:  # no own diagnosis: is it a knock-on effect of another failure's slip?
                for key, other in roots.items():
                    if arith.explains(chosen[id(other)], outcome.result):
                        diagnosis, root = chosen[id(other)], other
                        break
            _report(ctx, identity, outcome, diagnosis, None if root is outcome else root)


def _report(ctx: CheckContext, identity: Identity, outcome: Outcome, diagnosis: arith.Diagnosis | None,
            root: Outcome | None) -> None:
    result = outcome.result
    related = list(outcome.related)
    if diagnosis is not None and root is not None:
        cause = Text(
            zh=f"；这是 {diagnosis.figure.label} {diagnosis.figure.text} 处错误的连带结果（见第 {root.span.line} 行）",
            en=f"; a consequence of the slip in {diagnosis.figure.label} {diagnosis.figure.text} (see line {root.span.line})",
        )
        related.append(root.span)
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
        diagnosis=diagnosis_text.zh if diagnosis_text else None,
        values={"diagnosis_en": diagnosis_text.en} if diagnosis_text else {},
    )
    ctx.fail(
        outcome.span,
        {
            "where": outcome.subject,
            "parts": outcome.parts,
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


def _names(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(clean(p)) for p in patterns]


def _matches(row: TableRow, patterns: list[re.Pattern[str]]) -> bool:
    return any(p.fullmatch(row.name) for p in patterns)


def _tables(ctx: CheckContext, kinds: Iterable[str]) -> list[BudgetTable]:
    kinds = set(kinds)
    return [t for t in getattr(ctx.facts, "tables", []) if t.kind in kinds]


def _summable(panel: Panel) -> list[Column]:
    """Columns whose figures may be added: known meaning, money, not in doubt."""
    return [c for c in panel.columns if c.key and c.additive and not c.uncertain]


def _sum_outcome(table: BudgetTable, panel: Panel, total: TableRow, members: list[TableRow], column: Column,
                 parts_text: Text, nearby_rows: Iterable[TableRow] = ()) -> Outcome | None:
    """total[column] = Σ members[column]; None when the total or every member is blank."""
    stated = total.cells.get(column.index)
    present = [(m, m.cells[column.index]) for m in members if column.index in m.cells]
    if stated is None or not present:
        return None
    result = arith.check_sum(_figure(table, total, column, stated), [_figure(table, m, column, v) for m, v in present])
    nearby = [_figure(table, r, column, r.cells[column.index]) for r in nearby_rows if column.index in r.cells]
    return Outcome(result, stated.span, _where(table, total, column), parts_text, nearby)


# --- B008: total rows and total columns -----------------------------------------------------------


def _members(panel: Panel, index: int, how: str) -> list[TableRow]:
    """The item rows a total row adds up, by the params' `items` rule."""
    rows = panel.rows
    total = rows[index]
    if how == "top_codes":
        coded = [r for r in rows if r.code]
        if not coded:
            return []
        top = min(len(r.code) for r in coded)
        return [r for r in coded if len(r.code) == top]
    if how == "before":
        block: list[TableRow] = []
        for row in reversed(rows[:index]):
            if row.kind in ("total", "balance"):
                break
            block.append(row)
        return [r for r in reversed(block) if r.kind == "item"]
    if how == "after":
        block = []
        for row in rows[index + 1:]:
            if row.kind in ("total", "balance"):
                break
            block.append(row)
        wanted = "part" if total.kind == "balance" else "item"
        return [r for r in block if r.kind == wanted]
    raise ValueError(f"unknown items rule {how!r} (top_codes, before, after)")


_ITEMS_TEXT = {
    "top_codes": Text(zh="各类级科目之和", en="the sum of the top-level classification rows"),
    "before": Text(zh="其上各项之和", en="the sum of the items above it"),
    "after": Text(zh="其下各项之和", en="the sum of the items below it"),
}


def _column_sums(ctx: CheckContext) -> Iterator[Identity]:
    for spec in ctx.params.get("column_sums", []):
        patterns = _names(spec["total"])
        how = spec.get("items", "before")
        for table in _tables(ctx, spec["tables"]):
            for panel in table.panels:
                for index, row in enumerate(panel.rows):
                    if row.code or not _matches(row, patterns) or not row.cells:
                        continue
                    members = _members(panel, index, how)
                    if not members:
                        continue
                    identity = Identity(table.title)
                    others = [r for r in panel.rows if r is not row and r not in members]
                    for column in _summable(panel):
                        outcome = _sum_outcome(table, panel, row, members, column, _ITEMS_TEXT[how], others)
                        if outcome:
                            identity.outcomes.append(outcome)
                    yield identity


def _row_sums(ctx: CheckContext) -> Iterator[Identity]:
    for spec in ctx.params.get("row_sums", []):
        for table in _tables(ctx, spec["tables"]):
            for panel in table.panels:
                total = panel.column(spec["total"])
                parts = [c for key in spec["parts"] if (c := panel.column(key)) is not None]
                if total is None or not parts or any(panel.column(k) for k in spec.get("unless", [])):
                    continue
                span = range(min(total.index, *(p.index for p in parts)), max(total.index, *(p.index for p in parts)) + 1)
                doubtful = [c for c in panel.columns if c.index in span and (c.key is None or c.uncertain)]
                parts_text = Text(
                    zh=" + ".join(_column_name(c, "zh") for c in parts),
                    en=" + ".join(_column_name(c, "en") for c in parts),
                )
                for row in panel.rows:
                    stated = row.cells.get(total.index)
                    if stated is None:
                        continue
                    identity = Identity(table.title)
                    if doubtful:
                        yield identity  # a column between them cannot be read: insufficient data
                        continue
                    present = [(c, row.cells[c.index]) for c in parts if c.index in row.cells]
                    if present:
                        result = arith.check_sum(
                            _figure(table, row, total, stated),
                            [_figure(table, row, c, v) for c, v in present],
                        )
                        nearby = [_figure(table, row, c, f) for c in panel.columns
                                  if c not in parts and c is not total and c.additive and (f := row.cells.get(c.index))]
                        identity.outcomes.append(Outcome(result, stated.span, _where(table, row, total), parts_text, nearby))
                    yield identity


@kind("table_totals")
def table_totals(ctx: CheckContext) -> None:
    """B008: a total row is the sum of its item rows, column by column; a row's 合计 is the sum of its parts."""
    tables = getattr(ctx.facts, "tables", [])
    if not any(t.rows for t in tables):
        ctx.not_applicable()
        return
    settle(ctx, [*_column_sums(ctx), *_row_sums(ctx)])


# --- B009: classification-code hierarchy ----------------------------------------------------------


@kind("table_hierarchy")
def table_hierarchy(ctx: CheckContext) -> None:
    """B009: a 类 row is the sum of its 款 rows, a 款 row of its 项 rows (经济分类: 301 ⊃ 30101)."""
    identities: list[Identity] = []
    for table in _tables(ctx, ctx.params.get("tables", [])):
        for panel in table.panels:
            coded = [r for r in panel.rows if r.code]
            counts: dict[str, int] = {}
            for r in coded:
                counts[r.code] = counts.get(r.code, 0) + 1
            for row in coded:
                if counts[row.code] > 1:
                    continue  # the same code twice: which one is the parent is unclear
                children = [r for r in coded if r.domain == row.domain and len(r.code) == len(row.code) + 2
                            and r.code.startswith(row.code)]
                if not children:
                    continue
                level = {3: ("类", "款"), 5: ("款", "项")}.get(len(row.code), ("", ""))
                parts = Text(zh=f"所属{level[1]}级科目之和", en="the sum of its sub-items")
                identity = Identity(table.title)
                others = [r for r in coded if r is not row and r not in children and len(r.code) == len(children[0].code)]
                for column in _summable(panel):
                    outcome = _sum_outcome(table, panel, row, children, column, parts, others)
                    if outcome:
                        identity.outcomes.append(outcome)
                identities.append(identity)
    if not identities:
        ctx.not_applicable()
        return
    settle(ctx, identities)


# --- B001: balances of the 收支总表 ----------------------------------------------------------------


def _find(table: BudgetTable, names: list[str]) -> tuple[Panel, TableRow] | None:
    patterns = _names(names)
    for panel in table.panels:
        for row in panel.rows:
            if not row.code and _matches(row, patterns):
                return panel, row
    return None


def _main_column(panel: Panel, row: TableRow, prefer: list[str]) -> Column | None:
    for key in prefer:
        column = panel.column(key)
        if column and not column.uncertain and column.index in row.cells:
            return column
    return None


@kind("table_balance")
def table_balance(ctx: CheckContext) -> None:
    """B001: 收入总计 = 本年收入合计 + 上年结转结余; 支出总计 likewise; 收入总计 = 支出总计."""
    tables = _tables(ctx, ctx.params.get("tables", []))
    if not tables:
        ctx.not_applicable()
        return
    prefer = ctx.params.get("columns", ["amount", "total"])
    identities: list[Identity] = []
    for table in tables:
        for spec in ctx.params.get("sums", []):
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
                outcome = _sum_outcome(table, panel, total, [r for _, r in parts], column, parts_text)
                if outcome:
                    identity.outcomes.append(outcome)
        for spec in ctx.params.get("equal", []):
            a, b = _find(table, spec[0]), _find(table, spec[1])
            if a is None or b is None:
                continue
            identity = Identity(table.title)
            identities.append(identity)
            ca, cb = _main_column(a[0], a[1], prefer), _main_column(b[0], b[1], prefer)
            if ca is None or cb is None:
                continue
            fa, fb = a[1].cells[ca.index], b[1].cells[cb.index]
            result = arith.check_sum(_figure(table, a[1], ca, fa), [_figure(table, b[1], cb, fb)])
            identity.outcomes.append(Outcome(result, fa.span, _where(table, a[1], ca),
                                             _where(table, b[1], cb, with_table=False), related=[fb.span]))
    settle(ctx, identities)


# --- B006 (table side): the 三公 table adds up ------------------------------------------------------


@kind("three_costs_table")
def three_costs_table(ctx: CheckContext) -> None:
    """B006: in the "三公" table, 小计 = 出国 + 用车 + 接待, 用车 = 购置 + 运行, column by column."""
    tables = _tables(ctx, ctx.params.get("tables", ["three_costs"]))
    if not any(t.rows for t in tables):
        ctx.not_applicable()
        return
    identities: list[Identity] = []
    for table in tables:
        for spec in ctx.params.get("identities", []):
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
                        outcome = _sum_outcome(table, panel, total, members, column, parts_text)
                        if outcome:
                            identity.outcomes.append(outcome)
                    identities.append(identity)
    settle(ctx, identities)


# --- B014: 三公 items cover their 经济分类 lines ----------------------------------------------------


def _le(small: Figure, large: Figure) -> bool:
    """small ≤ large on intervals: fails only when small's lowest reading exceeds large's highest."""
    return small.value - small.half <= large.value + large.half


@kind("three_costs_cover")
def three_costs_cover(ctx: CheckContext) -> None:
    """B014: 30212 ≤ 因公出国（境）费, 30217 ≤ 公务接待费, 30231 ≤ 公务用车运行费, 31013 ≤ 公务用车购置费."""
    basics = _tables(ctx, ctx.params.get("basic_tables", ["gpb_basic"]))
    costs = _tables(ctx, ctx.params.get("item_tables", ["three_costs"]))
    if not basics or not costs:
        ctx.not_applicable()
        return
    cost = costs[0]
    for pair in ctx.params.get("pairs", []):
        line = next(((t, p, r) for t in basics for p in t.panels for r in p.rows if r.code == str(pair["code"])), None)
        if line is None:
            ctx.not_applicable()
            continue
        table, panel, row = line
        column = panel.column("total")
        value = row.cells.get(column.index) if column else None
        item = _find(cost, pair["item"])
        item_column = _main_column(item[0], item[1], ["total", "gpb"]) if item else None
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
    out: list[tuple[Panel, TableRow]] = []
    for panel in panels:
        for row in panel.rows:
            if rows == "named" and not row.code and _matches(row, _names(side.get("row", []))):
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
    return row.code if match == "code" else re.sub(r"[()（）]", "", row.name)


def _narrative(ctx: CheckContext, concept: str) -> tuple[Figure, Span, Text] | None | bool:
    """This year's level of a narrative concept stated once (False when the narrative gives two values)."""
    statements = getattr(getattr(ctx.facts, "narrative", None), "statements", [])
    nodes = [n for s in statements for n in s.nodes if n.concept == concept and n.level is not None]
    years = [n.year for n in nodes if n.year]
    if years:
        nodes = [n for n in nodes if n.year in (None, max(years))]
    if not nodes:
        return None
    if len({n.level.in_wan for n in nodes}) > 1:
        return False
    node = nodes[0]
    amount = node.level
    scale = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}[amount.unit]
    label = re.sub(r"\s+", "", node.raw_label or node.label)[-20:]
    figure = Figure(shown=amount.value, label=f"说明 {label}", span=amount.span, scale=scale)
    where = Text(zh=f"说明部分「{label}」", en=f"the narrative's \"{label}\"")
    return figure, amount.span, where


def _candidates(ctx: CheckContext, side: dict[str, Any]) -> list[tuple[Figure, Span, Text]] | bool:
    """Every reading of one side of an agreement, in order of preference (False: ambiguous)."""
    if "narrative" in side:
        found = _narrative(ctx, side["narrative"])
        if found is False:
            return False
        return [found] if found else []
    out = []
    kinds = side["table"] if isinstance(side["table"], list) else [side["table"]]
    for table_kind in kinds:
        for table in _tables(ctx, [table_kind]):
            for panel, row in _selected(table, side):
                for key in side["column"]:
                    column = panel.column(key)
                    if column is None or column.uncertain or column.index not in row.cells:
                        continue
                    value = row.cells[column.index]
                    out.append((_figure(table, row, column, value, scale=True), value.span, _where(table, row, column)))
    return out


def _compare(a: Figure, b: Figure, relation: str) -> IdentityResult:
    if relation == "le":
        return IdentityResult(a, (b,), _le(a, b), a.value, b.value, a.value - b.value, a.half + b.half)
    return arith.check_sum(a, [b])


def _single(ctx: CheckContext, spec: dict[str, Any], what: Text, relation: str) -> Identity | None:
    """One quantity on each side; the first reading of `a` must agree with some reading of `b`."""
    side_a, side_b = _candidates(ctx, spec["a"]), _candidates(ctx, spec["b"])
    if side_a == [] or side_b == []:
        return None  # one side absent: not applicable
    identity = Identity(spec["what"]["zh"])
    if side_a is False or side_b is False:
        return identity  # the narrative states two values: insufficient data
    fa, span_a, where_a = side_a[0]
    results = [(_compare(fa, fb, relation), span_b, where_b) for fb, span_b, where_b in side_b]
    result, span_b, where_b = next(((r, sp, w) for r, sp, w in results if r.holds), results[0])
    identity.outcomes.append(Outcome(result, span_a, where_a, where_b, related=[span_b],
                                     values={"what": what, "relation": _RELATIONS[relation]}))
    return identity


def _matched(ctx: CheckContext, spec: dict[str, Any], what: Text, relation: str, match: str) -> Iterator[Identity]:
    """Rows matched by code or by name across two tables, columns compared pairwise."""
    for ta in _tables(ctx, [spec["a"]["table"]]):
        for tb in _tables(ctx, [spec["b"]["table"]]):
            index: dict[str, list[tuple[Panel, TableRow]]] = {}
            for pr in _selected(tb, spec["b"]):
                index.setdefault(_key(pr[1], match), []).append(pr)
            for pa, ra in _selected(ta, spec["a"]):
                hits = index.get(_key(ra, match), [])
                if len(hits) != 1:
                    continue
                pb, rb = hits[0]
                identity = Identity(ta.title)
                for key_a, key_b in zip(spec["a"]["column"], spec["b"]["column"]):
                    ca, cb = pa.column(key_a), pb.column(key_b)
                    if ca is None or cb is None or ca.uncertain or cb.uncertain:
                        continue
                    fa, fb = ra.cells.get(ca.index), rb.cells.get(cb.index)
                    if fa is None or fb is None:
                        continue  # a blank cell is absent: nothing to compare
                    result = _compare(_figure(ta, ra, ca, fa, scale=True), _figure(tb, rb, cb, fb, scale=True), relation)
                    identity.outcomes.append(Outcome(result, fa.span, _where(ta, ra, ca), _where(tb, rb, cb),
                                                     related=[fb.span], values={"what": what, "relation": _RELATIONS[relation]}))
                if identity.outcomes:
                    yield identity


@kind("table_agreement")
def table_agreement(ctx: CheckContext) -> None:
    """B007: a quantity shown in two places (收支总表 ↔ 支出总表 ↔ 财政拨款收支总表 ↔ … ↔ the narrative) agrees."""
    identities: list[Identity] = []
    for spec in ctx.params.get("agreements", []):
        what = Text(**spec["what"])
        relation = spec.get("relation", "eq")
        match = spec.get("match", "none")
        if match == "none":
            identity = _single(ctx, spec, what, relation)
            if identity is not None:
                identities.append(identity)
        else:
            identities.extend(_matched(ctx, spec, what, relation, match))
    if not identities:
        ctx.not_applicable()
        return
    settle(ctx, identities)
