"""I008: template text left in (目标内容1, a goal of 1.1, XXX) or a 指标值 never filled in; the
template phrases are data (rules/lexicons/placeholders.yaml).
"""

from __future__ import annotations

import re

from audit.analysis.readings import Wording, readings
from audit.engine import CheckContext, kind
from audit.indicators import Kind
from audit.indicators.names import clip, squash
from audit.lexicon import lexicon
from audit.memo import active
from audit.model import Evidence, Text


# --- I008 placeholders ----------------------------------------------------------------------------


def _compile(name: str) -> tuple[list[tuple[re.Pattern, Text]], list[re.Pattern]]:
    lex = lexicon(name)
    template = [(re.compile(p["pattern"]), Text.of(p["label"])) for p in lex["template_text"]]
    bare = [re.compile(p) for p in lex["bare_goal"]]
    return template, bare


def _placeholder_patterns() -> tuple[list[tuple[re.Pattern, Text]], list[re.Pattern]]:
    """The template phrases and bare goals, compiled once per run (they are the lexicon's)."""
    return active().get("I008 patterns", "placeholders", _compile)


def template_text(text: str) -> tuple[str, Text] | None:
    """The first template phrase in a (squashed) text, and what kind it is (a row's verdict is
    kept with its wording, so a name or value seen before in the run is not searched again)."""
    patterns, _ = _placeholder_patterns()
    for pattern, what in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0), what
    return None


_NAME_CELL = Text(zh="三级指标", en="the indicator name")
_VALUE_CELL = Text(zh="指标值", en="the value")


@kind("indicator_placeholder")
def indicator_placeholder(ctx: CheckContext) -> None:
    """I008: template text left in (目标内容1, a goal of 1.1, XXX) or an empty 指标值."""
    _, bare = _placeholder_patterns()
    for project, rows in readings(ctx):
        failed = False
        goal = project.goal
        if goal is not None and project.goal_span is not None:
            text = squash(goal)
            found = template_text(text)
            if found:
                failed = True
                ctx.fail(
                    project.goal_span,
                    {"where": Text(zh="绩效目标", en="the performance goal"), "text": clip(goal), "detail": Text(zh=f"含{found[1].zh}“{found[0]}”", en=f"contains {found[1].en} “{found[0]}”")},
                    evidence=Evidence(stated=clip(goal), values={"placeholder": found[0]}),
                    subject=project.name,
                )
            elif any(p.match(text) for p in bare):
                failed = True
                ctx.fail(
                    project.goal_span,
                    {
                        "where": Text(zh="绩效目标", en="the performance goal"),
                        "text": clip(goal) or "（空）",
                        "detail": Text(zh="只有编号，没有目标内容", en="holds only numbering, no goal")
                        if text
                        else Text(zh="未填写", en="is not filled in"),
                    },
                    evidence=Evidence(stated=goal),
                    subject=project.name,
                )
        for row in rows:
            found = row.wording.derive(_placeholders, _placeholders)
            if not found:
                continue
            failed = True
            indicator = row.indicator
            for in_value, values in found:
                ctx.fail(indicator.value_span if in_value else indicator.name_span, values, subject=project.name)
        if goal is None and not project.indicators:
            ctx.not_applicable()
        elif not failed:
            ctx.passed()


def _placeholders(row: Wording) -> tuple[tuple[bool, dict], ...]:
    """What I008 reports of a row's wording: (in the value cell?, message values) per finding."""
    c = row.value
    if c.kind is Kind.EMPTY or row.squashed_raw in lexicon("placeholders")["empty_values"]:
        where = Text(zh=f"指标“{row.label}”的指标值", en=f"the value of “{row.label}”")
        return ((True, {"where": where, "text": row.raw or "（空）", "detail": Text(zh="未填写", en="is not filled in")}),)
    out = []
    for cell, text, squashed in ((_NAME_CELL, row.level3, row.names[0]), (_VALUE_CELL, c.raw, row.squashed_raw)):
        found = template_text(squashed)
        if found:
            detail = Text(zh=f"含{found[1].zh}“{found[0]}”", en=f"contains {found[1].en} “{found[0]}”")
            out.append((cell is _VALUE_CELL, {"where": cell, "text": clip(text), "detail": detail}))
    return tuple(out)
