"""T010: a 单位预算 that speaks of the 部门预算 (its headings, its table titles, 本部门), or the
reverse: the other kind's template was used and not fully rewritten."""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.lexicon import lexicon
from audit.model import Evidence, Span, Text

_NAMES = {"unit": Text(zh="单位预算", en="unit budget"), "department": Text(zh="部门预算", en="department budget")}


def _patterns(name: str) -> tuple[dict[str, str], dict[str, re.Pattern[str]]]:
    data = lexicon(name)
    foreign = {k: re.compile("|".join(f"(?:{p})" for p in v)) for k, v in data.get("foreign", {}).items()}
    return data.get("kind", {}), foreign


@kind("budget_scope")
def budget_scope(ctx: CheckContext) -> None:
    kinds, foreign = ctx.analysis.memos.get("T010 patterns", ctx.params.get("lexicon", "budget_scope"), _patterns)
    title = ctx.facts.structure.title
    if title is None:
        ctx.not_applicable()
        return
    squashed = "".join(title.text.split())
    own = [k for k, word in kinds.items() if word in squashed]
    if len(own) != 1 or own[0] not in foreign:
        ctx.not_applicable()  # the title does not say, or says both
        return
    own_kind = own[0]
    other = next(k for k in kinds if k != own_kind)
    pattern = foreign[own_kind]
    source = ctx.document.source
    failed = False
    for line in ctx.analysis.prose.body():
        match = pattern.search(line.text)
        if not match:
            continue
        failed = True
        start, end = line.start + match.start(), line.start + match.end()
        ctx.fail(
            Span(line=line.line, column=source.column(line.line - 1, start) + 1, end_line=line.line, end_column=source.column(line.line - 1, end) + 1),
            {"found": match.group(0), "own": _NAMES[own_kind], "other": _NAMES[other]},
            evidence=Evidence(stated=match.group(0), computed=_NAMES[own_kind].zh),
            subject=match.group(0),
            related=[title.span],
        )
    if not failed:
        ctx.passed()
