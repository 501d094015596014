"""B018 narrative against tables: a 类 or 项 amount the narrative states is its row of the tables.

`“一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元` is the 2010301-style row 行政运行 under
the 款 商贸事务 of a 功能分类 table (支出总表, 财政拨款支出表 …). The narrative may state an amount of
any of them (all funds, or the 财政拨款 part): it agrees when some table's row for that 项 holds
that amount in some column. It is reported when the all-funds 支出总表 has the row and none of the
rows agrees, or when a row's figure is the stated one with a digit mistyped; a 财政拨款 table alone
cannot say an all-funds amount is wrong (other funds are not in it).
"""

from __future__ import annotations

from audit.arith import Figure, check_sum, mistyped
from audit.analysis.narrative import figure, located, money, name, subject_key
from audit.engine import CheckContext, Document, kind
from audit.facts.tables import BudgetTable, TableRow, clean
from audit.model import Evidence, Text


ALL_FUNDS = "expenditure"  # the 支出总表: every fund, so every amount of a 类 or 项 is in it


def _rows(document: Document) -> dict[tuple, list[tuple[BudgetTable, TableRow]]]:
    """Function-classification rows by subject key: ("项", 款, 项) and ("类", name)."""
    found: dict[tuple, list[tuple[BudgetTable, TableRow]]] = {}
    for table in document.facts.tables:
        by_code = {row.code: row for row in table.rows if row.code}
        for row in table.rows:
            if row.domain != "function" or not row.code or not row.cells:
                continue
            if len(row.code) == 7:
                parent = by_code.get(row.code[:5])
                if parent is not None:
                    found.setdefault(("项", clean(parent.name), clean(row.name)), []).append((table, row))
            elif len(row.code) == 3:
                found.setdefault(("类", clean(row.name).removesuffix("支出")), []).append((table, row))
    return found


def _figures(table: BudgetTable, row: TableRow) -> list[Figure]:
    return [Figure(cell.value, scale=table.scale, span=cell.span) for cell in row.cells.values()]


@kind("narrative_table_row")
def narrative_table_row(ctx: CheckContext) -> None:
    """B018: each 类/项 amount of the narrative against its row in the tables."""
    rows = _rows(ctx.document)
    seen = 0
    for statement in ctx.document.facts.narrative.statements:
        for node in statement.nodes:
            if node.level is None:
                continue
            key = subject_key(node)
            if key is None or key[0] not in ("项", "类"):
                continue
            key = (key[0], *(clean(part) for part in key[1:]))
            found = rows.get(key)
            if not found:
                continue
            seen += 1
            stated = figure(node.level, name(node))
            figures = [f for table, row in found for f in _figures(table, row)]
            if any(check_sum(stated, [f]).holds for f in figures):
                ctx.passed()
                continue
            # The 财政拨款 tables leave out other funds (财政专户, 其他资金) an all-funds amount includes:
            # only the all-funds 支出总表, or a figure one mistyped digit away, says the narrative is wrong.
            whole = [(t, r) for t, r in found if t.kind == ALL_FUNDS]
            if whole or any(mistyped(stated.value, f.value) for f in figures):
                _report(ctx, node, stated, whole or found)
            else:
                ctx.insufficient()
    if not seen:
        ctx.not_applicable()


def _first(table: BudgetTable, row: TableRow):
    """The row's first figure (its total, in a 功能分类 table) in 万元."""
    return (next(iter(row.cells.values())).value * table.scale).normalize()


def _report(ctx: CheckContext, node, stated: Figure, found: list[tuple[BudgetTable, TableRow]]) -> None:
    table, row = found[0]
    column = table.panel().column("total") if table.panel() else None
    cell = row.cells.get(column.index) if column else next(iter(row.cells.values()))
    value = cell.value * table.scale
    places = [(t, r, located(ctx.document, r.span)) for t, r in found[:3]]
    listed = "、".join(f"《{t.name()}》{money(_first(t, r))}万元（{at.zh}）" for t, r, at in places)
    listed_en = ", ".join(f"{t.name('en')} {money(_first(t, r))} ({at.en})" for t, r, at in places)
    detail = Text(
        zh=f"在说明中为 {node.level.text}，而表中该科目（{row.code} {row.name}）为 {listed}，均不相符",
        en=f"is {node.level.text} in the narrative, but the tables' row {row.code} {row.name} says {listed_en}",
    )
    ctx.fail(
        node.level.span,
        {"total_label": name(node), "detail": detail, "stated": node.level.text, "computed": f"{money(value.normalize())}万元"},
        evidence=Evidence(
            stated=node.level.text,
            computed=f"{money(value.normalize())}万元",
            difference=money(stated.value - value),
            terms=[stated.term(), Figure(cell.value, f"{table.name()} {row.code}", span=cell.span, scale=table.scale).term()],
        ),
        suggestion=Text(zh=f"核对说明与表格中{row.name}的金额", en=f"check {row.name} in the narrative against the tables"),
        subject=name(node),
        related=[cell.span],
    )

