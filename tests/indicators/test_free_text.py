"""audit/indicators/text.py: the parsed text of a cell and its way back to the raw offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit.indicators.text import CellText


def test_full_width_and_invisible_characters():
    src = CellText(" ＞\u200b９５％ ")
    assert src.text == ">95%"
    assert src.span(1, 3) == (3, 5)            # 95 is the full-width ９５ at raw offsets 3-4
    assert src.raw_slice(3, 4) == "％"


def test_blank_cell():
    assert CellText(" \t\u200b ").text == ""


@given(st.text(max_size=30))
def test_every_parsed_character_maps_into_the_raw_text(raw):
    src = CellText(raw)
    for k in range(len(src.text)):
        a, b = src.span(k, k + 1)
        assert 0 <= a < b <= len(raw)
