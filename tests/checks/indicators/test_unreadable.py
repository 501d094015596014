"""I007 (audit/checks/indicators/unreadable.py): values the reader could not read."""

from __future__ import annotations

import pytest

from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


# --- I007 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value,glued", [("≥160年抓获犯罪嫌疑人数量", "年抓获犯罪嫌疑人数量"), ("90不超出预算数", "不超出预算数")])
def test_i007_glued(layout, value, glued):
    [finding] = run("I007", document(replace(SOUND, "培训人数", value=value), layout=layout)).findings
    assert value in finding.message.zh and glued in finding.message.zh


def test_i007_bracketed_remark_is_readable():
    rows = replace(SOUND, "培训合格率", value="≥95%（含）")
    assert run("I007", document(rows)).findings == []
