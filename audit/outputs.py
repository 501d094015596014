"""Where reports go: stdout (in the right encoding) or a file put in place only once complete.

Kept apart from the command line so that what is written where, and how safely, is one module's job.
"""

from __future__ import annotations

import sys
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
        self.temp: str | None = None  # a file report is written here, and renamed once complete
        self.final: Path | None = None
        if path is not None:
            try:
                self._open(Path(path))
            except OSError as exc:
                self._failed(exc)

    def _open(self, target: Path) -> None:
        import os
        import tempfile

        if target.parent and not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and not target.is_file():  # /dev/stdout, a pipe (or a folder: its error)
            self.stream = target.open("w", encoding="utf-8")
            return
        self.final = target.resolve() if target.is_symlink() else target
        fd, self.temp = tempfile.mkstemp(dir=self.final.parent, prefix=f".{self.final.name}.", suffix=".partial")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # the mode a plain open() would have given
        self.stream = os.fdopen(fd, "w", encoding="utf-8")

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
            import os

            try:
                self.stream.close()
                if not self.error and self.temp is not None:
                    os.replace(self.temp, self.final)
                    self.temp = None
            except OSError as exc:
                self._failed(exc)
            self.discard()

    def discard(self) -> None:
        """Remove the unfinished file (the run failed or was interrupted): no half report is left."""
        if self.temp is not None:
            import os

            if self.stream is not None and not self.stream.closed:
                self.stream.close()
            try:
                os.unlink(self.temp)
            except OSError:
                pass
            self.temp = None


def write_file(path: str, text: str) -> None:
    target = Path(path)
    try:
        if target.parent and not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
