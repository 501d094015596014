"""Project facts (项目绩效目标表) from both table layouts, and the counts on the real seeds."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest
from pydantic_core import to_jsonable_python

from audit.facts.projects import Indicator, extract_projects
from audit.layout import blocks
from audit.source import from_text, load


def cells(*values: str) -> str:
    return "".join(f"\t{v}\n" for v in values) + "\n"


CELL_PROJECT = (
    "1.示范项目绩效目标表\n"
    + cells("911001示范单位本级", "单位：万元")
    + cells("项目编码", "P001", "项目名称", "示范项目")
    + cells("预算规模及资金用途", "预算数", "50.00", "其中：财政    资金", "45.00", "其他资金", "")
    + cells("资金支出计划（%）", "3月底", "6月底", "10月底", "12月底")
    + cells("", "", "50%", "100%", "")
    + cells("绩效目标", "完成示范任务")
    + cells("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
    + cells("产出指标", "数量指标", "完成数量", "完成数量", "≥10个", "计划")
    + cells("", "时效指标", "完成及时性", "及时", "≤24小时", "计划")
    + cells("效果指标", "社会效益指标", "社会效果", "社会效果", "效果明显", "计划")
    + cells("", "服务对象满意度指标", "满意度", "满意度", "≥90%", "调查")
)

GRID_PROJECT = (
    "2、网格项目绩效目标表\n\n"
    "绩效目标\t1. 保障业务开展\t\t\n"
    "一级指标\t二级指标 三级指标 绩效指标描述 指标值 指标值确定依据\t\t\n"
    "\t数量指标\t保安员人数\t提供保安服务人数\t≥2 人\t合同\n"
    "广山相似\t时效指标\t支付及时率\t支付及时率\t100%\t合同\n"
    "\t成本指标\t物业费成本\t物业费支出总数\t≤25 万元\t合同\n"
    "满意度指标\t服务对象满意度指标\t满意度\t满意程度\t≥92%\t问卷\n"
)


def test_cell_per_line_project_fields():
    (project,) = extract_projects(blocks(from_text(CELL_PROJECT)))
    assert project.name == "示范项目" and project.code == "P001"
    assert project.budget.value == Decimal("50.00") and project.fiscal.value == Decimal("45.00")
    assert project.other is None  # a blank cell is absent, not zero
    assert project.goal == "完成示范任务"
    # aligned by cell position: 3月底 empty, 12月底 empty
    points = {p.period: p.value for p in project.schedule.points}
    assert points == {"3月底": None, "6月底": Decimal(50), "10月底": Decimal(100), "12月底": None}
    assert [i.level1 for i in project.indicators] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert project.indicators[1].level1_source == "inferred"
    assert project.indicators[0].value.value == Decimal(10)
    assert project.indicators[0].value_span.line == project.indicators[0].span.line + 4


def test_tab_grid_project_with_collapsed_header_and_garbled_level1():
    (project,) = extract_projects(blocks(from_text(GRID_PROJECT)))
    assert project.name == "网格项目"
    assert project.goal == "1. 保障业务开展"
    assert [i.level2 for i in project.indicators] == ["数量指标", "时效指标", "成本指标", "服务对象满意度指标"]
    # 广山相似 is OCR for 产出指标: inferred from the 二级, never taken as written
    assert project.indicators[1].level1_raw == "广山相似"
    assert project.indicators[1].level1 == "产出指标" and project.indicators[1].level1_source == "inferred"
    assert project.indicators[2].value.as_wan == Decimal(25)


def test_collapsed_table_is_recorded_as_insufficient_not_guessed():
    text = "13、培训考试费绩效目标表\n\n满意度指标\n\n1. 组织培训 绩效目标 一级指标 二级指标 三级指标 指标值 ≥457\n"
    (project,) = extract_projects(blocks(from_text(text)))
    assert project.indicators == []
    assert project.insufficient and "collapsed" in project.insufficient[0]


def test_procurement_table_project_name_column_is_not_a_project():
    text = cells("项目名称", "预算资金", "数量") + cells("办公设备", "10.00", "2")
    assert extract_projects(blocks(from_text(text))) == []


EXPECTED = {"000": (33, 0), "001": (54, 54), "002": (14, 14), "003": (18, 0), "004": (24, 0)}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_corpus_project_counts(prefix, seed):
    projects = extract_projects(blocks(load(seed(prefix))))
    expected_projects, expected_schedules = EXPECTED[prefix]
    assert len(projects) == expected_projects
    assert sum(1 for p in projects if p.schedule) == expected_schedules
    # every project but the collapsed one (004 item 13) has indicators, each with a 一级
    for project in projects:
        if project.insufficient:
            assert prefix == "004" and project.index == 13
            continue
        assert project.indicators, project.name
        assert all(i.level1 for i in project.indicators), project.name


def test_corpus_001_budgets_and_schedules(seed):
    projects = extract_projects(blocks(load(seed("001"))))
    assert all(p.budget is not None for p in projects)
    assert projects[0].name == "2022年第二批中央政法转移支付扫黑除恶资金"
    assert projects[0].budget.value == Decimal("50.00")
    assert all(len(p.schedule.points) == 4 for p in projects)


def test_row_split_by_a_stray_blank_line_is_joined():
    text = (
        "1.示范项目绩效目标表\n"
        + cells("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        + "\t\n\t成本指标\n\t成本控制率\n\n\n"
        + cells("实际支出占预算比例", "≤100百分比", "年度工作计划")
        + cells("满意度指标", "服务对象满意度指标", "满意度", "满意度", "≥90%", "调查")
    )
    (project,) = extract_projects(blocks(from_text(text)))
    assert [(i.level3, i.value.raw) for i in project.indicators] == [("成本控制率", "≤100百分比"), ("满意度", "≥90%")]


def test_short_row_that_does_not_join_the_next_is_read_alone_and_never_joins_a_later_one():
    """A short row followed by a full one is no split row: it must not wait and join a later half."""
    text = (
        "1.示范项目绩效目标表\n"
        + cells("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        + cells("产出指标", "数量指标", "培训人数")  # short, and the next row is full
        + cells("", "质量指标", "合格率", "合格率", "≥95%", "计划")
        + cells("效益指标", "社会效益指标", "知晓率")  # these two are one row cut in two
        + cells("知晓率", "≥90%", "调查")
    )
    (project,) = extract_projects(blocks(from_text(text)))
    assert [(i.level2, i.level3, i.value.raw) for i in project.indicators] == [
        ("质量指标", "合格率", "≥95%"),
        ("社会效益指标", "知晓率", "≥90%"),
    ]


@pytest.mark.parametrize("after", ["", "2.下一项目绩效目标表\n", "一级指标 二级指标 三级指标 指标值\n"])
def test_short_last_row_of_a_table_is_read(after):
    """With 指标值 in the first columns, a short last row carries a value: it is read when the project or table ends."""
    text = (
        "1.示范项目绩效目标表\n"
        + cells("一级指标", "二级指标", "三级指标", "指标值", "绩效指标描述", "指标值确定依据")
        + cells("产出指标", "数量指标", "培训人数", "≥100人", "培训人数", "计划")
        + cells("效益指标", "社会效益指标", "知晓率", "≥90%")
        + after
    )
    project = extract_projects(blocks(from_text(text)))[0]
    assert [(i.level3, i.value.raw) for i in project.indicators] == [("培训人数", "≥100人"), ("知晓率", "≥90%")]


def test_narrative_section_after_the_indicators_ends_the_project():
    text = (
        "1.示范项目绩效目标表\n"
        + cells("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
        + cells("产出指标", "数量指标", "数量", "数量", "≥1个", "计划")
        + "六、政府采购预算情况\n2020年安排政府采购预算10.00万元。\n"
        + cells("政府采购项目来源", "采购物品名称", "数量", "单价", "政府采购金额")
        + cells("办公设备", "电脑", "2", "0.50", "1.00")
    )
    (project,) = extract_projects(blocks(from_text(text)))
    assert len(project.indicators) == 1


def test_unit_line_in_the_heading_paragraph_applies_to_the_project():
    text = "1.示范项目绩效目标表\n单位：元\n" + cells("预算规模及资金用途", "预算数", "50000.00", "其他资金", "")
    (project,) = extract_projects(blocks(from_text(text)))
    assert project.budget.unit == "元"


# -- an Indicator's spans are made on first read from the row the builder kept: they read, compare,
# copy and dump exactly as spans given to the constructor


SPANS = ("span", "value_span", "name_span", "level2_span")


def eager(indicator: Indicator) -> Indicator:
    """The same indicator made by its constructor, every span given."""
    return Indicator(**{f.name: getattr(indicator, f.name) for f in dataclasses.fields(Indicator)})


def built(text: str) -> list[Indicator]:
    (project,) = extract_projects(blocks(from_text(text)))
    return project.indicators


@pytest.mark.parametrize("text", [CELL_PROJECT, GRID_PROJECT])
def test_lazy_spans_equal_constructed_ones(text):
    for lazy, made in zip(built(text), [eager(i) for i in built(text)]):
        assert lazy == made and repr(lazy) == repr(made)
        assert to_jsonable_python(lazy) == to_jsonable_python(made)  # what `audit extract` prints


@pytest.mark.parametrize("text", [CELL_PROJECT, GRID_PROJECT])
def test_lazy_spans_survive_copy_and_pickle(text):
    for indicator in built(text):
        for twin in (copy.copy(indicator), copy.deepcopy(indicator), pickle.loads(pickle.dumps(indicator))):
            assert twin == eager(indicator)


def test_spans_point_at_their_cells():
    first = built(CELL_PROJECT)[0]  # 产出指标 | 数量指标 | 完成数量 | 完成数量 | ≥10个 | 计划
    assert first.span.line == first.level2_span.line - 1
    assert first.name_span.line == first.span.line + 2
    assert first.value_span.line == first.span.line + 4


def test_a_set_span_wins_and_unknown_names_still_fail():
    indicator = built(CELL_PROJECT)[0]
    other = built(GRID_PROJECT)[0].span
    indicator.value_span = other
    assert indicator.value_span is other
    with pytest.raises(AttributeError):
        indicator.no_such_field  # noqa: B018
    with pytest.raises(AttributeError):
        Indicator.__new__(Indicator).span  # noqa: B018  (a hand-made, unfilled one has no row)


# -- squashed rows (moved from tests/test_perf_projects.py: the table finder matches on them) -----


def test_a_row_is_squashed_as_its_cells_are():
    from audit.facts.projects import _squash, _squashed_row
    from audit.layout import Cell, Row, Text

    texts = ["项目 名称", "", " 培训\n经费 ", "≥ 95 %"]
    row = Row([Cell(t, Text(), 1) for t in texts], 1, 1)
    assert _squashed_row(row).split("\0") == [_squash(t) for t in texts]


def test_a_table_is_squashed_as_its_rows_are():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from audit.facts.projects import _squashed_row, _squashed_rows
    from audit.layout import Cell, Row, Text

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(st.text(alphabet="项目 名称\n\t\0\1\x1c9%", max_size=6), max_size=4), max_size=5))
    def squashed_alike(grid):
        rows = [Row([Cell(t, Text(), 1) for t in texts], 1, 1) for texts in grid]
        assert _squashed_rows(rows) == [_squashed_row(row) for row in rows]

    squashed_alike()
