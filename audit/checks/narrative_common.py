"""What the narrative checks share: an amount as a Figure, a node's name, a figure as printed, and
this year's level of a concept (the narrative checks of B002–B017 all read the same facts)."""

from __future__ import annotations

from decimal import Decimal

from audit.arith import Figure, display
from audit.engine import Document
from audit.facts.amounts import UNIT_SCALE, Amount, Node
from audit.model import Span, Text

WAN = UNIT_SCALE["万元"]


def figure(amount: Amount, label: str, sign: int = 1, signed: bool = False) -> Figure:
    """An amount as a Figure in 万元 (元 and 亿元 scaled, precision scaled with them).

    A printed zero (`政府性基金收入0万元`) means none at all, not "less than 0.5万元"."""
    return Figure(
        shown=amount.value,
        label=label,
        span=amount.span,
        sign=sign,
        scale=UNIT_SCALE[amount.unit] / WAN,
        signed=signed,
        exact=amount.value == 0,
    )


def name(node: Node) -> str:
    return node.label or node.concept or "合计"


def what(node: Node) -> str:
    """A node's name for a message: its label, or `2024年预算安排` for a bare `2024年预算安排X万元`."""
    if not node.label and node.year:
        return f"{node.year}年预算安排"
    return name(node)


def money(value: Decimal) -> str:
    return display(value)


def where(span: Span) -> Text:
    return Text(zh=f"第{span.line}行", en=f"line {span.line}")


def stated_level(document: Document, concept: str | None) -> Node | None:
    """This year's level of a concept when the narrative states it once (or repeats one value)."""
    if concept is None:
        return None
    nodes = levels(document).get(concept, [])
    years = [n.year for n in nodes if n.year]
    if years:
        nodes = [n for n in nodes if n.year in (None, max(years))]
    values = {n.level.in_wan for n in nodes}
    return nodes[0] if len(values) == 1 else None


def levels(document: Document) -> dict[str, list[Node]]:
    """Concept → the nodes that state a level of it, in document order (once per document: every
    share and rate asks, and a scan of the whole narrative each time would grow with its square)."""
    return document.derived("narrative levels", lambda: _levels_of(document))


def _levels_of(document: Document) -> dict[str, list[Node]]:
    levels: dict[str, list[Node]] = {}
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            if node.concept is not None and node.level is not None:
                levels.setdefault(node.concept, []).append(node)
    return levels

