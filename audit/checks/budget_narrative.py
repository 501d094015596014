"""B — budget arithmetic in the narrative: every stated total equals its stated parts.

The identities are data (rules/budget_narrative.yaml): a total concept, its part concepts, which
parts are required. The facts (audit/facts/amounts.py) give each sentence's amounts as a tree;
every node with parts is an identity, evaluated once per document on intervals (audit/arith.py).
Evaluating them all together lets one slip be reported once: the failure whose stated total is the
slipped figure is the root cause, and the other failures that the same correction repairs are
reported as its consequences, pointing back at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from audit.arith import (
    SIGN_SLIP,
    TRANSPOSITION,
    Diagnosis,
    Figure,
    IdentityResult,
    candidates,
    check_sum,
    consistent_with,
    display,
    explains,
)
from audit.engine import CheckContext, Document, kind
from audit.facts.amounts import Node, Statement
from audit.model import Evidence, Severity, Span, Term, Text

from audit.checks.narrative_common import figure as _figure, money as _money, name as _name
from audit.checks.narrative_common import where as _where
from audit.checks.rates import check_flat, check_rates


# --- evaluation of every narrative identity, once per document -----------------------------------


@dataclass
class Evaluation:
    """One identity of the narrative: a node's level (or its change) against its parts."""

    statement: Statement
    head: int
    parts: list[int]
    mode: str  # "level" | "change"
    result: IdentityResult
    approximate: bool = False  # a part is 与上年持平 (about zero, no figure)
    diagnosis: Diagnosis | None = None
    root: "Evaluation | None" = None  # set on a knock-on failure: the failure that explains it
    consequences: list["Evaluation"] = field(default_factory=list)

    @property
    def head_node(self) -> Node:
        return self.statement.nodes[self.head]

    @property
    def part_nodes(self) -> list[Node]:
        return [self.statement.nodes[i] for i in self.parts]


def _level_evaluation(statement: Statement, head: int, parts: list[int]) -> Evaluation | None:
    node = statement.nodes[head]
    with_level = [i for i in parts if statement.nodes[i].level is not None]
    if node.level is None or not with_level:
        return None
    total = _figure(node.level, _name(node))
    terms = [_figure(statement.nodes[i].level, _name(statement.nodes[i])) for i in with_level]
    return Evaluation(statement, head, with_level, "level", check_sum(total, terms))


def _change_evaluation(statement: Statement, head: int, parts: list[int]) -> Evaluation | None:
    node = statement.nodes[head]
    if node.change is None or node.change_sign is None:
        return None
    terms: list[Figure] = []
    approximate = False
    for i in parts:
        part = statement.nodes[i]
        if part.flat and part.change is None:
            if part.roughly:
                approximate = True  # 与上年基本持平: about zero, so it can only support a pass
            else:  # 与上年持平: no change at all, a term of exactly zero
                terms.append(Figure(Decimal(0), f"{_name(part)}（持平）", span=part.level.span if part.level else None, exact=True))
            continue
        if part.change is None or part.change_sign is None:
            return None  # a part without its change (or without a direction word): cannot add up
        terms.append(_figure(part.change, _name(part), part.change_sign, signed=True))
    if not terms:
        return None
    total = _figure(node.change, _name(node), node.change_sign, signed=True)
    return Evaluation(statement, head, parts, "change", check_sum(total, terms), approximate=approximate)


def _levels_cover(evaluation: Evaluation) -> bool:
    """Do the parts' levels add up to their whole's level (so the listing leaves nothing out)?"""
    head = evaluation.head_node
    parts = evaluation.part_nodes
    if head.level is None or len(parts) < 2 or any(p.level is None for p in parts):
        return False
    return check_sum(_figure(head.level, ""), [_figure(p.level, "") for p in parts]).holds


def _nearby(statement: Statement) -> list[Figure]:
    return [_figure(n.level, _name(n)) for n in statement.nodes if n.level is not None]


