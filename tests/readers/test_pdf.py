"""The PDF reader on small PDFs written by hand (tests/pdfmaker.py), each holding one trap real
disclosures hold: lowered digits, clipped text, ruled tables with merged cells, tables continued
over pages, frames around a table and its title, page numbers, rotated pages, bad files."""

from __future__ import annotations

import pytest

from audit.document import Paragraph
from audit.readers import read, sniff
from audit.readers.pdf import MAX_PAGES
from audit.source import InputError
from tests.pdfmaker import Page, build

HEAD = [["收入", None, "支出", None], ["项目", "金额", "项目", "金额"]]
BODY = [["一、财政拨款", "100.00", "一、基本支出", "60.00"], ["合计", "100.00", "二、项目支出", "40.00"]]


def write(tmp_path, pages, name="t.pdf", **options):
    path = tmp_path / name
    path.write_bytes(build(pages, **options))
    return str(path)


def texts(document):
    return [b.text for b in document.blocks if isinstance(b, Paragraph)]


def test_digits_set_lower_stay_with_their_words(tmp_path):
    page = Page()
    page.text(72, 600, "本年收入")
    page.text(120, 597, "100.00")  # 3 points below the Chinese text on its line
    page.text(158, 600, "万元，比上年增长")
    page.text(254, 596, "5.5")
    page.text(274, 600, "%。")
    document = read(write(tmp_path, [page]))
    assert texts(document) == ["本年收入100.00万元，比上年增长5.5%。"]


def test_spaces_between_chinese_and_figures_are_removed(tmp_path):
    page = Page()
    page.text(72, 600, "2019")
    page.text(102, 600, "年预算")  # a gap of a few points, as PDF writers leave between runs
    document = read(write(tmp_path, [page]))
    assert texts(document) == ["2019年预算"]


def test_text_clipped_out_of_sight_is_not_read(tmp_path):
    page = Page()
    page.text(72, 700, "看得见的说明。")
    page.clipped((0, 0, 595, 500), lambda p: p.text(72, 520, "被裁掉的文字999万元"))
    document = read(write(tmp_path, [page]))
    assert texts(document) == ["看得见的说明。"]
    assert any("not read" in note.text("en") for note in document.notes)


def test_text_outside_the_crop_box_is_not_read(tmp_path):
    page = Page(crop=(0, 0, 595, 800))
    page.text(72, 700, "页面内的文字。")
    page.text(72, 820, "裁剪框外的文字")
    document = read(write(tmp_path, [page]))
    assert texts(document) == ["页面内的文字。"]


