"""Source → Blocks: tell narrative paragraphs from the two table layouts, keeping every line span.

(A file with no TAB but rows of figures is text a PDF tool extracted: audit/layout_flat.py reads it.
The text of each cell and paragraph, mapped back to source columns, is a layout_text.Text.)

- Cell-per-line (Word extraction): a line starting with TAB is a cell, a TAB-only line an empty
  cell, a line without TAB continues the cell above, a blank line ends the row.
- Tab-grid (PDF extraction): one row per line, cells separated by TABs.
- Narrative: everything else; consecutive non-blank lines form one paragraph.

This module holds the blocks (Cell, Row, Table, Paragraph) and the scan that finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, count, repeat
from operator import add
from typing import Union

from audit.layout_text import Text, _empty, _has_debris, _joined, _piece, _stripped
from audit.model import Span
from audit.source import Source

class Cell:
    """One table cell: normalised, stripped text (continuation lines joined with "\n"), the line it
    starts on, and `ref`, its Text.

    A one-line cell (almost all) is made with `ref=None` and where its text starts on `line`: the
    Text is built on first use, and `span` needs none, so layout makes one object per cell."""

    __slots__ = ("text", "line", "_ref", "_start", "_map")

    def __init__(self, text: str, ref: Text | None, line: int, start: int = 0, cols: list[int] | None = None):
        self.text = text
        self.line = line
        self._ref = ref
        self._start = start  # with ref None: text == line `line`'s text[start:start + len(text)]
        self._map = cols  # that line's column map (None: identity)

    @property
    def ref(self) -> Text:
        ref = self._ref
        if ref is None:
            ref = self._ref = _piece(self.line, self._start, self.text, self._map) if self.text else _empty()
        return ref

    @property
    def span(self) -> Span:
        if self._ref is None:
            return _span_at(self.line, self._start, self.text, self._map)
        return self._ref.span() or Span(line=self.line, column=1, end_line=self.line, end_column=2)

    @property
    def first_line(self) -> int:
        """Line of the text's first character (a cell whose first line is blank starts on a later one)."""
        if self._ref is None:
            return self.line
        return self._ref.position(0)[0] if self._ref._placed() else self.line

    @property
    def empty(self) -> bool:
        return not self.text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Cell):
            return NotImplemented
        return (self.text, self.ref, self.line) == (other.text, other.ref, other.line)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Cell(text={self.text!r}, line={self.line})"


def _span_at(line: int, start: int, text: str, cols: list[int] | None) -> Span:
    """Span of a one-line cell: `text` is line `line`'s normalised text from `start` (column map
    `cols`); an empty cell points at the line's first column."""
    if not text:
        return Span(line, 1, line, 2)
    end = start + len(text) - 1
    if cols is not None:
        start, end = cols[start], cols[end]
    return Span(line, start + 1, line, end + 2)


