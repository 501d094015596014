"""I006 (audit/checks/indicators/tree.py): the indicator tree."""

from __future__ import annotations

from tests.indicator_tables import SOUND, document, layout, run  # noqa: F401 - layout is a fixture


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
