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


ROOT = Path(__file__).resolve().parents[2]


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


# -- the text report at a terminal's width ----------------------------------------------------------

from rich.cells import cell_len  # noqa: E402

from audit.model import RunReport  # noqa: E402
from audit.pipeline import Options, audit_path  # noqa: E402
from audit.report import ReportOptions, writer  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from tests.conftest import SEEDS  # noqa: E402


def _cells_slice(text: str, start: int, count: int) -> str:
    """The characters of `text` that occupy cells [start, start + count)."""
    out, at = [], 0
    for char in text:
        if start <= at < start + count:
            out.append(char)
        at += cell_len(char)
    return "".join(out)


def _check_layout(path, width: int) -> int:
    """Render `path` as text at `width` cells; every line fits and every caret run sits under the
    span it marks (the characters above it are the document's, from the finding's column on)."""
    rules = load_rules()
    report = audit_path(str(path), rules, Options(selected=set(rules.rules)))
    lines = report.lines
    text = writer("text")(RunReport(version="t", rules=rules.rules, files=[report]), ReportOptions(width=width, statistics=True))
    rendered = text.splitlines()
    assert max(cell_len(line) for line in rendered) <= width
    carets = 0
    position = None
    for above, below in zip(rendered, rendered[1:]):
        if above.startswith(str(path)) and ":" in above[len(str(path)):]:
            line, column = (int(x) for x in above[len(str(path)) + 1 :].split()[0].split(":")[:2])
            position = (line, column)
        stripped = below.strip()
        if " │ " in above and stripped and set(stripped) == {"^"} and position is not None:
            start = len(below) - len(below.lstrip(" "))  # the caret line is spaces and carets: cells = characters
            marked = _cells_slice(above, start, len(stripped)).rstrip("…")
            line, column = position
            source = lines[line - 1].replace("\t", " ")
            assert marked and source[column - 1 :].startswith(marked) or marked == "（空单元格）", (above, below)
            carets += 1
    return carets


def test_the_example_laid_out_at_80_columns_fits_with_carets_under_their_spans():
    assert _check_layout(EXAMPLE, 80) >= 5


@pytest.mark.skipif(not SEEDS, reason="../shared/corpus is absent: the seeds are not laid out")
@pytest.mark.parametrize("width", [80, 60])
def test_the_seeds_laid_out_at_a_narrow_terminal_fit_with_carets_under_their_spans(width):
    assert sum(_check_layout(seed, width) for seed in SEEDS) >= 20


def test_columns_sets_the_width_even_into_a_pipe_and_a_pipe_alone_is_unbounded():
    env = {**os.environ, "COLUMNS": "80"}
    narrow = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", str(EXAMPLE)], capture_output=True, text=True, env=env, cwd=EXAMPLE.parents[1])
    assert max(cell_len(line) for line in narrow.stdout.splitlines()) <= 80
    env.pop("COLUMNS")
    wide = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", str(EXAMPLE)], capture_output=True, text=True, env=env, cwd=EXAMPLE.parents[1])
    assert max(cell_len(line) for line in wide.stdout.splitlines()) > 80  # a finding's message stays on one line for grep


def test_a_terminal_of_80_columns_gets_an_80_column_report(tmp_path):
    """In a pty the size comes from the terminal itself (stty), as in tmux or any emulator."""
    import fcntl
    import struct
    import termios

    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "audit", "check", "--no-config", "--no-color", str(EXAMPLE)], stdout=secondary, stderr=secondary, cwd=EXAMPLE.parents[1], env=env)
    os.close(secondary)
    out = bytearray()
    while select.select([primary], [], [], 60)[0]:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(primary)
    assert proc.wait(timeout=60) == 1
    lines = out.decode("utf-8").replace("\r\n", "\n").splitlines()
    assert len(lines) > 20 and max(cell_len(line) for line in lines) <= 80


def test_the_readme_sample_is_what_the_example_prints():
    """The README's sample output is the end of the example's report at 100 columns, verbatim
    (regenerate: COLUMNS=100 audit check examples/demo-budget-2024.txt --no-color | tail -13)."""
    readme = (EXAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sample output", 1)[1]
    sample = section.split("```\n", 2)[1]
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run([sys.executable, "-m", "audit", "check", "--no-color", "examples/demo-budget-2024.txt"], capture_output=True, text=True, env=env, cwd=EXAMPLE.parents[1])
    assert result.stdout.endswith(sample)
