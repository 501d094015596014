"""The facts read from the narrative's money: Amount, Percent, the Statement trees of Nodes,
stated Products and Partitions, gathered in NarrativeFacts. audit/facts/amounts.py reads them
from the paragraphs; the checks read them (importable from amounts.py too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from audit.model import Span

UNIT_SCALE = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}


# The facts are plain slotted dataclasses, not pydantic models: built here, never parsed from outside,
# and many per document (the JSON dump of `audit extract` reads them alike).


@dataclass(slots=True)
class Amount:
    """A money figure of the narrative, as printed."""

    value: Decimal  # as printed, OCR gaps repaired (Decimal keeps its displayed decimals)
    text: str
    unit: str  # 元 | 千元 | 万元 | 亿元
    span: Span

    @property
    def in_wan(self) -> Decimal:
        return self.value * UNIT_SCALE[self.unit] / UNIT_SCALE["万元"]


@dataclass(slots=True)
class Percent:
    """A percentage in the narrative: a share, or a rate of change (`direction`)."""

    value: Decimal
    text: str
    span: Span
    direction: int | None = None  # rates: +1 增长, −1 下降


@dataclass(slots=True)
class Node:
    """One subject of a sentence: its level this year and/or its change, with its place in the tree."""

    label: str  # cleaned noun phrase
    raw_label: str
    concept: str | None = None
    year: int | None = None
    level: Amount | None = None
    change: Amount | None = None
    change_sign: int | None = None  # +1 增加, −1 减少, None when no direction word says which
    flat: bool = False  # 与上年（基本）持平: no change, no figure
    roughly: bool = False  # 基本持平 / 大体持平: about no change (the figures need not add up exactly)
    share: Percent | None = None  # 占比 x% (of the parent, or of the whole it names)
    share_of: str | None = None  # the concept a share names (`占总支出的16%` → 支出), None for 占比
    share_named: str = ""  # the whole a share names, as written (`本年支出合计的`)
    rate: Percent | None = None  # 增长 x% (of last year's level)
    parent: int | None = None  # index in Statement.nodes
    marker: str | None = None  # 其中 | 包括: the word that opened the parent's list

    @property
    def span(self) -> Span:
        amount = self.level or self.change
        return amount.span if amount else Span(line=1)


@dataclass(slots=True)
class Statement:
    """One sentence of the narrative with its amounts arranged as a tree."""

    nodes: list[Node]
    span: Span
    paragraph: int  # index of the paragraph among the document's paragraphs
    text: str

    def children(self, index: int) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.parent == index]


@dataclass(slots=True)
class Product:
    """`10*365=3650元`, `387人×800元=30.96万元`: a stated product, in a paragraph or a table cell."""

    factors: list[Decimal]
    factor_units: list[str]
    result: Decimal
    result_unit: str
    text: str
    span: Span


@dataclass(slots=True)
class Partition:
    """Percentages presented as the split of one whole (60%…、20%…、20%…)."""

    items: list[Percent]
    text: str
    span: Span


@dataclass(slots=True)
class NarrativeFacts:
    """What the narrative paragraphs state about money: amounts, statements, products."""

    amounts: list[Amount] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    partitions: list[Partition] = field(default_factory=list)

    def identities(self) -> int:
        """Statements that relate figures: decompositions, changes with parts, shares, products, partitions."""
        count = 0
        for statement in self.statements:
            parents = {n.parent for n in statement.nodes if n.parent is not None}
            count += len(parents)
            count += sum(1 for n in statement.nodes if n.share is not None or n.rate is not None)
        return count + len(self.products) + len(self.partitions)
