"""audit/facts/count_claims.py: the count-claim scan (`下设13个科室`) starts with one character class,
so that the regex engine skips ahead in C; it finds exactly what the alternation it replaced found."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts.count_claims import _COUNT
from audit.facts.numerals import CN_NUMERAL

# What the scan was before: the reference.
OLD_COUNT = re.compile(_COUNT().pattern.replace(_COUNT().pattern.split(r"\s{0,2}")[0], rf"(?P<n>\d{{1,3}}|[{CN_NUMERAL}]{{1,4}})", 1))
ALPHABET = "0123456789١.、 \n。;,:不少于至大小超过达到等万元余多人个月年次%包括分别即为有是如下项类科室一二三十百〇目标内容xy"


def _same(text: str) -> None:
    assert [m.groupdict() for m in _COUNT().finditer(text)] == [m.groupdict() for m in OLD_COUNT.finditer(text)]
    assert [m.span() for m in _COUNT().finditer(text)] == [m.span() for m in OLD_COUNT.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_count_scan_finds_what_the_alternation_found(text: str) -> None:
    _same(text)


def test_count_scan_on_the_corpus(corpus_dir) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            _same(line)


def test_examples() -> None:
    for text in ("下设13个科室,包括:a、b", "1234个:", "十三个科室:a、b", "不少于100人", "一、\n2、目标内容3 共计240万元"):
        _same(text)
