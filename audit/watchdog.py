"""A time limit for code running in a thread other than the main one (a Dask worker's task, an
API caller's thread pool), where SIGALRM cannot reach: a timer thread raises an exception in the
limited thread asynchronously (PyThreadState_SetAsyncExc). It lands between two Python bytecodes,
as a signal handler's would: a long call into a C library (pdfium) finishes first."""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def raise_in_this_thread(seconds: float, error: type[BaseException], *args) -> Iterator[None]:
    """Raise `error(*args)` in this thread if the block runs more than `seconds`. SetAsyncExc
    takes a class it calls without arguments: a subclass that supplies `args` is raised. The lock
    keeps the timer from firing once the block is left; one set but not yet raised is withdrawn,
    so it cannot go off later in whatever this thread does next."""
    expired = type(error.__name__, (error,), {"__init__": lambda self: error.__init__(self, *args)})
    target = ctypes.c_ulong(threading.get_ident())
    lock, state = threading.Lock(), {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(expired))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)

