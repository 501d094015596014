"""A 类 the narrative states against the 项 of it the narrative lists, possibly in another section
(issue 16 item 6): `社会保障和就业（类）支出1374.63万元，与上年相比增加85.11万元` and, pages later,
its three 项 each with its own amount and change. Both the levels and the signed changes (增加 +,
减少 −, 持平 0) of the 项 must add up to the 类's.

Which 类 a 项 belongs to is read from its own label when it names it (`“社会保障和就业支出（类）
行政事业单位养老支出（款）…（项）”`), else from the 功能分类 tables' codes (款 2080x under 类 208).
The 项 listed may be only the main ones: a listing is complete when it names every 项 of the 类 the
tables hold, or (for the changes) when its levels add up to the 类's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from audit.analysis.change_evidence import said_unchanged
from audit.arith import Figure, IdentityResult, check_sum
from audit.checks.narrative_common import classified, figure, name, subject_key  # moves to audit.analysis.narrative
from audit.engine import Document
from audit.facts.amounts import Node
from audit.facts.tables import clean



def _class_name(text: str) -> str:
    return clean(text).removesuffix("支出")


@dataclass
class ClassListing:
    """One stated 类 and the 项 of it the narrative lists (first statement of each 项)."""

    head: Node
    items: list[Node]
    unchanged: set[int] = field(default_factory=set)  # id() of the items whose sentence says 与上年一致
    table_items: set[tuple[str, str]] = field(default_factory=set)  # (款, 项) of this 类 in the tables, non-zero
    table_totals: list[Figure] = field(default_factory=list)  # this 类's row in each table (its first figure)

    @property
    def narrower(self) -> bool:
        """The 项 are of a narrower scope than the 类 (`一般公共服务（类）16992.37` of all funds, its 项
        listed under 财政拨款 adding up to 16845.17, which is the 类's row of the 财政拨款 table)."""
        levels = self.levels()
        if levels is None or levels.holds:
            return False
        return any(check_sum(total, [Figure(levels.computed)]).holds for total in self.table_totals)

    @property
    def complete(self) -> bool:
        """The narrative names every 项 of this 类 that the tables hold."""
        listed = {subject_key(n)[1:] for n in self.items}
        return bool(self.table_items) and self.table_items <= {(clean(a), clean(b)) for a, b in listed}

    def levels(self) -> IdentityResult | None:
        if self.head.level is None or any(n.level is None for n in self.items):
            return None
        return check_sum(figure(self.head.level, name(self.head)), [figure(n.level, name(n)) for n in self.items])

    def changes(self) -> IdentityResult | None:
        head = self.head
        if head.change is None or head.change_sign is None:
            return None
        terms: list[Figure] = []
        for node in self.items:
            if node.change is None and ((node.flat and not node.roughly) or id(node) in self.unchanged):
                terms.append(Figure(Decimal(0), f"{name(node)}（持平）", span=node.level.span if node.level else None, exact=True))
            elif node.change is not None and node.change_sign is not None:
                terms.append(figure(node.change, name(node), node.change_sign, signed=True))
            else:
                return None  # a 项 without its change: the 类's change cannot be added up
        return check_sum(figure(head.change, name(head), head.change_sign, signed=True), terms)


def _table_classes(document: Document) -> tuple[dict[str, str], dict[str, set[tuple[str, str]]], dict[str, list[Figure]]]:
    """(款 name → its 类's name, 类 name → the (款, 项) it holds with a non-zero figure, 类 name →
    its rows' first figures), from the 功能分类 rows of every table."""
    of_kuan: dict[str, str] = {}
    items: dict[str, set[tuple[str, str]]] = {}
    totals: dict[str, list[Figure]] = {}
    for table in document.facts.tables:
        by_code = {row.code: row for row in table.rows if row.code and row.domain == "function"}
        for row in by_code.values():
            if len(row.code) == 3 and row.cells:
                cell = next(iter(row.cells.values()))
                totals.setdefault(_class_name(row.name), []).append(Figure(cell.value, row.name, span=cell.span, scale=table.scale))
            elif len(row.code) == 5 and row.code[:3] in by_code:
                of_kuan.setdefault(clean(row.name), _class_name(by_code[row.code[:3]].name))
            elif len(row.code) == 7 and row.code[:5] in by_code and row.code[:3] in by_code:
                if any(cell.value for cell in row.cells.values()):
                    items.setdefault(_class_name(by_code[row.code[:3]].name), set()).add((clean(by_code[row.code[:5]].name), clean(row.name)))
    return of_kuan, items, totals


def listings(document: Document) -> list[ClassListing]:
    """Every stated 类 level with the 项 of it the narrative lists (those with none are left out)."""
    of_kuan, table_items, table_totals = _table_classes(document)
    heads: list[Node] = []
    items: dict[str, dict[tuple, Node]] = {}
    unchanged: set[int] = set()
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            if node.level is None:
                continue
            key = subject_key(node)
            if key is None:
                continue
            if key[0] == "类":
                heads.append(node)
            elif key[0] == "项":
                parts = classified(node.raw_label)
                owner = _class_name(parts["类"]) if "类" in parts and "款" in parts else of_kuan.get(clean(key[1]))
                if owner:
                    items.setdefault(owner, {}).setdefault((clean(key[1]), clean(key[2])), node)
                if node.change is None and said_unchanged(document, node):
                    unchanged.add(id(node))
    out = []
    for head in heads:
        owner = _class_name(subject_key(head)[1])
        mine = items.get(owner)
        if mine:
            out.append(ClassListing(head, list(mine.values()), unchanged, table_items.get(owner, set()), table_totals.get(owner, [])))
    return out
