"""B021 the narrative's 三公经费, 机关运行经费 and 政府采购 figures against the table that states them.

Every statement of this year's figure is one subject: it passes when a table cell of its concept
reads the same (within displayed precision). Statements that disagree are reported once per
concept and value, listing every statement of the concept with its place and saying which the
table supports. No table (or a table without that column) leaves the statement unchecked.
"""

from __future__ import annotations

from audit.analysis.cost_figures import Quantity, quantities
from audit.analysis.narrative import figure, located, money, name
from audit.engine import CheckContext, kind
from audit.model import Evidence, Text


@kind("narrative_cost_table")
def narrative_cost_table(ctx: CheckContext) -> None:
    """B021: each 三公/机关运行经费/政府采购 figure of the narrative against its table cell."""
    found = ctx.analysis.part(("cost figures", id(ctx.params)), lambda: quantities(ctx.document, ctx.params.get("quantities", {})))
    seen = 0
    for quantity in found:
        if not quantity.cells:
            seen += len(quantity.statements)
            ctx.insufficient(len(quantity.statements))
            continue
        wrong: dict = {}
        for node in quantity.statements:
            seen += 1
            if quantity.agrees(node):
                ctx.passed()
            else:
                wrong.setdefault(node.level.in_wan, []).append(node)
        for nodes in wrong.values():
            _report(ctx, quantity, nodes)
    if not seen:
        ctx.not_applicable()


def _report(ctx: CheckContext, quantity: Quantity, wrong: list) -> None:
    """One finding per wrong value: every statement of the concept listed with its place."""
    cell = quantity.cells[0]
    table_value = money(cell.figure.value)
    where_table = located(ctx.document, cell.figure.span)
    listing_zh, listing_en = [], []
    for node in quantity.statements:
        at = located(ctx.document, node.level.span)
        ok = quantity.agrees(node)
        listing_zh.append(f"{at.zh}「{name(node)}」{node.level.text}（{'与表相符' if ok else '与表不符'}）")
        listing_en.append(f"{at.en} '{name(node)}' {node.level.text} ({'agrees' if ok else 'differs'})")
    node = wrong[0]
    stated = figure(node.level, name(node))
    detail = Text(
        zh=f"在说明中为 {node.level.text}，而《{cell.table.name()}》{where_table.zh}为 {table_value}万元；说明各处：{'；'.join(listing_zh)}。表格支持 {table_value}万元",
        en=f"is {node.level.text} in the narrative, but the {cell.table.name('en')} ({where_table.en}) says {table_value}; every statement: {'; '.join(listing_en)}. The table supports {table_value}",
    )
    ctx.fail(
        node.level.span,
        {"total_label": quantity.concept, "detail": detail, "stated": node.level.text, "computed": f"{table_value}万元"},
        evidence=Evidence(
            stated=node.level.text,
            computed=f"{table_value}万元",
            difference=money(stated.value - cell.figure.value),
            terms=[stated.term(), cell.figure.term()],
        ),
        suggestion=Text(
            zh=f"核对{quantity.concept}：说明 {node.level.text} 与表格 {table_value}万元 应一致",
            en=f"check {quantity.concept}: the narrative's {node.level.text} and the table's {table_value} must agree",
        ),
        subject=quantity.concept,
        related=[n.level.span for n in wrong[1:]] + [cell.figure.span],
    )
