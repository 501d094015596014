"""B013 directions and rates: 增加/减少 agrees with this year − last year (narrative_direction), and
a stated 增长/下降 x% agrees with the figures it is a rate of (check_rates, check_flat).

The forms real disclosures write, all with rate = change ÷ last year's figure:
- this year's level and its change (`预算数为2400.5万元。与上年相比减少600.5万元，减少20.01%`): the
  base is this year ∓ the change, never this year's figure;
- last year's level and the change (`与2016年度相比（2016年度…为8648.07万元），增加498.72万元，增长5.77%`):
  the base is the level itself;
- two levels and no change (`执行数为150.00万元，2026年预算安排180.00万元，比2025年执行数增加20.00%`):
  rate = (B − A) ÷ A, and the direction word must agree with B − A.
A rate within one unit of its last displayed digit is publisher rounding: info, never a warning.
A wrong rate that equals another rate of the same paragraph is said to be copied from it.
"""

from __future__ import annotations

from decimal import Decimal

from audit.analysis.changes import RateCase, change_case, earlier_level
from audit.analysis.narrative import figure, money, this_and_last
from audit.analysis.narrative import name as label
from audit.analysis.narrative import what as name
from audit.arith import Figure, RatioResult, check_rate, check_sum, mistyped
from audit.engine import CheckContext, Document, kind
from audit.facts.amounts import Node, Statement
from audit.model import Evidence, Severity, Span, Text

CENT = Decimal("0.01")


def _copied(statement_rates: list, stated: Decimal, own: Span) -> str | None:
    """Another rate of the same paragraph with this very value (a rate copied from the line above)."""
    for percent in statement_rates:
        if percent.span != own and percent.value == stated:
            return percent.text
    return None


@kind("narrative_direction")
def narrative_direction(ctx: CheckContext) -> None:
    """B013: 增加/减少 agrees with this year − last year, and a stated rate = change ÷ last year."""
    seen = 0
    for this, last, change in this_and_last(ctx.document):
        if change.change_sign is None:
            continue
        seen += 1
        now, before = figure(this.level, ""), figure(last.level, "")
        low = now.value - now.half - before.value - before.half
        high = now.value + now.half - before.value + before.half
        if low <= 0 <= high or (change.change_sign > 0) == (low > 0):
            ctx.passed()
            continue
        word = Text(zh="增加" if change.change_sign > 0 else "减少", en="an increase" if change.change_sign > 0 else "a decrease")
        actual = Text(zh="减少" if change.change_sign > 0 else "增加", en="a decrease" if change.change_sign > 0 else "an increase")
        _direction_fail(ctx, change.change.span, label(this), word, actual, this, last, [this.level.span, last.level.span])
    seen += check_rates(ctx) + check_flat(ctx)
    if not seen:
        ctx.not_applicable()


def _direction_fail(ctx, span, label, word, actual, this, last, related) -> None:
    detail = Text(
        zh=f"的变动说明为“{word.zh}”，但 {this.year}年 {money(this.level.in_wan)}万元 比 {last.year}年 {money(last.level.in_wan)}万元 实为{actual.zh}",
        en=f"is said to show {word.en}, but {this.year} {money(this.level.in_wan)} against {last.year} {money(last.level.in_wan)} is {actual.en}",
    )
    ctx.fail(
        span,
        {"total_label": label, "detail": detail, "stated": word.zh, "computed": actual.zh},
        evidence=Evidence(stated=word.zh, computed=actual.zh, diagnosis=Text(zh="增减方向写反", en="sign slip")),
        suggestion=Text(zh=f"将“{word.zh}”改为“{actual.zh}”", en=f"describe it as {actual.en}"),
        subject=label,
        related=related,
    )


def check_rates(ctx: CheckContext) -> int:
    """Check every stated rate of the narrative; returns how many were evaluated."""
    seen = 0
    by_paragraph: dict[int, list] = {}
    for statement in ctx.document.facts.narrative.statements:
        by_paragraph.setdefault(statement.paragraph, []).extend(n.rate for n in statement.nodes if n.rate is not None)
    for statement in ctx.document.facts.narrative.statements:
        for index, node in enumerate(statement.nodes):
            if node.rate is None:
                continue
            case = change_case(ctx.analysis, statement, index)
            if case is None:
                ctx.insufficient()
                continue
            direction = node.rate.direction or node.change_sign or 1
            if case.derived and case.moved.value > case.moved.half and direction != case.moved.sign:
                seen += 1
                _wrong_direction(ctx, case, direction)
                continue
            rate = Figure(node.rate.value, "", sign=direction)
            result = check_rate(case.moved, case.base, rate)
            if result is None:
                ctx.insufficient()  # last year's figure may be zero: no rate to speak of
                continue
            seen += 1
            if result.holds:
                ctx.passed()
                continue
            restated = _restated_item(ctx.document, statement, case, rate) if case.derived and not result.near else None
            if restated is not None:
                _report_restated(ctx, case, result, restated)
                continue
            copied = None if result.near else _copied(by_paragraph.get(statement.paragraph, []), node.rate.value, node.rate.span)
            _report(ctx, case, result, copied)
    return seen


