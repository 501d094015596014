"""I001–I005 (audit/checks/indicators/values.py): vacuous targets, percentage bounds, direction,
unit, no unit."""

from __future__ import annotations

import pytest

from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


# --- I001 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level3,value",
    [("培训合格率", "≥0%"), ("培训人数", "≥0人"), ("培训合格率", ">0%"), ("培训合格率", "≤100%"), ("培训合格率", "0%")],
)
def test_i001_vacuous(layout, level3, value):
    ctx = run("I001", document(replace(SOUND, level3, value=value), layout=layout))
    assert len(ctx.findings) == 1
    finding = ctx.findings[0]
    assert value in finding.message.zh and "无法考核" in finding.message.zh
    assert "≥90%" in finding.suggestion.zh or "≥N" in finding.suggestion.zh


@pytest.mark.parametrize("value", ["=0起", "≤0起", "0起"])
def test_i001_zero_on_negative_sense_is_a_real_target(value):
    assert run("I001", document(replace(SOUND, "安全事故数", value=value))).findings == []


def test_i001_points_at_the_value_cell():
    text = document(replace(SOUND, "培训合格率", value="≥0%"))
    [finding] = run("I001", text).findings
    line = text.splitlines()[finding.span.line - 1]
    assert line[finding.span.column - 1 :].startswith("≥0%")


# --- I002 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value,word", [("≥100%", "只有 100%"), ("≥100百分百", "只有 100%"), (">100%", "不可能"), ("≥120%", "不可能")])
def test_i002_degenerate(layout, value, word):
    [finding] = run("I002", document(replace(SOUND, "培训合格率", value=value), layout=layout)).findings
    assert word in finding.message.zh


def test_i002_budget_ratio_says_overspend():
    [finding] = run("I002", document(replace(SOUND, "成本控制率", value="≥100%"))).findings
    assert "超出预算" in finding.message.zh and "≤100%" in finding.suggestion.zh


def test_i002_unitless_rate_read_as_percent():
    [finding] = run("I002", document(replace(SOUND, "培训合格率", value="≥100"))).findings
    assert "读作 %" in finding.message.zh


@pytest.mark.parametrize("value", ["=100%", "100%", "≥95%", "≤100%"])
def test_i002_sound(value):
    assert run("I002", document(replace(SOUND, "培训合格率", value=value))).findings == []


# --- I003 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level3,name,value,need",
    [
        ("参训人员满意度", "参训人员满意度", "≤95%", "≥"),
        ("培训合格率", "治安、刑事案件下降率(%)", "≤80百分比", "≥"),
        ("响应时间", "治安、刑事案件处理及时性", "≥168小时", "≤"),
        ("培训合格率", "执法办案行为投诉率", "≥20%", "≤"),
    ],
)
def test_i003_wrong_direction(layout, level3, name, value, need):
    rows = replace(SOUND, level3, name=name, description=name, value=value)
    [finding] = run("I003", document(rows, layout=layout)).findings
    assert f"应使用 {need}" in finding.message.zh
    assert need in finding.suggestion.zh


@pytest.mark.parametrize(
    "name,value",
    [("成本控制率", "≤100%"), ("响应时间", "≤24小时"), ("执法办案行为投诉率", "≤5%"), ("值班值守情况", "≥24小时"), ("与上年对比群众投诉率下降", "≤10%")],
)
def test_i003_sound(name, value):
    rows = replace(SOUND, "培训合格率", name=name, description=name, value=value)
    assert run("I003", document(rows)).findings == []


# --- I004 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level3,name,description,value,word",
    [
        ("培训人数", "警务站数量", "7个警务站", "≥95百分比", "数量类"),
        ("响应时间", "爆炸物品处置销毁", "爆炸物品处置销毁天数", "≤30百分比", "时长类"),
        ("响应时间", "按照合同时间缴纳费用", "按照合同时间缴纳费用", "17万元", "时效指标"),
        ("项目成本", "安保投入警力数量", "安保投入警力数量", "≥200人", "成本指标"),
        ("培训合格率", "安全事故发生数量控制率", "安全事故发生数量控制率", "≤10次", "比率类"),
        ("持续发挥作用年限", "按时完成", "维护服务", "=112月", "不合常理"),
    ],
)
def test_i004_unit_mismatch(layout, level3, name, description, value, word):
    rows = replace(SOUND, level3, name=name, description=description, value=value)
    [finding] = run("I004", document(rows, layout=layout)).findings
    assert word in finding.message.zh


@pytest.mark.parametrize(
    "level3,name,description,value",
    [
        ("培训合格率", "工作完成及时性", "各项工作按计划时间完成", "≥95%"),
        ("培训人数", "实际受理案件数量", "实际受理案件数量增长率", "≥10%"),
        ("响应时间", "按照时间节点缴纳保费", "按照时间节点缴纳保费", "≥10月份"),
        ("培训合格率", "乡镇收益数量", "乡镇收益数量", "≥17.5万元"),
        ("培训合格率", "公众安全感指数", "治安管理满意数/总调查人数", "≥90%"),
        ("培训合格率", "按时缴纳保费", "按时缴纳保费", "≤10月底"),
    ],
)
def test_i004_sound(level3, name, description, value):
    rows = replace(SOUND, level3, name=name, description=description, value=value)
    assert run("I004", document(rows)).findings == []


# --- I005 -----------------------------------------------------------------------------------


def test_i005_no_unit(layout):
    [finding] = run("I005", document(replace(SOUND, "培训合格率", value="≥90"), layout=layout)).findings
    assert "≥90" in finding.message.zh and "≥90%" in finding.suggestion.zh


@pytest.mark.parametrize("name", ["培训合格率(%)", "培训合格率（%）", "培训合格率 ( % )"])
def test_i005_unit_stated_in_the_name_is_not_reported(layout, name):
    """群众满意度(%) | ≥100: the name carries the unit, as a column header would."""
    rows = replace(SOUND, "培训合格率", name=name, value="≥90")
    assert run("I005", document(rows, layout=layout)).findings == []


def test_i005_bracket_that_is_no_unit_still_reported():
    rows = replace(SOUND, "培训合格率", name="培训合格率(试点)", value="≥90")
    assert len(run("I005", document(rows)).findings) == 1


def test_i005_text_described_without_unit_is_not_reported():
    rows = replace(SOUND, "培训合格率", value="符号 文字描述 值 95.00 单位 长期")
    assert run("I005", document(rows)).findings == []
