"""The narrative's figures as the B checks read them: an amount as a Figure, a node's name, a figure
as printed and where it stands, the levels the narrative states (by concept, and by what they
measure: subject_key) and this year's level of a concept. The builders here are plain functions of
a document; `Analysis` (audit/analysis/__init__.py) keeps what they build once per document."""

from __future__ import annotations

import re
from decimal import Decimal

from typing import TYPE_CHECKING, Iterable

from audit.arith import Figure, display
from audit.facts.amounts import UNIT_SCALE, Amount, Node, broad_concepts
from audit.model import Span, Text

if TYPE_CHECKING:
    from audit.analysis import Analysis
    from audit.engine import Document

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
    """A node's subject as the document names it, for messages and evidence: without the list
    numbering it was printed under (`1.` `31.` `（一）` `①`), and a 类/款/项 path with the marks
    the document gave it (`住房保障支出（类）住房改革支出（款）住房公积金（项）`) rather than glued
    into one word — the dashed form `“类-款-项”` is shown with the same marks."""
    label = _unnumbered(node.label)
    path = _marked_path(node.raw_label, label)
    return path or label or node.concept or "合计"


# a list marker opening a label: 1. 1、 31． （一） 一、 ① (1) — not the 1.5 of a figure
_NUMBERING = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,3}(?:[、．]|\.(?!\d))|[①-⑳])\s*"
)


def _unnumbered(label: str) -> str:
    while (stripped := _NUMBERING.sub("", label, count=1)) != label:
        label = stripped
    return label


_LEVELS = ("类", "款", "项")


def _marked_path(raw_label: str, label: str) -> str | None:
    """`住房保障支出（类）住房改革支出（款）住房公积金（项）` when the label names two or more levels of
    a 类/款/项 path, plus what the label says after the last level's name (`…行政运行（项）支出`)."""
    parts = classified(raw_label)
    if len(parts) < 2:
        return None
    levels = [level for level in _LEVELS if level in parts]
    names = [_PLAIN.sub("", parts[level]) for level in levels]
    for glue in ("", "-"):
        at = label.find(glue.join(names))
        if at >= 0:  # the label is this path (a window's marks could belong to an earlier phrase)
            rest = label[at + len(glue.join(names)) :]
            return "".join(f"{parts[level]}（{level}）" for level in levels) + rest
    return None


_PLAIN = re.compile(r"[(（][^()（）]*[)）]")  # a label reads `政府办公厅及…` where the document printed `政府办公厅(室)及…`


def what(node: Node) -> str:
    """A node's name for a message: its label, or `2024年预算安排` for a bare `2024年预算安排X万元`."""
    if not node.label and node.year:
        return f"{node.year}年预算安排"
    return name(node)


def money(value: Decimal) -> str:
    return display(value)


def where(span: Span) -> Text:
    return Text(zh=f"第{span.line}行", en=f"line {span.line}")


def located(document: Document, span: Span) -> Text:
    """Where a figure is, as its reader knows it: the page (and file, for a joined publication) of
    a PDF, else the line of a text file."""
    return document.located(span.line, span.column)


def stated_level(analysis: Analysis, concept: str | None) -> Node | None:
    """This year's level of a concept when the narrative states it once (or repeats one value)."""
    if concept is None:
        return None
    nodes = analysis.levels.get(concept, [])
    years = [n.year for n in nodes if n.year]
    if years:
        nodes = [n for n in nodes if n.year in (None, max(years))]
    values = {n.level.in_wan for n in nodes}
    return nodes[0] if len(values) == 1 else None


def levels(document: Document) -> dict[str, list[Node]]:
    """Concept → the nodes that state a level of it, in document order (built once per document by
    `Analysis.levels`: every share and rate asks, and a scan each time would grow with its square)."""
    levels: dict[str, list[Node]] = {}
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            if node.concept is not None and node.level is not None:
                levels.setdefault(node.concept, []).append(node)
    return levels



# --- what a stated level measures, comparable across sections, tables and years -------------------

