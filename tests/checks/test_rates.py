"""B013 rates, B010 shares and B017 one-quantity-one-value on the forms real disclosures write."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from audit.arith import mistyped
from audit.model import Severity, Status
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

RULES = RuleSet(load_rule_file(data_dir("rules") / "budget_narrative.yaml") + load_rule_file(data_dir("rules") / "ledger.yaml"))
IDS = {r.id for r in RULES}


def run(text: str):
    return audit_source(from_text(text, "<fixture>"), RULES, Options(selected=IDS))


def flagged(report, rule: str = "B013") -> list:
    """Findings of a rule that are warnings or errors (info is publisher rounding)."""
    return [f for f in report.findings if f.rule == rule and f.severity != Severity.INFO]


def tally(report, rule: str) -> dict[str, int]:
    t = report.checks[rule]
    return {s.value: getattr(t, s.value) for s in Status if getattr(t, s.value)}


# --- rates --------------------------------------------------------------------------------------------


def test_the_base_is_this_year_less_the_change_not_this_year():
    ok = run("项目支出预算数为2400.50万元。与上年相比减少了600.50万元，减少20.01%。\n")
    assert flagged(ok) == [] and tally(ok, "B013") == {"passed": 1}
    bad = run("项目支出预算数为2400.50万元。与上年相比减少了600.50万元，减少25.01%。\n")
    [finding] = flagged(bad)
    assert "3001.00" in finding.message.zh and "20.01%" in finding.message.zh


def test_two_levels_and_a_rate_without_a_change_amount():
    text = "“行政运行（项）”180.00万元。2025年执行数为150.00万元，2026年预算安排180.00万元，比2025年执行数{word}{rate}%。\n"
    ok = run(text.format(word="增加", rate="20.00"))
    assert flagged(ok) == [] and tally(ok, "B013") == {"passed": 1}
    assert [f.evidence.computed for f in flagged(run(text.format(word="增加", rate="25.00")))] == ["20.00%"]
    wrong_way = flagged(run(text.format(word="减少", rate="20.00")))
    assert len(wrong_way) == 1 and wrong_way[0].evidence.diagnosis.zh == "增减方向写反"


def test_flat_says_the_two_levels_agree():
    text = "“科普活动（项）”10.00万元。2023年当年预算执行数为10.00万元，2024年预算安排{now}万元，比2023年预算执行数持平。\n"
    ok = run(text.format(now="10.00"))
    assert flagged(ok) == [] and tally(ok, "B013") == {"passed": 1}
    [finding] = flagged(run(text.format(now="12.00")))
    assert "持平" in finding.message.zh and "增加2.00万元" in finding.message.zh


def test_last_years_own_level_is_the_base():
    text = "2017年度部门支出预算安排与2016年度相比（2016年度部门支出预算安排为8,648.07万元），增加498.72万元，增长{rate}%。\n"
    assert tally(run(text.format(rate="5.77")), "B013") == {"passed": 1}
    assert len(flagged(run(text.format(rate="6.12")))) == 1


def test_spaces_and_full_stops_inside_the_phrase():
    report = run("基本支出预算数为11700.63万元。与上年相比增加1297.52万元，增长 12.47 %。\n")
    assert flagged(report) == [] and tally(report, "B013") == {"passed": 1}


def test_one_unit_of_the_last_digit_is_rounding_reported_as_info():
    report = run("机关运行经费预算支出1115.85万元，与上年相比减少2233.13万元，下降66.69%。\n")
    assert flagged(report) == []
    [info] = [f for f in report.findings if f.rule == "B013"]
    assert info.severity == Severity.INFO and "66.68%" in info.message.zh
    # the computed value to one more decimal, not a range whose ends read the same (66.681–66.681%)
    assert "= 66.681%" in info.message.zh and "允许" not in info.message.zh and "–" not in info.message.zh


def test_a_share_within_rounding_says_its_computed_value_not_a_degenerate_range():
    report = run("部门支出合计28849.38万元，其中：单位预留机动经费182.92万元，占比0.64%。\n")
    [info] = [f for f in report.findings if f.rule == "B010"]
    assert info.severity == Severity.INFO and "= 0.634%" in info.message.zh and "之间" not in info.message.zh


def test_the_derived_change_of_two_levels_is_named_in_the_terms():
    report = run("“行政运行（项）”180.00万元。2025年执行数为150.00万元，2026年预算安排180.00万元，比2025年执行数增加25.00%。\n")
    [finding] = flagged(report)
    assert all(term.label for term in finding.evidence.terms)


def test_an_allowed_range_always_shows_two_different_ends():
    report = run("项目支出预算数为2400.50万元。与上年相比减少了600.50万元，减少25.01%。\n")
    [finding] = flagged(report)
    low, high = finding.evidence.tolerance.rstrip("%").split("–")
    assert low != high


def test_a_rate_copied_from_another_rate_of_the_paragraph_says_so():
    text = "基本支出1100.00万元，比上年增加100.00万元，增长10.00%；项目支出660.00万元，比上年增加60.00万元，增长10.00%；公用经费300.00万元，比上年增加50.00万元，增长10.00%。\n"
    [finding] = flagged(run(text))
    assert "照抄" in finding.message.zh and "20.00%" in finding.message.zh


DIRECTIONS = {1: ("增加", "增长"), -1: ("减少", "下降")}
FORMS = [
    "{label}预算数为{level}万元，与上年相比{move}{change}万元，{rise}{rate}%。\n",
    "{label}预算数为{level}万元。与上年相比{move}了{change}万元，{rise}{rate}%。\n",
    "{label}{level}万元，比上年{move}{change}万元，{rise} {rate} %。\n",
    "“{label}（项）”{level}万元。2025年执行数为{base}万元，2026年预算安排{level}万元，比2025年执行数{move}{rate}%。\n",
    "{label}{level}万元，比上年{move}{change}万元，{jump}为{rate}%。\n",
    "{label}{level}万元，比上年{move}{change}万元。{rise}{rate}%。\n",
]


def _sentence(form: int, label: str, base: Decimal, change: Decimal, sign: int, rate: Decimal) -> str:
    move, rise = DIRECTIONS[sign]
    level = base + sign * change
    jump = "增幅" if sign > 0 else "降幅"
    return FORMS[form].format(label=label, level=level, base=base, change=change, move=move, rise=rise, rate=rate, jump=jump)


cents = st.integers(min_value=10_000, max_value=5_000_000).map(lambda n: Decimal(n).scaleb(-2))
labels = st.sampled_from(["基本支出", "项目支出", "机关运行经费", "公务接待费", "提租补贴"])


@given(st.integers(0, len(FORMS) - 1), labels, cents, st.integers(1, 99), st.sampled_from([1, -1]))
def test_a_consistent_rate_sentence_is_never_flagged(form, label, base, percent, sign):
    change = (base * percent / 100).quantize(Decimal("0.01"))
    rate = (change / base * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    report = run(_sentence(form, label, base, change, sign, rate))
    assert flagged(report) == [] and tally(report, "B013").get("passed") == 1


@given(st.integers(0, len(FORMS) - 1), labels, cents, st.integers(1, 99), st.sampled_from([1, -1]), st.integers(5, 500))
def test_a_rate_off_beyond_rounding_is_always_flagged(form, label, base, percent, sign, off):
    change = (base * percent / 100).quantize(Decimal("0.01"))
    rate = (change / base * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + Decimal(off).scaleb(-2)
    assert len(flagged(run(_sentence(form, label, base, change, sign, rate)))) == 1


# --- shares ---------------------------------------------------------------------------------------------


def test_a_share_of_the_named_total_is_never_the_figure_over_itself():
    text = "收入、支出预算总计20849.45万元。\n财政拨款预算支出20702.25万元，占本年支出合计{share}%。\n"
    assert flagged(run(text.format(share="99.29")), "B010") == []
    assert tally(run(text.format(share="99.29")), "B010") == {"passed": 1}
    [finding] = flagged(run(text.format(share="98.29")), "B010")
    assert "20849.45" in finding.message.zh


def test_shares_of_a_whole_the_sentence_names_but_does_not_state():
    text = "“三公”经费预算支出中，因公出国（境）费支出70.00万元，占“三公”经费的{a}%；公务用车购置及运行费支出411.20万元，占“三公”经费的80.92%；公务接待费支出27.00万元，占“三公”经费的{b}%。\n"
    ok = run(text.format(a="13.77", b="5.31"))
    assert flagged(ok, "B010") == [] and tally(ok, "B010") == {"passed": 3}
    # still 100% in all, but two of them do not fit 70.00 and 27.00 of 508.20
    assert len(flagged(run(text.format(a="13.71", b="5.37")), "B010")) == 2


def test_a_list_of_parts_one_a_line_hangs_from_its_total():
    text = "本年支出预算合计18330.37万元，其中：\n\n基本支出9312.9万元，占50.81%；\n\n项目支出6459.58万元，占{p}%；\n\n单位预留机动经费2557.89万元，占13.95%。\n"
    ok = run(text.format(p="35.24"))
    assert flagged(ok, "B010") == [] and tally(ok, "B010") == {"passed": 3}
    [finding] = flagged(run(text.format(p="53.24")), "B010")
    assert "18330.37" in finding.message.zh and "35.24%" in finding.message.zh
    joined = "收入预算合计15897.44万元，其中：一般公共预算收入15897.44万元，占100%；\n\n其他资金0万元，占0%。\n"
    assert tally(run(joined), "B010") == {"passed": 2}


# --- B017 one quantity, one value ----------------------------------------------------------------------


def test_typo_pairs():
    assert mistyped(Decimal("12323.46"), Decimal("12323.48"))
    assert mistyped(Decimal("5089.05"), Decimal("5809.05"))
    assert not mistyped(Decimal("20702.25"), Decimal("20849.45"))
    assert not mistyped(Decimal("580"), Decimal("580.01")) or Decimal("580") != Decimal("580.01")


def test_one_quantity_stated_with_two_values():
    text = "此外，基本支出预算数为12323.46万元。与上年相比增加1483.80万元，增长13.69%。\n基本支出12323.48万元，占68.48%。\n"
    [finding] = flagged(run(text), "B017")
    assert "12323.46" in finding.message.zh and "12323.48" in finding.message.zh
    same = "基本支出预算数为12323.48万元。\n基本支出12323.48万元。\n"
    assert flagged(run(same), "B017") == []


def test_an_item_restated_as_this_years_budget_in_its_paragraph():
    text = "31. “住房公积金（项）”350.35万元，主要用于住房公积金。2023年当年预算执行数为348.52万元，2024年预算安排{again}万元，比2023年预算执行数增加0.53%。\n"
    assert flagged(run(text.format(again="350.35")), "B017") == []
    report = run(text.format(again="352.67"))
    [finding] = flagged(report, "B017")
    assert finding.evidence.stated == "352.67万元"
    # the rate fits the item's own 350.35: reported once, at the slip; the rate only as its consequence
    assert flagged(report) == [] and [f.severity for f in report.findings if f.rule == "B013"] == [Severity.INFO]


def test_different_quantities_of_a_broad_concept_are_not_compared():
    text = "行政运行（项）支出630万元。\n拟采购工程支出530万元。\n"
    assert flagged(run(text), "B017") == []


# --- properties of shares -------------------------------------------------------------------------------

SHARE_FORMS = [
    "{whole_label}{whole}万元，其中：{a_label}{a}万元，占比{pa}%；{b_label}{b}万元，占比{pb}%。\n",
    "{whole_label}{whole}万元，其中：\n\n{a_label}{a}万元，占{pa}%；\n\n{b_label}{b}万元，占{pb}%。\n",
    "{a_label}{a}万元，占“三公”经费的{pa}%；{b_label}{b}万元，占“三公”经费的{pb}%。\n",
]
PAIRS = [("支出预算合计", "基本支出", "项目支出"), ("收入预算合计", "财政拨款收入", "上年结转结余"), ("“三公”经费合计", "因公出国（境）费", "公务接待费")]


def _shares(whole: Decimal, a: Decimal, off: Decimal = Decimal(0)) -> tuple[Decimal, Decimal]:
    pa = (a / whole * 100).quantize(CENTS, rounding=ROUND_HALF_UP)
    return pa + off, Decimal(100) - pa - off  # the two always make 100%: only the fit to the figures is tested


CENTS = Decimal("0.01")


@given(st.integers(0, len(SHARE_FORMS) - 1), st.integers(0, len(PAIRS) - 1), cents, st.integers(5, 95))
def test_a_consistent_share_sentence_is_never_flagged(form, pair, whole, percent):
    a = (whole * percent / 100).quantize(CENTS)
    pa, pb = _shares(whole, a)
    whole_label, a_label, b_label = PAIRS[pair] if form < 2 else PAIRS[2]
    text = SHARE_FORMS[form].format(whole_label=whole_label, whole=whole, a_label=a_label, a=a, pa=pa, b_label=b_label, b=whole - a, pb=pb)
    report = run(text)
    assert flagged(report, "B010") == [] and tally(report, "B010").get("passed") == 2


@given(st.integers(0, len(SHARE_FORMS) - 1), st.integers(0, len(PAIRS) - 1), cents, st.integers(5, 95), st.integers(5, 300))
def test_a_share_off_beyond_rounding_is_always_flagged(form, pair, whole, percent, off):
    a = (whole * percent / 100).quantize(CENTS)
    pa, pb = _shares(whole, a, Decimal(off).scaleb(-2))
    whole_label, a_label, b_label = PAIRS[pair] if form < 2 else PAIRS[2]
    text = SHARE_FORMS[form].format(whole_label=whole_label, whole=whole, a_label=a_label, a=a, pa=pa, b_label=b_label, b=whole - a, pb=pb)
    assert len(flagged(run(text), "B010")) == 2
