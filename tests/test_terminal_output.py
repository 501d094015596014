"""What lands on a terminal or a non-UTF-8 stdout: a machine-readable report printed to a terminal
is the report alone (no progress bar mixed in, e.g. when a CI log or `script` captures the
terminal), JSON is UTF-8 whatever the locale, and a human report never crashes on an encoding."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reporting import EXAMPLE

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pty")


ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict:
    """The environment for a `python -m audit` run from another folder: the checkout importable
    (the tests also run from a checkout that is not pip-installed)."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def _in_terminal(args: list[str], cwd, env: dict | None = None) -> tuple[int, bytes]:
    """Run `python -m audit …` with stdout and stderr on one pseudo-terminal; all it printed."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "audit", *args], stdout=secondary, stderr=secondary, cwd=cwd, env=env or _env())
    os.close(secondary)
    out = bytearray()
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        out += chunk
    os.close(primary)
    return proc.wait(timeout=60), bytes(out)


def test_json_printed_to_a_terminal_is_the_report_alone(tmp_path):
    for i in range(25):  # enough files that a progress bar would be shown
        shutil.copy(EXAMPLE, tmp_path / f"d{i:02d}.txt")
    code, out = _in_terminal(["check", "--no-config", "--format", "json", str(tmp_path)], tmp_path)
    assert code == 1
    report = json.loads(out.decode("utf-8").replace("\r\n", "\n"))
    assert len(report["files"]) == 25


def test_a_short_run_shows_no_progress_bar_even_in_a_terminal(tmp_path):
    code, out = _in_terminal(["check", "--no-config", str(EXAMPLE), str(EXAMPLE)], tmp_path)
    assert code == 1
    assert "━".encode() not in out and b"\x1b[?25l" not in out


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_a_non_utf8_stdout_gets_utf8_json_and_a_readable_text_report(encoding, tmp_path):
    env = _env(PYTHONIOENCODING=encoding)
    command = [sys.executable, "-m", "audit", "check", "--no-config", str(EXAMPLE)]
    machine = subprocess.run([*command, "--format", "json"], capture_output=True, env=env, cwd=tmp_path)
    assert machine.returncode == 1, machine.stderr
    assert json.loads(machine.stdout.decode("utf-8"))["files"][0]["findings"]
    human = subprocess.run(command, capture_output=True, env=env, cwd=tmp_path)
    assert human.returncode == 1, human.stderr  # findings, not an internal error
    assert b"B003" in human.stdout and not human.stderr


@pytest.mark.parametrize("where", ["pipe", "terminal"])
def test_corpus_json_parses_with_stderr_merged_and_a_cold_cache(corpus_dir, tmp_path, where):
    """`audit check corpus --format json` with stdout and stderr on one stream, on a first run that
    builds every start-up cache (rules, lexicons, grammar): nothing but the report is printed."""
    env = _env(XDG_CACHE_HOME=str(tmp_path / "cache"))
    relative = os.path.relpath(corpus_dir, tmp_path)  # as users type it: ../shared/corpus
    args = ["check", "--format", "json", relative]
    if where == "pipe":
        done = subprocess.run([sys.executable, "-m", "audit", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
        code, out = done.returncode, done.stdout
    else:
        code, out = _in_terminal(args, tmp_path, env)
    assert code == 1
    report = json.loads(out.decode("utf-8").replace("\r\n", "\n"))
    assert len(report["files"]) == len(list(corpus_dir.glob("*.txt"))) and report["summary"]["findings"] > 0
