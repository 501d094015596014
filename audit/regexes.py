"""Compiled regular expressions kept between runs, so a cold start does not compile them again.

A cold `audit check` compiles some 320 patterns, ~60 ms on a slow machine: re's compiler is
Python code, and a character class over CJK ideographs (一-鿿) walks its 20,000 characters one
by one. What it produces is a program (a list of ints) that `_sre.compile` turns into a Pattern
in C; that last step is cheap. `kept()` remembers each pattern's program in the user's cache
folder and, while it is active, builds known patterns straight from it.

It mirrors re._compiler.compile of CPython 3.11–3.13 (parse, generate code, map group names,
_sre.compile), and steps aside anywhere else. A stale or corrupt program cannot slip through:
_sre.compile validates every program it is given, and any failure falls back to re's own compiler.
Only the program's entry point uses it (audit.cli.run), for one run: importing audit never
touches `re`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # not CPython
    _sre = None

SUPPORTED = (
    _sre is not None
    and sys.implementation.name == "cpython"
    and (3, 11) <= sys.version_info[:2] <= (3, 13)
    and hasattr(_compiler, "_code")
    and hasattr(_parser, "parse")
)
LIMIT = 4000  # programs kept; past it, only those the last run used
_DEBUG = 128  # re.DEBUG: such a pattern prints while compiling, so it is always compiled

Program = tuple  # (flags, code, groups, groupindex, indexgroup): _sre.compile's arguments after the pattern


def program_of(pattern: str, flags: int) -> Program:
    """What re._compiler.compile hands _sre.compile for `pattern` (its steps, recorded)."""
    tree = _parser.parse(pattern, flags)
    code = list(map(int, _compiler._code(tree, flags)))  # plain ints: opcodes are named int subclasses
    groupindex = tree.state.groupdict
    indexgroup = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | tree.state.flags, code, tree.state.groups - 1, groupindex, tuple(indexgroup))


class Store:
    """Programs by (pattern, flags); `compile` stands in for re._compiler.compile."""

    def __init__(self, programs: dict[tuple[str, int], Program] | None = None):
        self.programs = dict(programs or {})
        self.used: set[tuple[str, int]] = set()
        self.added = 0
        self._original = _compiler.compile if SUPPORTED else None

    def compile(self, pattern, flags=0):
        if type(pattern) is not str or flags & _DEBUG:
            return self._original(pattern, flags)  # bytes, a parsed pattern, re.DEBUG: as re does
        key = (pattern, flags)
        program = self.programs.get(key)
        if program is not None:
            try:
                compiled = _sre.compile(pattern, *program)
            except Exception:  # noqa: BLE001 - not a program this interpreter accepts: compile afresh
                del self.programs[key]
            else:
                self.used.add(key)
                return compiled
        try:
            program = program_of(pattern, flags)
            compiled = _sre.compile(pattern, *program)
        except Exception:  # noqa: BLE001 - an invalid pattern: re's own compiler raises re.error
            return self._original(pattern, flags)
        self.programs[key] = program
        self.used.add(key)
        self.added += 1
        return compiled

    def to_keep(self) -> dict[tuple[str, int], Program]:
        if len(self.programs) <= LIMIT:
            return self.programs
        return {key: self.programs[key] for key in self.used}


def _valid(value: object) -> bool:
    return isinstance(value, dict) and all(
        type(key) is tuple and len(key) == 2 and type(key[0]) is str and type(key[1]) is int
        and type(program) is tuple and len(program) == 5
        for key, program in value.items()
    )


def _path():
    from audit.resources import user_cache_dir

    folder = user_cache_dir()
    if folder is None:
        return None
    tag = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
    return folder / f"regexes-{tag}.pickle"


@contextmanager
def kept() -> Iterator[Store | None]:
    """While active, re builds known patterns from stored programs; new programs are saved after.

    Yields the Store (None when this Python is not one the store mirrors, or there is no cache
    folder). Not thread-safe by design: the command line runs one thread."""
    path = _path() if SUPPORTED else None
    if path is None:
        yield None
        return
    from audit.resources import read_pickle, write_pickle

    stored = read_pickle(path)
    store = Store(stored if _valid(stored) else None)
    _compiler.compile = store.compile
    try:
        yield store
    finally:
        _compiler.compile = store._original
        if store.added or len(store.programs) > LIMIT:
            write_pickle(path, store.to_keep())
