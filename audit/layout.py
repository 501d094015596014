"""Source → Blocks: tell narrative paragraphs from the two table layouts, keeping every line span.

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
from operator import itemgetter
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
    """

    __slots__ = ("_done", "_parts", "_size", "_runs", "_lines", "_cols")

    def __init__(self, text: str = "", lines: list[int] | None = None, cols: list[int] | None = None):
        self._done = text
        self._parts: list[str] | None = None  # pieces appended since `text` was last joined
        self._size = len(text)
        self._runs: list[_Run] | tuple = ()  # a list once something is added
        self._lines: list[int] | None = None
        self._cols: list[int] | None = None
        if lines is not None or cols is not None:
            lines, cols = list(lines or ()), list(cols or ())
            self._runs = []
            if not (len(lines) == len(cols) == len(text)):
                raise ValueError("Text: text, lines and cols must have the same length")
            for i, (line, col) in enumerate(zip(lines, cols)):
                if self._runs:
                    off, ln, start, _ = self._runs[-1]
                    if ln == line and start + (i - off) == col:
                        continue  # extends the current identity run
                self._runs.append((i, line, col, None))

    @classmethod
    def of(cls, line: Line, start: int = 0, end: int | None = None) -> "Text":
        """line.text[start:end] as it is (no debris removal, no stripping)."""
        end = len(line.text) if end is None else end
        return _run_text(line, start, end, line.text[start:end]) if end > start else cls()

    # -- building -------------------------------------------------------------------------

    def append(self, line: Line, start: int = 0, end: int | None = None) -> None:
        """Add line.text[start:end] with debris removed."""
        end = len(line.text) if end is None else end
        if end <= start:
            return
        segment = line.text[start:end]
        if not _has_debris(segment):
            self._add(line, start, end)
            return
        pos = start
        for match in _DEBRIS.finditer(segment):
            self._add(line, pos, start + match.start())
            pos = start + match.end()
        self._add(line, pos, end)

    def _add(self, line: Line, start: int, end: int) -> None:
        if end <= start:
            return
        self._pending().append(line.text[start:end])
        self._grow().append((self._size, line.number, start, line.cols))
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
        if other._runs:
            shift = self._size
            self._grow().extend((off + shift, ln, start, cols) for off, ln, start, cols in other._runs)
        self._pending().append(other.text)
        self._size += other._size
        self._lines = self._cols = None

    def _grow(self) -> list[_Run]:
        if type(self._runs) is not list:
            self._runs = list(self._runs)
        return self._runs

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

    def _run_end(self, k: int) -> int:
        return self._runs[k + 1][0] if k + 1 < len(self._runs) else self._size

    def position(self, index: int) -> tuple[int, int]:
        """(1-based line, 0-based original column) of text[index]."""
        runs = self._runs
        if not runs or not 0 <= index < self._size:
            raise IndexError(index)
        off, line, start, cols = runs[bisect_right(runs, index, key=_offset) - 1]
        at = start + index - off
        return line, (at if cols is None else cols[at])

    @property
    def lines(self) -> list[int]:
        if self._lines is None:
            out: list[int] = []
            for k, (off, line, _, _) in enumerate(self._runs):
                out.extend([line] * (self._run_end(k) - off))
            self._lines = out
        return self._lines

    @property
    def cols(self) -> list[int]:
        if self._cols is None:
            out: list[int] = []
            for k, (off, _, start, cols) in enumerate(self._runs):
                stop = start + self._run_end(k) - off
                out.extend(range(start, stop) if cols is None else cols[start:stop])
            self._cols = out
        return self._cols

    def slice(self, start: int = 0, end: int | None = None) -> "Text":
        """text[start:end] with its places (cheaper than Text(text[a:b], lines[a:b], cols[a:b]))."""
        left, right, _ = slice(start, end).indices(self._size)
        return self._slice(left, right)

    def _slice(self, left: int, right: int) -> "Text":
        out = Text(self.text[left:right])
        if right <= left:
            out._done, out._size = "", 0
            return out
        out._runs = []
        for k, (off, line, start, cols) in enumerate(self._runs):
            lo, hi = max(off, left), min(self._run_end(k), right)
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
        """Original-file span of text[start:end] (None for an empty text)."""
        size = self._size
        end = size if end is None else end
        if not size or not self._runs:
            return None
        start = max(0, min(start, size - 1))
        last = max(start, min(end, size) - 1)
        line, col = self.position(start)
        end_line, end_col = self.position(last)
        return Span(line=line, column=col + 1, end_line=end_line, end_column=end_col + 2)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Text({self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return self.text == other.text and self.lines == other.lines and self.cols == other.cols

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces


def _run_text(line: Line, start: int, end: int, text: str) -> Text:
    """A Text of one run, line.text[start:end] == text (the hot path of layout: no __init__)."""
    ref = Text.__new__(Text)
    ref._done = text
    ref._parts = None
    ref._size = end - start
    ref._runs = [(0, line.number, start, line.cols)]
    ref._lines = ref._cols = None
    return ref


def _stripped(line: Line, start: int, end: int, debris: bool = True) -> Text:
    """line.text[start:end], debris removed, whitespace stripped: one cell or paragraph line.

    `debris=False` says the caller knows the whole line has none."""
    segment = line.text[start:end]
    if debris and _has_debris(segment):
        ref = Text()
        ref.append(line, start, end)
        return ref.strip()
    body = segment.strip()
    if not body:
        return Text()
    left = start + len(segment) - len(segment.lstrip())
    return _run_text(line, left, left + len(body), body)


@dataclass(slots=True)
class Cell:
    text: str  # normalised, stripped; continuation lines joined with "\n"
    ref: Text
    line: int  # where the cell starts

    @property
    def span(self) -> Span:
        return self.ref.span() or Span(line=self.line, column=1, end_line=self.line, end_column=2)

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass(slots=True)
class Row:
    cells: list[Cell]
    line: int
    end_line: int

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def span(self) -> Span:
        return Span(line=self.line, column=1, end_line=self.end_line, end_column=None)

    def nonempty(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


@dataclass(slots=True)
class Table:
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
            if ref._size and ref._runs:
                return ref.position(0)[0]
        return 0

    @property
    def end_line(self) -> int:
        for ref in reversed(self.line_refs):
            if ref._size and ref._runs:
                return ref.position(ref._size - 1)[0]
        return self.line

    @property
    def span(self) -> Span | None:
        return self.ref.span()


Block = Union[Paragraph, Table]


def _is_grid_line(text: str) -> bool:
    """Text before a TAB: a tab-grid row (cell-per-line cells always start with their TAB)."""
    tab = text.find("\t")
    return tab > 0 and not text[:tab].isspace()


def _line_blocks(lines: list[Line]) -> Iterator[list[Line]]:
    """Maximal runs of non-blank lines (a blank line is empty or whitespace-only but not a lone TAB)."""
    run: list[Line] = []
    for line in lines:
        text = line.text
        if (not text or text.isspace()) and "\t" not in text:
            if run:
                yield run
                run = []
        else:
            run.append(line)
    if run:
        yield run


def _is_grid_run(run: list[Line]) -> bool:
    tabbed = 0
    multi = 0
    for line in run:
        text = line.text
        if "\t" not in text:
            continue
        if _is_grid_line(text):
            return True
        if text[0] == "\t":
            tabbed += 1
            if text.count("\t") >= 2:
                multi += 1
    return multi >= 2 and multi * 2 > tabbed


def _grid_row(line: Line) -> Row:
    text = line.text
    number = line.number
    cells: list[Cell] = []
    start = 0
    debris = _has_debris(text)
    for piece in text.split("\t"):
        end = start + len(piece)
        ref = _stripped(line, start, end, debris)
        cells.append(Cell(ref.text, ref, number))
        start = end + 1
    return Row(cells, number, number)


def _cell_row(run: list[Line]) -> Row:
    """Cells of one cell-per-line row; the common one-line cell takes a short path."""
    cells: list[Cell] = []
    n = len(run)
    i = 0
    while i < n and not run[i].text.startswith("\t"):
        i += 1  # lines before the first cell belong to no cell
    while i < n:
        first = run[i]
        j = i + 1
        while j < n and not run[j].text.startswith("\t"):
            j += 1  # continuation lines of this cell
        text = first.text
        if j == i + 1:
            segment = text[1:]
            if _has_debris(segment):
                ref = _stripped(first, 1, len(text))
            else:
                body = segment.strip()
                if body:
                    left = 1 + len(segment) - len(segment.lstrip())
                    ref = _run_text(first, left, left + len(body), body)
                else:
                    ref = Text()
        else:
            ref = Text()
            ref.append(first, 1)
            for line in run[i + 1 : j]:
                ref.join("\n", line)
                ref.append(line)
            ref = ref.strip()
        cells.append(Cell(ref.text, ref, first.number))
        i = j
    return Row(cells, run[0].number, run[-1].number)


def _paragraph(run: list[Line]) -> Paragraph | None:
    whole = Text()
    line_refs: list[Text] = []
    for line in run:
        ref = _stripped(line, 0, len(line.text))
        if not ref._size:
            continue
        line_refs.append(ref)
        whole.extend(ref)
    if not line_refs:
        return None
    return Paragraph(whole, line_refs)


def blocks(source: Source) -> list[Block]:
    """Split a source into paragraphs and tables, in document order."""
    out: list[Block] = []
    table: Table | None = None

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

    for run in _line_blocks(source.lines):
        if _is_grid_run(run):
            for line in run:
                if "\t" in line.text:
                    add_row("grid", _grid_row(line))
                else:
                    para = _paragraph([line])
                    if para is not None:
                        close_table()
                        out.append(para)
            continue
        first_cell = next((i for i, line in enumerate(run) if line.text.startswith("\t")), None)
        lead = run if first_cell is None else run[:first_cell]
        if lead:
            para = _paragraph(lead)
            if para is not None:
                close_table()
                out.append(para)
        if first_cell is not None:
            add_row("cells", _cell_row(run[first_cell:]))
    close_table()
    return out
