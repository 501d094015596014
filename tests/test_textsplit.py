"""audit/textsplit.py: a text cut at the separators that stand outside brackets or quotes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit.textsplit import split_outside

OPEN, CLOSE = "(“《[「", ")”》]」"


def test_brackets_and_quotes_protect_a_separator():
    assert split_outside("办公室(含财务、人事)、政治处", "、", OPEN, CLOSE) == ["办公室(含财务、人事)", "政治处"]
    assert split_outside('0.00;"a;b";0', ";", '"', '"') == ["0.00", '"a;b"', "0"]
    assert split_outside("a、b)、c", "、", OPEN, CLOSE) == ["a", "b)", "c"]  # a stray close opens nothing


@given(st.text(alphabet='(“《[「)”》]」、"ab', max_size=30))
def test_the_pieces_joined_by_the_separator_are_the_text(text):
    for opens, closes in ((OPEN, CLOSE), ('"', '"')):
        pieces = split_outside(text, "、", opens, closes)
        assert "、".join(pieces) == text
        assert len(pieces) <= text.count("、") + 1


@given(st.lists(st.text(alphabet="ab ", max_size=4), min_size=1, max_size=5))
def test_without_brackets_it_is_str_split(pieces):
    text = "、".join(pieces)
    assert split_outside(text, "、", OPEN, CLOSE) == text.split("、")
