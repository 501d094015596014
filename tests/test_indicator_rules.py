"""I001–I011 on small 绩效目标表 fixtures written here, in both table layouts (cell-per-line and
tab-grid), plus the acceptance findings on the seed disclosures."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.checks import load_kinds
from audit.engine import CheckContext
from audit.pipeline import analyse
from audit.resources import data_dir
from audit.rules import load_rule_file
from audit.source import from_text, load

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
    ctx = CheckContext(rule, doc)
    load_kinds()[rule.kind](ctx)
    return ctx


def messages(ctx: CheckContext) -> list[str]:
    return [f.message.zh for f in ctx.findings]


LAYOUTS = ["cells", "grid"]


@pytest.fixture(params=LAYOUTS)
def layout(request) -> str:
    return request.param


# --- the sound table is silent for every I rule ------------------------------------------------


@pytest.mark.parametrize("rule_id", [f"I{n:03d}" for n in range(1, 12)])
def test_sound_table_is_silent(rule_id, layout):
    ctx = run(rule_id, document(SOUND, layout=layout))
    assert ctx.findings == []
    assert ctx.tally.passed + ctx.tally.not_applicable > 0


def test_fixture_is_read_in_both_layouts(layout):
    doc = analyse(from_text(document(SOUND, layout=layout)))
    [project] = doc.facts.projects
    assert len(project.indicators) == len(SOUND)
    assert [i.level1 for i in project.indicators][:1] == ["产出指标"]


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


# --- I006 -----------------------------------------------------------------------------------


def test_i006_missing_satisfaction(layout):
    rows = [r for r in SOUND if r[0] != "满意度指标"]
    [finding] = run("I006", document(rows, layout=layout)).findings
    assert "满意度指标" in finding.message.zh


def test_i006_wrong_parent():
    rows = [list(r) for r in SOUND]
    rows[-1] = ["满意度指标", "社会效益指标", "参训人员满意度", "参训人员满意度", "≥90%", ""]
    findings = run("I006", document(rows)).findings
    assert any("应属于“效益指标”" in f.message.zh for f in findings)


def test_i006_either_schema_and_aliases_are_complete():
    rows = [list(r) for r in SOUND]
    rows[5][0] = "效果指标"  # 2020 template
    rows[3] = ["成本指标", "经济成本指标", "成本控制率", "实际支出占预算金额的比例", "≤100%", ""]  # 财预〔2021〕101号
    assert run("I006", document(rows)).findings == []


def test_i006_garbled_level1_inferred_from_level2():
    rows = [list(r) for r in SOUND]
    rows[-1][0] = "俩恩 度相似"  # OCR damage
    assert run("I006", document(rows, layout="grid")).findings == []


# --- I007 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value,glued", [("≥160年抓获犯罪嫌疑人数量", "年抓获犯罪嫌疑人数量"), ("90不超出预算数", "不超出预算数")])
def test_i007_glued(layout, value, glued):
    [finding] = run("I007", document(replace(SOUND, "培训人数", value=value), layout=layout)).findings
    assert value in finding.message.zh and glued in finding.message.zh


# --- I008 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("goal,word", [("1.目标内容1保障工作正常开展", "目标内容1"), ("1.1", "只有编号")])
def test_i008_placeholder_goal(layout, goal, word):
    [finding] = run("I008", document(SOUND, goal=goal, layout=layout)).findings
    assert word in finding.message.zh


def test_i008_empty_value():
    rows = replace(SOUND, "培训人数", value="")
    findings = run("I008", document(rows)).findings
    assert any("未填写" in f.message.zh for f in findings)


# --- I009 -----------------------------------------------------------------------------------


def test_i009_names_the_other_project(layout):
    first = document(SOUND, name="视频运维经费", index=1, layout=layout)
    first = first.replace("≤30万元", "≤39.75万元")
    rows = replace(SOUND, "持续发挥作用年限", value="符号 文字描述 值 39.75 单位 及时")
    second = document(rows, name="铁塔服务费", index=2, layout=layout)
    [finding] = run("I009", first + second).findings
    assert "39.75" in finding.message.zh
    assert "「视频运维经费」" in finding.message.zh and "复制" in finding.message.zh
    assert finding.related and finding.related[0].line < finding.span.line
    line = (first + second).splitlines()[finding.span.line - 1]
    assert line[finding.span.column - 1 : finding.span.end_column - 1] == "39.75"  # the figure itself


def test_i009_text_described_without_number_is_fine():
    rows = replace(SOUND, "持续发挥作用年限", value="符号文字描述单位提高")
    assert run("I009", document(rows)).findings == []


# --- I010 -----------------------------------------------------------------------------------


def test_i010_copied_tables_reported_once(layout):
    text = "".join(document(SOUND, name=n, index=i, layout=layout) for i, n in enumerate(["甲项目", "乙项目", "丙项目"], 1))
    [finding] = run("I010", text).findings
    assert "「乙项目」" in finding.message.zh and "「丙项目」" in finding.message.zh
    assert len(finding.related) == 2


def test_i010_different_tables_are_fine():
    other = replace(SOUND, "培训人数", value="≥600人")
    text = document(SOUND, name="甲项目") + document(other, name="乙项目", index=2)
    assert run("I010", text).findings == []


def test_i010_repeated_level3_within_a_table():
    rows = [list(r) for r in SOUND]
    rows[1][2] = "培训人数"
    [finding] = run("I010", document(rows)).findings
    assert "重复" in finding.message.zh


# --- I011 -----------------------------------------------------------------------------------


def test_i011_process_measure(layout):
    rows = replace(SOUND, "响应时间", name="资金到位率", description="资金及时到位拨付", value="100%")
    [finding] = run("I011", document(rows, layout=layout)).findings
    assert "资金到位" in finding.message.zh


def test_i011_budget_execution_under_cost_is_left_alone():
    rows = replace(SOUND, "成本控制率", name="预算执行率", description="预算执行率", value="≥90%")
    assert run("I011", document(rows)).findings == []


# --- the seeds ---------------------------------------------------------------------------------


def _seed_findings(seed_path, rule_ids):
    doc = analyse(load(seed_path))
    out = []
    for rule_id in rule_ids:
        ctx = CheckContext(RULES[rule_id], doc)
        load_kinds()[RULES[rule_id].kind](ctx)
        out += ctx.findings
    return out


def _seed(corpus_dir, prefix):
    return next(p for p in sorted(corpus_dir.glob("*.txt")) if p.name.startswith(prefix))


ALL_I = [f"I{n:03d}" for n in range(1, 12)]


def test_seed_acceptance(corpus_dir):
    by_seed = {p: _seed_findings(_seed(corpus_dir, p), ALL_I) for p in ("000", "001", "002", "003", "004")}

    def has(seed, rule, *words):
        return any(f.rule == rule and all(w in f.message.zh for w in words) for f in by_seed[seed])

    assert sum(1 for f in by_seed["000"] if f.rule == "I001" and "≥0%" in f.message.zh) >= 150
    assert has("001", "I002", "≥100百分比") and has("001", "I002", "≥100百分百") and has("002", "I002", "≥100%")
    assert has("001", "I003", "≥168小时") and has("001", "I003", "下降率", "≤80百分比") and has("003", "I003", "满意度", "<=")
    assert has("001", "I004", "≤30百分比") and has("001", "I004", "警务站数量", "≥95百分比")
    assert has("001", "I005") and has("002", "I005")
    assert sum(1 for f in by_seed["001"] if f.rule == "I006" and "满意度指标" in f.message.zh) == 4
    assert any(f.rule == "I006" for f in by_seed["004"])
    assert has("001", "I007", "≥160年抓获犯罪嫌疑人数量") and has("001", "I007", "90不超出预算数")
    assert has("001", "I008", "目标内容1") and has("001", "I008", "“1.1”")
    assert has("003", "I009", "39.75", "「移动警务终端手机年服务费」")


def test_seed_no_false_alarms_on_sound_targets(corpus_dir):
    """成本控制率 ≤100%, 响应时间 ≤24小时/≤6小时 and the like never appear in a finding."""
    for prefix in ("001", "002", "003", "004"):
        for finding in _seed_findings(_seed(corpus_dir, prefix), ALL_I):
            text = finding.message.zh
            assert not ("成本控制率" in text and "≤100" in text), text
            assert not ("响应时间" in text and "≤" in text), text


def test_i007_bracketed_remark_is_readable():
    rows = replace(SOUND, "培训合格率", value="≥95%（含）")
    assert run("I007", document(rows)).findings == []


def test_i008_sound_goal_is_silent():
    assert run("I008", document(SOUND, goal="1.完成年度培训任务500人次")).findings == []


# --- robustness -----------------------------------------------------------------------------------


_VALUE_PIECES = st.lists(
    st.sampled_from(["≥", "≤", "<", ">", "=", "符号", "文字描述", "值", "单位", "0", "100", "95.5", "%", "百分比", "万", "万元", "元/人", "人", "小时", "月", "年", "抓获", "(含)", " ", "—"]),
    max_size=6,
).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_VALUE_PIECES, name=st.sampled_from(["培训合格率", "警务站数量", "响应时间", "项目成本", "安全事故数", "治安案件下降率"]))
def test_any_value_never_crashes_any_rule(value, name):
    text = document(replace(SOUND, "培训合格率", name=name, description=name, value=value))
    for rule_id in [f"I{n:03d}" for n in range(1, 12)] + ["C001", "C002", "C003", "C004", "C005"]:
        ctx = run(rule_id, text)
        for finding in ctx.findings:
            assert finding.message.zh and finding.message.en and "{" not in finding.message.zh
