"""The main process killed during `--jobs 2` (SIGTERM from a CI cancel or `timeout`, SIGKILL from
the OOM killer): within 2 s no worker is left, whoever reads its output gets end-of-file, and no
unfinished report file is left beside -o's target. On main at 679f85f the worker lived on
(holding the caller's pipe) and `-o`'s `.partial` file stayed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hardening import SEEDS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; parent-death signal is Linux's"),
    pytest.mark.skipif(not SEEDS, reason="corpus folder ../shared/corpus is absent"),
]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


def _reaches_eof(stream, seconds: float = 3) -> bool:
    """Whether reading `stream` ends (every writer closed it) within `seconds`."""
    import select

    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([stream], [], [], left)
        if ready and not os.read(stream.fileno(), 65536):
            return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_killing_the_main_process_leaves_no_worker_and_no_partial_file(tmp_path, signum):
    folder = tmp_path / "docs"
    folder.mkdir()
    seed = max(SEEDS, key=lambda p: p.stat().st_size)
    for n in range(400):
        shutil.copy(seed, folder / f"d{n:03d}.txt")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "audit", "check", "--no-config", "--jobs", "2", "--format", "json", "-o", str(out / "report.json"), str(folder)]
    workers: list[int] = []
    main = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and main.poll() is None:
            time.sleep(0.05)
            workers = _children(main.pid)
        assert workers, "no worker started"
        time.sleep(1.0)  # the run is under way: files audited, the report being written
        assert main.poll() is None, "the run ended before it could be killed"
        main.send_signal(signum)
        main.wait(timeout=10)
        time.sleep(2)
        assert not [pid for pid in workers if _alive(pid)], "a worker outlived the main process"
        assert _reaches_eof(main.stdout) and _reaches_eof(main.stderr), "a process still holds the caller's pipe"
        assert sorted(p.name for p in out.iterdir()) == []
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if main.poll() is None:
            main.kill()
