"""B001/B006/B007/B008/B009/B014 on budget tables written in both layouts, and on the seeds."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.model import FileReport
from audit.pipeline import Options, audit_source
from audit.rules import load_rules
from audit.source import from_text, load
from tests.budget_fixtures import ECONOMIC, ITEM_CODES, Budget, jiangsu, putuo, wan
from tests.conftest import find_seed

RULES = load_rules()
TABLE_RULES = {"B001", "B006", "B007", "B008", "B009", "B014"}


def audit(text: str, rules: set[str] = TABLE_RULES) -> FileReport:
    return audit_source(from_text(text), RULES, Options(selected=rules))


def hits(report: FileReport) -> list[str]:
    return [f.rule for f in report.findings if f.rule in TABLE_RULES]


def grid(*rows) -> str:
    return "".join("\t".join(str(c) for c in r) + "\n" for r in rows)


def cells(*rows) -> str:
    return "".join("".join(f"\t{c}\n" for c in r) + "\n" for r in rows)


def expenditure(rows: list[tuple[str, str, str, str, str]], title: str = "单位预算支出总表") -> str:
    """A 支出总表 in the tab-grid layout: (code, name, 合计, 基本支出, 项目支出) per row."""
    body = [["序号", "科目编码", "科目名称", "合计", "基本支出", "项目支出"], ["栏次", "1", "2", "3", "4", "5"]]
    body += [[str(i), *r] for i, r in enumerate(rows, 1)]
    return f"{title}\n\n预算年度: 2023\n\n" + grid(*body) + "\n"


GOOD = [
    ("", "合计", "1220.18", "985.67", "234.51"),
    ("201", "一般公共服务支出", "930.83", "768.51", "162.32"),
    ("20131", "党委办公厅(室)及相关机构事务", "930.83", "768.51", "162.32"),
    ("2013101", "行政运行", "768.51", "768.51", ""),
    ("2013102", "一般行政管理事务", "162.32", "", "162.32"),
    ("221", "住房保障支出", "289.35", "217.16", "72.19"),
    ("22102", "住房改革支出", "289.35", "217.16", "72.19"),
    ("2210201", "住房公积金", "289.35", "217.16", "72.19"),
]


def with_row(rows, code, **changes):
    index = {"total": 2, "basic": 3, "project": 4}
    out = []
    for r in rows:
        r = list(r)
        if r[0] == code:
            for key, value in changes.items():
                r[index[key]] = value
        out.append(tuple(r))
    return out


# --- B008 / B009 ----------------------------------------------------------------------------------


def test_consistent_table_passes_every_identity():
    report = audit(expenditure(GOOD))
    assert hits(report) == []
    assert report.checks["B008"].passed == 1 + 8  # the 合计 row, and 合计 = 基本 + 项目 on each of the 8 rows
    assert report.checks["B009"].passed == 4  # 201, 20131, 221, 22102


def test_total_row_with_swapped_digits_is_diagnosed():
    report = audit(expenditure(with_row(GOOD, "", total="1202.18")))
    findings = [f for f in report.findings if f.rule == "B008"]
    assert findings, report.findings
    first = findings[0]
    assert first.evidence.stated == "1202.18" and first.evidence.computed == "1220.18"
    assert "1220.18" in first.message.zh and "相邻两位数字颠倒" in first.message.zh
    assert first.evidence.tolerance  # the rounding envelope used
    assert all(t.line for t in first.evidence.terms)


def test_row_total_is_the_sum_of_its_columns():
    report = audit(expenditure(with_row(GOOD, "2210201", project="72.91")))
    b008 = [f for f in report.findings if f.rule == "B008"]
    assert len(b008) == 1 and "住房公积金" in b008[0].message.zh
    assert b008[0].evidence.diagnosis and "72.19" in b008[0].evidence.diagnosis_for("zh")


def test_parent_row_is_the_sum_of_its_children():
    report = audit(expenditure(with_row(GOOD, "2013102", total="126.32")), {"B009"})
    (finding,) = report.findings
    assert finding.rule == "B009" and "20131" in finding.message.zh
    assert finding.evidence.stated == "930.83" and finding.evidence.computed == "894.83"


def test_one_slip_breaking_two_levels_is_reported_once_as_root_cause():
    rows = with_row(GOOD, "20131", total="903.83")
    report = audit(expenditure(rows), {"B009"})
    findings = report.findings
    assert len(findings) == 2
    (root,) = [f for f in findings if "20131" in f.message.zh.split("，")[0]]
    (consequence,) = [f for f in findings if f is not root]
    assert "颠倒" in root.message.zh and "930.83" in root.message.zh
    assert "连带结果" in consequence.message.zh
    assert root.span in consequence.related


def test_rounding_inside_the_envelope_is_not_a_finding():
    rows = [
        ("", "合计", "1.00", "1.00", ""),
        ("201", "一般公共服务支出", "1.00", "1.00", ""),
        ("20101", "人大事务", "0.33", "0.33", ""),
        ("20102", "政协事务", "0.33", "0.33", ""),
        ("20103", "政府办公厅(室)及相关机构事务", "0.33", "0.33", ""),
    ]
    assert hits(audit(expenditure(rows))) == []
    rows[2] = ("20101", "人大事务", "0.30", "0.30", "")
    assert "B009" in hits(audit(expenditure(rows)))


def test_unreadable_column_between_total_and_parts_gives_insufficient_data():
    text = "单位预算支出总表\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "口口", "项目支出"],
        ["1", "", "合计", "10.00", "6.00", "4.00"],
        ["2", "201", "一般公共服务支出", "10.00", "6.00", "4.00"],
    )
    report = audit(text, {"B008"})
    assert report.findings == []
    assert report.checks["B008"].insufficient_data == 2  # 合计 = ? + 项目 cannot be read on either row


def test_economic_hierarchy_in_basic_expenditure_table():
    text = "一般公共预算财政拨款基本支出表\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["1", "", "合计", "20.00", "15.00", "5.00"],
        ["2", "301", "工资福利支出", "15.00", "15.00", ""],
        ["3", "30101", "基本工资", "10.00", "10.00", ""],
        ["4", "30102", "津贴补贴", "4.00", "4.00", ""],
        ["5", "302", "商品和服务支出", "5.00", "", "5.00"],
    )
    report = audit(text)
    assert hits(report) == ["B009", "B009"]  # the 合计 and the 人员经费 columns of row 301
    for finding in report.findings:
        assert "301 工资福利支出" in finding.message.zh
        assert finding.evidence.stated == "15.00" and finding.evidence.computed == "14.00"
    assert report.checks["B009"].failed == 2 and report.checks["B008"].failed == 0


def test_cell_per_line_procurement_subtotal():
    def doc(subtotal: str) -> str:
        return "部门政府采购预算\n" + cells(
            ["", "单位：万元"],
            ["项目名称", "预算资金", "", "", "", "合计", "一般公共预算拨款"],
            ["某局小计", "", "", "", "", subtotal, subtotal],
            ["物业管理费", "60.00", "物业管理服务", "项", "1.00", "60.00", "60.00"],
            ["视频平台建设", "300.00", "专用设备", "批", "1.00", "40.00", "40.00"],
        )

    good = audit(doc("100.00"))
    assert hits(good) == []
    assert good.checks["B008"].passed == 1 + 3  # the 小计 row, and 合计 = 一般公共预算拨款 on each row
    bad = audit(doc("110.00"))
    assert hits(bad) == ["B008", "B008"]  # 合计 and 一般公共预算拨款 columns of the 小计 row


def test_asset_total_ignores_其中_rows_and_counts():
    def doc(total: str) -> str:
        return "部门固定资产占用情况表\n" + cells(
            ["项   目", "数量", "价值（金额单位：万元）"],
            ["资产总额", "——", total],
            ["1、房屋（平方米）", "2000", "400.00"],
            ["   其中：办公用房（平方米）", "1500", "300.00"],
            ["2、车辆（台、辆）", "99", "1056.67"],
        )

    assert hits(audit(doc("1456.67"))) == []
    assert hits(audit(doc("1756.67"))) == ["B008"]


# --- B001 -----------------------------------------------------------------------------------------


def summary(income_total: str = "1220.18", expense_total: str = "1220.18", carry: str = "36.44") -> str:
    return "单位预算收支总表\n\n" + grid(
        ["序号", "项 目", "预算数", "项 目", "预算数"],
        ["1", "一、一般公共预算拨款收入", "1183.74", "一、一般公共服务支出", "930.83"],
        ["2", "", "", "二、住房保障支出", "289.35"],
        ["3", "本年收入合计", "1183.74", "本年支出合计", "1220.18"],
        ["4", "上年结转结余", carry, "年终结转结余", ""],
        ["5", "收入总计", income_total, "支出总计", expense_total],
    )


def test_balanced_summary_passes():
    report = audit(summary())
    assert hits(report) == []
    assert report.checks["B001"].passed == 3
    assert report.checks["B008"].passed == 2  # 本年收入合计, 本年支出合计


def test_income_total_must_be_this_year_plus_carry_over():
    report = audit(summary(carry="63.44"), {"B001"})
    rules = hits(report)
    assert rules[0] == "B001"
    assert "36.44" in report.findings[0].message.zh or any("36.44" in f.message.zh for f in report.findings)


def test_income_total_must_equal_expenditure_total():
    report = audit(summary(expense_total="1202.18"), {"B001"})
    assert hits(report) == ["B001", "B001"]  # 支出总计 ≠ 本年支出合计, and 收入总计 ≠ 支出总计


# --- B006 / B014 ----------------------------------------------------------------------------------


def three_costs(reception: str = "0.51", subtotal: str = "11.29") -> str:
    return "单位预算财政拨款\"三公\"经费支出表\n\n" + grid(
        ["序号", "项 目", "合计", "一般公共预算 财政拨款"],
        ["1", "合计", subtotal, subtotal],
        ["2", "\"三公\"经费小计", subtotal, subtotal],
        ["3", "一、因公出国(境)费", "", ""],
        ["4", "二、公务用车购置及运维费", "10.78", "10.78"],
        ["5", "其中: 公务用车购置费", "", ""],
        ["6", "公务用车运行维护费", "10.78", "10.78"],
        ["7", "三、公务接待费", reception, reception],
    ) + "\n"


def basic(reception: str = "0.51") -> str:
    return "单位预算一般公共预算财政拨款基本支出表\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["1", "", "合计", "11.29", "", "11.29"],
        ["2", "302", "商品和服务支出", "11.29", "", "11.29"],
        ["3", "30217", "公务接待费", reception, "", reception],
        ["4", "30231", "公务用车运行维护费", "10.78", "", "10.78"],
    ) + "\n"


def test_three_costs_table_adds_up():
    report = audit(three_costs())
    assert hits(report) == []
    assert report.checks["B006"].passed == 3  # 小计, 合计, 公务用车购置及运维费


def test_three_costs_subtotal_mismatch():
    report = audit(three_costs(reception="0.15"), {"B006"})
    assert set(hits(report)) == {"B006"}
    assert any("0.51" in (f.evidence.diagnosis_for("zh") or "") for f in report.findings if f.evidence)


def test_economic_line_above_three_costs_item():
    ok = audit(basic() + three_costs(), {"B014"})
    assert hits(ok) == [] and ok.checks["B014"].passed == 2
    bad = audit(basic(reception="0.61").replace("11.29", "11.39") + three_costs(), {"B014"})
    (finding,) = bad.findings
    assert finding.rule == "B014" and "30217" in finding.message.zh


# --- B007 -----------------------------------------------------------------------------------------


def test_summary_and_expenditure_table_agree():
    report = audit(summary() + "\n" + expenditure(GOOD), {"B007"})
    assert hits(report) == []
    assert report.checks["B007"].passed >= 3  # 本年支出合计 and the two function classes


def test_summary_and_expenditure_table_disagree():
    rows = with_row(GOOD, "221", total="298.35")
    report = audit(summary() + "\n" + expenditure(rows), {"B007"})
    (finding,) = report.findings
    assert finding.rule == "B007" and "住房保障支出" in finding.message.zh
    assert finding.related  # the other table's cell


def test_narrative_against_tables():
    narrative = "2023年单位预算支出为1220.18万元，其中：基本支出958.67万元，项目支出234.51万元。\n\n"
    report = audit(narrative + expenditure(GOOD), {"B007"})
    (finding,) = report.findings
    assert "基本支出" in finding.message.zh and finding.evidence.stated == "958.67"
    assert finding.evidence.computed == "985.67"
    fine = audit(narrative.replace("958.67", "985.67") + expenditure(GOOD), {"B007"})
    assert hits(fine) == [] and fine.checks["B007"].passed == 3


def test_table_in_yuan_compared_with_narrative_in_wan():
    narrative = "2023年单位预算支出为1220.18万元。\n\n"
    text = narrative + "单位预算支出总表\n\n单位: 元\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["1", "", "合计", "12201800.00", "9856700.00", "2345100.00"],
    )
    report = audit(text, {"B007"})
    assert hits(report) == [] and report.checks["B007"].passed == 1


# --- properties -----------------------------------------------------------------------------------

CENTS = st.integers(min_value=1, max_value=99_999_999).map(lambda n: Decimal(n).scaleb(-4))


def publish(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def class_table(children: list[Decimal], total: Decimal | None = None) -> str:
    parent = sum(children) if total is None else total
    rows = [("", "合计", publish(parent), publish(parent), "")]
    rows.append(("201", "一般公共服务支出", publish(parent), publish(parent), ""))
    rows += [(f"201{i:02d}", f"事务{i}", publish(v), publish(v), "") for i, v in enumerate(children, 1)]
    return expenditure(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CENTS, min_size=2, max_size=12))
def test_consistent_tables_rounded_like_publishers_never_fail(children):
    assert hits(audit(class_table(children), {"B008", "B009"})) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CENTS, min_size=2, max_size=12), st.data())
def test_changing_one_term_beyond_the_rounding_envelope_always_fails(children, data):
    """n parts and a total shown to 2 decimals allow (n + 1) × 0.005 of rounding; a change beyond that
    always fails (with two parts: any change of 0.02 or more)."""
    exact = [Decimal(publish(c)) for c in children]
    total = sum(exact)
    index = data.draw(st.integers(0, len(exact) - 1))
    least = (len(exact) + 1) // 2 + 1  # cents just beyond the envelope
    delta = Decimal(data.draw(st.integers(least, 10_000))).scaleb(-2) * data.draw(st.sampled_from([1, -1]))
    if exact[index] + delta <= 0:
        delta = -delta
    exact[index] += delta
    assert "B009" in hits(audit(class_table(exact, total=total), {"B009"}))


# --- corpus ---------------------------------------------------------------------------------------


def seed_report(prefix: str) -> FileReport:
    return audit_source(load(find_seed(prefix)), RULES, Options(selected=TABLE_RULES))


def test_seed_004_tables_yield_at_least_60_identities_and_no_false_alarm():
    report = seed_report("004")
    evaluated = sum(t.passed + t.failed for rule, t in report.checks.items() if rule in TABLE_RULES)
    assert evaluated >= 60
    assert hits(report) == []  # every figure of the nine tables agrees within rounding
    for rule in ("B001", "B006", "B007", "B008", "B009", "B014"):
        assert report.checks[rule].passed > 0, rule


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_cell_per_line_seeds_are_checked_and_clean(prefix):
    report = seed_report(prefix)
    assert hits(report) == []
    assert report.checks["B008"].passed > 0
    assert report.checks["B007"].passed > 0  # 政府采购预算 and 机关运行经费 against the tables


def test_json_summary_counts_table_identities():
    report = seed_report("004")
    assert report.facts["tables"] == 11
    assert report.facts["identities"] >= 60
    json.dumps(dataclasses.asdict(report))


def test_garbled_cell_makes_its_identities_insufficient_not_failed():
    rows = with_row(GOOD, "2013102", total="l62.32")  # OCR read the 1 as l
    report = audit(expenditure(rows), {"B008", "B009"})
    assert hits(report) == []
    assert report.checks["B008"].insufficient_data == 1  # the row's 合计 cannot be read
    assert report.checks["B009"].passed == 4  # 20131 is checked in its readable columns only


def test_narrative_figure_of_an_earlier_year_is_not_compared():
    narrative = "2022年单位预算基本支出为958.67万元。2023年单位预算项目支出234.51万元。\n\n"
    report = audit(narrative + expenditure(GOOD), {"B007"})
    assert hits(report) == []


def test_zero_running_costs_of_a_public_institution_are_not_compared():
    narrative = "机关运行经费0万元。\n\n"
    report = audit(narrative + basic(), {"B007"})
    assert hits(report) == [] and report.checks["B007"].insufficient_data >= 1


def test_unnumbered_details_under_numbered_items_are_not_added_again():
    text = "部门收支总表\n\n" + grid(
        ["序号", "项 目", "预算数", "项 目", "预算数"],
        ["1", "一、一般公共预算拨款收入", "1200.00", "一、基本支出", "800.00"],
        ["2", "", "", "工资福利支出", "600.00"],
        ["3", "", "", "商品和服务支出", "200.00"],
        ["4", "", "", "二、项目支出", "400.00"],
        ["5", "本年收入合计", "1200.00", "本年支出合计", "1200.00"],
    )
    report = audit(text, {"B008"})
    assert hits(report) == [] and report.checks["B008"].passed == 2


def test_where_a_其中_list_ends_is_unknown_without_numbering():
    def doc(total: str) -> str:
        return "部门国有资产占用情况表\n" + cells(
            ["项 目", "价值（金额单位：万元）"],
            ["资产总额", total],
            ["流动资产", "200.00"],
            ["固定资产", "700.00"],
            ["其中：房屋", "300.00"],
            ["车辆", "100.00"],
            ["无形资产", "100.00"],
        )

    assert hits(audit(doc("1000.00"), {"B008"})) == []  # 无形资产 is an item again
    assert hits(audit(doc("900.00"), {"B008"})) == []  # or 车辆/无形资产 both belong to 其中: either reading
    assert hits(audit(doc("1300.00"), {"B008"})) == ["B008"]


def test_procurement_total_at_the_bottom():
    text = "部门政府采购预算表\n" + cells(
        ["项目名称", "采购物品名称", "合计", "一般公共预算拨款"],
        ["物业管理费", "物业管理服务", "60.00", "60.00"],
        ["视频平台建设", "专用设备", "40.00", "40.00"],
        ["合计", "", "110.00", "100.00"],
    )
    report = audit(text, {"B008"})
    assert hits(report) == ["B008", "B008"]  # 合计 column of the 合计 row, and that row's 合计 ≠ 一般公共预算拨款


def test_seed_004_rewritten_cell_per_line_gives_the_same_outcomes():
    """The same nine tables in the Word layout (one cell per line, blank line ends a row)."""
    lines = []
    for line in find_seed("004").read_text(encoding="utf-8").split("\n"):
        if ("\t" in line and not line.startswith("\t")) or line.count("\t") >= 2:
            lines.extend("\t" + cell for cell in line.split("\t"))
            lines.append("")
        else:
            lines.append(line)
    cells_report = audit_source(from_text("\n".join(lines)), RULES, Options(selected=TABLE_RULES))
    grid_report = seed_report("004")
    assert hits(cells_report) == []
    assert cells_report.checks == grid_report.checks


def test_grand_total_over_unit_subtotals():
    def doc(grand: str) -> str:
        return "部门政府采购预算表\n" + cells(
            ["项目名称", "采购物品名称", "合计", "一般公共预算拨款"],
            ["甲单位小计", "", "100.00", "100.00"],
            ["物业管理费", "物业管理服务", "60.00", "60.00"],
            ["视频平台建设", "专用设备", "40.00", "40.00"],
            ["乙单位小计", "", "30.00", "30.00"],
            ["车辆维修", "维修服务", "30.00", "30.00"],
            ["合计", "", grand, grand],
        )

    good = audit(doc("130.00"), {"B008"})
    assert hits(good) == [] and good.checks["B008"].passed == 3 + 6  # 合计 and two 小计; each row's 合计
    assert hits(audit(doc("160.00"), {"B008"})) == ["B008", "B008"]


def test_each_units_tables_are_compared_with_their_own_set_only():
    other = [("", "合计", "100.00", "60.00", "40.00"), ("201", "一般公共服务支出", "100.00", "60.00", "40.00")]
    text = (
        "2023年单位预算支出为1220.18万元。\n\n"
        + summary() + "\n" + expenditure(GOOD)
        + "\n二、下属单位\n\n单位预算收支总表\n\n" + grid(
            ["序号", "项 目", "预算数", "项 目", "预算数"],
            ["1", "一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00"],
            ["2", "本年收入合计", "100.00", "本年支出合计", "100.00"],
            ["3", "收入总计", "100.00", "支出总计", "100.00"],
        )
        + "\n" + expenditure(other)
    )
    report = audit(text, {"B007"})
    assert hits(report) == []  # unit A's 收支总表 is never held against unit B's 支出总表
    assert report.checks["B007"].passed >= 4
    assert report.checks["B007"].insufficient_data >= 1  # the narrative: which unit's tables does it mean?


# --- Jiangsu and Shanghai Putuo table shapes (tests/budget_fixtures.py) -----------------------------

SAMPLE = Budget(
    items={"2013101": (937_012_00, 0), "2013102": (0, 1_302_538_00), "2080505": (78_506_00, 0), "2210201": (96_587_00, 20_000_00)},
    economic={"30101": 500_000_00, "30102": 400_000_00, "30201": 109_405_00, "30217": 2_700_00, "30301": 100_000_00},
    reserve=293_821_00,
    three={"abroad": 7_000_00, "car_running": 41_120_00, "reception": 2_700_00, "meeting": 93_350_00, "training": 3_000_00},
    running=171_010_00,
)
PUTUO_SAMPLE = dataclasses.replace(SAMPLE, reserve=0)


def tally(report: FileReport) -> dict[str, int]:
    """Identities evaluated per table rule."""
    return {rule: t.passed + t.failed for rule, t in report.checks.items() if rule in TABLE_RULES}


@pytest.mark.parametrize("text", [jiangsu(SAMPLE), putuo(PUTUO_SAMPLE), putuo(PUTUO_SAMPLE, "预算单位")], ids=["jiangsu", "putuo", "putuo-unit"])
def test_province_tables_evaluate_every_table_rule_and_agree(text):
    report = audit(text)
    assert hits(report) == []
    evaluated = tally(report)
    assert all(evaluated[rule] > 0 for rule in TABLE_RULES), evaluated


def test_jiangsu_reserve_is_a_third_expenditure_bucket():
    """支出预算总表: 合计 = 基本支出 + 项目支出 + 单位预留机动经费; a reserve left out is found."""
    text = jiangsu(SAMPLE)
    total = wan(SAMPLE.total)
    wrong = wan(SAMPLE.total - SAMPLE.reserve)
    report = audit(text.replace(f"\t{total}\t{wan(SAMPLE.basic)}", f"\t{wrong}\t{wan(SAMPLE.basic)}"), {"B008"})
    assert "B008" in hits(report)
    assert any("单位预留机动经费" in f.message.zh for f in report.findings)


def test_putuo_tables_in_yuan_agree_with_the_three_costs_table_in_wan():
    """The basic table's 30217 公务接待费 (元) is compared with the 三公 table's 公务接待费 (万元)."""
    text = putuo(PUTUO_SAMPLE)
    assert audit(text, {"B014"}).checks["B014"].passed == 1
    bigger = text.replace("\t2,700.00\t\t2,700.00", "\t270,000.00\t\t270,000.00")  # 30217 now 27 万元 > 0.27
    assert "B014" in hits(audit(bigger, {"B014"}))


def test_three_costs_row_names_each_column_by_its_header_path():
    report = audit(jiangsu(SAMPLE).replace(f"\t{wan(SAMPLE.three_total)}\t", "\t999.99\t"), {"B006"})
    messages = [f.message.zh for f in report.findings if f.rule == "B006"]
    # the 小计 under "三公"经费 (not the 小计 under 公务用车…) against its three items, and the 合计 above it
    assert any('"三公"经费列 为 999.99' in m and "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费" in m for m in messages)
    assert any('合计列' in m and '"三公"经费 + 会议费 + 培训费' in m for m in messages)


def _numeric_cells(text: str, titles: re.Pattern) -> list[tuple[int, int]]:
    """(line, cell) of every figure in the tables whose title matches: the cells an identity holds."""
    found, title, lines = [], "", text.split("\n")
    for n, line in enumerate(lines):
        if "\t" not in line:
            if line.strip() and not line.startswith("单位"):
                title = line
            continue
        if titles.search(title):
            found += [(n, k) for k, cell in enumerate(line.split("\t")) if re.fullmatch(r"[\d,]+\.\d\d", cell)]
    return found


AMOUNTS = st.integers(min_value=1, max_value=5_000_000_00)


@st.composite
def budgets(draw, reserve: bool) -> Budget:
    codes = draw(st.lists(st.sampled_from(ITEM_CODES), min_size=1, max_size=5, unique=True))
    economic = {c: draw(AMOUNTS) for c in draw(st.lists(st.sampled_from(sorted(ECONOMIC)), min_size=1, max_size=5, unique=True))}
    basic = sum(economic.values())
    cuts = sorted(draw(st.lists(st.integers(0, basic), min_size=len(codes) - 1, max_size=len(codes) - 1)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, basic])]
    items = {c: (share, draw(st.integers(0, 5_000_000_00))) for c, share in zip(codes, shares)}
    three = {k: draw(st.integers(0, 100_000_00)) for k in ("abroad", "car_purchase", "car_running", "meeting", "training")}
    three["reception"] = economic.get("30217", 0) + draw(st.integers(0, 10_000_00))
    return Budget(items=items, economic=economic, reserve=draw(st.integers(0, 1_000_000_00)) if reserve else 0,
                  three=three, running=draw(st.integers(0, 1_000_000_00)))


PROVINCES = {
    # each province: how it writes a budget, whether it has a reserve, the tables whose every figure an
    # identity holds (a figure changed there must be found)
    "jiangsu": (jiangsu, True, re.compile(r"支出预算表|基本支出预算表|三公")),
    "putuo": (putuo, False, re.compile(r"收入预算总表|支出预算总表|功能分类预算表|经济分类预算表")),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PROVINCES)), st.data())
def test_a_consistent_budget_in_any_province_shape_is_never_flagged(province, data):
    write, reserve, _ = PROVINCES[province]
    assert hits(audit(write(data.draw(budgets(reserve))))) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(PROVINCES)), st.data())
def test_one_figure_changed_beyond_rounding_in_any_province_shape_is_always_flagged(province, data):
    write, reserve, titles = PROVINCES[province]
    text = write(data.draw(budgets(reserve)))
    candidates = _numeric_cells(text, titles)
    line, cell = data.draw(st.sampled_from(candidates))
    lines = text.split("\n")
    row = lines[line].split("\t")
    value = Decimal(row[cell].replace(",", ""))
    delta = Decimal(data.draw(st.integers(100, 1_000_000))).scaleb(-2)  # 1.00 or more, in the cell's unit
    row[cell] = f"{value + delta:,.2f}"
    lines[line] = "\t".join(row)
    assert hits(audit("\n".join(lines))), (province, line, cell)


def test_a_row_read_out_of_place_gives_insufficient_data_not_a_finding():
    text = "一般公共预算基本支出表\n\n" + grid(
        ["科目编码", "科目名称", "金额"],
        ["302", "商品和服务支出", "30.00"],
        ["30201", "办公费", "10.00"],
        ["30205", "20.00", ""],  # the figure shifted into the name's column: its value is unknown
    )
    report = audit(text, {"B009"})
    assert hits(report) == [] and report.checks["B009"].insufficient_data == 1


def test_running_costs_apart_from_public_costs_when_the_contents_list_their_own_table():
    """Jiangsu's narrative file, checked without its tables file: its contents list a 机关运行经费
    table, so 机关运行经费 is defined apart from 公用经费 (as when the tables are read) — no B007.
    Without such a table (Hebei's template) the two must agree."""
    from audit.pipeline import Options, audit_source
    from audit.rules import load_rules
    from audit.source import from_text

    rules = load_rules()
    narrative = ("2017年本部门基本支出中，人员经费8000.00万元，日常公用经费2144.60万元。\n\n"
                 "2017年本部门一般公共预算机关运行经费预算支出10101.76万元。\n\n")
    contents = "".join(f"{n}、{t}\n" for n, t in (("一", "收支预算总表"), ("二", "收入预算总表"), ("三", "支出预算总表"),
                                                   ("四", "一般公共预算机关运行经费支出预算表")))
    head = "江苏省某部门2017年部门预算\n\n目录\n" + contents + "\n"

    def b007(text):
        report = audit_source(from_text(text), rules, Options(selected={"B007"}))
        return [f for f in report.findings if f.rule == "B007"]

    assert b007(head + narrative) == []
    assert b007("江苏省某部门2017年部门预算\n\n" + narrative)  # no such table anywhere: they must agree
