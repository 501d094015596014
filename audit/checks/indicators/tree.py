"""I006: the indicator tree of a 绩效目标表: the required 一级指标 are there, and each 二级 sits
under its own 一级 (the tree is data: rules/lexicons/indicator_schema.yaml).
"""

from __future__ import annotations

from audit.analysis.readings import readings
from audit.engine import CheckContext, kind
from audit.lexicon import indicator_schema
from audit.model import Evidence, Text


# --- I006 indicator tree ---------------------------------------------------------------------------


@kind("indicator_tree")
def indicator_tree(ctx: CheckContext) -> None:
    """I006: a table lacks a required 一级指标 (产出, 效益/效果, 满意度), or a 二级 sits under the wrong 一级."""
    schema = indicator_schema()
    misplaced = ctx.analysis.memos.table("I006 misplaced")  # (一级, 二级) as printed → the 二级's parent if misplaced
    for project, readings_ in readings(ctx):
        rows = [row.indicator for row in readings_]
        if not rows:
            ctx.insufficient() if project.insufficient else ctx.not_applicable()
            continue
        failed = False
        present = {i.level1 for i in rows if i.level1}
        # 财预〔2021〕101号 puts 成本指标 beside 产出; either schema is complete with 产出/效益/满意度.
        missing = [level for level in schema.required if level not in present]
        if missing:
            failed = True
            first = rows[0]
            span = project.name_span or first.span
            ctx.fail(
                span,
                {
                    "missing": "、".join(missing),
                    "present": "、".join(sorted(present)) or "无",
                    "detail": Text(
                        zh=f"缺少一级指标“{'、'.join(missing)}”（现有：{'、'.join(sorted(present))}）",
                        en=f"lacks the 一级指标 {', '.join(missing)} (has: {', '.join(sorted(present))})",
                    ),
                    "target": Text(
                        zh="补充" + "、".join(f"{m}（如 " + _EXAMPLE.get(m, "…") + "）" for m in missing),
                        en="Add " + ", ".join(missing),
                    ),
                },
                evidence=Evidence(values={"missing": missing, "present": sorted(present)}),
                subject=project.name,
                related=[rows[-1].span],
            )
        for indicator in rows:
            if indicator.level1_source != "cell":
                continue
            pair = (indicator.level1_raw, indicator.level2_raw)
            verdict = misplaced.get(pair)
            if verdict is None:
                verdict = misplaced[pair] = _misplaced(schema, *pair)
            if not verdict:
                continue
            parent = verdict[0]
            failed = True
            ctx.fail(
                indicator.level2_span,
                {
                    "missing": "",
                    "present": "",
                    "detail": Text(
                        zh=f"二级指标“{indicator.level2_raw}”放在一级指标“{indicator.level1_raw}”下，应属于“{parent}”",
                        en=f"the 二级 “{indicator.level2_raw}” sits under “{indicator.level1_raw}”; it belongs under “{parent}”",
                    ),
                    "target": Text(zh=f"将其移到“{parent}”下", en=f"Move it under “{parent}”"),
                },
                subject=project.name,
            )
        if not failed:
            ctx.passed()


def _misplaced(schema, level1_raw: str | None, level2_raw: str | None) -> tuple:
    """(the 一级 it belongs under,) when a 二级 is printed under another one; () when in its place."""
    level1 = schema.canonical_level1(level1_raw)
    level2 = schema.canonical_level2(level2_raw)
    if not level1 or not level2 or level1 == level2 or schema.allowed(level1, level2):
        return ()
    return (schema.parent_of(level2),)


_EXAMPLE = {
    "产出指标": "数量、质量、时效、成本指标",
    "效益指标": "社会效益指标",
    "满意度指标": "服务对象满意度 ≥90%",
}
