"""Every year-on-year statement of the narrative and what the document gives to check it against
(issue 16 item 1).

A stated change (`与上年相比增加1297.52万元`, or `与2024年预算持平`) is evaluated by whatever the
publication offers:
- its own rate (`…增长12.47%`): change ÷ (this year ∓ change) — B013 reports a disagreement;
- its parts' changes (`其中：基本支出减少…；项目支出增加…`), or the total whose part it is — B005;
- last year's figure stated in its paragraph (`上年预算数为X万元`) — this year − last year;
- the same change stated again (the same subject and level in another section);
- last year's disclosure (`--previous`) — B016.
Each check says whether it holds and which rule reports it when it does not (None: B020 itself),
so that one slip is reported once and every statement is counted once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from audit.analysis.class_changes import class_listings, said_new, said_unchanged
from audit.arith import Figure, check_rate, check_sum
from audit.analysis.changes import change_case, earlier_level
from audit.analysis.evaluations import conclusive, levels_cover, match
from audit.analysis.narrative import figure, name, subject_key, this_and_last
from audit.engine import Document
from audit.facts.amounts import Node, Statement

if TYPE_CHECKING:
    from audit.analysis import Analysis

_EARLIER = re.compile(r"上年|去年|执行数|决算")
_OUTTURN = re.compile(r"执行|决算|实际")
_MARKS = re.compile(r"^[\d.．、]+|[(（](?:类|款|项)[)）]")
_WITHIN = re.compile(r"^[\s。，,]*([^，,。；;]{2,24}?)中[，,]")
_REASON = re.compile(r"主要原因|原因是|主要是")
_NET = re.compile(r"增减相抵后|相抵后|综上")
_COMPARED = re.compile(r"^[\s,，;；。、]*(?:与|比|较)(?:上年|去年|(?:19|20)\d{2})")
# what a change-only clause (`主要原因是基本支出增加1408.29万元`) is about, once its framing words are gone
_FRAME = re.compile(r"^[\s\d.．、,，;；。:：()（）]*(?:主要原因是|主要是|其中)?|(?:预算数|预算|安排|支出安排|总计)?(?:为|是)?(?:增加|减少|增长|下降|压减)?$")


@dataclass
class Check:
    """One way a stated change was checked."""

    source: str  # rate | parts | part | last_year | repeated | previous
    holds: bool
    owner: str | None = None  # the rule that reports a failure (None: B020)
    against: list[Node] = field(default_factory=list)  # the other statements it was checked against
    computed: Decimal | None = None  # the change the other figures give (signed), for the message


@dataclass
class StatedChange:
    """One year-on-year statement and the checks the document allows."""

    statement: Statement
    index: int
    checks: list[Check] = field(default_factory=list)
    new: bool = False  # `此项支出是今年新增支出`: the change is the whole amount

    @property
    def node(self) -> Node:
        return self.statement.nodes[self.index]

    @property
    def signed(self) -> Figure:
        """The stated change as a signed figure (持平: exactly zero)."""
        node = self.node
        if self.new:
            return figure(node.level, f"{name(node)}（新增）", 1, signed=True)
        if node.change is None:
            return Figure(Decimal(0), f"{name(node)}（持平）", span=node.span, exact=True)
        return figure(node.change, name(node), node.change_sign, signed=True)


def _stated(document: Document, statement: Statement, index: int) -> StatedChange | None:
    """A year-on-year statement: a change with its direction, 持平 (or `与上年一致`), `今年新增`."""
    node = statement.nodes[index]
    if (node.change is not None and node.change_sign is not None) or (node.flat and not node.roughly and node.level is not None):
        return StatedChange(statement, index)
    if node.change is None and node.level is not None and not node.flat:
        if said_unchanged(document, node):
            return StatedChange(statement, index)
        if said_new(document, node):
            return StatedChange(statement, index, new=True)
    return None


def _rate(analysis: Analysis, change: StatedChange) -> Check | None:
    node = change.node
    if node.rate is None or node.change is None:
        return None
    case = change_case(analysis, change.statement, change.index)
    if case is None:
        return None
    result = check_rate(case.moved, case.base, Figure(node.rate.value, "", sign=node.rate.direction or node.change_sign or 1))
    if result is None:
        # `政府性基金收入预算0万元，与上年相比无变化…0%`: no base to divide by, but a zero change and a
        # zero rate say the same; a non-zero rate of a zero change is a slip no ratio check sees
        if case.moved.value == 0:
            return Check("rate", node.rate.value == 0, None, [], Decimal(0))
        return None
    return Check("rate", result.holds or result.near, "B013")


def _two_levels(change: StatedChange) -> Check | None:
    """`2023年执行数为10.00万元，2024年预算安排10.00万元，比2023年执行数持平`: B013's 持平 check."""
    node = change.node
    if node.change is not None or node.level is None:
        return None
    earlier = earlier_level(change.statement, change.index)
    if earlier is None:
        return None
    now, before = figure(node.level, ""), figure(earlier.level, "")
    moved = now.value - before.value
    return Check("two_levels", check_sum(now, [before]).holds, "B013", [earlier], moved)


