"""The fourth layout: text a PDF tool extracted (pdfplumber extract_text, pdftotext -layout).

The fixtures are excerpts, cut to the lines each test needs, of what the two tools print for
corpus PDFs (../shared/corpus-pdf): spacing, form feeds and wrapping exactly as they came out."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from audit import layout_flat, layout_lines
from audit.facts import extract
from audit.layout import Paragraph, Table, blocks
from audit.source import from_text

# pdftotext -layout, 江苏省人民检察院 2017 收支预算总表 (cut): two panels, labels wrapped around their figures
LAYOUT_SUMMARY = (
    '\x0c一、收支预算总表\n'
    '部门：           江苏省人民检察院                                            单位：万元\n'
    '\n'
    '        收入                                       支出\n'
    '\n'
    '                                   功能分类                       支出用途\n'
    '    项目名称        金额\n'
    '                              功能科目名称          金额         项目名称         金额\n'
    '\n'
    '一、财政拨款        17,981.68 一、一般公共服务支出                      一、基本支出    12,323.48\n'
    '\n'
    '    1.一般公共预\n'
    '              17,981.68 二、外交支出                          二、项目支出       5,533.00\n'
    '算\n'
    '    2.政府性基金                                             三、单位预留机\n'
    '                          三、国防支出                                      140.20\n'
    '预算                                                      动经费\n'
    '二、财政专户管理\n'
    '                          四、公共安全支出          13,656.34\n'
    '资金\n'
    '\n'
    '三、其他资金            15.00 五、教育支出\n'
    '\n'
    '                          六、科学技术支出\n'
    '当年收入小计        17,996.68                  当年支出小计                   17,996.68\n'
    '\n'
    ' 上年结转资金                                  结转下年资金\n'
    '\n'
    '    收入合计      17,996.68                   支出合计                    17,996.68\n'
)


# pdftotext -layout, 万里街道 2025 收入预算总表 (cut): split codes, zeros, a page break (form feed) that regrids
LAYOUT_PAGES = (
    '\x0c                                  2025年部门收入预算总表\n'
    '编制部门：上海市普陀区人民政府万里街道办事处                                                                单位：元\n'
    '\n'
    '                   项目                                          收入预算\n'
    '\n'
    '功能分类科目编码                                                                  事业单位\n'
    '                       功能分类科目名称        合计         财政拨款收入       事业收入                  其他收入\n'
    '类     款    项                                                              经营收入\n'
    '\n'
    '201             一般公共服务支出              3,296,600    3,296,600          0          0          0\n'
    '\n'
    '201   05        统计信息事务                  438,300      438,300          0          0          0\n'
    '\n'
    '201   05   07   专项普查活动                  438,300      438,300          0          0          0\n'
    '\n'
    '201   38        市场监督管理事务                135,300      135,300          0          0          0\n'
    '\n'
    '201   38   02   一般行政管理事务                135,300      135,300          0          0          0\n'
    '\x0c204             公共安全支出              2,878,025    2,878,025   0   0   0\n'
    '\n'
    '204   06        司法                    300,000      300,000   0   0   0\n'
    '\n'
    '204   06   07   公共法律服务                300,000      300,000   0   0   0\n'
    '\n'
    '204   99        其他公共安全支出            2,578,025    2,578,025   0   0   0\n'
)


# pdfplumber extract_text, 商务委员会 2025 支出预算总表 (cut): empty cells dropped, one space between cells
PLUMBER_CODES = (
    '2025年部门支出预算总表\n'
    '编制部门：上海市普陀区商务委员会 单位：元\n'
    '项目 支出预算\n'
    '功能分类科目编码\n'
    '功能分类科目名称 合计 基本支出 项目支出\n'
    '类 款 项\n'
    '201 一般公共服务支出 21,601,733.00 12,291,733.00 9,310,000.00\n'
    '201 13 商贸事务 21,601,733.00 12,291,733.00 9,310,000.00\n'
    '201 13 01 行政运行 9,389,913.00 9,389,913.00\n'
    '201 13 02 一般行政管理事务 4,545,000.00 4,545,000.00\n'
    '201 13 50 事业运行 2,901,820.00 2,901,820.00\n'
    '合计 371,514,655.00 19,830,655.00 351,684,000.00\n'
)


# pdfplumber extract_text, 商务委员会 2025 财务收支预算总表 (cut): two panels, the income side often empty
PLUMBER_SUMMARY = (
    '2025年部门财务收支预算总表\n'
    '编制部门：上海市普陀区商务委员会 单位：元\n'
    '本年收入 本年支出\n'
    '项目 预算数 项目 预算数\n'
    '一、财政拨款收入 371,514,655.00 一、一般公共服务支出 21,601,733.00\n'
    '1. 一般公共预算资金 371,514,655.00 二、科学技术支出 17,200,000.00\n'
    '2. 政府性基金 三、社会保障和就业支出 3,808,085.00\n'
    '3. 国有资本经营预算 四、卫生健康支出 881,803.00\n'
    '二、事业收入 五、资源勘探工业信息等支出 293,810,000.00\n'
    '三、事业单位经营收入 六、商业服务业等支出 31,364,000.00\n'
)


# pdfplumber extract_text, 江苏省人民检察院 2017 (cut): prose wrapped at the page width, a page number, a justified line
PLUMBER_PROSE = (
    '徐州铁路运输检察院预算。预算测算、编制的依据主要包括\n'
    '省检察院机关及两个铁路检察院工作职能、2017 年工作任务\n'
    '和事业发展规划，以及江苏省财政厅关于省级单位公用支出\n'
    '综合定额标准、省级行政单位人员支出标准及人员、车辆编\n'
    '制、实有数，其他固定资产数，办公、办案技术用房面积等。\n'
    '省检察院部门预算严格执行中央、省委省政府关于厉行\n'
    '节约反对浪费规定，严格依照标准制度规定安排相关支出。\n'
    '第二部分 省检察院 2017 年度部门预算表\n'
    '9\n'
    '一、收支预算总表\n'
    '部门： 江苏省人民检察院 单位：万元\n'
    '单位预留机动经费预算数为 140.2 万元。与上年相未\n'
    '发生变化。\n'
    '二、收入预算情况说明\n'
    '省检察院本年收入预算合计 17996.68 万元，其中：\n'
    '一 般 公 共 预 算 收 入 17981.68 万 元 ， 占\n'
    '99.92%；\n'
    '其他资金 15 万元，占 0.08 %；\n'
)


# pdftotext -layout, 江苏省委办公厅 2019 (cut): a page number and a form feed inside a sentence
LAYOUT_PROSE = (
    '与上年相比增加628.34万元，增长27.32%。主要原因：一是因\n'
    '增设机构而增加了在职人数,提租补贴有所增长；二是提租补贴\n'
    '政策性调增。\n'
    '  六、财政拨款基本支出预算情况说明\n'
    '  江苏省委办公厅2019年度财政拨款基本支出预算11700.63\n'
    '\n'
    '\n'
    '                 8\n'
    '\x0c万元，其中：\n'
    '  （一）人员经费9467.72万元。主要包括：基本工资、津贴\n'
    '补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职\n'
    '业年金缴费、其他社会保障缴费、住房公积金、医疗费、其他\n'
)


def _tables(text: str) -> list[Table]:
    return [b for b in blocks(from_text(text)) if isinstance(b, Table)]


def _row(table: Table, label: str):
    """The row whose texts hold `label`."""
    found = [r for r in table.rows if label in r.texts]
    assert len(found) == 1, [r.texts for r in table.rows]
    return found[0]


def _original(text: str, span) -> str:
    """The original text a one-line span points at, NFKC-normalised as the layout reads it."""
    line = text.split("\n")[span.line - 1]
    return unicodedata.normalize("NFKC", line[span.column - 1 : span.end_column - 1])


# --- pdftotext -layout ----------------------------------------------------------------------------


def test_layout_two_panels_with_labels_wrapped_around_their_figures():
    (table,) = _tables(LAYOUT_SUMMARY)
    assert table.layout == "flat"
    assert len({len(r.texts) for r in table.rows}) == 1  # every row as wide as the table
    width = len(table.rows[0].texts)
    first = _row(table, "一、财政拨款")
    assert first.texts == ["一、财政拨款", "17,981.68", "一、一般公共服务支出", "", "一、基本支出", "12,323.48"]
    assert width == 6
    # `1.一般公共预` / (its figures) / `算`: one label over three lines
    wrapped = _row(table, "1.一般公共预算")
    assert wrapped.texts == ["1.一般公共预算", "17,981.68", "二、外交支出", "", "二、项目支出", "5,533.00"]
    assert wrapped.cells[0].span.line == 12 and wrapped.cells[0].span.end_line == 14
    # the left label above the row, the right one's end below it
    assert _row(table, "2.政府性基金预算").texts == ["2.政府性基金预算", "", "三、国防支出", "", "三、单位预留机动经费", "140.20"]
    assert _row(table, "二、财政专户管理资金").texts == ["二、财政专户管理资金", "", "四、公共安全支出", "13,656.34", "", ""]
    totals = _row(table, "收入合计")
    assert totals.texts == ["收入合计", "17,996.68", "支出合计", "", "", "17,996.68"]


def test_layout_header_words_over_their_columns():
    (table,) = _tables(LAYOUT_SUMMARY)
    headers = [r.texts for r in table.rows if "金额" in r.texts]
    assert ["", "", "功能科目名称", "金额", "项目名称", "金额"] in headers
    assert table.rows[0].texts[0].startswith("部门:")  # the 部门/单位 line leads the table


def test_layout_figure_spans_point_at_the_figures():
    (table,) = _tables(LAYOUT_SUMMARY)
    for row in table.rows:
        for k, text in enumerate(row.texts):
            span = row.span_of(k)
            if text and span.line == span.end_line and row.cells[k].ref.text == text:
                assert _original(LAYOUT_SUMMARY, span).replace(" ", "") == text.replace(" ", "")


def test_layout_pages_regridded_keep_their_columns():
    (table,) = _tables(LAYOUT_PAGES)
    first = _row(table, "一般公共服务支出")
    later = _row(table, "公共安全支出")  # after the form feed pdftotext sets the zeros closer
    assert len(first.texts) == len(later.texts)
    assert [bool(t) for t in first.texts] == [bool(t) for t in later.texts]
    assert later.texts[first.texts.index("3,296,600")] == "2,878,025"
    assert later.texts.count("0") == 3
    # the split code 201 05 07 is one code cell, its places kept
    row = _row(table, "专项普查活动")
    assert row.texts[0] == "2010507"
    assert row.cells[0].ref.lines == [14] * 7


def test_layout_header_rows_name_the_columns_the_data_leaves_empty():
    (table,) = _tables(LAYOUT_PAGES)
    header = next(r.texts for r in table.rows if "财政拨款收入" in r.texts)
    data = _row(table, "一般公共服务支出").texts
    assert data[header.index("合计")] == "3,296,600"
    assert data[header.index("财政拨款收入")] == "3,296,600"
    assert data[header.index("其他收入")] == "0"


# --- pdfplumber -----------------------------------------------------------------------------------


def test_plumber_figures_whose_column_is_unknown_are_marked():
    (table,) = _tables(PLUMBER_CODES)
    header = next(r.texts for r in table.rows if "合计" in r.texts)
    assert header == ["", "功能分类科目名称", "合计", "基本支出", "项目支出"]
    assert _row(table, "一般公共服务支出").texts == ["201", "一般公共服务支出", "21,601,733.00", "12,291,733.00", "9,310,000.00"]
    # 9,389,913.00 twice: the total, and 基本支出 or 项目支出 — pdfplumber dropped the empty cell
    row = _row(table, "行政运行")
    assert row.texts == ["2011301", "行政运行", "9,389,913.00", "?", "?"]
    assert row.span_of(3).line == 9  # the "?" points at the figure it stands for
    assert table.rows[-1].texts == ["", "合计", "371,514,655.00", "19,830,655.00", "351,684,000.00"]


def test_plumber_unknown_columns_are_no_false_alarm():
    facts = extract(blocks(from_text(PLUMBER_CODES)))
    (table,) = facts.tables
    assert table.kind == "expenditure" and table.unit == "元"
    row = next(r for r in table.rows if r.code == "2011301")
    assert set(row.unreadable) == {3, 4}  # insufficient data, not a wrong 基本支出


def test_plumber_two_panels_aligned_from_the_side_that_keeps_figures_together():
    (table,) = _tables(PLUMBER_SUMMARY)
    assert _row(table, "一、财政拨款收入").texts == ["一、财政拨款收入", "371,514,655.00", "一、一般公共服务支出", "21,601,733.00"]
    assert _row(table, "2. 政府性基金").texts == ["2. 政府性基金", "", "三、社会保障和就业支出", "3,808,085.00"]
    assert ["项目", "预算数", "项目", "预算数"] in [r.texts for r in table.rows]


# --- prose ----------------------------------------------------------------------------------------


def test_plumber_prose_rebuilt_across_lines_and_page_numbers():
    out = layout_flat.blocks(from_text(PLUMBER_PROSE))  # (the whole text has more page numbers)
    assert all(isinstance(b, Paragraph) for b in out)
    texts = [b.text for b in out]
    # one paragraph across six lines; the next paragraph's first-line indent is what pdfplumber
    # drops, so a sentence ending at the page's edge does not end the paragraph (a true loss)
    assert texts[0].startswith("徐州铁路运输检察院预算。")
    assert "车辆编制、实有数,其他固定资产数,办公、办案技术用房面积等。" in texts[0]
    assert "2017年工作任务" in texts[0]  # `2017 年`: the space is gone
    assert "9" not in texts  # the page number is no paragraph
    assert "一、收支预算总表" in texts
    assert "一般公共预算收入17981.68万元,占99.92%;" in texts  # a justified line, joined with its end
    para = out[texts.index("一般公共预算收入17981.68万元,占99.92%;")]
    at = para.text.index("17981.68")
    span = para.ref.span(at, at + len("17981.68"))
    assert _original(PLUMBER_PROSE, span) == "17981.68"


def test_layout_page_number_inside_a_sentence_is_dropped():
    assert layout_flat.looks_flat(from_text(LAYOUT_PROSE).texts)  # the form feed
    out = blocks(from_text(LAYOUT_PROSE))
    texts = [b.text for b in out]
    assert "江苏省委办公厅2019年度财政拨款基本支出预算11700.63万元,其中:" in texts
    assert not any(t.strip() == "8" or t.startswith("8") for t in texts)


def test_text_without_pdf_signs_keeps_the_narrative_layout():
    text = "一、收入说明\n2020年预算收入8522.39万元，其中：非限额补助8517.39\n万元。\n\n二、支出说明\n"
    assert not layout_flat.looks_flat(from_text(text).texts)
    assert [b.text for b in blocks(from_text(text))] == ["一、收入说明2020年预算收入8522.39万元,其中:非限额补助8517.39万元。", "二、支出说明"]


# --- properties -----------------------------------------------------------------------------------

_LABEL = st.text(alphabet=st.sampled_from(list("一二三、支出合计款项经费人员公用.12")), max_size=6).map("项".__add__)
_FIGURE = st.one_of(
    st.decimals(min_value=0, max_value=10**9, places=2).map(lambda d: f"{d:,.2f}"),
    st.integers(0, 10**6).map(lambda n: f"{n:,}"),
    st.just("0"),
)
_GAP = st.sampled_from([" ", "  ", "    ", "          "])


@st.composite
def _flat_lines(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(3, 12))):
        kind = draw(st.sampled_from(["row", "row", "row", "label", "page", "blank", "prose"]))
        if kind == "row":
            parts = [draw(_LABEL)] + draw(st.lists(_FIGURE, min_size=1, max_size=5))
            line = parts[0]
            for part in parts[1:]:
                line += draw(_GAP) + part
            lines.append(draw(st.sampled_from(["", "\f", "  "])) + line)
        elif kind == "label":
            lines.append(draw(_LABEL))
        elif kind == "page":
            lines.append(draw(st.sampled_from(["- 3 -", "12", "第 2 页"])))
        elif kind == "prose":
            lines.append("省本级 2019 年预算收入，其中：" + draw(_FIGURE) + " 万 元 ， 占")
        else:
            lines.append("")
    return "\n".join(lines) + "\n项目\n"  # never an empty file


@given(_flat_lines())
def test_every_cell_points_at_its_text_in_the_original(text):
    source = from_text(text)
    for block in blocks(source):
        if not isinstance(block, Table):
            continue
        width = len(block.rows[0].texts)
        for row in block.rows:
            assert len(row.texts) == width
            for k, cell in enumerate(row.cells):
                if not cell.text or cell.text == "?":
                    continue
                ref = cell.ref
                for i, char in enumerate(ref.text):
                    line, col = ref.position(i)
                    assert unicodedata.normalize("NFKC", text.split("\n")[line - 1][col]) == char


@given(_flat_lines())
def test_no_figure_is_lost_or_made_up(text):
    """A table's figure cells are figures of its lines, each at most once; the figures of its
    lines it has no cell for are stood for by "?" cells."""
    source = from_text(text)
    for block in blocks(source):
        if not isinstance(block, Table):
            continue
        lines = {n for row in block.rows for n in range(row.line, row.end_line + 1)}
        figures = [t.text for n in lines for t in layout_lines.tokenize(source.texts[n - 1], False) if t.kind == "N"]
        cells = [c for row in block.rows for c in row.texts if c and layout_lines.NUMBER.fullmatch(c)]
        unknown = sum(row.texts.count("?") for row in block.rows)
        for cell in cells:
            assert cell in figures
            figures.remove(cell)
        assert len(figures) <= unknown
