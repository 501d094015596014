"""A corpus beyond one machine: the per-document audit as tasks on a dask.distributed cluster.

The task is the same `batch.audit_one` that `--jobs` runs, so a cluster's findings equal a single
process's. Two ways back:

- `stream(...)` yields each FileReport to this process in input order (every report format works);
  at most `window` chunks are out at once, so memory here stays flat however large the corpus.
- `write_tables(...)` has the workers write the results as partitioned Parquet (or JSONL) under a
  folder — `findings/` one row per finding, `documents/` one row per document — that pandas,
  DuckDB and Spark read directly; only per-chunk counts come back.

Paths may be local (the workers must see the same files: a shared filesystem) or fsspec URLs
(`s3://bucket/2025/*.pdf`, `file:///data/…`), which the workers read themselves.
Dask is an optional extra: `pip install "budget-disclosure-audit[dask]"`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import deque
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import Any, Callable, Iterable, Iterator

from audit.model import FileReport, Finding
from audit.pipeline import Options
from audit.rules import RuleSet

_GLOB_CHARS = set("*?[")
FORMATS = ("parquet", "jsonl")


class ClusterError(Exception):
    """The cluster could not be reached or the extra is not installed: a usage error (exit 2)."""


def is_url(path: str) -> bool:
    return "://" in path


def expand_urls(paths: Iterable[str]) -> list[str]:
    """fsspec URLs as the files they name (a glob becomes its matches, sorted); other paths as given."""
    out: list[str] = []
    for path in paths:
        if not is_url(path) or not (_GLOB_CHARS & set(path)):
            out.append(path)
            continue
        fsspec = _import("fsspec")
        fs, _, found = fsspec.get_fs_token_paths(path)
        protocol = path.split("://", 1)[0]
        out.extend(sorted(f"{protocol}://{p}" if not p.startswith(f"{protocol}://") else p for p in found))
    return out


def _import(name: str):
    try:
        return __import__(name)
    except ImportError as exc:
        raise ClusterError(f"{name} is not installed: pip install \"budget-disclosure-audit[dask]\"") from exc


def connect(scheduler: str):
    """A Client for `scheduler`: a scheduler address (tcp://host:8786), a scheduler file (JSON that
    `dask scheduler --scheduler-file` writes), or `local[:N]` — a LocalCluster of N worker processes
    on this machine (for trying it out)."""
    distributed = _import("distributed")
    try:
        if scheduler == "local" or scheduler.startswith("local:"):
            workers = int(scheduler.partition(":")[2] or os.cpu_count() or 1)
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=":0")
            return distributed.Client(cluster)
        if scheduler.endswith(".json") and os.path.isfile(scheduler):
            return distributed.Client(scheduler_file=scheduler, timeout="30s")
        return distributed.Client(scheduler, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from exc


# -- the task ------------------------------------------------------------------------------------


def _audit_any(path: str, rules: RuleSet, options: Options, keep_lines: bool, keep_projects: bool) -> FileReport:
    """batch.audit_one for a local path; a URL is fetched by the worker into a temporary file with
    the same suffix (readers tell formats by content and name) and reported under its URL."""
    from audit.batch import audit_one

    if not is_url(path):
        return audit_one(path, rules, options, keep_lines, keep_projects)
    try:
        fsspec = _import("fsspec")
        with fsspec.open(path, "rb") as handle:
            data = handle.read()
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable object is that file's error
        return FileReport(path=path, error=f"cannot read: {type(exc).__name__}: {exc}")
    suffix = PurePosixPath(path.split("://", 1)[1]).suffix
    with tempfile.TemporaryDirectory(prefix="audit-") as folder:
        local = os.path.join(folder, "document" + suffix)
        with open(local, "wb") as handle:
            handle.write(data)
        report = audit_one(local, rules, options, keep_lines, keep_projects)
    report.path = path
    return report


def _audit_chunk(paths: list[str], rules: RuleSet, options: Options, keep_lines: bool, keep_projects: bool) -> list[FileReport]:
    return [_audit_any(path, rules, options, keep_lines, keep_projects) for path in paths]


def _chunks(paths: list[str], size: int) -> list[list[str]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def _sliding(client, chunks: list[list[str]], submit: Callable[[list[str]], Any], window: int) -> Iterator[Any]:
    """Each chunk's result in input order, with at most `window` chunks submitted and not yet taken."""
    pending: deque = deque()
    queue = iter(chunks)
    for chunk in queue:
        pending.append(submit(chunk))
        if len(pending) >= window:
            break
    while pending:
        future = pending.popleft()
        result = future.result()
        future.release()
        nxt = next(queue, None)
        if nxt is not None:
            pending.append(submit(nxt))
        yield result


