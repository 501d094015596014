"""Whatever a user throws at it: other encodings give the same findings, unreadable inputs are
reported clearly (exit 2 for that file, the others still checked), nothing is quadratic and no
regex blows up on a 1 MB line."""

from __future__ import annotations

import codecs
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from audit.pipeline import Options, audit_path
from audit.source import InputError, from_bytes, load
from tests.hardening import SEEDS, all_rules, audit_bytes, crashes, deadline, signature

ROOT = Path(__file__).resolve().parents[1]
SMALLEST = min(SEEDS, key=lambda p: p.stat().st_size) if SEEDS else None
needs_corpus = pytest.mark.skipif(not SEEDS, reason="corpus folder ../shared/corpus is absent")


# -- encodings -------------------------------------------------------------------------------------


def _encodings(text: str) -> dict[str, bytes]:
    """The same document as publishers save it: BOMs, UTF-16 both ways with and without BOM, GB, Big5, CRLF."""
    out = {
        "utf-8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf-16-le-bom": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf-16-be-bom": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf-16-le": text.encode("utf-16-le"),
        "utf-16-be": text.encode("utf-16-be"),
        "gb18030": text.encode("gb18030"),
        "crlf": text.replace("\n", "\r\n").encode("utf-8"),
    }
    for name in ("gbk", "big5"):
        try:
            out[name] = text.encode(name)
        except UnicodeEncodeError:
            pass  # the text has characters this encoding lacks (Big5 has no simplified characters)
    return out


def _original_lines(data: bytes) -> list[str]:
    return [line.original for line in from_bytes(data).lines]


@needs_corpus
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_encoding_decodes_to_the_same_lines(seed):
    """Same lines ⇒ same findings (the pipeline after decoding only sees lines)."""
    data = seed.read_bytes()
    expected = _original_lines(data)
    for name, encoded in _encodings(data.decode("utf-8")).items():
        source = from_bytes(encoded)
        assert [line.original for line in source.lines] == expected, name
        assert source.replaced == 0, name


@needs_corpus
def test_every_encoding_gives_the_same_findings():
    data = SMALLEST.read_bytes()
    original = audit_bytes(data)
    assert not isinstance(original, str) and original.findings is not None
    expected = signature(original)
    for name, encoded in _encodings(data.decode("utf-8")).items():
        report = audit_bytes(encoded)
        assert not isinstance(report, str), f"{name}: {report}"
        assert signature(report) == expected, name


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_encoding_gives_the_same_findings_on_every_seed(seed):
    data = seed.read_bytes()
    expected = signature(audit_bytes(data))
    for name, encoded in _encodings(data.decode("utf-8")).items():
        assert signature(audit_bytes(encoded)) == expected, name


def test_big5_traditional_text_when_detected():
    """Big5 is only used for traditional Chinese; a short sample may be detected as something else."""
    text = "項目名稱\t辦公設備購置\n年度預算\t120.50萬元\n績效指標\t滿意度95%以上\n" * 20
    source = from_bytes(text.encode("big5"))
    if source.encoding.lower().replace("-", "").replace("_", "") not in ("big5", "cp950", "big5hkscs"):
        pytest.skip(f"Big5 sample detected as {source.encoding}")
    assert "\n".join(line.original for line in source.lines) == text.rstrip("\n")


def test_gb18030_short_document():
    """charset-normalizer gives up on short Chinese samples; GB18030 is still read."""
    text = "项目名称\t培训\n资金总额\t12.5万元\n"
    source = from_bytes(text.encode("gb18030"))
    assert [line.original for line in source.lines] == text.splitlines()


@pytest.mark.parametrize("guess", ["cp949", "EUC-KR", "shift_jis", "cp932"])
def test_korean_or_japanese_guess_on_gb_text_reads_gb18030(monkeypatch, guess):
    """charset-normalizer 3.4 calls a two-line GBK sample cp949: a Chinese disclosure is never
    Korean or Japanese, so bytes that read as GB18030 are read so, whatever the detector says."""
    import charset_normalizer

    class Guess:
        encoding = guess

    class Matches:
        def best(self):
            return Guess()

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: Matches())
    text = "项目名称\t培训\n资金总额\t12.5万元\n"
    source = from_bytes(text.encode("gb18030"))
    assert source.encoding == "gb18030"
    assert [line.original for line in source.lines] == text.splitlines()


