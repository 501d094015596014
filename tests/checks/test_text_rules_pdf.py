"""T007–T013 on the document model as the PDF reader builds it (one Paragraph per printed
paragraph, tables with their title and caption), rendered as the pipeline renders a PDF: each
rule's defect found on the right page, and its correction passed."""

from __future__ import annotations

import pytest

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.pipeline import Options, audit_source
from audit.readers.render import place, to_source
from audit.rules import load_rules

RULES = load_rules()
TITLE = "某县司法局2023年{kind}预算公开"


def para(text: str, page: int = 1) -> Paragraph:
    return Paragraph(text=text, origin=Origin(file="x.pdf", page=page))


def table(title: str, rows: list[list[str]], page: int = 2, caption: str = "") -> Table:
    cells = [[Cell(text=t, origin=Origin(file="x.pdf", page=page)) for t in row] for row in rows]
    return Table(rows=cells, title=title, unit=None if caption else "万元", caption=caption, header_rows=1, origin=Origin(file="x.pdf", page=page), pages=[page])


def pdf(*blocks, kind: str = "部门") -> Document:
    return Document(path="x.pdf", format="pdf", blocks=[para(TITLE.format(kind=kind)), *blocks], files=["x.pdf"], pages=3)


def pages(document: Document, rule: str) -> list[int | None]:
    source = to_source(document)
    report = audit_source(source, RULES, Options(selected={rule}))
    return [place(source, f.span.line, f.span.column).page for f in report.findings if f.rule == rule]


FUND = ["科目编码", "科目名称", "金额"]
CASES = {
    "T007": (
        [para("政府性基金支出预算支出万元。与上年相比增加（减少）0万元。", page=3)],
        [para("政府性基金支出预算支出0万元，与上年持平。", page=3)],
    ),
    "T008": (
        [para("本部门收入预算100.00万元,比上年减少，主要原因是人员减少。。", page=3)],
        [para("本部门收入预算100.00万元，比上年减少，主要原因是人员减少。", page=3)],
    ),
    "T009": (
        [table("一般公共预算支出预算表", [FUND, ["210", "医疗卫生与计划生育支出", "12.00"]], page=3)],
        [table("一般公共预算支出预算表", [FUND, ["210", "卫生健康支出", "12.00"]], page=3)],
    ),
    "T010": (
        [para("一、部门主要职能", page=3), para("负责全县司法行政工作。", page=3)],
        [para("一、单位主要职能", page=3), para("负责全县司法行政工作。", page=3)],
    ),
    "T011": (
        [para("截至2021年8月31日，本单位共有车辆3辆。", page=3)],
        [para("截至2022年8月31日，本单位共有车辆3辆。", page=3)],
    ),
    "T013": (
        [*[para(f"本部门第{i}项支出预算10.00万元，比上年增加1.00万元。") for i in range(3)], table("政府性基金预算支出表", [FUND, ["", "合计", ""]], page=3)],
        [table("政府性基金预算支出表", [FUND, ["", "合计", ""]], page=3, caption="编制部门：某县司法局 单位：万元 注：本部门无政府性基金预算，故本表为空表。")],
    ),
}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_defect_on_its_page_and_correction_passed(rule):
    kind = "单位" if rule == "T010" else "部门"
    bad, good = CASES[rule]
    assert pages(pdf(*bad, kind=kind), rule) and set(pages(pdf(*bad, kind=kind), rule)) == {3}, rule
    assert pages(pdf(*good, kind=kind), rule) == [], rule


def test_contents_against_body_from_pdf():
    contents = [para("目 录"), para("一、部门职责 ……………… 1"), para("二、机构设置 ……………… 2"), para("三、名词解释 ……………… 3")]
    body = [para("一、部门职责", 2), para("负责全县司法行政工作。", 2), para("二、机构设置", 2), para("内设办公室等3个科室。", 2)]
    assert pages(pdf(*contents, *body), "T012") == [1]  # reported at the contents' entry
    glossary = [para("三、名词解释", 3), para("基本支出：指为保障机构正常运转的支出。", 3)]
    assert pages(pdf(*contents, *body, *glossary), "T012") == []


def test_table_noted_empty_that_has_figures_from_pdf():
    noted = table("“三公”经费预算表", [["合计", "公务接待费"], ["47.91", "1.35"]], page=3, caption="编制部门：某县司法局 单位：万元 注：本部门无“三公”经费预算，故本表为空表。")
    assert pages(pdf(noted), "T013") == [3]


def test_item_run_on_after_a_full_stop_continues_its_list():
    # the PDF reader rebuilds 4、…。5、… as one paragraph when item 4 fills its line
    items = [para("一、主要职能"), para("1、负责审判工作。"), para("2、负责执行工作。"), para("3、负责指导工作。4、负责监督工作。"), para("5、负责赔偿工作。")]
    assert pages(pdf(*items), "T002") == []
    skipped = [para("一、主要职能"), para("1、负责审判工作。"), para("2、负责执行工作。"), para("4、负责监督工作。")]
    assert pages(pdf(*skipped), "T002") == [1]
