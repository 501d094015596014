"""--jobs: the main process and its workers share the files, and the run reads as if one process did it.

What is pinned here: chunks cover the batch in order and shrink to single files at the end; both
processes take part; a worker that dies costs only the files it held (reported, exit 2) and never
the run; buffered output is not written twice by a forked worker; Ctrl-C stops every process with
one line and no traceback.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.batch import chunked, run_batch
from audit.pipeline import Options
from audit.rules import load_rules
from tests.reporting import EXAMPLE, ROOT


@given(count=st.integers(0, 3000), jobs=st.integers(1, 8), most=st.integers(1, 32))
def test_chunks_cover_the_batch_in_order_and_shrink_to_single_files(count, jobs, most):
    paths = [f"f{i}" for i in range(count)]
    chunks = chunked(paths, jobs, most)
    assert [path for chunk in chunks for path in chunk] == paths
    sizes = [len(chunk) for chunk in chunks]
    assert all(1 <= size <= most for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never a big chunk after small ones
    if count:
        assert sizes[-1] == 1  # the last task is one file: nobody waits long for it


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _batch(tmp_path, count: int) -> list[str]:
    folder = tmp_path / "batch"
    folder.mkdir()
    text = EXAMPLE.read_bytes()
    paths = []
    for i in range(count):
        path = folder / f"doc{i:03}.txt"
        path.write_bytes(text.replace("2024".encode(), str(2000 + i % 24).encode()))
        paths.append(str(path))
    return paths


def test_both_processes_audit_and_reports_keep_input_order(tmp_path, rules):
    paths = _batch(tmp_path, 40)
    options = Options(selected=set(rules.rules))
    alone = list(run_batch(paths, rules, options, jobs=1, keep_lines=False, keep_projects=False))
    shared = list(run_batch(paths, rules, options, jobs=2, keep_lines=False, keep_projects=False, render=("json",)))
    assert [r.path for r in shared] == paths
    # only a worker renders (the main process writes its own files' text as it reports them)
    by_worker = [bool(r.rendered) for r in shared]
    assert any(by_worker) and not all(by_worker)
    for report in shared:
        report.rendered = {}
    assert shared == alone


def test_spawned_workers_as_on_macos_and_windows(tmp_path, rules, monkeypatch):
    """Workers that start afresh (rules, options and lexicon setup sent to them) report the same."""
    monkeypatch.setattr("audit.batch.START_METHOD", "spawn")
    paths = _batch(tmp_path, 12)
    options = Options(selected=set(rules.rules))
    spawned = list(run_batch(paths, rules, options, jobs=2, render=("json",)))
    assert any(r.rendered for r in spawned) and not any(r.error for r in spawned)
    for report in spawned:
        report.rendered = {}
    assert spawned == list(run_batch(paths, rules, options, jobs=1))


def test_a_worker_that_dies_costs_only_its_files(tmp_path, rules, monkeypatch):
    """The worker (forked from this test) dies on its first file; the run goes on without it."""

    def die(*args, **kwargs):
        os._exit(3)

    monkeypatch.setattr("audit.batch._audit_and_render", die)  # only workers call it
    paths = _batch(tmp_path, 40)
    started = time.monotonic()
    reports = list(run_batch(paths, rules, Options(selected=set(rules.rules)), jobs=2))
    assert time.monotonic() - started < 60
    assert [r.path for r in reports] == paths
    lost = [r for r in reports if r.error]
    assert lost and all("worker process" in r.error and "exit code 3" in r.error for r in lost)
    assert len(lost) <= 16  # at most the two chunks it held
    assert all(r.findings for r in reports if not r.error)


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audit", *args], cwd=ROOT, capture_output=True, **kwargs)


def test_text_buffered_before_the_fork_is_written_once():
    """What a caller had in stdout's buffer when the workers forked must not come out again as they exit."""
    script = (
        "import sys\n"
        "from audit.batch import run_batch\n"
        "from audit.pipeline import Options\n"
        "from audit.rules import load_rules\n"
        "rules = load_rules()\n"
        "sys.stdout.write('opening;')\n"
        f"reports = list(run_batch([{str(EXAMPLE)!r}] * 4, rules, Options(selected=set(rules.rules)), jobs=2))\n"
        "sys.stdout.write(f'{len(reports)} reports')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert (result.stdout, result.stderr) == ("opening;4 reports", "")


def test_json_on_a_pipe_with_workers_is_what_one_process_prints():
    runs = [_cli("check", "--no-config", "--format", "json", "--jobs", jobs, str(EXAMPLE), str(EXAMPLE)) for jobs in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout
    assert json.loads(runs[1].stdout)["summary"]["files"] == 2
    assert runs[1].stderr == b""


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT are POSIX")
def test_ctrl_c_stops_every_process_with_one_line(tmp_path):
    paths = _batch(tmp_path, 1)
    folder = tmp_path / "batch"
    for i in range(1, 3000):  # a run of several seconds
        os.link(paths[0], folder / f"copy{i:04}.txt")
    process = subprocess.Popen(
        [sys.executable, "-m", "audit", "check", "--no-config", "--format", "json", "-o", str(tmp_path / "out.json"), "--jobs", "2", str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    time.sleep(1.5)
    if process.poll() is not None:
        pytest.skip("the run was over before Ctrl-C")
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.decode().strip() == "audit: aborted"
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker left behind
    assert not (tmp_path / "out.json").exists()  # a report file is only ever complete


# -- a time limit per file ----------------------------------------------------------------------------


def test_a_file_over_the_time_limit_is_an_input_error_and_the_run_goes_on(tmp_path, rules, monkeypatch):
    """The limit stops a file wherever it is (here a stand-in that never ends), says so, and the
    next file is audited as usual."""
    import audit.batch as batch

    real = batch.audit_path

    def endless(path, rules, options):
        if path.endswith("slow.txt"):
            while True:
                time.sleep(0.01)
        return real(path, rules, options)

    monkeypatch.setattr(batch, "audit_path", endless)
    (tmp_path / "slow.txt").write_text("x", encoding="utf-8")
    options = Options(selected=set(rules.rules), timeout=0.2)
    slow, fine = run_batch([str(tmp_path / "slow.txt"), str(EXAMPLE)], rules, options)
    assert slow.error.startswith("time limit of 0.2 s reached while auditing it")
    assert not fine.error and fine.findings


def test_the_time_limit_says_which_stage_it_stopped(tmp_path, rules):
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() * 400)
    [report] = run_batch([str(big)], rules, Options(selected=set(rules.rules), timeout=0.01))
    assert report.error.startswith("time limit of 0.01 s reached while ")
    assert "auditing it" not in report.error  # a stage of the pipeline is named
    assert "(raise it with --timeout" in report.error


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_timeout_on_the_command_line_with_and_without_workers(tmp_path, jobs):
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() * 3000)  # 12.5 MB (under the 16 MB limit): many seconds; the example a fraction of one
    done = _cli("check", "--no-config", "--format", "json", "--jobs", jobs, "--timeout", "2", str(big), str(EXAMPLE), str(EXAMPLE), text=True)
    assert done.returncode == 2
    files = json.loads(done.stdout)["files"]
    assert "time limit of 2 s reached" in files[0]["error"]
    assert [bool(f.get("error")) for f in files[1:]] == [False, False]
    assert f"{big}: time limit" in done.stderr
