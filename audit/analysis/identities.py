"""The identities the run's table rules declare, built from a document's tables: one generator per
check kind, reading a rule's params (a Scope) and returning its identities (None: the tables it
reads are absent, not applicable). B001 balances of the 收支总表, B008 total rows and columns, B009
classification codes, B006 the 三公 table, B007 agreements (agreements.py). `GENERATORS` maps each
kind to its generator; `Analysis.identities` evaluates a rule's once per document, and the ledger
(ledger.py) evaluates every rule's of the run to diagnose their failures together.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterator

from audit import arith
from audit.analysis.agreements import agreements
from audit.analysis.tables import (
    Identity,
    Outcome,
    Scope,
    column_name,
    find_row,
    left_out,
    main_column,
    matches,
    names,
    row_name,
    sum_outcome,
    summable,
    tables_of,
    where,
)
from audit.facts.tables import Column, Panel, TableRow
from audit.model import Text


# --- B001: balances of the 收支总表 ----------------------------------------------------------------


def balances(scope: Scope) -> list[Identity] | None:
    tables = tables_of(scope, scope.params.get("tables", []))
    if not tables:
        return None
    prefer = scope.params.get("columns", ["amount", "total"])
    identities: list[Identity] = []
    for table in tables:
        for spec in scope.params.get("sums", []):
            found = find_row(table, spec["total"])
            if found is None:
                continue
            panel, total = found
            identity = Identity(table.title)
            identities.append(identity)
            first = find_row(table, spec["parts"][0])
            if first is None or first[0] is not panel:
                continue  # 本年收入合计 not found beside 收入总计: insufficient data
            parts = [first, *(p for labels in spec["parts"][1:] if (p := find_row(table, labels)) and p[0] is panel)]
            parts_text = Text(zh=" + ".join(row_name(r) for _, r in parts), en=" + ".join(row_name(r) for _, r in parts))
            for column in summable(panel):
                outcome = sum_outcome(scope.index, table, panel, total, [r for _, r in parts], column, parts_text)
                if outcome:
                    identity.outcomes.append(outcome)
        for spec in scope.params.get("equal", []):
            a, b = find_row(table, spec[0]), find_row(table, spec[1])
            if a is None or b is None:
                continue
            identity = Identity(table.title)
            identities.append(identity)
            ca, cb = main_column(a[0], a[1], prefer), main_column(b[0], b[1], prefer)
            if ca is None or cb is None:
                continue
            fa, fb = a[1].cells[ca.index], b[1].cells[cb.index]
            result = arith.check_sum(scope.index.figure(table, a[1], ca, fa), [scope.index.figure(table, b[1], cb, fb)])
            identity.outcomes.append(Outcome(result, fa.span, partial(where, table, a[1], ca),
                                             partial(where, table, b[1], cb, with_table=False), related=[fb.span]))
    return identities


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
    if any(not r.name and not r.code and r.cells for r in block):
        return [], [], how  # a figure without its label: merged cells read out of place, the items are unsure
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
        patterns = names(spec["total"])
        how = spec.get("items", "before")
        for table in tables_of(scope, spec["tables"]):
            for panel in table.panels:
                for index, row in enumerate(panel.rows):
                    if row.code or not matches(row, patterns) or not row.cells:
                        continue
                    members, maybe, found_by = _members(panel, index, how)
                    if not members:
                        continue
                    identity = Identity(table.title)
                    taken = {id(row), *map(id, members)}  # identity, not equality: pydantic's == is slow and too loose
                    others = partial(left_out, panel.rows, taken)
                    for column in summable(panel):
                        outcome = sum_outcome(scope.index, table, panel, row, members, column, _ITEMS_TEXT[found_by], others)
                        if outcome and not outcome.result.holds and maybe:
                            # with no numbering, a 其中 list may end after any of its rows and the rest be
                            # items again: any such reading that balances will do
                            for cut in range(len(maybe)):
                                wider = sum_outcome(scope.index, table, panel, row, members + maybe[cut:], column,
                                                     _ITEMS_TEXT[found_by], others)
                                if wider and wider.result.holds:
                                    outcome = wider
                                    break
                        if outcome:
                            identity.outcomes.append(outcome)
                    yield identity


def row_sums(scope: Scope, specs: list[dict[str, Any]] | None = None, kinds: list[str] | None = None) -> Iterator[Identity]:
    """A row's total column = Σ its component columns (`specs` default to the params' row_sums; `kinds`
    stands for a spec without `tables`)."""
    for spec in scope.params.get("row_sums", []) if specs is None else specs:
        for table in tables_of(scope, spec.get("tables", kinds or [])):
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
                            scope.index.figure(table, row, total, stated),
                            [scope.index.figure(table, row, c, v) for c, v in present],
                        )
                        nearby = [] if result.holds else [
                            scope.index.figure(table, row, c, f) for c in panel.columns
                            if c.index not in used and c.additive and (f := row.cells.get(c.index))]
                        identity.outcomes.append(Outcome(result, stated.span, partial(where, table, row, total),
                                                         partial(_columns_text, [c for c, _ in present]), nearby))
                    yield identity


def _columns_text(columns: list[Column]) -> Text:
    return Text(zh=" + ".join(column_name(c, "zh") for c in columns), en=" + ".join(column_name(c, "en") for c in columns))


def totals(scope: Scope) -> list[Identity] | None:
    if not any(t.rows for t in scope.index.tables):
        return None
    return [*_column_sums(scope), *row_sums(scope)]


# --- B009: classification-code hierarchy ----------------------------------------------------------


def hierarchy(scope: Scope) -> list[Identity] | None:
    identities: list[Identity] = []
    for table in tables_of(scope, scope.params.get("tables", [])):
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
                others = partial(left_out, by_length[len(children[0].code)], taken)
                for column in summable(panel):
                    outcome = sum_outcome(scope.index, table, panel, row, children, column, parts, others)
                    if outcome:
                        identity.outcomes.append(outcome)
                identities.append(identity)
    return identities or None


# --- B006 (table side): the 三公 table adds up ------------------------------------------------------


def three_costs(scope: Scope) -> list[Identity] | None:
    tables = tables_of(scope, scope.params.get("tables", ["three_costs"]))
    if not any(t.rows for t in tables):
        return None
    identities: list[Identity] = []
    for table in tables:
        for spec in scope.params.get("identities", []):
            totals = names(spec["total"])
            for panel in table.panels:
                for total in [r for r in panel.rows if matches(r, totals)]:
                    parts = [next((r for r in panel.rows if r is not total and matches(r, names(labels))), None)
                             for labels in spec["parts"]]
                    if parts[0] is None and spec.get("first_required", False):
                        continue
                    members = [p for p in parts if p is not None]
                    if not members:
                        continue
                    identity = Identity(table.title)
                    parts_text = Text(zh=" + ".join(row_name(r) for r in members), en=" + ".join(row_name(r) for r in members))
                    for column in summable(panel):
                        outcome = sum_outcome(scope.index, table, panel, total, members, column, parts_text)
                        if outcome:
                            identity.outcomes.append(outcome)
                    identities.append(identity)
    identities.extend(row_sums(scope, scope.params.get("columns", []), scope.params.get("tables", ["three_costs"])))
    return identities


GENERATORS: dict[str, Callable[[Scope], list[Identity] | None]] = {
    "table_balance": balances,
    "table_totals": totals,
    "table_hierarchy": hierarchy,
    "table_agreement": agreements,
    "three_costs_table": three_costs,
}