def _choose(evaluation: Evaluation, failed: list[Evaluation], holding: list[IdentityResult]) -> Diagnosis | None:
    """The one slip that explains this failure, consistent with every identity that holds.

    When several single slips would do, the one that also repairs the most other failures wins."""
    found = [d for d in candidates(evaluation.result, _nearby(evaluation.statement)) if consistent_with(d, holding)]
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


def evaluations(document: Document) -> list[Evaluation]:
    """All narrative identities of a document, evaluated and linked (once per document)."""
    return document.derived("narrative evaluations", lambda: _evaluations(document))


def _evaluations(document: Document) -> list[Evaluation]:
    out: list[Evaluation] = []
    for statement in document.facts.narrative.statements:
        children: dict[int, list[int]] = {}
        for index, node in enumerate(statement.nodes):
            if node.parent is not None:
                children.setdefault(node.parent, []).append(index)
        mine: list[Evaluation] = []
        for head, parts in children.items():
            for build in (_level_evaluation, _change_evaluation):
                evaluation = build(statement, head, parts)
                if evaluation is not None:
                    mine.append(evaluation)
        _link(mine)
        out.extend(mine)
    return out


# --- declared identities (rule params) ------------------------------------------------------------


@dataclass
class Identity:
    """total = Σ parts, as declared in a rule's params; `optional` parts may be stated or not."""

    total: set[str]
    parts: list[set[str]]
    optional: list[set[str]]
    rule: str = field(default="", compare=False)  # the rule that declares it

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> "Identity":
        def groups(key: str) -> list[set[str]]:
            return [set([g] if isinstance(g, str) else g) for g in spec.get(key, [])]

        total = spec["total"]
        return cls(set([total] if isinstance(total, str) else total), groups("parts"), groups("optional"))


def _identities(params: dict[str, Any]) -> list[Identity]:
    return [Identity.parse(spec) for spec in params.get("identities", [])]


def _match(evaluation: Evaluation, identities: list[Identity], any_head: bool = False) -> tuple[Identity, bool] | None:
    """Does the evaluation instantiate a declared identity? → (identity, every required part stated).

    With `any_head`, a total whose label names no known concept (`部门预算较2019年增加…`) matches
    any identity its parts fit: 基本支出 + 项目支出 are a whole whatever the total is called."""
    head = evaluation.head_node.concept
    concepts = {n.concept for n in evaluation.part_nodes}
    if (head is None and not any_head) or None in concepts or len(concepts) != len(evaluation.parts):
        return None
    by_total = {name: other for other in identities for name in other.total}

    def whole(identity: Identity, depth: int = 0) -> bool:
        """Every required part stated, directly or through its own declared parts."""
        if not identity.parts or depth > 3:
            return False
        return all(
            group & concepts or any(name in by_total and whole(by_total[name], depth + 1) for name in group)
            for group in identity.parts
        )

    for identity in identities:
        if head is not None and head not in identity.total:
            continue
        # a part may be stated through its own parts (公务用车购置及运行费 as 购置费 + 运行费)
        allowed: set[str] = set()
        for group in identity.parts + identity.optional:
            allowed |= group
            for name in group:
                if name in by_total:
                    allowed |= set().union(*by_total[name].parts, *by_total[name].optional)
        if concepts <= allowed:
            return identity, whole(identity)
    return None


def _all_declared() -> list[Identity]:
    """Identities declared by every shipped narrative_identity rule: what is known to be a whole."""
    from audit.rules import load_rules

    global _DECLARED
    if _DECLARED is None:
        _DECLARED = []
        for rule in load_rules():
            # narrative_identity rules declare `identities`; another family's rule may declare the
            # narrative side of its identity as `narrative_identities` (B006: the 三公 sentence).
            if rule.kind == "narrative_identity":
                specs = rule.params
            elif "narrative_identities" in rule.params:
                specs = {"identities": rule.params["narrative_identities"]}
            else:
                continue
            for identity in _identities(specs):
                identity.rule = rule.id
                _DECLARED.append(identity)
        _GENERIC.extend(r.id for r in load_rules() if r.kind == "narrative_identity" and r.params.get("generic"))
        _GENERIC.extend(r.id for r in load_rules() if r.kind == "narrative_change")
    return _DECLARED


