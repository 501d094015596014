"""Narrative budget arithmetic (B002–B005, B010–B013): amounts, sentence trees, and the findings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import layout
from audit.facts.amounts import extract_narrative, read_label
from audit.model import Severity, Status
from audit.pipeline import Options, audit_path, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

# the narrative rules, plus B006 whose narrative side (the 三公 sentence) is declared with the table side
RULES = RuleSet(
    load_rule_file(data_dir("rules") / "budget_narrative.yaml")
    + [r for r in load_rule_file(data_dir("rules") / "budget_tables.yaml") if r.id == "B006"]
)
IDS = {r.id for r in RULES}


def run(text: str, path: str = "<fixture>"):
    return audit_source(from_text(text, path), RULES, Options(selected=IDS))


def facts(text: str):
    return extract_narrative(layout.blocks(from_text(text)))


def tally(report, rule: str) -> dict[str, int]:
    t = report.checks[rule]
    return {s.value: getattr(t, s.value) for s in Status if getattr(t, s.value)}


SEED_003 = (
    "2、支出说明\n"
    "反映本部门支出预算的总体情况。2020年支出预算8579.96万元，其中基本支出5089.05万元，包括人员经费4820.17万元"
    "和日常公用经费988.88万元；项目支出2770.91万元，主要为侦查破案费等。\n"
)


# --- facts --------------------------------------------------------------------------------------


def test_labels_years_and_directions():
    assert read_label("2020年部门预算较2019年增加") == ("部门预算", 2020, 1, True)
    assert read_label(",比上年减少") == ("", None, -1, True)
    assert read_label('本单位2023年"三公经费"预算总额为')[0] == "本单位三公经费"
    assert read_label("公务用车购置及运 维费中的公务用车购置费")[0] == "公务用车购置费"


def test_a_year_is_never_an_amount_and_ocr_gaps_are_repaired():
    f = facts("2023 年单位预算支出为 1220. 18 万元, 其中: 基本支出 985. 67 万元; 项目支出 234. 51 万元。\n")
    values = [a.value for a in f.amounts]
    assert values == [Decimal("1220.18"), Decimal("985.67"), Decimal("234.51")]
    assert all(a.value != 2023 for a in f.amounts)
    statement = f.statements[0]
    assert [n.concept for n in statement.nodes] == ["支出", "基本支出", "项目支出"]
    assert [n.parent for n in statement.nodes] == [None, 0, 0]


def test_nested_lists_close_at_semicolon_and_parenthesis():
    f = facts(
        "三公经费预算安排145.15万元，其中因公出国（境）费0万元；公务用车购置及运维费140.15万元"
        "（其中：公务用车购置费为0万元，公务用车运行费140.15万元)；公务接待费5万元。\n"
    )
    nodes = f.statements[0].nodes
    assert [(n.concept, n.parent) for n in nodes] == [
        ("三公经费", None),
        ("因公出国境费", 0),
        ("公务用车购置及运行费", 0),
        ("公务用车购置费", 2),
        ("公务用车运行费", 2),
        ("公务接待费", 0),
    ]


def test_changes_attach_to_their_figure_and_flat_is_noted():
    f = facts(
        "“三公”经费预算共安排255.51万元，比上年增加137.75万元。其中公务用车运行费97.36万元，比上年减少12.24万元；"
        "公务用车购置费150万元，比上年增加150万元；公务接待费8.15万元，与上年基本持平。\n"
    )
    nodes = f.statements[0].nodes  # the sentence opening with 其中 continues the one before
    assert nodes[0].change.value == Decimal("137.75") and nodes[0].change_sign == 1
    assert nodes[1].change_sign == -1 and nodes[1].parent == 0
    assert nodes[3].flat


def test_targets_with_comparators_are_not_amounts():
    f = facts("成本指标 人均费用 ≤40 元，包括资料印刷费≤2万元。\n")
    assert not any(n.parent is not None for s in f.statements for n in s.nodes)


# --- B002 / B003: the seed 003 slip, reported once ------------------------------------------------


def test_seed_003_slip_is_one_root_cause_with_a_linked_consequence():
    report = run(SEED_003)
    by_rule = {f.rule: f for f in report.findings}
    root, knock = by_rule["B003"], by_rule["B002"]
    assert root.severity == Severity.ERROR
    assert "5809.05" in root.suggestion.zh and "5809.05" in root.suggestion.en
    assert root.evidence.stated == "5089.05" and root.evidence.computed == "5809.05"
    assert "swapped" in root.evidence.diagnosis_for("en") and "5809.05" in root.evidence.diagnosis_for("zh")
    assert [t.value for t in root.evidence.terms] == ["4820.17", "988.88"]
    line = SEED_003.splitlines()[1]
    assert root.span.line == 2 and line[root.span.column - 1 :].startswith("5089.05")
    # the knock-on failure says it follows from the same slip and points at it
    assert knock.severity == Severity.INFO
    assert "同一笔误" in knock.message.zh and "5809.05" in knock.message.zh
    assert knock.related[0] == root.span
    assert line[knock.span.column - 1 :].startswith("8579.96")


def test_consistent_decomposition_passes_within_rounding():
    report = run(
        "2020年部门支出预算为100.00万元，其中基本支出33.33万元，包括人员经费22.22万元和日常公用经费11.12万元；"
        "项目支出66.68万元。\n"
    )
    assert report.findings == []
    assert tally(report, "B002") == {"passed": 1}
    assert tally(report, "B003") == {"passed": 1}


def test_declared_identity_with_all_parts_fails_on_a_shortfall():
    report = run("2020年支出预算100.00万元，其中基本支出30.00万元，项目支出60.00万元。\n")
    (finding,) = report.findings
    assert finding.rule == "B002" and finding.evidence.computed == "90.00"
    assert finding.evidence.tolerance == "0.015"


# --- B004: any listing ----------------------------------------------------------------------------


def test_partial_listing_short_of_its_total_is_not_a_finding():
    report = run("2020年预算收入100万元，其中：非限额补助60万元。\n")
    assert report.findings == []
    assert tally(report, "B004") == {"insufficient_data": 1}


def test_listing_whose_parts_exceed_the_total_fails():
    report = run("2020年预算收入100万元，其中：非限额补助60万元，转移支付50万元。\n")
    (finding,) = report.findings
    assert finding.rule == "B004" and finding.evidence.computed == "110"


def test_three_public_costs_through_vehicle_subparts():
    good = run("“三公”经费预算共安排255.51万元。其中公务用车运行费97.36万元；公务用车购置费150万元；公务接待费8.15万元。\n")
    assert good.findings == [] and tally(good, "B006") == {"passed": 1}
    bad = run(
        "本单位“三公经费”预算总额为11.29万元，其中：因公出国（境）费0万元；公务用车购置及运维费10.78万元；公务接待0.15万元。\n"
    )
    (finding,) = bad.findings
    assert finding.rule == "B006"
    assert "0.51" in finding.suggestion.zh  # 0.15 ↔ 0.51: adjacent digits swapped


# --- B005 / B013: changes -----------------------------------------------------------------------------


def test_change_parts_transposition():
    report = run("2020年预算较2019年预算增加80.31万元，其中：基本支出减少136.32万元；项目支出增加261.63万元。\n")
    (finding,) = report.findings
    assert finding.rule == "B005" and "216.63" in finding.suggestion.zh


def test_change_parts_sign_slip():
    report = run("2020年预算较2019年预算增加80.31万元，其中：基本支出增加136.32万元；项目支出增加216.63万元。\n")
    (finding,) = report.findings
    assert finding.rule == "B005" and "wrong direction" in finding.evidence.diagnosis_for("en")
    assert "减少" in finding.message.zh


def test_change_parts_that_add_up_pass():
    report = run("2020年预算较2019年预算增加80.31万元，其中：基本支出减少136.32万元；项目支出增加216.63万元。\n")
    assert report.findings == [] and tally(report, "B005") == {"passed": 1}


LAST_YEAR = (
    "本单位2023年“三公经费”预算总额为11.29万元。2022年“三公经费”为11.31万元。\n"
    "与2022年相比，2023年“三公经费”{word}了{change}万元。\n"
)


def test_this_year_minus_last_year_and_the_direction_word():
    assert run(LAST_YEAR.format(word="减少", change="0.02")).findings == []
    wrong_word = run(LAST_YEAR.format(word="增加", change="0.02"))
    assert [f.rule for f in wrong_word.findings] == ["B013"]
    assert "减少" in wrong_word.findings[0].message.zh
    wrong_size = run(LAST_YEAR.format(word="减少", change="0.20"))
    assert [f.rule for f in wrong_size.findings] == ["B005"]


def test_stated_rate():
    ok = run("公务接待费110.00万元，比上年增加10.00万元，增长10%。\n")
    assert ok.findings == [] and tally(ok, "B013") == {"passed": 1}
    bad = run("公务接待费110.00万元，比上年增加10.00万元，增长12%。\n")
    assert [f.rule for f in bad.findings] == ["B013"]


# --- B010 / B012 shares, B011 products ---------------------------------------------------------------


ASSETS = "本部门国有资产总额1574.39万元，其中： 流动资产256.81万元，占比{a}%；固定资产净值1162.8万元，占比73.86%；无形资产净值154.78万元，占比9.83%。\n"


def test_shares_and_their_partition():
    good = run(ASSETS.format(a="16.31"))
    assert good.findings == []
    assert tally(good, "B010") == {"passed": 3} and tally(good, "B012") == {"passed": 1}
    bad = run(ASSETS.format(a="61.31"))
    assert sorted(f.rule for f in bad.findings) == ["B010", "B012"]
    share = next(f for f in bad.findings if f.rule == "B010")
    assert share.evidence.computed == "16.31%"
    assert "16.31%" in share.suggestion.zh  # 61.31 ↔ 16.31: two digits swapped
    # the partition fails only because of that share: a consequence, pointing at it
    split = next(f for f in bad.findings if f.rule == "B012")
    assert split.severity == Severity.INFO and split.related == [share.span]


def test_listed_split_must_reach_100():
    assert run("明确派出所以“6+2+2”（60%工作重心在防范、20%在打击、20%在服务）为导向。\n").findings == []
    (finding,) = run("明确（60%工作重心在防范、20%在打击、30%在服务）。\n").findings
    assert finding.rule == "B012" and finding.evidence.computed == "110%"


def test_written_product_in_a_table_cell():
    cells = "\t成本指标\n\t总成本控制\n\t伙食费项10*365={x}元、医疗项116350元。\n\t符号  <=  值  12.00  单位  万元\n\n"
    assert tally(run(cells.format(x="3650")), "B011") == {"passed": 1}
    (finding,) = run(cells.format(x="3560")).findings
    assert finding.rule == "B011" and finding.evidence.computed == "3650元"
    grid = "成本指标\t387人×800元=30.96万元\t说明\n"
    assert tally(run(grid), "B011") == {"passed": 1}


def test_no_b_finding_on_nothing():
    report = run("本文件没有数字。\n")
    assert report.findings == []
    assert tally(report, "B002") == {"not_applicable": 1}


# --- the seeds --------------------------------------------------------------------------------------


def _seed_report(path: Path):
    return audit_path(path, RULES, Options(selected=IDS))


def test_seed_003_only_the_real_slip(seed):
    report = _seed_report(seed("003"))
    assert [(f.rule, f.span.line, f.severity.value) for f in report.findings] == [
        ("B002", 40, "info"),
        ("B003", 40, "error"),
    ]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "004"])
def test_seeds_that_add_up_have_no_b_findings(seed, prefix):
    report = _seed_report(seed(prefix))
    assert report.findings == []


@pytest.mark.parametrize(
    "prefix, evaluated",
    [("000", 11), ("003", 7), ("004", 14)],
)
def test_seed_narratives_are_read(seed, prefix, evaluated):
    """The narrative identities are evaluated, not silently skipped."""
    report = _seed_report(seed(prefix))
    checked = sum(t.passed + t.failed for t in report.checks.values())
    assert checked >= evaluated


# --- parsing that decides what is a part of what -------------------------------------------------


def test_comma_after_a_full_nested_list_returns_to_the_outer_list():
    text = "2020年支出预算100.00万元，其中基本支出60.00万元，包括人员经费40.00万元、日常公用经费20.00万元，项目支出40.00万元。\n"
    assert run(text).findings == []
    # the same with the seed-003 slip: 项目支出 is 基本支出's sibling, so the slip is still found
    slip = "2020年支出预算8579.96万元，其中基本支出5089.05万元，包括人员经费4820.17万元和日常公用经费988.88万元，项目支出2770.91万元。\n"
    assert sorted((f.rule, f.severity.value) for f in run(slip).findings) == [("B002", "info"), ("B003", "error")]


def test_respectively_pairs_names_with_figures():
    f = facts("预算支出100万元，其中基本支出和项目支出分别为60万元和40万元。\n")
    assert [n.concept for n in f.statements[0].nodes] == ["支出", "基本支出", "项目支出"]
    assert run("预算支出100万元，其中基本支出和项目支出分别为60万元和30万元。\n").findings[0].rule == "B002"


def test_change_listing_only_some_parts_is_not_a_finding():
    report = run("2020年预算较2019年预算增加100.00万元，其中：人员经费增加60.00万元，主要是调资。\n")
    assert report.findings == [] and tally(report, "B005") == {"insufficient_data": 1}


def test_targets_and_rates_in_parentheses_are_not_a_split():
    report = run("考核指标（完成率95%、满意度90%），目标（≥60%、≥50%）。\n")
    assert report.findings == [] and "B012" not in {f.rule for f in report.findings}
    assert tally(report, "B012") == {"not_applicable": 1}


def test_last_year_outturn_is_not_compared_with_a_budget_change():
    text = "2023年三公经费预算11.29万元，比上年减少0.02万元。2022年三公经费{kind}为10.00万元。\n"
    assert run(text.format(kind="决算")).findings == []
    assert {f.rule for f in run(text.format(kind="预算")).findings} == {"B005", "B013"}


TYPICAL = """一、收入预算情况
2021年部门收入预算合计1234.56万元，其中：一般公共预算拨款收入1200.00万元，占97.2%；上年结转34.56万元，占2.8%。
二、支出预算情况
2021年部门支出预算合计1234.56万元，其中：基本支出1000.00万元，占81%；项目支出234.56万元，占19%。
三、“三公”经费预算情况
2021年“三公”经费预算数为12.5万元，比上年预算减少2.3万元，下降15.5%。其中：因公出国（境）费0万元，与上年持平；公务用车购置及运行维护费10万元（其中公务用车购置费0万元，公务用车运行维护费10万元），比上年减少2万元，下降16.7%；公务接待费2.5万元，比上年减少0.3万元，下降10.7%。
四、其他
2023年单位预算收入为1220.18万元，其中：财政拨款收入1183.74万元（一般公共预算拨款1000.00万元，政府性基金183.74万元），上年结转结余36.44万元。
支出100万元，其中基本支出600000元（60万元），项目支出400000元（40万元）。
"""


def test_a_typical_narrative_adds_up_everywhere():
    report = run(TYPICAL)
    assert report.findings == []
    checked = {rule: t.passed for rule, t in report.checks.items() if t.passed}
    assert checked == {"B002": 2, "B004": 5, "B005": 1, "B006": 2, "B010": 4, "B012": 2, "B013": 3}


def test_brackets_after_a_figure_hold_its_own_breakdown():
    f = facts("收入1220.18万元，其中：财政拨款收入1183.74万元（一般公共预算1000.00万元，政府性基金183.74万元），上年结转结余36.44万元。\n")
    assert [n.parent for n in f.statements[0].nodes] == [None, 0, 1, 1, 0]
    # and what follows the brackets is about the figure before them
    f = facts("公务用车购置及运行维护费10万元（其中公务用车购置费0万元，公务用车运行维护费10万元），比上年减少2万元。\n")
    assert f.statements[0].nodes[0].change.value == 2


def test_shares_of_a_partial_listing_may_fall_short_but_not_exceed():
    short = run("收入1000.00万元，其中：财政拨款收入600.00万元，占60%；事业收入100.00万元，占10%。\n")
    assert short.findings == [] and tally(short, "B012") == {"insufficient_data": 1}
    over = run("收入1000.00万元，其中：财政拨款收入600.00万元，占60%；事业收入500.00万元，占50%。\n")
    assert "B012" in {f.rule for f in over.findings}


def test_a_share_of_a_named_whole():
    text = "支出1000.00万元，其中基本支出600.00万元，包括人员经费300.00万元，占支出的{p}%，和日常公用经费300.00万元；项目支出400.00万元。\n"
    assert run(text.format(p="30")).findings == []
    assert [f.rule for f in run(text.format(p="50")).findings] == ["B010"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,，。；;:：、()（）%万元亿其中包括和增加减少比上年占比基本支出项目人员经费分别为 \n\t≤*×=", max_size=200))
def test_extraction_and_checks_never_raise(text):
    report = run(text + "x")
    assert not [f for f in report.findings if f.rule == "X001"]


def test_a_heading_line_is_not_part_of_the_next_label():
    f = facts("第三部分 机关运行经费安排情况\n机关运行经费共计安排805.43万元，主要用于办公。\n")
    assert f.statements[0].nodes[0].label == "机关运行经费"
    assert f.statements[0].span.line == 2


def test_mainly_used_for_lists_parts_and_their_shares():
    text = "一般公共预算支出1000.00万元，主要用于：公共安全支出800.00万元，占{p}%；社会保障和就业支出100.00万元，占10%。\n"
    assert run(text.format(p="80")).findings == []
    assert {f.rule for f in run(text.format(p="70")).findings} == {"B010"}
    assert run("机关运行经费110.00万元，比上年增加10.00万元，增幅为10%。\n").findings == []
    assert [f.rule for f in run("机关运行经费110.00万元，比上年增加10.00万元，增幅为20%。\n").findings] == ["B013"]


def test_rates_and_shares_find_their_base_in_another_sentence():
    text = (
        "2019年度收入总计500.00万元，支出总计500.00万元。与2018年相比，收入总计增加50.00万元，增长{rate}%。\n"
        "政府采购支出总额200.00万元。授予中小企业合同金额150.00万元，占政府采购支出总额的{share}%。\n"
    )
    ok = run(text.format(rate="11.1", share="75"))
    assert ok.findings == []
    assert tally(ok, "B013") == {"passed": 1} and tally(ok, "B010") == {"passed": 1}
    bad = run(text.format(rate="10.0", share="57"))
    assert sorted(f.rule for f in bad.findings) == ["B010", "B013"]


def test_products_compare_in_the_right_unit():
    cell = "\t成本\n\t{text}\n\n"
    assert tally(run(cell.format(text="2*3=6万元")), "B011") == {"passed": 1}  # no price: 6 of the result's unit
    assert tally(run(cell.format(text="387人×800元/人=30.96万元")), "B011") == {"passed": 1}
    assert [f.rule for f in run(cell.format(text="387人×800元/人=39.06万元")).findings] == ["B011"]


_PIECES = [
    "支出", "收入", "基本支出", "项目支出", "人员经费", "日常公用经费", "三公经费", "公务接待费", "因公出国(境)费",
    "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "其中", "包括", "和", "、", "，", "；", "。", "(", ")",
    "（", "）", "比上年", "增加", "减少", "持平", "占比", "增长", "下降", "%", "万元", "元", "亿元", "2023年", "2022年",
    "分别为", "主要用于", "≤", "*", "=", "0", "1", "12.5", "100.00", "3.2", "60", "40", "\n", "第三部分 情况\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_sentence_shaped_noise_never_crashes(parts):
    report = run("".join(parts) + "x")
    assert not [f for f in report.findings if f.rule == "X001"]


def test_b006_narrative_message_fills_every_placeholder():
    bad = run("本单位“三公经费”预算总额为11.29万元，其中：因公出国（境）费0万元；公务用车购置及运维费10.78万元；公务接待0.15万元。\n")
    (finding,) = bad.findings
    for text in (finding.message.zh, finding.message.en):
        assert "{" not in text and "11.29" in text


SPREAD = "2026年三公经费共安排50.00万元，比上年增加5.00万元。其中公务用车运行费20.00万元，比上年减少1.00万元；公务用车购置费25.00万元，比上年增加{buy}万元；公务接待费5.00万元，与上年{flat}持平。\n"


def test_a_total_spread_over_clauses_adds_up_in_levels_and_changes():
    ok = run(SPREAD.format(buy="6.00", flat=""))
    assert [f for f in ok.findings if f.severity != Severity.INFO] == [] and tally(ok, "B005") == {"passed": 1}
    [finding] = [f for f in run(SPREAD.format(buy="7.00", flat="")).findings if f.rule == "B005"]
    assert "+6.00" in finding.message.zh and "持平" in finding.message.zh
    # 基本持平 is about no change: a gap may be its, so nothing is claimed
    assert [f.rule for f in run(SPREAD.format(buy="7.00", flat="基本")).findings if f.rule == "B005"] == []