def test_nfkc_expansion_keeps_columns():
    """A character whose NFKC form is longer (㎡ → m2) still maps back to its own column."""
    source = from_bytes("面积㎡ 100％\n".encode("utf-8"))
    line = source.lines[0]
    assert line.text == "面积m2 100%"
    assert [line.column(i) for i in range(len(line.text))] == [0, 1, 2, 2, 3, 4, 5, 6, 7]


# -- hostile files --------------------------------------------------------------------------------


def _hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, words the error must contain)."""
    files: dict[str, tuple[Path, str]] = {}
    binary = folder / "scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    files["binary"] = (binary, "binary")
    zipped = folder / "report.txt"
    zipped.write_bytes(b"PK\x03\x04" + os.urandom(4096))
    files["docx"] = (zipped, "binary")
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    files["empty"] = (empty, "empty")
    blank = folder / "blank.txt"
    blank.write_bytes(b" \n\t\r\n  \n")
    files["blank"] = (blank, "empty")
    nuls = folder / "nuls.txt"
    nuls.write_bytes(b"\x00" * 10000)
    files["nuls"] = (nuls, "binary")
    directory = folder / "folder.txt"
    directory.mkdir()
    files["directory"] = (directory, "folder")
    files["missing"] = (folder / "missing.txt", "no such file")
    fifo = folder / "pipe.txt"
    os.mkfifo(fifo)
    files["fifo"] = (fifo, "not a regular file")
    big = folder / "huge.txt"
    with big.open("wb") as handle:
        chunk = ("项目名称\t培训\n" * 4096).encode("utf-8")
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    files["50MB"] = (big, "too large")
    return files


def test_hostile_files_are_input_errors(tmp_path):
    rules = all_rules()
    options = Options(selected=set(rules.rules))
    for name, (path, words) in _hostile_files(tmp_path).items():
        if name == "directory":
            continue  # a folder on the command line is walked by the CLI (see the end-to-end test)
        with deadline(30):
            report = audit_path(path, rules, options)
        assert report.error and words in report.error, (name, report.error)
        assert not report.findings


def test_directory_and_odd_paths_are_input_errors(tmp_path):
    for path, words in [
        (tmp_path, "directory"),
        (tmp_path / "missing.txt" / "x.txt", "no such file"),
        ("bad\x00name.txt", "invalid path"),
        ("/dev/null", "not a regular file"),
    ]:
        with pytest.raises(InputError, match=words):
            load(path)


def test_file_growing_past_the_limit_is_cut_off(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(InputError, match="too large"):
        load(path, max_bytes=1000)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "audit", "check", "--no-config", "--format", "json", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@needs_corpus
def test_cli_reports_each_hostile_file_and_checks_the_others(tmp_path):
    files = _hostile_files(tmp_path)
    good = tmp_path / "good.txt"
    shutil.copy(SMALLEST, good)
    paths = [str(path) for path, _ in files.values()] + [str(good)]
    result = _cli(*paths, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    by_path = {f["path"]: f for f in data["files"]}
    for name, (path, words) in files.items():
        error = by_path[str(path)]["error"]
        assert error, name
        assert words in error or (name == "directory" and "no text files" in error), (name, error)
        assert f"audit: {path}: " in result.stderr, name
    assert not by_path[str(good)].get("error")
    assert by_path[str(good)]["facts"].get("projects", 0) > 0


def _as_nobody(function):
    """Run function() in a forked child as uid/gid 65534 and return its (picklable) result: as root
    every file is readable, and the venv's interpreter may not be executable by `nobody`, so the
    child keeps the already-imported interpreter instead of exec'ing a new one."""
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            payload = pickle.dumps(("ok", function()))
        except BaseException as exc:  # noqa: BLE001
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write_end, "wb") as handle:
            handle.write(payload)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    status, value = pickle.loads(data)
    assert status == "ok", value
    return value


def _check_unprivileged(args: list[str]) -> tuple[int, str, str, dict]:
    """`audit check --format json ARGS` through click's runner, as `nobody` when we are root (else
    permissions do not bind): exit code, stdout, stderr and the JSON report's files by path."""
    from click.testing import CliRunner

    from audit.cli import cli

    CliRunner().invoke(cli, args)  # import everything the run needs before dropping privileges

    def run():
        result = CliRunner().invoke(cli, args)
        return result.exit_code, result.stdout, result.stderr, repr(result.exception)

    code, stdout, stderr, exception = _as_nobody(run) if os.geteuid() == 0 else run()
    assert code == 2, (stderr, exception)
    return code, stdout, stderr, {f["path"]: f for f in json.loads(stdout)["files"]}