_DECLARED: list[Identity] | None = None
_GENERIC: list[str] = []  # the generic listing rule, then the change rule (where undeclared identities go)


def _owner(evaluation: Evaluation) -> str | None:
    """The rule that reports an evaluation (for pointing a consequence at its root)."""
    declared = _all_declared()
    if evaluation.mode == "change":
        return _GENERIC[-1] if _GENERIC else None
    matched = _match(evaluation, declared)
    if matched is not None:
        return matched[0].rule
    return _GENERIC[0] if _GENERIC else None


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
        owner = _owner(root)
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
            knock = evaluation.consequences
            also = ""
            also_en = ""
            if knock:
                lines = "、".join(sorted({_where(k.result.total.span).zh for k in knock}))
                also = f"；改正后{lines}的相关等式也随之成立"
                also_en = "; the related identities on " + ", ".join(sorted({_where(k.result.total.span).en for k in knock})) + " then hold as well"
            suggestion = Text(
                zh=f"将{diagnosis.figure.label} {diagnosis.figure.text} 更正为 {diagnosis.corrected.text}{also}",
                en=f"correct {diagnosis.figure.label} {diagnosis.figure.text} to {diagnosis.corrected.text}{also_en}",
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
    if not complete and evaluation.root is None:
        exceeds = result.difference * result.total.sign < 0 and evaluation.mode == "level"
        # a unit slip or a sign slip could be a coincidence of the parts left out; two swapped digits
        # that restore the sum exactly are not
        slip = evaluation.diagnosis is not None and evaluation.diagnosis.kind == TRANSPOSITION
        # a slip that also explains other failures is no coincidence either (and they point here)
        if not (exceeds or slip or evaluation.consequences):
            ctx.insufficient()
            return
    _report(ctx, evaluation, subject)


@kind("narrative_identity")
def narrative_identity(ctx: CheckContext) -> None:
    """B002/B003/B004: a stated total equals its stated parts (declared identities, or any
    `X万元，其中…` listing when the rule is `generic`)."""
    if not narrative_identities(ctx, ctx.params.get("identities", []), bool(ctx.params.get("generic"))):
        ctx.not_applicable()


def narrative_identities(ctx: CheckContext, specs: list[dict[str, Any]], generic: bool = False) -> int:
    """Evaluate the narrative identities declared by `specs` (each {total, parts, optional}) and
    report them on ctx; returns how many were evaluated. Callable from another rule's kind (the
    table-side B006 can pass its narrative identities here)."""
    declared = _all_declared()
    mine, others = _split(specs, declared)
    seen = 0
    for evaluation in evaluations(ctx.document):
        if evaluation.mode != "level":
            continue
        matched = _match(evaluation, mine)
        if matched is None:
            if not generic or _match(evaluation, others) is not None:
                continue
            known = _match(evaluation, declared, any_head=True)  # 部门预算 … 其中 基本支出 …, 项目支出 …
            complete = known is not None and known[1]
        else:
            complete = matched[1]
        seen += 1
        _judge(ctx, evaluation, complete, _name(evaluation.head_node))
    return seen


_SPLITS: dict[int, tuple] = {}  # id(specs) → (specs, declared, mine, others); specs held, so ids stay theirs


def _split(specs: list[dict[str, Any]], declared: list[Identity]) -> tuple[list[Identity], list[Identity]]:
    """(the identities `specs` declare, the other declared ones), parsed once per rule's params."""
    if not specs:
        return [], declared
    entry = _SPLITS.get(id(specs))
    if entry is None or entry[0] is not specs or entry[1] is not declared:
        mine = [Identity.parse(spec) for spec in specs]
        entry = _SPLITS[id(specs)] = (specs, declared, mine, [i for i in declared if i not in mine])
    return entry[2], entry[3]


# --- B005 / B013: year-on-year changes --------------------------------------------------------------


def _this_and_last(document: Document) -> Iterable[tuple[Node, Node, Node]]:
    """(this year's level, last year's level, the stated change) of one concept, each stated once."""
    nodes = [
        n for s in document.facts.narrative.statements for n in s.nodes if n.concept and (n.year or n.change is not None)
    ]
    years = [n.year for n in nodes if n.level is not None and n.year]
    if not years:
        return
    current = max(years)
    by_concept: dict[str, dict[str, list[Node]]] = {}
    for node in nodes:
        slot = by_concept.setdefault(node.concept, {"this": [], "last": [], "change": []})
        if node.level is not None and node.year == current:
            slot["this"].append(node)
        if node.level is not None and node.year == current - 1:
            slot["last"].append(node)
        if node.change is not None and node.year in (current, None):
            slot["change"].append(node)
    def once(nodes: list[Node], key) -> Node | None:
        """The node when the narrative states this figure once (or repeats the same value)."""
        return nodes[0] if nodes and len({key(n) for n in nodes}) == 1 else None

    for slot in by_concept.values():
        this = once(slot["this"], lambda n: n.level.in_wan)
        last = once(slot["last"], lambda n: n.level.in_wan)
        change = once(slot["change"], lambda n: (n.change_sign, n.change.in_wan))
        if this is not None and last is not None and change is not None:
            # last year's 决算/执行数 is not what a budget's 比上年 compares with
            if bool(_OUTTURN.search(this.raw_label)) == bool(_OUTTURN.search(last.raw_label)):
                yield this, last, change


_OUTTURN = re.compile(r"决算|执行|实际|完成")


@kind("narrative_change")
def narrative_change(ctx: CheckContext) -> None:
    """B005: the stated change of a total = the signed sum of its parts' changes; and where last
    year's figure is stated, this year − last year = the stated change."""
    seen = 0
    for evaluation in evaluations(ctx.document):
        if evaluation.mode != "change":
            continue
        seen += 1
        # only a change split over all the parts of a known whole must add up exactly — or over
        # parts whose own levels add up to the whole's (then nothing is left out)
        known = _match(evaluation, _all_declared(), any_head=True)
        complete = (known is not None and known[1]) or _levels_cover(evaluation)
        _judge(ctx, evaluation, complete, _name(evaluation.head_node))
    for this, last, change in _this_and_last(ctx.document):
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


@kind("narrative_direction")
def narrative_direction(ctx: CheckContext) -> None:
    """B013: 增加/减少 agrees with this year − last year, and a stated rate = change ÷ last year."""
    seen = 0
    for this, last, change in _this_and_last(ctx.document):
        if change.change_sign is None:
            continue
        seen += 1
        now, before = _figure(this.level, ""), _figure(last.level, "")
        low = now.value - now.half - before.value - before.half
        high = now.value + now.half - before.value + before.half
        if low <= 0 <= high or (change.change_sign > 0) == (low > 0):
            ctx.passed()
            continue
        word = Text(zh="增加" if change.change_sign > 0 else "减少", en="an increase" if change.change_sign > 0 else "a decrease")
        actual = Text(zh="减少" if change.change_sign > 0 else "增加", en="a decrease" if change.change_sign > 0 else "an increase")
        _direction_fail(ctx, change.change.span, _name(this), word, actual, this, last, [this.level.span, last.level.span])
    seen += check_rates(ctx) + check_flat(ctx)
    if not seen:
        ctx.not_applicable()


def _direction_fail(ctx, span, label, word, actual, this, last, related) -> None:
    detail = Text(
        zh=f"的变动说明为“{word.zh}”，但 {this.year}年 {_money(this.level.in_wan)}万元 比 {last.year}年 {_money(last.level.in_wan)}万元 实为{actual.zh}",
        en=f"is said to show {word.en}, but {this.year} {_money(this.level.in_wan)} against {last.year} {_money(last.level.in_wan)} is {actual.en}",
    )
    ctx.fail(
        span,
        {"total_label": label, "detail": detail, "stated": word.zh, "computed": actual.zh},
        evidence=Evidence(stated=word.zh, computed=actual.zh, diagnosis=Text(zh="增减方向写反", en="sign slip")),
        suggestion=Text(zh=f"将“{word.zh}”改为“{actual.zh}”", en=f"describe it as {actual.en}"),
        subject=label,
        related=related,
    )
