"""Many files at once: walk folders with include/exclude globs, audit in processes, keep input order.

Results with --jobs N are the same, in the same order, as with --jobs 1. One file that cannot be
read — or that crashes the pipeline — becomes a FileReport with `error`; the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from audit.model import FileReport
from audit.pipeline import Options, audit_path
from audit.rules import RuleSet

DEFAULT_INCLUDE = ("*.txt", "*.text", "*.pdf", "*.docx", "*.xlsx")  # what readers take in a folder


def _matches(relative: str, patterns: Iterable[str]) -> bool:
    """A glob matches the relative POSIX path, or any trailing part of it (so `drafts/*` works at any depth)."""
    parts = relative.split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    return any(fnmatch.fnmatchcase(tail, pattern) for pattern in patterns for tail in tails)


def collect_paths(paths: Iterable[str], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> list[str]:
    """Files as given (always kept); folders walked in a stable order for files matching the globs.

    A folder with no matching file is returned as itself, so the run reports it as an input error;
    so is a path that cannot be looked at (a folder without search permission on the way) and any
    subfolder that cannot be listed: every such problem is reported on its path (see audit_one),
    and the other files are still checked.
    """
    include = tuple(include) or DEFAULT_INCLUDE
    exclude = tuple(exclude)
    out: list[str] = []
    for raw in paths:
        root = Path(raw)
        if not _is_dir(root):
            out.append(raw)
            continue
        found: list[str] = []
        unlisted: list[str] = []
        for folder, dirs, files in os.walk(root, onerror=lambda exc: unlisted.append(exc.filename or str(root))):
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
        out.extend(found or ([] if unlisted else [raw]))
        out.extend(str(path) for path in unlisted)
    return out


def _is_dir(path: Path) -> bool:
    """Path.is_dir, except that a path we may not look at (PermissionError) is not a folder here:
    it is then read as a file, and that reports the problem on it."""
    try:
        return path.is_dir()
    except OSError:
        return False


def folder_error(path: str) -> str:
    """Why a folder given (or met while walking) gave no file to audit."""
    try:
        with os.scandir(path):
            pass
    except PermissionError:
        return "cannot list this folder (permission denied)"
    except OSError as exc:
        return f"cannot list this folder ({exc.strerror or exc})"
    return "no text files found in this folder (see --include)"


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
    """`audit check -`: the disclosure piped in — text (e.g. from pdftotext), or a PDF, Word or
    Excel file's bytes, read as that format (sniffed: %PDF, a zip holding word/ or xl/)."""
    from audit.pipeline import audit_source
    from audit.readers import read_bytes
    from audit.readers.render import to_source
    from audit.source import InputError, from_bytes

    data = sys.stdin.buffer.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return FileReport(path="<stdin>", error=f"input too large (> {options.max_bytes // 1048576} MB limit)")
    try:
        document = read_bytes(data, "<stdin>")
        source = to_source(document) if document is not None else from_bytes(data, "<stdin>")
    except InputError as exc:
        return FileReport(path="<stdin>", error=str(exc))
    return audit_source(source, rules, options)


def audit_one(path: str, rules: RuleSet, options: Options, keep_lines: bool = True, keep_projects: bool = True) -> FileReport:
    """One file, never raising: an unexpected crash is reported on that file only.

    What no report of the run will use is dropped here (less for a worker to send back, less to
    hold): `keep_lines=False` drops the source lines (only formats that quote the source, and
    waivers with `match`, read them), `keep_projects=False` the schedules only the HTML report draws."""
    try:
        if path != STDIN and _is_dir(Path(path)):
            return FileReport(path=path, error=folder_error(path))
        with time_limit(options.timeout):
            report = _audit_stdin(rules, options) if path == STDIN else audit_path(path, rules, options)
    except TimeLimit as exc:
        return FileReport(path=path, error=exc.describe(path))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the run
        return FileReport(path=path, error=f"internal error while auditing: {type(exc).__name__}: {exc}")
    if not keep_projects:
        report.projects = []
    if not keep_lines:
        report.lines = []
    return trim_lines(report)


