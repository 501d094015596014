"""The 指标值 reader (audit/indicators/): every form seen in the corpus, what each convention gives,
totality on any text, and the memo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.indicators import Constraint, Dimension, Kind, parse_value, unit_table

D = Decimal
Q, L, U, E = Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.UNPARSED, Kind.EMPTY
P, M, C, T, DT, A, LN, R, O, N = (
    Dimension.PERCENT, Dimension.MONEY, Dimension.COUNT, Dimension.DURATION, Dimension.DATE,
    Dimension.AREA, Dimension.LENGTH, Dimension.RATE, Dimension.OTHER, Dimension.NONE,
)

# text, kind, comparator, value, unit, dimension
PLAIN = [
    ("≥90百分比", Q, ">=", "90", "%", P),
    ("≥95%", Q, ">=", "95", "%", P),
    ("100%", Q, None, "100", "%", P),
    ("≤24小时", Q, "<=", "24", "小时", T),
    ("≤24h", Q, "<=", "24", "小时", T),
    ("≥30起", Q, ">=", "30", "起", C),
    ("≤1860元", Q, "<=", "1860", "元", M),
    ("5个", Q, None, "5", "个", C),
    ("<1百分比", Q, "<", "1", "%", P),
    (">50百分比", Q, ">", "50", "%", P),
    ("＞3万元", Q, ">", "3", "万元", M),
    ("≥2万", Q, ">=", "2", "万", O),
    ("≥6.4万", Q, ">=", "6.4", "万", O),
    ("≥150000元", Q, ">=", "150000", "元", M),
    ("≥3000元/月", Q, ">=", "3000", "元/月", R),
    ("≤150 元/人", Q, "<=", "150", "元/人", R),
    ("548 平方米", Q, None, "548", "平方米", A),
    ("≤4380 元/条", Q, "<=", "4380", "元/条", R),
    ("588 元/部", Q, None, "588", "元/部", R),
    ("≥1 年", Q, ">=", "1", "年", T),
    ("≥10月份", Q, ">=", "10", "月份", DT),
    ("12.31日期", Q, None, "12.31", "日期", DT),
    ("≥100百分百", Q, ">=", "100", "%", P),
    ("≤14.55万元", Q, "<=", "14.55", "万元", M),
    ("≥2 次", Q, ">=", "2", "次", C),
    ("≥600 人", Q, ">=", "600", "人", C),
    ("1年", Q, None, "1", "年", T),
    ("≥30万辆", Q, ">=", "30", "万辆", C),
    ("≥2万张", Q, ">=", "2", "万张", C),
    ("≥90000户", Q, ">=", "90000", "户", C),
    ("≥60公里", Q, ">=", "60", "公里", LN),
    ("≥18度", Q, ">=", "18", "度", O),
    ("≥120天", Q, ">=", "120", "天", T),
    ("≤2天", Q, "<=", "2", "天", T),
    ("≥3个工作日", Q, ">=", "3", "工作日", T),
    ("≤3个月", Q, "<=", "3", "月", T),
    ("≥2季度", Q, ">=", "2", "季度", T),
    ("≥5000元/人·年", Q, ">=", "5000", "元/人·年", R),
    ("≤300元/人/月", Q, "<=", "300", "元/人/月", R),
    ("≤80元/平方米", Q, "<=", "80", "元/平方米", R),
    ("≤2元每人", Q, "<=", "2", "元/人", R),
    ("≥5亿元", Q, ">=", "5", "亿元", M),
    ("≥100GB", Q, ">=", "100", "GB", O),
    ("≥20㎡", Q, ">=", "20", "平方米", A),
    ("≥3亩", Q, ">=", "3", "亩", A),
    ("≥500米", Q, ">=", "500", "米", LN),
    ("≥3万次", Q, ">=", "3", "万次", C),
    ("≥95％", Q, ">=", "95", "%", P),
    ("≥９５％", Q, ">=", "95", "%", P),
    ("≥3‰", Q, ">=", "3", "‰", P),
    # comparator spellings
    (">=95%", Q, ">=", "95", "%", P),
    ("<=95%", Q, "<=", "95", "%", P),
    ("=<95%", Q, "<=", "95", "%", P),
    ("=>95%", Q, ">=", "95", "%", P),
    ("=100%", Q, "=", "100", "%", P),
    ("≧95%", Q, ">=", "95", "%", P),
    ("≦95%", Q, "<=", "95", "%", P),
    ("＜5%", Q, "<", "5", "%", P),
    ("大于等于95%", Q, ">=", "95", "%", P),
    ("不低于95%", Q, ">=", "95", "%", P),
    ("不少于10人", Q, ">=", "10", "人", C),
    ("至少3次", Q, ">=", "3", "次", C),
    ("95%以上", Q, ">=", "95", "%", P),
    ("小于等于5万元", Q, "<=", "5", "万元", M),
    ("不高于5%", Q, "<=", "5", "%", P),
    ("不超过24小时", Q, "<=", "24", "小时", T),
    ("24小时以内", Q, "<=", "24", "小时", T),
    ("控制在24小时以内", Q, "<=", "24", "小时", T),
    ("控制在10万元", Q, "<=", "10", "万元", M),
    ("大于90%", Q, ">", "90", "%", P),
    ("小于5%", Q, "<", "5", "%", P),
    ("高于90%", Q, ">", "90", "%", P),
    ("低于5%", Q, "<", "5", "%", P),
    ("达到100%", Q, ">=", "100", "%", P),
    ("等于100%", Q, "=", "100", "%", P),
    ("5%以下", Q, "<=", "5", "%", P),
    # dates
    ("12月31日前", Q, "<=", "12.31", "日期", DT),
    ("10月前", Q, "<=", "10", "月份", DT),
    ("2023年12月31日", Q, None, "20231231", "年月日", DT),
    ("2023年12月", Q, None, "202312", "年月", DT),
    ("10月底前", Q, "<=", "10", "月底", DT),
    # defective but readable
    ("≥0%", Q, ">=", "0", "%", P),
    ("0%", Q, None, "0", "%", P),
    ("≥90", Q, ">=", "90", None, N),
    # robustness
    ("150,000元", Q, None, "150000", "元", M),
    ("1183. 74万元", Q, None, "1183.74", "万元", M),
    ("-5%", Q, None, "-5", "%", P),
    ("100%-", Q, None, "100", "%", P),
    ("90%-95%", Q, None, "90", "%", P),
    ("90-95%", Q, None, "90", "%", P),
    ("  \t≥95%\t ", Q, ">=", "95", "%", P),
    ("≥95%。", Q, ">=", "95", "%", P),
    # qualitative
    ("效果明显", L, None, None, None, N),
    ("有效促进", L, None, None, None, N),
    ("基本保障", L, None, None, None, N),
    ("较上年有所减少", L, None, None, None, N),
    ("按进度支付", L, None, None, None, N),
    ("逐年提升", L, None, None, None, N),
    ("及时立案及时破案", L, None, None, None, N),
    ("完全保障", L, None, None, None, N),
    ("效果良好", L, None, None, None, N),
    # glued to free text
    ("≥160年抓获犯罪嫌疑人数量", U, ">=", "160", None, N),
    ("90不超出预算数", U, None, "90", None, N),
    ("≥100按照当年实际人数发放年度工作安排", U, ">=", "100", None, N),
    # empty
    ("", E, None, None, None, N),
    ("   \t  ", E, None, None, None, N),
]

STRUCTURED = [
    ("符号>=值100单位起", Q, ">=", "100", "起", C),
    ("符号<=值5单位 %", Q, "<=", "5", "%", P),
    ("符号 >= 值 4.00 单位 个", Q, ">=", "4.00", "个", C),
    ("符号  <=  值  12.00  单位  万元", Q, "<=", "12.00", "万元", M),
    ("符号>=\t值95.00\t单位%", Q, ">=", "95.00", "%", P),
    ("符号 = 值 1.00 个 个", Q, "=", "1.00", "个", C),
    ("符号 = 值 100.00 辆 百分比", Q, "=", "100.00", "%", P),
    ("符号 >= 值 95.00 单位 ", Q, ">=", "95.00", None, N),
    ("符号 文字描述 值 95.00 单位 长期", L, None, "95.00", None, N),
    ("符号文字描述值0单位长期", L, None, "0", None, N),
    ("符号 文字描述 值 619.06 辆 提高", L, None, "619.06", None, N),
    ("符号文字描述单位提高", L, None, None, None, N),
    ("符号>=", U, ">=", None, None, N),
    ("符号<=值565.98单位万", Q, "<=", "565.98", "万", O),
    ("符号=值4单位各岗位", Q, "=", "4", "各岗位", O),
    ("符号=值112单位月", Q, "=", "112", "月", T),
    ("符号 = 值 100.00 单位 %", Q, "=", "100.00", "%", P),
    ("符号 = 值 1260.00 单位 路", Q, "=", "1260.00", "路", C),
    ("符号= 值281.00 单位人", Q, "=", "281.00", "人", C),
    ("符号<=\t值565.98\t单位万", Q, "<=", "565.98", "万", O),
    ("符号 文字描述 值 76.01 单位 12月31日", L, None, "76.01", "12月31日", DT),
]


@pytest.mark.parametrize(("text", "kind", "comparator", "value", "unit", "dimension"), PLAIN + STRUCTURED)
def test_forms(text, kind, comparator, value, unit, dimension):
    c = parse_value(text)
    assert isinstance(c, Constraint)
    assert c.raw == text
    assert c.kind is kind, c
    assert c.comparator == comparator, c
    if value is None:
        assert c.value is None, c
    else:
        assert c.value == D(value) and str(c.value) == value, c
    assert c.unit == unit, c
    assert c.dimension is dimension, c
    assert (c.dimension is Dimension.NONE) == (c.unit is None)
    if c.value_span is not None and kind is not E:
        a, b = c.value_span
        assert 0 <= a < b <= len(text)
    assert c.describe("zh") and c.describe("en")


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("≪4 万元", {"ocr-comparator"}),
        ("≥90", {"missing-unit"}),
        ("≥0%", {"zero-value"}),
        ("≥2万", {"ambiguous-unit"}),
        ("符号 = 值 1.00 个 个", {"unit-overwritten"}),
        ("符号 >= 值 95.00 单位 ", {"unit-missing-in-structured-form", "missing-unit"}),
        ("符号=值4单位各岗位", {"unknown-unit"}),
        ("符号>=", {"missing-value"}),
        ("符号 值 5 单位 %", {"missing-comparator"}),
        ("符号 >= 值 95 %", {"unit-label-missing"}),
        ("90%-95%", {"range"}),
        ("100%-", {"trailing-junk"}),
        ("1183. 74万元", {"ocr-space-in-number"}),
        ("≥160年抓获犯罪嫌疑人数量", {"glued-text", "missing-unit"}),
        ("约95%", {"approximate"}),
        ("95%左右", {"approximate"}),
        ("13月5日", {"invalid-date"}),
    ],
)
def test_notes(text, notes):
    c = parse_value(text)
    assert notes <= set(c.notes), c


def test_decimals_and_span():
    c = parse_value("符号 >= 值 95.00 单位 %")
    assert c.value == D("95.00") and c.decimals == 2
    assert c.raw[slice(*c.value_span)] == "95.00"
    c = parse_value("≥１００％")            # full-width: offsets are into raw, not the NFKC text
    assert c.decimals == 0 and c.raw[slice(*c.value_span)] == "１００"
    assert c.unit == "%" and c.unit_raw == "％"
    c = parse_value("1183. 74万元")
    assert c.decimals == 2 and c.raw[slice(*c.value_span)] == "1183. 74"
    c = parse_value("\u200b≥\u00a0９５百分比")     # zero-width space and NBSP before the number
    assert c.value == D("95") and c.raw[slice(*c.value_span)] == "９５" and c.unit_raw == "百分比"
    c = parse_value("≥20㎡")                   # ㎡ -> m2 under NFKC: the span still maps back
    assert c.unit_raw == "㎡" and c.raw[slice(*c.value_span)] == "20"


def test_text_described():
    c = parse_value("符号 文字描述 值 95.00 单位 长期")
    assert c.text_described and c.kind is Kind.QUALITATIVE
    assert c.value == D("95.00") and c.unit_raw == "长期" and c.unit is None
    c = parse_value("符号文字描述单位提高")
    assert c.text_described and c.value is None and c.unit_raw == "提高"
    c = parse_value("符号 文字描述 值 619.06 辆 提高")
    assert c.text_described and c.unit_raw == "提高" and "unit-overwritten" in c.notes


def test_glued_text():
    c = parse_value("≥160年抓获犯罪嫌疑人数量")
    assert c.glued_text == "年抓获犯罪嫌疑人数量" and c.value == D(160) and c.unit is None
    assert c.raw[slice(*c.value_span)] == "160"
    assert parse_value("90不超出预算数").glued_text == "不超出预算数"
    assert parse_value("≥100按照当年实际人数发放年度工作安排").glued_text == "按照当年实际人数发放年度工作安排"
    c = parse_value("≥95%（含）")              # % cannot start a word: kept as the unit
    assert c.unit == "%" and c.glued_text == "（含）" and c.kind is Kind.UNPARSED


def test_range():
    c = parse_value("90%-95%")
    assert c.comparator is None and c.value == D(90) and c.upper_value == D(95) and c.unit == "%"
    assert "区间" in c.describe() and "range" in c.describe("en")


def test_as_wan():
    assert parse_value("≤1860元").as_wan == D("0.1860")
    assert parse_value("≤14.55万元").as_wan == D("14.55")
    assert parse_value("≥5亿元").as_wan == D("50000")
    assert parse_value("≥95%").as_wan is None
    assert parse_value("≥2万").as_wan is None              # bare 万 is not known to be money
    assert parse_value("≤150 元/人").as_wan is None        # a rate, not an amount


def test_describe():
    assert parse_value("≥90百分比").describe() == "定量：≥ 90 %（百分比）"
    assert parse_value("≥90百分比").describe("en") == "quantitative: >= 90 % (percent)"
    assert parse_value("效果明显").describe() == "定性：效果明显"
    assert parse_value("90不超出预算数").describe().startswith("无法识别：90不超出预算数")
    assert parse_value("90不超出预算数").describe("en").startswith("could not read: 90不超出预算数")
    assert parse_value("").describe() == "空值"


def test_memoised_within_a_run():
    from audit.memo import Memos, running

    text = "≥95%" + "x" * 0
    with running(Memos()):
        assert parse_value(text) is parse_value("≥95%")
        assert parse_value("效果明显") is parse_value("效果明显")
    assert parse_value(text) == parse_value("≥95%")  # outside a run: the same reading, made afresh


def test_not_a_string():
    assert parse_value(None).kind is Kind.EMPTY          # type: ignore[arg-type]
    assert parse_value(95).value == D(95)                # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["\x00", "\ud800", "≥" * 5000, "9" * 5000, "符号" * 1000, "符号 >= 值 " + "1" * 3000 + " 单位 %",
     "😀≥95%😀", "≥95%\x07", "\u0301\u0301", "1" + "\t" * 1000 + "%", "1.", ".5", "1,00", "〇",
     "٣٤%", "≥½", "①②", "—", "--5%", "5%%", "值", "单位", "文字描述", "≥95%" * 500],
)
def test_odd_inputs(text):
    c = parse_value(text)
    assert isinstance(c, Constraint) and isinstance(c.kind, Kind)
    c.describe()
    c.describe("en")


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_total_on_any_text(text):
    c = parse_value(text)
    assert isinstance(c, Constraint)
    c.describe()
    if c.value_span is not None:
        a, b = c.value_span
        assert 0 <= a < b <= len(text)


_ALPHABET = (
    list("0123456789.,-+%‰ \t/·～~") + list("≥≤=><＞＜≧≦≪≫")
    + ["符号", "值", "单位", "文字描述", "大于等于", "不低于", "以上", "以内", "控制在", "前", "左右", "约"]
    + sorted(unit_table()) + ["效果", "明显", "年抓获", "按照"]
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ALPHABET), max_size=12).map("".join))
def test_total_on_grammar_alphabet(text):
    c = parse_value(text)
    assert isinstance(c, Constraint)
    assert c.kind is not Kind.UNPARSED or "internal-error" not in c.notes, text
    c.describe("en")
    if c.value_span is not None:
        a, b = c.value_span
        assert 0 <= a < b <= len(text)


# ------------------------------------------------------------------------------------------
# The real corpus.

HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def corpus_values(folder: Path) -> list[str]:
    """Every 指标值 cell of the corpus (5th cell of rows under the performance-table header)."""
    values: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if any(line.split("\t")[:6] == HEADER for line in lines):      # tab-grid layout (004)
            active = False
            for line in lines:
                parts = line.split("\t")
                if parts[:6] == HEADER:
                    active = True
                elif active and len(parts) >= 6 and line.strip():
                    values.append(parts[4])
                else:
                    active = False
            continue
        i = 0                                                            # cell-per-line layout
        while i < len(lines):
            if [ln.strip() for ln in lines[i:i + 6]] == HEADER and lines[i].startswith("\t"):
                i += 6
                while True:
                    while i < len(lines) and lines[i] == "":
                        i += 1
                    cells: list[str] = []
                    while i < len(lines) and lines[i] != "":
                        if lines[i].startswith("\t"):
                            cells.append(lines[i][1:])
                        elif cells:                                      # wrapped cell
                            cells[-1] += lines[i]
                        else:
                            break
                        i += 1
                    if len(cells) != 6:
                        break
                    values.append(cells[4])
            else:
                i += 1
    return values


def test_corpus(corpus_dir, record_property):
    values = corpus_values(corpus_dir)
    assert len(values) > 900
    parsed = [parse_value(v) for v in values]
    unparsed = sorted({c.raw for c in parsed if c.kind is Kind.UNPARSED})
    record_property("unparsed", unparsed)
    print(f"\n{len(values)} 指标值 cells, {len(set(values))} distinct, UNPARSED: {unparsed}")
    assert not any("internal-error" in c.notes for c in parsed)
    # Every UNPARSED corpus value is a number glued to free text, not a grammar gap.
    for c in parsed:
        if c.kind is Kind.UNPARSED:
            assert c.glued_text, c
    assert set(unparsed) <= {
        "≥160年抓获犯罪嫌疑人数量", "≥100年抓获犯罪嫌疑人数量", "90不超出预算数",
        "≥100按照当年实际人数发放年度工作安排", "≥100根据实际人数发放", "≥100按照管理办法每人每年6万余元",
        "≥100按实际调查统计情况", "≥100按照实际调查统计情况",
    }
    kinds = {c.kind for c in parsed}
    assert {Kind.QUANTITATIVE, Kind.QUALITATIVE, Kind.EMPTY} <= kinds


def test_cells_without_a_digit_or_符号_are_ones_the_grammar_rejects():
    """The reader skips the grammar for these (audit/indicators/reader.py): it could only reject them."""
    from audit.indicators.free_text import has_digit
    from audit.indicators.grammar import NotInGrammar, parse
    from audit.indicators.text import CellText

    samples = ["效果明显", "逐年提升", "——", "≥", "符号文字描述", " 符号 ", "大于", "提高 %", "个", "约", "至",
               "长期", "%", "万元", "≥%", "个月以内", "左右", "值", "单位", "文字描述", "逐步提高(含)"] + sorted(unit_table())
    for value in samples:
        text = CellText(value).text
        if text and not has_digit(text) and not text.startswith("符号"):
            with pytest.raises(NotInGrammar):
                parse(text, "value")


def test_corpus_values_are_parsed_once_per_run(corpus_dir, monkeypatch):
    """Each distinct 指标值 goes through the grammar once per run; repeats come from the run's memo
    (the speed itself is measured by benchmarks/stages.py, not asserted here: timings flake)."""
    from audit.indicators import reader
    from audit.memo import Memos, running

    distinct = sorted(set(corpus_values(corpus_dir)))
    read = []
    monkeypatch.setattr(reader, "read", lambda text, real=reader.read: read.append(text) or real(text))
    with running(Memos()) as memos:
        first = [parse_value(v) for v in distinct]
        assert sorted(read) == distinct
        again = [parse_value(v) for v in distinct]
        assert all(a is b for a, b in zip(again, first)) and len(read) == len(distinct)
        assert set(memos.table(reader.VALUES)) == set(distinct)
    with running(Memos()):  # another run reads afresh: nothing is kept in the process
        assert [parse_value(v) for v in distinct] == first and len(read) == 2 * len(distinct)
    parse_value(distinct[0])
    parse_value(distinct[0])  # outside a run: read each time, kept nowhere
    assert len(read) == 2 * len(distinct) + 2


# -- what reading a value costs at start-up (moved from tests/test_perf_checks.py) ----------------


def test_reading_values_loads_no_pydantic() -> None:
    """pydantic (~0.2 s of a cold start) is imported only where user input is validated."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    code = (
        "import sys\n"
        "from audit.indicators import parse_value\n"
        "for v in ('≥95%', '符号>=值95.00单位%', '90%-95%', '效果明显', '≥160年抓获'):\n"
        "    parse_value(v).describe('en')\n"
        "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": ""})
    assert done.returncode == 0, done.stderr


def test_constraint_is_a_frozen_value() -> None:
    import dataclasses

    c = parse_value("≥95%")
    assert dataclasses.is_dataclass(c) and not hasattr(c, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.value = None  # type: ignore[misc]
    same = Constraint(
        raw="≥95%", kind=Kind.QUANTITATIVE, comparator=">=", value=c.value, decimals=0, unit="%",
        unit_raw="%", dimension=Dimension.PERCENT, value_span=(1, 3),
    )
    assert same == c and hash(same) == hash(c)
    assert Constraint(raw="x", kind=Kind.EMPTY) != Constraint(raw="y", kind=Kind.EMPTY)
