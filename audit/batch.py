"""Many files at once: walk folders with include/exclude globs, audit in processes, keep input order.

Results with --jobs N are the same, in the same order, as with --jobs 1. One file that cannot be
read — or that crashes the pipeline — becomes a FileReport with `error`; the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

from audit.model import FileReport
from audit.pipeline import Options, audit_path
from audit.rules import RuleSet

DEFAULT_INCLUDE = ("*.txt", "*.text")


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    """A glob matches the relative POSIX path, or any trailing part of it (so `drafts/*` works at any depth)."""
    parts = relative.split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(tail, pattern) for pattern in patterns for tail in tails)


def collect_paths(paths: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> list[str]:
    """Files as given (always kept); folders walked in a stable order for files matching the globs.

    A folder with no matching file is returned as itself, so the run reports it as an input error.
    """
    include = tuple(include) or DEFAULT_INCLUDE
    exclude = tuple(exclude)
    out: list[str] = []
    for raw in paths:
        root = Path(raw)
        if not root.is_dir():
            out.append(raw)
            continue
        found: list[str] = []
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not _matches((here / d).relative_to(root).as_posix(), exclude)
            )
            for name in sorted(files):
                if name.startswith("."):
                    continue
                relative = (here / name).relative_to(root).as_posix()
                if _matches(relative, include) and not _matches(relative, exclude):
                    found.append(str(here / name))
        out.extend(found or [raw])
    return out


# -- workers -------------------------------------------------------------------------------------
_state: dict = {}


def _init(
    rules: RuleSet, options: Options, setup: Callable[[], None] | None, keep: tuple[bool, bool], render: tuple[tuple[str, ...], str]
) -> None:
    from audit.report import file_renderer

    if setup is not None:
        setup()
    _state["rules"], _state["options"], _state["keep"] = rules, options, keep
    formats, lang = render
    _state["render"] = [(fmt, file_renderer(fmt, lang)) for fmt in formats]


QUOTED_CONTEXT = 2  # lines kept either side of a finding for the reports that quote the source


def trim_lines(report: FileReport) -> FileReport:
    """Keep only the source lines reports quote (around findings), so a run over thousands of
    files does not hold every file's text in memory until the end."""
    if not report.lines:
        return report
    keep: set[int] = set()
    for finding in report.findings:
        spans = [finding.span, *finding.related]
        for span in spans:
            last = min(span.end_line or span.line, span.line + 50)
            keep.update(range(span.line - QUOTED_CONTEXT, last + QUOTED_CONTEXT + 1))
    report.lines = [line if number in keep else "" for number, line in enumerate(report.lines, start=1)]
    return report


STDIN = "-"


def _audit_stdin(rules: RuleSet, options: Options) -> FileReport:
    """`audit check -`: the disclosure piped in (e.g. from pdftotext)."""
    from audit.pipeline import audit_source
    from audit.source import InputError, from_bytes

    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return FileReport(path="<stdin>", error=f"input too large (> {options.max_bytes // 1048576} MB limit)")
    try:
        source = from_bytes(data, "<stdin>")
    except InputError as exc:
        return FileReport(path="<stdin>", error=str(exc))
    return audit_source(source, rules, options)


def audit_one(path: str, rules: RuleSet, options: Options, keep_lines: bool = True, keep_projects: bool = True) -> FileReport:
    """One file, never raising: an unexpected crash is reported on that file only.

    What no report of the run will use is dropped here (less for a worker to send back, less to
    hold): `keep_lines=False` drops the source lines (only formats that quote the source, and
    waivers with `match`, read them), `keep_projects=False` the schedules only the HTML report draws."""
    if path != STDIN and Path(path).is_dir():
        return FileReport(path=path, error="no text files found in this folder (see --include)")
    try:
        report = _audit_stdin(rules, options) if path == STDIN else audit_path(path, rules, options)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        return FileReport(path=path, error=f"internal error while auditing: {type(exc).__name__}: {exc}")
    if not keep_projects:
        report.projects = []
    if not keep_lines:
        report.lines = []
    return trim_lines(report)


def _work(path: str) -> FileReport:
    report = audit_one(path, _state["rules"], _state["options"], *_state["keep"])
    for fmt, render in _state["render"]:
        if render is not None:
            report.rendered[fmt] = render(report)
    return report


def _chunksize(count: int, jobs: int) -> int:
    """Files per task sent to a worker: enough that a big batch is not thousands of round trips,
    few enough (about 8 tasks per worker at least) that the workers finish together."""
    return max(1, min(32, count // (jobs * 8)))


def run_batch(
    paths: list[str],
    rules: RuleSet,
    options: Options,
    jobs: int = 1,
    progress: bool = False,
    setup: Callable[[], None] | None = None,
    keep_lines: bool = True,
    keep_projects: bool = True,
    render: tuple[str, ...] = (),
    lang: str = "zh",
) -> Iterator[FileReport]:
    """Audit `paths`, yielding each FileReport in input order as soon as it is ready, so the caller
    can report it and let it go; `setup` (picklable) runs once in each worker, e.g. to load lexicon
    extensions; `keep_lines`, `keep_projects`: see audit_one. Workers also render each file's text
    in the `render` formats (report.rendered), which the main process then only writes out: only
    for reports the caller writes unchanged (no waivers or baseline filter in between)."""
    jobs = 1 if STDIN in paths else max(1, min(jobs, len(paths) or 1))  # stdin is read in this process
    bar = _progress(len(paths)) if progress else None
    try:
        if jobs == 1:
            for path in paths:
                yield audit_one(path, rules, options, keep_lines, keep_projects)
                if bar:
                    bar.advance(path)
        else:
            from concurrent.futures import ProcessPoolExecutor  # only when there are workers: 15 ms to import

            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(rules, options, setup, (keep_lines, keep_projects), (render, lang)))
            try:
                for path, report in zip(paths, pool.map(_work, paths, chunksize=_chunksize(len(paths), jobs))):
                    yield report
                    if bar:
                        bar.advance(path)
            finally:  # a caller that stops early (an error) does not wait for the files still queued
                pool.shutdown(cancel_futures=True)
    finally:
        if bar:
            bar.stop()


class _Bar:
    """A rich progress bar on stderr; only built when stderr is a terminal."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]audit"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}", style="dim"),
            console=Console(file=sys.stderr),
            transient=True,
            redirect_stdout=False,  # the report streams to stdout while the bar runs (stdout is then not a terminal)
        )
        self.task = self.progress.add_task("", total=total)
        self.progress.start()

    def advance(self, path: str) -> None:
        self.progress.update(self.task, advance=1, description=Path(path).name)

    def stop(self) -> None:
        self.progress.stop()


PROGRESS_FROM = 20  # files; a shorter run is over before a bar would tell anyone anything


def _progress(total: int) -> _Bar | None:
    return _Bar(total) if total >= PROGRESS_FROM and sys.stderr.isatty() else None
