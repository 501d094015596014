"""The analysis stage reads the run's rule set, and its one ledger explains a slip once.

A rule added with `--rules` is the same as the rule shipped: its identities (table or narrative)
reach the ledger and the declared narrative identities, its severity override and the run's
--select/--ignore apply, and it is reported once. One slip in the narrative is named once, and every
failure it causes — narrative or table — points back at it.
"""

from __future__ import annotations

import dataclasses
import json

import yaml

from audit.api import resolve_rules
from audit.model import Severity
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.source import from_text
from tests.checks.test_budget_narrative import SEED_003
from tests.checks.test_budget_tables import GOOD, expenditure, with_row

SLIPPED_TABLE = expenditure(with_row(GOOD, "20131", total="903.83"))  # one slip breaks B008 and B009 identities


def _copy(tmp_path, family: str, shipped: str, new: str):
    """A rule file holding a copy of shipped rule `shipped` under the id `new`."""
    rules = yaml.safe_load((data_dir("rules") / f"{family}.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in rules if r["id"] == shipped)
    rule = {**rule, "id": new, "name": f"{rule['name']}-copy"}
    path = tmp_path / "extra.yaml"
    path.write_text(yaml.safe_dump([rule], allow_unicode=True), encoding="utf-8")
    return path


def _findings(text: str, **resolve) -> list[dict]:
    rules, selected = resolve_rules(**resolve)
    report = audit_source(from_text(text), rules, Options(selected=selected))
    return [_plain(f) for f in report.findings]


def _plain(finding) -> dict:
    """A finding as comparable data (its fingerprint hashes the rule id: left out)."""
    data = dataclasses.asdict(finding)
    data.pop("fingerprint")
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def _renamed(findings: list[dict], new: str, old: str) -> list[dict]:
    """The findings with every mention of rule `new` (its id, the rule a knock-on points at) as `old`."""
    return json.loads(json.dumps(findings, ensure_ascii=False).replace(new, old))


def test_a_table_rule_added_with_rules_is_the_shipped_rule(tmp_path):
    extra = _copy(tmp_path, "budget_tables", "B009", "B909")
    shipped = _findings(SLIPPED_TABLE, select=["B"])
    added = _findings(SLIPPED_TABLE, select=["B"], ignore=["B009"], rule_files=[extra])
    assert any(f["rule"] == "B009" for f in shipped) and any("连带结果" in f["message"]["zh"] for f in shipped)
    assert not any(f["rule"] == "B009" for f in added)
    assert _renamed(added, "B909", "B009") == shipped  # same findings, same diagnoses, each once


def test_a_narrative_rule_added_with_rules_is_the_shipped_rule(tmp_path):
    """The copy of B003 declares its identity for the run: the generic listing rule (B004) leaves it
    to the copy, and the knock-on B002 finding points at the copy."""
    extra = _copy(tmp_path, "budget_narrative", "B003", "B903")
    shipped = _findings(SEED_003, select=["B"])
    added = _findings(SEED_003, select=["B"], ignore=["B003"], rule_files=[extra])
    assert [f["rule"] for f in shipped] == ["B002", "B003"]
    assert [f["rule"] for f in added] == ["B002", "B903"]
    assert "见 B903" in added[0]["message"]["zh"]
    assert _renamed(added, "B903", "B003") == shipped


def test_severity_and_selection_reach_an_added_rule(tmp_path):
    extra = _copy(tmp_path, "budget_tables", "B009", "B909")
    rules, selected = resolve_rules(ignore=["B009"], rule_files=[extra])
    rules = rules.with_overrides({"B909": "info"})
    report = audit_source(from_text(SLIPPED_TABLE), rules, Options(selected=selected))
    added = [f for f in report.findings if f.rule == "B909"]
    assert added and all(f.severity is Severity.INFO for f in added)
    ignored = _findings(SLIPPED_TABLE, ignore=["B009", "B909"], rule_files=[extra])
    assert not any(f["rule"] in ("B009", "B909") for f in ignored)
    only = _findings(SLIPPED_TABLE, select=["B909"], rule_files=[extra])
    assert {f["rule"] for f in only} == {"B909"}


NARRATIVE_AND_TABLE = SEED_003 + "\n" + expenditure([
    ("", "合计", "8579.96", "5809.05", "2770.91"),
    ("201", "一般公共服务支出", "8579.96", "5809.05", "2770.91"),
])


def test_a_narrative_slip_is_named_once_and_the_tables_point_at_it():
    """基本支出 5089.05 is a transposition the narrative's B003 names; the table states 5809.05, so
    B007's narrative-against-table comparison fails too: a knock-on of the same slip, pointing at it."""
    rules, selected = resolve_rules(select=["B"])
    report = audit_source(from_text(NARRATIVE_AND_TABLE), rules, Options(selected=selected))
    (named,) = [f for f in report.findings if f.rule == "B003"]
    assert "颠倒" in named.message.zh
    knock_ons = [f for f in report.findings if f.rule == "B007" and f.span == named.span]
    assert knock_ons, [f.message.zh for f in report.findings]
    for finding in knock_ons:
        assert "连带结果" in finding.message.zh and "颠倒" not in finding.message.zh
        assert named.span in finding.related
