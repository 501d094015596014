"""I011: a process or input measure (预算执行率, 资金到位率, 支付进度) counted as an output or an effect;
the patterns are the rule's params (rules/indicators.yaml).
"""

from __future__ import annotations

import re

from audit.analysis.readings import Wording, each
from audit.engine import CheckContext, kind
from audit.model import Evidence


# --- I011 process measures as outputs ---------------------------------------------------------


@kind("indicator_process_measure")
def indicator_process_measure(ctx: CheckContext) -> None:
    """I011: a process or input measure (预算执行率, 资金到位率, 支付进度, 投入资金) used as an output or effect."""
    patterns = tuple(ctx.params.get("patterns", []))
    exempt = set(ctx.params.get("exempt_level2", ["成本指标"]))
    keyword_of = ctx.analysis.memos.get("I011 keywords", patterns, _Keywords)  # the run's one per list: its verdicts' key
    passed = not_applicable = 0
    for project, row in each(ctx):
        indicator = row.indicator
        level2 = row.level2
        level1 = indicator.level1
        if level2 in exempt or level1 not in ("产出指标", "效益指标"):
            not_applicable += 1
            continue
        keyword = row.wording.derive(keyword_of, keyword_of)
        if keyword is None:
            passed += 1
            continue
        ctx.fail(
            indicator.name_span,
            {"name": row.label, "keyword": keyword, "level1": level1, "level2": indicator.level2_raw or level2 or ""},
            evidence=Evidence(values={"keyword": keyword, "level2": level2}),
            subject=project.name,
        )
    ctx.passed(passed)
    ctx.not_applicable(not_applicable)


class _Keywords:
    """A rule's patterns, compiled once; called on a wording, what the first pattern to match says,
    over the name and the description in turn."""

    __slots__ = ("compiled",)

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.compiled = tuple(re.compile(p) for p in patterns)

    def __call__(self, row: Wording) -> str | None:
        return next((m.group(0) for t in row.names for p in self.compiled if (m := p.search(t))), None)

