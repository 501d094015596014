"""B010 shares, B012 partitions, B011 written products: percentages and products of the narrative.

A share is part ÷ the whole it names: the parent in its sentence, or the whole the sentence names
(`占本年支出合计的99.29%`), stated elsewhere in the narrative — never the figure itself. Shares of one
named whole listed in one sentence with no whole stated (`出国费70万元，占“三公”经费的13.77%；…`) are
shares of the parts' sum when they add up to 100%. A share within one unit of its last displayed
digit is publisher rounding (info).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from audit.analysis import Analysis
from audit.analysis.narrative import figure as _figure
from audit.analysis.narrative import money as _money, name as _name, where as _where
from audit.arith import Figure, adjacent_swaps, check_product, check_share, check_sum, display
from audit.engine import CheckContext, kind
from audit.facts.amounts import UNIT_SCALE, Node, Statement
from audit.model import Evidence, Severity, Span, Text


def _term(figure: Figure):
    return figure.term()


@dataclass
class ShareCheck:
    node: Node
    parent: Node
    part: Figure
    whole: Figure
    result: Any  # RatioResult
    fix: Decimal | None  # the share with two adjacent digits swapped back, when that alone explains it


def _share_check(analysis: Analysis, statement: Statement, node: Node) -> ShareCheck | None:
    """A node's stated share against its level ÷ its whole's level (None: no whole to divide by)."""
    if node.share is None or node.level is None:
        return None
    parent = statement.nodes[node.parent] if node.parent is not None else None
    whole: Figure | None = None
    if node.share_of is not None and (parent is None or parent.concept != node.share_of):
        parent, whole = _named_whole(analysis, statement, node)
    elif parent is None and node.share_of is None:
        parent = _listing_head(analysis, statement)
    if parent is None or parent.level is None or (parent is node and whole is None):
        return None
    part = _figure(node.level, _name(node))
    whole = whole or _figure(parent.level, _name(parent))
    result = check_share(part, whole, Figure(node.share.value, "%"))
    if result is None:
        return None
    fix = None
    if not result.holds:
        fixes = [v for v in adjacent_swaps(node.share.value) if check_share(part, whole, Figure(v, "%")).holds]
        fix = fixes[0] if len(fixes) == 1 else None
    return ShareCheck(node, parent, part, whole, result, fix)


_ITEM_END = re.compile(r"[;；。]\s*$")
_OPENS_LIST = re.compile(r"其中\s*[:：]?\s*$")


def _listing_head(analysis: Analysis, statement: Statement) -> Node | None:
    """`本年支出预算合计18330.37万元，其中：` with the parts in paragraphs of their own
    (`基本支出9312.9万元，占50.81%；`, one or a few a line): the total the list hangs from."""
    statements = analysis.document.facts.narrative.statements
    where = _positions(analysis).get(id(statement))
    if where is None:
        return None
    for back in range(where - 1, max(-1, where - 12), -1):
        before = statements[back]
        if _OPENS_LIST.search(before.text):
            heads = [n for n in before.nodes if n.level is not None]
            return heads[-1] if heads else None
        last = before.nodes[-1] if before.nodes else None
        if last is not None and last.share is not None and last.parent is not None and _ITEM_END.search(before.text):
            return before.nodes[last.parent]  # `合计X万元，其中：A万元，占a%；` with the next parts a paragraph each
        if not before.nodes or any(n.share is None or n.parent is not None for n in before.nodes) or not _ITEM_END.search(before.text):
            return None  # not parts of a list: the list, if any, is not this share's
    return None


def _positions(analysis: Analysis) -> dict[int, int]:
    return analysis.part(
        "narrative statement positions", lambda: {id(s): i for i, s in enumerate(analysis.document.facts.narrative.statements)}
    )


_TOTAL = re.compile(r"合计|总计|总额")


def _named_whole(analysis: Analysis, statement: Statement, node: Node) -> tuple[Node | None, Figure | None]:
    """The whole a share names (`占总支出的16%`, `占本年支出合计的99.29%`, `占“三公”经费的13.77%`).

    In order: the one figure of that concept in the sentence; the sum of the sentence's figures that
    each name the same whole, when their shares add up to 100% (`分别占`); the one figure of that
    concept stated elsewhere (a total when the share names a 合计). Never the figure itself."""
    named = [n for n in statement.nodes if n is not node and n.concept == node.share_of and n.level is not None]
    if len(named) == 1:
        return named[0], None
    if named:
        return None, None
    siblings = [n for n in statement.nodes if n.share_of == node.share_of and n.share is not None and n.level is not None]
    if len(siblings) >= 2 and node in siblings:
        shares = check_sum(Figure(Decimal(100), exact=True), [Figure(n.share.value) for n in siblings])
        if abs(shares.difference) <= shares.tolerance + Decimal("0.01") * len(siblings):
            terms = [_figure(n.level, _name(n)) for n in siblings]
            total = sum((t.value for t in terms), Decimal(0))
            label = "、".join(_name(n) for n in siblings) + "之和"
            whole = Figure(total, label, span=siblings[0].level.span, spread=sum((t.half for t in terms), Decimal(0)))
            return siblings[0], whole
    others = [n for n in analysis.levels.get(node.share_of, []) if n is not node]
    if _TOTAL.search(node.share_named):
        others = [n for n in others if _TOTAL.search(n.raw_label)]
    if len({n.level.in_wan for n in others}) == 1:
        return others[0], None
    return None, None


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if exponent < 0 else 0


@kind("narrative_share")
def narrative_share(ctx: CheckContext) -> None:
    """B010: a stated share (占比 16.31%) = part ÷ its total, to the precision shown."""
    seen = 0
    for statement in ctx.document.facts.narrative.statements:
        for node in statement.nodes:
            if node.share is None:
                continue
            seen += 1
            check = _share_check(ctx.analysis, statement, node)
            if check is None:
                ctx.insufficient()
                continue
            result, part, whole, parent = check.result, check.part, check.whole, check.parent
            if result.holds:
                ctx.passed()
                continue
            computed = result.computed.quantize(Decimal("0.01"))
            cause = Text(zh="", en="")
            suggestion = None
            limits = Text(zh=f"（按显示精度应在 {result.bounds()}% 之间）", en=f" (rounding allows {result.bounds()}%)")
            if result.near:
                # one unit of the last digit: the computed value to one more decimal says it plainly
                computed = result.computed.quantize(Decimal(1).scaleb(-max(2, _places(node.share.value) + 1)))
                limits = Text(zh="", en="")
                rounded = f"{result.computed.quantize(Decimal(1).scaleb(-_places(node.share.value)))}%"
                cause = Text(
                    zh=f"；相差不超过末位一个单位，属四舍五入口径差异，按四舍五入应为 {rounded}",
                    en=f"; within one unit of the last digit (publisher rounding): rounded it reads {rounded}",
                )
            if check.fix is not None:
                fixed = f"{display(check.fix)}%"
                cause = Text(
                    zh=f"；{node.share.text} 疑为相邻两位数字颠倒，应为 {fixed}",
                    en=f"; {node.share.text} looks like two adjacent digits swapped: {fixed}",
                )
                suggestion = Text(zh=f"将占比 {node.share.text} 更正为 {fixed}", en=f"correct the share {node.share.text} to {fixed}")
            values = {
                "total_label": _name(node),
                "stated": node.share.text,
                "computed": f"{computed}%",
                "equation": f"{_name(node)} {_money(part.value)} ÷ {whole.label} {_money(whole.value)}",
                "tolerance": result.bounds() + "%",
                "limits": limits,
                "cause": cause,
            }
            ctx.fail(
                node.share.span,
                values,
                evidence=Evidence(
                    stated=node.share.text,
                    computed=f"{computed}%",
                    tolerance=values["tolerance"],
                    terms=[_term(part), _term(whole)],
                    diagnosis=(
                        Text(
                            zh=f"疑为相邻两位数字颠倒：{node.share.text} → {display(check.fix)}%",
                            en=f"transposition: {node.share.text} → {display(check.fix)}%",
                        )
                        if check.fix is not None
                        else None
                    ),
                ),
                suggestion=suggestion,
                subject=_name(node),
                related=[node.level.span, parent.level.span],
                severity=Severity.INFO if result.near else None,
            )
    if not seen:
        ctx.not_applicable()


def _share_lists(analysis: Analysis) -> Iterable[tuple[list[Any], Node | None, bool, list[ShareCheck]]]:
    """Partitions: listed splits, and the shares of the parts of one total → (items, total, whole).

    `whole` says the items are known to cover everything (an explicit split, or parts whose amounts
    add up to their total): only then may they fall short of 100%; exceeding it is always wrong."""
    narrative = analysis.document.facts.narrative
    for partition in narrative.partitions:
        yield partition.items, None, True, []
    for statement in narrative.statements:
        for head in range(len(statement.nodes)):
            parts = [statement.nodes[i] for i in statement.children(head)]
            if len(parts) >= 2 and all(p.share is not None and p.share_of is None for p in parts):
                node = statement.nodes[head]
                levels = [p.level for p in parts]
                whole = node.level is not None and None not in levels and check_sum(
                    _figure(node.level, ""), [_figure(a, "") for a in levels]
                ).holds
                checks = [c for c in (_share_check(analysis, statement, p) for p in parts) if c is not None]
                yield [p.share for p in parts], node, whole, checks


@kind("narrative_partition")
def narrative_partition(ctx: CheckContext) -> None:
    """B012: percentages presented as the split of one whole add up to 100%."""
    whole = Figure(Decimal(100), "100%", exact=True)
    seen = 0
    for items, head, complete, checks in _share_lists(ctx.analysis):
        seen += 1
        figures = [Figure(p.value, p.text, span=p.span) for p in items]
        result = check_sum(whole, figures)
        if result.holds:
            ctx.passed()
            continue
        # one share with swapped digits (reported by B010) may be all that is wrong here
        root = None
        for check in checks:
            if check.fix is None:
                continue
            fixed = [Figure(check.fix if f.span == check.node.share.span else f.shown, f.label, span=f.span) for f in figures]
            if check_sum(whole, fixed).holds:
                root = check
        if root is None and result.difference > 0 and not complete:
            ctx.insufficient()  # some parts may not be listed
            continue
        cause = Text(zh="", en="")
        related: list[Span] = []
        severity = None
        if root is not None:
            where = _where(root.node.share.span)
            cause = Text(
                zh=f"；此差异由同一笔误引起：{where.zh}{root.node.share.text} 应为 {display(root.fix)}%（见 B010），改正后合计为 100%",
                en=f"; this follows from the same slip: {root.node.share.text} on {where.en} should read {display(root.fix)}% (see B010), which makes 100%",
            )
            related = [root.node.share.span]
            severity = Severity.INFO
            suggestion = Text(
                zh=f"随{where.zh}占比的更正（{root.node.share.text} → {display(root.fix)}%）一并解决",
                en=f"resolved by correcting the share on {where.en} ({root.node.share.text} → {display(root.fix)}%)",
            )
        else:
            suggestion = None
        values = {
            "items": " + ".join(p.text for p in items),
            "computed": f"{_money(result.computed)}%",
            "stated": "100%",
            "tolerance": _money(result.tolerance),
            "cause": cause,
        }
        ctx.fail(
            items[0].span.cover(items[-1].span),
            values,
            evidence=Evidence(
                stated="100%",
                computed=values["computed"],
                difference=_money(result.difference),
                tolerance=values["tolerance"],
                terms=[f.term() for f in figures],
                diagnosis=(
                    Text(
                        zh=f"连带差异：源于数字颠倒 {root.node.share.text} → {display(root.fix)}%",
                        en=f"follows from transposition: {root.node.share.text} → {display(root.fix)}%",
                    )
                    if root
                    else None
                ),
            ),
            subject=_name(head) if head else None,
            related=related,
            severity=severity,
            suggestion=suggestion,
        )
    if not seen:
        ctx.not_applicable()


def _money_unit(unit: str) -> str | None:
    """`元`, `元/人`, `万元/台` → the money unit a factor is priced in (None for 人, 天, 次 …)."""
    for name in ("亿元", "万元", "千元", "元"):
        if unit.startswith(name):
            return name
    return None


@kind("narrative_product")
def narrative_product(ctx: CheckContext) -> None:
    """B011: a written product (`10*365=3650元`, `387人×800元=30.96万元`) is right."""
    seen = 0
    for product in ctx.document.facts.narrative.products:
        units = [_money_unit(u) for u in product.factor_units]
        money = [u for u in units if u]
        if len(money) > 1 or (money and not product.result_unit):
            ctx.insufficient()
            continue
        seen += 1
        # a whole-number factor is a count (10人, 365天) or a set rate (800元): exact, not rounded
        factors = [
            Figure(value, unit, scale=UNIT_SCALE[money_unit] if money_unit else Decimal(1), exact="." not in str(value))
            for value, unit, money_unit in zip(product.factors, product.factor_units, units)
        ]
        # with a price in 元 the product is in 元; with no money factor it is in the result's own unit
        result_scale = UNIT_SCALE.get(product.result_unit, Decimal(1)) if money else Decimal(1)
        stated = Figure(product.result, product.result_unit, scale=result_scale)
        result = check_product(stated, factors)
        if result.holds:
            ctx.passed()
            continue
        computed = result.computed / result_scale
        values = {
            "text": product.text,
            "computed": f"{_money(computed.normalize())}{product.result_unit}",
            "stated": f"{display(product.result)}{product.result_unit}",
        }
        ctx.fail(
            product.span,
            values,
            evidence=Evidence(stated=values["stated"], computed=values["computed"], terms=[f.term() for f in factors]),
        )
    if not seen:
        ctx.not_applicable()
