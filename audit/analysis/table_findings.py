"""What a failed table identity says: its numbers, the slip the ledger (ledger.py) finds behind it —
named here, or a knock-on pointing at where it is named — and a suggestion. `settle` tallies one
table rule's identities on its check context; the table rules (checks/budget_tables.py) and B006's
table side (checks/budget_narrative.py) report through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from audit import arith
from audit.analysis.ledger import signature
from audit.analysis.tables import Identity, Outcome, at_most, fmt
from audit.arith import IdentityResult
from audit.model import Evidence, Text

if TYPE_CHECKING:
    from audit.engine import CheckContext


def settle(ctx: CheckContext, identities: list[Identity] | None) -> None:
    """Tally every identity (None: nothing to check here) and report each failing column with the slip
    that explains it; a failure caused by a slip reported elsewhere points there."""
    if identities is None:
        ctx.not_applicable()
        return
    ledger = ctx.analysis.ledger.verdicts(identities)
    for identity in identities:
        if not identity.outcomes:
            ctx.insufficient()
            continue
        failed = [o for o in identity.outcomes if not o.result.holds]
        if not failed:
            ctx.passed()
            continue
        for outcome in failed:
            if outcome.exact:
                diagnosis, is_root = ledger.get(signature(outcome.result), (None, False))
            else:
                diagnosis, is_root = _repairs_relation(outcome.result, ledger), False
            _report(ctx, identity, outcome, diagnosis, is_root)


def _repairs_relation(result: IdentityResult, ledger: dict[tuple, tuple[arith.Diagnosis, bool]]) -> arith.Diagnosis | None:
    """A `≤` relation broken by a slip diagnosed elsewhere: correcting that figure restores it."""
    for diagnosis, _ in ledger.values():
        if diagnosis.corrected is None or diagnosis.figure.span is None:
            continue
        figures = list(result.figures)
        for index, figure in enumerate(figures):
            if figure.span == diagnosis.figure.span:
                figures[index] = figure.with_shown(diagnosis.corrected.shown)
                if at_most(figures[0], figures[1]):
                    return diagnosis
    return None


def _report(ctx: CheckContext, identity: Identity, outcome: Outcome, diagnosis: arith.Diagnosis | None,
            is_root: bool) -> None:
    result = outcome.result
    related = list(outcome.related)
    if diagnosis is not None and not is_root:
        where = diagnosis.figure.span
        line = where.line if where else result.total.span.line
        at = ctx.document.located(line)
        cause = Text(
            zh=f"；这是 {diagnosis.figure.label} {diagnosis.figure.text} 处错误的连带结果（见{at.zh}）",
            en=f"; a consequence of the slip in {diagnosis.figure.label} {diagnosis.figure.text} (see {at.en})",
        )
        if where and where not in related:
            related.append(where)
    elif diagnosis is not None:
        cause = Text(zh=f"；{diagnosis.text.zh}", en=f"; {diagnosis.text.en}")
    else:
        cause = Text(zh="", en="")
    suggestion = _suggestion(diagnosis, outcome) if diagnosis else None
    diagnosis_text = diagnosis.text if diagnosis else None
    difference = result.difference
    evidence = Evidence(
        stated=fmt(result.stated),
        computed=fmt(result.computed),
        difference=fmt(difference),
        tolerance=fmt(result.tolerance),
        terms=[result.total.term(), *result.terms()],
        diagnosis=diagnosis_text,
    )
    ctx.fail(
        outcome.span,
        {
            "where": _written(outcome.subject),
            "parts": _written(outcome.parts),
            "stated": fmt(result.stated),
            "computed": fmt(result.computed),
            "difference": fmt(abs(difference)),
            "cause": cause,
            **outcome.values,
        },
        evidence=evidence,
        suggestion=suggestion,
        subject=identity.table,
        related=related,
    )


def _written(text: Text | Callable[[], Text]) -> Text:
    return text() if callable(text) else text


def _suggestion(diagnosis: arith.Diagnosis, outcome: Outcome) -> Text | None:
    figure = diagnosis.figure
    if diagnosis.corrected is not None:
        return Text(
            zh=f"核对 {figure.label}：若应为 {diagnosis.corrected.text}，改正后此项即平衡",
            en=f"Check {figure.label}: if it should read {diagnosis.corrected.text}, the identity holds",
        )
    if diagnosis.kind == arith.MISSING_TERM:
        return Text(
            zh=f"核对是否漏列或多列了 {figure.label} {figure.text}",
            en=f"Check whether {figure.label} {figure.text} was left out or counted twice",
        )
    return None
