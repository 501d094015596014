"""B020 every year-on-year statement is checked against what the document gives.

A stated change counts once: passed when every check the document allows holds (its rate, its
parts, last year's figure in the text, the same change stated again, last year's disclosure),
failed when one does not, insufficient when nothing in the document bears on it. A failure that
another rule reports (B013 the rate, B005 the parts and two years' figures, B016 last year's
disclosure) is tallied here and left to that rule's finding, so one slip is reported once; B020
reports what no other rule does — last year's figure stated in the paragraph, and the same change
stated twice with two values.
"""

from __future__ import annotations

from audit.analysis.change_evidence import Check, StatedChange, stated_changes
from audit.analysis.narrative import figure, located, money, name
from audit.engine import CheckContext, kind
from audit.model import Evidence, Text


@kind("change_evidence")
def change_evidence(ctx: CheckContext) -> None:
    """B020: each stated change against its rate, parts, last year's figure and restatements."""
    found = ctx.analysis.part("stated changes", lambda: stated_changes(ctx.analysis, ctx.params.get("wholes")))
    if not found:
        ctx.not_applicable()
        return
    reported: set[frozenset] = set()
    for change in found:
        if not change.checks:
            ctx.insufficient()
            continue
        failed = [c for c in change.checks if not c.holds]
        if not failed:
            ctx.passed()
            continue
        own = [c for c in failed if c.owner is None]
        # one pair of disagreeing statements is one finding, not one per statement
        pair = frozenset([id(change.node), *(id(n) for c in own for n in c.against)])
        if own and pair not in reported:
            reported.add(pair)
            _report(ctx, change, own[0])
        else:
            ctx.tally.failed += 1  # reported by its owner rule (B013, B005, B016) or at the other statement


def _signed(value) -> str:
    return ("−" if value < 0 else "+") + money(abs(value))


def _detail(ctx: CheckContext, change: StatedChange, check: Check) -> tuple[Text, Text, list]:
    """(what disagrees, what to do, related spans) for the failures B020 reports itself."""
    stated = _signed(change.signed.signed_value)
    computed = _signed(check.computed or 0)
    if check.source == "last_year":
        this, last = check.against
        at = located(ctx.document, last.level.span)
        return (
            Text(
                zh=f"的增减额 {stated}万元 与两年数字不符：本年 {this.level.text} − 上年 {last.level.text}（{at.zh}）= {computed}万元",
                en=f": its change {stated} does not match the two years: {this.level.text} − last year's {last.level.text} ({at.en}) = {computed}",
            ),
            Text(zh="核对增减额、本年数与上年数，使 本年数 − 上年数 = 增减额", en="check the change and both years' figures"),
            [this.level.span, last.level.span],
        )
    if check.source in ("whole", "parts"):
        terms = " + ".join(f"{name(n)} {_part(n, check)}" for n in check.against)
        return (
            Text(
                zh=f"的增减额 {stated}万元 与其各分项增减之和不符：{terms} = {computed}万元",
                en=f": its change {stated} is not the sum of its parts' changes: {terms} = {computed}",
            ),
            Text(zh="核对总增减额与各分项增减额（增加为正、减少为负、持平为零）", en="check the total change against its parts' changes (增加 +, 减少 −, 持平 0)"),
            [n.span for n in check.against],
        )
    if check.source == "rate":
        rate = change.node.rate.text
        return (
            Text(zh=f"与上年相比没有变化，但增减幅度写为 {rate}", en=f" did not change, yet its rate reads {rate}"),
            Text(zh=f"核对增减额与增减幅度 {rate}", en=f"check the change and the rate {rate}"),
            [change.node.rate.span],
        )
    other = located(ctx.document, check.against[0].span)
    here = located(ctx.document, change.signed.span)
    return (
        Text(
            zh=f"的增减额在{here.zh}为 {stated}万元，在{other.zh}为 {computed}万元（同一科目、同一本年数），两处不一致",
            en=f": its change is {stated} on {here.en} but {computed} on {other.en} (same subject, same level)",
        ),
        Text(zh="核对两处增减额，使同一数字前后一致", en="make both statements of the change agree"),
        [n.span for n in check.against],
    )


def _part(node, check: Check) -> str:
    """A part's signed change as the sum shows it (持平 and 与上年一致 are 0)."""
    if node.change is None or node.change_sign is None:
        return "0"
    return _signed(node.change_sign * node.change.in_wan)


def _report(ctx: CheckContext, change: StatedChange, check: Check) -> None:
    node = change.node
    stated = change.signed
    detail, suggestion, related = _detail(ctx, change, check)
    computed = _signed(check.computed or 0)
    ctx.fail(
        stated.span,
        {"total_label": name(node), "detail": detail, "stated": _signed(stated.signed_value), "computed": computed},
        evidence=Evidence(
            stated=_signed(stated.signed_value),
            computed=computed,
            difference=money(abs(stated.signed_value - (check.computed or 0))),
            terms=[stated.term()] + [figure(n.level or n.change, name(n)).term() for n in check.against if (n.level or n.change)],
        ),
        suggestion=suggestion,
        subject=name(node),
        related=related,
    )
