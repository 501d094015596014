"""Budget tables as facts: recognised by title, pages joined, columns named, rows keyed by code or label."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from audit.facts.tables import BudgetTable, count_identities, extract_tables
from audit.layout import blocks
from audit.source import from_text, load
from tests.budget_fixtures import Budget, jiangsu, putuo
from tests.conftest import find_seed


def tables_of(text: str) -> list[BudgetTable]:
    return extract_tables(blocks(from_text(text)))


def grid(*rows: list[str]) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)


def cells(*rows: list[str]) -> str:
    """Cell-per-line: each cell a line starting with TAB, a blank line ends the row."""
    return "".join("".join(f"\t{c}\n" for c in r) + "\n" for r in rows)


EXPENDITURE_GRID = (
    "单位预算支出总表\n\n216001 某某单位(本级)\n\n预算年度: 2023\n\n"
    + grid(
        ["序号", "", "功能分类科目", "合计", "基本支出", "项目支出"],
        ["77 7", "科目编码", "科目名称", "合り", "本 本又山", "坝日又山"],
        ["栏次", "1", "2", "3", "4", "5"],
        ["1", "", "合计", "1220. 18", "985. 67", "234. 51"],
        ["2", "201", "一般公共服务支出", "930. 83", "768. 51", "162. 32"],
        ["3", "20131", "党委办公厅(室)及相关机构事务", "930. 83", "768. 51", "162. 32"],
        ["4", "2013101", "行政运行", "768. 51", "768. 51", ""],
    )
    + "\n216001 某某单位(本级)\n\n预算年度: 2023\n\n"
    + grid(
        ["序号", "", "功能分类科目", "合计", "基本支出", "项目支出"],
        ["1,1,4", "科目编码", "科目名称", "'B", "本 本文山", '"'],
        ["栏次", "1", "2", "3", "4", "5"],
        ["5", "2013102", "一般行政管理事务", "162. 32", "", "162. 32"],
        ["6", "221", "住房保障支出", "289. 35", "217. 16", "72. 19"],
    )
    + "\n注:以上为测试表。\n"
)


def test_grid_table_joined_across_pages_with_garbled_headers():
    (table,) = tables_of(EXPENDITURE_GRID)
    assert table.kind == "expenditure"
    assert table.pages == 2
    assert table.layout == "grid"
    panel = table.panel()
    keys = {c.index: c.key for c in panel.columns}
    assert keys == {3: "total", 4: "basic", 5: "project"}  # the clean header row wins over 合り/本 本又山
    codes = [r.code for r in panel.rows if r.code]
    assert codes == ["201", "20131", "2013101", "2013102", "221"]  # repeated headers dropped
    assert all(r.domain == "function" for r in panel.rows if r.code)
    total = panel.rows[0]
    assert total.kind == "total" and total.name == "合计"
    assert panel.value(total, "total").value == Decimal("1220.18")  # `1220. 18` repaired
    assert panel.value(total, "total").value.as_tuple().exponent == -2  # displayed precision kept


def test_blank_cell_is_absent_not_zero():
    (table,) = tables_of(EXPENDITURE_GRID)
    panel = table.panel()
    row = next(r for r in panel.rows if r.code == "2013101")
    assert panel.value(row, "project") is None
    assert panel.value(row, "basic").value == Decimal("768.51")


def test_spans_point_at_the_cell_in_the_original_file():
    source = from_text(EXPENDITURE_GRID)
    (table,) = extract_tables(blocks(source))
    figure = table.panel().value(table.panel().rows[0], "total")
    line = source.lines[figure.span.line - 1].original
    assert line[figure.span.column - 1:figure.span.end_column - 1] == "1220. 18"


SUMMARY_GRID = "单位预算收支总表\n\n" + grid(
    ["序号", "收入", "", "支出", ""],
    ["万 安", "项 目", "预算数", "项 目", "预算数"],
    ["栏次", "1", "2", "3", "4"],
    ["1", "一、一般公共预算拨款收入", "1183. 74", "一、一般公共服务支出", "930. 83"],
    ["2", "二、政府性基金预算拨款收入", "", "二、住房保障支出", "289. 35"],
    ["3", "本年收入合计", "1183. 74", "本年支出合计", "1220. 18"],
    ["4", "上年结转结余", "36. 44", "年终结转结余", ""],
    ["5", "收入总计", "1220. 18", "支出总计", "1220. 18"],
)


def test_two_sided_summary_table_splits_into_income_and_expense_panels():
    (table,) = tables_of(SUMMARY_GRID)
    assert table.kind == "summary"
    income, expense = table.panel("income"), table.panel("expense")
    assert [r.name for r in income.rows] == ["一般公共预算拨款收入", "政府性基金预算拨款收入", "本年收入合计", "上年结转结余", "收入总计"]
    assert [r.kind for r in income.rows] == ["item", "item", "total", "balance", "total"]
    assert expense.rows[0].numbered
    assert expense.value(expense.rows[-1], "amount").value == Decimal("1220.18")


def test_economic_classification_from_header():
    text = "一般公共预算财政拨款基本支出表\n\n" + grid(
        ["序号", "", "支出单位经济分类科目", "", "一般公共预算基本支出", ""],
        ["序号", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["1", "", "合计", "20.00", "15.00", "5.00"],
        ["2", "301", "工资福利支出", "15.00", "15.00", ""],
        ["3", "30101", "基本工资", "15.00", "15.00", ""],
        ["4", "302", "商品和服务支出", "5.00", "", "5.00"],
    )
    (table,) = tables_of(text)
    assert table.kind == "gpb_basic"
    panel = table.panel()
    assert {c.key for c in panel.columns} == {"total", "personnel", "public"}
    assert {r.domain for r in panel.rows if r.code} == {"economic"}


PROCUREMENT_CELLS = (
    "2020年，安排政府采购预算100.00万元。具体内容见下表。\n部门政府采购预算\n"
    + cells(
        ["", "单位：万元"],
        ["政府采购项目来源", "采购物品名称", "计量单位", "数量", "政府采购金额"],
        ["项目名称", "预算资金", "", "", "", "合计", "一般公共预算拨款"],
        ["某局小计", "", "", "", "", "100.00", "100.00"],
        ["物业管理费", "60.00", "物业管理服务", "项", "1.00", "60.00", "60.00"],
        ["视频平台建设", "40.00", "专用设备", "批", "2", "40.00", "40.00"],
    )
)


def test_cell_per_line_procurement_uses_only_headers_as_wide_as_the_data():
    (table,) = tables_of(PROCUREMENT_CELLS)
    assert table.kind == "procurement" and table.layout == "cells"
    assert table.unit == "万元" and table.unit_stated
    panel = table.panel()
    keys = {c.index: c.key for c in panel.columns}
    assert keys[5] == "total" and keys[6] == "gpb" and keys[1] == "budget_funds"
    assert next(c for c in panel.columns if c.index == 1).additive is False  # 预算资金 repeats per project
    assert [r.kind for r in panel.rows] == ["total", "item", "item"]
    assert panel.rows[1].name == "物业管理费"


def test_asset_table_marks_其中_rows_as_parts_and_reads_the_unit_from_the_header():
    text = "部门固定资产占用情况表\n" + cells(
        ["项   目", "数量", "价值（金额单位：元）"],
        ["资产总额", "——", "1574.39"],
        ["1、房屋（平方米）", "", ""],
        ["   其中：办公用房（平方米）", "", "300.00"],
        ["2、车辆（台、辆）", "99", "1056.67"],
        ["4、其他固定资产", "", "517.72"],
    )
    (table,) = tables_of(text)
    assert table.kind == "assets" and table.unit == "元" and table.unit_stated
    panel = table.panel()
    assert [r.kind for r in panel.rows] == ["total", "item", "part", "item", "item"]
    assert panel.column("count").additive is False
    assert panel.value(panel.rows[0], "count") is None  # `——` is no number


def test_table_without_a_title_or_after_narrative_is_not_a_budget_table():
    text = "单位机构设置情况\n\n" + grid(["单位名称", "单位性质"], ["某单位", "行政"])
    assert tables_of(text) == []
    text = "这是一段说明文字，没有表题。\n" + grid(["1", "201", "一般公共服务支出", "1.00"])
    assert tables_of(text) == []


def test_performance_table_titles_are_not_budget_tables():
    text = "1、政府采购项目绩效目标表\n" + cells(["项目名称", "某项目"], ["预算数", "10.00"])
    assert tables_of(text) == []


def test_unreadable_column_is_recorded_and_not_additive():
    text = "单位预算支出总表\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "基本支出", "口口口"],
        ["1", "", "合计", "10.00", "6.00", "4.00"],
        ["2", "201", "一般公共服务支出", "10.00", "6.00", "4.00"],
    )
    (table,) = tables_of(text)
    column = next(c for c in table.panel().columns if c.index == 5)
    assert column.key is None and column.uncertain and not column.additive
    assert any("column 6" in note for note in table.notes)


def test_unit_is_shared_by_tables_that_state_none():
    text = "单位预算支出总表\n\n单位: 元\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计"], ["1", "", "合计", "10.00"]
    ) + "\n单位预算收入总表\n\n" + grid(["序号", "科目编码", "科目名称", "合计"], ["1", "", "合计", "10.00"])
    first, second = tables_of(text)
    assert first.unit == "元" and first.unit_stated
    assert second.unit == "元" and not second.unit_stated


# --- corpus -------------------------------------------------------------------------------------


def corpus_tables(prefix: str) -> list[BudgetTable]:
    return extract_tables(blocks(load(find_seed(prefix))))


def test_seed_004_has_the_nine_standard_tables_and_more():
    tables = corpus_tables("004")
    kinds = [t.kind for t in tables]
    assert kinds[:9] == [
        "summary", "income", "expenditure", "fiscal_summary", "gpb_expenditure", "gpb_basic",
        "gov_fund", "state_capital", "three_costs",
    ]
    assert kinds[9:] == ["procurement", "assets"]
    by_kind = {t.kind: t for t in tables}
    assert by_kind["income"].pages == 2 and by_kind["expenditure"].pages == 2
    assert by_kind["gov_fund"].empty and by_kind["state_capital"].empty  # 空表列示
    income = by_kind["income"].panel()
    assert income.column("carryover") is not None  # header garbled to `生 生 生` on page 1, `4 转` on page 2
    assert len([r for r in by_kind["gpb_basic"].rows if r.code]) == 28
    assert count_identities(tables) >= 60


def test_seed_000_and_003_cell_tables():
    kinds = [(t.kind, len(t.rows)) for t in corpus_tables("000")]
    assert kinds == [("procurement", 9), ("assets", 6)]
    # 003's asset table has its title in the table's first row (a frame around title and table)
    procurement, assets = corpus_tables("003")
    assert procurement.kind == "procurement"
    assert (assets.kind, len(assets.rows), assets.rows[0].name) == ("assets", 6, "资产总额")
    total = procurement.panel().rows[0]
    assert total.kind == "total"
    assert procurement.panel().value(total, "total").value == Decimal("557.12")


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_performance_only_seeds_have_no_budget_tables(prefix):
    assert corpus_tables(prefix) == []


def test_second_numbering_style_nests_under_the_first():
    text = "部门收支总表\n\n" + grid(
        ["序号", "项 目", "预算数", "项 目", "预算数"],
        ["1", "一、财政拨款收入", "1000.00", "一、一般公共服务支出", "1050.00"],
        ["2", "1.一般公共预算拨款", "900.00", "", ""],
        ["3", "2.政府性基金拨款", "100.00", "", ""],
        ["4", "二、事业收入", "50.00", "", ""],
        ["5", "本年收入合计", "1050.00", "本年支出合计", "1050.00"],
    )
    (table,) = tables_of(text)
    assert [r.kind for r in table.panel("income").rows] == ["item", "part", "part", "item", "total"]


def test_garbled_number_is_unreadable_not_blank():
    text = "单位预算支出总表\n\n" + grid(
        ["序号", "科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["1", "", "合计", "1O.00", "6.00", "—"],
    )
    (table,) = tables_of(text)
    row = table.panel().rows[0]
    assert row.unreadable == [3]  # `1O.00` (letter O) is no number; `—` is nothing stated


def test_codes_split_into_类_款_项_columns_in_a_cell_per_line_table():
    text = "部门支出总表\n" + cells(
        ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "项", "", "", "", ""],
        ["", "", "", "合计", "100.00", "60.00", "40.00"],
        ["201", "", "", "一般公共服务支出", "100.00", "60.00", "40.00"],
        ["", "31", "", "党委办公厅(室)及相关机构事务", "100.00", "60.00", "40.00"],
        ["", "", "01", "行政运行", "60.00", "60.00", ""],
        ["", "", "02", "一般行政管理事务", "40.00", "", "40.00"],
    )
    (table,) = tables_of(text)
    panel = table.panel()
    assert [r.code for r in panel.rows] == [None, "201", "20131", "2013101", "2013102"]
    assert {c.key for c in panel.columns} == {"total", "basic", "project"}


def test_numbered_title_right_above_the_table():
    text = "表1.部门收支总表\n\n" + grid(
        ["序号", "项 目", "预算数", "项 目", "预算数"],
        ["1", "本年收入合计", "10.00", "本年支出合计", "10.00"],
    )
    (table,) = tables_of(text)
    assert table.kind == "summary" and table.title == "表1.部门收支总表"


def test_contents_list_is_no_title():
    text = "目录\n- 1. 单位预算收支总表\n- 2. 单位预算收入总表\n\n二、情况说明\n\n本单位预算安排如下，详见下表。\n" + grid(
        ["序号", "项 目", "预算数"], ["1", "本年收入合计", "10.00"]
    )
    assert tables_of(text) == []


# --- Jiangsu and Shanghai Putuo shapes (tests/budget_fixtures.py) ---------------------------------


SAMPLE = Budget(
    items={"2013101": (9_370_12_00, 0), "2013102": (0, 13_025_38_00), "2210201": (965_87_00, 0)},
    economic={"30101": 5_000_00_00, "30102": 5_335_99_00},
    reserve=2_938_21_00,
    three={"abroad": 70_00_00, "car_running": 411_20_00, "reception": 27_00_00, "meeting": 933_50_00, "training": 30_00_00},
)


def test_jiangsu_twelve_titles_give_their_kinds_and_columns():
    tables = tables_of(jiangsu(SAMPLE))
    assert [t.kind for t in tables] == [
        "summary", "income", "expenditure", "fiscal_summary", "fiscal_expenditure", "gpb_expenditure",
        "fiscal_basic", "gpb_basic", "three_costs", "gov_fund",
    ]
    assert {t.unit for t in tables} == {"万元"}
    summary, income, expenditure = tables[:3]
    # 收入 | 支出 by function | 支出 by use: the last two are both expenditure sides
    assert [p.side for p in summary.panels] == ["income", "expense", "expense"]
    subtotal = [r for p in summary.panels for r in p.rows if r.name == "当年支出小计" and r.cells]
    assert len(subtotal) == 1  # its label stands in one panel, its figure (merged cells) in the other
    # 收入预算总表: group | 小计 and | item rows under it
    assert [(r.name, r.kind) for r in income.rows[:3]] == [("收入总计", "total"), ("一般公共预算资金小计", "total"),
                                                          ("公共财政拨款(补助)资金", "item")]
    # 支出预算总表: one row of figures, no label column; the reserve is its own column
    assert [c.key for c in expenditure.panels[0].columns] == ["total", "basic", "project", "reserve", "carry_next"]
    assert expenditure.rows[0].name == "合计"
    three = tables[8]
    assert [c.key for c in three.panels[0].columns] == [
        "total", "three_costs", "abroad", "car", "car_purchase", "car_running", "reception", "meeting", "training"]


def test_putuo_nine_tables_in_yuan_with_the_three_costs_table_in_wan():
    tables = tables_of(putuo(dataclasses.replace(SAMPLE, reserve=0)))
    assert [(t.kind, t.unit) for t in tables] == [
        ("summary", "元"), ("income", "元"), ("expenditure", "元"), ("fiscal_summary", "元"), ("gpb_expenditure", "元"),
        ("gpb_basic", "元"), ("three_costs", "万元"),
    ]
    basic = tables[5]
    # 经济分类 codes split into 类 | 款
    assert [r.code for r in basic.rows if r.code] == ["301", "30101", "30102"]
    three = tables[6]
    assert [c.key for c in three.panels[0].columns] == [
        "three_costs", "abroad", "reception", "car", "car_purchase", "car_running", "running"]


def test_a_table_without_title_is_recognised_by_its_header_shape():
    text = "下表为本单位基本支出。\n\n" + grid(
        ["项目", "", "一般公共预算基本支出", "", ""],
        ["经济分类科目编码", "部门经济分类科目名称", "合计", "人员经费", "公用经费"],
        ["301", "工资福利支出", "10.00", "10.00", ""],
        ["合计", "", "10.00", "10.00", ""],
    )
    (table,) = tables_of(text)
    assert table.kind == "gpb_basic" and table.name("zh") == "一般公共预算基本支出表"


@pytest.mark.parametrize("title, kind", [
    ("公开06表财政拨款基本支出预算表(经济科目)", "fiscal_basic"),
    ("一般公共预算财政拨款基本支出表", "gpb_basic"),
    ("2025年预算单位一般公共预算基本支出部门预算经济分类预算表", "gpb_basic"),
    ("政府性基金预算财政拨款支出预算表", "gov_fund"),
    ("财政拨款政府性基金支出预算表", "gov_fund"),
    ("2025年部门国有资本经营预算支出功能分类预算表", "state_capital"),
    ("一般公共预算机关运行经费支出预算表", "running_costs"),
    ("2025年单位“三公”经费和机关运行经费预算表", "three_costs"),
    ("“三公”经费、会议费、培训费支出预算表公开表", "three_costs"),
    ("2025年部门财务收支预算总表", "summary"),
    ("财政拨款支出预算表(功能科目)", "fiscal_expenditure"),
    ("2019年政府采购预算表", "procurement"),
    ("政府采购支出预算表", "procurement"),
])
def test_title_aliases_of_the_three_provinces(title, kind):
    from audit.facts.tables import clean, table_lexicon

    assert table_lexicon().title_kind(clean(title)) == kind


def test_meta_line_naming_the_table_is_no_title():
    """`编制部门：… 单位:万元注:本部门…无“三公”经费…故本表为空表。` belongs to the table above it."""
    text = ("2025年部门“三公”经费和机关运行经费预算表\n\n编制部门：某街道办事处 单位:万元注:本部门无“三公”经费预算，故本表为空表。\n\n"
            + grid(["“三公”经费预算数", "", "机关运行经费预算数"], ["合计", "公务接待费", ""], ["1.00", "1.00", "5.00"]))
    (table,) = tables_of(text)
    assert table.title.startswith("2025年部门") and table.unit == "万元"


# --- what the PDF reader may hand over: glued tables, shifted pages, figures out of place ----------


def test_two_tables_without_a_blank_line_between_are_cut_at_the_second_title():
    text = grid(
        ["财政拨款支出预算表部门：某部门 单位：万元", "", ""],
        ["功能科目编码", "功能科目名称", "金额"],
        ["合计", "", "10.00"],
        ["201", "一般公共服务支出", "10.00"],
        ["财政拨款基本支出预算表部门：某部门 单位：万元", "", ""],
        ["科目编码", "科目名称", "金额"],
        ["合计", "", "4.00"],
        ["301", "工资福利支出", "4.00"],
    )
    first, second = tables_of(text)
    assert (first.kind, first.title, first.unit, len(first.rows)) == ("fiscal_expenditure", "财政拨款支出预算表", "万元", 2)
    assert (second.kind, [r.code for r in second.rows]) == ("fiscal_basic", [None, "301"])


def test_a_page_read_without_the_tables_empty_first_column_is_aligned():
    page1 = grid(["", "采购品目大类", "采购物品名称", "总计"], ["", "合计", "", "30.00"], ["", "一、货物A", "", "10.00"])
    page2 = grid(["二、服务C", "", "20.00"])  # one column short, its figure still last
    (table,) = tables_of("政府采购预算表\n\n" + page1 + "\n" + page2)
    assert [(r.name, r.cells[3].text) for r in table.rows if 3 in r.cells] == [("合计", "30.00"), ("货物A", "10.00"), ("服务C", "20.00")]


def test_a_figure_in_a_label_column_makes_its_row_unknown_not_blank():
    text = "一般公共预算基本支出表\n\n" + grid(
        ["科目编码", "科目名称", "金额"],
        ["302", "商品和服务支出", "30.00"],
        ["30201", "办公费", "10.00"],
        ["30205", "20.00", ""],  # the name lost and the figure shifted into the name's column
    )
    (table,) = tables_of(text)
    assert table.rows[2].unreadable and not table.rows[2].cells


def test_split_codes_printed_without_their_leading_zero():
    text = "2024年部门一般公共预算基本支出部门预算经济分类预算表\n\n单位：元\n\n" + grid(
        ["经济分类科目编码", "", "经济分类科目名称", "合计"],
        ["类", "款", "", ""],
        ["301", "", "工资福利支出", "30"],
        ["301", "2", "津贴补贴", "10"],
        ["301", "07", "绩效工资", "20"],
    )
    (table,) = tables_of(text)
    assert [r.code for r in table.rows] == ["301", "30102", "30107"]