class Row:
    """One table row: `texts`, each cell's stripped text, and `cells`, the Cells.

    Most rows are only ever read as texts (budget figures, rows no fact is about), so layout
    gives a row its texts (a list made in C) and makes the Cell objects on first use of `cells`."""

    __slots__ = ("texts", "line", "end_line", "_cells", "_first", "_pieces", "_maps", "_offsets")

    def __init__(self, cells: list[Cell], line: int, end_line: int):
        self._cells: list[Cell] | None = cells
        self.texts = [c.text for c in cells]
        self.line = line
        self.end_line = end_line
        self._first = self._pieces = self._maps = self._offsets = None

    @classmethod
    def _of_lines(cls, first: int, lines: list[str], texts: list[str], maps: dict[int, list[int]]) -> "Row":
        """A cell-per-line row, one line per cell: cell k is the source line lines[first + k], stripped.

        `lines` is all the source's lines (shared, not a slice per row: a row keeps one list, its
        texts, which keeps the garbage collector's work down)."""
        row = _new_row(cls)
        row.texts, row.line, row.end_line = texts, first + 1, first + len(texts)
        row._cells, row._first, row._pieces, row._maps, row._offsets = None, first, lines, maps, None
        return row

    @classmethod
    def _of_grid(cls, index: int, pieces: list[str], texts: list[str], cols: list[int] | None) -> "Row":
        """A tab-grid row: cell k is the k-th TAB-separated piece of line index `index`, stripped."""
        row = _new_row(cls)
        row.texts, row.line = texts, index + 1
        row.end_line = row.line
        row._cells, row._first, row._pieces, row._maps, row._offsets = None, None, pieces, cols, None
        return row

    @property
    def cells(self) -> list[Cell]:
        cells = self._cells
        if cells is None:
            cells = self._cells = self._make_cells()
        return cells

    def cell(self, k: int) -> Cell:
        """cells[k], without making the row's other Cells when they are not made yet."""
        if self._cells is not None:
            return self._cells[k]
        return Cell(self.texts[k], None, *self._place(k))

    def span_of(self, k: int) -> Span:
        """cells[k].span, without making a Cell for a row that has none yet (facts want the
        spans of a few cells of most rows)."""
        if self._cells is not None:
            return self._cells[k].span
        line, start, cols = self._place(k)
        return _span_at(line, start, self.texts[k], cols)

    def _place(self, k: int) -> tuple[int, int, list[int] | None]:
        """(line, start in the line's text, the line's column map) of cell k of a row without Cells."""
        text = self.texts[k]
        if self._first is not None:
            index = self._first + k
            return index + 1, self._pieces[index].find(text), self._maps.get(index) if self._maps else None
        offsets = self._offsets
        if offsets is None:  # once per row: summing the pieces before k on every call is quadratic
            offsets = self._offsets = _grid_offsets(self._pieces)
        return self.line, offsets[k] + self._pieces[k].find(text), self._maps

    def first_line(self, k: int) -> int:
        """cells[k].first_line, without making a Cell for a row that has none yet."""
        if self._cells is not None:
            return self._cells[k].first_line
        return self.line + k if self._first is not None else self.line

    def _make_cells(self) -> list[Cell]:
        texts, pieces, first = self.texts, self._pieces, self._first
        if first is not None:
            pieces = pieces[first : first + len(texts)]
        # where each text starts in its line: its piece's offset plus the spaces stripped before it
        inner = map(str.find, pieces, texts)
        if first is not None:  # one line per cell
            maps = self._maps
            lines = range(first + 1, first + 1 + len(texts))
            cols = map(maps.get, range(first, first + len(texts))) if maps else repeat(None)
            return list(map(Cell, texts, repeat(None), lines, inner, cols))
        offsets = self._offsets
        if offsets is None:
            offsets = self._offsets = _grid_offsets(pieces)
        return list(map(Cell, texts, repeat(None), repeat(self.line), map(add, offsets, inner), repeat(self._maps)))

    @property
    def span(self) -> Span:
        return Span(line=self.line, column=1, end_line=self.end_line, end_column=None)

    def nonempty(self) -> list[Cell]:
        return [c for c in self.cells if c.text]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.cells, self.line, self.end_line) == (other.cells, other.line, other.end_line)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Row(cells={self.cells!r}, line={self.line!r}, end_line={self.end_line!r})"


_new_row = object.__new__


def _grid_offsets(pieces: list[str]) -> list[int]:
    """Where each TAB-separated piece starts in its line: the pieces and TABs before it."""
    return list(map(add, accumulate(map(len, pieces), initial=0), count()))


@dataclass(slots=True)
class Table:
    """Consecutive rows of one layout ("cells" or "grid"), in document order."""

    layout: str  # "cells" (cell-per-line) or "grid" (tab-grid)
    rows: list[Row]

    @property
    def line(self) -> int:
        return self.rows[0].line

    @property
    def end_line(self) -> int:
        return self.rows[-1].end_line

    @property
    def span(self) -> Span:
        return Span(line=self.line, column=1, end_line=self.end_line)


@dataclass(slots=True)
class Paragraph:
    """Consecutive non-blank narrative lines; `ref.text` joins them without a separator
    (Chinese sentences wrap anywhere, `136.32\\n万元` is one amount), `line_texts` keeps them apart."""

    ref: Text
    line_refs: list[Text]

    @property
    def text(self) -> str:
        return self.ref.text

    @property
    def line(self) -> int:
        for ref in self.line_refs:
            if ref._placed():
                return ref.position(0)[0]
        return 0

    @property
    def end_line(self) -> int:
        for ref in reversed(self.line_refs):
            if ref._placed():
                return ref.position(ref._size - 1)[0]
        return self.line

    @property
    def span(self) -> Span | None:
        return self.ref.span()


