"""C001–C005 on small 绩效目标表 fixtures (cell-per-line and tab-grid), and on the seeds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.analysis import Analysis
from audit.rules import RuleSet
from audit.engine import CheckContext, load_kinds
from audit.pipeline import analyse
from audit.source import from_text, load
from tests.indicator_tables import RULES, SOUND, document, replace

LAYOUTS = ["cells", "grid"]


def run(rule_id: str, text: str) -> CheckContext:
    doc = analyse(from_text(text))
    rule = RULES[rule_id]
    ctx = CheckContext(rule, doc, Analysis(doc, RuleSet(list(RULES.values()))))
    load_kinds()[rule.kind](ctx)
    return ctx


@pytest.fixture(params=LAYOUTS)
def layout(request) -> str:
    return request.param


@pytest.mark.parametrize("rule_id", ["C001", "C002", "C003", "C004"])
def test_sound_table_is_silent(rule_id, layout):
    ctx = run(rule_id, document(SOUND, layout=layout))
    assert ctx.findings == []


# --- C001 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["≤35万元", "108万元", "≤350000元", ">31万元", "≤35万"])
def test_c001_cost_above_budget(layout, value):
    [finding] = run("C001", document(replace(SOUND, "项目成本", value=value), layout=layout)).findings
    assert "30.00" in finding.message.zh and "超出" in finding.message.zh
    assert finding.related  # the 预算数 cell


@pytest.mark.parametrize("value", ["≤30万元", "≤300000元", "≤29.99万元", "=30万元", "≤300004元"])
def test_c001_within_budget(value):
    assert run("C001", document(replace(SOUND, "项目成本", value=value))).findings == []


def test_c001_budget_in_yuan_table():
    def text(value):
        body = document(replace(SOUND, "项目成本", value=value), budget="300000.00", fiscal="300000.00")
        return body.replace("绩效目标表\n", "绩效目标表\n\n单位:元\n", 1)

    assert run("C001", text("≤30万元")).findings == []
    [finding] = run("C001", text("≤35万元")).findings
    assert "300000.00元" in finding.message.zh


def test_c001_no_budget_is_insufficient():
    ctx = run("C001", document(replace(SOUND, "项目成本", value="≤35万元"), budget="", fiscal=""))
    assert ctx.findings == [] and ctx.tally.insufficient_data == 1


# --- C002 -------------------------------------------------------------------------------------


def test_c002_unit_cost_times_quantity_over_budget(layout):
    rows = replace(SOUND, "项目成本", name="每人培训费用", description="每人培训费用", value="≤5万元")
    rows = replace(rows, "培训人数", value="1000人")
    [finding] = run("C002", document(rows, budget="60.00", fiscal="60.00", layout=layout)).findings
    assert "5000" in finding.message.zh and "60.00" in finding.message.zh


def test_c002_rounding_is_not_a_finding():
    rows = replace(SOUND, "项目成本", name="每名网格员APP年费用", description="每名网格员APP年费用", value="708元")
    rows = replace(rows, "培训人数", value="240人")
    assert run("C002", document(rows, budget="17.00", fiscal="17.00")).findings == []


def test_c002_per_unit_rate_unit():
    rows = replace(SOUND, "项目成本", name="视频传输线路", description="平均线路费用", value="≤4380元/条")
    rows = replace(rows, "培训人数", name="视频传输线路数量", description="线路数量", value="36条")
    assert run("C002", document(rows, budget="15.77", fiscal="15.77")).findings == []
    [finding] = run("C002", document(rows, budget="10.00", fiscal="10.00")).findings
    assert "15.77" in finding.message.zh


def test_c002_total_entered_as_unit_cost_is_diagnosed():
    rows = replace(SOUND, "项目成本", name="治安保险每户参保金额", description="每户参保金额", value="≥90万元")
    rows = replace(rows, "培训人数", name="参保户数", description="参保户数", value="≥90000户")
    [finding] = run("C002", document(rows, budget="90.00", fiscal="90.00")).findings
    assert "总额填成了单位金额" in finding.message.zh


@settings(max_examples=60, deadline=None)
@given(unit=st.integers(min_value=1, max_value=5000), count=st.integers(min_value=1, max_value=2000))
def test_c002_consistent_product_never_flagged(unit, count):
    budget = (Decimal(unit) * count / 10000).quantize(Decimal("0.01"))
    rows = replace(SOUND, "项目成本", name="每人补助标准", description="每人补助标准", value=f"{unit}元")
    rows = replace(rows, "培训人数", value=f"{count}人")
    assert run("C002", document(rows, budget=str(budget), fiscal=str(budget))).findings == []


# --- C003 -------------------------------------------------------------------------------------


def test_c003_funding_does_not_add_up(layout):
    [finding] = run("C003", document(SOUND, budget="50.00", fiscal="45.00", other="3.00", layout=layout)).findings
    assert "48.00" in finding.message.zh


@pytest.mark.parametrize("fiscal,other", [("45.00", "5.00"), ("50.00", ""), ("45", "5.00")])
def test_c003_sound(fiscal, other):
    assert run("C003", document(SOUND, budget="50.00", fiscal=fiscal, other=other)).findings == []


def test_c003_fiscal_above_budget_with_other_blank():
    [finding] = run("C003", document(SOUND, budget="50.00", fiscal="55.00")).findings
    assert "55.00" in finding.message.zh


def test_c003_fiscal_below_budget_with_other_blank_is_insufficient():
    ctx = run("C003", document(SOUND, budget="50.00", fiscal="45.00"))
    assert ctx.findings == [] and ctx.tally.insufficient_data == 1


# --- C004 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["≥14万元", "≥3000元/月", ">2万元"])
def test_c004_cost_floor(layout, value):
    [finding] = run("C004", document(replace(SOUND, "项目成本", value=value), layout=layout)).findings
    assert "下限" in finding.message.zh and "≤" in finding.suggestion.zh


def test_c004_percent_floor_is_not_a_cost_floor():
    rows = replace(SOUND, "成本控制率", name="预算执行率", description="预算执行率", value="≥90%")
    assert run("C004", document(rows)).findings == []


# --- C005 -------------------------------------------------------------------------------------


def test_c005_insufficient_without_a_project_total():
    ctx = run("C005", document(SOUND))
    assert ctx.findings == [] and ctx.tally.insufficient_data == 1


def _narrative(project_total: str) -> str:
    return f"一、收支预算总体情况\n\n本年支出预算80.00万元，其中：基本支出20.00万元，项目支出{project_total}万元。\n\n"


def test_c005_caps_above_project_total(layout):
    tables = document(SOUND, name="甲项目", layout=layout) + document(SOUND, name="乙项目", index=2, layout=layout)
    [finding] = run("C005", _narrative("50.00") + tables).findings
    assert "60" in finding.message.zh and "50" in finding.message.zh
    assert finding.span.line == 3  # the narrative figure
    assert len(finding.related) == 2


def test_c005_caps_within_project_total():
    tables = document(SOUND, name="甲项目") + document(SOUND, name="乙项目", index=2)
    ctx = run("C005", _narrative("60.00") + tables)
    assert ctx.findings == [] and ctx.tally.passed == 1


# --- the seeds --------------------------------------------------------------------------------


def _findings(path, rule_id):
    doc = analyse(load(path))
    ctx = CheckContext(RULES[rule_id], doc, Analysis(doc, RuleSet(list(RULES.values()))))
    load_kinds()[RULES[rule_id].kind](ctx)
    return ctx.findings


def test_seed_cost_above_budget(corpus_dir):
    seeds = {p.name[:3]: p for p in corpus_dir.glob("*.txt")}
    c001 = {k: _findings(seeds[k], "C001") for k in ("001", "002")}
    assert any("108万元" in f.message.zh and "90.00" in f.message.zh for f in c001["001"])
    assert any("50万元" in f.message.zh and "20.00" in f.message.zh for f in c001["001"])
    assert any(">3万元" in f.message.zh and "2.00" in f.message.zh for f in c001["002"])
    c002 = _findings(seeds["002"], "C002")
    assert any("每户" in f.message.zh for f in c002)
