"""`parse_value`: one 指标值 cell -> `Constraint`, total and memoised.

The grammar (audit/indicators/grammar.py) reads every cell it can; a tree that makes no sense and
a cell the grammar rejects are read as free text (free_text.py); anything else going wrong gives
an UNPARSED constraint noted "internal-error". So `parse_value` never raises.

Memo: the Lark grammar reads each distinct cell text once per run — the readings are kept in the
memo tables of the run auditing the document (audit.memo: a table bounded in size, gone with the
run), never the process's. Rows worded alike recur across projects and documents (the five seeds
hold ~2,300 value cells, ~600 distinct), which is what the memo is for. Outside a run (a single
`parse_value` call) nothing is kept.
"""

from __future__ import annotations

from audit.indicators.constraint import Constraint, Kind
from audit.indicators.free_text import has_digit, read_free_text
from audit.indicators.grammar import NotInGrammar, parse
from audit.indicators.text import CellText
from audit.indicators.tree import Reject, fields_of
from audit.memo import active

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


VALUES = "indicator values"  # the run's memo table: cell text → Constraint


def _read_safely(text: str) -> Constraint:
    try:
        return read(text)
    except Exception:           # noqa: BLE001 - parse_value is total by contract
        return _safety_net(text)


def parse_value(text: str) -> Constraint:
    """Parse one 指标值 cell. Total: never raises; memoised per run (same object for the same str)."""
    if text is None:
        text = ""
    elif not isinstance(text, str):
        try:
            text = str(text)
        except Exception:       # noqa: BLE001
            return _safety_net(text, "not-a-string")
    try:
        return active().get(VALUES, text, _read_safely)
    except Exception:           # noqa: BLE001 - e.g. a str subclass that cannot be hashed
        return _safety_net(text)

