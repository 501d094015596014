"""A long tab-grid line: cell places found without summing the pieces before each cell (issue 20).

The speed itself is measured by benchmarks/linear.py; here, that the places are the right ones,
and (slow suite) that a 10 MB line is audited at all within a generous ceiling."""

from __future__ import annotations

import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit import layout
from audit.source import from_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


_PIECE = st.text(alphabet=st.sampled_from(list(" 行政运行1,234.56合计\u3000")), max_size=8)


@given(st.lists(_PIECE, min_size=2, max_size=30))
def test_a_grid_rows_cell_places_are_those_of_its_cells(pieces):
    line = "x\t" + "\t".join(pieces)  # text before a TAB: a tab-grid row
    (table,) = [b for b in layout.blocks(from_text(line)) if isinstance(b, layout.Table)]
    (row,) = table.rows
    spans = [row.span_of(k) for k in range(len(row.texts))]  # the lazy path, before any Cell exists
    cells = [row.cell(k).span for k in range(len(row.texts))]
    assert spans == cells == [c.span for c in row.cells]
    for k, text in enumerate(row.texts):
        if text:  # the span points at the text in the original line (which NFKC normalises)
            span = spans[k]
            assert unicodedata.normalize("NFKC", line[span.column - 1 : span.end_column - 1]) == text


@pytest.mark.slow
def test_a_10_mb_line_is_audited_within_a_minute(tmp_path):
    import linear

    text = linear.long_line(10)
    start = time.perf_counter()
    seconds = linear.audit_seconds(text, tmp_path)
    assert seconds <= time.perf_counter() - start + 1e-6
    assert seconds < 60, f"10 MB line took {seconds:.1f} s (was 112 s when Row._place was quadratic)"
