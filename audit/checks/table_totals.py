"""B008 — a total row is the sum of its item rows, a total column the sum of its component columns."""

from __future__ import annotations

from functools import partial
from typing import Any, Iterator

from audit import arith
from audit.engine import CheckContext, kind
from audit.facts.tables import Column, Panel, TableRow
from audit.model import Text
from audit.checks.budget_tables import GENERATORS, Identity, Outcome, Scope, _column_name, _except, _identities, _matches, _names, _sum_outcome, _summable, _tables, _where
from audit.checks.table_ledger import settle


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


GENERATORS["table_totals"] = _totals