@needs_corpus
def test_permission_denied_is_an_input_error():
    """A mode-000 file: as a normal user chmod is enough; as root (this machine) the check runs in a
    forked child that dropped to `nobody`, through the CLI (click's runner) and the pipeline."""
    folder = Path(tempfile.mkdtemp(prefix="audit-perm-"))
    try:
        folder.chmod(0o755)
        locked = folder / "locked.txt"
        locked.write_text("项目名称\t培训\n", encoding="utf-8")
        locked.chmod(0o000)
        good = folder / "good.txt"
        shutil.copy(SMALLEST, good)
        good.chmod(0o644)
        args = ["check", "--no-config", "--format", "json", str(locked), str(good)]
        code, stdout, stderr, by_path = _check_unprivileged(args)
        assert "permission denied" in by_path[str(locked)]["error"]
        assert not by_path[str(good)].get("error")
        assert f"{locked}: permission denied" in stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@needs_corpus
def test_folder_problems_are_input_errors_on_their_paths():
    """A file under a folder without search permission, and a subfolder that cannot be listed:
    each is an input error on its own path (exit 2), the other files are still checked and the
    report is still written (on main: `internal error: PermissionError` and nothing audited, and the
    subfolder skipped without a word)."""
    folder = Path(tempfile.mkdtemp(prefix="audit-perm-"))
    try:
        folder.chmod(0o755)
        sealed = folder / "sealed"
        sealed.mkdir()
        hidden = sealed / "inside.txt"
        shutil.copy(SMALLEST, hidden)
        tree = folder / "tree"
        (tree / "locked").mkdir(parents=True)
        shutil.copy(SMALLEST, tree / "locked" / "a.txt")
        shutil.copy(SMALLEST, tree / "b.txt")
        for path in (tree, tree / "b.txt", folder / "tree" / "locked" / "a.txt"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        sealed.chmod(0o000)
        (tree / "locked").chmod(0o000)
        good = folder / "good.txt"
        shutil.copy(SMALLEST, good)
        good.chmod(0o644)
        args = ["check", "--no-config", "--format", "json", str(hidden), str(tree), str(good)]
        code, stdout, stderr, by_path = _check_unprivileged(args)
        assert "permission denied" in by_path[str(hidden)]["error"]
        assert "cannot list this folder (permission denied)" in by_path[str(tree / "locked")]["error"]
        assert not by_path[str(good)].get("error") and not by_path[str(tree / "b.txt")].get("error")
        assert f"{hidden}: permission denied" in stderr and f"{tree / 'locked'}: cannot list" in stderr
    finally:
        for path in (folder / "sealed", folder / "tree" / "locked"):
            path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


# -- no quadratic behaviour, no catastrophic regexes ------------------------------------------------


def _cpu(function, repeat: int = 3) -> float:
    """Best CPU time of `repeat` runs, with the garbage collector paused: in a full test session the
    heap left by earlier tests makes each collection cost more on the bigger input, which measures
    the session, not the algorithm."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            function()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _linear(seed: Path, copies: int = 20) -> tuple[float, float]:
    text = seed.read_text(encoding="utf-8")
    one = text.encode("utf-8")
    twenty = ("\n\n".join([text] * copies)).encode("utf-8")
    audit_bytes(one)  # warm caches (grammar, lexicons)
    t1 = _cpu(lambda: audit_bytes(one))
    with deadline(600):
        t20 = _cpu(lambda: audit_bytes(twenty))
    return t1, t20


@needs_corpus
def test_ten_copies_take_at_most_25_times_one():
    """A guard against gross quadratic blow-ups in the default run: ten copies measure 8-16x one copy
    today, a quadratic pass over the copies would be ~100x (T001 once took 230x on 20 copies).
    The issue's own bar, 20 copies within 25x, is the slow test below: 17-21x on every seed today."""
    t1, t10 = _linear(SMALLEST, copies=10)
    assert t10 <= 25 * t1, f"one copy {t1:.2f}s, ten copies {t10:.2f}s ({t10 / t1:.1f}×)"


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_twenty_copies_take_at_most_25_times_one_every_seed(seed):
    t1, t20 = _linear(seed)
    assert t20 <= 25 * t1, f"one copy {t1:.2f}s, twenty copies {t20:.2f}s ({t20 / t1:.1f}×)"


MB = 1 << 20
LONG_LINES = {
    "digits": "1" * MB,
    "decimal-points": "1." * (MB // 2),
    "digit-spaces": "1 " * (MB // 2),
    "ocr-gaps": "1183. 74 " * (MB // 9),
    "toc-field": " TC " * (MB // 4),
    "bookmark": "[bookmark:" * (MB // 10),
    "emphasis": "**<u>" * (MB // 5),
    "project-name": "项目名称" * (MB // 4),
    "numbering": "一、" * (MB // 2),
    "comparators": "≥" * MB,
    "percent": "95%" * (MB // 3),
    "brackets": "（" * MB,
    "years": "2024年" * (MB // 5),
    "amounts": "1.5万元" * (MB // 5),
    "thousands": "1," * (MB // 2),
    "negatives": "-1" * (MB // 2),
    "label-colon": "项目：1" * (MB // 4),
    "ranges": "90%-" * (MB // 4),
    "prose": "的" * MB,
    "inner-spaces": "a" + " " * MB + "b",
    "tab-grid": "1\t" * (MB // 8),
}


@pytest.mark.parametrize("name", list(LONG_LINES))
def test_one_megabyte_line_is_linear(name):
    data = ("标题\n" + LONG_LINES[name] + "\n结尾\n").encode("utf-8")
    with deadline(60):  # a catastrophic regex takes hours on 1 MB; linear work takes about a second
        report = audit_bytes(data)
    assert not crashes(report)


# -- control characters -----------------------------------------------------------------------------


def test_control_characters_never_reach_reports_raw(tmp_path):
    """ESC in a document would drive the user's terminal (`\\x1b[2J` clears it): shown as ␛, one
    column each, so spans still point at the right place; C1 controls (CSI U+009B) become U+FFFD."""
    from tests.reporting import document, invoke, project, write

    bad = "\x1b[2J\x08\x9b"
    text = document(
        project("培训" + bad, "30%" + bad, "60%", "50%", "100%"),
        *[project("会议", "30%", "60%", "70%", "100%", number=n) for n in range(2, 6)],
    )
    path = write(tmp_path, "esc.txt", text)
    source = load(path)
    assert "\x1b" not in "".join(line.original + line.text for line in source.lines)
    assert any("培训␛[2J␈\ufffd" in line.original for line in source.lines)
    assert [len(line.original) for line in source.lines] == [len(s) for s in text.splitlines()]
    for fmt in ("text", "html", "markdown", "json"):
        result = invoke("check", "--no-config", "--format", fmt, path)
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout, fmt


def test_word_manual_line_breaks_are_text():
    """Word exports a manual line break as VT (\\x0b): many of them do not make a file 'binary'."""
    text = "项目名称\x0b培训\n" * 50 + "合计\t12.5\n"
    source = from_bytes(text.encode("utf-8"))
    assert len(source.lines) == 51


# -- linear in the rows of one table, under the time limit --------------------------------------------

TABLE_ROWS = 16_000


def _long_table(rows: int) -> bytes:
    """Seed 004 with one row of its budget table repeated `rows` times inside the table (1.3 MB at
    16,000 rows): every column sum of that table then fails over thousands of parts."""
    lines = find_seed_bytes("004").split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("17\t2080506\t".encode()))
    return b"\n".join(lines[: at + 1] + [lines[at]] * rows + lines[at + 1 :])


def find_seed_bytes(prefix: str) -> bytes:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_bytes()


@pytest.mark.slow
@needs_corpus
def test_a_table_of_sixteen_thousand_rows_is_audited_under_the_time_limit():
    """Was 176 s at 16,000 rows (arith.candidates rebuilt every part per candidate)."""
    from audit.batch import TimeLimit, time_limit

    with time_limit(60):
        try:
            report = audit_bytes(_long_table(TABLE_ROWS))
        except TimeLimit:
            pytest.fail("the 16,000-row table passed the 60 s limit")
    assert not isinstance(report, str) and report.findings


@pytest.mark.slow
def test_a_failed_sum_of_sixteen_thousand_parts_is_diagnosed_under_the_time_limit():
    from decimal import Decimal

    from audit.arith import Figure, candidates, check_sum
    from audit.batch import TimeLimit, time_limit

    parts = [Figure(Decimal("123.45")) for _ in range(TABLE_ROWS)]
    result = check_sum(Figure(Decimal("123.45") * TABLE_ROWS + Decimal("100.00")), parts)
    with time_limit(60):
        try:
            found = candidates(result)
        except TimeLimit:
            pytest.fail("diagnosing one failed sum of 16,000 parts passed the 60 s limit")
    assert len({d.key for d in found}) <= 1  # the parts are all alike: at most one distinct diagnosis
