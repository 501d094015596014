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


# What B020 says for each way a change was checked that it reports itself: what disagrees (after
# the subject's name) and what to do. {stated} is the change as stated, {computed} as the other
# figures give it; a place ({at}, {here}) is said in the message's own language.
_SAYS = {
    "last_year": Text(zh="的增减额 {stated}万元 与两年数字不符：本年 {this} − 上年 {last}（{at}）= {computed}万元", en=": its change {stated} does not match the two years: {this} − last year's {last} ({at}) = {computed}"),
    "parts": Text(zh="的增减额 {stated}万元 与其各分项增减之和不符：{terms} = {computed}万元", en=": its change {stated} is not the sum of its parts' changes: {terms} = {computed}"),
    "rate": Text(zh="与上年相比没有变化，但增减幅度写为 {rate}", en=" did not change, yet its rate reads {rate}"),
    "repeated": Text(zh="的增减额在{here}为 {stated}万元，在{at}为 {computed}万元（同一科目、同一本年数），两处不一致", en=": its change is {stated} on {here} but {computed} on {at} (same subject, same level)"),
}
_FIXES = {
    "last_year": Text(zh="核对增减额、本年数与上年数，使 本年数 − 上年数 = 增减额", en="check the change and both years' figures"),
    "parts": Text(zh="核对总增减额与各分项增减额（增加为正、减少为负、持平为零）", en="check the total change against its parts' changes (增加 +, 减少 −, 持平 0)"),
    "rate": Text(zh="核对增减额与增减幅度 {rate}", en="check the change and the rate {rate}"),
    "repeated": Text(zh="核对两处增减额，使同一数字前后一致", en="make both statements of the change agree"),
}


def _detail(ctx: CheckContext, change: StatedChange, check: Check) -> tuple[Text, Text, list]:
    """(what disagrees, what to do, related spans) for the failures B020 reports itself."""
    source = {"whole": "parts", "parts": "parts", "last_year": "last_year", "rate": "rate"}.get(check.source, "repeated")
    values: dict[str, str | Text] = {"stated": _signed(change.signed.signed_value), "computed": _signed(check.computed or 0)}
    if source == "last_year":
        this, last = check.against
        values.update(this=this.level.text, last=last.level.text, at=located(ctx.document, last.level.span))
        related = [this.level.span, last.level.span]
    elif source == "parts":
        values["terms"] = " + ".join(f"{name(n)} {_part(n, check)}" for n in check.against)
        related = [n.span for n in check.against]
    elif source == "rate":
        values["rate"] = change.node.rate.text
        related = [change.node.rate.span]
    else:
        values.update(here=located(ctx.document, change.signed.span), at=located(ctx.document, check.against[0].span))
        related = [n.span for n in check.against]
    return _filled(_SAYS[source], values), _filled(_FIXES[source], values), related


def _filled(template: Text, values: dict[str, str | Text]) -> Text:
    """The template with its values in, a Text value (a place) in each language's own words."""
    def of(lang: str) -> dict[str, str]:
        return {k: getattr(v, lang) if isinstance(v, Text) else v for k, v in values.items()}

    return Text(zh=template.zh.format(**of("zh")), en=template.en.format(**of("en")))


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