def _wholes(document: Document, found: list[StatedChange], wholes: dict[str, list[str]]) -> None:
    """A declared whole (三公经费 = 出国 + 用车 + 接待) whose parts are stated in the sentences after
    it, each with its own change: the changes add up (a part said to be 与上年一致 is zero)."""
    by_node = {id(c.node): c for c in found}
    nodes = [(s, n) for s in document.facts.narrative.statements for n in s.nodes]
    for position, (statement, node) in enumerate(nodes):
        parts = wholes.get(node.concept or "")
        head = by_node.get(id(node))
        if not parts or head is None:
            continue
        chosen: dict[str, tuple] = {}
        for other_statement, other in nodes[position + 1 : position + 40]:
            if other.concept == node.concept:
                break
            if other.concept in parts and other.concept not in chosen and other.level is not None:
                chosen[other.concept] = (other_statement, other)
        if len(chosen) != len(parts) or all(s is statement for s, _ in chosen.values()):
            continue  # a part missing, or all listed in the whole's own sentence (B005's identity)
        terms, members = [], []
        for other_statement, other in chosen.values():
            member = by_node.get(id(other))
            if member is not None:
                terms.append(member.signed)
            elif said_unchanged(document, other):
                terms.append(Figure(Decimal(0), f"{name(other)}（与上年一致）", span=other.span, exact=True))
            else:
                break
            members.append(other)
        else:
            result = check_sum(head.signed, terms)
            head.checks.append(Check("whole", result.holds, None, members, result.computed))
            for other in members:
                if result.holds and id(other) in by_node:
                    by_node[id(other)].checks.append(Check("whole_part", True, None, [node]))


def _classes(analysis: Analysis, found: list[StatedChange]) -> None:
    """A 类's change = Σ its listed 项's changes (B022): a sum that holds supports every one of them."""
    by_node = {id(c.node): c for c in found}
    for listing in class_listings(analysis):
        result = listing.changes()
        head = by_node.get(id(listing.head))
        if result is None or head is None or listing.narrower:
            continue
        levels = listing.levels()
        if not result.holds and not (listing.complete or (levels is not None and levels.holds)):
            continue  # B022 cannot tell a slip from a 项 left out
        head.checks.append(Check("class", result.holds, "B022", listing.items))
        for item in listing.items:
            if result.holds and id(item) in by_node:
                by_node[id(item)].checks.append(Check("class_item", True, "B022", [listing.head]))


