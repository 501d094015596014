"""The fast paths of source and layout give what the plain per-line, per-character way gives."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import layout, source
from audit.source import from_text, normalise_line


def test_space_but_tab_is_every_whitespace_character_but_tab():
    expected = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} - {"\t"}
    assert set(layout._SPACE_BUT_TAB) == expected


def test_characters_skipped_by_nfkc_learning_never_change():
    skipped = re.compile(source._MAYBE_CHANGED.pattern.replace("[^", "[", 1))
    for code in range(0x10000):
        char = chr(code)
        if skipped.fullmatch(char):
            assert unicodedata.normalize("NFKC", char) == char, hex(code)


def _source(text: str):
    """The Source of `text`, or None when it is not auditable text (empty, binary…)."""
    try:
        return from_text(text)
    except source.InputError:
        return None


_CHARS = st.sampled_from(list("\t \n\r\u3000\xa0a1.,%元０１（）：，…①㎡ﬁ\u0301e\u2028表合计") + ["\tTC 1、目录 \\f C \\l 1 ", "[bookmark: x]", "**"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=60).map("".join))
def test_whole_file_normalisation_matches_line_by_line(text):
    src = _source(text)
    for line in src.lines if src else []:
        alone = normalise_line(line.number, line.original)
        assert (line.text, line.cols) == (alone.text, alone.cols)
        columns = [alone.column(i) for i in range(len(alone.text) + 1)]
        assert [line.column(i) for i in range(len(line.text) + 1)] == columns
        assert [src.column(line.number - 1, i) for i in range(len(line.text) + 1)] == columns


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=60).map("".join))
def test_a_cells_span_without_its_text_is_the_texts_span(text):
    src = _source(text)
    for block in layout.blocks(src) if src else []:
        if isinstance(block, layout.Table):
            for row in block.rows:
                for cell in row.cells:
                    quick = cell.span  # before the Text is built
                    assert quick == (cell.ref.span() or quick)
                    assert cell.text == cell.ref.text


def _cell_by_cell(text: str, row: layout.Row, grid: bool) -> list[layout.Cell]:
    """The row's Cells as one Cell per TAB-separated piece (grid) or per line (cells) would give."""
    lines = text.split("\n")
    if grid:
        pieces = lines[row.line - 1].split("\t")
        offsets = [sum(len(p) + 1 for p in pieces[:k]) for k in range(len(pieces))]
        return [layout.Cell(p.strip(), None, row.line, o + p.find(p.strip()) if p.strip() else 0) for p, o in zip(pieces, offsets)]
    return [layout.Cell(line.strip(), None, n, line.find(line.strip())) for n, line in enumerate(lines[row.line - 1 : row.end_line], row.line)]


_PLAIN = st.sampled_from(list("\t \na1.表合计") + ["12.5", "\t\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PLAIN, min_size=1, max_size=60).map("".join))
def test_rows_make_their_cells_late_as_layout_made_them(text):
    src = _source(text)
    for block in layout.blocks(src) if src else []:
        if not isinstance(block, layout.Table):
            continue
        for row in block.rows:
            lazy = row._cells is None
            first_lines = [row.first_line(k) for k in range(len(row.texts))]  # before any Cell is made
            spans = [row.span_of(k) for k in range(len(row.texts))]
            one_by_one = [row.cell(k) for k in range(len(row.texts))]
            assert one_by_one == row.cells and [c.span for c in one_by_one] == [c.span for c in row.cells]
            assert row.texts == [c.text for c in row.cells]
            if lazy:  # layout's short path: ASCII, no debris, one line per cell
                expected = _cell_by_cell(text, row, block.layout == "grid")
                assert [(c.text, c.line, c.span) for c in row.cells] == [(c.text, c.line, c.span) for c in expected]
            assert first_lines == [c.first_line for c in row.cells]
            assert spans == [c.span for c in row.cells] == [row.span_of(k) for k in range(len(row.texts))]