def test_ruled_table_with_merged_cells_title_and_unit(tmp_path):
    page = Page()
    page.text(72, 780, "2024年部门收支预算总表", 14)
    page.text(72, 760, "编制部门：某某局 单位：万元")
    page.grid(72, 750, [120, 80, 120, 80], HEAD + BODY)
    document = read(write(tmp_path, [page]))
    [table] = document.tables
    assert table.title == "2024年部门收支预算总表"
    assert table.unit == "万元" and table.caption == "编制部门：某某局 单位：万元"
    assert table.header_rows == 2
    assert [[c.text for c in row] for row in table.rows] == [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"], *BODY]
    first = table.rows[0]
    assert first[0].colspan == 2 and first[1].covered and first[2].colspan == 2 and first[3].covered
    cell = table.rows[2][1]
    assert cell.origin.page == 1 and cell.origin.row == 2 and cell.origin.col == 1 and cell.origin.bbox
    assert not document.paragraphs  # the title and unit lines went into the table


def test_frame_around_title_and_table(tmp_path):
    """Jiangsu tables files: one rectangle drawn around the title, the unit line and the table."""
    page = Page()
    page.rect(60, 680, 420, 110)
    page.text(200, 770, "收入预算总表", 14)
    page.text(72, 750, "部门：某某厅 单位：万元")
    page.grid(60, 740, [340, 80], [["项目名称", "金额"], ["收入总计", "27,664.22"], ["一般公共预算资金", "27,664.22"]])
    document = read(write(tmp_path, [page]))
    [table] = document.tables
    assert (table.title, table.unit) == ("收入预算总表", "万元")
    assert [[c.text for c in row] for row in table.rows] == [["项目名称", "金额"], ["收入总计", "27,664.22"], ["一般公共预算资金", "27,664.22"]]


def test_title_in_a_first_merged_row(tmp_path):
    page = Page()
    page.grid(72, 750, [200, 80], [["收支预算总表 部门：某某厅 单位：万元", None], ["项目", "金额"], ["合计", "10.00"]])
    [table] = read(write(tmp_path, [page])).tables
    assert (table.title, table.caption, table.unit) == ("收支预算总表", "部门：某某厅 单位：万元", "万元")
    assert table.rows[0][0].text == "项目" and table.rows[0][0].origin.row == 0


def test_table_continued_on_next_page_is_one_table_without_the_repeated_header(tmp_path):
    first, second = Page(), Page()
    first.text(72, 780, "一般公共预算支出预算表", 14)
    first.grid(72, 760, [200, 80], [["科目名称", "金额"], ["一般公共服务支出", "10.00"], ["行政运行", "6.00"]])
    second.grid(72, 800, [200, 80], [["科目名称", "金额"], ["一般行政管理事务", "4.00"], ["合计", "10.00"]])
    document = read(write(tmp_path, [first, second]))
    [table] = document.tables
    assert table.pages == [1, 2]
    assert [row[0].text for row in table.rows] == ["科目名称", "一般公共服务支出", "行政运行", "一般行政管理事务", "合计"]
    assert table.rows[3][0].origin.page == 2 and table.rows[3][0].origin.row == 3


def test_page_numbers_and_running_headers_are_not_paragraphs(tmp_path):
    pages = []
    for number in range(1, 5):
        page = Page()
        page.text(200, 815, "某某局2024年部门预算")  # running header
        page.text(72, 700, f"第{number}页的正文。")
        page.text(290, 30, f"- {number} -")
        pages.append(page)
    document = read(write(tmp_path, pages))
    assert texts(document) == [f"第{n}页的正文。" for n in range(1, 5)]


def test_wrapped_lines_join_and_indents_start_paragraphs(tmp_path):
    page = Page()
    page.text(96, 700, "一、这是第一段的第一行文字，写满了整整一行宽度")  # 24 chars, indented 2
    page.text(72, 684, "这是第一段的第二行文字，也写满了整整一行的宽度呢")  # 24 chars, to the margin
    page.text(72, 668, "第一段结束。")
    page.text(96, 652, "二、第二段从缩进开始，写满了整整一行宽度的文字")
    page.text(72, 636, "第二段结束。")
    document = read(write(tmp_path, [page]))
    assert texts(document) == [
        "一、这是第一段的第一行文字，写满了整整一行宽度这是第一段的第二行文字，也写满了整整一行的宽度呢第一段结束。",
        "二、第二段从缩进开始，写满了整整一行宽度的文字第二段结束。",
    ]


def test_rotated_page_reads_like_an_upright_one(tmp_path):
    upright, rotated = Page(), Page(rotate=90)
    for page in (upright, rotated):
        page.text(72, 560, "收支预算总表", 14)
        page.grid(72, 540, [200, 80], [["项目", "金额"], ["合计", "10.00"]])
    [a] = read(write(tmp_path, [upright], "a.pdf")).tables
    [b] = read(write(tmp_path, [rotated], "b.pdf")).tables
    assert [[c.text for c in r] for r in a.rows] == [[c.text for c in r] for r in b.rows] == [["项目", "金额"], ["合计", "10.00"]]
    assert a.title == b.title == "收支预算总表"


# --- files that cannot be read: one clear reason each -----------------------------------------


def test_encrypted_pdf(tmp_path):
    page = Page().text(72, 700, "机密")
    with pytest.raises(InputError, match="encrypted"):
        read(write(tmp_path, [page], user_password="secret"))


def test_zero_pages(tmp_path):
    with pytest.raises(InputError, match="no pages"):
        read(write(tmp_path, []))


def test_image_only_pdf_has_no_text_layer(tmp_path):
    page = Page()
    page.rect(72, 400, 300, 200)  # a drawing, no text (a scan's page is an image: no text either)
    with pytest.raises(InputError, match="no text layer"):
        read(write(tmp_path, [page]))


def test_pdf_that_is_really_text(tmp_path):
    path = tmp_path / "报告.pdf"
    path.write_text("这其实是一个文本文件。\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a PDF"):
        read(str(path))


def test_too_many_pages_is_refused_without_reading_them(tmp_path):
    pages = [Page().text(72, 700, "页") for _ in range(MAX_PAGES + 200)]
    with pytest.raises(InputError, match=f"{MAX_PAGES + 200} pages"):
        read(write(tmp_path, pages))


def test_truncated_pdfs_give_an_input_error_or_a_document(tmp_path):
    page = Page()
    page.text(72, 780, "收支预算总表", 14)
    page.grid(72, 760, [200, 80], [["项目", "金额"], ["合计", "10.00"]])
    data = build([page])
    for cut in range(16, len(data), max(1, len(data) // 40)):
        path = tmp_path / f"cut{cut}.pdf"
        path.write_bytes(data[:cut])
        try:
            document = read(str(path))
        except InputError as exc:
            assert str(exc)  # a reason, not a traceback
        else:
            assert document.format == "pdf"


def test_sniff_by_content_not_name(tmp_path):
    page = Page().text(72, 700, "说明")
    no_extension = tmp_path / "disclosure"
    no_extension.write_bytes(build([page]))
    assert sniff(no_extension) == "pdf"
    text = tmp_path / "a.txt"
    text.write_text("说明\n", encoding="utf-8")
    assert sniff(text) is None and read(text) is None


def test_row_cut_by_the_page_break_and_a_grid_of_other_columns(tmp_path):
    """The continuation's first row has no top rule (it was on the page before), and its grid
    has fewer columns: its cells go into the columns of the table they continue."""
    first, second = Page(), Page()
    first.text(72, 780, "一般公共预算支出预算表", 14)
    first.grid(72, 760, [60, 140, 80], [["科目编码", "科目名称", "金额"], ["201", "一般公共服务支出", "10.00"]])
    second.grid(72, 800, [200, 80], [["20101 行政运行", "6.00"], ["合计", "10.00"]])
    second.ops.pop(0)  # the top rule
    [table] = read(write(tmp_path, [first, second])).tables
    assert table.pages == [1, 2]
    assert [[c.text for c in row] for row in table.rows] == [
        ["科目编码", "科目名称", "金额"],
        ["201", "一般公共服务支出", "10.00"],
        ["", "20101行政运行", "6.00"],  # a cell over the first two columns: in the one holding its centre
        ["", "合计", "10.00"],
    ]


def test_a_one_column_frame_is_paragraphs(tmp_path):
    page = Page()
    page.grid(72, 750, [300], [["目 录"], ["一、部门主要职能"], ["二、部门机构设置"]])
    document = read(write(tmp_path, [page]))
    assert not document.tables and texts(document) == ["目 录", "一、部门主要职能", "二、部门机构设置"]


def test_double_rules_do_not_make_columns_of_their_own(tmp_path):
    """Every rule drawn twice, a few points apart (Word's double borders, cell spacing): the gaps
    between the two would be slivers of columns and rows of their own."""
    page = Page()
    xs, top, height, gap = [72, 160, 300, 380], 760, 20, 2.6
    rows = [["科目编码", "科目名称", "金额"], ["301", "工资福利支出", "7,687.65"], ["30101", "基本工资", "2,509.00"]]
    bottom = top - height * len(rows)
    for x in xs:
        for offset in (-gap, gap):
            page.line(x + offset, top + gap, x + offset, bottom - gap)
    for r in range(len(rows) + 1):
        y = top - height * r
        for offset in (-gap, gap):
            page.line(xs[0] - gap, y + offset, xs[-1] + gap, y + offset)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.text(xs[c] + 5, top - height * (r + 1) + 6, text, 10)
    [table] = read(write(tmp_path, [page])).tables
    assert [[c.text for c in row] for row in table.rows] == rows


def test_text_outside_the_second_of_two_clips_is_not_read(tmp_path):
    """A clip narrowed twice (WPS: page area, then text area): its visible part is where both are."""
    page = Page()
    page.ops.append("q 0 0 595 842 re W n 50 400 495 400 re W n")
    page.text(72, 700, "正文可见。")
    page.text(72, 300, "在第一个裁剪区内、第二个之外的文字")
    page.ops.append("Q")
    document = read(write(tmp_path, [page]))
    assert texts(document) == ["正文可见。"]


def _painted(page: Page, x: float, y: float, w: float, h: float) -> None:
    """A white rectangle filled and not stroked: invisible on the page."""
    page.ops.append(f"1 g {x} {y} {w} {h} re f 0 g")


def test_white_cell_paint_is_no_rule_and_a_wrapped_header_is_one_cell(tmp_path):
    """Jiangsu 2017: every cell, and strips of padding around its text, painted white under the
    black rules. The strips' sides are no rules: a header whose words wrap over two lines
    (因公出国 / （境）费) is one cell, and the header is one row, not two."""
    page = Page()
    x, top, widths = 72, 760, [80, 80, 80]
    for k, width in enumerate(widths):
        left = x + sum(widths[:k])
        _painted(page, left, top - 40, width, 40)  # the cell
        for strip in range(4):  # padding strips: a grid of its own around the text
            _painted(page, left + 5, top - 40 + strip * 10, width - 10, 10)
    page.grid(x, top, widths, [["", "", ""]], height=40)
    for k, words in enumerate((["合计"], ["因公出国", "（境）费"], ["公务接待", "费"])):
        for line, text in enumerate(words):
            page.text(x + sum(widths[:k]) + 6, top - 16 - 14 * line, text, 10)
    page.grid(x, top - 40, widths, [["2,599.37", "180.00", "185.72"]])
    [table] = read(write(tmp_path, [page])).tables
    assert [[c.text for c in row] for row in table.rows] == [["合计", "因公出国（境）费", "公务接待费"], ["2,599.37", "180.00", "185.72"]]
    assert table.header_rows == 1


def test_title_caption_and_table_number_printed_above_a_table(tmp_path):
    """公开07表, the title, then `部门名称：… 单位：万元` wrapped over two lines, all above the
    rules: the title and the caption go to the table, the table's number goes."""
    page = Page()
    page.text(72, 790, "公开07表", 10)
    page.text(150, 765, "一般公共预算支出预算表", 18)
    page.text(72, 740, "部门名称：江苏省高级人民法", 10)
    page.text(72, 728, "院", 10)
    page.text(400, 728, "单位：万元", 10)
    page.grid(72, 715, [120, 200, 80], [["功能科目编码", "功能科目名称", "金额"], ["204", "公共安全支出", "27,488.23"]])
    document = read(write(tmp_path, [page]))
    [table] = document.tables
    assert (table.title, table.caption, table.unit) == ("一般公共预算支出预算表", "部门名称：江苏省高级人民法院 单位：万元", "万元")
    assert texts(document) == []


def test_unit_wrapped_above_the_department_line(tmp_path):
    """`单位：万元` right-aligned in a narrow box: `单位：万` above the 部门 line, `元` at its end."""
    page = Page()
    page.text(150, 780, "“三公”经费支出预算表", 18)
    page.text(400, 752, "单位：万", 10)
    page.text(72, 740, "部门名称：某某厅", 10)
    page.text(440, 740, "元", 10)
    page.grid(72, 725, [120, 120], [["合计", "公务接待费"], ["10.00", "10.00"]])
    [table] = read(write(tmp_path, [page])).tables
    assert (table.title, table.unit) == ("“三公”经费支出预算表", "万元")
    assert table.caption == "部门名称：某某厅 单位：万元"


def test_a_continuation_with_its_heading_printed_again_is_one_table(tmp_path):
    first, second = Page(), Page()
    for page, top in ((first, 760), (second, 760)):
        page.text(150, top + 20, "政府采购预算表", 14)
        page.text(72, top + 5, "部门：某某厅 单位：万元", 10)
    first.grid(72, 760, [200, 80], [["采购品目", "金额"], ["一、货物", "10.00"]])
    second.grid(72, 760, [200, 80], [["采购品目", "金额"], ["二、服务", "5.00"]])
    [table] = read(write(tmp_path, [first, second])).tables
    assert table.pages == [1, 2]
    assert [row[0].text for row in table.rows] == ["采购品目", "一、货物", "二、服务"]


def test_lines_of_a_table_of_contents_are_paragraphs_of_their_own(tmp_path):
    """A contents line ends in leader dots: the next line starts another entry even when neither
    is numbered as a list item would be (9．2025年… reads as a decimal)."""
    page = Page()
    page.text(96, 700, "9．2025年部门“三公”经费预算表…………………………", 12)
    page.text(72, 680, "六、其他相关情况说明……………………………………………", 12)
    page.text(72, 660, "七、项目经费情况说明……………………………………………", 12)
    document = read(write(tmp_path, [page]))
    assert len(texts(document)) == 3
