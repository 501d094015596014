"""What the `audit` program (and only it: never the library) does around its start-up.

Two things, each for a reason measured or seen:

- The cyclic garbage collector is off while the program starts (imports, rules, lexicons) and
  what start-up made is then frozen out of later collections (`pause_gc`, `started`): those
  objects live as long as the process, and collecting them again and again is pure cost
  (about 15 ms of a 0.36 s cold check of the five seeds, benchmarks/bench.py).
- Standard output and error never drop text when the descriptor is non-blocking (`make_patient`).
  A harness that starts `audit` with a non-blocking pipe as stdout (a Node or asyncio parent can
leave one so) makes every write past the pipe's 64 KB fail with EAGAIN as soon as its reader falls
behind: the JSON report of the corpus arrived cut at 64 KB, with exit 1 and nothing on stderr.
Here such a stream is rewrapped over a writer that waits until the pipe has room. The descriptor's
own flags are left alone: they belong to whoever shares it.
"""

from __future__ import annotations

import gc
import io
import os
import select
import sys


class _PatientWriter(io.RawIOBase):
    """A raw writer over a non-blocking descriptor: a full pipe is waited on, never an error."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, data) -> int:
        while True:
            try:
                return os.write(self.fd, data)
            except BlockingIOError:
                select.select([], [self.fd], [])


def _patient(stream):
    """`stream` as it is, or the same text stream over a _PatientWriter when its descriptor is non-blocking."""
    try:
        fd = stream.fileno()
        if os.get_blocking(fd):
            return stream
    except (AttributeError, OSError, ValueError):  # no descriptor (a test runner's buffer), or closed
        return stream
    stream.flush()
    return io.TextIOWrapper(
        io.BufferedWriter(_PatientWriter(fd)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=getattr(stream, "write_through", False),
    )


def pause_gc() -> None:
    """No cyclic collection until `started()`: start-up only makes objects that stay."""
    gc.disable()


def started() -> None:
    """Start-up is over: what it made is frozen out of every later collection, which resumes."""
    gc.freeze()
    gc.enable()


def make_patient() -> None:
    """Rewrap sys.stdout and sys.stderr where their descriptors are non-blocking (see the module)."""
    if sys.stdout is not None:
        sys.stdout = _patient(sys.stdout)
    if sys.stderr is not None:
        sys.stderr = _patient(sys.stderr)