def _restated_item(document: Document, statement: Statement, case: RateCase, rate: Figure) -> Node | None:
    """`“住房公积金（项）”350.35万元…2024年预算安排352.67万元，比…增加0.53%`: the rate fits the item's
    own figure at the head of the paragraph, so the restated 352.67 is the slip (B017 reports it)."""
    head = next(
        (n for s in document.facts.narrative.statements if s.paragraph == statement.paragraph for n in s.nodes if n.level is not None),
        None,
    )
    if head is None or head is case.node or head.year is not None:
        return None
    now = figure(head.level, name(head))
    delta = now.value - case.base.value
    moved = Figure(abs(delta), "", sign=-1 if delta < 0 else 1, spread=now.half + case.base.half)
    result = check_rate(moved, case.base, rate)
    return head if result is not None and result.holds else None


def _report_restated(ctx: CheckContext, case: RateCase, result: RatioResult, head: Node) -> None:
    node = case.node
    computed = f"{abs(result.computed).quantize(CENT)}%"
    detail = Text(
        zh=f"的增减幅度 {node.rate.text} 与 {case.equation} = {computed} 不符，但与本项金额 {head.level.text} 相符：{node.level.text} 疑为笔误（见 B017）",
        en=f"rate {node.rate.text} does not match {_english(case.equation)} = {computed} but fits the item's own {head.level.text}: {node.level.text} looks mistyped (see B017)",
    )
    ctx.fail(
        node.rate.span,
        {"total_label": name(node), "detail": detail, "stated": node.rate.text, "computed": computed},
        evidence=Evidence(
            stated=node.rate.text,
            computed=computed,
            terms=[case.moved.term(), case.base.term()],
            diagnosis=Text(zh=f"连带差异：源于 {node.level.text} 的笔误", en=f"follows from the slip in {node.level.text}"),
        ),
        suggestion=Text(zh=f"将 {node.level.text} 更正为 {head.level.text}", en=f"correct {node.level.text} to {head.level.text}"),
        subject=name(node),
        related=[head.level.span, *case.related],
        severity=Severity.INFO,
    )


def check_flat(ctx: CheckContext) -> int:
    """`2023年执行数为10.00万元，2024年预算安排10.00万元，比2023年执行数持平`: 持平 says the two
    levels of the sentence agree (within displayed precision); returns how many were evaluated."""
    seen = 0
    for statement in ctx.document.facts.narrative.statements:
        for index, node in enumerate(statement.nodes):
            if not node.flat or node.level is None or node.change is not None or node.rate is not None:
                continue
            earlier = earlier_level(statement, index)
            if earlier is None:
                continue
            seen += 1
            now, before = figure(node.level, name(node)), figure(earlier.level, name(earlier))
            if check_sum(now, [before]).holds:
                ctx.passed()
                continue
            moved = now.value - before.value
            actual = Text(zh="增加" if moved > 0 else "减少", en="an increase" if moved > 0 else "a decrease")
            detail = Text(
                zh=f"的变动说明为“持平”，但 {money(now.value)}万元 比 {money(before.value)}万元 实为{actual.zh}{money(abs(moved))}万元",
                en=f"is said to be unchanged, but {money(now.value)} against {money(before.value)} is {actual.en} of {money(abs(moved))}",
            )
            ctx.fail(
                node.level.span,
                {"total_label": name(node), "detail": detail, "stated": "持平", "computed": actual.zh},
                evidence=Evidence(stated="持平", computed=f"{actual.zh}{money(abs(moved))}", terms=[now.term(), before.term()]),
                suggestion=Text(
                    zh=f"将“持平”改为“{actual.zh}{money(abs(moved))}万元”，或核对两年数字",
                    en=f"say it changed ({actual.en} of {money(abs(moved))}), or check both figures",
                ),
                subject=name(node),
                related=[earlier.level.span],
            )
    return seen


def _english(equation: str) -> str:
    return equation.replace("上年", "last year").replace("年 ", " ")


def _shown(result: RatioResult, places: int) -> str:
    """The computed rate rounded to the stated rate's decimals."""
    q = Decimal(1).scaleb(-places)
    return f"{abs(result.computed).quantize(q)}%"


