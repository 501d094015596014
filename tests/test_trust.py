"""Nothing trusted that the user did not write: bounded YAML, configs only where the user put
them, no report written through someone else's symlink, no escape sequence from a file name on
the terminal, no code from a cache. Each case here failed on main at 679f85f (see the commit)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.rules import RuleFileError, load_rule_file
from audit.yamlsafe import YamlError, load_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_RULES = ROOT / "rules" / "engine.yaml"


def _cli(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=120)


# -- YAML bounded ----------------------------------------------------------------------------------


def _alias_bomb(levels: int = 9) -> str:
    """The billion-laughs file: each level a list of ten aliases of the one before (~400 bytes)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_file_and_line():
    with pytest.raises(YamlError, match=r"^bomb.yaml:1: YAML anchors and aliases"):
        load_text(_alias_bomb(), "bomb.yaml")


def test_an_alias_bomb_in_a_rules_params_is_refused(tmp_path):
    rule = (
        "- id: Z901\n  name: z-bomb\n  severity: info\n  kind: unused\n"
        "  title: {zh: 炸弹, en: bomb}\n  message: {zh: 炸弹, en: bomb}\n  rationale: {zh: 无, en: none}\n"
        "  params:\n" + "".join("    " + line + "\n" for line in _alias_bomb().splitlines())
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(rule, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"bomb.yaml:9: YAML anchors and aliases"):
        load_rule_file(path)


def test_deep_nesting_is_refused_not_a_recursion_error():
    with pytest.raises(YamlError, match="nested more than"):
        load_text("[" * 5000 + "]" * 5000, "deep.yaml")


@pytest.mark.parametrize("option", ["--rules", "--waivers"])
def test_an_alias_bomb_on_the_command_line_is_one_short_error(tmp_path, option):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb(), encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("2024年部门预算\n", encoding="utf-8")
    done = _cli("check", "--no-config", option, str(bomb), str(doc), cwd=tmp_path)
    assert done.returncode == 2
    assert "bomb.yaml:1: YAML anchors and aliases" in done.stderr
    assert len(done.stderr) < 500


def test_the_shipped_files_load_through_the_safe_loader():
    """Every shipped rule and lexicon file passes the same checks (no anchors anywhere)."""
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        load_text(path.read_text(encoding="utf-8"), str(path))
