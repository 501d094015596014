"""T006–T013: each new rule's defect found — and its correction passed — in the three text layouts
(narrative, cell-per-line, tab-grid). Every rule's own examples run in tests/checks/test_rule_examples.py."""

from __future__ import annotations

import pytest

from audit.pipeline import Options, audit_source
from audit.rules import load_rules
from audit.source import from_text

RULES = load_rules()


def run(text: str, rule: str):
    return audit_source(from_text(text), RULES, Options(selected={rule}))


def found(text: str, rule: str) -> list[int]:
    return [f.span.line for f in run(text, rule).findings if f.rule == rule]


# -- the three layouts ------------------------------------------------------------------------------

TITLE = "某县司法局{year}年{kind}预算公开\n\n"


def cell_table(*rows: tuple[str, ...]) -> str:
    """Cell-per-line: each cell a line starting with TAB, a blank line ends the row."""
    return "".join("".join(f"\t{c}\n" for c in r) + "\n" for r in rows)


def grid_table(*rows: tuple[str, ...]) -> str:
    """Tab-grid: one row per line."""
    return "".join("\t".join(r) + "\n" for r in rows) + "\n"


def narrative_table(*rows: tuple[str, ...]) -> str:
    """Narrative: no table at all; each row's words as a sentence (the rules read them there)."""
    return "".join("".join(r) + "。\n\n" for r in rows)


LAYOUTS = {"narrative": narrative_table, "cell-per-line": cell_table, "tab-grid": grid_table}

