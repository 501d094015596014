"""Document → Source: the tab-grid text the facts stage reads, with every line's way back.

Each paragraph is one line followed by a blank line; each table is its title line and its caption
or unit line (`单位：万元`), each a paragraph (a blank line after it), then one line per row with
the cells joined by TAB (covered cells empty), then a blank line. For every rendered line the origin is kept — for a table row, per cell, the columns
of the line it occupies — so a finding on line L, column C is turned back into a place a reader
can find: file, page, table title, row label, column name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from audit.document import Document, Origin, Paragraph, Table
from audit.model import Place
from audit.source import Source, from_bytes

_LINE_BREAKS = str.maketrans({"\r": "", "\n": "", "\t": " "})
_AMOUNT = re.compile(r"^[-−]?[\d,，]+(?:\.\d+)?%?$")


@dataclass(slots=True)
class LineOrigin:
    """Where one rendered line came from. A table row line also knows its table, its row and,
    for each cell, the 0-based column where the cell's text starts in the line."""

    origin: Origin
    table: Table | None = None
    row: int | None = None
    starts: list[int] | None = None  # starts[k]: column where cell k's text begins


def _clean(text: str) -> str:
    return text.translate(_LINE_BREAKS)


def render(document: Document) -> tuple[list[str], list[LineOrigin | None]]:
    lines: list[str] = []
    origins: list[LineOrigin | None] = []

    def emit(text: str, origin: LineOrigin | None) -> None:
        lines.append(text)
        origins.append(origin)

    for block in document.blocks:
        if isinstance(block, Paragraph) and block.origin.line is not None:
            # a line of a text file joined into a publication: as it is, TABs and all, so that
            # layout reads that file's tables as it would alone (its own blank lines are there)
            emit(block.text.replace("\r", "").replace("\n", ""), LineOrigin(block.origin))
            continue
        if isinstance(block, Paragraph):
            emit(_clean(block.text), LineOrigin(block.origin))
        else:
            # the title and the unit line are paragraphs of their own, as the facts stage reads a
            # table's title (the paragraph before it) and its 编制单位/单位 lines (meta paragraphs)
            if block.title:
                emit(_clean(block.title), LineOrigin(block.origin, block))
                emit("", None)
            if block.caption or block.unit:
                emit(_clean(block.caption or f"单位：{block.unit}"), LineOrigin(block.origin, block))
                emit("", None)
            for index, row in enumerate(block.rows):
                texts = [_clean(cell.text) for cell in row]
                starts, at = [], 0
                for text in texts:
                    starts.append(at)
                    at += len(text) + 1
                emit("\t".join(texts), LineOrigin(block.origin, block, index, starts))
        emit("", None)
    return lines, origins


def to_source(document: Document) -> Source:
    """The document as a Source (path: the file the user named; encoding: its format)."""
    lines, origins = render(document)
    text = "\n".join(lines) + "\n"
    source = from_bytes(text.encode("utf-8"), document.path)
    source.encoding = document.format
    source.origins = origins
    source.reader_notes.extend(document.notes)
    return source


def place(source: Source, line: int, column: int = 1) -> Place | None:
    """The place in the original of 1-based `line`, `column` of a rendered source: file, page,
    box, and for a table cell the table's title, the row's label and the column's name."""
    origins = source.origins
    if not origins or not 1 <= line <= len(origins):
        return None
    found = origins[line - 1]
    if found is None:
        return None
    if found.table is None or found.row is None or found.starts is None:
        origin = found.origin
        title = found.table.title if found.table is not None else None
        return Place(file=origin.file, page=origin.page, bbox=origin.bbox, table=title or None)
    table, row = found.table, table_row(found)
    col = max(bisect_right(found.starts, column - 1) - 1, 0)
    cell = row[col] if col < len(row) else None
    origin = cell.origin if cell is not None else found.origin  # the cell's own page, box or A1 reference
    return Place(
        file=origin.file,
        page=origin.page,
        bbox=origin.bbox,
        table=table.title or None,
        row=row_label(table, found.row, col),
        column=column_name(table, col),
        cell=origin.cell,
        sheet=origin.sheet,
    )


def table_row(found: LineOrigin) -> list:
    return found.table.rows[found.row]


def row_label(table: Table, index: int, col: int | None = None) -> str | None:
    """The label of row `index` for column `col`: the nearest cell at or left of it that holds
    words, not a figure (a two-sided 收入 | 金额 | 支出 | 金额 table has a label per side); in a
    row under a label merged down from above, that label."""
    row = table.rows[index]
    last = len(row) - 1 if col is None else min(col, len(row) - 1)
    for c in range(last, -1, -1):
        text = _label(table, index, c)
        if text:
            return text
    return None


def _label(table: Table, index: int, col: int) -> str | None:
    row = table.rows[index]
    cell = row[col]
    if cell.covered and any(not row[c].covered and c + row[c].colspan > col for c in range(col)):
        return None  # merged from the left: the scan leftwards reaches its text
    r = index
    while cell.covered and r > 0:  # merged from above: the text sits higher up
        r -= 1
        cell = table.rows[r][col]
    text = cell.text.strip()
    if text and not _AMOUNT.match(text.replace(" ", "")):
        return text
    return None


def column_name(table: Table, col: int) -> str | None:
    """The header cells above column `col`, top level first (功能分类/金额)."""
    names: list[str] = []
    for row in table.rows[: table.header_rows]:
        for start, cell in enumerate(row):
            if cell.covered or not cell.text.strip():
                continue
            if start <= col < start + max(cell.colspan, 1) and cell.text.strip() not in names:
                names.append(cell.text.strip())
    return "/".join(names) or None
