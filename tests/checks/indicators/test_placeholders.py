"""I008 (audit/checks/indicators/placeholders.py): template text and empty values."""

from __future__ import annotations

import pytest

from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


# --- I008 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("goal,word", [("1.目标内容1保障工作正常开展", "目标内容1"), ("1.1", "只有编号")])
def test_i008_placeholder_goal(layout, goal, word):
    [finding] = run("I008", document(SOUND, goal=goal, layout=layout)).findings
    assert word in finding.message.zh


def test_i008_empty_value():
    rows = replace(SOUND, "培训人数", value="")
    findings = run("I008", document(rows)).findings
    assert any("未填写" in f.message.zh for f in findings)


def test_i008_sound_goal_is_silent():
    assert run("I008", document(SOUND, goal="1.完成年度培训任务500人次")).findings == []
