"""audit/facts/table_text.py: a table's cells are read through one joined text (_TableText) instead of
cell by cell; the shortcut finds exactly what reading each cell alone finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts import table_text as T
from audit.facts.count_claims import _count_claims
from audit.facts.enumerations import _cell_markers, _numbered_line
from audit.layout import Cell, Row
from audit.layout_text import Text

# characters that matter to numbered lines, markers and claims, plus filler
_ALPHABET = "0123456789一二十第()[]-*•、.,:;。 \n年预算表目标包括a"
_cell_texts = st.text(alphabet=_ALPHABET, max_size=12)


def _rows(grid: list[list[str]]) -> list[Row]:
    rows = []
    for r, texts in enumerate(grid, start=1):
        cells = [Cell(t, Text(t, [r] * len(t), list(range(len(t)))), r) for t in texts]
        rows.append(Row(cells, r, r))
    return rows


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell_texts, min_size=1, max_size=4), min_size=1, max_size=6))
def test_numbered_lines_match_a_cell_by_cell_reading(grid):
    rows = _rows(grid)
    fast = [(n.number, n.numeral, n.line) for n in T._TableText(rows).numbered_lines()]
    slow = []
    for row in rows:
        for cell in row.cells:
            if cell.text:
                numbered = _numbered_line(cell.ref, "text")
                if numbered:
                    slow.append((numbered.number, numbered.numeral, numbered.line))
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_cell_texts, min_size=1, max_size=4), min_size=1, max_size=6))
def test_cell_hints_miss_no_cell_that_holds_the_fact(grid):
    text = T._TableText(_rows(grid))
    markers = set(text.cells_with(T._MARKER_HINT(), at_least=2))
    claims = set(text.cells_with(T._CLAIM_HINT()))
    for j in range(len(text.texts)):
        cell = text.cell(j)
        if cell.text and len(_cell_markers(cell.ref, "cell")) >= 2:
            assert j in markers
        if _count_claims(cell.ref):
            assert j in claims


# A table's five cell hints are found in one scan (_TableText.cells_by_hint): the same cells as a
# separate scan per hint.
# every hint's characters (、 . : 包括 分别 即 目 标 预算 表), digits, spaces, line breaks and filler
_HINT_ALPHABET = "0123456789、.,:;。 \n年包括分别即目标预算表a"
_hint_cell_texts = st.text(alphabet=_HINT_ALPHABET, max_size=14)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_hint_cell_texts, min_size=1, max_size=4), min_size=1, max_size=6))
def test_one_scan_finds_the_cells_of_each_hint(grid):
    text = T._TableText(_rows(grid))
    hinted = text.cells_by_hint()
    assert hinted["marker"] == text.cells_with(T._MARKER_HINT(), at_least=2)
    assert hinted["claim"] == text.cells_with(T._CLAIM_HINT())
    assert hinted["goal"] == text.cells_with(T._GOAL_HINT())
    assert hinted["budget"] == text.cells_with(T._BUDGET_HINT())
    assert hinted["title"] == text.cells_with(T._TITLE_HINT())
