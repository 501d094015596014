"""B017 one quantity, one value: a figure the narrative states more than once must read the same.

The ledger keys every stated level by what it measures — its concept (基本支出, 三公经费 …) and its
year — and flags a quantity written with two values when the two look like one number mistyped
(one digit different, or two adjacent digits swapped): two different quantities that share a
concept (财政拨款支出 and 支出合计) differ in more than a digit. Within one sentence, a figure restated
as `2024年预算安排B万元` after the item's own `A万元` is the same quantity whatever the digits. The
finding lists every statement with its place and says which value the tables (or the other
statements) support.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from audit.analysis.narrative import figure, located, money, name, what
from audit.arith import check_sum, mistyped
from audit.engine import CheckContext, Document, kind
from audit.facts.amounts import Node, Statement, broad_concepts
from audit.model import Evidence, Span, Text

_RESTATED = re.compile(r"^(?:预算安排|预算数|预算|安排|预算安排数)?$")  # `2024年预算安排`: the year read off, often nothing left
_CENT = Decimal("0.01")


def _same(a: Node, b: Node) -> bool:
    """Equal within displayed precision."""
    return check_sum(figure(a.level, ""), [figure(b.level, "")]).holds


def _restatements(statements: list[Statement]) -> Iterable[tuple[Node, Node]]:
    """`“…住房公积金（项）”350.35万元，主要用于…。2023年执行数为348.52万元，2024年预算安排352.67万元`:
    the item's figure and its restatement as this year's 预算安排, in one paragraph."""
    nodes = [n for s in statements for n in s.nodes]
    first = next((n for n in nodes if n.level is not None), None)
    if first is None or first.year is not None:
        return
    for node in nodes:
        if node is first or node.level is None or node.year is None or node.concept is not None:
            continue
        if _RESTATED.match(node.label or "") and not any(
            other.level is not None and other.year == node.year and other is not node for other in nodes
        ):
            yield first, node


def _groups(document: Document) -> tuple[list[list[Node]], int]:
    """(statements of one quantity that disagree, how many repeated quantities agree): restatements
    in a paragraph, then the narrative's levels of one concept and year whose values look like one
    number mistyped."""
    out: list[list[Node]] = []
    agreeing = 0
    keyed: dict[tuple[str, int | None], list[Node]] = {}
    broad = broad_concepts()
    paragraphs: dict[int, list[Statement]] = {}
    for statement in document.facts.narrative.statements:
        paragraphs.setdefault(statement.paragraph, []).append(statement)
    for statements in paragraphs.values():
        for first, again in _restatements(statements):
            if _same(first, again):
                agreeing += 1
            else:
                out.append([first, again])
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            # 支出 / 收入 name many quantities (类 支出, 财政拨款支出, 支出合计): only a narrower concept keys one
            if node.level is not None and node.concept is not None and node.concept not in broad:
                keyed.setdefault((node.concept, node.year), []).append(node)
    for nodes in keyed.values():
        values = sorted({n.level.in_wan for n in nodes})
        if len(nodes) < 2:
            continue
        if len(values) == 1:
            agreeing += 1
            continue
        slipped = {v for v in values for w in values if v != w and mistyped(v, w)}
        if slipped:
            out.append([n for n in nodes if n.level.in_wan in slipped])
    return out, agreeing


def _table_values(document: Document) -> dict[Decimal, Span]:
    """Every figure of the document's tables, in 万元 to the cent → where it stands."""
    found: dict[Decimal, Span] = {}
    for table in document.facts.tables:
        for row in table.rows:
            for cell in row.cells.values():
                found.setdefault((cell.value * table.scale).quantize(_CENT), cell.span)
    return found


@kind("narrative_ledger")
def narrative_ledger(ctx: CheckContext) -> None:
    """B017: every quantity the narrative states more than once has one value."""
    groups, agreeing = _groups(ctx.document)
    if agreeing:
        ctx.passed(agreeing)
    if not groups:
        if not agreeing:
            ctx.not_applicable()
        return
    tables = _table_values(ctx.document)
    for nodes in groups:
        _report(ctx, nodes, tables)


def _report(ctx: CheckContext, nodes: list[Node], tables: dict[Decimal, Span]) -> None:
    values = [n.level.in_wan for n in nodes]
    supported = [v for v in dict.fromkeys(values) if v.quantize(_CENT) in tables]
    counts = {v: values.count(v) for v in values}
    if len(supported) == 1:
        right = supported[0]
        at = located(ctx.document, tables[right.quantize(_CENT)])
        support = Text(zh=f"；表格中为 {money(right)}（{at.zh}）", en=f"; the tables say {money(right)} ({at.en})")
    elif len(counts) == 2 and len(set(counts.values())) == 2:
        right = max(counts, key=counts.get)
        support = Text(zh=f"；多数表述为 {money(right)}", en=f"; most statements say {money(right)}")
    else:
        right = None
        support = Text(zh="", en="")
    odd = next((n for n in reversed(nodes) if right is not None and n.level.in_wan != right), nodes[-1])
    places = [located(ctx.document, n.level.span) for n in nodes]
    listing = "；".join(f"{p.zh}「{what(n)}」{n.level.text}" for n, p in zip(nodes, places))
    listing_en = "; ".join(f"{p.en} '{what(n)}' {n.level.text}" for n, p in zip(nodes, places))
    subject = name(nodes[0]) if nodes[0].concept in broad_concepts() or nodes[0].concept is None else nodes[0].concept
    detail = Text(zh=f"在文中有不同数值：{listing}{support.zh}", en=f"is stated with different values: {listing_en}{support.en}")
    suggestion = (
        Text(zh=f"将{odd.level.text}更正为 {money(right)}万元，使各处一致", en=f"correct {odd.level.text} to {money(right)} so that every statement agrees")
        if right is not None
        else Text(zh="核对各处数值，使同一数字前后一致", en="check the statements so that the figure reads the same everywhere")
    )
    ctx.fail(
        odd.level.span,
        {"subject": subject, "detail": detail, "stated": odd.level.text, "computed": money(right) if right is not None else ""},
        evidence=Evidence(
            stated=odd.level.text,
            computed=money(right) if right is not None else None,
            terms=[figure(n.level, what(n)).term() for n in nodes],
        ),
        suggestion=suggestion,
        subject=subject,
        related=[n.level.span for n in nodes if n is not odd],
    )

