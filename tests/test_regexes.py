"""audit.regexes: patterns built from stored programs are the patterns re compiles, and a bad
store never changes what a run finds."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import regexes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "demo-budget-2024.txt"

pytestmark = pytest.mark.skipif(not regexes.SUPPORTED, reason="the store mirrors CPython 3.11-3.13's re compiler only")

TRICKY = [
    (r"(?P<year>\d{4})\s*年(?:(?P<month>\d{1,2})月)?", 0),
    (r"[一-鿿、。〈-】]+|[^\t-\r -~]", 0),
    (r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万元|元)", 0),
    (r"(?>[\s\-*•·●]*)\(?+第?", 0),
    (r"abc", re.IGNORECASE),
    (r"^\s*# comment\n  x+  # more", re.VERBOSE | re.MULTILINE),
    (r"(a)(b)?(?(2)c|d)", re.ASCII),
    (r"\bword\b.*$", re.DOTALL | re.UNICODE),
]


def _stdlib(pattern: str, flags: int) -> re.Pattern:
    return regexes.Store()._original(pattern, flags)


@pytest.mark.parametrize("pattern, flags", TRICKY)
def test_stored_program_builds_the_same_pattern(pattern, flags):
    store = regexes.Store()
    fresh = store.compile(pattern, flags)
    assert store.added == 1
    again = regexes.Store(pickle.loads(pickle.dumps(store.programs))).compile(pattern, flags)
    expected = _stdlib(pattern, flags)
    # Pattern equality compares the pattern, the flags and the compiled program itself
    assert fresh == expected and again == expected
    assert again.groupindex == expected.groupindex and again.groups == expected.groups


@pytest.mark.filterwarnings("ignore::FutureWarning")  # re warns of "[[" and the like, as it should
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab一年()?*+|.[]^$\\d{}2,:-", max_size=12), st.sampled_from([0, re.I, re.M | re.S, re.X]))
def test_any_pattern_compiles_as_re_does(pattern, flags):
    """Valid or not, a pattern through the store is what re makes of it, error included."""
    try:
        expected = _stdlib(pattern, flags)
    except re.error as exc:
        with pytest.raises(re.error) as raised:
            regexes.Store().compile(pattern, flags)
        assert str(raised.value) == str(exc)
        return
    store = regexes.Store()
    assert store.compile(pattern, flags) == expected
    assert regexes.Store(store.programs).compile(pattern, flags) == expected


def test_a_program_this_python_rejects_is_compiled_afresh():
    pattern = r"(?P<n>\d+)万元"
    flags, code, groups, groupindex, indexgroup = regexes.program_of(pattern, 0)
    broken = {(pattern, 0): (flags, [99999] + code[1:], groups, groupindex, indexgroup)}
    store = regexes.Store(broken)
    assert store.compile(pattern, 0) == _stdlib(pattern, 0)
    assert store.added == 1  # replaced by a good program, saved next time


def test_bytes_and_debug_patterns_go_to_re():
    store = regexes.Store()
    assert store.compile(rb"\d+", 0) == _stdlib(rb"\d+", 0)
    assert store.added == 0 and not store.programs


def test_kept_restores_re_and_saves_new_programs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from re import _compiler

    original = _compiler.compile
    with regexes.kept() as store:
        assert _compiler.compile == store.compile
        re.compile(r"kept-test-[一-鿿]{2}\d")
    assert _compiler.compile is original
    saved = list((tmp_path / "audit").glob("regexes-*.pickle"))
    assert len(saved) == 1
    with regexes.kept() as store:
        assert (r"kept-test-[一-鿿]{2}\d", 0) in store.programs


def _run(cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_every_pattern_a_run_stores_is_the_one_re_compiles(tmp_path):
    """A whole `audit check` run, then each stored program against re's own compiler."""
    first = _run(tmp_path, "check", "--no-config", "--format", "json", str(EXAMPLE))
    assert first.returncode == 1, first.stderr
    [path] = (tmp_path / "audit").glob("regexes-*.pickle")
    programs = pickle.loads(path.read_bytes())
    assert len(programs) > 100  # the package's own patterns, the grammar's terminals …
    for (pattern, flags), program in programs.items():
        assert re._compiler._sre.compile(pattern, *program) == _stdlib(pattern, flags), pattern
    stamp = path.stat().st_mtime_ns
    second = _run(tmp_path, "check", "--no-config", "--format", "json", str(EXAMPLE))
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert path.stat().st_mtime_ns == stamp  # nothing new to save


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps(["a list"]), pickle.dumps({("x", 0): (0, [1], 0, {}, ())})])
def test_a_bad_store_changes_nothing(tmp_path, content):
    clean = _run(tmp_path / "clean", "check", "--no-config", "--format", "json", str(EXAMPLE))
    folder = tmp_path / "bad" / "audit"
    folder.mkdir(parents=True, mode=0o700)
    [name] = [p.name for p in (tmp_path / "clean" / "audit").glob("regexes-*.pickle")]
    (folder / name).write_bytes(content)
    run = _run(tmp_path / "bad", "check", "--no-config", "--format", "json", str(EXAMPLE))
    assert (run.returncode, run.stdout, run.stderr) == (clean.returncode, clean.stdout, clean.stderr)
