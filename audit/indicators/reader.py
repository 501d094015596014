"""`parse_value`: one 指标值 cell -> `Constraint`, total and memoised.

The grammar (audit/indicators/grammar.py) reads every cell it can; a tree that makes no sense and
a cell the grammar rejects are read as free text (free_text.py); anything else going wrong gives
an UNPARSED constraint noted "internal-error". So `parse_value` never raises.

Memo: one bounded LRU per process (functools.lru_cache), keyed on the cell's text. A cell's reading
depends on its text alone (the grammar and vocabulary are fixed files) and a Constraint is frozen,
so sharing readings between documents or runs cannot leak one run's state into another; the bound
keeps a batch of any size at a few MB. Rows worded alike recur across projects and documents (the
five seeds hold ~2,300 value cells, ~600 distinct), which is what the memo is for.
"""

from __future__ import annotations

import functools

from audit.indicators.constraint import Constraint, Kind
from audit.indicators.free_text import has_digit, read_free_text
from audit.indicators.grammar import NotInGrammar, parse
from audit.indicators.text import CellText
from audit.indicators.tree import Reject, fields_of

MEMO_SIZE = 1 << 14  # distinct cell texts remembered (least recently used forgotten first)


def read(raw: str) -> Constraint:
    """Read one cell (not memoised; may raise on an internal error: use parse_value)."""
    src = CellText(raw)
    if not src.text:
        return Constraint(raw=raw, kind=Kind.EMPTY)
    if has_digit(src.text) or src.text.startswith("符号"):
        try:
            fields = fields_of(parse(src.text, "value"), src)
        except (NotInGrammar, Reject):
            fields = read_free_text(src)
    else:  # both forms of the grammar need a number, or 符号 first: no need to ask it
        fields = read_free_text(src)
    notes = tuple(dict.fromkeys(fields.pop("notes", [])))    # de-duplicated, order kept
    return Constraint(raw=str.__str__(raw), notes=notes, **fields)


def _safety_net(raw: object, reason: str = "internal-error") -> Constraint:
    """Last resort: an UNPARSED constraint (cannot fail)."""
    return Constraint(raw=raw if isinstance(raw, str) else repr(raw), kind=Kind.UNPARSED, notes=(reason,))


@functools.lru_cache(maxsize=MEMO_SIZE)
def _memoised(text: str) -> Constraint:
    try:
        return read(text)
    except Exception:           # noqa: BLE001 - parse_value is total by contract
        return _safety_net(text)


def parse_value(text: str) -> Constraint:
    """Parse one 指标值 cell. Total: never raises; memoised (same object for the same str)."""
    if text is None:
        text = ""
    elif not isinstance(text, str):
        try:
            text = str(text)
        except Exception:       # noqa: BLE001
            return _safety_net(text, "not-a-string")
    try:
        return _memoised(text)
    except Exception:           # noqa: BLE001 - e.g. a str subclass that cannot be hashed
        return _safety_net(text)


parse_value.cache_info = _memoised.cache_info      # type: ignore[attr-defined]
parse_value.cache_clear = _memoised.cache_clear    # type: ignore[attr-defined]