def _report(ctx: CheckContext, case: RateCase, result: RatioResult, copied: str | None) -> None:
    node = case.node
    stated = node.rate.text
    places = -node.rate.value.as_tuple().exponent if node.rate.value.as_tuple().exponent < 0 else 0
    computed = f"{abs(result.computed).quantize(CENT)}%"
    rounded = _shown(result, places)
    allowed = result.bounds()
    # within one unit of the last digit the allowed range says nothing the rounded value does not:
    # the message gives the computed value to one more decimal and what it rounds to
    computed_shown = f"{abs(result.computed).quantize(Decimal(1).scaleb(-max(2, places + 1)))}%" if result.near else computed
    limits = Text(zh="", en="") if result.near else Text(zh=f"（允许 {allowed}%）", en=f" (allowed {allowed}%)")
    if result.near:
        cause = Text(
            zh=f"；相差不超过末位一个单位，属四舍五入口径差异，按四舍五入应为 {rounded}",
            en=f"; within one unit of the last digit (publisher rounding): rounded it reads {rounded}",
        )
        suggestion = Text(zh=f"将 {stated} 改为 {rounded}（可不改）", en=f"{stated} could read {rounded}")
        diagnosis = Text(zh="末位舍入差异", en="rounding of the last digit")
    elif copied is not None:
        cause = Text(
            zh=f"；{stated} 与同段另一增减幅度 {copied} 相同，疑为照抄，应为 {rounded}",
            en=f"; {stated} is the same as another rate of this paragraph ({copied}): copied by mistake? It should read {rounded}",
        )
        suggestion = Text(zh=f"将增减幅度 {stated} 更正为 {rounded}", en=f"correct the rate {stated} to {rounded}")
        diagnosis = Text(zh=f"疑为照抄同段增减幅度 {copied}", en=f"copied from the rate {copied} of the same paragraph")
    elif mistyped(abs(node.rate.value), abs(result.computed).quantize(Decimal(1).scaleb(-places))):
        cause = Text(zh=f"，疑为数字笔误，应为 {rounded}", en=f"; a mistyped digit? It should read {rounded}")
        suggestion = Text(zh=f"将增减幅度 {stated} 更正为 {rounded}", en=f"correct the rate {stated} to {rounded}")
        diagnosis = Text(zh=f"数字笔误：{stated} → {rounded}", en=f"mistyped: {stated} → {rounded}")
    else:
        cause = Text(zh=f"，应为 {rounded}", en=f"; it should read {rounded}")
        suggestion = Text(zh=f"将增减幅度 {stated} 更正为 {rounded}，或核对增减额与上年数", en=f"correct the rate {stated} to {rounded}, or check the change and last year's figure")
        diagnosis = None
    detail = Text(
        zh=f"的增减幅度 {stated} 与 {case.equation} = {computed_shown} 不符{limits.zh}{cause.zh}",
        en=f"rate {stated} does not match {_english(case.equation)} = {computed_shown}{limits.en}{cause.en}",
    )
    values = {"total_label": name(node), "detail": detail, "stated": stated, "computed": computed}
    ctx.fail(
        node.rate.span,
        values,
        evidence=Evidence(
            stated=stated,
            computed=computed,
            tolerance=allowed + "%",
            terms=[case.moved.term(), case.base.term()],
            diagnosis=diagnosis,
        ),
        suggestion=suggestion,
        subject=name(node),
        related=case.related,
        severity=Severity.INFO if result.near else None,
    )


def _wrong_direction(ctx: CheckContext, case: RateCase, direction: int) -> None:
    """`执行数150.00万元，预算安排120.00万元，比执行数增加20.00%`: the word says up, the figures went down."""
    node = case.node
    word = Text(zh="增加" if direction > 0 else "减少", en="an increase" if direction > 0 else "a decrease")
    actual = Text(zh="减少" if direction > 0 else "增加", en="a decrease" if direction > 0 else "an increase")
    before, now = case.base.value, case.base.value + case.moved.signed_value
    detail = Text(
        zh=f"的变动说明为“{word.zh}{node.rate.text}”，但 {money(now)}万元 比 {money(before)}万元 实为{actual.zh}",
        en=f"is said to show {word.en} ({node.rate.text}), but {money(now)} against {money(before)} is {actual.en}",
    )
    ctx.fail(
        node.rate.span,
        {"total_label": name(node), "detail": detail, "stated": word.zh, "computed": actual.zh},
        evidence=Evidence(stated=word.zh, computed=actual.zh, diagnosis=Text(zh="增减方向写反", en="sign slip")),
        suggestion=Text(zh=f"将“{word.zh}”改为“{actual.zh}”", en=f"describe it as {actual.en}"),
        subject=name(node),
        related=case.related,
    )