class TimeLimit(Exception):
    """A file took longer than --timeout; raised inside the pipeline wherever it had got to."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds

    # the stage a file was in, by the outermost audit module on the stack when time ran out
    STAGES = (
        ("audit.readers", "reading the PDF or office file"),
        ("audit.source", "decoding the text"),
        ("audit.decoding", "decoding the text"),
        ("audit.layout", "laying out its lines and tables"),
        ("audit.facts", "reading its tables, projects and amounts"),
        ("audit.engine", "running the checks"),
        ("audit.checks", "running the checks"),
        ("audit.report", "rendering its report"),
    )

    def describe(self, path: str) -> str:
        stage = "auditing it"
        frames = traceback.extract_tb(self.__traceback__) if self.__traceback__ else []
        for frame in frames:
            module = _module_of(frame.filename)
            found = next((words for prefix, words in self.STAGES if module.startswith(prefix)), None)
            if found:
                stage = found
                break
        try:
            size = f"{os.stat(path).st_size / 1048576:.1f} MB" if path != STDIN else "stdin"
        except OSError:
            size = "?"
        return f"time limit of {self.seconds:g} s reached while {stage} ({size}); not checked (raise it with --timeout, 0 for none)"


def _module_of(filename: str) -> str:
    """audit.facts.tables for …/audit/facts/tables.py (a name for any file under the package)."""
    parts = Path(filename).with_suffix("").parts
    return ".".join(parts[len(parts) - 1 - parts[::-1].index("audit") :]) if "audit" in parts else ""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in this thread if the block runs more than `seconds`: SIGALRM in the main
    thread of a POSIX process (this one or a --jobs worker); in any other thread (a Dask worker's,
    an API caller's pool) a watchdog timer raises it in this thread asynchronously. Either way it
    lands between two Python bytecodes: a long call into pdfium ends first, as under SIGALRM."""
    import signal
    import threading

    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        from audit.watchdog import raise_in_this_thread

        with raise_in_this_thread(seconds, TimeLimit, seconds):
            yield
        return

    def _expired(signum, frame):
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def chunked(paths: list[str], jobs: int, most: int = 8) -> list[list[str]]:
    """`paths` in consecutive chunks, one task each: up to `most` files (a round trip per few
    files, not per file), smaller as the end nears and down to one file, so that the processes
    finish together instead of one waiting for another's last chunk."""
    chunks, start = [], 0
    while start < len(paths):
        size = max(1, min(most, (len(paths) - start) // (jobs * 4)))
        chunks.append(paths[start : start + size])
        start += size
    return chunks


def run_batch(
    paths: list[str],
    rules: RuleSet,
    options: Options,
    jobs: int = 1,
    progress: bool = False,
    keep_lines: bool = True,
    keep_projects: bool = True,
    render: tuple[str, ...] = (),
    lang: str = "zh",
) -> Iterator[FileReport]:
    """Audit `paths`, yielding each FileReport in input order as soon as it is ready, so the caller
    can report it and let it go. `jobs` processes audit: this one and `jobs - 1` workers (see
    _Workers; each gets the options pickled, the run's lexicon extensions with them); `keep_lines`, `keep_projects`: see audit_one. Workers also render each file's text in the
    `render` formats (report.rendered), which this process then only writes out: only for reports
    the caller writes unchanged (no waivers or baseline filter in between)."""
    jobs = 1 if STDIN in paths else max(1, min(jobs, len(paths) or 1))  # stdin is read in this process
    keep = (keep_lines, keep_projects)
    workers = _Workers(jobs - 1, (rules, options, keep, render, lang)) if jobs > 1 else None
    bar = _progress(len(paths)) if progress else None  # after the fork: no bar thread in a worker
    try:
        if workers is None:
            reports: Iterator[FileReport] = (audit_one(path, rules, options, *keep) for path in paths)
        else:
            reports = workers.run(paths, lambda path: audit_one(path, rules, options, *keep))
        for report in reports:
            yield report
            if bar:
                bar.advance(report.path)
    finally:
        if workers is not None:  # also when the caller stops early (an error): no file still queued is waited for
            workers.stop()
        if bar:
            bar.stop()


# -- worker processes ---------------------------------------------------------------------------


def _worker_loop(connection, inherited: list[int], parent: int, rules: RuleSet, options: Options, keep: tuple[bool, bool], render: tuple[str, ...], lang: str) -> None:
    """A worker: audit each chunk of paths it is sent, send back their reports, until told to stop.

    Ctrl-C is the main process's to handle (it stops the workers), so a worker prints no traceback.
    A worker never outlives the main process, however that ends (SIGTERM from a CI cancel, SIGKILL
    from the OOM killer): it asks the kernel to kill it when its parent dies, and closes the
    main process's ends of the pipes it inherited (`inherited`), so that a main process gone
    means end-of-file here instead of a wait forever — and the caller's stdout and stderr, which
    it also holds, are released with it.
    """
    import signal

    from audit.report import file_renderer

    _die_with_parent(parent)
    for fd in inherited:
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the main process's handler (inherited by fork)
    if hasattr(signal, "pthread_sigmask"):  # blocked while it was started (_Workers): a Ctrl-C then is dropped here
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    renderers = [(fmt, renderer) for fmt in render if (renderer := file_renderer(fmt, lang)) is not None]
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):  # the main process is gone
            return
        if task is None:
            return
        index, chunk = task
        try:
            connection.send((index, [_audit_and_render(path, rules, options, keep, renderers) for path in chunk]))
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a report that cannot be rendered or sent: the files say so, no traceback
            why = f"internal error while auditing: {type(exc).__name__}: {exc}"
            connection.send((index, [FileReport(path=path, error=why) for path in chunk]))


def _die_with_parent(parent: int) -> None:
    """On Linux, PR_SET_PDEATHSIG: SIGKILL this process when its parent dies; if the parent is
    already gone (it died before this ran), leave now."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before PDEATHSIG was set: die as it would have made us
        os.kill(os.getpid(), signal.SIGKILL)


def _audit_and_render(path: str, rules: RuleSet, options: Options, keep: tuple[bool, bool], renderers: list) -> FileReport:
    report = audit_one(path, rules, options, *keep)
    for fmt, renderer in renderers:
        report.rendered[fmt] = renderer(report)
    return report


# fork on Linux: a worker starts with the rules, lexicons and compiled patterns already in memory;
# elsewhere the platform's default (spawn on macOS and Windows, where fork is unsafe or missing)
START_METHOD = "fork" if sys.platform.startswith("linux") else None


class _Workers:
    """`count` worker processes that audit chunks of files while this process audits some too.

    Why not a ProcessPoolExecutor: with two cores, a pool's two workers and the main process's two
    helper threads (feeding tasks, unpickling results) share them, and each report crosses a pipe.
    Here the main process is one of the `jobs`: it keeps each worker two chunks ahead (one being
    audited, one waiting), audits the next chunk itself while the workers are busy, and between its
    files takes what they send back, with no thread. Reports come out in input order, whoever
    audited them.
    """

    AHEAD = 2  # chunks sent to a worker and not yet returned

    def __init__(self, count: int, args: tuple) -> None:
        import multiprocessing

        context = multiprocessing.get_context(START_METHOD)
        self.workers = []
        for _ in range(count):
            mine, theirs = context.Pipe()
            # a forked worker inherits this process's ends of its own and earlier workers' pipes: it closes them
            inherited = [w.connection.fileno() for w in self.workers] + [mine.fileno()] if START_METHOD == "fork" else []
            process = context.Process(target=_worker_loop, args=(theirs, inherited, os.getpid(), *args), daemon=True)
            with _sigint_blocked():  # a Ctrl-C during the start reaches this process after it, never a half-started worker
                process.start()
            theirs.close()
            self.workers.append(_Worker(process, mine))

    def run(self, paths: list[str], audit_here: Callable[[str], FileReport]) -> Iterator[FileReport]:
        from multiprocessing.connection import wait

        self.chunks = chunked(paths, len(self.workers) + 1)
        self.done: dict[int, list[FileReport]] = {}  # chunk index -> its reports, until their turn comes
        self.sent = 0  # chunks handed out so far (to a worker or to this process)
        # this process stops taking chunks when this many wait for an earlier one still at a worker
        # (a big file there): enough that it seldom waits, few enough that memory stays flat
        hold = 4 * self.AHEAD * len(self.workers) + 2
        for turn in range(len(self.chunks)):
            while turn not in self.done:
                self._tend()
                busy = [w for w in self.workers if w.pending]
                if turn in self.done:
                    break
                if self.sent < len(self.chunks) and (len(self.done) < hold or not busy):
                    index, self.sent = self.sent, self.sent + 1
                    reports = []
                    for path in self.chunks[index]:  # tended between files: a worker never waits for a whole chunk
                        reports.append(audit_here(path))
                        self._tend()
                    self.done[index] = reports
                else:
                    ready = wait([w.connection for w in busy])
                    for worker in busy:
                        if worker.connection in ready:
                            worker.take(self.done, self.chunks)
            yield from self.done.pop(turn)

    def _tend(self) -> None:
        """Take what the workers have finished (without waiting), and keep each AHEAD chunks ahead."""
        for worker in self.workers:
            if worker.pending and worker.connection.poll():
                worker.take(self.done, self.chunks)
            while worker.alive and len(worker.pending) < self.AHEAD and self.sent < len(self.chunks):
                worker.give(self.sent, self.chunks[self.sent])
                self.sent += 1

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT held back (where POSIX allows): a worker starts with it blocked and ignores it before
    unblocking, so Ctrl-C mid-start prints no worker traceback; this process gets it on leaving."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Worker:
    def __init__(self, process, connection) -> None:
        self.process, self.connection = process, connection
        self.pending: list[int] = []  # chunk indexes sent and not yet returned, oldest first
        self.alive = True

    def give(self, index: int, chunk: list[str]) -> None:
        try:
            self.connection.send((index, chunk))
        except OSError:  # it has stopped; take() will find out and report the chunk
            pass
        self.pending.append(index)

    def take(self, done: dict[int, list[FileReport]], chunks: list[list[str]]) -> None:
        """One chunk's reports from this worker; if it stopped, every file it still had is reported
        as an error (it cannot say which one stopped it), and the run goes on without it."""
        try:
            index, reports = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(5)
            why = f"internal error: the worker process auditing this file stopped (exit code {self.process.exitcode})"
            for index in self.pending:
                done[index] = [FileReport(path=path, error=why) for path in chunks[index]]
            self.pending, self.alive = [], False
            return
        self.pending.remove(index)
        done[index] = reports

    def stop(self) -> None:
        if self.alive and not self.pending:
            try:
                self.connection.send(None)
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():  # stopped early, with files still queued: no need to wait for them
            self.process.terminate()
            self.process.join(5)
        self.connection.close()


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
        from rich.markup import escape

        from audit.terminal import printable

        # a file name is neither markup ("[bold]", a stray "[/]") nor terminal escapes
        self.progress.update(self.task, advance=1, description=escape(printable(Path(path).name)))

    def stop(self) -> None:
        self.progress.stop()


PROGRESS_FROM = 20  # files; a shorter run is over before a bar would tell anyone anything


def _progress(total: int) -> _Bar | None:
    return _Bar(total) if total >= PROGRESS_FROM and sys.stderr.isatty() else None
