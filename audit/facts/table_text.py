"""A table read for structure facts: its cells as one text that one regular-expression scan
searches (_TableText), the hints that pick the few cells worth an exact reading, and the tests
for a table's title line and for its holding figures.

audit/facts/structure.py walks the blocks and builds the facts; this module holds how a table is
scanned, which is a job of its own: a Python step per cell is what costs, so every table reading
goes through one scan of the joined cells.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain
from operator import attrgetter
from typing import Iterable, Iterator

from audit.facts.enumerations import _numbered_body
from audit.facts.lazy import _Lazy, _match_end
from audit.facts.numerals import CN_NUMERAL, cn_number
from audit.facts.structure_facts import NumberedLine
from audit.layout import Cell, Row, Table
from audit.numbers import parse_figure

_TABLE_TITLE = _Lazy(r"表(?:\([^()]{0,16}\))?$")
def _has_figures(table: Table) -> bool:
    """Any amount in the table: a figure outside the first column that is neither a serial or
    栏次 number (1, 2 …) nor a classification code (201, 20101, 2010101, 301…)."""
    for row in table.rows:
        for text in row.texts[1:]:
            value = parse_figure(text)
            if value is None or (value == 0 and "." not in text):
                continue
            digits = "".join(text.split())
            if "." in digits:
                return True  # 12.50, and also 0.00: a printed zero is a filled cell
            if len(digits) <= 2 or (len(digits) in (3, 5, 7) and digits[0] in "23"):
                continue
            return True
    return False


_PREPARED_BY = _Lazy(r"(?<=[表)])(?:部门|单位|编制单位|编制部门|预算单位)\s*:.*$")


def _title_of(text: str) -> str:
    """A title line without the preparer and unit PDF extraction glued to it:
    `收入预算总表部门:江苏省政协办公厅单位:万元` → `收入预算总表`. Takes squashed text."""
    return _PREPARED_BY().sub("", text) if "表" in text and ":" in text else text


def _is_title(text: str) -> bool:
    """A table's title line: short, ends in 表 (or 表(…)), not a 绩效 table. Takes squashed text."""
    text = _title_of(text)
    if not (4 <= len(text) <= 40) or "表" not in text or not _TABLE_TITLE().search(text) or text.startswith(("-", "*")):
        return False
    return "绩效" not in text


