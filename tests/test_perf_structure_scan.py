"""goal_figures finds quantities by trying _QUANTITY only where one may start (_quantities); these
pin that this finds exactly what a plain finditer finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts import structure as S

# digits, figure punctuation, comparison words' characters, units, filler
_ALPHABET = "0123456789.第不少于低至多超过大小等达到万元人个月%以上下内余 ,;。a"
_texts = st.text(alphabet=_ALPHABET, max_size=40)


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


@settings(max_examples=500, deadline=None)
@given(_texts)
def test_quantities_match_a_full_search(text):
    assert _spans(S._quantities(text)) == _spans(S._QUANTITY().finditer(text))


def test_quantities_examples():
    for text in ("不少于100人", "达到 95%", "12.5万元以上", "第3人", "1.5个", "至少至少3人", "1003人达5户", "超过2个月3个"):
        assert _spans(S._quantities(text)) == _spans(S._QUANTITY().finditer(text))


def _blank_by_search(text: str) -> str:
    """_blank_numbering as a plain search over the text (what it was before)."""
    pieces, pos = [], 0
    for match in S._NUMBERING().finditer(text):
        start, end = match.span()
        if end > start:
            pieces += (text[pos:start], " " * (end - start))
            pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789、.目标内容 \n\t。;a", max_size=40))
def test_blank_numbering_matches_a_full_search(text):
    assert S._blank_numbering(text) == _blank_by_search(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789、. \n。;年a", max_size=40))
def test_cell_marker_starts_match_a_full_search(text):
    starts = [0] + [m.end() for m in S._STOP().finditer(text)]
    assert _spans(S._matches_at(S._CELL_MARKER(), text, starts)) == _spans(S._CELL_MARKER().finditer(text))
