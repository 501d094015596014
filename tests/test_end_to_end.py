"""The whole pipeline through the CLI: exit codes, the JSON contract, encodings, bad input, bad rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import cli
from audit.rules import RuleFileError, load_rule_file

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "demo-budget-2024.txt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def as_json(*args: str) -> tuple[int, dict]:
    result = run("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_example_has_findings_and_exit_1():
    code, data = as_json(str(EXAMPLE))
    assert code == 1
    (file,) = data["files"]
    rules = {f["rule"] for f in file["findings"]}
    assert {"S001", "S002"} <= rules
    assert data["summary"]["facts"]["projects"] == 3


def test_json_contract_shape():
    code, data = as_json(str(EXAMPLE))
    assert set(data) == {"tool", "files", "summary"}
    assert data["tool"]["name"] == "audit"
    file = data["files"][0]
    assert {"path", "encoding", "findings", "facts", "checks"} <= set(file)
    for finding in file["findings"]:
        assert {"rule", "severity", "message", "line"} <= set(finding)
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["rule"][0] in "BSICTX"
        assert finding["fingerprint"]
    summary = data["summary"]
    assert {"files", "findings", "by_severity", "by_rule", "facts", "checks"} <= set(summary)
    assert set(summary["facts"]) >= {"projects", "schedules", "indicators", "identities", "tables"}
    for tally in summary["checks"].values():
        assert set(tally) == {"passed", "failed", "not_applicable", "insufficient_data"}


def test_english_messages():
    result = run("check", "--format", "json", "--lang", "en", "--select", "S001", str(EXAMPLE))
    message = json.loads(result.stdout)["files"][0]["findings"][0]["message"]
    assert "cumulative" in message and not any("\u4e00" <= ch <= "\u9fff" for ch in message.replace("社区矫正工作经费", ""))


def test_fail_on_levels():
    assert run("check", "--select", "S004,S005", "--fail-on", "error", str(EXAMPLE)).exit_code == 0
    assert run("check", "--select", "S002", "--fail-on", "warning", str(EXAMPLE)).exit_code == 1
    assert run("check", "--fail-on", "never", str(EXAMPLE)).exit_code == 0


def test_gb18030_copy_gives_same_findings(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    gb = tmp_path / "gb.txt"
    gb.write_bytes(text.encode("gb18030"))
    _, utf = as_json(str(EXAMPLE))
    _, other = as_json(str(gb))
    assert other["files"][0]["encoding"] == "gb18030"
    strip = lambda d: [(f["rule"], f["line"], f["column"], f["message"]) for f in d["files"][0]["findings"]]  # noqa: E731
    assert strip(utf) == strip(other)


def test_gb18030_copy_of_a_seed_gives_same_findings(tmp_path, seed):
    original = seed("001")
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gb18030"))
    _, a = as_json(str(original))
    _, b = as_json(str(copy))
    key = lambda d: [(f["rule"], f["line"], f["column"], f["message"]) for f in d["files"][0]["findings"]]  # noqa: E731
    assert key(a) == key(b) and b["files"][0]["encoding"] == "gb18030"


def test_binary_file_exits_2_and_others_still_reported(tmp_path):
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(binary), str(EXAMPLE)])
    assert result.exit_code == 2
    assert "scan.txt" in result.stderr and "binary" in result.stderr
    data = json.loads(result.stdout)
    bad, good = data["files"]
    assert bad["error"] and bad["findings"] == []
    assert good["findings"]


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty"), (b"  \n\t\n", "empty")],
)
def test_empty_file_is_an_input_error(tmp_path, content, reason):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2 and reason in result.stderr and "empty.txt" in result.stderr


def test_missing_file_is_an_input_error(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope.txt"), str(EXAMPLE)])
    assert result.exit_code == 2 and "nope.txt" in result.stderr
    assert "S001" in result.stdout  # the other file is still checked


def test_bad_rule_file_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: S001x\n  name: x\n  kind: schedule_monotone\n  severity: error\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_rule_file(bad)
    assert "bad.yaml:1" in str(info.value) and "S001x" in str(info.value)
    result = CliRunner().invoke(cli, ["check", "--rules", str(bad), str(EXAMPLE)])
    assert result.exit_code == 2 and "bad.yaml:1" in result.stderr


@pytest.mark.parametrize("extra, reason", [("  source: mine\n", "source"), ("  1: one\n", "Keys should be strings")])
def test_odd_keys_in_a_rule_entry_are_rule_file_errors(tmp_path, extra, reason):
    """`source` is set by the loader (file:line) and a key must be a string: each is a clear error, not a crash."""
    bad = tmp_path / "odd.yaml"
    bad.write_text(
        "- id: Z901\n  name: odd\n  kind: schedule_monotone\n  severity: info\n"
        "  title: {zh: 无, en: none}\n  message: {zh: 无, en: none}\n" + extra,
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--rules", str(bad), str(EXAMPLE)])
    assert result.exit_code == 2 and "odd.yaml:1" in result.stderr and reason in result.stderr
    assert "internal error" not in result.stderr


def test_unknown_rule_kind_is_a_rule_file_error(tmp_path):
    bad = tmp_path / "kind.yaml"
    bad.write_text(
        "- id: Z900\n  name: nothing\n  kind: no_such_kind\n  severity: info\n"
        "  title: {zh: 无, en: none}\n  message: {zh: 无, en: none}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", "--rules", str(bad), str(EXAMPLE)])
    assert result.exit_code == 2 and "no_such_kind" in result.stderr


def test_crashing_check_becomes_x001(monkeypatch):
    from audit import engine

    engine.load_kinds()

    def boom(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(engine.KINDS, "schedule_monotone", boom)
    code, data = as_json(str(EXAMPLE))
    rules = [f["rule"] for f in data["files"][0]["findings"]]
    assert "X001" in rules and "S002" in rules  # the others still ran
    x001 = next(f for f in data["files"][0]["findings"] if f["rule"] == "X001")
    assert "S001" in x001["message"] and "ZeroDivisionError" in x001["message"]


def test_parse_command_reads_domain_forms():
    result = run("parse", "≥90百分比", "符号 >= 值 95.00 单位 %", "效果明显")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 3


def test_extract_command_outputs_facts():
    result = run("extract", "--json", str(EXAMPLE))
    data = json.loads(result.stdout)
    assert data["counts"]["projects"] == 3
    assert data["facts"]["projects"][0]["name"] == "法律援助经费"


def test_python_dash_m_audit():
    out = subprocess.run([sys.executable, "-m", "audit", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "audit" in out.stdout


def test_corpus_project_counts_in_json(corpus_dir):
    seeds = sorted(str(p) for p in corpus_dir.glob("*.txt"))
    code, data = as_json(*seeds)
    assert code in (0, 1)
    assert [f["facts"]["projects"] for f in data["files"]] == [33, 54, 14, 18, 24]


def test_installed_tool_runs_from_any_directory(tmp_path):
    """rules/ and grammar/ ship inside the package: run from a directory that is not the checkout."""
    found = subprocess.run([sys.executable, "-c", "import audit"], capture_output=True, cwd=tmp_path)
    if found.returncode != 0:
        pytest.skip("audit is not installed (tests run from a checkout): `pip install .` to test the installed tool")
    out = subprocess.run(
        [sys.executable, "-m", "audit", "check", "--format", "json", str(EXAMPLE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["summary"]["facts"]["projects"] == 3
