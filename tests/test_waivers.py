"""Waivers: accepted findings with a reason; expired and unused ones reported; malformed ones an error."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.reporting import document, findings, invoke, project, write

DOC = document(project("培训", "30%", "60%", "50%", "")) + document(project("宣传", "", "", "100%", "100%", number=2))


@pytest.fixture()
def doc(tmp_path):
    return write(tmp_path, "budget/2024.txt", DOC)


def check(doc, waivers, *args):
    result = invoke("check", "--no-config", "--format", "json", "--waivers", waivers, *args, doc)
    data = json.loads(result.stdout) if result.stdout.startswith("{") else None
    return result, data


def test_toml_waiver_by_name_hides_the_finding(tmp_path, doc):
    waivers = write(
        tmp_path,
        "waivers.toml",
        '[[waiver]]\nrule = "schedule-no-interim-plan"\nfile = "**/2024.txt"\nreason = "年底一次性采购，前期确无支出"\n',
    )
    result, data = check(doc, waivers)
    assert "S004" not in {f["rule"] for f in findings(data)}
    assert "S001" in {f["rule"] for f in findings(data)}
    assert data["summary"]["suppressed"]["waived"] == 1
    assert "notes" not in data


def test_yaml_waiver_with_content_match(tmp_path, doc):
    waivers = write(
        tmp_path,
        "waivers.yaml",
        "waivers:\n  - rule: S002\n    file: '*.txt'\n    match: 培训\n    reason: 跨年项目\n"
        "  - rule: S004\n    file: '*.txt'\n    match: 不存在的项目\n    reason: 示例\n",
    )
    result, data = check(doc, waivers)
    rules = [f["rule"] for f in findings(data)]
    assert "S002" not in rules and "S004" in rules  # the second waiver's match fails
    (note,) = data["notes"]
    assert note["kind"] == "waiver-unused" and "#2" in note["waiver"]
    assert "豁免未匹配" in result.stderr


def test_expired_waiver_no_longer_applies_and_is_reported(tmp_path, doc):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    waivers = write(
        tmp_path, "w.toml", f'[[waiver]]\nrule = "S004"\nfile = "*"\nreason = "临时"\nexpires = {yesterday.isoformat()}\n'
    )
    result, data = check(doc, waivers, "--lang", "en")
    assert "S004" in {f["rule"] for f in findings(data)}
    (note,) = data["notes"]
    assert note["kind"] == "waiver-expired" and "expired" in note["message"]


def test_future_expiry_still_applies(tmp_path, doc):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    waivers = write(tmp_path, "w.toml", f'[[waiver]]\nrule = "S004"\nfile = "*"\nreason = "临时"\nexpires = {tomorrow}\n')
    _, data = check(doc, waivers)
    assert "S004" not in {f["rule"] for f in findings(data)}


@pytest.mark.parametrize(
    "text, words",
    [
        ('[[waiver]]\nrule = "S004"\nfile = "*"\n', "reason"),
        ('[[waiver]]\nrule = "S004"\nfile = "*"\nreason = "  "\n', "reason"),
        ('[[waiver]]\nrule = "Z999"\nfile = "*"\nreason = "x"\n', "Z999"),
        ('[[waiver]]\nrule = "S004"\nreason = "x"\n', "file"),
        ('[[waiver]]\nrule = "S004"\nfile = "*"\nreason = "x"\nexpire = 2030-01-01\n', "expire"),
        ('[[waiver]]\nrule = "S004"\nfile = "*"\nreason = "x"\nexpires = "soon"\n', "expires"),
        ("[[waiver]\n", "invalid TOML"),
        ('[[waivr]]\nrule = "S004"\n', "waivr"),
    ],
)
def test_malformed_waiver_is_an_error(tmp_path, doc, text, words):
    waivers = write(tmp_path, "w.toml", text)
    result = invoke("check", "--no-config", "--waivers", waivers, doc)
    assert result.exit_code == 2
    assert words in result.output


def test_waivers_from_config(tmp_path, doc, monkeypatch):
    write(tmp_path, "w.yaml", "- rule: S004\n  file: '*'\n  reason: 已核实\n")
    write(tmp_path, "audit.toml", 'waivers = "w.yaml"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--format", "json", doc)
    assert "S004" not in {f["rule"] for f in findings(json.loads(result.stdout))}