def stream(paths: list[str], rules: RuleSet, options: Options, scheduler: str, *,
           keep_lines: bool = True, keep_projects: bool = True, chunk: int = 8, window: int | None = None,
           client=None) -> Iterator[FileReport]:
    """Every document's FileReport, in input order, audited on the cluster."""
    with _session(scheduler, client, rules, options) as (client, rules_f, options_f, threads):

        def submit(part: list[str]):
            return client.submit(_audit_chunk, part, rules_f, options_f, keep_lines, keep_projects, pure=False)

        for reports in _sliding(client, _chunks(expand_urls(paths), chunk), submit, window or 4 * threads):
            yield from reports


@contextmanager
def _session(scheduler: str | None, client, rules: RuleSet, options: Options):
    """(client, the rules and options scattered to every worker once, the cluster's threads); a
    client made here is closed on the way out (with its LocalCluster)."""
    own = client is None
    client = client or connect(scheduler)
    try:
        rules_f, options_f = client.scatter([rules, options], broadcast=True)
        yield client, rules_f, options_f, sum(client.nthreads().values()) or 1
    finally:
        if own:
            _close(client)


def _close(client) -> None:
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None and type(cluster).__name__ == "LocalCluster":
        cluster.close()


# -- partitioned tables ----------------------------------------------------------------------------

FINDING_COLUMNS = ("path", "rule", "severity", "message", "line", "column", "end_line", "end_column", "page",
                   "subject", "stated", "computed", "suggestion", "fingerprint")
DOCUMENT_COLUMNS = ("path", "encoding", "error", "findings", "errors", "warnings", "infos", "tables",
                    "identities", "projects", "indicators", "checks_passed", "checks_failed")


def finding_row(path: str, finding: Finding, lang: str) -> dict[str, Any]:
    span, evidence = finding.span, finding.evidence
    return {
        "path": path,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message.get(lang),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "page": getattr(finding, "page", None),
        "subject": finding.subject,
        "stated": evidence.stated if evidence else None,
        "computed": evidence.computed if evidence else None,
        "suggestion": finding.suggestion.get(lang) if finding.suggestion else None,
        "fingerprint": finding.fingerprint,
    }


def document_row(report: FileReport) -> dict[str, Any]:
    by = {"error": 0, "warning": 0, "info": 0}
    for finding in report.findings:
        by[finding.severity.value] += 1
    return {
        "path": report.path,
        "encoding": report.encoding,
        "error": report.error,
        "findings": len(report.findings),
        "errors": by["error"],
        "warnings": by["warning"],
        "infos": by["info"],
        "tables": report.facts.get("tables", 0),
        "identities": report.facts.get("identities", 0),
        "projects": report.facts.get("projects", 0),
        "indicators": report.facts.get("indicators", 0),
        "checks_passed": sum(t.passed for t in report.checks.values()),
        "checks_failed": sum(t.failed for t in report.checks.values()),
    }


