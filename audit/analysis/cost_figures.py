"""The 三公经费, 机关运行经费 and 政府采购 figures the narrative states, set against the table that
states them (issue 16 item 3).

A disclosure gives these amounts twice: in its 其他相关情况说明 (`2025年“三公”经费预算数为37.91万元…
（一）因公出国（境）费0万元…`) and in the 三公 / 机关运行经费 / 政府采购 table. Which table cell a
concept is read from is the rule's data (`quantities`: concept → [[table kind, column key], …]);
the cell is the table's 合计 row (or its only row). This module pairs every statement of this
year's figure with the table cells of its concept; the check (B021) judges them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from audit.analysis.narrative import figure, name
from audit.arith import Figure, check_sum
from audit.engine import Document
from audit.facts.amounts import Node
from audit.facts.tables import BudgetTable

# a figure that is last year's, or a part of the procurement total (货物/工程/服务), is not the total
_EARLIER = re.compile(r"上年|去年|执行|决算|实际")
_PROCUREMENT_PART = re.compile(r"货物|工程|服务|中小企业")
# `公务接待费（款）支出16万元`: an economic-classification line of the basic expenditure, not the 三公 item
_CLASSIFIED = re.compile(r"[(（](类|款|项)[)）]")


@dataclass
class TableCell:
    """One table cell a concept is read from, in 万元."""

    table: BudgetTable
    figure: Figure


@dataclass
class Quantity:
    """One concept's statements in the narrative and the table cells that state it."""

    concept: str
    statements: list[Node] = field(default_factory=list)
    cells: list[TableCell] = field(default_factory=list)

    def agrees(self, node: Node) -> bool:
        """Does this statement read what some table cell says (within displayed precision)?"""
        stated = figure(node.level, name(node))
        return any(check_sum(stated, [cell.figure]).holds for cell in self.cells)


def _current_year(document: Document) -> int | None:
    years = [n.year for s in document.facts.narrative.statements for n in s.nodes if n.year and n.level is not None]
    return max(years) if years else None


def _is_total(node: Node, concept: str) -> bool:
    """The procurement total, not one of its 货物/工程/服务 parts (all three map to 政府采购预算)."""
    if concept != "政府采购预算":
        return True
    return node.parent is None and not _PROCUREMENT_PART.search(node.raw_label)


def stated(document: Document, concepts: list[str]) -> dict[str, list[Node]]:
    """Concept → this year's levels of it in the narrative, in document order."""
    year = _current_year(document)
    found: dict[str, list[Node]] = {}
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            if node.level is None or node.concept not in concepts:
                continue
            # only the label's own clause says whose figure it is (`…，与上年数一致；公务用车运行维护费`)
            own = re.split(r"[，,;；:：。]", node.raw_label)[-1]
            if (node.year and year and node.year != year) or _EARLIER.search(own) or _CLASSIFIED.search(own):
                continue
            if _is_total(node, node.concept):
                found.setdefault(node.concept, []).append(node)
    return found


def cells(document: Document, places: list[list[str]]) -> list[TableCell]:
    """The cells of the tables of kind K, column C (for every [K, C] in `places`), on their 合计 row
    or, in a one-row table, that row. A blank cell of a row whose other cells were read is zero (the
    Shanghai 三公 tables leave a nil item blank); a row with a single figure says nothing of the others."""
    out: list[TableCell] = []
    for kind, key in places:
        for table in document.facts.tables:
            if table.kind != kind:
                continue
            for panel in table.panels:
                column = panel.column(key)
                if column is None:
                    continue
                totals = [r for r in panel.rows if r.kind == "total"] or (panel.rows if len(panel.rows) == 1 else [])
                for row in totals[:1]:
                    label = f"{table.name()} {column.header}"
                    cell = row.cells.get(column.index)
                    if cell is not None:
                        out.append(TableCell(table, Figure(cell.value, label, span=cell.span, scale=table.scale)))
                    elif len(row.cells) >= 2 and column.index not in row.unreadable:
                        # `867.50 839.00 28.50 213.28` under 合计/出国/用车/接待/运行经费: the row was read,
                        # its 公务用车 cells are left blank for none
                        out.append(TableCell(table, Figure(Decimal(0), label, span=row.span, exact=True)))
    return out


def quantities(document: Document, spec: dict[str, list[list[str]]]) -> list[Quantity]:
    """Every concept of `spec` the narrative states this year, with the table cells that state it."""
    found = stated(document, list(spec))
    return [Quantity(concept, nodes, cells(document, spec[concept])) for concept, nodes in found.items()]
