"""Where reports go: stdout (in the right encoding) or a file put in place only once complete.

Kept apart from the command line so that what is written where, and how safely, is one module's job.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click


class OutputError(Exception):
    """A report file that could not be written (the command reports it and exits 2)."""


def print_report(text: str, machine: bool) -> None:
    """The report on stdout. Machine formats are UTF-8 whatever the locale says (JSON, SARIF…
    are UTF-8 by definition); a human report on a terminal that cannot show a character gets
    a replacement character there instead of a crash."""
    sys.stdout.flush()
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or encoding in ("utf-8", "utf8"):
        click.echo(text, nl=False)
    else:
        buffer.write(text.encode("utf-8" if machine else encoding, errors="strict" if machine else "replace"))
    sys.stdout.flush()


class Output:
    """One report being written as the files arrive: its writer, and a file or stdout to write to.

    A file that cannot be opened or written keeps its error for the end of the run, where it is
    reported (exit 2) in the order the reports are listed. Stdout on a terminal is held until the
    run is over, so the report never shares the terminal with the progress bar.
    """

    def __init__(self, writer, path: str | None = None, machine: bool = False, hold: bool = False):
        self.writer, self.path, self.machine = writer, path, machine
        self.error: str | None = None
        self.held: list[str] | None = [] if path is None and hold else None
        self.stream = None
        self.pending: PendingFile | None = None  # a file report, put in place once complete
        if path is not None:
            try:
                self._open(Path(path))
            except OSError as exc:
                self._failed(exc)

    def _open(self, target: Path) -> None:
        self.stream, self.pending = open_target(target)

    def _failed(self, exc: OSError) -> None:
        self.error = self.error or f"cannot write {self.path}: {exc.strerror or exc}"

    def write(self, text: str) -> None:
        if not text or self.error:
            return
        if self.path is None:
            if self.held is not None:
                self.held.append(text)
            else:
                print_report(text, self.machine)
            return
        try:
            self.stream.write(text)
        except OSError as exc:
            self._failed(exc)

    def close(self) -> None:
        """Print what was held, or put the complete file in place (a failed one leaves `path` as it was)."""
        if self.held:
            print_report("".join(self.held), self.machine)
        if self.stream is not None:
            try:
                if self.pending is None:
                    self.stream.close()
                elif not self.error:
                    self.pending.commit()
            except OSError as exc:
                self._failed(exc)
            self.discard()

    def discard(self) -> None:
        """Drop the unfinished file (the run failed or was interrupted): no half report is left."""
        if self.pending is not None:
            self.pending.discard()


def write_file(path: str, text: str) -> None:
    """`text` as the file `path`, all or nothing (see PendingFile); OutputError if it cannot be."""
    try:
        stream, pending = open_target(Path(path))
        if pending is None:
            with stream:
                stream.write(text)
            return
        try:
            stream.write(text)
            pending.commit()
        finally:
            pending.discard()
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def open_target(target: Path):
    """(stream, PendingFile or None) for writing a report to `target`: a pipe or device (as
    /dev/stdout) is written directly; a file is a PendingFile put in place when complete."""
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    final = destination(target)
    planted = final is target and target.is_symlink()  # another user's link: replaced, never opened
    if not planted and target.exists() and not target.is_file():  # /dev/stdout, a pipe (or a folder: its error)
        return target.open("w", encoding="utf-8"), None
    pending = PendingFile(final)
    return pending.stream, pending


def destination(target: Path) -> Path:
    """Where a report named `target` goes. A symlink the user (or root: /dev/stdout) owns is
    followed, as the user set it up; one another user planted (say in a sticky /tmp, pointing at
    the victim's file) is replaced itself by the report, never written through."""
    if not target.is_symlink() or not hasattr(os, "getuid"):
        return target
    owner = os.lstat(target).st_uid
    return target.resolve() if owner in (os.getuid(), 0) else target


class PendingFile:
    """A file written in full before it appears at `final`, by an atomic rename in its folder.

    On Linux it is first an unnamed file (O_TMPFILE) that only gets a name when complete, so a run
    killed even by SIGKILL (the OOM killer) leaves nothing behind; elsewhere, or on a filesystem
    without it, a hidden `.NAME.*.partial` file, removed on any error or catchable signal."""

    def __init__(self, final: Path):
        self.final = final
        self.temp: str | None = None  # the named temp file, when O_TMPFILE was not available
        fd = self._unnamed()
        if fd is None:
            fd, self.temp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".partial")
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(fd, 0o666 & ~umask)  # the mode a plain open() would have given
        self.fd = fd
        self.stream = os.fdopen(fd, "w", encoding="utf-8")
        self.done = False

    def _unnamed(self) -> int | None:
        flag = getattr(os, "O_TMPFILE", 0)
        if not flag or not os.path.isdir("/proc/self/fd"):  # the name is given through /proc
            return None
        try:
            return os.open(self.final.parent or ".", flag | os.O_RDWR, 0o666)  # umask applies
        except OSError:  # e.g. a filesystem without O_TMPFILE support
            return None

    def commit(self) -> None:
        """Put the complete file at `final` (replacing what was there, or a foreign symlink itself)."""
        self.stream.flush()
        if self.temp is None:
            self.temp = self._name_it()
        self.stream.close()
        os.replace(self.temp, self.final)
        self.temp = None
        self.done = True

    def _name_it(self) -> str:
        """A name for the unnamed file: linked through /proc, or (where the kernel or a sandbox
        refuses that link) its content copied into a named temp file, at the very end only."""
        named = tempfile.mktemp(dir=self.final.parent, prefix=f".{self.final.name}.", suffix=".partial")  # noqa: S306 - link() fails if taken
        try:
            os.link(f"/proc/self/fd/{self.fd}", named, follow_symlinks=True)
            return named
        except OSError:
            pass
        fd, named = tempfile.mkstemp(dir=self.final.parent, prefix=f".{self.final.name}.", suffix=".partial")
        try:
            os.fchmod(fd, os.fstat(self.fd).st_mode & 0o777)
            os.lseek(self.fd, 0, os.SEEK_SET)
            while chunk := os.read(self.fd, 1 << 20):
                os.write(fd, chunk)
        except BaseException:
            os.close(fd)
            os.unlink(named)
            raise
        os.close(fd)
        return named

    def discard(self) -> None:
        if not self.stream.closed:
            self.stream.close()
        if self.temp is not None:
            try:
                os.unlink(self.temp)
            except OSError:
                pass
            self.temp = None
