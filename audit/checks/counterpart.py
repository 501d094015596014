"""B019 a 部门 disclosure against its 单位 disclosure of the same year (`--counterpart FILE`).

When the two cover the same money — the 部门 has this one 单位, so both state the same 收入/支出
total — every quantity both narratives state (the same 项, 类 or concept, see subject_key) must
have the same value. A 部门 with several 单位 states sums of theirs: then nothing is compared.
"""

from __future__ import annotations

from audit.arith import check_sum
from audit.analysis.narrative import figure, located, money, name
from audit.engine import CheckContext, Document, kind
from audit.facts.amounts import Node
from audit.model import Evidence, Text



def _totals(document: Document) -> set:
    """The narrative's 收入/支出 totals (`收入预算37,151.47万元`), in 万元."""
    return {
        n.level.in_wan
        for s in document.facts.narrative.statements
        for n in s.nodes
        if n.level is not None and n.concept in ("收入", "支出") and n.parent is None
    }


def _same(a: Node, b: Node) -> bool:
    return check_sum(figure(a.level, ""), [figure(b.level, "")]).holds


@kind("counterpart_figures")
def counterpart_figures(ctx: CheckContext) -> None:
    """B019: figures a 部门 and its only 单位 both state agree."""
    other: Document | None = ctx.analysis.counterpart
    if other is None or not (_totals(ctx.document) & _totals(other)):
        ctx.not_applicable()
        return
    theirs = ctx.analysis.other(other).levels_by_key
    seen = 0
    for key, nodes in ctx.analysis.levels_by_key.items():
        if key not in theirs:
            continue
        mine_values = {n.level.in_wan for n in nodes}
        their_values = {n.level.in_wan for n in theirs[key]}
        if len(mine_values) != 1 or len(their_values) != 1:
            continue  # stated with several values in one file (B017's business, or two scopes)
        seen += 1
        mine, their = nodes[0], theirs[key][0]
        if _same(mine, their):
            ctx.passed()
            continue
        where = other.source.path.rsplit("/", 1)[-1]
        at = located(other, their.level.span)
        detail = Text(
            zh=f"在本文件为 {mine.level.text}，而同年度对应公开文件（{where} {at.zh}「{name(their)}」）为 {their.level.text}",
            en=f"is {mine.level.text} here but {their.level.text} in the same year's counterpart disclosure ({where} {at.en}, '{name(their)}')",
        )
        ctx.fail(
            mine.level.span,
            {"total_label": name(mine), "detail": detail, "stated": mine.level.text, "computed": their.level.text},
            evidence=Evidence(
                stated=mine.level.text,
                computed=their.level.text,
                difference=money(mine.level.in_wan - their.level.in_wan),
                values={"counterpart_file": other.source.path, "counterpart_line": their.level.span.line},
            ),
            suggestion=Text(zh="核对部门与单位公开文件中的同一数字", en="check the figure in both disclosures"),
            subject=name(mine),
        )
    if not seen:
        ctx.not_applicable()
