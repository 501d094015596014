"""Source → Blocks: tell narrative paragraphs from the two table layouts, keeping every line span.

- Cell-per-line (Word extraction): a line starting with TAB is a cell, a TAB-only line an empty
  cell, a line without TAB continues the cell above, a blank line ends the row.
- Tab-grid (PDF extraction): one row per line, cells separated by TABs.
- Narrative: everything else; consecutive non-blank lines form one paragraph.

Word-field debris (`TC 1、… \\f C \\l 1`, `[bookmark: _Toc…]`, `<u> </u>`, `**`) is cut out of the
text the later stages see, but the offsets of what remains still map to the original columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Union

from audit.model import Span
from audit.source import Line, Source

_DEBRIS = re.compile(
    r"\[bookmark:[^\]]*\]"  # Word bookmarks
    r"|\sTC\s.*?\\f\s*C\s*\\l\s*\d+\s*"  # Word TOC field: ` TC 1、… \f C \l 1`
    r"|</?u>|\*\*"  # HTML/Markdown emphasis left by converters
)


@dataclass(slots=True)
class Text:
    """Normalised text of a cell or paragraph, with each character's place in the original file."""

    text: str = ""
    lines: list[int] = field(default_factory=list)  # 1-based line of text[i]
    cols: list[int] = field(default_factory=list)  # 0-based original column of text[i]

    def append(self, line: Line, start: int = 0, end: int | None = None) -> None:
        """Add line.text[start:end] with debris removed."""
        end = len(line.text) if end is None else end
        segment = line.text[start:end]
        pos = start
        for match in _DEBRIS.finditer(segment):
            self._add(line, pos, start + match.start())
            pos = start + match.end()
        self._add(line, pos, end)

    def _add(self, line: Line, start: int, end: int) -> None:
        if end <= start:
            return
        self.text += line.text[start:end]
        self.lines.extend([line.number] * (end - start))
        if line.cols is None:
            self.cols.extend(range(start, end))
        else:
            self.cols.extend(line.cols[start:end])

    def join(self, separator: str, line: Line) -> None:
        """Add a separator that stands for a line break (it maps to the end of the previous line)."""
        if not self.text:
            return
        self.text += separator
        self.lines.extend([self.lines[-1]] * len(separator))
        self.cols.extend([self.cols[-1] + 1] * len(separator))

    def strip(self) -> "Text":
        text = self.text
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        if left == 0 and right == len(text):
            return self
        return Text(text[left:right], self.lines[left:right], self.cols[left:right])

    def span(self, start: int = 0, end: int | None = None) -> Span | None:
        """Original-file span of text[start:end] (None for an empty text)."""
        end = len(self.text) if end is None else end
        if not self.text:
            return None
        start = max(0, min(start, len(self.text) - 1))
        last = max(start, min(end, len(self.text)) - 1)
        return Span(
            line=self.lines[start],
            column=self.cols[start] + 1,
            end_line=self.lines[last],
            end_column=self.cols[last] + 2,
        )

    def __str__(self) -> str:
        return self.text


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
        return self.line_refs[0].lines[0] if self.line_refs and self.line_refs[0].lines else 0

    @property
    def end_line(self) -> int:
        for ref in reversed(self.line_refs):
            if ref.lines:
                return ref.lines[-1]
        return self.line

    @property
    def span(self) -> Span | None:
        return self.ref.span()


Block = Union[Paragraph, Table]


def _is_grid_line(text: str) -> bool:
    """Text before a TAB: a tab-grid row (cell-per-line cells always start with their TAB)."""
    tab = text.find("\t")
    return tab > 0 and bool(text[:tab].strip())


def _line_blocks(lines: list[Line]) -> Iterator[list[Line]]:
    """Maximal runs of non-blank lines (a blank line is empty or whitespace-only but not a lone TAB)."""
    run: list[Line] = []
    for line in lines:
        if line.text.strip() == "" and "\t" not in line.text:
            if run:
                yield run
                run = []
        else:
            run.append(line)
    if run:
        yield run


def _is_grid_run(run: list[Line]) -> bool:
    if any(_is_grid_line(line.text) for line in run):
        return True
    tabbed = [line for line in run if line.text.startswith("\t")]
    multi = [line for line in tabbed if line.text.count("\t") >= 2]
    return len(multi) >= 2 and len(multi) * 2 > len(tabbed)


def _grid_row(line: Line) -> Row:
    cells: list[Cell] = []
    start = 0
    text = line.text
    while True:
        tab = text.find("\t", start)
        end = len(text) if tab < 0 else tab
        ref = Text()
        ref.append(line, start, end)
        ref = ref.strip()
        cells.append(Cell(ref.text, ref, line.number))
        if tab < 0:
            break
        start = tab + 1
    return Row(cells, line.number, line.number)


def _cell_row(run: list[Line]) -> Row:
    cells: list[Cell] = []
    refs: list[Text] = []
    for line in run:
        if line.text.startswith("\t"):
            ref = Text()
            ref.append(line, 1)
            refs.append(ref)
            cells.append(Cell("", ref, line.number))
        elif refs:
            refs[-1].join("\n", line)
            refs[-1].append(line)
    for cell, ref in zip(cells, refs):
        stripped = ref.strip()
        cell.ref = stripped
        cell.text = stripped.text
    return Row(cells, run[0].number, run[-1].number)


def _paragraph(run: list[Line]) -> Paragraph | None:
    whole = Text()
    line_refs: list[Text] = []
    for line in run:
        ref = Text()
        ref.append(line)
        ref = ref.strip()
        if not ref.text:
            continue
        line_refs.append(ref)
        whole.text += ref.text
        whole.lines.extend(ref.lines)
        whole.cols.extend(ref.cols)
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
