"""Document → Source: the tab-grid text the facts read, and the way back from a finding's line and
column to the page, table, row and column it came from."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit import layout
from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.readers.render import place, render, to_source


def _table(rows: list[list[str]], title="收支预算总表", unit="万元", header_rows=1, page=3) -> Table:
    cells = [[Cell(text, Origin(file="a.pdf", page=page, bbox=(1, 2, 3, 4), row=r, col=c)) for c, text in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=cells, title=title, unit=unit, header_rows=header_rows, origin=Origin(file="a.pdf", page=page), pages=[page])


ROWS = [["项目", "金额", "项目", "金额"], ["一、财政拨款", "100.00", "一、基本支出", "60.00"], ["合计", "100.00", "二、项目支出", "40.00"]]


def test_layout_as_the_facts_read_it():
    document = Document(path="a.pdf", format="pdf", blocks=[Paragraph("说明。", Origin(page=1)), _table(ROWS)])
    lines, origins = render(document)
    assert lines == ["说明。", "", "收支预算总表", "", "单位：万元", "", *["\t".join(r) for r in ROWS], ""]
    assert origins[1] is None and origins[0].origin.page == 1
    source = to_source(document)
    assert source.encoding == "pdf" and source.original_lines == lines
    blocks = layout.blocks(source)
    grid = [b for b in blocks if isinstance(b, layout.Table)]
    assert grid and [row.texts for row in grid[0].rows][-3:] == ROWS


def test_place_names_page_table_row_and_column():
    source = to_source(Document(path="a.pdf", format="pdf", blocks=[_table(ROWS)]))
    line = source.original_lines.index("合计\t100.00\t二、项目支出\t40.00") + 1
    column = source.original_lines[line - 1].index("40.00") + 1
    where = place(source, line, column)
    assert (where.file, where.page, where.table, where.row, where.column) == ("a.pdf", 3, "收支预算总表", "二、项目支出", "金额")
    first = place(source, line, 1)
    assert (first.row, first.column) == ("合计", "项目")
    title = place(source, 1, 1)
    assert title.table == "收支预算总表" and title.row is None


def test_merged_row_label_and_two_level_header():
    rows = [["科目", "支出", ""], ["", "基本支出", "项目支出"], ["行政运行", "6.00", "1.00"]]
    table = _table(rows, header_rows=2)
    table.rows[0][1].colspan = 2
    table.rows[0][2].covered = True
    table.rows[0][0].rowspan = 2
    table.rows[1][0].covered = True
    source = to_source(Document(path="a.pdf", format="pdf", blocks=[table]))
    line = source.original_lines.index("行政运行\t6.00\t1.00") + 1
    where = place(source, line, source.original_lines[line - 1].index("1.00") + 1)
    assert (where.row, where.column) == ("行政运行", "支出/项目支出")


def test_text_sources_have_no_places():
    from audit.source import from_text

    assert place(from_text("说明\n"), 1, 1) is None


_cell = st.text(alphabet=st.sampled_from("收入支出合计0123456789.,\t\n 项目"), max_size=8)


@given(st.lists(st.lists(_cell, min_size=1, max_size=5), min_size=1, max_size=6))
def test_every_cell_is_found_where_it_was_rendered(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    table = _table(rows, title="表", unit=None, header_rows=0)
    source = to_source(Document(path="a.pdf", format="pdf", blocks=[table]))
    first = 3  # the title line and a blank line, then one line per row
    for r, row in enumerate(rows):
        line = source.original_lines[first + r - 1]
        cells = line.split("\t")
        assert len(cells) == width  # TABs and line breaks inside cells do not add cells or lines
        start = 0
        for c, text in enumerate(cells):
            where = place(source, first + r, start + 1)
            assert where is not None and where.page == 3
            assert table.rows[r][c].origin.col == c
            start += len(text) + 1