def _reasons(found: list[StatedChange]) -> None:
    """`…增加150万元，增长19.74%。主要原因是增加援藏…经费预算增加100万元、扶贫经费预算增加50万元`: the
    changes a reason lists after a stated change, when they add up to it, account for all of it.
    Reasons are often only the main ones, so a sum that falls short says nothing."""
    for position, change in enumerate(found):
        node = change.node
        if node.level is None or node.change is None:
            continue
        listed = []
        for other in found[position + 1 :]:
            if other.statement.paragraph != change.statement.paragraph or other.node.level is not None:
                break
            if other.node.change is not None and other.node.rate is None:
                listed.append(other)
        if not listed or not any(_REASON.search(o.statement.text) for o in listed):
            continue
        result = check_sum(change.signed, [o.signed for o in listed])
        if result.holds:
            change.checks.append(Check("reasons", True, None, [o.node for o in listed]))
            for other in listed:
                other.checks.append(Check("reasons", True, None, [node]))


def _named_parts(document: Document, found: list[StatedChange]) -> None:
    """`…财政拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元。财政拨款支出预算中，一般公共预算
    拨款支出预算…减少…；政府性基金拨款支出预算0万元，比2024年预算持平；…`: a sentence opening with
    `X中` lists the parts of the X just stated, each with its change; when their levels add up to X's,
    nothing is left out and their changes must add up too."""
    by_node = {id(c.node): c for c in found}
    statements = document.facts.narrative.statements
    for before, statement in zip(statements, statements[1:]):
        opening = _WITHIN.match(statement.text)
        if opening is None or before.paragraph != statement.paragraph:
            continue
        named = "".join(opening.group(1).split())
        head = next((by_node.get(id(n)) for n in reversed(before.nodes) if n.level is not None and "".join(n.raw_label.split()).endswith(named)), None)
        parts = [by_node.get(id(n)) for n in statement.nodes if n.level is not None]
        if head is None or len(parts) < 2 or None in parts:
            continue
        levels = check_sum(figure(head.node.level, ""), [figure(p.node.level, "") for p in parts])
        result = check_sum(head.signed, [p.signed for p in parts])
        if not levels.holds:
            continue  # the listing may leave a part out
        head.checks.append(Check("parts", result.holds, None, [p.node for p in parts], result.computed))
        for part in parts:
            if result.holds:
                part.checks.append(Check("part", True, None, [head.node]))


def _parts(analysis: Analysis, changes: dict[tuple[int, int], StatedChange]) -> None:
    """B005's identities (a change split over its parts in one sentence), as B005 judges them: a
    sum that holds supports the total and every part; a failure B005 reports fails the total; a
    listing that may leave a part out says nothing."""
    for evaluation in analysis.ledger.narrative:
        if evaluation.mode != "change":
            continue
        head = changes.get((id(evaluation.statement), evaluation.head))
        parts = [changes.get((id(evaluation.statement), i)) for i in evaluation.parts]
        if evaluation.result.holds:
            if head is not None:
                head.checks.append(Check("parts", True, "B005", evaluation.part_nodes, evaluation.result.computed))
            for part in parts:
                if part is not None:
                    part.checks.append(Check("part", True, "B005", [evaluation.head_node]))
            continue
        known = match(evaluation, analysis.known.identities, any_head=True)
        complete = (known is not None and known[1]) or levels_cover(evaluation)
        vague = evaluation.approximate and evaluation.root is None and evaluation.diagnosis is None
        if head is not None and not vague and conclusive(evaluation, complete):
            head.checks.append(Check("parts", False, "B005", evaluation.part_nodes, evaluation.result.computed))
    for (_, index), head in changes.items():
        if head.node.change is None:
            _flat_parts(head, index, changes)


def _flat_parts(head: StatedChange, index: int, changes: dict[tuple[int, int], StatedChange]) -> None:
    """`公务用车购置及运行费0万元，与2024年预算持平。其中：公务用车购置费0万元，…持平；公务用车运行费…持平`:
    a whole said to be unchanged (which B005 does not take for a change) is the sum of its parts'
    changes too — it fails only when the parts' levels show none is left out."""
    statement = head.statement
    children = [i for i, n in enumerate(statement.nodes) if n.parent == index]
    parts = [changes.get((id(statement), i)) for i in children]
    if not parts or None in parts:
        return
    result = check_sum(head.signed, [p.signed for p in parts])
    levels = [p.node.level for p in parts]
    covered = head.node.level is not None and all(levels) and check_sum(figure(head.node.level, ""), [figure(l, "") for l in levels]).holds
    if result.holds or covered:
        head.checks.append(Check("parts", result.holds, None, [p.node for p in parts], result.computed))
    for part in parts:
        if result.holds:
            part.checks.append(Check("part", True, None, [head.node]))


