"""The whole-text NFKC and control-character fast paths of source give what the per-line way gives."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit import source

_CHARS = st.sampled_from(
    list("\t \n\r\u3000\xa0a1.,%元０１（）：，；＞…①㎡ﬁ\u0301e\u2028表合计·×\x85\x9f\x7f\x1b\xc2가\u11a8\u0344")
)


def _per_line(lines: list[str]) -> list[str]:
    """The per-line way: a line already in NFKC stays, any other is normalised char by char."""
    return [
        line if unicodedata.is_normalized("NFKC", line) else "".join(unicodedata.normalize("NFKC", c) for c in line)
        for line in lines
    ]


def _readable(text: str) -> source.Source:
    """The text as a Source; texts the loader refuses (empty, binary-looking) are not examples."""
    try:
        return source.from_text(text)
    except source.InputError:
        assume(False)


@settings(max_examples=500, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=80).map("".join))
def test_source_texts_match_the_per_line_normalisation(text):
    src = _readable(text)
    assert src.texts == _per_line(src.original_lines)
    for index, (original, normal) in enumerate(zip(src.original_lines, src.texts)):
        if index in src.maps:
            assert src.maps[index] == source._column_map(original)
        else:
            assert len(original) == len(normal) or not source._NFKC_ODD.intersection(original)


@settings(max_examples=500, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=80).map("".join))
def test_utf8_control_test_matches_the_regex(text):
    assert source._utf8_controls(text.encode("utf-8")) == bool(source._CONTROLS.search(text))


_PARA_CHARS = st.sampled_from(list("\n\n a1元０（）表合计\u3000") + ["**", "[bookmark: x]", "\tTC 1、目录 \\f C \\l 1 "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARA_CHARS, min_size=1, max_size=60).map("".join))
def test_a_paragraphs_text_is_its_lines_extended_one_after_another(text):
    from audit import layout

    src = _readable(text)
    for block in layout.blocks(src):
        if isinstance(block, layout.Paragraph):
            whole = layout.Text()
            for ref in block.line_refs:
                whole.extend(ref)
            assert block.ref == whole
            assert block.ref.span() == whole.span()
