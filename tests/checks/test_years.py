"""B015: a year-on-year comparison names the year before the budget year."""

from __future__ import annotations

from audit.model import Status
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

RULES = RuleSet(load_rule_file(data_dir("rules") / "years.yaml"))

TEXT = """2026年“三公”经费预算数为12.50万元，比{year}年预算减少2.30万元。
2026年机关运行经费预算为100.00万元，比2025年预算执行数增加5.00万元。
2025年当年预算执行数为95.00万元。
"""


def run(text: str):
    return audit_source(from_text(text, "<fixture>"), RULES, Options(selected={"B015"}))


def test_the_year_before_is_right():
    report = run(TEXT.format(year="2025"))
    assert report.findings == [] and report.checks["B015"].passed == 2


def test_the_budget_year_itself_or_another_is_a_slip():
    for wrong in ("2026", "2024"):
        [finding] = run(TEXT.format(year=wrong)).findings
        assert finding.evidence.stated == f"{wrong}年" and finding.evidence.computed == "2025年"
        assert f"比{wrong}年预算减少" in finding.message.zh


def test_no_labelled_year_nothing_to_check():
    report = run("基本支出100.00万元，与上年相比增加5.00万元。\n")
    t = report.checks["B015"]
    assert {s.value for s in Status if getattr(t, s.value)} == {"not_applicable"}