def _this_level(change: StatedChange) -> Node | None:
    node = change.node
    if node.level is not None:
        return node
    # `收支总计X万元，与上年相比…各增加Y万元`: a change clause right after the level it compares
    if change.index and _COMPARED.match(node.raw_label):
        other = change.statement.nodes[change.index - 1]
        if other.level is not None and other.change is None:
            return other
    return None


def _last_year(document: Document, change: StatedChange, year: int | None, paired: list[tuple]) -> Check | None:
    """Last year's figure of the same concept stated in the paragraph: this − last = the change."""
    this = _this_level(change)
    node = change.node
    if this is None or node.concept is None:
        return None
    for statement in document.facts.narrative.statements:
        if statement.paragraph != change.statement.paragraph:
            continue
        for other in statement.nodes:
            if other is this or other.level is None or other.concept != node.concept or other.change is not None:
                continue
            earlier = (year and other.year == year - 1) or (other.year is None and _EARLIER.search(other.raw_label))
            # last year's 执行数 is the base only of a change said to be over the 执行数
            compared = change.statement.text.replace(other.raw_label, "")
            if not earlier or bool(_OUTTURN.search(other.raw_label)) != bool(_OUTTURN.search(compared)):
                continue
            now, before = figure(this.level, ""), figure(other.level, "")
            moved = Figure(now.value - before.value, "", spread=now.half + before.half)
            result = check_sum(change.signed, [moved])
            # B005 reports the (this year, last year, change) triples it pairs itself
            owner = "B005" if any(t is this and l is other and c is node for t, l, c in paired) else None
            return Check("last_year", result.holds, owner, [this, other], moved.value)
    return None


def _key(node: Node, this: Node | None) -> tuple | None:
    if this is None or this.level is None:
        return None
    subject = subject_key(node)
    if subject is None:
        # 支出/收入 (or a label no concept names: 单位预留机动经费) name many quantities: only a
        # non-zero level tells one of them (财政专户 0 is not 其他资金 0)
        topic = node.concept if node.concept is not None else _topic(this)
        if topic is None or this.level.value == 0:
            return None
        subject = ("concept", topic)
    # 收入 and 支出 of one amount are two quantities whatever concept their labels were read as
    side = "支" if "支出" in this.raw_label + node.raw_label else "收" if "收入" in this.raw_label + node.raw_label else ""
    return (*subject, side, this.level.in_wan, bool(_OUTTURN.search(node.raw_label)))


def _topic(node: Node) -> str | None:
    """What a change-only clause is about: its concept when narrow, else its label's last clause
    without framing, numbering, (类) marks or 支出 (`按功能分类，一般公共服务支出减少` → 一般公共服务)."""
    if node.concept is not None and node.concept not in ("支出", "收入"):
        return node.concept
    words = "".join(re.split(r"[，,:：;；]", node.raw_label)[-1].split())
    words = _FRAME.sub("", _MARKS.sub("", words)).removesuffix("支出")
    return words if len(words) >= 4 else None


def _net(document: Document, changes: list[StatedChange]) -> None:
    """`…增加综合管理费209万元…，增减相抵后增加123.67万元`: the net change restates the change its
    paragraph's subject states (`一般行政管理事务（项）支出2464.02万元，与上年相比增加123.67万元`)."""
    last: dict[int, StatedChange] = {}
    for change in changes:
        node = change.node
        if node.level is not None and node.change is not None:
            last[change.statement.paragraph] = change
        elif node.change is not None and _NET.search(node.raw_label):
            subject = last.get(change.statement.paragraph)
            if subject is not None:
                result = check_sum(change.signed, [subject.signed])
                change.checks.append(Check("repeated", result.holds, None, [subject.node], subject.signed.signed_value))