# rule → (prose, table rows, year, kind) for the bad and the good document. The defect sits in the
# prose for the rules that read prose, in the table for the rules that read every line.
CASES = {
    "T007": (
        ("收入预算100.00万元，比上年增加（减少）5.00万元。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
        ("收入预算100.00万元，比上年增加5.00万元，主要原因是人员增加。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
    ),
    "T008": (
        ("本部门收入预算100.00万元，主要用于用于办案业务。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
        ("本部门收入预算100.00万元，主要用于办案业务。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
    ),
    "T009": (
        ("支出情况如下。\n\n", [("科目名称", "金额"), ("医疗卫生与计划生育支出", "12.00")]),
        ("支出情况如下。\n\n", [("科目名称", "金额"), ("卫生健康支出", "12.00")]),
    ),
    "T010": (
        ("本部门收入预算100.00万元。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
        ("本单位收入预算100.00万元。\n\n", [("项目", "预算数"), ("合计", "100.00")]),
    ),
    "T011": (
        ("车辆情况如下。\n\n", [("截至2021年12月31日", "车辆3辆")]),
        ("车辆情况如下。\n\n", [("截至2022年12月31日", "车辆3辆")]),
    ),
}


def document(rule: str, layout: str, which: int) -> str:
    prose, rows = CASES[rule][which]
    kind = "单位" if rule == "T010" else "部门"
    return TITLE.format(year=2023, kind=kind) + prose + LAYOUTS[layout](*rows)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("rule", sorted(CASES))
def test_defect_found_and_correction_passed_in_each_layout(rule, layout):
    assert found(document(rule, layout, 0), rule), f"{rule} missed its defect in the {layout} layout"
    assert found(document(rule, layout, 1), rule) == [], f"{rule} reported the corrected text in the {layout} layout"


CONTENTS = "目录\n\n一、部门职责\n\n二、机构设置\n\n三、名词解释\n\n"
BODY = "一、部门职责\n\n负责全县司法行政工作，承担法律服务。\n\n二、机构设置\n\n内设办公室等3个科室。\n\n"
GLOSSARY = "三、名词解释\n\n基本支出：指为保障机构正常运转的支出。\n\n"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_contents_against_body_in_each_layout(layout):
    table = LAYOUTS[layout](("项目", "预算数"), ("合计", "100.00"))
    head = TITLE.format(year=2023, kind="部门") + CONTENTS
    assert found(head + BODY + table, "T012"), layout  # 三、名词解释 listed, absent
    assert found(head + BODY + table + GLOSSARY, "T012") == [], layout


NARRATIVE = "".join(f"本部门2023年第{i}项支出预算10.00万元，比上年增加1.00万元。\n\n" for i in range(1, 4))


@pytest.mark.parametrize("layout", ["cell-per-line", "tab-grid"])
def test_empty_table_in_each_table_layout(layout):
    make = LAYOUTS[layout]
    head = TITLE.format(year=2023, kind="部门") + NARRATIVE + "政府性基金预算支出表\n\n单位：万元\n\n"
    empty = make(("科目编码", "科目名称", "金额"), ("合计", "", ""))
    assert found(head + empty, "T013"), layout
    assert found(head + empty + "注：本部门无政府性基金预算，空表列示。\n", "T013") == [], layout
    full = make(("科目编码", "科目名称", "金额"), ("合计", "", "12.50"))
    assert found(head + full, "T013") == [], layout
    noted = head.replace("单位：万元", "单位：万元 注：本部门无政府性基金预算，故本表为空表。")
    assert found(noted + full, "T013"), f"{layout}: a table noted empty that has figures"


def test_narrative_saying_the_fund_budget_is_zero_explains_the_empty_table():
    head = TITLE.format(year=2023, kind="部门") + NARRATIVE + "政府性基金预算支出表\n\n单位：万元\n\n"
    empty = grid_table(("科目编码", "科目名称", "金额"), ("合计", "", ""))
    said = "七、政府性基金支出预算表情况说明\n\n本部门2023年政府性基金支出预算支出0万元。\n\n"
    assert found(head + empty + said, "T013") == []


def test_a_tables_only_file_leaves_its_empty_tables_to_the_joined_publication():
    # Jiangsu publishes the 说明 and the tables as two files: alone, the tables file cannot show
    # the sentence that explains an empty table (it is in the other file)
    head = "政府性基金预算支出表\n\n单位：万元\n\n"
    empty = grid_table(("科目编码", "科目名称", "金额"), ("合计", "", ""))
    report = run(TITLE.format(year=2023, kind="部门") + head + empty, "T013")
    assert report.findings == [] and report.checks["T013"].insufficient_data == 1


# -- details of single rules ------------------------------------------------------------------------


def test_template_text_kinds():
    head = TITLE.format(year=2023, kind="部门")
    assert found(head + "主要原因是。\n", "T007")
    assert found(head + "某县XX局负责全县工作。\n", "T007")
    assert found(head + "（按单位实际情况填写）\n", "T007")
    assert found(head + "政府性基金支出预算支出万元。\n", "T007")
    assert found(head + "单位预算收支总表\n编制单位：\t\t单位：万元\n" + grid_table(("项目", "预算数")), "T007")
    assert found(head + "主要原因如下：\n\n1.人员增加。\n", "T007") == []


def test_punctuation_kinds_read_the_text_as_printed():
    head = TITLE.format(year=2023, kind="部门")
    assert found(head + "本部门收入预算100.00万元。。\n", "T008")
    assert found(head + "本部门“三公＂经费预算10.00万元，比上年减少。\n", "T008")
    assert found(head + "本部门（含下属单位)收入预算100.00万元，比上年减少。\n", "T008")
    assert found(head + "本部门收入预算100.00万元，比上年减少2.00万元，主要原因是人员减少\n", "T008")
    # an English comma is a slip only where the document writes ， elsewhere
    commas = "本部门收入预算100.00万元，比上年减少，主要原因是人员减少。\n" * 4
    assert found(head + commas + "支出预算100.00万元,比上年减少。\n", "T008")
    assert found(head + "本部门收入预算100.00万元,比上年减少,主要原因是人员减少。\n", "T008") == []
    # two words meeting (9名在职人员 + 人员经费) are not a doubled word
    assert found(head + "还包括9名在职人员人员经费。\n", "T008") == []


def test_a_block_pasted_twice_is_one_finding_and_the_same_words_in_two_sections_none():
    head = TITLE.format(year=2023, kind="部门")
    duties = "".join(f"{i}、负责全县司法行政工作的第{i}项职责，承担有关法律服务和法治宣传工作。\n\n" for i in range(1, 5))
    lines = found(head + "一、主要职能\n\n" + duties + duties + "二、机构设置\n\n内设3个科室。\n", "T008")
    assert len(lines) == 1
    apart = "一、主要职能\n\n" + duties + "二、机构设置\n\n" + "内设3个科室。\n\n" * 6 + "三、其他\n\n" + duties
    assert found(head + apart, "T008") == []


def test_retired_class_name_by_year_and_two_names_in_one_document():
    text = "{}\n\n医疗卫生与计划生育支出12.00万元。\n"
    assert found(text.format("某县司法局2019年部门预算公开"), "T009")
    assert found(text.format("某县司法局2018年部门预算公开"), "T009") == []
    both = "某县司法局2018年部门预算公开\n\n医疗卫生与计划生育支出12.00万元。\n\n卫生健康支出12.00万元。\n"
    assert found(both, "T009")  # two names for one class, whatever the year
    assert found("某县司法局2020年部门预算公开\n\n原医疗卫生与计划生育支出调整为卫生健康支出。\n", "T009") == []


def test_department_budget_speaking_of_the_unit_template():
    text = "某县司法局2023年部门预算公开\n\n一、单位主要职能\n\n负责全县工作。\n"
    assert found(text, "T010")
    assert found(text.replace("单位主要职能", "部门主要职能"), "T010") == []


def test_periods():
    head = TITLE.format(year=2025, kind="部门")
    assert found(head + "截至2024年8月31日，共有车辆3辆。\n", "T011") == []  # written in the year before
    assert found(head + "截至2025年12月31日，共有车辆3辆。\n", "T011") == []
    assert found(head + "截至2023年12月31日，共有车辆3辆。\n", "T011")
    assert found(head + "项目期限：2022年1月至2024年12月\n", "T011")
    assert found(head + "项目期限：2024年1月至2026年12月\n", "T011") == []


def test_contents_numbering_differs_from_the_body():
    head = TITLE.format(year=2023, kind="部门") + CONTENTS
    renumbered = BODY + GLOSSARY.replace("三、名词解释", "四、名词解释")
    (finding,) = [f for f in run(head + renumbered, "T012").findings if f.rule == "T012"]
    assert "编号不同" in finding.message.zh


def test_unit_on_the_cover_when_the_title_names_none():
    cover = "上海市普陀区2025年区级部门预算\n\n预算主管部门：上海市普陀区商务委员会\n\n"
    table = "部门收入预算总表\n\n编制部门：上海市普陀区司法局 单位：元\n\n" + grid_table(("项目", "预算数"), ("合计", "100"))
    assert found(cover + table, "T006")
    assert found(cover + table.replace("司法局", "商务委员会"), "T006") == []


def test_contents_naming_a_part_otherwise_than_the_body_says_so():
    """目录 名称解释 / 正文 名词解释 (a real 2017 slip): the part is there under its number, named
    differently — not "missing"."""
    head = TITLE.format(year=2023, kind="部门") + CONTENTS.replace("三、名词解释", "三、名称解释")
    (finding,) = [f for f in run(head + BODY + GLOSSARY, "T012").findings if f.rule == "T012"]
    assert "名称不同" in finding.message.zh and "三、名词解释" in finding.message.zh


def test_a_tables_file_is_not_judged_for_the_narratives_sections():
    """A publication's tables file alone (Jiangsu's 公开表, no sentence in it) lacks the 说明
    sections because they are the other file; the same title over prose without them is judged."""
    title = "江苏省某部门2019年部门预算公开表\n\n"
    tables = "".join(f"{name}\n\n单位：万元\n\n" + grid_table(("项目", "金额"), ("合计", "100.00"))
                     for name in ("收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表"))
    assert not [m for m in run(title + tables, "T004").findings if "说明内容" in m.message.zh]
    prose = "本部门主要职能是做好本部门工作。\n\n"
    assert [m for m in run(title + prose + tables, "T004").findings if "说明内容" in m.message.zh]