Block = Union[Paragraph, Table]


# A blank line is empty or whitespace-only but not a lone TAB: stripping every other whitespace
# character (str.isspace, TAB excepted) leaves nothing.
_SPACE_BUT_TAB = "\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# In a run's lines, each after a "\n": text before a TAB (a tab-grid row: cell-per-line cells
# always start with their TAB), and a cell line holding a second TAB. The leading "\n" lets the
# regex engine skip to line starts.
_GRID_LINE = re.compile(r"\n[^\S\t\n]*\S[^\t\n]*\t")
_TWO_TABS = re.compile(r"\n\t[^\t\n]*\t")


# A run of non-blank lines in "\n" + "\n".join(lines), each line after its "\n": a line is not
# blank when, after any whitespace other than TAB, it has a TAB or a non-space character. One scan
# of the file finds them all (no per-line strip). Every repetition is possessive: what follows it
# never matches what it took, so giving back cannot help, and the engine keeps no backtracking state
# per line (a third less work than the plain form on the corpus).
_RUN = re.compile(r"\n[^\S\t\n]*+[\S\t][^\n]*+(?:\n[^\S\t\n]*+[\S\t][^\n]*+)*+")


def _is_grid_run(whole: str, start: int, end: int) -> bool:
    """Tab-grid if one line has text before a TAB, or most cell lines hold two TABs or more.

    whole[start:end]: the run's lines, each after a "\n"."""
    tabbed = whole.count("\n\t", start, end)
    if whole.count("\t", start, end) == tabbed:
        return False  # every TAB opens a line: one-TAB cell lines (or no TAB at all)
    if _GRID_LINE.search(whole, start, end):
        return True
    multi = len(_TWO_TABS.findall(whole, start, end))
    return multi >= 2 and multi * 2 > tabbed


def _debris_lines(whole: str) -> set[int]:
    """Indices of the lines that may hold debris: a substring search of the whole text per hint
    (what _has_debris looks for first), not a scan per line. `whole`: each line after a "\n"."""
    hits: list[int] = []
    for hint in _DEBRIS_HINTS:
        at = whole.find(hint)
        while at >= 0:
            hits.append(at)
            at = whole.find(hint, at + 1)
    found: set[int] = set()
    index, at = -1, 0
    for hit in sorted(hits):  # in order: count the line breaks since the last one
        index += whole.count("\n", at, hit)
        at = hit
        found.add(index)
    return found


_DEBRIS_HINTS = ("TC", "**", "u>", "[bookmark:")


