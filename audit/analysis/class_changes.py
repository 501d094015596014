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

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from audit.arith import Figure, IdentityResult, check_sum
from audit.analysis.narrative import classified, figure, name, subject_key

if TYPE_CHECKING:
    from audit.analysis import Analysis
from audit.engine import Document
from audit.facts.amounts import Node
from audit.facts.tables import clean



# `支出1600万元，与上年一致。` / `与上年预算数一致` / `与上年相比无变化`: no change, in words the sentence
# reader does not take for 持平
SAME = re.compile(r"(?:与|比)(?:上年|(?:19|20)\d{2}\s*年度?)(?:预算)?(?:执行)?数?(?:相比)?[，,]?\s*(?:一致|相同|无变化|持平)")
# `580.01万元，此项支出是今年新增支出`: last year's figure was nil, the change is the whole amount
_LEAD = re.compile(r"^[\d.．、]+")
NEW = re.compile(r"^[，,。]?(?:此项支出)?(?:是|为)?(?:今年|本年)?新增")


def _after(document: Document, node: Node) -> str:
    """The words right after a level's figure, up to the next amount (across one line break)."""
    span = node.level.span
    after = document.line_text(span.line)[span.end_column - 1 :] + document.line_text(span.line + 1)
    return "".join(after[:60].split("万元", 1)[0].split())


def said_unchanged(document: Document, node: Node) -> bool:
    """`公务接待费1.35万元。比2024年预算持平` / `支出1600万元，与上年一致。`: the words right after the
    figure (before any other amount) say it did not change."""
    return node.level is not None and bool(SAME.search(_after(document, node)))


def said_new(document: Document, node: Node) -> bool:
    """`…缴费支出（项）580.01万元，此项支出是今年新增支出`: new this year, so its change is its level."""
    return node.level is not None and node.change is None and bool(NEW.search(_after(document, node)))


_NUMBERING = re.compile(r"^[(（]?[一二三四五六七八九十]+[)）、.．]")  # `(二)社会保障和就业支出`


def _class_name(text: str) -> str:
    return _NUMBERING.sub("", clean(text)).removesuffix("支出")


@dataclass
class ClassListing:
    """One stated 类 and the 项 of it the narrative lists (first statement of each 项)."""

    head: Node
    items: list[Node]
    unchanged: set[int] = field(default_factory=set)  # id() of the items whose sentence says 与上年一致
    new: set[int] = field(default_factory=set)  # id() of the items said to be 今年新增
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
            elif id(node) in self.new:
                terms.append(figure(node.level, f"{name(node)}（新增）", 1, signed=True))
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
    heads: list[tuple[Node, str]] = []
    items: dict[str, dict[tuple, Node]] = {}
    unchanged: set[int] = set()
    new: set[int] = set()
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            if node.level is None:
                continue
            key = subject_key(node)
            if key is None and _LEAD.sub("", clean(node.raw_label)).removesuffix("支出") in table_totals:
                key = ("类", _LEAD.sub("", clean(node.raw_label)))  # `2．社会保障和就业支出2000.39万元`: a 类 the tables name
            if key is None:
                continue
            if key[0] == "类":
                heads.append((node, _class_name(key[1])))
            elif key[0] == "项":
                parts = classified(node.raw_label)
                owner = _class_name(parts["类"]) if "类" in parts and "款" in parts else of_kuan.get(clean(key[1]))
                if owner:
                    items.setdefault(owner, {}).setdefault((clean(key[1]), clean(key[2])), node)
                if node.change is None and said_unchanged(document, node):
                    unchanged.add(id(node))
                elif said_new(document, node):
                    new.add(id(node))
    out = []
    for head, owner in heads:
        mine = items.get(owner)
        if mine:
            out.append(ClassListing(head, list(mine.values()), unchanged, new, table_items.get(owner, set()), table_totals.get(owner, [])))
    return out


def class_listings(analysis: Analysis) -> list[ClassListing]:
    """The document's listings, built once (B022 and B020 both read them)."""
    return analysis.part("class listings", lambda: listings(analysis.document))
