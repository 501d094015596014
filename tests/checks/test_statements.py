"""B020 every year-on-year statement checked, B021 三公/机关运行经费/政府采购 against their table,
B022 a 类 = Σ its 项 (levels and changes), on small documents written the way disclosures are."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.model import Severity
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text
from tests.checks.test_rates import tally

RULES = RuleSet(load_rule_file(data_dir("rules") / "budget_narrative.yaml") + load_rule_file(data_dir("rules") / "statements.yaml"))
IDS = {r.id for r in RULES}


def run(text: str):
    return audit_source(from_text(text, "<fixture>"), RULES, Options(selected=IDS))


def flagged(report, rule: str | None = None) -> list:
    return [f for f in report.findings if f.severity != Severity.INFO and (rule is None or f.rule == rule)]


# --- B020: each change counted once, by whatever checks it ----------------------------------------


def test_a_change_with_its_rate_passes_and_a_wrong_rate_is_left_to_b013():
    ok = run("基本支出预算数为11700.63万元。与上年相比增加1297.52万元，增长12.47%。\n")
    assert flagged(ok) == [] and tally(ok, "B020") == {"passed": 1}
    bad = run("基本支出预算数为11700.63万元。与上年相比增加1297.52万元，增长15.47%。\n")
    assert [f.rule for f in flagged(bad)] == ["B013"]  # one slip, one finding
    assert tally(bad, "B020") == {"failed": 1}


def test_a_change_with_nothing_to_check_it_against_is_insufficient():
    report = run("2025年，某部门收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比2024年预算执行数减少2,389.52万元。\n")
    assert tally(report, "B020") == {"insufficient_data": 1}


def test_the_same_change_stated_twice_with_two_values():
    text = (
        "一、总体情况\n\n某厅2019年财政拨款支出预算27664.22万元，与上年相比增加{a}万元。\n\n"
        "五、一般公共预算支出情况\n\n某厅2019年财政拨款支出预算27664.22万元，与上年相比增加{b}万元。\n"
    )
    ok = run(text.format(a="3205.79", b="3205.79"))
    assert flagged(ok) == [] and tally(ok, "B020") == {"passed": 2}
    bad = run(text.format(a="3205.79", b="3250.79"))
    [finding] = flagged(bad)
    assert finding.rule == "B020" and "3250.79" in finding.message.zh and "3205.79" in finding.message.zh
    assert tally(bad, "B020") == {"failed": 2}  # both statements counted, one finding


def test_a_reason_naming_a_change_is_that_subjects_change():
    text = (
        "收支预算总计28849.38万元，与上年相比收、支预算总计各增加1808.29万元，增长6.69%。主要原因是基本支出增加{a}万元。\n\n"
        "此外，基本支出预算数为17123.19万元。与上年相比增加1408.29万元，增长8.96%。\n"
    )
    assert tally(run(text.format(a="1408.29")), "B020") == {"passed": 3}
    bad = run(text.format(a="1480.29"))
    assert [f.rule for f in flagged(bad)] == ["B020"]


def test_a_net_change_restates_its_paragraphs_change():
    text = "2. 人大事务（款）一般行政管理事务（项）支出2464.02万元，与上年相比增加123.67万元，增长5.28%。主要原因是增加外事经费200万元，增减相抵后增加{net}万元。\n"
    assert flagged(run(text.format(net="123.67"))) == []
    [finding] = flagged(run(text.format(net="132.67")))
    assert finding.rule == "B020"


def test_the_three_costs_change_adds_up_over_the_sentences_after_it():
    text = (
        "2025年“三公”经费预算数为37.91万元，比2024年预算减少{total}万元。其中：\n"
        "（一）因公出国（境）费0万元，比2024年预算持平。\n"
        "（二）公务用车购置及运行费36.56万元，比2024年预算减少10万元。\n"
        "（三）公务接待费1.35万元。比2024年预算持平，主要原因是公务接待费保持不变。\n"
    )
    ok = run(text.format(total="10"))
    assert flagged(ok) == [] and tally(ok, "B020").get("failed") is None
    [finding] = flagged(run(text.format(total="12")))
    assert finding.rule == "B020" and "37.91" not in finding.evidence.stated


def test_a_sentence_opening_with_x_zhong_lists_xs_parts():
    text = (
        "支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比2024年预算减少2,389.52万元。"
        "财政拨款支出预算中，一般公共预算拨款支出预算9,101.68万元，比2024年预算减少{part}万元；"
        "政府性基金拨款支出预算0万元，比2024年预算持平。\n"
    )
    ok = run(text.format(part="2,389.52"))
    assert flagged(ok) == [] and tally(ok, "B020") == {"passed": 3}
    assert [f.rule for f in flagged(run(text.format(part="2,398.52")))] == ["B020"]


# --- B022: 类 = Σ 项, across sections -------------------------------------------------------------


CLASS = (
    "（二）支出预算\n\n"
    "2．社会保障和就业（类）支出1068.78万元，与上年相比减少539.73万元。\n\n"
    "（五）财政拨款支出\n\n"
    "1．“社会保障和就业支出（类）行政事业单位离退休（款）未归口管理的行政单位离退休（项）”256.76万元，与上年相比减少{a}万元。\n"
    "2．“社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位基本养老保险缴费支出（项）”580.01万元，此项支出是今年新增支出。\n"
    "3．“社会保障和就业支出（类）行政事业单位离退休（款）机关事业单位职业年金缴费支出（项）”232.01万元，与上年一致。\n"
)


def test_a_class_change_is_the_signed_sum_of_its_items_with_new_and_unchanged_ones():
    ok = run(CLASS.format(a="1351.75"))  # −1351.75 + 580.01 (new) + 0 (与上年一致) = −771.74 ≠ −539.73 …
    assert [f.rule for f in flagged(ok)] == ["B022"]  # … so this sentence set is inconsistent
    fixed = run(CLASS.replace("232.01万元，与上年一致", "232.01万元，此项支出是今年新增支出").format(a="1351.75"))
    assert flagged(fixed) == [] and tally(fixed, "B022") == {"passed": 2}


def test_a_listing_that_may_leave_items_out_is_not_a_slip():
    text = (
        "1．公共安全（类）支出13656.34万元，与上年相比增加309.03万元。\n\n"
        "其中：\n\n1．“公共安全支出（类）检察（款）行政运行（项）”7968.14万元，与上年相比增加300.38万元。\n"
    )
    report = run(text)
    assert flagged(report) == [] and tally(report, "B022") == {"insufficient_data": 2}


# --- B021: the narrative's 三公 figures against the 三公 table ---------------------------------------

THREE_COSTS = (
    "2025年部门“三公”经费和机关运行经费预算表\n\n编制部门：某区商务委员会\t单位:万元\n\n"
    "“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数\n合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t\t\t\n"
    "\t\t\t小计\t购置费\t运行费\t\n37.91\t0\t1.35\t36.56\t15\t21.56\t464.64\n\n"
    "其他相关情况说明\n"
    "2025年“三公”经费预算数为37.91万元。其中：\n"
    "（一）因公出国（境）费0万元。\n"
    "（二）公务用车购置及运行费36.56万元。其中：公务用车购置费15万元；公务用车运行费21.56万元。\n"
    "（三）公务接待费{reception}万元。\n"
    "五、“三公”经费\n公务接待费（款）支出16万元。\n"
)


def test_three_costs_statements_against_the_table():
    ok = run(THREE_COSTS.format(reception="1.35"))
    assert flagged(ok) == [] and tally(ok, "B021") == {"passed": 6}  # the 经济分类 款 line is not the 三公 item
    [finding] = flagged(run(THREE_COSTS.format(reception="1.53")))
    assert finding.rule == "B021" and "1.53" in finding.message.zh and "表格支持 1.35万元" in finding.message.zh


def test_no_table_leaves_the_statements_unchecked():
    report = run("2025年“三公”经费预算数为37.91万元。\n")
    assert tally(report, "B021") == {"insufficient_data": 1}


# --- properties: consistent change statements are never flagged; one figure off always is ----------

DIRECTIONS = {1: ("增加", "增长"), -1: ("减少", "下降")}
FORMS = [
    "{label}预算数为{level}万元，与上年相比{move}{change}万元，{rise}{rate}%。\n",
    "{label}预算数为{level}万元。与上年相比{move}了{change}万元，{rise}{rate}%。\n",
    "{label}{level}万元，比上年{move}{change}万元，{rise} {rate} %。\n",
    "{label}{level}万元，比上年{move}{change}万元。{rise}{rate}%。\n",
]
RESTATED = "\n\n五、财政拨款支出情况\n\n{label}预算数为{level}万元，与上年相比{move}{again}万元。\n"

cents = st.integers(min_value=10_000, max_value=5_000_000).map(lambda n: Decimal(n).scaleb(-2))
labels = st.sampled_from(["基本支出", "项目支出", "机关运行经费", "单位预留机动经费"])


def _document(form: int, label: str, base: Decimal, percent: int, sign: int, off: int = 0) -> str:
    change = (base * percent / 100).quantize(Decimal("0.01"))
    rate = (change / base * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    move, rise = DIRECTIONS[sign]
    level = base + sign * change
    again = change + Decimal(off).scaleb(-2)
    text = FORMS[form].format(label=label, level=level, change=change, move=move, rise=rise, rate=rate)
    return text + RESTATED.format(label=label, level=level, move=move, again=again)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(FORMS) - 1), labels, cents, st.integers(1, 99), st.sampled_from([1, -1]))
def test_a_consistent_change_stated_twice_is_never_flagged(form, label, base, percent, sign):
    report = run(_document(form, label, base, percent, sign))
    assert flagged(report) == [] and tally(report, "B020") == {"passed": 2}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(FORMS) - 1), labels, cents, st.integers(1, 99), st.sampled_from([1, -1]), st.integers(2, 5000))
def test_a_restated_change_off_beyond_rounding_is_always_flagged(form, label, base, percent, sign, off):
    report = run(_document(form, label, base, percent, sign, off))
    assert [f.rule for f in flagged(report)] == ["B020"] and tally(report, "B020") == {"failed": 2}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cents, cents, st.sampled_from([1, -1, 0])), min_size=2, max_size=5), st.integers(0, 4), st.integers(4, 5000))
def test_a_class_is_the_sum_of_its_items_and_one_item_off_is_flagged(items, which, off):
    """`off` ≥ 0.04: beyond the rounding of up to six printed figures (±0.005 each)."""
    def document(shift: int) -> str:
        lines = []
        total_level, total_change = Decimal(0), Decimal(0)
        for number, (level, change, sign) in enumerate(items, 1):
            if number - 1 == which % len(items):
                change_shown = change + Decimal(shift).scaleb(-2) if sign else change
            else:
                change_shown = change
            total_level += level
            total_change += sign * change
            if sign == 0:
                clause = "与上年一致"
            else:
                clause = f"与上年相比{DIRECTIONS[sign][0]}{change_shown}万元"
            lines.append(f"{number}．“住房保障支出（类）住房改革支出（款）第{number}项补贴（项）”{level}万元，{clause}。\n")
        move = "增加" if total_change >= 0 else "减少"
        head = f"3．住房保障（类）支出{total_level}万元，与上年相比{move}{abs(total_change)}万元。\n\n（五）财政拨款支出\n\n"
        return head + "".join(lines)

    ok = run(document(0))
    assert flagged(ok) == [] and tally(ok, "B022").get("passed") == 2
    if items[which % len(items)][2] != 0:  # an item with a change to put off
        assert [f.rule for f in flagged(run(document(off)))] == ["B022"]


def test_a_rate_on_no_change_at_all():
    assert flagged(run("政府性基金收入预算0万元，与上年相比增加0万元，增长0%。\n")) == []
    [finding] = flagged(run("政府性基金收入预算0万元，与上年相比增加0万元，增长5%。\n"))
    assert finding.rule == "B020" and "5%" in finding.message.zh


def test_reasons_that_add_up_to_the_change_account_for_it():
    text = "6．法院（款）其他法院支出（项）支出910万元，与上年相比增加150万元，增长19.74%。主要原因是增加援藏经费预算增加100万元、扶贫经费预算增加{b}万元。\n"
    assert tally(run(text.format(b="50")), "B020") == {"passed": 3}
    # the main reasons only: a shortfall is no slip
    assert tally(run(text.format(b="40")), "B020") == {"passed": 1, "insufficient_data": 2}


# --- the analysis functions themselves --------------------------------------------------------------


def _read(text: str):
    from audit.pipeline import analyse

    return analyse(from_text(text, "<fixture>"))


def test_words_after_a_figure_say_unchanged_or_new():
    from audit.analysis.class_changes import said_new, said_unchanged

    document = _read(
        "1．机关服务（项）支出1600万元，与上年一致。\n2．职业年金缴费支出（项）232.01万元，此项支出是今年新增支出。\n"
        "3．公务接待费1.35万元。比2024年预算持平。\n4．办公费20万元，主要用于日常办公，较上年增加5万元。\n"
    )
    nodes = [n for s in document.facts.narrative.statements for n in s.nodes if n.level is not None]
    assert [said_unchanged(document, n) for n in nodes] == [True, False, True, False]
    assert [said_new(document, n) for n in nodes] == [False, True, False, False]


def test_a_listing_of_narrower_scope_is_told_by_the_tables_class_row():
    from audit.analysis.class_changes import listings

    text = (
        "财政拨款支出预算表\n\n部门：某厅\t单位：万元\n\n功能科目代码\t功能科目名称\t金额\n"
        "201\t一般公共服务支出\t16,845.17\n20131\t党委办公厅（室）及相关机构事务\t16,845.17\n"
        "2013101\t行政运行\t6,106.99\n2013102\t一般行政管理事务\t10,738.18\n\n"
        "1．一般公共服务（类）支出16992.37万元，与上年相比增加1203.44万元。\n\n"
        "1．党委办公厅（室）及相关机构事务（款）行政运行（项）支出6106.99万元，与上年相比增加101.48万元。\n"
        "2．党委办公厅（室）及相关机构事务（款）一般行政管理事务（项）支出10738.18万元，与上年相比增加1101.96万元。\n"
    )
    [listing] = listings(_read(text))
    assert len(listing.items) == 2 and listing.narrower  # 16845.17 is the 类's 财政拨款 row: no slip
    assert flagged(run(text), "B022") == []


def test_b020_words_take_a_place_in_each_language():
    from audit.checks.change_evidence import _FIXES, _SAYS, _filled
    from audit.model import Text

    said = _filled(_SAYS["repeated"], {"stated": "+5.00", "computed": "+6.00", "here": Text(zh="第3行", en="line 3"), "at": Text(zh="第9行", en="line 9")})
    assert said.zh == "的增减额在第3行为 +5.00万元，在第9行为 +6.00万元（同一科目、同一本年数），两处不一致"
    assert said.en == ": its change is +5.00 on line 3 but +6.00 on line 9 (same subject, same level)"
    assert _filled(_FIXES["rate"], {"rate": "12.5%"}) == Text(zh="核对增减额与增减幅度 12.5%", en="check the change and the rate 12.5%")
    assert set(_SAYS) == set(_FIXES)
