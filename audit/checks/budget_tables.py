"""B — the budget tables add up and agree: B001 the 收支总表 balances, B008 total rows and columns,
B009 classification codes, B007 a quantity shown in two places, B014 the 三公 items cover their
经济分类 lines. Each rule's identities are built by the analysis (audit/analysis/identities.py,
agreements.py) from its params, diagnosed in the document's one ledger (analysis/ledger.py) and
reported by `settle` (analysis/table_findings.py). B006, the 三公 table and sentence, is in
budget_narrative.py (it reports both sides).
"""

from __future__ import annotations

from audit.analysis.table_findings import settle
from audit.analysis.tables import at_most, cell_figure, find_row, fmt, main_column, where
from audit.engine import CheckContext, kind
from audit.facts.tables import BudgetTable
from audit.model import Evidence


# B001 收入总计 = 本年收入合计 + 上年结转结余, 支出总计 likewise, 收入总计 = 支出总计 (table_balance);
# B008 a total row is the sum of its item rows, a row's 合计 the sum of its parts (table_totals);
# B009 a 类 row is the sum of its 款 rows, a 款 row of its 项 rows (table_hierarchy);
# B007 a quantity shown in two places agrees (table_agreement). One function: the identities differ
# by kind (audit/analysis/identities.py GENERATORS), the tally and the findings do not.
@kind("table_balance")
@kind("table_totals")
@kind("table_hierarchy")
@kind("table_agreement")
def table_identities(ctx: CheckContext) -> None:
    """B001, B007, B008, B009: every identity the rule's params declare holds, each failure reported
    with the slip that explains it (or pointing at where that slip is reported)."""
    settle(ctx, ctx.analysis.identities(ctx.rule))


# --- B014: 三公 items cover their 经济分类 lines ----------------------------------------------------


@kind("three_costs_cover")
def three_costs_cover(ctx: CheckContext) -> None:
    """B014: 30212 ≤ 因公出国（境）费, 30217 ≤ 公务接待费, 30231 ≤ 公务用车运行费, 31013 ≤ 公务用车购置费."""
    index = ctx.analysis.tables
    basics = index.of_kinds(ctx.params.get("basic_tables", ["gpb_basic"]))
    costs = index.of_kinds(ctx.params.get("item_tables", ["three_costs"]))
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
        column = main_column(panel, row, ["total", "amount"])
        value = row.cells.get(column.index) if column else None
        item = find_row(cost, pair["item"])
        item_column = main_column(item[0], item[1], ["total", "gpb"]) if item else None
        if item_column is None and pair.get("column"):  # the one-row tables: the item is a column
            item = find_row(cost, ["合计"])
            item_column = main_column(item[0], item[1], [pair["column"]]) if item else None
        if value is None or item_column is None:
            ctx.insufficient()
            continue
        small = cell_figure(table, row, column, value, scale=True)
        large = cell_figure(cost, item[1], item_column, item[1].cells[item_column.index], scale=True)
        if at_most(small, large):
            ctx.passed()
            continue
        ctx.fail(
            value.span,
            {
                "line": where(table, row, column),
                "line_value": fmt(small.value),
                "item": where(cost, item[1], item_column),
                "item_value": fmt(large.value),
            },
            evidence=Evidence(
                stated=fmt(small.value), computed=f"<= {fmt(large.value)}",
                difference=fmt(small.value - large.value), tolerance=fmt(small.half + large.half),
                terms=[small.term(), large.term()],
            ),
            subject=table.title,
            related=[item[1].cells[item_column.index].span],
        )
