"""audit/source.py: the whole-file fast paths of loading (NFKC learning, whole-text normalisation,
the control-character tests) read exactly what the plain per-line, per-character way reads."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit import source
from audit.source import from_text, normalise_line


def _readable(text: str) -> source.Source:
    """The text as a Source; texts the loader refuses (empty, binary-looking) are not examples."""
    try:
        return from_text(text)
    except source.InputError:
        assume(False)


def test_characters_skipped_by_nfkc_learning_never_change():
    skipped = re.compile(source._MAYBE_CHANGED.pattern.replace("[^", "[", 1))
    for code in range(0x10000):
        char = chr(code)
        if skipped.fullmatch(char):
            assert unicodedata.normalize("NFKC", char) == char, hex(code)


_CHARS = st.sampled_from(list("\t \n\r\u3000\xa0a1.,%元０１（）：，…①㎡ﬁ\u0301e\u2028表合计") + ["\tTC 1、目录 \\f C \\l 1 ", "[bookmark: x]", "**"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, min_size=1, max_size=60).map("".join))
def test_whole_file_normalisation_matches_line_by_line(text):
    src = _readable(text)
    for line in src.lines:
        alone = normalise_line(line.number, line.original)
        assert (line.text, line.cols) == (alone.text, alone.cols)
        columns = [alone.column(i) for i in range(len(alone.text) + 1)]
        assert [line.column(i) for i in range(len(line.text) + 1)] == columns
        assert [src.column(line.number - 1, i) for i in range(len(line.text) + 1)] == columns


_ODD_CHARS = st.sampled_from(
    list("\t \n\r\u3000\xa0a1.,%元０１（）：，；＞…①㎡ﬁ\u0301e\u2028表合计·×\x85\x9f\x7f\x1b\xc2가\u11a8\u0344")
)


def _per_line(lines: list[str]) -> list[str]:
    """The per-line way: a line already in NFKC stays, any other is normalised char by char."""
    return [
        line if unicodedata.is_normalized("NFKC", line) else "".join(unicodedata.normalize("NFKC", c) for c in line)
        for line in lines
    ]


@settings(max_examples=500, deadline=None)
@given(st.lists(_ODD_CHARS, min_size=1, max_size=80).map("".join))
def test_source_texts_match_the_per_line_normalisation(text):
    src = _readable(text)
    assert src.texts == _per_line(src.original_lines)
    for index, (original, normal) in enumerate(zip(src.original_lines, src.texts)):
        if index in src.maps:
            assert src.maps[index] == source._column_map(original)
        else:
            assert len(original) == len(normal) or not source._NFKC_ODD.intersection(original)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ODD_CHARS, min_size=1, max_size=80).map("".join))
def test_utf8_control_test_matches_the_regex(text):
    assert source._utf8_controls(text.encode("utf-8")) == bool(source._CONTROLS.search(text))


@given(st.binary(max_size=64))
def test_holds_any_is_the_translate_test(data):
    for values in (source._CONTROL_BYTES, source._C0_AND_DEL):
        assert source._holds_any(data, values) == (len(data.translate(None, values)) != len(data))
