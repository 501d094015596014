"""Memoisation owned by a run: `Memos`, the memo tables one run keeps, and `once` for hot fact objects.

What is worked out from the input documents (the reading of a 指标值 cell, what an indicator's
wording says, a rule's compiled patterns) is remembered for the run that worked it out, never for
the process: the run makes one `Memos` (it is part of `pipeline.Options`, so the CLI's run, an
`Auditor`, a batch worker each hold their own) and activates it while it audits a file
(`running`). Two runs in one process — two Auditors with different rules or lexicons — never see
each other's entries, and the memory goes with the run. Pure functions of a shipped constant (a
compiled regex of a fixed pattern, the Lark parser of the shipped grammar) may stay module-level.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
K = TypeVar("K")


LEXICONS_CHANGED = [0]  # times the process's lexicons were extended (audit.lexicon.reset counts)


class Memos:
    """One run's memo tables, by name: plain dicts from a key to what was worked out from it.

    A table is emptied when it reaches `limit` entries (a batch of any size stays at a few MB)
    and every table is dropped when the process's lexicons are extended (LEXICONS_CHANGED): an
    entry never outlives the lexicons it was read against. Pickled empty: a --jobs worker or a
    distributed task fills its own (the run's lexicon extensions go with them).
    """

    limit = 1 << 16

    def __init__(self, lexicons: dict[str, list[dict]] | None = None) -> None:
        # the run's own lexicon extensions (name → mappings merged into the shipped lexicon, in
        # order): what every entry here was read against (audit.lexicon reads them)
        self.lexicons: dict[str, list[dict]] = dict(lexicons or {})
        self._tables: dict[str, dict] = {}
        self._generation = -1

    def table(self, name: str) -> dict:
        """The run's table `name` (made on first use)."""
        if self._generation != LEXICONS_CHANGED[0]:
            self._tables.clear()
            self._generation = LEXICONS_CHANGED[0]
        table = self._tables.get(name)
        if table is None or len(table) >= self.limit:
            table = self._tables[name] = {}
        return table

    def get(self, name: str, key: K, build: Callable[[K], T]) -> T:
        """The entry `key` of table `name`, `build(key)` the first time it is asked for."""
        table = self.table(name)
        try:
            return table[key]
        except KeyError:
            value = table[key] = build(key)
            return value

    def __getstate__(self) -> dict:
        return {"lexicons": self.lexicons}  # the tables stay behind: a worker fills its own

    def __setstate__(self, state: dict) -> None:
        self.__init__(state.get("lexicons"))


_ACTIVE: ContextVar[Memos | None] = ContextVar("the memo tables of the run auditing a file", default=None)


@contextmanager
def running(memos: Memos) -> Iterator[Memos]:
    """`memos` are the active run's while the block audits a file (per thread: a ContextVar)."""
    token = _ACTIVE.set(memos)
    try:
        yield memos
    finally:
        _ACTIVE.reset(token)


def current() -> Memos | None:
    """The memo tables of the run auditing a file now, or None outside a run."""
    return _ACTIVE.get()


def active() -> Memos:
    """The memo tables of the run auditing a file now; outside a run, fresh ones (nothing kept)."""
    memos = _ACTIVE.get()
    return memos if memos is not None else Memos()


def per_run(function: Callable[..., T], name: str | None = None) -> Callable[..., T]:
    """`function` (of hashable arguments) memoised in the active run's table `name` (by default
    its module and qualified name): what it works out from a document or the run's lexicons is
    kept for the run that asked and goes with it. Outside a run, nothing is kept."""
    name = name or f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def memoised(*args):
        memos = _ACTIVE.get()
        if memos is None:
            return function(*args)
        try:  # a hit without a method call (the hot readers ask thousands of times a document)
            if memos._generation == LEXICONS_CHANGED[0]:
                return memos._tables[name][args]
        except KeyError:
            pass
        table = memos.table(name)  # made, emptied when full or when the lexicons changed
        value = table[args] = function(*args)
        return value

    return memoised


@contextmanager
def a_run() -> Iterator[Memos]:
    """Within the active run; outside one, within a run of its own (one document read directly,
    e.g. `pipeline.analyse` in a test: its memo tables are gone when it is done)."""
    memos = _ACTIVE.get()
    if memos is not None:
        yield memos
        return
    with running(Memos()) as memos:
        yield memos


class once:  # noqa: N801 - used as a decorator, like functools.cached_property
    """A property computed on first use, then read from the instance's __dict__.

    functools.cached_property does the same but takes a lock on every first access in Python 3.11,
    which shows in the profile when thousands of figures and indicator rows are read per file.
    Fine on a frozen dataclass: its fields never change, and `replace` makes a new instance.
    """

    def __init__(self, function) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value
