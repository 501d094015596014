"""B018: a 类/项 amount of the narrative against its row in the 功能分类 tables."""

from __future__ import annotations

from audit.model import Status
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

RULES = RuleSet(load_rule_file(data_dir("rules") / "crosscheck.yaml"))

TABLE = "\n".join(
    [
        "2025年部门支出预算总表",
        "",
        "编制部门：某区商务委员会 单位：元",
        "",
        "项目\t\t\t\t支出预算\t\t",
        "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出",
        "类\t款\t项\t\t\t\t",
        "201\t\t\t一般公共服务支出\t13,934,913.00\t9,389,913.00\t4,545,000.00",
        "201\t13\t\t商贸事务\t13,934,913.00\t9,389,913.00\t4,545,000.00",
        "201\t13\t01\t行政运行\t9,389,913.00\t9,389,913.00\t",
        "201\t13\t02\t一般行政管理事务\t4,545,000.00\t\t4,545,000.00",
        "\t\t\t合计\t13,934,913.00\t9,389,913.00\t4,545,000.00",
        "",
    ]
)

NARRATIVE = """财政拨款支出主要内容如下：
1. “一般公共服务支出（类）商贸事务（款）行政运行（项）”{a}万元，主要用于机关行政运行。
2. “一般公共服务支出-商贸事务-一般行政管理事务”科目454.50万元，主要用于商贸事务支出。
"""


def run(text: str):
    return audit_source(from_text(text, "<fixture>"), RULES, Options(selected={"B018"}))


def test_items_agree_with_their_rows():
    report = run(NARRATIVE.format(a="938.99") + "\n" + TABLE)
    assert report.findings == []
    assert report.checks["B018"].passed == 2


def test_an_item_that_differs_from_its_row():
    [finding] = run(NARRATIVE.format(a="983.99") + "\n" + TABLE).findings
    assert finding.rule == "B018" and "983.99" in finding.message.zh and "938.9913" in finding.message.zh


def test_no_table_nothing_to_compare():
    t = run(NARRATIVE.format(a="983.99")).checks["B018"]
    assert {s.value for s in Status if getattr(t, s.value)} == {"not_applicable"}


APPROPRIATION = TABLE.replace("2025年部门支出预算总表", "2025年部门财政拨款支出预算表")


def test_an_appropriation_table_alone_cannot_contradict_an_all_funds_amount():
    scope = run(NARRATIVE.format(a="1018.99") + "\n" + APPROPRIATION)  # 80万元 of other funds besides
    assert scope.findings == [] and scope.checks["B018"].insufficient_data == 1
    [slip] = run(NARRATIVE.format(a="938.90") + "\n" + APPROPRIATION).findings  # but a mistyped digit can
    assert "938.90" in slip.message.zh
