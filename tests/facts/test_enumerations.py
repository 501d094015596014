"""audit/facts/enumerations.py: an in-cell marker is tried only where one may start (after a stop);
this finds exactly what a plain search of the cell finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts.enumerations import _CELL_MARKER, _STOP
from audit.facts.lazy import _matches_at


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789、. \n。;年a", max_size=40))
def test_cell_marker_starts_match_a_full_search(text):
    starts = [0] + [m.end() for m in _STOP().finditer(text)]
    assert _spans(_matches_at(_CELL_MARKER(), text, starts)) == _spans(_CELL_MARKER().finditer(text))