class _Lines:
    """The source's texts, column maps and debris hints, read by line index (0-based)."""

    __slots__ = ("texts", "maps", "debris")

    def __init__(self, source: Source, whole: str):
        self.texts = source.texts
        self.maps = source.maps
        self.debris = _debris_lines(whole)

    def stripped(self, index: int, start: int = 0, end: int | None = None) -> Text:
        text = self.texts[index]
        return _stripped(index + 1, text, self.maps.get(index), start, len(text) if end is None else end, index in self.debris)

    def grid_row(self, index: int) -> Row:
        text = self.texts[index]
        number = index + 1
        cols = self.maps.get(index)
        cells: list[Cell] = []
        start = 0
        if index in self.debris and _has_debris(text):
            for piece in text.split("\t"):
                end = start + len(piece)
                ref = _stripped(number, text, cols, start, end, True)
                cells.append(Cell(ref.text, ref, number))
                start = end + 1
            return Row(cells, number, number)
        pieces = text.split("\t")
        return Row._of_grid(index, pieces, list(map(str.strip, pieces)), cols)

    def cell_row(self, first: int, stop: int) -> Row:
        """Cells of one cell-per-line row (texts[first] starts with a TAB); a one-line cell takes a short path."""
        texts, maps, debris = self.texts, self.maps, self.debris
        cells: list[Cell] = []
        lines = texts[first:stop]
        if all(map(str.startswith, lines, repeat("\t"))) and (not debris or debris.isdisjoint(range(first, stop))):
            # one line per cell, no debris: the common row (the leading TAB goes with the whitespace)
            return Row._of_lines(first, texts, list(map(str.strip, lines)), maps)
        i = first
        while i < stop:
            text = texts[i]
            j = i + 1
            while j < stop and texts[j][0] != "\t":
                j += 1  # continuation lines of this cell
            if j == i + 1 and i not in debris:
                body = text.strip()  # the leading TAB goes with the whitespace
                cells.append(Cell(body, None, i + 1, text.find(body) if body else 0, maps.get(i)))
                i = j
                continue
            if j == i + 1:
                ref = _stripped(i + 1, text, maps.get(i), 1, len(text), True)
            else:
                ref = Text()
                ref._append(i + 1, text, maps.get(i), 1)
                for k in range(i + 1, j):
                    ref.join("\n")
                    ref._append(k + 1, texts[k], maps.get(k))
                ref = ref.strip()
            cells.append(Cell(ref.text, ref, i + 1))
            i = j
        return Row(cells, first + 1, stop)

    def paragraph(self, first: int, stop: int) -> Paragraph | None:
        if stop - first == 1:  # most paragraphs are one line: no list to filter
            ref = self.stripped(first)
            line_refs = [ref] if ref._size else []
        else:
            line_refs = [ref for ref in map(self.stripped, range(first, stop)) if ref._size]
        if not line_refs:
            return None
        if len(line_refs) == 1:
            return Paragraph(line_refs[0]._slice(0, line_refs[0]._size), line_refs)  # a copy: texts are mutable
        return Paragraph(_joined(line_refs), line_refs)


def blocks(source: Source) -> list[Block]:
    """Split a source into paragraphs and tables, in document order."""
    out: list[Block] = []
    table: Table | None = None
    texts = source.texts
    whole = "\n" + "\n".join(texts)  # each line after a "\n": runs are found and sorted in it
    if "\t" not in whole:
        from audit import layout_flat  # the fourth layout builds on this module's blocks

        if layout_flat.looks_flat(texts):
            return layout_flat.blocks(source)
    lines = _Lines(source, whole)

    def close_table() -> None:
        nonlocal table
        if table is not None and table.rows:
            out.append(table)
        table = None

    def add_row(layout: str, row: Row) -> None:
        nonlocal table
        if table is None or table.layout != layout:
            close_table()
            table = Table(layout, [])
        table.rows.append(row)

    maps, debris = lines.maps, lines.debris
    count_in = whole.count
    first = at = 0  # whole[at] is the "\n" before texts[first]
    for match in _RUN.finditer(whole):
        start, end = match.span()
        first += count_in("\n", at, start)
        at = end
        run = match.group()  # counting in a copy is cheaper than passing start and end
        tabs = run.count("\n")  # the run's lines
        stop = first + tabs
        tabbed = run.count("\t")
        if tabbed == tabs == run.count("\n\t") and (not debris or debris.isdisjoint(range(first, stop))):
            # The common run: one TAB per line, each opening it — one cell-per-line row, one
            # line per cell, no debris (cell_row's short path, taken without its tests).
            if table is None or table.layout != "cells":
                close_table()
                table = Table("cells", [])
            table.rows.append(Row._of_lines(first, texts, list(map(str.strip, texts[first:stop])), maps))
        elif not tabbed:  # narrative only: one paragraph (no table test, no search for a cell)
            para = lines.paragraph(first, stop)
            if para is not None:
                close_table()
                out.append(para)
        elif _is_grid_run(whole, start, end):
            for index in range(first, stop):
                if "\t" in texts[index]:
                    add_row("grid", lines.grid_row(index))
                else:
                    para = lines.paragraph(index, index + 1)
                    if para is not None:
                        close_table()
                        out.append(para)
        else:
            tab = whole.find("\n\t", start, end)
            first_cell = stop if tab < 0 else first + count_in("\n", start, tab)
            if first_cell > first:
                para = lines.paragraph(first, first_cell)
                if para is not None:
                    close_table()
                    out.append(para)
            if first_cell < stop:
                add_row("cells", lines.cell_row(first_cell, stop))
        first = stop
    close_table()
    return out
