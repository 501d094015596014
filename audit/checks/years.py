"""B015 year labels: a budget's year-on-year comparison is with the year before the budget year.

In a 2026 budget `比2025年预算增加` is right and `比2026年预算增加` (or 2024) is a slip: the budget year
is the year most of the narrative's figures are labelled with (the latest on a tie:
audit/analysis/years.py), and every
`比/较/与 N年…增加/减少/持平` must name the year before it.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.layout import Paragraph
from audit.model import Evidence, Text

_COMPARED = re.compile(
    r"(?:比|较|与|同)\s*((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?(?:预算执行数|预算|决算|执行数|实际|同期)?\s*(?:相比|比较)?\s*[,，]?\s*"
    r"(?:[^。,，;；]{0,12}?)(?:增加|减少|增长|下降|持平|基本持平|一致|上升|降低)"
)


@kind("comparison_year")
def comparison_year(ctx: CheckContext) -> None:
    """B015: every comparison names the year before the budget year."""
    year = ctx.analysis.budget_year
    if year is None:
        ctx.not_applicable()
        return
    seen = 0
    for block in ctx.document.blocks:
        if not isinstance(block, Paragraph) or "年" not in block.ref.text:
            continue
        text = block.ref.text
        for match in _COMPARED.finditer(text):
            named = int(match.group(1))
            seen += 1
            if named == year - 1:
                ctx.passed()
                continue
            span = block.ref.span(match.start(1), match.end(1) + 1)
            if span is None:
                continue
            said = f"{named}年"
            right = f"{year - 1}年"
            detail = Text(
                zh=f"本文件为{year}年预算，“{match.group(0)}”应与上年（{right}）相比，而非{said}",
                en=f"this is the {year} budget: \"{match.group(0)}\" should compare with the year before ({year - 1}), not {named}",
            )
            ctx.fail(
                span,
                {"detail": detail, "stated": said, "computed": right},
                evidence=Evidence(stated=said, computed=right, values={"budget_year": year}),
                suggestion=Text(zh=f"将“{said}”改为“{right}”", en=f"write {year - 1} instead of {named}"),
                subject=said,
            )
    if not seen:
        ctx.not_applicable()
