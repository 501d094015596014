"""Layout: the three text layouts become typed blocks whose spans point into the original file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.layout import Paragraph, Table, blocks
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
