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
    # our own limit, or (PyYAML ≥ 6.0.4) the parser's, which now stops first: either way a file:line error
    with pytest.raises(YamlError, match=r"deep\.yaml:\d+: .*(nested more than|maximum nesting depth)"):
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


# -- configuration only where the user put it ---------------------------------------------------

DOC = "2024年部门预算\n一、部门基本情况\n"
JSON_CONFIG = 'format = "json"\n'

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a file another user owns needs root")
posix = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")


def _tree(tmp_path: Path, config_at: str, cwd: str) -> tuple[Path, Path]:
    config = tmp_path / config_at / "audit.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(JSON_CONFIG, encoding="utf-8")
    config.chmod(0o644)
    work = tmp_path / cwd
    work.mkdir(parents=True, exist_ok=True)
    (work / "doc.txt").write_text(DOC, encoding="utf-8")
    return config, work


def _obeyed(done: subprocess.CompletedProcess) -> bool:
    return done.stdout.lstrip().startswith("{")


@posix
def test_a_config_others_may_write_is_ignored_with_a_warning(tmp_path):
    config, work = _tree(tmp_path, "shared", "shared/project")
    config.chmod(0o666)
    done = _cli("check", "doc.txt", cwd=work)
    assert not _obeyed(done)
    assert f"ignoring config {config}: writable by other users" in done.stderr


@posix
@needs_root
def test_a_config_another_user_owns_is_ignored_with_a_warning(tmp_path):
    config, work = _tree(tmp_path, "shared", "shared/project")
    os.chown(config, 65534, 65534)
    done = _cli("check", "doc.txt", cwd=work)
    assert not _obeyed(done)
    assert "owned by another user (uid 65534)" in done.stderr


@posix
def test_an_own_config_is_still_obeyed(tmp_path):
    _, work = _tree(tmp_path, "project", "project/sub")
    assert _obeyed(_cli("check", "doc.txt", cwd=work))


def test_discovery_stops_at_the_repository_root(tmp_path):
    _, work = _tree(tmp_path, ".", "repo/sub")
    (tmp_path / "repo" / ".git").mkdir()
    assert not _obeyed(_cli("check", "doc.txt", cwd=work))


def test_discovery_stops_at_the_home_folder(tmp_path):
    _, work = _tree(tmp_path, ".", "home/me/work")
    assert not _obeyed(_cli("check", "doc.txt", cwd=work, env={"HOME": str(tmp_path / "home" / "me")}))


@pytest.mark.parametrize("where", ["../outside.md", "~/outside.md", "{tmp}/outside.md", "sub/../../outside.md"])
def test_a_found_config_never_writes_reports_outside_its_folder(tmp_path, where):
    config, work = _tree(tmp_path, "project", "project")
    target = tmp_path / "outside.md"
    config.write_text(f"reports = {{ markdown = {where.format(tmp=tmp_path)!r} }}\n".replace("'", '"'), encoding="utf-8")
    done = _cli("check", "--format", "json", "-o", "out.json", "doc.txt", cwd=work, env={"HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "is outside the config's folder" in done.stderr
    assert not target.exists()


def test_a_found_config_may_write_reports_beside_itself(tmp_path):
    config, work = _tree(tmp_path, "project", "project/sub")
    config.write_text('reports = { markdown = "out/audit.md" }\n', encoding="utf-8")
    done = _cli("check", "doc.txt", cwd=work)
    assert done.returncode in (0, 1), done.stderr
    assert (tmp_path / "project" / "out" / "audit.md").is_file()


def test_a_symlinked_folder_does_not_lead_a_found_configs_report_out(tmp_path):
    config, work = _tree(tmp_path, "project", "project")
    (tmp_path / "elsewhere").mkdir()
    (work / "link").symlink_to(tmp_path / "elsewhere")
    config.write_text('reports = { markdown = "link/audit.md" }\n', encoding="utf-8")
    done = _cli("check", "doc.txt", cwd=work)
    assert done.returncode == 2 and "outside the config's folder" in done.stderr
    assert not (tmp_path / "elsewhere" / "audit.md").exists()


# -- reports never written through someone else's symlink ---------------------------------------


@posix
@needs_root
@pytest.mark.parametrize("option", ["-o", "--report"])
def test_a_planted_symlink_is_replaced_not_written_through(tmp_path, option):
    victim = tmp_path / "victim.txt"
    victim.write_text("secret\n", encoding="utf-8")
    victim.chmod(0o600)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    link = shared / "audit.json"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)  # planted by another user
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    args = ["-o", str(link)] if option == "-o" else ["--report", f"json={link}"]
    _cli("check", "--no-config", "--format", "json", *args, "doc.txt", cwd=tmp_path)
    assert victim.read_text(encoding="utf-8") == "secret\n"
    assert victim.stat().st_mode & 0o777 == 0o600
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("{")


@posix
@needs_root
def test_a_baseline_is_not_written_through_a_planted_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("secret\n", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    link = shared / "baseline.json"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)  # planted by another user
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    _cli("baseline", "--no-config", "-o", str(link), "doc.txt", cwd=tmp_path)
    assert victim.read_text(encoding="utf-8") == "secret\n"
    assert not link.is_symlink() and '"findings"' in link.read_text(encoding="utf-8")


def test_an_own_symlink_is_followed(tmp_path):
    real = tmp_path / "site" / "audit.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "audit.json"
    link.symlink_to(real)
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    _cli("check", "--no-config", "--format", "json", "-o", str(link), "doc.txt", cwd=tmp_path)
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


# -- names escaped for the terminal -----------------------------------------------------------------


def test_printable_escapes_controls_bidi_and_undecodable_bytes():
    from audit.terminal import printable

    assert printable("a\x1b]0;x\x07b") == "a\\x1b]0;x\\x07b"
    assert printable("abc\u202edcba") == "abc\\u202edcba"
    assert printable("bad\udcffname") == "bad\\xffname"
    assert printable("部门预算 2024.txt") == "部门预算 2024.txt"


@pytest.mark.skipif(sys.platform == "win32", reason="ESC is not allowed in Windows file names")
def test_escape_sequences_in_file_names_never_reach_the_terminal(tmp_path):
    name = "a\x1b]0;pwned\x07b\x1b[2J.txt"
    (tmp_path / name).write_text(DOC + "合计\t1\t2\n", encoding="utf-8")
    for args in (["check", "--no-config", name], ["check", "--no-config", "missing\x1b[2J.txt"], ["check", "--no-config", "."]):
        done = _cli(*args, cwd=tmp_path)
        assert "\x1b" not in done.stdout and "\x1b" not in done.stderr, args
        assert "\\x1b" in done.stdout + done.stderr


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_dev_stdout_a_root_owned_link_is_still_written_through(tmp_path):
    (tmp_path / "doc.txt").write_text(DOC, encoding="utf-8")
    done = _cli("check", "--no-config", "--format", "json", "-o", "/dev/stdout", "doc.txt", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout.startswith("{")
