"""The narrative's identities, evaluated: every node of a sentence's amount tree that has parts is
a total = Σ parts (its level, and its change where stated), on intervals (audit/arith.py); and the
identities the run's rules declare (a total concept, its part concepts, which are required), which
tell a complete listing from a partial one and which rule reports an evaluation. The diagnosis of
the failures (which slip explains them, which are knock-ons) is the ledger's (audit/analysis/ledger.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from audit.analysis.narrative import figure as _figure, name as _name
from audit.arith import TRANSPOSITION, Diagnosis, Figure, IdentityResult, check_sum
from audit.facts.amounts import Node, Statement

if TYPE_CHECKING:
    from audit.engine import Document
    from audit.rules import RuleSet


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


def levels_cover(evaluation: Evaluation) -> bool:
    """Do the parts' levels add up to their whole's level (so the listing leaves nothing out)?"""
    head = evaluation.head_node
    parts = evaluation.part_nodes
    if head.level is None or len(parts) < 2 or any(p.level is None for p in parts):
        return False
    return check_sum(_figure(head.level, ""), [_figure(p.level, "") for p in parts]).holds


def conclusive(evaluation: Evaluation, complete: bool) -> bool:
    """Does a failure say something is wrong? An incomplete listing (其中 naming only some parts) only
    when its parts exceed the total, or when a single slip explains the gap."""
    if complete or evaluation.root is not None:
        return True
    result = evaluation.result
    exceeds = result.difference * result.total.sign < 0 and evaluation.mode == "level"
    # a unit slip or a sign slip could be a coincidence of the parts left out; two swapped digits
    # that restore the sum exactly are not
    slip = evaluation.diagnosis is not None and evaluation.diagnosis.kind == TRANSPOSITION
    # a slip that also explains other failures is no coincidence either (and they point here)
    return exceeds or slip or bool(evaluation.consequences)


def nearby(statement: Statement) -> list[Figure]:
    return [_figure(n.level, _name(n)) for n in statement.nodes if n.level is not None]


def evaluations(document: Document) -> list[Evaluation]:
    """Every narrative identity of a document, evaluated (not yet diagnosed: see the ledger); the
    evaluations of one statement are adjacent, in statement order."""
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
        out.extend(mine)
    return out


@dataclass
class Declared:
    """total = Σ parts, as declared in a rule's params; `optional` parts may be stated or not."""

    total: set[str]
    parts: list[set[str]]
    optional: list[set[str]]
    rule: str = field(default="", compare=False)  # the rule that declares it

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> "Declared":
        def groups(key: str) -> list[set[str]]:
            return [set([g] if isinstance(g, str) else g) for g in spec.get(key, [])]

        total = spec["total"]
        return cls(set([total] if isinstance(total, str) else total), groups("parts"), groups("optional"))


def _identities(params: dict[str, Any]) -> list[Declared]:
    return [Declared.parse(spec) for spec in params.get("identities", [])]


def match(evaluation: Evaluation, identities: list[Declared], any_head: bool = False) -> tuple[Declared, bool] | None:
    """Does the evaluation instantiate a declared identity? → (identity, every required part stated).

    With `any_head`, a total whose label names no known concept (`部门预算较2019年增加…`) matches
    any identity its parts fit: 基本支出 + 项目支出 are a whole whatever the total is called."""
    head = evaluation.head_node.concept
    concepts = {n.concept for n in evaluation.part_nodes}
    if (head is None and not any_head) or None in concepts or len(concepts) != len(evaluation.parts):
        return None
    by_total = {name: other for other in identities for name in other.total}

    def whole(identity: Declared, depth: int = 0) -> bool:
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


@dataclass
class Known:
    """The narrative identities the run's rules declare (what is known to be a whole) and the rules
    that report an evaluation: the declaring rule, else the generic listing rule or the change rule."""

    identities: list[Declared]
    reporting: list[Declared]  # the identities of the rules the run reports (selected)
    generic: list[str]  # the generic listing rules: where undeclared listings go
    changes: list[str]  # the change rules: where changes go
    splits: dict[int, tuple] = field(default_factory=dict)  # id(specs) → (specs, mine, others)

    def owner(self, evaluation: Evaluation) -> str | None:
        """The rule that reports an evaluation (for pointing a consequence at its root)."""
        rules = self.changes + self.generic if evaluation.mode == "change" else self.generic + self.changes
        if evaluation.mode == "level":
            matched = match(evaluation, self.reporting) or match(evaluation, self.identities)
            if matched is not None:
                return matched[0].rule
        return rules[0] if rules else None

    def split(self, specs: list[dict[str, Any]]) -> tuple[list[Declared], list[Declared]]:
        """(the identities `specs` declare, the other declared ones), parsed once per rule's params."""
        if not specs:
            return [], self.identities
        entry = self.splits.get(id(specs))
        if entry is None or entry[0] is not specs:
            mine = [Declared.parse(spec) for spec in specs]
            entry = self.splits[id(specs)] = (specs, mine, [i for i in self.identities if i not in mine])
        return entry[1], entry[2]


def known(rules: RuleSet, selected: set[str] | None = None) -> Known:
    """The narrative identities declared by the run's rules (selected or not: a rule left out of the
    run still says what is a whole). A narrative_identity rule declares `identities`; another
    family's rule may declare the narrative side of its identity as `narrative_identities` (B006)."""
    identities: list[Declared] = []
    for rule in rules:
        if rule.kind == "narrative_identity":
            specs = rule.params
        elif "narrative_identities" in rule.params:
            specs = {"identities": rule.params["narrative_identities"]}
        else:
            continue
        for identity in _identities(specs):
            identity.rule = rule.id
            identities.append(identity)
    reporting = [i for i in identities if selected is None or i.rule in selected]
    first = (lambda rule: selected is not None and rule.id not in selected)  # the reported rules first
    generic = [r.id for r in sorted(rules, key=first) if r.kind == "narrative_identity" and r.params.get("generic")]
    changes = [r.id for r in sorted(rules, key=first) if r.kind == "narrative_change"]
    return Known(identities, reporting, generic, changes)
