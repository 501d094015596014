"""Source → Blocks: tell narrative paragraphs from the two table layouts, keeping every line span.

(A file with no TAB but rows of figures is text a PDF tool extracted: audit/layout_flat.py reads it.)

- Cell-per-line (Word extraction): a line starting with TAB is a cell, a TAB-only line an empty
  cell, a line without TAB continues the cell above, a blank line ends the row.
- Tab-grid (PDF extraction): one row per line, cells separated by TABs.
- Narrative: everything else; consecutive non-blank lines form one paragraph.

Word-field debris (`TC 1、… \\f C \\l 1`, `[bookmark: _Toc…]`, `<u> </u>`, `**`) is cut out of the
text the later stages see, but the offsets of what remains still map to the original columns.

Speed: a layout.Text keeps runs (one per source-line piece), not one list entry per character, and
joins its text once; this keeps layout linear in the size of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, count, repeat
from operator import add, itemgetter
from typing import Iterator, Union

from audit.model import Span
from audit.source import Line, Source

# Every repetition is bounded so that a 1 MB line full of near-misses stays linear.
_DEBRIS = re.compile(
    r"\[bookmark:[^\]\n]{0,300}\]"  # Word bookmarks
    r"|\sTC\s.{0,200}?\\f\s{0,20}C\s{0,20}\\l\s{0,20}\d{1,3}\s*"  # Word TOC field: ` TC 1、… \f C \l 1`
    r"|</?u>|\*\*"  # HTML/Markdown emphasis left by converters
)

# A run maps text[offset:next offset] to a piece of one source line:
# (offset in text, line number, index into the line's text, the line's column map or None for identity)
_Run = tuple[int, int, int, "list[int] | None"]
_offset = itemgetter(0)


def _has_debris(segment: str) -> bool:
    """Cheap substring tests first: almost no line has debris."""
    if "TC" in segment or "**" in segment or "u>" in segment or "[bookmark:" in segment:
        return _DEBRIS.search(segment) is not None
    return False


class Text:
    """Normalised text of a cell or paragraph, with each character's place in the original file.

    `text`, `lines` (1-based line of text[i]) and `cols` (0-based original column of text[i]) read
    as before; internally they are runs over source lines, built without per-character lists.
    Most texts (a cell, a paragraph line) are one run: it is kept in three fields instead of a list
    of tuples, so building one allocates nothing but the object, and `span` needs no search.
    """

    __slots__ = ("_done", "_parts", "_size", "_runs", "_line", "_start", "_map", "_lines", "_cols")

    def __init__(self, text: str = "", lines: list[int] | None = None, cols: list[int] | None = None):
        self._done = text
        self._parts: list[str] | None = None  # pieces appended since `text` was last joined
        self._size = len(text)
        # None: one run, text[0:] ↔ line `_line` from offset `_start` (column map `_map`);
        # else the runs, () while there are none (then the text has no places).
        self._runs: list[_Run] | tuple | None = ()
        self._line = self._start = 0
        self._map: list[int] | None = None
        self._lines: list[int] | None = None
        self._cols: list[int] | None = None
        if lines is not None or cols is not None:
            lines, cols = list(lines or ()), list(cols or ())
            if not (len(lines) == len(cols) == len(text)):
                raise ValueError("Text: text, lines and cols must have the same length")
            runs: list[_Run] = []
            for i, (line, col) in enumerate(zip(lines, cols)):
                if runs:
                    off, ln, start, _ = runs[-1]
                    if ln == line and start + (i - off) == col:
                        continue  # extends the current identity run
                runs.append((i, line, col, None))
            self._runs = runs

    @classmethod
    def of(cls, line: Line, start: int = 0, end: int | None = None) -> "Text":
        """line.text[start:end] as it is (no debris removal, no stripping)."""
        end = len(line.text) if end is None else end
        return _piece(line.number, start, line.text[start:end], line.cols) if end > start else cls()

    # -- building -------------------------------------------------------------------------

    def append(self, line: Line, start: int = 0, end: int | None = None) -> None:
        """Add line.text[start:end] with debris removed."""
        self._append(line.number, line.text, line.cols, start, end)

    def _append(self, number: int, text: str, cols: list[int] | None, start: int = 0, end: int | None = None) -> None:
        end = len(text) if end is None else end
        if end <= start:
            return
        segment = text[start:end]
        if not _has_debris(segment):
            self._add(number, text, cols, start, end)
            return
        pos = start
        for match in _DEBRIS.finditer(segment):
            self._add(number, text, cols, pos, start + match.start())
            pos = start + match.end()
        self._add(number, text, cols, pos, end)

    def _add(self, number: int, text: str, cols: list[int] | None, start: int, end: int) -> None:
        if end <= start:
            return
        self._pending().append(text[start:end])
        self._grow().append((self._size, number, start, cols))
        self._size += end - start
        self._lines = self._cols = None

    def join(self, separator: str, line: Line | None = None) -> None:
        """Add a separator that stands for a line break (it maps to the end of the previous line)."""
        if not self._size or not separator:
            return
        last_line, last_col = self.position(self._size - 1)
        self._pending().append(separator)
        self._grow().append((self._size, last_line, 0, [last_col + 1] * len(separator)))
        self._size += len(separator)
        self._lines = self._cols = None

    def extend(self, other: "Text") -> None:
        """Add another Text's characters, keeping their places."""
        if not other._size:
            return
        shift = self._size
        runs = other._all_runs()
        if runs:
            self._grow().extend((off + shift, ln, start, cols) for off, ln, start, cols in runs)
        self._pending().append(other.text)
        self._size += other._size
        self._lines = self._cols = None

    def _grow(self) -> list[_Run]:
        if type(self._runs) is not list:
            self._runs = self._all_runs()
        return self._runs

    def _all_runs(self) -> list[_Run]:
        """The runs as a list (a new one for a text of one run)."""
        runs = self._runs
        if runs is None:
            return [(0, self._line, self._start, self._map)]
        return runs if type(runs) is list else list(runs)

    def _pending(self) -> list[str]:
        if self._parts is None:
            self._parts = []
        return self._parts

    # -- reading --------------------------------------------------------------------------

    @property
    def text(self) -> str:
        if self._parts:
            self._done = self._done + "".join(self._parts) if self._done else "".join(self._parts)
            self._parts = None
        return self._done

    def _ends(self, runs: list[_Run]) -> list[int]:
        """End offset of each run."""
        return [run[0] for run in runs[1:]] + [self._size]

    def position(self, index: int) -> tuple[int, int]:
        """(1-based line, 0-based original column) of text[index]."""
        runs = self._runs
        if not 0 <= index < self._size:
            raise IndexError(index)
        if runs is None:
            at = self._start + index
            return self._line, (at if self._map is None else self._map[at])
        if not runs:
            raise IndexError(index)
        off, line, start, cols = runs[bisect_right(runs, index, key=_offset) - 1]
        at = start + index - off
        return line, (at if cols is None else cols[at])

    @property
    def lines(self) -> list[int]:
        if self._lines is None:
            if self._runs is None:
                self._lines = [self._line] * self._size
            else:
                out: list[int] = []
                for (off, line, _, _), stop in zip(self._runs, self._ends(self._runs)):
                    out.extend([line] * (stop - off))
                self._lines = out
        return self._lines

    @property
    def cols(self) -> list[int]:
        if self._cols is None:
            out: list[int] = []
            runs = self._all_runs()
            for (off, _, start, cols), stop in zip(runs, self._ends(runs)):
                stop = start + stop - off
                out.extend(range(start, stop) if cols is None else cols[start:stop])
            self._cols = out
        return self._cols

    def slice(self, start: int = 0, end: int | None = None) -> "Text":
        """text[start:end] with its places (cheaper than Text(text[a:b], lines[a:b], cols[a:b]))."""
        left, right, _ = slice(start, end).indices(self._size)
        return self._slice(left, right)

    def _slice(self, left: int, right: int) -> "Text":
        if right <= left:
            return Text()
        if self._runs is None:
            return _piece(self._line, self._start + left, self.text[left:right], self._map)
        out = Text(self.text[left:right])
        out._runs = []
        for (off, line, start, cols), stop in zip(self._runs, self._ends(self._runs)):
            lo, hi = max(off, left), min(stop, right)
            if lo < hi:
                out._runs.append((lo - left, line, start + lo - off, cols))
        return out

    def strip(self) -> "Text":
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if left == 0 and right == len(text):
            return self
        return self._slice(left, right)

    def span(self, start: int = 0, end: int | None = None) -> Span | None:
        """Original-file span of text[start:end] (None for an empty text).

        Facts call this in their inner loops: a text of one run (most) needs no search."""
        size = self._size
        runs = self._runs
        if not size or (runs is not None and not runs):
            return None
        if end is None or end > size:
            end = size
        if start < 0:
            start = 0
        elif start >= size:
            start = size - 1
        last = end - 1 if end - 1 > start else start
        if runs is None:
            line, base, cols = self._line, self._start, self._map
            if cols is None:
                return Span(line, base + start + 1, line, base + last + 2)
            return Span(line, cols[base + start] + 1, line, cols[base + last] + 2)
        line, col = self.position(start)
        end_line, end_col = self.position(last)
        return Span(line, col + 1, end_line, end_col + 2)

    def _placed(self) -> bool:
        """Has characters, and places for them."""
        return self._size > 0 and (self._runs is None or len(self._runs) > 0)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Text({self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.text == other.text and self.lines == other.lines and self.cols == other.cols

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces


_new_text = Text.__new__


def _piece(number: int, start: int, text: str, cols: list[int] | None) -> Text:
    """A Text of one run: `text` is line `number`'s text[start:start + len(text)] (layout's hot path)."""
    ref = _new_text(Text)
    ref._done = text
    ref._parts = ref._lines = ref._cols = ref._runs = None
    ref._size = len(text)
    ref._line = number
    ref._start = start
    ref._map = cols
    return ref


def _empty() -> Text:
    """Text() without the call to __init__ (a third of all cells are empty)."""
    ref = _new_text(Text)
    ref._done = ""
    ref._parts = ref._lines = ref._cols = ref._map = None
    ref._runs = ()
    ref._size = ref._line = ref._start = 0
    return ref


def _joined(refs: list[Text]) -> Text:
    """A new Text of `refs` one after the other (as Text().extend of each, without its per-call work)."""
    runs: list[_Run] = []
    size = 0
    for ref in refs:
        if ref._runs is None:
            runs.append((size, ref._line, ref._start, ref._map))
        elif size:
            runs.extend([(off + size, ln, start, cols) for off, ln, start, cols in ref._runs])
        else:
            runs.extend(ref._runs)
        size += ref._size
    out = Text("".join([ref.text for ref in refs]))
    out._runs = runs
    return out


def _stripped(number: int, text: str, cols: list[int] | None, start: int, end: int, debris: bool) -> Text:
    """text[start:end] of line `number`, debris removed, whitespace stripped: one cell or paragraph line.

    `debris=False` says the caller knows the line has none."""
    segment = text[start:end]
    if debris and _has_debris(segment):
        ref = Text()
        ref._append(number, text, cols, start, end)
        return ref.strip()
    body = segment.strip()
    if not body:
        return _empty()
    if body is segment:
        return _piece(number, start, body, cols)
    return _piece(number, start + segment.find(body), body, cols)


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
