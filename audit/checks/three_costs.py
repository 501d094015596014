"""B006 and B014 — the "三公" table adds up, and covers the 经济分类 lines of the basic expenditure table."""

from __future__ import annotations
from audit.engine import CheckContext, kind
from audit.facts.tables import BudgetTable
from audit.model import Evidence, Text
from audit.checks.budget_tables import GENERATORS, Identity, Scope, _figure, _find, _fmt, _identities, _le, _main_column, _matches, _names, _row_name, _scope, _sum_outcome, _summable, _tables, _where
from audit.checks.table_ledger import settle
from audit.checks.table_totals import _row_sums


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


GENERATORS["three_costs_table"] = _three_costs
