"""B016: every 与上年相比 base against last year's disclosure (--previous)."""

from __future__ import annotations

from click.testing import CliRunner

from audit.analysis.narrative import classified, subject_key
from audit.cli import cli
from audit.facts.amounts import extract_narrative
from audit import layout
from audit.model import Status
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

RULES = RuleSet(load_rule_file(data_dir("rules") / "previous.yaml"))

LAST = """2018年度部门预算情况说明
1.人大事务（款）人大立法（项）支出810万元，与上年相比持平。
此外，基本支出预算数为7877.76万元。与上年相比增加211.08万元，增长2.75%。
2018年本部门一般公共预算机关运行经费预算支出1579.38万元，与上年相比减少4039.93万元。
"""

THIS = """2019年度部门预算情况说明
4.人大事务（款）人大立法（项）支出729万元，与上年相比减少{cut}万元，减少10%。
此外，基本支出预算数为9312.9万元。与上年相比增加1435.14万元，增长18.22%。
2019年本部门一般公共预算机关运行经费预算支出1642.08万元，与上年相比增加62.7万元，增长3.97%。
公务接待费预算支出384.75万元，比上年预算减少42.75万元。
"""


def run(text: str, previous: str | None):
    return audit_source(from_text(text, "<this>"), RULES, Options(selected={"B016"}, previous=previous))


def tally(report) -> dict[str, int]:
    t = report.checks["B016"]
    return {s.value: getattr(t, s.value) for s in Status if getattr(t, s.value)}


def test_bases_that_agree_with_last_year(tmp_path):
    last = tmp_path / "2018.txt"
    last.write_text(LAST, encoding="utf-8")
    report = run(THIS.format(cut="81"), str(last))
    assert report.findings == [] and tally(report) == {"passed": 3}  # 公务接待费 is not in last year's file


def test_a_base_that_does_not(tmp_path):
    last = tmp_path / "2018.txt"
    last.write_text(LAST, encoding="utf-8")
    [finding] = run(THIS.format(cut="91"), str(last)).findings
    assert finding.rule == "B016" and "820" in finding.message.zh and "810" in finding.message.zh
    assert finding.evidence.values["previous_line"] == 2


def test_without_previous_or_with_another_year_nothing_is_checked(tmp_path):
    assert tally(run(THIS.format(cut="91"), None)) == {"not_applicable": 1}
    older = tmp_path / "2017.txt"
    older.write_text(LAST.replace("2018", "2017"), encoding="utf-8")
    assert tally(run(THIS.format(cut="91"), str(older))) == {"not_applicable": 1}


def test_keys():
    nodes = [n for s in extract_narrative(layout.blocks(from_text(THIS.format(cut="81")))).statements for n in s.nodes if n.level]
    assert [subject_key(n) for n in nodes] == [
        ("项", "人大事务", "人大立法"),
        ("concept", "基本支出", False),
        ("concept", "机关运行经费", False),
        ("concept", "公务接待费", False),
    ]


def test_the_cli_option(tmp_path):
    last, this = tmp_path / "2018.txt", tmp_path / "2019.txt"
    last.write_text(LAST, encoding="utf-8")
    this.write_text(THIS.format(cut="91"), encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", "--no-config", "--select", "B016", "--format", "concise", str(this), "--previous", str(last)])
    assert done.exit_code == 0 and "B016" in done.output  # B016 is a warning: exit 0 under --fail-on error


def test_classified_names():
    assert classified("1. “一般公共服务支出(类)商贸事务(款)行政运行(项)”") == {"类": "一般公共服务支出", "款": "商贸事务", "项": "行政运行"}
    assert classified("4. “一般公共服务支出-政府办公厅(室)及相关机构事务-其他政府办公厅(室)及相关机构事务支出”科目") == {
        "类": "一般公共服务支出",
        "款": "政府办公厅(室)及相关机构事务",
        "项": "其他政府办公厅(室)及相关机构事务支出",
    }
    assert classified("2.政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）支出") == {"款": "政府办公厅（室）及相关机构事务", "项": "一般行政管理事务"}
