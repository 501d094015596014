"""Layout: the three text layouts become typed blocks whose spans point into the original file."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import layout, source
from audit.layout import Paragraph, Table, blocks
from audit.layout_text import Text
from audit.source import from_text

CELL_PER_LINE = (
    "资金支出计划表\n"
    "\t资金支出计划（%）\n\t3月底\n\t6月底\n\t10月底\n\t12月底\n"
    "\n"
    "\t\n\t25%\n\t50%\n\t100%\n\t\n"
    "\n"
    "\t绩效目标\n\t1、第一项目标；\n2、第二项目标。\n"
)

TAB_GRID = (
    "单位预算收支总表\n"
    "序号\t收入\t\t支出\t\n"
    "1\t一、一般公共预算拨款收入\t1183. 74\t一、一般公共服务支出\t930. 83\n"
    "\t数量指标\t工作完成率\t按计划完成\t≥93%\t工作计划\n"
)

NARRATIVE = "[bookmark: _Toc1]一、收入说明\n2020年预算收入8522.39万元，其中：非限额补助8517.39\n万元。\n\n二、支出说明\n"


def test_cell_per_line_rows_cells_and_empty_cells():
    out = blocks(from_text(CELL_PER_LINE))
    assert isinstance(out[0], Paragraph) and out[0].text == "资金支出计划表"
    table = out[1]
    assert isinstance(table, Table) and table.layout == "cells"
    header, values, goal = table.rows
    assert header.texts == ["资金支出计划(%)", "3月底", "6月底", "10月底", "12月底"]
    # alignment comes from counting cells: the TAB-only lines are empty cells, 12月底 is empty
    assert values.texts == ["", "25%", "50%", "100%", ""]
    assert values.cells[4].line == 12 and values.cells[4].empty
    # a line without a TAB continues the cell above
    assert goal.texts == ["绩效目标", "1、第一项目标;\n2、第二项目标。"]
    assert goal.cells[1].span.line == 15 and goal.cells[1].span.end_line == 16


def test_cell_spans_are_original_columns():
    table = blocks(from_text(CELL_PER_LINE))[1]
    cell = table.rows[1].cells[1]
    assert cell.span.line == 9 and cell.span.column == 2 and cell.span.end_column == 5  # "25%" after the TAB


def test_tab_grid_rows_and_ocr_numbers_kept_for_repair():
    out = blocks(from_text(TAB_GRID))
    table = out[1]
    assert isinstance(table, Table) and table.layout == "grid"
    assert table.rows[1].texts == ["1", "一、一般公共预算拨款收入", "1183. 74", "一、一般公共服务支出", "930. 83"]
    # a grid row whose first cell is empty (merged 一级指标) stays a grid row
    assert table.rows[2].texts[:3] == ["", "数量指标", "工作完成率"]
    assert table.rows[1].cells[2].span.line == 3


def test_narrative_joins_wrapped_lines_and_drops_debris():
    out = blocks(from_text(NARRATIVE))
    first = out[0]
    assert isinstance(first, Paragraph)
    assert first.text.startswith("一、收入说明2020年")
    assert "8517.39万元" in first.text  # the amount wrapped across two lines is one figure again
    start = first.text.index("8517.39")
    span = first.ref.span(start, start + len("8517.39"))
    assert span.line == 2 and span.end_line == 2 and span.end_column - span.column == 7
    # debris `[bookmark: _Toc1]` is gone from the text but columns still point at the original
    heading = first.ref.span(0, 2)
    assert heading.line == 1 and heading.column == len("[bookmark: _Toc1]") + 1


def test_word_toc_field_removed():
    text = "1、平安眼项目绩效目标表 TC 1、\\“平安眼\\”项目绩效目标表 \\f C \\l 1 \n"
    para = blocks(from_text(text))[0]
    assert para.text == "1、平安眼项目绩效目标表"


def test_full_width_normalised_but_span_in_original():
    text = "\t预算数\n\t５０．００\n"
    cell = blocks(from_text(text))[0].rows[0].cells[1]
    assert cell.text == "50.00"
    assert cell.span.column == 2 and cell.span.end_column == 7


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\t\n 一级指标产出≥%0123456789.万元[bookmark: ]TC\\fl,，（）")), max_size=400))
def test_layout_never_raises_and_spans_are_inside_the_file(text):
    source = from_text(text) if text.strip() else None
    if source is None:
        return
    for block in blocks(source):
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    span = cell.span
                    assert 1 <= span.line <= len(source.lines)
        else:
            assert block.span is None or 1 <= block.span.line <= len(source.lines)


# -- the fast paths, each against the plain way it replaces ---------------------------------------


def _source(text: str):
    """The Source of `text`, or None when it is not auditable text (empty, binary…)."""
    try:
        return from_text(text)
    except source.InputError:
        return None


def test_space_but_tab_is_every_whitespace_character_but_tab():
    expected = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} - {"\t"}
    assert set(layout._SPACE_BUT_TAB) == expected


# The run regex before its repetitions were made possessive.
_PLAIN_RUN = re.compile(r"(?:\n[^\S\t\n]*[\S\t][^\n]*)+")
_LINES = st.lists(st.text(alphabet=" \t\u3000\xa0x中\r\x0b", max_size=6), max_size=12)


@given(_LINES)
def test_runs_match_the_plain_regex(lines):
    whole = "\n" + "\n".join(lines)
    assert [m.span() for m in layout._RUN.finditer(whole)] == [m.span() for m in _PLAIN_RUN.finditer(whole)]


def test_narrative_runs_still_make_paragraphs():
    src = from_text("一行\n\n两行\n第二行\n\n\t单元\n\t格\n")
    kinds = [type(b).__name__ for b in blocks(src)]
    assert kinds == ["Paragraph", "Paragraph", "Table"]


_CHARS = st.sampled_from(list("\t \n\r\u3000\xa0a1.,%元０１（）：，…①㎡ﬁ\u0301e\u2028表合计") + ["\tTC 1、目录 \\f C \\l 1 ", "[bookmark: x]", "**"])


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
    for block in blocks(src) if src else []:
        if not isinstance(block, Table):
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


_PIECE = st.text(alphabet=st.sampled_from(list(" 行政运行1,234.56合计\u3000")), max_size=8)


@given(st.lists(_PIECE, min_size=2, max_size=30))
def test_a_grid_rows_cell_places_are_those_of_its_cells(pieces):
    """A long tab-grid line: cell places found without summing the pieces before each cell (the
    speed is benchmarks/linear.py's); the places are the right ones."""
    line = "x\t" + "\t".join(pieces)  # text before a TAB: a tab-grid row
    (table,) = [b for b in blocks(from_text(line)) if isinstance(b, Table)]
    (row,) = table.rows
    spans = [row.span_of(k) for k in range(len(row.texts))]  # the lazy path, before any Cell exists
    cells = [row.cell(k).span for k in range(len(row.texts))]
    assert spans == cells == [c.span for c in row.cells]
    for k, text in enumerate(row.texts):
        if text:  # the span points at the text in the original line (which NFKC normalises)
            span = spans[k]
            assert unicodedata.normalize("NFKC", line[span.column - 1 : span.end_column - 1]) == text


_PARA_CHARS = st.sampled_from(list("\n\n a1元０（）表合计\u3000") + ["**", "[bookmark: x]", "\tTC 1、目录 \\f C \\l 1 "])


@settings(max_examples=600, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=60).map("".join) | st.lists(_PARA_CHARS, min_size=1, max_size=60).map("".join))
def test_blocks_texts_keep_their_places_through_the_shortcuts(text):
    """A cell's span, taken before its Text is built, is its Text's span; a paragraph's Text is its
    lines' Texts extended one after another."""
    src = _source(text)
    for block in blocks(src) if src else []:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row.cells:
                    quick = cell.span  # before the Text is built
                    assert quick == (cell.ref.span() or quick)
                    assert cell.text == cell.ref.text
        else:
            whole = Text()
            for ref in block.line_refs:
                whole.extend(ref)
            assert block.ref == whole
            assert block.ref.span() == whole.span()
