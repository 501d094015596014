"""Interval arithmetic on displayed precision, and the diagnosis of a failed identity."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit.arith import (
    MISSING_TERM,
    POWER_OF_TEN,
    SIGN_SLIP,
    TRANSPOSITION,
    Figure,
    adjacent_swaps,
    candidates,
    check_product,
    check_rate,
    check_share,
    check_sum,
    diagnose,
    explains,
)
from audit.model import Span

CENT = Decimal("0.01")
D = Decimal


def fig(text: str, label: str = "", line: int = 1, column: int = 1, **kw) -> Figure:
    return Figure(D(text), label, Span(line=line, column=column), **kw)


def publish(value: Decimal) -> Decimal:
    """How publishers print 万元 figures: rounded half up to two decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# exact amounts in 元 (integers), printed in 万元 with two decimals
yuan = st.integers(min_value=1, max_value=10**10)
cents = st.integers(min_value=1, max_value=10**8).map(lambda n: D(n) * CENT)


def figures(values: list[Decimal]) -> list[Figure]:
    return [fig(str(v), f"p{i}", line=1, column=10 * i + 10) for i, v in enumerate(values)]


# --- sums -----------------------------------------------------------------------------------------


@given(st.lists(yuan, min_size=2, max_size=12))
def test_rounded_identity_never_fails(amounts):
    """Parts and total each rounded from the exact amounts: inside the envelope, never a finding."""
    exact = [D(a) / 10000 for a in amounts]
    parts = figures([publish(v) for v in exact])
    total = fig(str(publish(sum(exact))), "total")
    assert check_sum(total, parts).holds


# "Changing one term by ≥ 0.02 always fails" holds exactly while the envelope is below 0.02, i.e.
# for two parts (0.015). With n parts printed to 0.01 the envelope is (n+1)·0.005, which publishers'
# rounding really can use up (13 figures each off by up to 0.005); a change inside it is not a
# finding by the interval rule (design.md: never a fixed epsilon). So: beyond the envelope, always.
@given(st.lists(cents, min_size=2, max_size=12), st.data())
def test_changed_term_beyond_envelope_always_fails(values, data):
    """An exact identity with one term moved by more than the envelope ((n+1)·0.005) fails."""
    parts = figures(values)
    total = fig(str(sum(values)), "total")
    tolerance = check_sum(total, parts).tolerance
    index = data.draw(st.integers(0, len(parts) - 1))
    steps = data.draw(st.integers(1, 10**6))
    delta = tolerance.quantize(CENT, rounding="ROUND_FLOOR") + CENT * steps
    delta = delta if data.draw(st.booleans()) else -delta
    moved = values[index] + delta
    assume(moved > 0)
    parts[index] = fig(str(moved), f"p{index}", line=1, column=10 * index + 10)
    assert not check_sum(total, parts).holds


@given(st.lists(cents, min_size=2, max_size=2), st.integers(2, 10**6), st.booleans(), st.integers(0, 1))
def test_two_parts_changed_by_two_cents_fails(values, steps, up, index):
    """With two 2-decimal parts the envelope is 0.015: any change of ≥ 0.02 is caught."""
    total = fig(str(sum(values)))
    moved = values[index] + (CENT * steps if up else -CENT * steps)
    assume(moved > 0)
    values = list(values)
    values[index] = moved
    assert not check_sum(total, figures(values)).holds


@given(st.lists(yuan, min_size=2, max_size=12), st.data())
def test_rounded_identity_changed_beyond_twice_envelope_fails(amounts, data):
    """Even when rounding already used part of the envelope, a change beyond twice it is caught."""
    exact = [D(a) / 10000 for a in amounts]
    values = [publish(v) for v in exact]
    total = fig(str(publish(sum(exact))))
    tolerance = check_sum(total, figures(values)).tolerance
    index = data.draw(st.integers(0, len(values) - 1))
    delta = (2 * tolerance).quantize(CENT, rounding="ROUND_FLOOR") + CENT * data.draw(st.integers(1, 10**5))
    values[index] += delta
    assert not check_sum(total, figures(values)).holds


@settings(max_examples=300)
@given(st.lists(cents, min_size=2, max_size=12), st.data())
def test_swapped_digits_are_diagnosed_when_unique(values, data):
    """Swap two adjacent digits of one term: the true fix is always found, and named when it is the only one."""
    index = data.draw(st.integers(0, len(values) - 1))
    swaps = list(adjacent_swaps(values[index]))
    assume(swaps)
    swapped = data.draw(st.sampled_from(swaps))
    total = fig(str(sum(values)), "total", column=1)
    parts = figures(values)
    parts[index] = fig(str(swapped), f"p{index}", line=1, column=10 * index + 10)
    result = check_sum(total, parts)
    assert not result.holds  # a swap moves a figure by ≥ 0.09, beyond any 12-term envelope
    found = candidates(result)
    truth = [d for d in found if d.kind == TRANSPOSITION and d.figure == parts[index] and d.corrected.shown == values[index]]
    assert truth
    if len({d.key for d in found}) == 1:
        diagnosis = diagnose(result)
        assert diagnosis is not None and diagnosis.kind == TRANSPOSITION
        assert diagnosis.figure.label == f"p{index}"
        assert diagnosis.corrected.text == str(values[index])


