"""audit/facts/goal_figures.py: the scans that find a goal's figures take shortcuts — quantities are
tried only where one may start, numbering is blanked from the few places it may begin, a clause's
ends are found with two regex scans — and each finds exactly what the plain way finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts.goal_figures import _NUMBERING, _QUANTITY, _blank_numbering, _clause_bounds, _quantities


def _spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def _blank_by_search(text: str) -> str:
    """_blank_numbering as a plain search over the text (what it was before)."""
    pieces, pos = [], 0
    for match in _NUMBERING().finditer(text):
        start, end = match.span()
        if end > start:
            pieces += (text[pos:start], " " * (end - start))
            pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _same(text: str) -> None:
    assert _spans(_quantities(text)) == _spans(_QUANTITY().finditer(text))
    assert _blank_numbering(text) == _blank_by_search(text)


# digits, figure punctuation, comparison words' characters, units, filler
_ALPHABET = "0123456789.第不少于低至多超过大小等达到万元人个月%以上下内余 ,;。a"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_quantities_match_a_full_search(text):
    assert _spans(_quantities(text)) == _spans(_QUANTITY().finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789、.目标内容 \n\t。;a", max_size=40))
def test_blank_numbering_matches_a_full_search(text):
    assert _blank_numbering(text) == _blank_by_search(text)


def test_examples():
    for text in ("不少于100人", "达到 95%", "12.5万元以上", "第3人", "1.5个", "至少至少3人", "1003人达5户", "超过2个月3个",
                 "12.34.5人", "2023年6月底完成验收", "达到 5万余元以上", "3.5万元", "一、\n2、目标内容3 共计240万元"):
        _same(text)


def test_scans_on_the_corpus(corpus_dir) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            _same(line)


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
    assert _clause_bounds(text, start, end, reach) == _walked(text, start, end, reach)
