"""Property fuzzing of the parsers everything else trusts: the 指标值 grammar, the figure reader,
the loader and the layout, and the whole pipeline on generated tables.

The default run uses a few hundred examples each; `pytest -m slow` runs ≥ 10,000 per property.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from audit import layout
from audit.indicators import Constraint, Kind, parse_value, unit_table
from audit.numbers import decimals, half_unit, parse_figure, repair
from audit.source import InputError, from_bytes, from_text
from tests.hardening import problem

FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck))
PIPELINE_FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
PIPELINE_SLOW = settings(max_examples=1_000, deadline=None, suppress_health_check=list(HealthCheck))

# -- alphabets --------------------------------------------------------------------------------------

_VALUE_WORDS = (
    list("0123456789０１２３４５６７８９.．,，-—－+%％‰ \t/·～~()（）:：、;；")
    + list("≥≤=><＞＜≧≦≪≫")
    + ["符号", "值", "单位", "文字描述", "大于等于", "不低于", "不高于", "以上", "以下", "以内", "控制在", "前", "左右", "约",
       "年", "月", "日", "月底", "12月31日", "2023年12月", "万元", "元", "亿元", "百分比", "个", "人次", "效果", "明显", "提升",
       "1183. 74", "1,234.56", "\u3000", "\ufffd", "\x00", "e", "E9", "NaN", "inf", "ⅳ", "½", "㎡", "①", "〇", "十二"]
    + sorted(unit_table())
)
value_texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(_VALUE_WORDS), max_size=14).map("".join),
)

_FIGURE_WORDS = list("0123456789０１２３４５６７８９.,，．- \t+—－/\\无%") + ["1183. 74", "1 234", "\u3000", "e5", "NaN", "Infinity"]
figure_texts = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(_FIGURE_WORDS), max_size=16).map("".join))

_LAYOUT_WORDS = (
    ["\t", "\t", "\t", "\n", "\n", "\n\n", " ", "\r\n", "\r", "\u3000", "\x0c"]
    + ["项目名称", "资金", "12.5", "100%", "（万元）", "一、", "1.", "合计", "产出指标", "≥95%", "１２３", "㎡", "ﬁ", "Å", "e\u0301"]
    + ["[bookmark: _Toc1]", "[bookmark:", " TC 1、目录 \\f C \\l 1 ", " TC ", "\\f C \\l", "<u>", "</u>", "**", "]"]
)
layout_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_LAYOUT_WORDS), max_size=60).map("".join),
)


# -- the 指标值 grammar -----------------------------------------------------------------------------


def _check_constraint(text: str) -> None:
    c = parse_value(text)
    assert isinstance(c, Constraint) and isinstance(c.kind, Kind)
    assert "internal-error" not in c.notes, text  # the safety net caught a bug in the reader
    assert parse_value(text) == c  # deterministic
    if c.value is not None:
        assert isinstance(c.value, Decimal) and c.value.is_finite(), text
    if c.value_span is not None:
        a, b = c.value_span
        assert 0 <= a < b <= len(text), (text, c.value_span)
    c.as_wan
    c.describe("zh")
    c.describe("en")


@FAST
@given(value_texts)
def test_indicator_grammar_is_total(text):
    _check_constraint(text)


@pytest.mark.slow
@SLOW
@given(value_texts)
def test_indicator_grammar_is_total_10k(text):
    _check_constraint(text)


# -- figures --------------------------------------------------------------------------------------


def _check_figure(text: str) -> None:
    value = parse_figure(text)
    assert value is None or (isinstance(value, Decimal) and value.is_finite()), (text, value)
    if value is not None:
        assert decimals(value) >= 0
        assert half_unit(value) > 0
    fixed = repair(text)
    assert repair(fixed) == fixed, text  # repairing twice changes nothing more


@FAST
@given(figure_texts)
def test_figure_reader_is_total(text):
    _check_figure(text)


@pytest.mark.slow
@SLOW
@given(figure_texts)
def test_figure_reader_is_total_10k(text):
    _check_figure(text)


amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False)


def _printed(value: Decimal, shown: int, style: int) -> str:
    text = f"{value:.{shown}f}"
    if style == 1:
        text = f"{value:,.{shown}f}"  # 1,234.56
    elif style == 2 and "." in text:
        text = text.replace(".", ". ", 1)  # OCR: 1183. 74
    elif style == 3:
        text = unicodedata.normalize("NFKC", text)
    return text


def _check_round_trip(value: Decimal, shown: int, style: int) -> None:
    text = _printed(value, shown, style)
    parsed = parse_figure(text)
    assert parsed == Decimal(text.replace(",", "").replace(" ", "")), text
    assert decimals(parsed) == shown, text


@FAST
@given(amounts, st.integers(0, 4), st.integers(0, 3))
def test_printed_figures_read_back(value, shown, style):
    _check_round_trip(value, shown, style)


@pytest.mark.slow
@SLOW
@given(amounts, st.integers(0, 4), st.integers(0, 3))
def test_printed_figures_read_back_10k(value, shown, style):
    _check_round_trip(value, shown, style)


# -- loader and layout ------------------------------------------------------------------------------


def _check_ref(source, ref: layout.Text, separators: str = "") -> None:
    """Every character of a layout text maps back to the original character it came from."""
    text = ref.text
    assert len(ref.lines) == len(text) == len(ref.cols)
    previous = (0, -1)
    for i, char in enumerate(text):
        line, col = ref.position(i)
        assert (line, col) == (ref.lines[i], ref.cols[i])
        if char in separators:
            continue
        original = source.lines[line - 1].original
        assert 0 <= col < len(original), (text, i, line, col)
        assert char in unicodedata.normalize("NFKC", original[col]), (text, i, original[col])
        assert (line, col) >= previous, (text, i)  # in document order
        previous = (line, col)
    for a, b in ((0, None), (1, -1), (len(text) // 2, None), (2, 1)):
        part = ref.slice(a, b)
        assert part == layout.Text(text[a:b], ref.lines[a:b], ref.cols[a:b])
    span = ref.span()
    if text:
        assert span is not None and 1 <= span.line <= span.end_line <= len(source.lines)
        assert span.column >= 1 and span.end_column <= len(source.lines[span.end_line - 1].original) + 1


def _check_layout(text: str) -> None:
    try:
        source = from_text(text)
    except InputError:
        # blank once a leading byte-order mark is read as one (from_text encodes to UTF-8)
        assert not text.removeprefix("\ufeff").strip() or "\x00" in text or any(ord(c) < 32 for c in text)
        return
    for line in source.lines:
        for i in range(len(line.text)):
            assert line.text[i] in unicodedata.normalize("NFKC", line.original[line.column(i)])
    for block in layout.blocks(source):
        if isinstance(block, layout.Table):
            # flat: text a PDF tool extracted (audit/layout_flat.py), a row a line of spaced cells
            assert block.layout in ("cells", "grid", "flat") and block.rows
            for row in block.rows:
                assert row.line <= row.end_line
                for cell in row.cells:
                    assert cell.text == cell.ref.text == cell.text.strip()
                    _check_ref(source, cell.ref, separators="" if block.layout == "grid" else "\n")
                    cell.span
        else:
            assert block.text == "".join(ref.text for ref in block.line_refs)
            assert 1 <= block.line <= block.end_line <= len(source.lines)
            _check_ref(source, block.ref)
            for ref in block.line_refs:
                assert ref.text and ref.text == ref.text.strip()
                _check_ref(source, ref)


@FAST
@given(layout_texts)
@example("12.5\n\x0c12.5")  # two figure lines across a page break: a flat table
def test_layout_maps_every_character_back(text):
    _check_layout(text)


@pytest.mark.slow
@SLOW
@given(layout_texts)
def test_layout_maps_every_character_back_10k(text):
    _check_layout(text)


def _check_bytes(data: bytes) -> None:
    try:
        source = from_bytes(data)
    except InputError as exc:
        assert str(exc)
        return
    assert source.lines and source.encoding
    layout.blocks(source)


@FAST
@given(st.binary(max_size=300))
def test_loader_on_arbitrary_bytes(data):
    _check_bytes(data)


@pytest.mark.slow
@SLOW
@given(st.binary(max_size=300))
def test_loader_on_arbitrary_bytes_10k(data):
    _check_bytes(data)


# -- the whole pipeline on generated performance tables ---------------------------------------------

_CELL_VALUES = st.one_of(
    st.sampled_from(["", "-", "0", "0.00", "12.5", "100", "100%", "≥95%", "≤3个", "12月底前", "合计", "1183. 74", "１２", "／", "无"]),
    value_texts,
)


def _row(cells: list[str]) -> str:
    return "".join(f"\t{c}\n" for c in cells) + "\n"


@st.composite
def documents(draw) -> str:
    """A 项目绩效目标表 like the seeds', in the cell-per-line or tab-grid layout, with odd values."""
    grid = draw(st.booleans())
    rows = [
        ["项目名称", draw(st.sampled_from(["培训", "设备购置", ""]))],
        ["项目资金（万元）", "年度资金总额", draw(_CELL_VALUES), "其中：财政拨款", draw(_CELL_VALUES), "其他资金", draw(_CELL_VALUES)],
        ["资金支出计划（%）", "3月底", "6月底", "9月底", "12月底"],
        ["", *[draw(_CELL_VALUES) for _ in range(4)]],
        ["年度绩效目标", draw(st.text(max_size=30))],
        ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"],
    ]
    for _ in range(draw(st.integers(0, 6))):
        rows.append([
            draw(st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标", ""])),
            draw(st.sampled_from(["数量指标", "质量指标", "时效指标", "经济成本指标", "社会效益指标", "服务对象满意度指标", ""])),
            draw(st.sampled_from(["培训人数", "完成率", "满意度", "成本", ""])),
            draw(st.text(max_size=8)),
            draw(_CELL_VALUES),
            draw(st.sampled_from(["计划", "历史标准", ""])),
        ])
    head = draw(st.sampled_from(["", "1.培训项目绩效目标表\n", "一、部门预算公开\n本单位2024年收入预算120.5万元，支出预算120.5万元。\n\n"]))
    if grid:
        body = "".join("\t".join(r) + "\n" for r in rows)
    else:
        body = "".join(_row(r) for r in rows)
    return head + body


def _check_document(text: str) -> None:
    found = problem(text.encode("utf-8"), seconds=60)
    assert found is None, f"{found}\n--- document ---\n{text}"


@PIPELINE_FAST
@given(documents())
def test_pipeline_on_generated_tables(text):
    _check_document(text)


@pytest.mark.slow
@PIPELINE_SLOW
@given(documents())
def test_pipeline_on_generated_tables_1k(text):
    _check_document(text)


def test_half_unit_never_underflows():
    """Regression: a figure shown with over a million decimals made half_unit 0 (context underflow)."""
    value = parse_figure("0." + "0" * 1_200_000 + "1")
    assert decimals(value) == 1_200_001 and half_unit(value) > 0
    assert str(half_unit(Decimal("5.00"))) == "0.005" and str(half_unit(Decimal("12"))) == "0.5"
