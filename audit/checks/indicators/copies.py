"""I010: one indicator table copied unchanged across projects, or one 三级指标 repeated within a table.
"""

from __future__ import annotations

from collections import defaultdict

from audit.analysis.readings import readings
from audit.engine import CheckContext, kind
from audit.facts.projects import Indicator, Project
from audit.model import Evidence, Text


# --- I010 copies --------------------------------------------------------------------------------


@kind("indicator_copies")
def indicator_copies(ctx: CheckContext) -> None:
    """I010: one indicator table copied unchanged across projects; one 三级指标 repeated within a table."""
    minimum = int(ctx.params.get("min_rows", 3))
    groups: dict[tuple, list[Project]] = defaultdict(list)
    for project, rows in readings(ctx):
        key = tuple([row.copy_key for row in rows])
        if len(key) >= minimum:
            groups[key].append(project)
        elif not key:
            ctx.not_applicable()
        else:
            ctx.passed()
    for key, members in groups.items():
        first = members[0]
        if len(members) == 1:
            ctx.passed()
            continue
        others = members[1:]
        names_zh = "、".join(f"「{p.name}」" for p in others[:5]) + (f"等 {len(others)} 个项目" if len(others) > 5 else "")
        names_en = ", ".join(f"“{p.name}”" for p in others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        ctx.fail(
            first.name_span or first.span,
            {
                "detail": Text(
                    zh=f"与{names_zh}的绩效指标表完全相同（{len(key)} 行指标逐字一致）",
                    en=f"has the same indicator table, word for word ({len(key)} rows), as {names_en}",
                ),
                "target": Text(zh="按各项目的实际产出和效益分别设置指标", en="Set indicators from each project's own outputs and effects"),
            },
            evidence=Evidence(values={"projects": [p.name for p in members], "rows": len(key)}),
            subject=first.name,
            related=[p.name_span or p.span for p in others],
        )
    for project, rows in readings(ctx):
        seen: dict[str, Indicator] = {}
        for row in rows:
            indicator, name = row.indicator, row.names[0]
            if not name:
                continue
            if name in seen:
                first_row = seen[name]
                ctx.fail(
                    indicator.name_span,
                    {
                        "detail": Text(
                            zh=f"三级指标“{row.label}”在同一张表中重复出现（另见第 {first_row.span.line} 行，{first_row.level2_raw} 下）",
                            en=f"the 三级指标 “{row.label}” appears twice in one table (also line {first_row.span.line}, under {first_row.level2_raw})",
                        ),
                        "target": Text(zh="删除重复行，或改成衡量不同方面的指标", en="Drop the repeat or make it measure something else"),
                    },
                    subject=project.name,
                    related=[first_row.span],
                )
            else:
                seen[name] = indicator
