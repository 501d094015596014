"""The conventions people bring from ruff and semgrep, one test each: --extend-select/--extend-ignore,
--stdin-filename, `audit config`, colour when piped (--color, FORCE_COLOR, NO_COLOR), shell
completion, --format case-insensitive with its choices in --help, "did you mean", and the quiet
defaults (a one-line summary, --statistics, -q, --min-severity, errors listed at the end)."""

from __future__ import annotations

import os
import subprocess
import sys

from audit.batch import DEFAULT_INCLUDE
from audit.report import FORMATS
from tests.reporting import EXAMPLE, ROOT, check_json, findings, invoke

ESC = "\x1b["


def _rules(data: dict) -> set[str]:
    return {f["rule"] for f in findings(data)}


def test_extend_select_adds_to_the_selection_and_extend_ignore_removes():
    _, only = check_json("--select", "S001", EXAMPLE)
    _, extended = check_json("--select", "S001", "--extend-select", "B003", EXAMPLE)
    assert _rules(only) == {"S001"} and _rules(extended) == {"S001", "B003"}
    _, everything = check_json(EXAMPLE)
    _, fewer = check_json("--extend-ignore", "S001,B003", EXAMPLE)
    assert _rules(everything) - _rules(fewer) == {"S001", "B003"}


def test_extend_select_keeps_the_config_selection(tmp_path):
    (tmp_path / "audit.toml").write_text('select = ["S001"]\n', encoding="utf-8")
    result = invoke("check", "--config", tmp_path / "audit.toml", "--extend-select", "B003", "--format", "concise", "-q", EXAMPLE)
    assert {line.split()[1] for line in result.stdout.splitlines()} == {"S001", "B003"}


def test_stdin_filename_names_standard_input():
    text = EXAMPLE.read_text(encoding="utf-8")
    result = invoke("check", "--no-config", "--format", "concise", "-q", "--stdin-filename", "预算/2024.txt", "-", input=text)
    assert result.stdout and all(line.startswith("预算/2024.txt:") for line in result.stdout.splitlines())
    assert invoke("check", "--no-config", "--stdin-filename", "x.txt", EXAMPLE).exit_code == 2  # only with `-`


def test_config_prints_the_resolved_settings_found_from_the_files_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.audit]\nignore = ["S004"]\nfail-on = "never"\nbaseline = "b.json"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    result = invoke("config", tmp_path / "sub" / "a.txt")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# from {(tmp_path / 'pyproject.toml').resolve()}"
    assert 'ignore = ["S004"]' in lines and 'fail-on = "never"' in lines and 'lang = "zh"' in lines
    assert f'baseline = "{(tmp_path / "b.json").resolve()}"' in lines  # resolved against the config's folder
    import tomllib

    settings = tomllib.loads(result.stdout)  # what it prints is TOML a config file could hold
    assert settings["include"] == list(DEFAULT_INCLUDE) and settings["jobs"] == 1
    defaults = invoke("config", "--no-config")
    assert defaults.stdout.startswith("# no config file") and 'fail-on = "error"' in defaults.stdout


def _piped(*args: str, env: dict[str, str]) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", *args, str(EXAMPLE)], cwd=ROOT, capture_output=True, text=True, env={**clean, **env})
    return result.stdout


def test_colour_into_a_pipe_when_asked():
    assert ESC not in _piped(env={})
    assert ESC in _piped("--color", env={})  # `audit check --color | less -R`
    assert ESC in _piped(env={"FORCE_COLOR": "1"})
    assert ESC not in _piped(env={"FORCE_COLOR": "1", "NO_COLOR": "1"})  # NO_COLOR wins over FORCE_COLOR
    assert ESC not in _piped("--no-color", env={"FORCE_COLOR": "1"})  # the flag wins over both
    assert ESC in _piped("--color", env={"NO_COLOR": "1"})


def test_shell_completion_script_is_generated():
    for shell in ("bash", "zsh", "fish"):
        env = {**os.environ, "_AUDIT_COMPLETE": f"{shell}_source"}
        result = subprocess.run([sys.executable, "-m", "audit"], cwd=ROOT, capture_output=True, text=True, env=env)
        assert result.returncode == 0 and "_AUDIT_COMPLETE" in result.stdout, shell


def test_format_is_case_insensitive_and_help_lists_the_choices():
    assert invoke("check", "--no-config", "--format", "JSON", EXAMPLE).stdout.startswith("{")
    help_text = " ".join(invoke("check", "--help").stdout.split())
    assert "--format [" + "|".join(FORMATS) + "]" in help_text  # every format, in --help


def test_did_you_mean_for_an_unknown_rule():
    result = invoke("check", "--no-config", "--select", "B03", EXAMPLE)
    assert result.exit_code == 2 and "did you mean" in result.output and "B003" in result.output
    explained = invoke("explain", "S0001")
    assert explained.exit_code == 2 and "did you mean S001" in explained.output
    assert "did you mean" not in invoke("explain", "ZZZZZZ").output  # nothing close: no guess


def test_a_short_summary_by_default_and_the_table_with_statistics():
    plain = invoke("check", "--no-config", EXAMPLE).stdout
    tail = plain.rstrip("\n").splitlines()[-3:]
    assert tail[-2].startswith("汇总: 1 个文件, 12 个问题") and tail[-1].startswith("错误 3 处：")  # the errors, at the end
    assert "未通过" not in plain  # no per-rule table
    stats = invoke("check", "--no-config", "--statistics", EXAMPLE).stdout
    assert "未通过" in stats and "S001" in stats.split("汇总")[1] and "已提取:" in stats


def test_quiet_prints_only_the_findings():
    quiet = invoke("check", "--no-config", "-q", EXAMPLE).stdout
    assert "汇总" not in quiet and "── " not in quiet and quiet.count("S001 错误") == 1
    concise = invoke("check", "--no-config", "--format", "concise", "--quiet", EXAMPLE).stdout.splitlines()
    assert len(concise) == 12 and all(":" in line for line in concise)


def test_min_severity_drops_lower_findings_and_their_exit_code():
    _, data = check_json("--min-severity", "error", EXAMPLE)
    assert {f["severity"] for f in findings(data)} == {"error"} and len(findings(data)) == 3
    warnings = invoke("check", "--no-config", "--select", "S002", "--fail-on", "warning", "--min-severity", "ERROR", EXAMPLE)
    assert warnings.exit_code == 0  # the warnings it hides do not fail the run


def test_unreadable_files_are_listed_in_the_summary(tmp_path):
    result = invoke("check", "--no-config", EXAMPLE, tmp_path / "missing.txt")
    assert result.exit_code == 2
    assert any(line.startswith("无法读取的文件 1 个：") and "missing.txt" in line for line in result.stdout.splitlines())
