"""B016 against last year's disclosure: every 与上年相比 base is the figure last year's file states.

`audit check 2019.pdf --previous 2018.pdf`: this year's level ∓ its stated change is last year's
figure, and last year's disclosure states that figure. Quantities are matched by what they measure:
a 项 by its 款 and 项 names (`人大事务（款）人大立法（项）`), a 类 by its name, anything else by its
concept (基本支出, 机关运行经费, 公务接待费 …) and whether it is the 财政拨款 part. A quantity last
year's file states with several values (two scopes) is only checked against them all; one it does
not state at all is not checked.
"""

from __future__ import annotations


from decimal import Decimal

from audit.analysis.changes import RateCase, change_case
from audit.analysis.narrative import figure, located, money, name, subject_key
from audit.arith import Figure, check_sum
from audit.engine import CheckContext, Document, kind
from audit.facts.amounts import Node
from audit.model import Evidence, Text



def _matches(base: Figure, node: Node) -> bool:
    return check_sum(base, [figure(node.level, "")]).holds


@kind("previous_base")
def previous_base(ctx: CheckContext) -> None:
    """B016: this year ∓ the stated change = the figure last year's disclosure states."""
    previous: Document | None = ctx.analysis.previous
    if previous is None:
        ctx.not_applicable()
        return
    last = ctx.analysis.other(previous)
    this_year, last_year = ctx.analysis.budget_year, last.budget_year
    if this_year and last_year and this_year - last_year != 1:
        ctx.not_applicable()  # not last year's disclosure: its figures are no base of this year's changes
        return
    before = last.levels_by_key
    seen = 0
    for statement in ctx.document.facts.narrative.statements:
        for index, node in enumerate(statement.nodes):
            if node.flat and node.level is not None and node.change is None:
                # `与上年相比持平`: last year's figure is this year's
                level = figure(node.level, name(node))
                case = RateCase(node, Figure(Decimal(0), "增减额", exact=True), level, "", [node.level.span], False)
            elif node.change is not None and node.change_sign is not None:
                case = change_case(ctx.analysis, statement, index)
            else:
                continue
            key = subject_key(node) if case is not None else None
            if case is None or case.derived or key is None or key not in before:
                continue
            seen += 1
            candidates = before[key]
            if any(_matches(case.base, other) for other in candidates):
                ctx.passed()
                continue
            if len({other.level.in_wan for other in candidates}) != 1:
                ctx.insufficient()  # last year's file states it with several values (scopes): cannot tell which
                continue
            _report(ctx, node, case, candidates[0], previous)
    if not seen:
        ctx.not_applicable()


def _report(ctx: CheckContext, node: Node, case, last: Node, previous: Document) -> None:
    base = case.base
    said = money(last.level.in_wan)
    where = previous.source.path.rsplit("/", 1)[-1]
    at = located(previous, last.level.span)
    word, op = ("增加", "−") if (node.change_sign or 0) > 0 else ("减少", "+")
    now = base.value + case.moved.signed_value
    how = f"{money(now)} {op} {money(case.moved.value)}"
    detail = Text(
        zh=f"的上年数按本年数与增减额推算为 {how} = {money(base.value)}万元（{word}{money(case.moved.value)}万元），而上年公开文件（{where} {at.zh}「{name(last)}」）为 {said}万元，相差 {money(abs(base.value - last.level.in_wan))}万元",
        en=f": last year's figure implied by this year's level and its change is {how} = {money(base.value)}, but last year's disclosure ({where} {at.en}, '{name(last)}') states {said}, a difference of {money(abs(base.value - last.level.in_wan))}",
    )
    ctx.fail(
        (node.change or node.level).span,
        {"total_label": name(node), "detail": detail, "stated": money(base.value), "computed": said},
        evidence=Evidence(
            stated=money(base.value),
            computed=said,
            difference=money(base.value - last.level.in_wan),
            terms=[case.moved.term(), figure(last.level, f"上年公开：{name(last)}").term()],
            values={"previous_file": previous.source.path, "previous_line": last.level.span.line},
        ),
        suggestion=Text(
            zh=f"核对{name(node)}的增减额或本年数：上年公开数为 {said}万元",
            en=f"check the change or this year's figure of {name(node)}: last year's disclosure says {said}",
        ),
        subject=name(node),
        related=[case.related[0]] if case.related else [],
    )

