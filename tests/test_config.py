"""Config from [tool.audit] in pyproject.toml or audit.toml; the command line overrides it."""

from __future__ import annotations

import json

import pytest

from audit.config import Config, ConfigError, find_config, load_config, read_lexicon_extensions
from audit.lexicon import merge_lexicon
from tests.reporting import document, findings, invoke, project, write

DOC = document(project("培训", "30%", "60%", "50%", "")) + document(project("宣传", "", "", "100%", "100%", number=2))
# S001 (error) and S002 (warning) in the first project, S004 (info) in the second


def check(tmp_path, *args):
    result = invoke("check", "--format", "json", *args, tmp_path / "doc.txt")
    return result.exit_code, (json.loads(result.stdout) if result.stdout.startswith("{") else None), result


@pytest.fixture()
def project_dir(tmp_path, monkeypatch):
    write(tmp_path, "doc.txt", DOC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules_of(data) -> set[str]:
    return {f["rule"] for f in findings(data)}


def test_pyproject_tool_audit(project_dir):
    write(project_dir, "pyproject.toml", '[project]\nname = "x"\n[tool.audit]\nselect = ["S001", "schedule-no-interim-plan"]\nfail-on = "info"\n')
    code, data, _ = check(project_dir)
    assert rules_of(data) == {"S001", "S004"}
    assert code == 1
    # the command line wins
    code, data, _ = check(project_dir, "--select", "S002", "--fail-on", "never")
    assert rules_of(data) == {"S002"} and code == 0


def test_audit_toml_wins_over_pyproject_and_is_found_from_a_subfolder(project_dir, monkeypatch):
    write(project_dir, "pyproject.toml", '[tool.audit]\nselect = ["S001"]\n')
    write(project_dir, "audit.toml", 'select = ["S002"]\n')
    (project_dir / "sub").mkdir()
    monkeypatch.chdir(project_dir / "sub")
    assert find_config() == project_dir / "audit.toml"
    _, data, _ = check(project_dir)
    assert rules_of(data) == {"S002"}
    _, data, _ = check(project_dir, "--no-config")
    assert {"S001", "S002", "S004"} <= rules_of(data)


def test_severity_overrides_and_off(project_dir):
    write(project_dir, "audit.toml", '[severity]\nS004 = "error"\nschedule-not-complete = "off"\n')
    code, data, _ = check(project_dir)
    severities = {f["rule"]: f["severity"] for f in findings(data)}
    assert severities["S004"] == "error" and "S002" not in severities
    _, data, _ = check(project_dir, "--select", "S002")  # the command line overrides "off"
    assert {f["rule"] for f in findings(data)} == {"S002"}


def test_severity_by_family_prefix(project_dir):
    write(project_dir, "audit.toml", '[severity]\nS = "info"\nS001 = "warning"\n')
    code, data, _ = check(project_dir, "--select", "S")
    severities = {f["rule"]: f["severity"] for f in findings(data)}
    assert severities["S001"] == "warning" and severities["S002"] == "info" and code == 0


def test_ignore_and_format_and_reports_from_config(project_dir):
    write(
        project_dir,
        "audit.toml",
        'ignore = ["S004"]\nformat = "concise"\nfail-on = "never"\n[reports]\nsarif = "out/audit.sarif"\n',
    )
    result = invoke("check", project_dir / "doc.txt")
    assert result.exit_code == 0
    assert "S004" not in result.stdout and "S001" in result.stdout
    assert json.loads((project_dir / "out" / "audit.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_extra_rule_files_relative_to_the_config(project_dir):
    write(
        project_dir,
        "rules/local.yaml",
        """- id: S901
  name: local-schedule-decreases
  kind: schedule_monotone
  severity: warning
  title: {zh: 本地规则, en: local rule}
  message: {zh: "本地：{subject}", en: "local: {subject}"}
""",
    )
    (project_dir / "cfg").mkdir()
    write(project_dir, "cfg/audit.toml", 'rules = ["../rules/local.yaml"]\nselect = ["local-schedule-decreases"]\n')
    _, data, _ = check(project_dir, "--config", project_dir / "cfg" / "audit.toml")
    assert rules_of(data) == {"S901"}


@pytest.mark.parametrize(
    "text, words",
    [
        ("selct = ['S001']\n", "selct"),
        ("fail-on = 'sometimes'\n", "fail-on"),
        ("select = ['NOPE']\n", "NOPE"),
        ("[severity]\nS001 = 'fatal'\n", "severity"),
        ("[severity]\nZ999 = 'info'\n", "Z999"),
        ("select = [\n", "invalid TOML"),
        ("rules = ['missing.yaml']\n", "missing.yaml"),
    ],
)
def test_bad_config_exits_2_and_says_why(project_dir, text, words):
    write(project_dir, "audit.toml", text)
    result = invoke("check", project_dir / "doc.txt")
    assert result.exit_code == 2
    assert words in result.output


def test_load_config_keys():
    config = Config.from_mapping({"fail-on": "warning", "select": "S", "jobs": 2})
    assert config.fail_on == "warning" and config.select == ["S"] and config.jobs == 2
    with pytest.raises(Exception):
        Config.from_mapping({"jobs": 0})


def test_pyproject_without_tool_audit_is_not_a_config(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    found = find_config()
    assert found is None or found.parent != tmp_path
    assert load_config(tmp_path / "pyproject.toml").select == []


def test_merge_lexicon():
    base = {"higher": ["满意度", "完成率"], "units": {"人": "count"}}
    extra = {"higher": ["办结率", "满意度"], "units": {"件": "count"}, "new": [1]}
    assert merge_lexicon(base, extra) == {
        "higher": ["满意度", "完成率", "办结率"],
        "units": {"人": "count", "件": "count"},
        "new": [1],
    }


def test_lexicon_extension(tmp_path):
    with pytest.raises(ConfigError, match="no shipped lexicon"):
        read_lexicon_extensions({"no_such_lexicon": tmp_path / "x.yaml"})
    write(tmp_path, "x.yaml", "- not a mapping\n")
    with pytest.raises(ConfigError, match="mapping"):
        read_lexicon_extensions({"indicator_schema": tmp_path / "x.yaml"})


def test_lexicon_extension_reaches_the_readers_of_its_run_only(tmp_path):
    """An extension file changes what the lexicon says (here: a new 二级指标 alias) for the run
    that carries it, caches included; another run, and the process, read the shipped lexicon."""
    from audit import lexicon
    from audit.memo import Memos, running

    write(tmp_path, "schema.yaml", "level2_aliases:\n  工作量指标: 数量指标\n")
    extended = Memos(lexicons=read_lexicon_extensions({"indicator_schema": tmp_path / "schema.yaml"}))
    with running(extended):
        assert lexicon.indicator_schema().canonical_level2("工作量指标") == "数量指标"
        assert lexicon.indicator_schema().canonical_level2("进度指标") == "时效指标"  # shipped entries kept
    with running(Memos()):
        assert lexicon.indicator_schema().canonical_level2("工作量指标") is None
    assert lexicon.indicator_schema().canonical_level2("工作量指标") is None
