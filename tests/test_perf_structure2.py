"""A table's five cell hints are found in one scan (_TableText.cells_by_hint); this pins that the
one scan finds exactly the cells that a separate scan per hint finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts import structure as S
from audit.layout import Cell, Row, Text

# every hint's characters (、 . : 包括 分别 即 目 标 预算 表), digits, spaces, line breaks and filler
_ALPHABET = "0123456789、.,:;。 \n年包括分别即目标预算表a"
_cell_texts = st.text(alphabet=_ALPHABET, max_size=14)


def _rows(grid: list[list[str]]) -> list[Row]:
    rows = []
    for r, texts in enumerate(grid, start=1):
        cells = [Cell(t, Text(t, [r] * len(t), list(range(len(t)))), r) for t in texts]
        rows.append(Row(cells, r, r))
    return rows


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_cell_texts, min_size=1, max_size=4), min_size=1, max_size=6))
def test_one_scan_finds_the_cells_of_each_hint(grid):
    text = S._TableText(_rows(grid))
    hinted = text.cells_by_hint()
    assert hinted["marker"] == text.cells_with(S._MARKER_HINT(), at_least=2)
    assert hinted["claim"] == text.cells_with(S._CLAIM_HINT())
    assert hinted["goal"] == text.cells_with(S._GOAL_HINT())
    assert hinted["budget"] == text.cells_with(S._BUDGET_HINT())
    assert hinted["title"] == text.cells_with(S._TITLE_HINT())
