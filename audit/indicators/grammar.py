"""The Lark parser of grammar/indicator.lark: the one reader of a 指标值 cell's forms.

Built on first use (LALR, contextual lexer). lark is imported only then, so that a run that reads
no indicator never pays for it. The built tables are kept by Lark in the user's own cache folder
(building them takes ~0.1 s, loading ~5 ms), never a shared temp dir: Lark's cache is a pickle, and
a file someone else could plant must never be loaded. Lark validates the file against a hash of the
grammar and rebuilds when it is stale or damaged; no writable cache folder means no cache.
"""

from __future__ import annotations

import functools

from audit.indicators.vocabulary import GRAMMAR_FILE
from audit.resources import grammar_text


class NotInGrammar(Exception):
    """The text is none of the grammar's forms (lark's own error, without importing lark to catch it)."""


def parse(text: str, start: str):
    """Lark's tree of `text` from the start symbol `value` (a cell) or `unit_text` (a unit word)."""
    parser = _parser()
    try:
        return parser.parse(text, start=start)
    except _lark_error() as error:
        raise NotInGrammar(str(error)) from None


@functools.lru_cache(maxsize=1)  # a class of the installed lark: kept for the process
def _lark_error() -> type[Exception]:
    from lark.exceptions import LarkError

    return LarkError


@functools.lru_cache(maxsize=1)  # the parser of the shipped grammar: kept for the process
def _parser():
    import lark

    options = dict(parser="lalr", lexer="contextual", start=["value", "unit_text"], propagate_positions=False)
    text = grammar_text(GRAMMAR_FILE)
    cache = _cache_file(text, lark.__version__)
    if cache is not None:
        try:
            return lark.Lark(text, cache=cache, **options)
        except OSError:
            pass
    return lark.Lark(text, cache=False, **options)


def _cache_file(grammar: str, version: str) -> str | None:
    """Lark's parser cache, in the user's own cache folder only (it is a pickle)."""
    import hashlib

    from audit.resources import user_cache_dir

    folder = user_cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return str(folder / f"indicator-{key}-lark{version}.cache")
