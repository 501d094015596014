"""The I rules together (audit/checks/indicators/): silent on a sound table in both layouts, the
acceptance findings on the seed disclosures, and no crash on any value."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.analysis import Analysis
from audit.rules import RuleSet
from audit.engine import CheckContext, load_kinds
from audit.pipeline import analyse
from audit.source import from_text, load
from tests.indicator_tables import RULES, SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture


# --- the sound table is silent for every I rule ------------------------------------------------


@pytest.mark.parametrize("rule_id", [f"I{n:03d}" for n in range(1, 12)])
def test_sound_table_is_silent(rule_id, layout):
    ctx = run(rule_id, document(SOUND, layout=layout))
    assert ctx.findings == []
    assert ctx.tally.passed + ctx.tally.not_applicable > 0


def test_fixture_is_read_in_both_layouts(layout):
    doc = analyse(from_text(document(SOUND, layout=layout)))
    [project] = doc.facts.projects
    assert len(project.indicators) == len(SOUND)
    assert [i.level1 for i in project.indicators][:1] == ["产出指标"]


# --- the seeds ---------------------------------------------------------------------------------


def _seed_findings(seed_path, rule_ids):
    doc = analyse(load(seed_path))
    out = []
    for rule_id in rule_ids:
        ctx = CheckContext(RULES[rule_id], doc, Analysis(doc, RuleSet(list(RULES.values()))))
        load_kinds()[RULES[rule_id].kind](ctx)
        out += ctx.findings
    return out


def _seed(corpus_dir, prefix):
    return next(p for p in sorted(corpus_dir.glob("*.txt")) if p.name.startswith(prefix))


ALL_I = [f"I{n:03d}" for n in range(1, 12)]


def test_seed_acceptance(corpus_dir):
    by_seed = {p: _seed_findings(_seed(corpus_dir, p), ALL_I) for p in ("000", "001", "002", "003", "004")}

    def has(seed, rule, *words):
        return any(f.rule == rule and all(w in f.message.zh for w in words) for f in by_seed[seed])

    assert sum(1 for f in by_seed["000"] if f.rule == "I001" and "≥0%" in f.message.zh) >= 150
    assert has("001", "I002", "≥100百分比") and has("001", "I002", "≥100百分百") and has("002", "I002", "≥100%")
    assert has("001", "I003", "≥168小时") and has("001", "I003", "下降率", "≤80百分比") and has("003", "I003", "满意度", "<=")
    assert has("001", "I004", "≤30百分比") and has("001", "I004", "警务站数量", "≥95百分比")
    assert has("001", "I005") and has("002", "I005")
    assert sum(1 for f in by_seed["001"] if f.rule == "I006" and "满意度指标" in f.message.zh) == 4
    assert any(f.rule == "I006" for f in by_seed["004"])
    assert has("001", "I007", "≥160年抓获犯罪嫌疑人数量") and has("001", "I007", "90不超出预算数")
    assert has("001", "I008", "目标内容1") and has("001", "I008", "“1.1”")
    assert has("003", "I009", "39.75", "「移动警务终端手机年服务费」")


def test_seed_no_false_alarms_on_sound_targets(corpus_dir):
    """成本控制率 ≤100%, 响应时间 ≤24小时/≤6小时 and the like never appear in a finding."""
    for prefix in ("001", "002", "003", "004"):
        for finding in _seed_findings(_seed(corpus_dir, prefix), ALL_I):
            text = finding.message.zh
            assert not ("成本控制率" in text and "≤100" in text), text
            assert not ("响应时间" in text and "≤" in text), text


# --- robustness -----------------------------------------------------------------------------------


_VALUE_PIECES = st.lists(
    st.sampled_from(["≥", "≤", "<", ">", "=", "符号", "文字描述", "值", "单位", "0", "100", "95.5", "%", "百分比", "万", "万元", "元/人", "人", "小时", "月", "年", "抓获", "(含)", " ", "—"]),
    max_size=6,
).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_VALUE_PIECES, name=st.sampled_from(["培训合格率", "警务站数量", "响应时间", "项目成本", "安全事故数", "治安案件下降率"]))
def test_any_value_never_crashes_any_rule(value, name):
    text = document(replace(SOUND, "培训合格率", name=name, description=name, value=value))
    for rule_id in [f"I{n:03d}" for n in range(1, 12)] + ["C001", "C002", "C003", "C004", "C005"]:
        ctx = run(rule_id, text)
        for finding in ctx.findings:
            assert finding.message.zh and finding.message.en and "{" not in finding.message.zh


# --- what the checks import (moved in part from tests/test_perf_checks.py) ---------------------

_ROOT = Path(__file__).resolve().parent.parent.parent.parent
_CHECKS = sorted((_ROOT / "audit" / "checks" / "indicators").glob("*.py")) + [
    _ROOT / "audit" / "checks" / f"{name}.py"
    for name in ("cost", "goal_vs_table", "structure", "template_text", "budget_scope")
]
_KNOWLEDGE = sorted((_ROOT / "audit" / "indicators").glob("*.py")) + [
    _ROOT / "audit" / name for name in ("lexicon.py", "memo.py")
] + sorted((_ROOT / "audit" / "analysis").glob("readings*.py"))


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _CHECKS + _KNOWLEDGE, ids=lambda p: str(p.relative_to(_ROOT)))
def test_module_does_not_import_pydantic(path: Path) -> None:
    """pydantic (~0.2 s of a cold start) is imported only where user input is validated."""
    assert not {n for n in _imported(path) if n.split(".")[0] in ("pydantic", "pydantic_core")}


@pytest.mark.parametrize("path", [p for p in _CHECKS if p.name != "__init__.py"], ids=lambda p: str(p.relative_to(_ROOT)))
def test_a_check_module_imports_no_other_check_module(path: Path) -> None:
    """What checks share is the analysis's (audit/analysis/), never another check's."""
    assert not {n for n in _imported(path) if n.startswith("audit.checks")}