_MARK = re.compile(r"[(（](类|款|项)[)）]")
_DASHED = re.compile(r"“([^“”\-]+)-([^“”\-]+)-([^“”\-]+)”")  # “一般公共服务支出-政府办公厅(室)及相关机构事务-行政运行”
_LEAD = re.compile(r"^[\s\d.．、,，:：;；“”\"(（)）]*(?:[一二三四五六七八九十]+[、.．])?")
_APPROPRIATION = re.compile(r"财政拨款")


def _strip(name: str) -> str:
    return _LEAD.sub("", name).strip(" “”\"")


def classified(label: str) -> dict[str, str]:
    """`…一般公共服务支出(类)商贸事务(款)行政运行(项)` → {类: …, 款: 商贸事务, 项: 行政运行}; the
    dashed form `“类-款-项”` as well. A name may hold brackets of its own (`政府办公厅(室)…`)."""
    found: dict[str, str] = {}
    start = 0
    for match in _MARK.finditer(label):
        found[match.group(1)] = _strip(label[start : match.start()])
        start = match.end()
    if "项" not in found:
        dashed = _DASHED.search(label)
        if dashed:
            found = {"类": dashed.group(1).strip(), "款": dashed.group(2).strip(), "项": dashed.group(3).strip()}
    return {k: v for k, v in found.items() if v}


def subject_key(node: Node) -> tuple | None:
    """What a stated level measures (None: too vague to match): a 项 by its 款 and 项 names, a 类
    by its name, anything else by its concept and whether it is the 财政拨款 part."""
    parts = classified(node.raw_label)
    if "项" in parts and ("款" in parts or "类" in parts):
        # `行政事业单位离退休（类）…（项）`: some publishers mark the 款 as a 类
        return ("项", parts.get("款", parts.get("类")), parts["项"])
    if "类" in parts and "项" not in parts and "款" not in parts:
        return ("类", parts["类"].removesuffix("支出"))
    if node.concept is not None and node.concept not in broad_concepts():
        return ("concept", node.concept, bool(_APPROPRIATION.search(node.raw_label)))
    return None


def levels_by_key(document: Document) -> dict[tuple, list[Node]]:
    """Every level the narrative states, by subject key (built once per document by
    `Analysis.levels_by_key`)."""
    found: dict[tuple, list[Node]] = {}
    for statement in document.facts.narrative.statements:
        for node in statement.nodes:
            key = subject_key(node) if node.level is not None else None
            if key is not None:
                found.setdefault(key, []).append(node)
    return found


# --- this year, last year and the stated change of one concept (B005, B013) -----------------------


def this_and_last(document: Document) -> Iterable[tuple[Node, Node, Node]]:
    """B005/B013: (this year's level, last year's level, the stated change) of one concept, each stated once."""
    nodes = [
        n for s in document.facts.narrative.statements for n in s.nodes if n.concept and (n.year or n.change is not None)
    ]
    years = [n.year for n in nodes if n.level is not None and n.year]
    if not years:
        return
    current = max(years)
    by_concept: dict[str, dict[str, list[Node]]] = {}
    for node in nodes:
        slot = by_concept.setdefault(node.concept, {"this": [], "last": [], "change": []})
        if node.level is not None and node.year == current:
            slot["this"].append(node)
        if node.level is not None and node.year == current - 1:
            slot["last"].append(node)
        if node.change is not None and node.year in (current, None):
            slot["change"].append(node)
    def once(nodes: list[Node], key) -> Node | None:
        """The node when the narrative states this figure once (or repeats the same value)."""
        return nodes[0] if nodes and len({key(n) for n in nodes}) == 1 else None

    for slot in by_concept.values():
        this = once(slot["this"], lambda n: n.level.in_wan)
        last = once(slot["last"], lambda n: n.level.in_wan)
        change = once(slot["change"], lambda n: (n.change_sign, n.change.in_wan))
        if this is not None and last is not None and change is not None:
            # last year's 决算/执行数 is not what a budget's 比上年 compares with
            if bool(_OUTTURN.search(this.raw_label)) == bool(_OUTTURN.search(last.raw_label)):
                yield this, last, change


_OUTTURN = re.compile(r"决算|执行|实际|完成")
