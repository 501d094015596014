"""S001–S005 on schedules written in the cell-per-line layout, aligned by cell position."""

from __future__ import annotations

import pytest

from audit.pipeline import Options, audit_source
from audit.rules import load_rules
from audit.source import from_text

RULES = load_rules()


def schedule_doc(*values: str) -> str:
    row = lambda cells: "".join(f"\t{c}\n" for c in cells) + "\n"  # noqa: E731
    return (
        "1.测试项目绩效目标表\n"
        + row(["项目名称", "测试项目"])
        + row(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
        + row(["", *values])
        + row(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
        + row(["产出指标", "数量指标", "数量", "数量", "≥1个", "计划"])
    )


def rules_hit(*values: str) -> list[str]:
    report = audit_source(from_text(schedule_doc(*values)), RULES, Options(selected={r.id for r in RULES}))
    return [f.rule for f in report.findings if f.rule.startswith("S")]


def test_monotone_schedule_passes():
    assert rules_hit("25%", "50%", "75%", "100%") == []
    assert rules_hit("25%", "50%", "100%", "100%") == []


def test_decreasing_schedule_fails():
    assert rules_hit("30%", "60%", "50%", "100%") == ["S001"]


def test_empty_last_cell_after_values_is_flagged_not_taken_as_100():
    assert rules_hit("25%", "50%", "100%", "") == ["S002"]


def test_last_value_below_100():
    assert rules_hit("25%", "50%", "75%", "90%") == ["S002"]


def test_value_over_100_and_not_a_percentage():
    assert rules_hit("25%", "150%", "150%", "100%") == ["S003", "S003"]
    assert rules_hit("25%", "按进度", "75%", "100%") == ["S003"]


def test_leading_empty_periods_reported_once():
    assert rules_hit("", "", "100%", "100%") == ["S004"]


def test_inner_gap():
    assert rules_hit("50%", "", "100%", "100%") == ["S005"]


def test_alignment_by_cell_position_not_by_order_of_values():
    # the three non-empty values are 10月底/12月底-shifted; order-based reading would call this complete
    report = audit_source(from_text(schedule_doc("", "50%", "100%", "")), RULES, Options(selected={"S002"}))
    (finding,) = report.findings
    assert finding.span.line == 15  # the 12月底 cell: fifth cell of the values row (lines 11–15)
    assert "12月底" in finding.message.zh


def test_entirely_blank_schedule():
    assert rules_hit("", "", "", "") == ["S002"]


def test_corpus_001_every_empty_year_end_cell_reported(seed):
    from audit.source import load

    report = audit_source(load(seed("001")), RULES, Options(selected={"S002", "S001", "S003"}))
    s002 = sorted(f.span.line for f in report.findings if f.rule == "S002")
    assert s002 == [778, 1040, 1304, 1482, 2105, 2193, 4285]
    assert not [f for f in report.findings if f.rule in ("S001", "S003")]


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_corpus_regular_schedules_are_silent(prefix, seed):
    from audit.facts.projects import extract_projects
    from audit.layout import blocks
    from audit.source import load

    source = load(seed(prefix))
    report = audit_source(source, RULES, Options(selected={r.id for r in RULES if r.id.startswith("S")}))
    flagged = {f.subject for f in report.findings}
    for project in extract_projects(blocks(source)):
        values = [p.raw for p in project.schedule.points]
        if all(values) and values[-1] == "100%":
            assert project.name not in flagged, values
