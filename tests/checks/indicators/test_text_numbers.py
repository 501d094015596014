"""I009 (audit/checks/indicators/text_numbers.py): its one-pass number scan over the whole document
finds exactly what the plain per-line scan finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.checks.indicators.text_numbers import _NUMBER
from tests.indicator_tables import SOUND, document, layout, replace, run  # noqa: F401 - layout is a fixture

_PLAIN_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")

_CHARS = st.sampled_from(list("0123456789..年月-\n 万%٣５") + ["a", "元"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(_CHARS, max_size=20), max_size=6))
def test_number_pattern_finds_what_the_plain_one_finds_line_by_line(lines: list[str]) -> None:
    joined = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    expected = [
        (starts[i] + m.start(), starts[i] + m.end())
        for i, line in enumerate(lines)
        for m in _PLAIN_NUMBER.finditer(line)
    ]
    assert [m.span() for m in _NUMBER.finditer(joined)] == expected


# --- I009 -----------------------------------------------------------------------------------


def test_i009_names_the_other_project(layout):
    first = document(SOUND, name="视频运维经费", index=1, layout=layout)
    first = first.replace("≤30万元", "≤39.75万元")
    rows = replace(SOUND, "持续发挥作用年限", value="符号 文字描述 值 39.75 单位 及时")
    second = document(rows, name="铁塔服务费", index=2, layout=layout)
    [finding] = run("I009", first + second).findings
    assert "39.75" in finding.message.zh
    assert "「视频运维经费」" in finding.message.zh and "复制" in finding.message.zh
    assert finding.related and finding.related[0].line < finding.span.line
    line = (first + second).splitlines()[finding.span.line - 1]
    assert line[finding.span.column - 1 : finding.span.end_column - 1] == "39.75"  # the figure itself


def test_i009_text_described_without_number_is_fine():
    rows = replace(SOUND, "持续发挥作用年限", value="符号文字描述单位提高")
    assert run("I009", document(rows)).findings == []
