"""One ledger per document of the figures its identities state and the slips that explain their
failures, fed by both families: the narrative's identities (evaluations.py) and the tables' (every
table rule of the run: identities.py, agreements.py). A slip is diagnosed once, where it is named —
the identity whose stated figure it is, or the first failure it explains — and every other failure
it explains, narrative or table, is a knock-on that points back at it. In particular a table
identity that reads a narrative figure (B007 against the narrative) is a knock-on of the slip the
narrative's own identity names there.

The narrative's failures are diagnosed sentence by sentence (a narrative figure stands in one
sentence, so the identities one slip can break are all among that sentence's); the tables' all
together, each failure's slip chosen consistent with every identity that holds and, among those,
the one that explains the most failures (a cascade's root).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit import arith
from audit.analysis.evaluations import Evaluation, conclusive, evaluations, match, nearby
from audit.analysis.identities import GENERATORS
from audit.analysis.tables import Identity, Outcome
from audit.arith import Diagnosis, Figure, IdentityResult, candidates, consistent_with, explains

if TYPE_CHECKING:
    from audit.analysis import Analysis

Place = tuple[int, int]  # (line, column) where a figure stands
Verdict = tuple[Diagnosis, bool]  # the slip that explains a failure, and whether the failure names it


class Ledger:
    """The slips of one document: the narrative's evaluations diagnosed and linked, the slips they
    name by place, and (asked for only when a table identity fails) the table failures' verdicts."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.narrative: list[Evaluation] = evaluations(analysis.document)
        by_statement: dict[int, list[Evaluation]] = {}
        for evaluation in self.narrative:
            by_statement.setdefault(id(evaluation.statement), []).append(evaluation)
        for group in by_statement.values():
            _link(group)
        self.named: dict[Place, dict[tuple, Diagnosis]] = {}  # the narrative's slips, where they are reported
        known = analysis.known.identities
        for evaluation in self.narrative:
            d = evaluation.diagnosis
            if evaluation.root is not None or d is None or d.corrected is None or d.figure.span is None:
                continue
            complete = (found := match(evaluation, known, any_head=True)) is not None and found[1]
            if conclusive(evaluation, complete):  # reported there, not left as insufficient data
                self.named.setdefault(_place(d.figure), {})[d.key] = d
        self._table: dict[tuple, Verdict] | None = None

    @property
    def table(self) -> dict[tuple, Verdict]:
        """Verdicts over every equality the run's table rules evaluate on this document, so that one
        slip is explained the same way, and named once, by all of B001/B006/B007/B008/B009."""
        if self._table is None:
            outcomes: list[Outcome] = []
            for rule in self.analysis.rules:
                if rule.kind in GENERATORS:
                    for identity in self.analysis.identities(rule) or []:
                        outcomes.extend(o for o in identity.outcomes if o.exact)
            failures = [(o.result, o.nearby) for o in outcomes if not o.result.holds]
            self._table = self._diagnoses(failures, [o.result for o in outcomes]) if failures else {}
        return self._table

    def verdicts(self, identities: list[Identity]) -> dict[tuple, Verdict]:
        """The verdicts of one rule's failing equalities. A failure the ledger leaves undiagnosed (two
        slips explain it equally well) may still have one slip among this rule's own identities."""
        failures = [o for i in identities for o in i.outcomes if not o.result.holds and o.exact]
        ledger = self.table if failures else {}
        if any(signature(o.result) not in ledger for o in failures):
            local = [o.result for i in identities for o in i.outcomes if o.exact]
            ledger = {**self._diagnoses([(o.result, o.nearby) for o in failures], local), **ledger}
        return ledger

    def _diagnoses(self, failures: list[tuple[IdentityResult, list[Figure]]], everything: list[IdentityResult]) -> dict[tuple, Verdict]:
        """The failures a slip the narrative names explains are its knock-ons; the others are
        diagnosed together (table_diagnoses)."""
        foreign: dict[tuple, Verdict] = {}
        for result, _ in failures:
            explained = [d for where in _places(result) for d in self.named.get(where, {}).values() if explains(d, result)]
            if len(explained) == 1:
                foreign[signature(result)] = (explained[0], False)
        own = [(r, n) for r, n in failures if signature(r) not in foreign]
        return {**(table_diagnoses(own, everything) if own else {}), **foreign}


def _place(figure: Figure) -> Place:
    return (figure.span.line, figure.span.column)


# --- the tables: every failure of every rule diagnosed together ----------------------------------


def signature(result: IdentityResult) -> tuple:
    return tuple((f.span.line, f.span.column) if f.span else (f.label, f.text) for f in result.figures)


