"""I011 (audit/checks/indicators/process.py): process measures counted as outputs."""

from __future__ import annotations

from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


# --- I011 -----------------------------------------------------------------------------------


def test_i011_process_measure(layout):
    rows = replace(SOUND, "响应时间", name="资金到位率", description="资金及时到位拨付", value="100%")
    [finding] = run("I011", document(rows, layout=layout)).findings
    assert "资金到位" in finding.message.zh


def test_i011_budget_execution_under_cost_is_left_alone():
    rows = replace(SOUND, "成本控制率", name="预算执行率", description="预算执行率", value="≥90%")
    assert run("I011", document(rows)).findings == []