class _TableText:
    """A table's cells as one text, a NUL before each, so that one regular-expression scan
    finds the few cells worth an exact reading: a Python step per cell is what costs, and most
    cells are figures that hold no structure fact.

    NUL: no cell holds one (source.py shows control characters as pictures) and no pattern
    here reads one (not even \\s), so a scan sees each cell as it would alone. A match's cell is
    found by counting the NULs before it, from the previous match on: no list of cell offsets."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.texts: list[str] = list(chain.from_iterable(map(_texts_of, rows)))
        self.joined = "\0" + "\0".join(self.texts)
        self.row_starts: list[int] | None = None  # where each row starts, in cells

    def cells_at(self, positions: Iterable[int]) -> Iterator[int]:
        """The cell holding joined[pos] for each of the increasing `positions` (a NUL counts
        with the cell before it)."""
        joined = self.joined
        j, at = -1, 0
        for pos in positions:
            j += joined.count("\0", at, pos)
            at = pos
            yield j

    def cells_with(self, pattern: re.Pattern[str], at_least: int = 1) -> list[int]:
        """The cells holding `at_least` matches of `pattern`, in order (a match of the NUL
        before a cell, looking ahead, is the cell's)."""
        found: list[int] = []
        last, seen = -1, 0
        for j in self.cells_at(map(_match_end, pattern.finditer(self.joined))):
            seen = seen + 1 if j == last else 1
            last = j
            if seen == at_least:
                found.append(j)
        return found

    def row_of(self, j: int) -> int:
        if self.row_starts is None:
            self.row_starts = list(accumulate(map(len, map(_texts_of, self.rows)), initial=0))
        return bisect_right(self.row_starts, j) - 1

    def cell(self, j: int) -> Cell:
        """Cell j (rows make their Cell objects only when one is asked for)."""
        r = self.row_of(j)
        return self.rows[r].cell(j - self.row_starts[r])

    def rows_of(self, cells: list[int]) -> list[int]:
        """The rows of the increasing `cells`, each once, in order."""
        out: list[int] = []
        for j in cells:
            r = self.row_of(j)
            if not out or out[-1] != r:
                out.append(r)
        return out

    def cells_by_hint(self) -> dict[str, list[int]]:
        """cells_with for each of the _HINTS in one scan: the cells holding a match of each (two
        for "marker": a list needs two markers), in order."""
        found: dict[str, list[int]] = {name: [] for name in _HINTS}
        markers_seen, marker_cell = 0, -1
        joined = self.joined
        j, at = -1, 0
        for match in _ANY_HINT().finditer(joined):
            pos = match.end()
            j += joined.count("\0", at, pos)
            at = pos
            name = _HINT_OF[joined[match.start()]]
            cells = found[name]
            if name == "marker":
                markers_seen = markers_seen + 1 if j == marker_cell else 1
                marker_cell = j
                if markers_seen == 2:
                    cells.append(j)
            elif not cells or cells[-1] != j:
                cells.append(j)
        return found

    def numbered_lines(self) -> list[NumberedLine]:
        """The cells that start with a number (what _numbered_line finds, cell by cell).

        _NUMBERED_AFTER_NUL is _NUMBERED looking ahead from the NUL before a cell: it reads what
        _NUMBERED reads in the cell alone, so every hit is one numbered cell."""
        rows, joined = self.rows, self.joined
        self.row_of(0)
        row_starts = self.row_starts
        found: list[NumberedLine] = []
        j, at = -1, 0  # cells_at, inlined: most cells with figures get here
        for hit in _NUMBERED_AFTER_NUL().finditer(joined):
            j += joined.count("\0", at, hit.end())  # a hit is the NUL before its cell
            at = hit.end()
            raw = hit.group(1)  # one or two digits, or Chinese numerals: as _numbered_line reads them
            if raw.isdigit():
                number, numeral = int(raw), "arabic"
            else:
                number, numeral = cn_number(raw), "cn"
            if number:
                r = bisect_right(row_starts, j) - 1  # row_of(j), inlined
                found.append(NumberedLine(number, numeral, rows[r].first_line(j - row_starts[r]), "text"))
        return found


_texts_of = attrgetter("texts")
_NUL = r"\0"  # in a regex: the character that separates cells in _TableText
# The first lookahead repeats what a numbered cell may start with (a bullet, [, (, 第, a digit or a
# numeral): a cheap test that turns away most cells (text, empty) before the whole body is tried.
_NUMBERED_AFTER_NUL = _Lazy(rf"\0(?=[\s\-*•·●\[(第\d{CN_NUMERAL}])(?={_numbered_body(stop=_NUL)})")
# The separator of an in-cell marker (1、 or 1. not followed by a digit): every true marker has
# one, so a cell needs two for a list.
_HINTS = {
    "marker": r"[、.](?<=\d、|\d\.)(?:(?<=、)|(?![^\S\n]{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年))",
    "claim": r":|包括|分别|即",
    "goal": r"目\s*标",  # 绩效目标, 年度目标 … (perhaps spaced out) head a goal row
    "budget": "预算",
    "title": "表",
}
_MARKER_HINT = _Lazy(_HINTS["marker"])
_CLAIM_HINT = _Lazy(_HINTS["claim"])
_GOAL_HINT = _Lazy(_HINTS["goal"])
_BUDGET_HINT = _Lazy(_HINTS["budget"])
_TITLE_HINT = _Lazy(_HINTS["title"])
# All five hints in one scan. No match of one can overlap a match of another (their characters
# are disjoint: 、 . : 包括 分别 即 目 space 标 预算 表), so the scan finds exactly the matches of
# the five separate scans; a match's first character names its hint. Every alternative starts
# with a literal, so the scan skips ahead in C to the next of those characters.
_ANY_HINT = _Lazy(
    r"、(?<=\d、)|\.(?<=\d\.)(?:(?![^\S\n]{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年))"  # marker
    r"|:|包括|分别|即|目\s*标|预算|表"
)
_HINT_OF = {"、": "marker", ".": "marker", ":": "claim", "包": "claim", "分": "claim", "即": "claim", "目": "goal", "预": "budget", "表": "title"}
