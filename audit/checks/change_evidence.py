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
from audit.checks.narrative_common import figure, located, money, name  # moves to audit.analysis.narrative
from audit.engine import CheckContext, kind
from audit.model import Evidence, Text


@kind("change_evidence")
def change_evidence(ctx: CheckContext) -> None:
    """B020: each stated change against its rate, parts, last year's figure and restatements."""
    found = ctx.analysis.part("stated changes", lambda: stated_changes(ctx.document, ctx.analysis.previous, ctx.params.get("wholes")))
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


def _report(ctx: CheckContext, change: StatedChange, check: Check) -> None:
    node = change.node
    stated = change.signed
    at = located(ctx.document, stated.span)
    if check.source == "last_year":
        this, last = check.against
        detail = Text(
            zh=f"的增减额 {_signed(stated.signed_value)}万元 与两年数字不符：本年 {this.level.text} − 上年 {last.level.text}（{located(ctx.document, last.level.span).zh}）= {_signed(check.computed)}万元",
            en=f": its change {_signed(stated.signed_value)} does not match the two years: {this.level.text} − last year's {last.level.text} ({located(ctx.document, last.level.span).en}) = {_signed(check.computed)}",
        )
        suggestion = Text(zh="核对增减额、本年数与上年数，使 本年数 − 上年数 = 增减额", en="check the change and both years' figures")
        related = [this.level.span, last.level.span]
    else:
        other = check.against[0]
        where = located(ctx.document, other.span)
        detail = Text(
            zh=f"的增减额在{at.zh}为 {_signed(stated.signed_value)}万元，在{where.zh}为 {_signed(check.computed)}万元（同一科目、同一本年数），两处不一致",
            en=f": its change is {_signed(stated.signed_value)} on {at.en} but {_signed(check.computed)} on {where.en} (same subject, same level)",
        )
        suggestion = Text(zh="核对两处增减额，使同一数字前后一致", en="make both statements of the change agree")
        related = [n.span for n in check.against]
    ctx.fail(
        stated.span,
        {"total_label": name(node), "detail": detail, "stated": _signed(stated.signed_value), "computed": _signed(check.computed)},
        evidence=Evidence(
            stated=_signed(stated.signed_value),
            computed=_signed(check.computed),
            difference=money(abs(stated.signed_value - check.computed)),
            terms=[stated.term()] + [figure(n.level or n.change, name(n)).term() for n in check.against if (n.level or n.change)],
        ),
        suggestion=suggestion,
        subject=name(node),
        related=related,
    )
