"""_clause_bounds finds a clause's ends with two regular-expression scans; these pin that it finds
what walking character by character from the figure finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts import structure as S

_ENDS = ",;。!?\n"


def _walked(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    left = start
    while left > max(0, start - reach) and text[left - 1] not in _ENDS:
        left -= 1
    right = end
    while right < min(len(text), end + reach) and text[right] not in _ENDS:
        right += 1
    return left, right


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab1,;。!?\n ", max_size=40), st.data(), st.integers(min_value=0, max_value=12))
def test_clause_bounds_match_a_walk(text, data, reach):
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    assert S._clause_bounds(text, start, end, reach) == _walked(text, start, end, reach)
