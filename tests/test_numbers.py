"""audit/numbers.py: parse_figure reads a clean figure without repairing it first, and the displayed
decimals are read from the text of a Decimal; each shortcut gives what the plain way gives."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.numbers import _ABSENT, _FIGURE, parse_figure, repair


def _repair_first(text: str) -> Decimal | None:
    cleaned = repair(text)
    if cleaned in _ABSENT or not _FIGURE.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None


figure_like = st.text(alphabet="0123456789.,-+ \t\n—－/\\无٣１e", max_size=16)


@settings(max_examples=500, deadline=None)
@given(st.one_of(figure_like, st.text(max_size=12)))
def test_shortcut_reads_as_repair_first(text):
    assert repr(parse_figure(text)) == repr(_repair_first(text))


def test_known_cells():
    for text in ["1183.74", "1,234.56", "-12.5", "0.00", "", "-", "1183. 74", "1 183.74", " 12 ", "12\n", "abc", "1,23", "无"]:
        assert repr(parse_figure(text)) == repr(_repair_first(text)), text


def _decimals_by_tuple(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.decimals(places=4), st.sampled_from(["1.5E-7", "1E+3", "-0.00", "sNaN", "0E-8"]).map(Decimal)))
def test_displayed_decimals_read_from_text_as_from_the_tuple(value):
    from audit.arith import Figure
    from audit.numbers import decimals, half_unit

    assert decimals(value) == _decimals_by_tuple(value)
    if value.is_finite():
        assert repr(half_unit(value)) == repr(Decimal((0, (5,), -_decimals_by_tuple(value) - 1)))
        figure = Figure(shown=value)
        assert repr(figure.half) == repr(Decimal(5).scaleb(-_decimals_by_tuple(value) - 1))
