"""Small 绩效目标表 fixtures for the I rules' tests, in both table layouts (cell-per-line and
tab-grid): a sound table every rule is silent on, and helpers to change one row and run one rule."""

import pytest

from audit.analysis import Analysis
from audit.rules import RuleSet
from audit.engine import CheckContext, load_kinds
from audit.pipeline import analyse
from audit.resources import data_dir
from audit.rules import load_rule_file
from audit.source import from_text

RULES = {r.id: r for name in ("indicators.yaml", "cost.yaml") for r in load_rule_file(data_dir("rules") / name)}
HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]

# A sound table: every rule stays silent on it (≤100% on 成本控制率, =0 on 安全事故数 and
# ≤24小时 on 响应时间 included).
SOUND = [
    ["产出指标", "数量指标", "培训人数", "培训人数", "≥500人", "工作计划"],
    ["", "质量指标", "培训合格率", "培训合格率", "≥95%", "工作计划"],
    ["", "时效指标", "响应时间", "接报后到场处置的时间", "≤24小时", "工作计划"],
    ["", "成本指标", "成本控制率", "实际支出占预算金额的比例", "≤100%", "预算"],
    ["", "成本指标", "项目成本", "项目总成本", "≤30万元", "预算"],
    ["效益指标", "社会效益指标", "安全事故数", "培训期间安全事故数", "=0起", "工作要求"],
    ["", "可持续影响指标", "持续发挥作用年限", "持续发挥作用年限", "≥1年", "工作要求"],
    ["满意度指标", "服务对象满意度指标", "参训人员满意度", "参训人员满意度", "≥90%", "问卷调查"],
]


def cells(rows: list[list[str]]) -> str:
    """Cell-per-line layout: one line per cell (TAB first), a TAB-only line for an empty cell,
    a blank line after each row."""
    return "".join("".join(f"\t{c}\n" for c in row) + "\n" for row in rows)


def grid(rows: list[list[str]]) -> str:
    """Tab-grid layout: one row per line, cells separated by TABs."""
    return "".join("\t".join(row) + "\n" for row in rows)


def document(
    indicators: list[list[str]],
    *,
    layout: str = "cells",
    name: str = "培训经费",
    budget: str = "30.00",
    fiscal: str = "30.00",
    other: str = "",
    goal: str = "1.完成全年培训任务",
    index: int = 1,
) -> str:
    head = [["项目名称", name], ["预算数", budget, "其中:财政资金", fiscal, "其他资金", other], ["绩效目标", goal]]
    rows = head + [HEADER] + indicators
    body = cells(rows) if layout == "cells" else grid(rows)
    return f"{index}、{name}绩效目标表\n\n{body}\n"


def replace(rows: list[list[str]], level3: str, **changes: str) -> list[list[str]]:
    """SOUND with one row changed (matched by its 三级指标)."""
    keys = {"level2": 1, "name": 2, "description": 3, "value": 4}
    out = []
    for row in rows:
        row = list(row)
        if row[2] == level3:
            for key, value in changes.items():
                row[keys[key]] = value
        out.append(row)
    return out


def run(rule_id: str, text: str) -> CheckContext:
    doc = analyse(from_text(text))
    rule = RULES[rule_id]
    ctx = CheckContext(rule, doc, Analysis(doc, RuleSet(list(RULES.values()))))
    load_kinds()[rule.kind](ctx)
    return ctx


def messages(ctx: CheckContext) -> list[str]:
    return [f.message.zh for f in ctx.findings]


LAYOUTS = ["cells", "grid"]


@pytest.fixture(params=LAYOUTS)
def layout(request) -> str:
    return request.param