def table_diagnoses(failures: list[tuple[IdentityResult, list[Figure]]], everything: list[IdentityResult]) -> dict[tuple, tuple[arith.Diagnosis, bool]]:
    """Per failed identity (by sig): the slip that best explains it — consistent with every
    identity that holds, and among those the one that explains the most failures (a cascade's root) —
    and whether this failure is where that slip is named (its stated figure is the slip, or no
    failure states it and this is the first it explains) rather than a knock-on effect."""
    holding: dict[tuple[int, int], list[IdentityResult]] = {}  # where a figure stands → the identities it is in
    for result in everything:
        for where in _places(result):
            holding.setdefault(where, []).append(result)
    options: dict[tuple, dict[tuple, arith.Diagnosis]] = {}
    for result, near in failures:
        found = [d for d in arith.candidates(result, near) if arith.consistent_with(d, _at(holding, d))]
        options[signature(result)] = {d.key: d for d in found}
    score: dict[tuple, int] = {}
    for found in options.values():
        for key in found:
            score[key] = score.get(key, 0) + 1
    chosen: dict[tuple, arith.Diagnosis] = {}
    for sig, found in options.items():
        if found:
            best = max(score[k] for k in found)
            top = [d for k, d in found.items() if score[k] == best]
            if len(top) == 1:
                chosen[sig] = top[0]
    slips: dict[tuple[int, int], dict[tuple, arith.Diagnosis]] = {}  # where → the chosen slips there, by key
    for d in chosen.values():
        if d.figure.span is not None:
            slips.setdefault((d.figure.span.line, d.figure.span.column), {})[d.key] = d
    for result, _ in failures:  # a failure without a slip of its own may be the knock-on of another's
        sig = signature(result)
        if sig not in chosen:
            # only a slip at one of this identity's figures can explain it
            explained = [d for where in _places(result) for d in slips.get(where, {}).values() if arith.explains(d, result)]
            if len(explained) == 1:
                chosen[sig] = d = explained[0]
                slips[(d.figure.span.line, d.figure.span.column)][d.key] = d
    roots: dict[tuple, tuple] = {}
    ordered = sorted((signature(r) for r, _ in failures), key=lambda sig: sig[0] if isinstance(sig[0][0], int) else (0, 0))
    for sig in ordered:
        d = chosen.get(sig)
        if d is None:
            continue
        if _is_own(sig, d):
            if not _is_own(roots.get(d.key), d):
                roots[d.key] = sig
        else:
            roots.setdefault(d.key, sig)
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

# --- the narrative: the failures of one sentence diagnosed together -------------------------------


def _choose(evaluation: Evaluation, failed: list[Evaluation], holding: list[IdentityResult]) -> Diagnosis | None:
    """The one slip that explains this failure, consistent with every identity that holds.

    When several single slips would do, the one that also repairs the most other failures wins."""
    found = [d for d in candidates(evaluation.result, nearby(evaluation.statement)) if consistent_with(d, holding)]
    distinct = {d.key: d for d in found}
    if len(distinct) <= 1:
        return next(iter(distinct.values()), None)
    reach = {
        key: sum(1 for other in failed if other is not evaluation and explains(d, other.result))
        for key, d in distinct.items()
    }
    best = max(reach.values())
    winners = [key for key, count in reach.items() if count == best]
    return distinct[winners[0]] if best > 0 and len(winners) == 1 else None


def _link(evaluations: list[Evaluation]) -> None:
    """Diagnose every failure and link the ones that a single correction repairs to one root.

    A figure stands in one sentence only, so the identities one slip can break are all among
    that sentence's: the evaluations of one statement are linked together."""
    failed = [e for e in evaluations if not e.result.holds]
    holding = [e.result for e in evaluations if e.result.holds]
    for evaluation in failed:
        evaluation.diagnosis = _choose(evaluation, failed, holding)
    for evaluation in failed:
        diagnosis = evaluation.diagnosis
        if diagnosis is None or diagnosis.corrected is None or evaluation.root is not None:
            continue
        group = [evaluation] + [
            other for other in failed if other is not evaluation and other.root is None and explains(diagnosis, other.result)
        ]
        if len(group) == 1:
            continue
        # the root is the identity whose stated total is the slipped figure (that is where it was checked)
        root = next((e for e in group if e.diagnosis is not None and e.diagnosis.key == diagnosis.key and e.diagnosis.is_total), evaluation)
        for other in group:
            if other is not root:
                other.root = root
                root.consequences.append(other)
