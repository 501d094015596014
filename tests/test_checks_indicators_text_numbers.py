"""I009 (audit/checks/indicators/text_numbers.py): its one-pass number scan over the whole document
finds exactly what the plain per-line scan finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.checks.indicators.text_numbers import _NUMBER

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
