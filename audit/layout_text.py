"""layout.Text: the normalised text of a cell or paragraph, with each character's place in the file.

Layout (audit/layout.py) cuts lines into cells and paragraphs; every later stage reads their text
and must still point at the original line and column. This module holds that mapping and the cuts
that build it: Word-field debris (`TC 1、… \\f C \\l 1`, `[bookmark: _Toc…]`, `<u> </u>`, `**`) is
removed from the text, but the offsets of what remains still map to the original columns.

Speed: a Text keeps runs (one per source-line piece), not one list entry per character, and joins
its text once; this keeps layout linear in the size of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

from audit.model import Span
from audit.source import Line

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
