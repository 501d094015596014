"""B — one ledger per document of every equality the table rules evaluate, so a slip is diagnosed
alike everywhere: it is named where it stands (the identity whose stated figure it is) and the
failures it causes elsewhere point back to it. `settle` tallies a rule's identities and reports.
"""

from __future__ import annotations

from typing import Any, Callable

from audit import arith
from audit.arith import Figure, IdentityResult
from audit.engine import CheckContext
from audit.model import Evidence, Text
from audit.rules import load_rules
from audit.engine import load_kinds
from audit.checks.budget_tables import GENERATORS, Identity, Outcome, _fmt, _identities, _le, _shared


def _signature(result: IdentityResult) -> tuple:
    return tuple((f.span.line, f.span.column) if f.span else (f.label, f.text) for f in result.figures)


def _diagnoses(failures: list[tuple[IdentityResult, list[Figure]]], everything: list[IdentityResult]) -> dict[tuple, tuple[arith.Diagnosis, bool]]:
    """Per failed identity (by signature): the slip that best explains it — consistent with every
    identity that holds, and among those the one that explains the most failures (a cascade's root) —
    and whether this failure is where that slip is named (its stated figure is the slip, or no
    failure states it and this is the first it explains) rather than a knock-on effect."""
    holding: dict[tuple[int, int], list[IdentityResult]] = {}  # where a figure stands → the identities it is in
    for result in everything:
        for where in _places(result):
            holding.setdefault(where, []).append(result)
    options: dict[tuple, dict[tuple, arith.Diagnosis]] = {}
    for result, nearby in failures:
        found = [d for d in arith.candidates(result, nearby) if arith.consistent_with(d, _at(holding, d))]
        options[_signature(result)] = {d.key: d for d in found}
    score: dict[tuple, int] = {}
    for found in options.values():
        for key in found:
            score[key] = score.get(key, 0) + 1
    chosen: dict[tuple, arith.Diagnosis] = {}
    for signature, found in options.items():
        if found:
            best = max(score[k] for k in found)
            top = [d for k, d in found.items() if score[k] == best]
            if len(top) == 1:
                chosen[signature] = top[0]
    slips: dict[tuple[int, int], dict[tuple, arith.Diagnosis]] = {}  # where → the chosen slips there, by key
    for d in chosen.values():
        if d.figure.span is not None:
            slips.setdefault((d.figure.span.line, d.figure.span.column), {})[d.key] = d
    for result, _ in failures:  # a failure without a slip of its own may be the knock-on of another's
        signature = _signature(result)
        if signature not in chosen:
            # only a slip at one of this identity's figures can explain it
            explained = [d for where in _places(result) for d in slips.get(where, {}).values() if arith.explains(d, result)]
            if len(explained) == 1:
                chosen[signature] = d = explained[0]
                slips[(d.figure.span.line, d.figure.span.column)][d.key] = d
    roots: dict[tuple, tuple] = {}
    ordered = sorted((_signature(r) for r, _ in failures), key=lambda sig: sig[0] if isinstance(sig[0][0], int) else (0, 0))
    for signature in ordered:
        d = chosen.get(signature)
        if d is None:
            continue
        if _is_own(signature, d):
            if not _is_own(roots.get(d.key), d):
                roots[d.key] = signature
        else:
            roots.setdefault(d.key, signature)
    return {sig: (d, _is_own(sig, d) or roots.get(d.key) == sig) for sig, d in chosen.items()}


def _places(result: IdentityResult) -> dict[tuple[int, int], None]:
    """Where the identity's figures stand, each place once, in order."""
    return dict.fromkeys((f.span.line, f.span.column) for f in result.figures if f.span)


def _at(holding: dict[tuple[int, int], list[IdentityResult]], diagnosis: arith.Diagnosis) -> list[IdentityResult]:
    """The identities that hold the diagnosed figure: the only ones its correction may break."""
    span = diagnosis.figure.span
    return holding.get((span.line, span.column), []) if span is not None else []


def _is_own(signature: tuple | None, diagnosis: arith.Diagnosis) -> bool:
    """Is the diagnosed figure this identity's stated figure (the first of its signature)?"""
    span = diagnosis.figure.span
    return bool(signature) and span is not None and signature[0] == (span.line, span.column)


def _ledger(document: Any) -> dict[tuple, tuple[arith.Diagnosis, bool]]:
    """Diagnoses over every equality the table rules evaluate on this document, so that one slip is
    explained the same way, and named once, by all of B001/B006/B007/B008/B009."""
    shared = _shared(document)
    if shared.ledger is not None:
        return shared.ledger
    outcomes: list[Outcome] = []
    load_kinds()  # every rule module has registered its generator
    for rule in load_rules():
        generator = GENERATORS.get(rule.kind)
        if generator is None:
            continue
        for identity in _identities(document, rule.params, generator) or []:
            outcomes.extend(o for o in identity.outcomes if o.exact)
    failures = [(o.result, o.nearby) for o in outcomes if not o.result.holds]
    shared.ledger = _diagnoses(failures, [o.result for o in outcomes]) if failures else {}
    return shared.ledger


def settle(ctx: CheckContext, identities: list[Identity] | None) -> None:
    """Tally every identity (None: nothing to check here) and report each failing column with the slip
    that explains it; a failure caused by a slip reported elsewhere points there."""
    if identities is None:
        ctx.not_applicable()
        return
    failures = [o for i in identities for o in i.outcomes if not o.result.holds and o.exact]
    ledger = _ledger(ctx.document) if failures else {}
    if any(_signature(o.result) not in ledger for o in failures):  # params differ from the shipped rules
        local = [o.result for i in identities for o in i.outcomes if o.exact]
        ledger = {**_diagnoses([(o.result, o.nearby) for o in failures], local), **ledger}
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
                diagnosis, is_root = ledger.get(_signature(outcome.result), (None, False))
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
                if _le(figures[0], figures[1]):
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
        if where:
            related.append(where)
    elif diagnosis is not None:
        cause = Text(zh=f"；{diagnosis.text.zh}", en=f"; {diagnosis.text.en}")
    else:
        cause = Text(zh="", en="")
    suggestion = _suggestion(diagnosis, outcome) if diagnosis else None
    diagnosis_text = diagnosis.text if diagnosis else None
    difference = result.difference
    evidence = Evidence(
        stated=_fmt(result.stated),
        computed=_fmt(result.computed),
        difference=_fmt(difference),
        tolerance=_fmt(result.tolerance),
        terms=[result.total.term(), *result.terms()],
        diagnosis=diagnosis_text,
    )
    ctx.fail(
        outcome.span,
        {
            "where": _written(outcome.subject),
            "parts": _written(outcome.parts),
            "stated": _fmt(result.stated),
            "computed": _fmt(result.computed),
            "difference": _fmt(abs(difference)),
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
