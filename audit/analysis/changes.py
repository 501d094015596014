"""What a stated change is a change of: the signed change and last year's figure behind a rate (B013)
or a 与上年相比 base (B016), read off the narrative's sentences.

The forms real disclosures write: this year's level and its change (the base is this year ∓ the
change); last year's level and the change (the base is the level itself); two levels and no change
(the change is B − A). `change_case` returns a RateCase or None when the sentence does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.analysis.narrative import figure, money, stated_level
from audit.analysis.narrative import what as name
from audit.arith import Figure
from audit.facts.amounts import Node, Statement, broad_concepts
from audit.model import Span

if TYPE_CHECKING:
    from audit.analysis import Analysis

_EARLIER = re.compile(r"执行|上年|决算|实际|去年")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class RateCase:
    """What one stated rate is checked against: the signed change and last year's figure."""

    node: Node
    moved: Figure  # the change, signed
    base: Figure  # last year's figure
    equation: str  # how the change and the base were obtained, for the message
    related: list[Span]
    derived: bool  # the change is B − A of two stated levels (no change figure printed)


def earlier_level(statement: Statement, index: int) -> Node | None:
    """The level of last year (or last year's 执行数) stated before node `index` in its sentence."""
    node = statement.nodes[index]
    for other in reversed(statement.nodes[:index]):
        if other.level is None or other.parent != node.parent:
            continue
        if (node.year and other.year and other.year == node.year - 1) or _EARLIER.search(other.raw_label):
            return other
    return None


def _restated_subject(statement: Statement, index: int) -> Node | None:
    """`收支预算总计15897.44万元，与上年相比收、支预算总计各增加2248.37万元`: a change whose subject
    restates the level just before it (same concept, or one too broad to tell) is that level's."""
    node = statement.nodes[index]
    for other in reversed(statement.nodes[:index]):
        if other.level is None:
            continue
        if other.change is None and (node.concept in (None, other.concept) or node.concept in broad_concepts()):
            return other
        return None
    return None


def change_case(analysis: Analysis, statement: Statement, index: int) -> RateCase | None:
    node = statement.nodes[index]
    if node.change is not None and node.change_sign is not None:
        # `与上年相比，收入总计增加50.00万元，增长11.1%`: this year's level may stand in another sentence
        stated = node if node.level is not None else _restated_subject(statement, index) or stated_level(analysis, node.concept)
        if stated is None or stated.level is None:
            return None
        level = figure(stated.level, name(node))
        moved = figure(node.change, "增减额", node.change_sign)
        related = [stated.level.span, node.change.span]
        if stated is node and node.year and any(int(y) > node.year for y in _YEAR.findall(statement.text)):
            # `2017年度…与2016年度相比（2016年度…为8648.07万元），增加498.72万元`: the level is last year's own
            # figure (its sentence speaks of a later year too), so it is the base
            return RateCase(node, moved, level, f"{money(moved.value)} ÷ {stated.year}年 {money(level.value)}", related, False)
        base = Figure(level.value - moved.signed_value, "上年", spread=level.half + moved.half)
        return RateCase(node, moved, base, f"{money(moved.value)} ÷ 上年 {money(base.value)}", related, False)
    if node.change is None and node.level is not None:
        earlier = earlier_level(statement, index)
        if earlier is None:
            return None
        now, before = figure(node.level, name(node)), figure(earlier.level, name(earlier))
        delta = now.value - before.value
        moved = Figure(abs(delta), "增减额（本年 − 上年）", sign=-1 if delta < 0 else 1, spread=now.half + before.half)
        equation = f"({money(now.value)} − {money(before.value)}) ÷ {money(before.value)}"
        return RateCase(node, moved, before, equation, [earlier.level.span, node.level.span], True)
    return None
