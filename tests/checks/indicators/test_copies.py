"""I010 (audit/checks/indicators/copies.py): tables copied across projects, rows repeated in one."""

from __future__ import annotations

from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


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
