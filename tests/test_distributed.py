"""Dask: the per-document audit on a LocalCluster of two worker processes equals --jobs 1, and
--tables-out writes tables that read back as the same findings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from audit.batch import run_batch
from audit.distributed import document_row, expand_urls, finding_row, stream, write_tables
from audit.pipeline import Options
from audit.rules import load_rules
from tests.reporting import EXAMPLE

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install '.[dask]'")

ROOT = Path(__file__).resolve().parents[1]


def _rules_and_options():
    rules = load_rules()
    return rules, Options(selected=set(rules.rules))


def _digest(reports) -> list[tuple[str, list[tuple[str, str, int, str]]]]:
    return [(r.path, [(f.rule, f.fingerprint, f.span.line, f.message.zh) for f in r.findings]) for r in reports]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _documents(corpus_dir: Path | None) -> list[str]:
    paths = sorted(str(p) for p in corpus_dir.glob("*.txt")) if corpus_dir else []
    return paths + [str(EXAMPLE)]


def test_local_cluster_equals_one_process(client, corpus_dir):
    rules, options = _rules_and_options()
    paths = _documents(corpus_dir) * 2 + [str(ROOT / "no-such-file.txt")]
    here = list(run_batch(paths, rules, options, 1))
    there = list(stream(paths, rules, options, "unused", client=client, chunk=2, window=3))
    assert _digest(there) == _digest(here)
    assert [r.error for r in there] == [r.error for r in here]
    assert sum(len(r.findings) for r in there) > 100
    workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2


def test_tables_out_holds_every_finding(client, tmp_path, corpus_dir):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.dataset as ds

    rules, options = _rules_and_options()
    paths = _documents(corpus_dir)
    totals = write_tables(paths, rules, options, "unused", str(tmp_path / "out"), client=client, chunk=2)
    findings = ds.dataset(tmp_path / "out" / "findings").to_table()
    documents = ds.dataset(tmp_path / "out" / "documents").to_table()
    here = list(run_batch(paths, rules, options, 1))
    assert totals["documents"] == documents.num_rows == len(paths)
    assert totals["findings"] == findings.num_rows == sum(len(r.findings) for r in here)
    assert sorted(findings.column("fingerprint").to_pylist()) == sorted(f.fingerprint for r in here for f in r.findings)
    rows = {row["path"]: row for row in documents.to_pylist()}
    for report in here:
        assert rows[report.path] == document_row(report)
    assert isinstance(pa, object)


def test_tables_out_without_a_cluster_writes_jsonl(tmp_path):
    """`check --tables-out` on one machine: the same partitions, written by this process."""
    out = tmp_path / "tables"
    done = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", "--tables-out", str(out),
                           "--tables-format", "jsonl", str(EXAMPLE)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1, done.stderr  # the example has errors
    rows = [json.loads(line) for part in sorted((out / "findings").glob("*.jsonl")) for line in part.read_text().splitlines()]
    rules, options = _rules_and_options()
    (report,) = list(run_batch([str(EXAMPLE)], rules, options, 1))
    assert rows == [finding_row(str(EXAMPLE), f, "zh") for f in report.findings]
    assert "documents" in done.stderr or "findings" in done.stderr


def test_file_urls_and_globs_are_expanded(tmp_path):
    for name in ("b.txt", "a.txt", "c.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    urls = expand_urls([f"file://{tmp_path}/*.txt", "plain/path.txt"])
    assert urls == [f"file://{tmp_path}/a.txt", f"file://{tmp_path}/b.txt", "plain/path.txt"]


def test_a_file_url_is_audited_like_its_path(tmp_path):
    rules, options = _rules_and_options()
    url = f"file://{EXAMPLE}"
    (by_url,) = list(stream([url], rules, options, "local:1"))
    (by_path,) = list(run_batch([str(EXAMPLE)], rules, options, 1))
    assert by_url.path == url
    assert [f.message.zh for f in by_url.findings] == [f.message.zh for f in by_path.findings]


def test_spark_recipe_equals_the_api(corpus_dir, tmp_path):
    """examples/spark_recipe.py (the recipe docs/scale.md shows) on a local Spark: the same
    findings as the API. Runs where pyspark, pandas and Java are installed (not in CI)."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (the Spark recipe is tested where it is)")
    pytest.importorskip("pandas", reason="pandas is not installed (mapInPandas needs it)")
    import os
    import shutil

    if shutil.which("java") is None:
        pytest.skip("no Java runtime: Spark cannot start")
    from pyspark.sql import SparkSession

    import audit

    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "examples"), os.environ.get("PYTHONPATH", "")])
    sys.path.insert(0, str(ROOT / "examples"))
    import spark_recipe

    spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        rows = spark_recipe.findings(spark, f"{corpus_dir}/*.txt").collect()
    finally:
        spark.stop()
    auditor = audit.Auditor()
    expected = sorted((p.name, f.rule, f.line, f.fingerprint) for p in corpus_dir.glob("*.txt") for f in auditor.check_path(p).findings)
    got = sorted((Path(r.path.removeprefix("file:")).name, r.rule, r.line, r.fingerprint) for r in rows)
    assert got == expected


def test_timeout_applies_in_a_dask_worker_thread(client, tmp_path):
    """Tasks run in worker threads, where SIGALRM cannot reach: the watchdog stops the file there
    as --jobs does, names the stage, and the next file is audited as usual."""
    rules = load_rules()
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() * 400)
    options = Options(selected=set(rules.rules), timeout=0.01)
    slow, fine = stream([str(big), str(EXAMPLE)], rules, options, "unused", client=client, chunk=2)
    assert slow.error and slow.error.startswith("time limit of 0.01 s reached while ") and "auditing it" not in slow.error
    assert not fine.error and fine.findings


def test_timeout_in_a_plain_thread_and_none_left_behind(tmp_path):
    """time_limit off the main thread: a file over its limit stops; one within it leaves no
    pending exception to go off later in that thread."""
    import threading
    import time

    from audit.batch import TimeLimit, time_limit

    outcome = {}

    def spin():
        try:
            with time_limit(0.05):
                while True:
                    sum(range(100))
        except TimeLimit as exc:
            outcome["spun"] = exc.seconds

    def quick():
        with time_limit(0.05):
            pass
        time.sleep(0.2)  # longer than the limit: a withdrawn exception would go off here
        outcome["quick"] = "done"

    for target in (spin, quick):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join(10)
    assert outcome == {"spun": 0.05, "quick": "done"}
