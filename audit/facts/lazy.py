"""What the structure readers share: regular expressions compiled on first use, and squashing."""

from __future__ import annotations


import re
from functools import cache
from operator import methodcaller
from typing import Callable, Iterable, Iterator

from audit import memo


def _Lazy(source: str | Callable[[], str]) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use (`_NAME()` gives the compiled pattern): the
    module holds dozens, and compiling them all at import would slow every cold start.
    `source`: the pattern, or a function returning it (a lexicon entry). A fixed pattern is a
    shipped constant, kept for the process (functools.cache makes each later call a C call: the
    hot loops ask for their patterns thousands of times); one returned by a function may read the
    run's lexicons, so it is compiled once a run (audit.memo)."""
    if not isinstance(source, str):
        return lambda: memo.active().get("lazy patterns", source, _compile_from)

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(source)

    return compiled


def _compile_from(source: Callable[[], str]) -> re.Pattern[str]:
    return re.compile(source())


_match_start, _match_end = methodcaller("start"), methodcaller("end")


def _squash(text: str) -> str:
    return "".join(text.split())


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that can only start a match at one of `starts`
    (increasing) and never matches empty: a search would attempt it at every character."""
    pos = 0
    for start in starts:
        if start >= pos:
            match = pattern.match(text, start)
            if match:
                yield match
                pos = match.end()
