"""B — budget arithmetic in the narrative: every stated total equals its stated parts.

The identities are data (rules/budget_narrative.yaml): a total concept, its part concepts, which
parts are required. The facts (audit/facts/amounts.py) give each sentence's amounts as a tree;
every node with parts is an identity, evaluated once per document (audit/analysis/evaluations.py)
and diagnosed in the document's one ledger (audit/analysis/ledger.py), so one slip is reported once:
the failure whose stated total is the slipped figure is the root cause, and the other failures the
same correction repairs are reported as its consequences, pointing back at it. Here: B002–B004
(narrative_identity), B005 (narrative_change) and B006 (three_costs_table: the 三公 table and the
三公 sentence, both sides of one rule). B013 is in rates.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from audit.analysis.evaluations import Evaluation, conclusive, levels_cover, match
from audit.analysis.narrative import figure as _figure, money as _money, name as _name, this_and_last
from audit.analysis.narrative import where as _where
from audit.analysis.table_findings import settle
from audit.arith import SIGN_SLIP, Figure, IdentityResult, check_sum
from audit.engine import CheckContext, kind
from audit.model import Evidence, Severity, Term, Text


# --- reporting ------------------------------------------------------------------------------------


def _equation(result: IdentityResult, change: bool) -> str:
    """`人员经费 4820.17 + 日常公用经费 988.88 = 5809.05`; changes carry their signs (`基本支出 −136.32 + …`)."""
    if change:
        body = " + ".join(f"{p.label} {_signed(p)}" for p in result.parts)
        return f"{body} = {_plus(result.computed)}"
    return " + ".join(f"{p.label} {_money(p.value)}" for p in result.parts) + f" = {_money(result.computed)}"


def _signed(figure: Figure) -> str:
    return ("−" if figure.sign < 0 else "+") + _money(figure.value)


def _plus(value: Decimal) -> str:
    return ("−" if value < 0 else "+") + _money(abs(value))


def _report(ctx: CheckContext, evaluation: Evaluation, subject: str) -> None:
    result = evaluation.result
    change = evaluation.mode == "change"
    total = result.total
    diagnosis = evaluation.diagnosis
    values: dict[str, Any] = {
        "total_label": total.label,
        "stated": _signed(total) if change else _money(total.value),
        "computed": _plus(result.computed) if change else _money(result.computed),
        "equation": _equation(result, change),
        "difference": _money(abs(result.difference)),
        "tolerance": _money(result.tolerance),
    }
    # the placeholders of the table-side templates too, for rules that declare both sides (B006)
    values["where"] = total.label
    values["parts"] = values["equation"].rsplit(" = ", 1)[0]
    related = [p.span for p in result.parts if p.span]
    severity = None
    span = total.span
    if evaluation.root is not None:
        root = evaluation.root
        fix = root.diagnosis
        where = _where(fix.figure.span)
        owner = ctx.analysis.known.owner(root)
        see = f"，见 {owner}" if owner else ""
        see_en = f", see {owner}" if owner else ""
        cause = Text(
            zh=f"此差异由同一笔误引起：{where.zh}{fix.figure.label} {fix.figure.text} 应为 {fix.corrected.text}（已在该数字处报告{see}），改正后本式亦成立",
            en=f"this follows from the same slip: {fix.figure.label} {fix.figure.text} on {where.en} should read {fix.corrected.text} (reported at that figure{see_en}); once corrected, this identity holds too",
        )
        suggestion = Text(
            zh=f"随{where.zh}的更正（{fix.figure.text} → {fix.corrected.text}）一并解决，无需另行调整",
            en=f"resolved by the correction on {where.en} ({fix.figure.text} → {fix.corrected.text}); nothing else to change",
        )
        root_span = fix.figure.span or root.result.total.span
        related = [root_span] + [r for r in related if r != root_span]
        severity = Severity.INFO
        diagnosis_text = Text(
            zh=f"连带差异：源于{where.zh}{fix.figure.label} {fix.figure.text} → {fix.corrected.text}",
            en=f"follows from the slip on {where.en}: {fix.figure.label} {fix.figure.text} → {fix.corrected.text}",
        )
    elif diagnosis is not None:
        cause = diagnosis.text
        if diagnosis.kind == SIGN_SLIP:
            span = diagnosis.figure.span or span
            word, right = ("增加", "减少") if diagnosis.figure.sign > 0 else ("减少", "增加")
            suggestion = Text(
                zh=f"将{diagnosis.figure.label}的“{word}”改为“{right}”（{word}{diagnosis.figure.text}万元 → {right}{diagnosis.figure.text}万元），或核对各项增减额",
                en=f"make {diagnosis.figure.label}'s change {diagnosis.figure.text} a {'decrease' if right == '减少' else 'increase'} ({word} → {right}), or check the changes",
            )
        elif diagnosis.corrected is not None:
            span = diagnosis.figure.span or span
            also = _knock_on(evaluation.consequences)
            suggestion = Text(
                zh=f"将{diagnosis.figure.label} {diagnosis.figure.text} 更正为 {diagnosis.corrected.text}{also.zh}",
                en=f"correct {diagnosis.figure.label} {diagnosis.figure.text} to {diagnosis.corrected.text}{also.en}",
            )
        else:
            suggestion = Text(
                zh=f"补列{diagnosis.figure.label} {diagnosis.figure.text}，或核对{total.label}与各分项",
                en=f"list {diagnosis.figure.label} {diagnosis.figure.text} among the parts, or check {total.label} and its parts",
            )
        diagnosis_text = diagnosis.text
    else:
        cause = Text(zh="", en="")
        suggestion = None
        diagnosis_text = None
    values["cause"] = Text(zh=("；" + cause.zh) if cause.zh else "", en=("; " + cause.en) if cause.en else "")
    evidence = Evidence(
        stated=values["stated"],
        computed=values["computed"],
        difference=_money(result.difference),
        tolerance=values["tolerance"],
        terms=[_term(p) for p in result.parts],
        diagnosis=diagnosis_text,
        values={"total": _term(total).as_dict(), "mode": evaluation.mode},
    )
    ctx.fail(span, values, evidence=evidence, suggestion=suggestion, subject=subject, related=related, severity=severity)


def _knock_on(knock: list) -> Text:
    """What else the correction mends: the identities that failed only because of this slip."""
    if not knock:
        return Text(zh="", en="")
    places = [_where(k.result.total.span) for k in knock]
    zh, en = "、".join(sorted({p.zh for p in places})), ", ".join(sorted({p.en for p in places}))
    return Text(zh=f"；改正后{zh}的相关等式也随之成立", en=f"; the related identities on {en} then hold as well")


def _term(figure: Figure) -> Term:
    return figure.term()


def _judge(ctx: CheckContext, evaluation: Evaluation, complete: bool, subject: str) -> None:
    """Pass, fail or stay silent. An incomplete listing (其中 naming only some parts) can only
    fail when its parts exceed the total, or when a single slip explains the gap."""
    result = evaluation.result
    if result.holds:
        ctx.passed()
        return
    if evaluation.approximate and evaluation.root is None and evaluation.diagnosis is None:
        ctx.insufficient()  # a 持平 part may account for the gap
        return
    if not conclusive(evaluation, complete):
        ctx.insufficient()
        return
    _report(ctx, evaluation, subject)


@kind("narrative_identity")
def narrative_identity(ctx: CheckContext) -> None:
    """B002/B003/B004: a stated total equals its stated parts (declared identities, or any
    `X万元，其中…` listing when the rule is `generic`)."""
    if not narrative_identities(ctx, ctx.params.get("identities", []), bool(ctx.params.get("generic"))):
        ctx.not_applicable()


@kind("three_costs_table")
def three_costs_table(ctx: CheckContext) -> None:
    """B006: in the "三公" table, 小计 = 出国 + 用车 + 接待, 用车 = 购置 + 运行, column by column;
    and the same identities where the narrative states them (declared as `narrative_identities`)."""
    identities = ctx.analysis.identities(ctx.rule)
    narrative = narrative_identities(ctx, ctx.params.get("narrative_identities", []))
    if identities is None and narrative:
        return  # the narrative side was evaluated and tallied; there is no 三公 table
    settle(ctx, identities)


def narrative_identities(ctx: CheckContext, specs: list[dict[str, Any]], generic: bool = False) -> int:
    """Evaluate the narrative identities declared by `specs` (each {total, parts, optional}) and
    report them on ctx; returns how many were evaluated (B006 passes its narrative side here)."""
    known = ctx.analysis.known
    declared = known.identities
    mine, others = known.split(specs)
    seen = 0
    for evaluation in ctx.analysis.ledger.narrative:
        if evaluation.mode != "level":
            continue
        matched = match(evaluation, mine)
        if matched is None:
            if not generic or match(evaluation, others) is not None:
                continue
            known = match(evaluation, declared, any_head=True)  # 部门预算 … 其中 基本支出 …, 项目支出 …
            complete = known is not None and known[1]
        else:
            complete = matched[1]
        seen += 1
        _judge(ctx, evaluation, complete, _name(evaluation.head_node))
    return seen


# --- B005: year-on-year changes --------------------------------------------------------------


@kind("narrative_change")
def narrative_change(ctx: CheckContext) -> None:
    """B005: the stated change of a total = the signed sum of its parts' changes; and where last
    year's figure is stated, this year − last year = the stated change."""
    seen = 0
    for evaluation in ctx.analysis.ledger.narrative:
        if evaluation.mode != "change":
            continue
        seen += 1
        # only a change split over all the parts of a known whole must add up exactly — or over
        # parts whose own levels add up to the whole's (then nothing is left out)
        known = match(evaluation, ctx.analysis.known.identities, any_head=True)
        complete = (known is not None and known[1]) or levels_cover(evaluation)
        _judge(ctx, evaluation, complete, _name(evaluation.head_node))
    for this, last, change in this_and_last(ctx.document):
        if change.change_sign is None:
            continue
        seen += 1
        label = _name(this)
        terms = [_figure(this.level, f"{this.year}年{label}"), _figure(last.level, f"{last.year}年{label}", sign=-1)]
        # the direction word is B013's business: here only the size of the change is compared
        results = [check_sum(_figure(change.change, f"{label}增减额", sign), terms) for sign in (1, -1)]
        diff = results[0]
        if any(r.holds for r in results):
            ctx.passed()
            continue
        values = {
            "total_label": f"{label}增减额",
            "stated": _money(change.change.in_wan),
            "computed": _money(abs(diff.computed)),
            "equation": f"{this.year}年 {_money(this.level.in_wan)} − {last.year}年 {_money(last.level.in_wan)} = {_money(diff.computed)}",
            "difference": _money(abs(abs(diff.computed) - change.change.in_wan)),
            "tolerance": _money(diff.tolerance),
            "cause": Text(zh="", en=""),
        }
        ctx.fail(
            change.change.span,
            values,
            evidence=Evidence(
                stated=values["stated"],
                computed=values["computed"],
                difference=values["difference"],
                tolerance=values["tolerance"],
                terms=[_term(t) for t in diff.parts],
            ),
            subject=label,
            related=[this.level.span, last.level.span],
        )
    if not seen:
        ctx.not_applicable()
