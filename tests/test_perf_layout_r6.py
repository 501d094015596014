"""Round-6 speed-ups of load and layout give the same answers as the plain forms they replace."""

import re

from hypothesis import given, strategies as st

from audit import layout, source

# The run regex before its repetitions were made possessive.
_PLAIN_RUN = re.compile(r"(?:\n[^\S\t\n]*[\S\t][^\n]*)+")
_LINES = st.lists(st.text(alphabet=" \t\u3000\xa0x中\r\x0b", max_size=6), max_size=12)


@given(_LINES)
def test_runs_match_the_plain_regex(lines):
    whole = "\n" + "\n".join(lines)
    assert [m.span() for m in layout._RUN.finditer(whole)] == [m.span() for m in _PLAIN_RUN.finditer(whole)]


@given(st.binary(max_size=64))
def test_holds_any_is_the_translate_test(data):
    for values in (source._CONTROL_BYTES, source._C0_AND_DEL):
        assert source._holds_any(data, values) == (len(data.translate(None, values)) != len(data))


def test_narrative_runs_still_make_paragraphs():
    src = source.from_text("一行\n\n两行\n第二行\n\n\t单元\n\t格\n")
    kinds = [type(b).__name__ for b in layout.blocks(src)]
    assert kinds == ["Paragraph", "Paragraph", "Table"]
