"""B019: a 部门 disclosure against its only 单位's disclosure of the same year (--counterpart)."""

from __future__ import annotations

from audit.model import Status
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

RULES = RuleSet(load_rule_file(data_dir("rules") / "counterpart.yaml"))

DISCLOSURE = """2025年，某区商务委员会收入预算{total}万元，其中：财政拨款收入{total}万元。
1. “住房保障支出（类）住房改革支出（款）住房公积金（项）”{fund}万元，主要用于在职人员公积金缴纳。
2025年某区商务委员会财政拨款的机关运行经费预算为171.01万元。
"""


def run(tmp_path, mine: str, theirs: str):
    other = tmp_path / "unit.txt"
    other.write_text(theirs, encoding="utf-8")
    return audit_source(from_text(mine, "<dept>"), RULES, Options(selected={"B019"}, counterpart=str(other)))


def statuses(report) -> set[str]:
    t = report.checks["B019"]
    return {s.value for s in Status if getattr(t, s.value)}


def test_the_same_money_the_same_figures(tmp_path):
    report = run(tmp_path, DISCLOSURE.format(total="37,151.47", fund="136.10"), DISCLOSURE.format(total="37151.47", fund="136.10"))
    assert report.findings == [] and report.checks["B019"].passed == 3


def test_a_figure_that_differs(tmp_path):
    [finding] = run(tmp_path, DISCLOSURE.format(total="37,151.47", fund="136.10"), DISCLOSURE.format(total="37151.47", fund="163.10")).findings
    assert finding.evidence.stated == "136.10万元" and finding.evidence.computed == "163.10万元"


def test_a_department_of_several_units_is_not_compared(tmp_path):
    report = run(tmp_path, DISCLOSURE.format(total="50,000.00", fund="200.00"), DISCLOSURE.format(total="37151.47", fund="136.10"))
    assert report.findings == [] and statuses(report) == {"not_applicable"}