def test_seed_003_line_40_transposition_and_knock_on():
    basic = fig("5089.05", "基本支出", line=40, column=30)
    result = check_sum(basic, [fig("4820.17", "人员经费", 40, 45), fig("988.88", "日常公用经费", 40, 60)])
    assert not result.holds and result.computed == D("5809.05")
    diagnosis = diagnose(result)
    assert diagnosis.kind == TRANSPOSITION and diagnosis.is_total
    assert diagnosis.corrected.text == "5809.05"
    spending = check_sum(fig("8579.96", "支出", 40, 10), [basic, fig("2770.91", "项目支出", 40, 80)])
    assert not spending.holds
    assert explains(diagnosis, spending)


def test_intervals_not_epsilon():
    # 0.015 envelope with two parts: a 0.01 gap holds, a 0.02 gap fails
    assert check_sum(fig("3.01"), [fig("1.00"), fig("2.00")]).holds
    assert not check_sum(fig("3.02"), [fig("1.00"), fig("2.00")]).holds
    # coarser printing widens the envelope: 3 (±0.5) vs 1.2 + 1.4
    assert check_sum(fig("3"), [fig("1.2"), fig("1.4")]).holds
    # an exact constant has no envelope
    assert not check_sum(fig("100", exact=True), [fig("60"), fig("30")]).holds


def test_power_of_ten_slip():
    result = check_sum(fig("120.50"), [fig("100.00", column=2), fig("205.0", "p", column=3)])
    diagnosis = diagnose(result)
    assert diagnosis is not None and diagnosis.kind == POWER_OF_TEN
    assert diagnosis.corrected.text == "20.50"


def test_sign_slip_only_for_direction_words():
    total = fig("10.00", "总变动", signed=True)
    parts = [fig("30.00", "人员", column=2, signed=True), fig("20.00", "公用", column=3, signed=True)]
    assert diagnose(check_sum(total, parts)).kind == SIGN_SLIP
    unsigned = [fig("30.00", "人员", column=2), fig("20.00", "公用", column=3)]
    found = candidates(check_sum(fig("10.00"), unsigned))
    assert not any(d.kind == SIGN_SLIP for d in found)


def test_missing_term():
    result = check_sum(fig("100.00"), [fig("60.00", column=2), fig("25.00", column=3)])
    nearby = [fig("15.00", "其他收入", column=4), fig("7.00", column=5)]
    diagnosis = diagnose(result, nearby)
    assert diagnosis.kind == MISSING_TERM and diagnosis.figure.label == "其他收入"


def test_ambiguous_is_not_diagnosed():
    # 12.00 vs 21.00 + … : both the total and a part could be the swapped one
    result = check_sum(fig("12.00"), [fig("21.00", column=2)])
    assert len({d.key for d in candidates(result)}) > 1
    assert diagnose(result) is None


def test_share_rate_product():
    assert check_share(fig("16.31"), fig("100.00"), fig("16.31")).holds
    assert not check_share(fig("16.31"), fig("100.00"), fig("16.5")).holds
    # coarse 16% admits 15.5–16.5
    assert check_share(fig("16.31"), fig("100.00"), fig("16")).holds
    assert check_share(fig("1"), fig("0"), fig("5")) is None
    rate = check_rate(fig("10.00", sign=-1), fig("200.00"), fig("5.00", sign=-1))
    assert rate.holds
    assert not check_rate(fig("10.00"), fig("200.00"), fig("5.5")).holds
    # 387人 × 800元 = 30.96万元 (in 元: 309600)
    assert check_product(fig("30.96", scale=D(10000)), [fig("387"), fig("800")]).holds
    assert not check_product(fig("31.96", scale=D(10000)), [fig("387"), fig("800")]).holds


@given(st.integers(1, 10**9), st.integers(1, 10**9), st.integers(0, 4))
def test_published_shares_and_rates_never_fail(part, extra, places):
    """A share or rate computed from printed figures and rounded to any precision is accepted."""
    total_value = publish(D(part + extra) / 10000)
    part_value = publish(D(part) / 10000)
    assume(total_value > 0)
    q = D(1).scaleb(-places)
    percent = (part_value / total_value * 100).quantize(q, rounding=ROUND_HALF_UP)
    assert check_share(fig(str(part_value)), fig(str(total_value)), fig(str(percent))).holds
    exact = (D(part) / D(part + extra) * 100).quantize(q, rounding=ROUND_HALF_UP)
    assert check_share(fig(str(part_value)), fig(str(total_value)), fig(str(exact))).holds
    assert check_rate(fig(str(part_value)), fig(str(total_value)), fig(str(percent))).holds


def test_percentages_may_be_cut_off_not_overstated():
    # 1054.92 ÷ 7467.47 = 14.127%: printed 14.13 (rounded) or 14.12 (cut off), never 14.11 or 14.14
    change, base = fig("1054.92"), fig("7467.47")
    assert check_rate(change, base, fig("14.13")).holds
    assert check_rate(change, base, fig("14.12")).holds
    assert not check_rate(change, base, fig("14.11")).holds
    assert not check_rate(change, base, fig("14.14")).holds