def _write_part(folder: str, table: str, index: int, rows: list[dict[str, Any]], columns: tuple[str, ...], fmt: str) -> None:
    """One partition file, written whole under a temporary name and renamed: a reader never sees half."""
    fsspec = _import("fsspec")
    fs, _, (root,) = fsspec.get_fs_token_paths(folder)
    directory = f"{root.rstrip('/')}/{table}"
    fs.makedirs(directory, exist_ok=True)
    final = f"{directory}/part-{index:06d}.{fmt}"
    temporary = f"{directory}/.part-{index:06d}.{fmt}.tmp"
    if fmt == "parquet":
        pa = _import("pyarrow")
        import pyarrow.parquet as pq

        data = pa.table({c: [row.get(c) for row in rows] for c in columns}, schema=_schema(pa, columns))
        with fs.open(temporary, "wb") as handle:
            pq.write_table(data, handle)
    else:
        with fs.open(temporary, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    fs.mv(temporary, final)


_INTEGER = {"line", "column", "end_line", "end_column", "page", "findings", "errors", "warnings", "infos", "tables",
            "identities", "projects", "indicators", "checks_passed", "checks_failed"}


def _schema(pa, columns: tuple[str, ...]):
    """A fixed schema per table, so every partition reads as one dataset (an all-null column would
    otherwise be typed null in one file and string in the next)."""
    return pa.schema([(c, pa.int64() if c in _INTEGER else pa.string()) for c in columns])


def _chunk_to_tables(index: int, paths: list[str], rules: RuleSet, options: Options, folder: str, fmt: str,
                     lang: str) -> dict[str, int]:
    return _reports_to_tables(index, _audit_chunk(paths, rules, options, False, False), folder, fmt, lang)


def _write_tables_here(paths: list[str], rules: RuleSet, options: Options, folder: str, fmt: str, lang: str,
                       chunk: int) -> dict[str, int]:
    """--tables-out without a cluster: this process audits and writes the same partitions."""
    totals: dict[str, int] = {"documents": 0, "findings": 0, "unreadable": 0}
    for index, part in enumerate(_chunks(paths, chunk)):
        reports = [_audit_any(path, rules, options, False, False) for path in part]
        for key, value in _reports_to_tables(index, reports, folder, fmt, lang).items():
            totals[key] = totals.get(key, 0) + value
    return totals


def _reports_to_tables(index: int, reports: list[FileReport], folder: str, fmt: str, lang: str) -> dict[str, int]:
    findings = [finding_row(r.path, f, lang) for r in reports for f in r.findings]
    _write_part(folder, "findings", index, findings, FINDING_COLUMNS, fmt)
    _write_part(folder, "documents", index, [document_row(r) for r in reports], DOCUMENT_COLUMNS, fmt)
    counts = {"documents": len(reports), "findings": len(findings), "unreadable": sum(1 for r in reports if r.error)}
    for row in findings:
        counts[row["severity"]] = counts.get(row["severity"], 0) + 1
    return counts


def write_tables(paths: list[str], rules: RuleSet, options: Options, scheduler: str | None, folder: str, *,
                 fmt: str = "parquet", lang: str = "zh", chunk: int = 64, window: int | None = None,
                 client=None, progress: Callable[[dict[str, int]], None] | None = None) -> dict[str, int]:
    """Audit on the cluster; the workers write `folder`/findings and `folder`/documents. Returns
    the totals (documents, findings, by severity, unreadable)."""
    if fmt not in FORMATS:
        raise ClusterError(f"unknown table format {fmt!r}: one of {', '.join(FORMATS)}")
    if scheduler is None and client is None:
        return _write_tables_here(expand_urls(paths), rules, options, folder, fmt, lang, chunk)
    with _session(scheduler, client, rules, options) as (client, rules_f, options_f, threads):
        chunks = _chunks(expand_urls(paths), chunk)
        numbered = iter(range(len(chunks)))

        def submit(part: list[str]):
            return client.submit(_chunk_to_tables, next(numbered), part, rules_f, options_f, folder, fmt, lang,
                                 pure=False)

        totals: dict[str, int] = {"documents": 0, "findings": 0, "unreadable": 0}
        for counts in _sliding(client, chunks, submit, window or 2 * threads):
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            if progress:
                progress(totals)
        return totals