def _restated_reasons(changes: list[StatedChange]) -> None:
    """`主要原因是基本支出增加1408.29万元、项目支出安排增加400万元`: a change named in a reason is the
    change its subject's own statement gives (`基本支出预算数为17123.19万元，与上年相比增加1408.29万元`)."""
    stated: dict[str, list[StatedChange]] = {}
    for change in changes:
        if change.node.level is not None and change.node.change is not None:
            topic = _topic(change.node)
            if topic:
                stated.setdefault(topic, []).append(change)
    for change in changes:
        node = change.node
        if node.level is not None or node.change is None or node.rate is not None:
            continue
        owners = stated.get(_topic(node) or "")
        if not owners or len({o.signed.signed_value for o in owners}) != 1:
            continue
        result = check_sum(change.signed, [owners[0].signed])
        change.checks.append(Check("repeated", result.holds, None, [owners[0].node], owners[0].signed.signed_value))


def _repeated(changes: list[StatedChange]) -> None:
    """The same subject, at the same level, stated with its change more than once: the changes agree."""
    groups: dict[tuple, list[StatedChange]] = {}
    for change in changes:
        key = _key(change.node, _this_level(change))
        if key is not None:
            groups.setdefault(key, []).append(change)
    for group in groups.values():
        for change in group:
            others = [o for o in group if o is not change]
            if not others:
                continue
            agree = [o for o in others if check_sum(change.signed, [o.signed]).holds]
            if len(agree) == len(others):
                change.checks.append(Check("repeated", True, None, [o.node for o in others]))
            else:
                wrong = [o for o in others if o not in agree]
                change.checks.append(Check("repeated", False, None, [o.node for o in wrong], wrong[0].signed.signed_value))


def _previous(analysis: Analysis, last: Analysis, change: StatedChange) -> Check | None:
    """B016's comparison: this year ∓ the change = the figure last year's disclosure states."""
    node = change.node
    key = subject_key(node)
    if key is None:
        return None
    before = last.levels_by_key.get(key)
    if not before:
        return None
    if node.change is None:
        base = figure(node.level, "")
    else:
        case = change_case(analysis, change.statement, change.index)
        if case is None or case.derived:
            return None
        base = case.base
    if any(check_sum(base, [figure(o.level, "")]).holds for o in before):
        return Check("previous", True, "B016", before[:1])
    if len({o.level.in_wan for o in before}) != 1:
        return None  # several values last year (two scopes): B016 cannot tell either
    return Check("previous", False, "B016", before[:1])


def stated_changes(analysis: Analysis, wholes: dict[str, list[str]] | None = None) -> list[StatedChange]:
    """Every year-on-year statement of the narrative with its checks, in document order (last year's
    disclosure, when the run has one, among them). `wholes`: concept → the part concepts that make
    it up (rule data), checked across sentences."""
    document = analysis.document
    found = [
        change
        for statement in document.facts.narrative.statements
        for index in range(len(statement.nodes))
        if (change := _stated(document, statement, index)) is not None
    ]
    by_place = {(id(c.statement), c.index): c for c in found}
    year = analysis.budget_year
    paired = list(this_and_last(document))  # the (this year, last year, change) triples B005 checks
    last = analysis.other(analysis.previous) if analysis.previous is not None else None
    if last is not None and year and last.budget_year and year - last.budget_year != 1:
        last = None  # not last year's disclosure: its figures are no base of this year's changes
    for change in found:
        checks = [_rate(analysis, change), _last_year(document, change, year, paired), _two_levels(change)]
        if last is not None:
            checks.append(_previous(analysis, last, change))
        change.checks.extend(c for c in checks if c is not None)
    _parts(analysis, by_place)
    _repeated(found)
    _restated_reasons(found)
    _net(document, found)
    _reasons(found)
    _named_parts(document, found)
    _wholes(document, found, wholes or {})
    _classes(analysis, found)
    return found
