"""B022 a 类 the narrative states = Σ the 项 of it the narrative lists, in levels and in changes.

The 项 may stand in another section (the 类 under 支出预算情况, its 项 under 财政拨款支出情况). A
listing that may leave 项 out cannot fail on a shortfall: the levels fail only when the tables say
every 项 is listed; the changes fail when every 项 is listed (the tables say so, or the 项 levels
add up to the 类's), since then nothing else can account for the difference.
"""

from __future__ import annotations

from audit.analysis.class_changes import ClassListing, class_listings
from audit.arith import Figure, IdentityResult
from audit.analysis.narrative import located, money, name
from audit.engine import CheckContext, kind
from audit.model import Evidence, Text


@kind("class_item_sum")
def class_item_sum(ctx: CheckContext) -> None:
    """B022: each stated 类 against its listed 项 (levels, then signed changes)."""
    seen = 0
    for listing in class_listings(ctx.analysis):
        levels, changes = listing.levels(), listing.changes()
        if listing.narrower:
            judged = sum(r is not None for r in (levels, changes))
            seen += judged
            ctx.insufficient(judged)  # 财政拨款 项 of an all-funds 类
            continue
        covered = levels is not None and levels.holds
        for result, mode, complete in ((levels, "level", listing.complete), (changes, "change", listing.complete or covered)):
            if result is None:
                continue
            seen += 1
            if result.holds:
                ctx.passed()
            elif complete:
                _report(ctx, listing, result, mode)
            else:
                ctx.insufficient()  # a 项 left out of the listing may account for the difference
    if not seen:
        ctx.not_applicable()


def _signed(figure: Figure) -> str:
    return ("−" if figure.sign < 0 else "+") + money(figure.value)


def _report(ctx: CheckContext, listing: ClassListing, result: IdentityResult, mode: str) -> None:
    head = listing.head
    change = mode == "change"
    show = _signed if change else (lambda f: money(f.value))
    total = result.total
    terms_zh = " + ".join(f"{p.label}（{located(ctx.document, p.span).zh}）{show(p)}" for p in result.parts)
    terms_en = " + ".join(f"{p.label} ({located(ctx.document, p.span).en}) {show(p)}" for p in result.parts)
    computed = ("−" if result.computed < 0 else "+") + money(abs(result.computed)) if change else money(result.computed)
    what_zh, what_en = ("增减额", "change") if change else ("金额", "amount")
    detail = Text(
        zh=f"的{what_zh} {show(total)}万元 与所列各项之和不符：{terms_zh} = {computed}，相差 {money(abs(result.difference))}（按显示精度允许 ±{money(result.tolerance)}）",
        en=f": its {what_en} {show(total)} does not match its 项: {terms_en} = {computed}, a difference of {money(abs(result.difference))} (rounding allows ±{money(result.tolerance)})",
    )
    ctx.fail(
        total.span or head.span,
        {"total_label": name(head), "detail": detail, "stated": show(total), "computed": computed},
        evidence=Evidence(
            stated=show(total),
            computed=computed,
            difference=money(result.difference),
            tolerance=money(result.tolerance),
            terms=[p.term() for p in result.parts],
            values={"mode": mode},
        ),
        suggestion=Text(
            zh=f"核对{name(head)}的{what_zh}与其各项{what_zh}（增加为正、减少为负）",
            en=f"check the {what_en} of {name(head)} against its 项 (增加 +, 减少 −)",
        ),
        subject=name(head),
        related=[p.span for p in result.parts if p.span],
    )
