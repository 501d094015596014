"""The structure facts' scans that now start with one character class (so that the regex engine
skips ahead in C) find exactly what the alternations they replace found."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.facts import structure as S

CN = S.CN_NUMERAL
# What the scans were before: the reference.
OLD_QUANTITY_START = re.compile(r"[不至大小超达]|\d+")
OLD_NUMBERING_START = re.compile(r"[\n。;]")
OLD_COUNT = re.compile(S._COUNT().pattern.replace(S._COUNT().pattern.split(r"\s{0,2}")[0], rf"(?P<n>\d{{1,3}}|[{CN}]{{1,4}})", 1))

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ALPHABET = "0123456789١.、 \n。;,:不少于至大小超过达到等万元余多人个月年次%包括分别即为有是如下项类科室一二三十百〇目标内容xy"
texts = st.text(alphabet=ALPHABET, max_size=60)


def old_quantities(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in S._matches_at(S._QUANTITY(), text, (m.start() for m in OLD_QUANTITY_START.finditer(text)))]


def old_blank_numbering(text: str) -> str:
    numbering, pieces, pos = S._NUMBERING(), [], 0
    for start in [0] + [m.end() for m in OLD_NUMBERING_START.finditer(text)]:
        if start < pos:
            continue
        end = numbering.match(text, start).end()
        if end > start:
            pieces += (text[pos:start], " " * (end - start))
            pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def same(text: str) -> None:
    assert [m.span() for m in S._quantities(text)] == old_quantities(text)
    assert S._blank_numbering(text) == old_blank_numbering(text)
    assert [m.groupdict() for m in S._COUNT().finditer(text)] == [m.groupdict() for m in OLD_COUNT.finditer(text)]
    assert [m.span() for m in S._COUNT().finditer(text)] == [m.span() for m in OLD_COUNT.finditer(text)]


@settings(max_examples=3000, deadline=None)
@given(texts)
def test_scans_find_what_the_alternations_found(text: str) -> None:
    same(text)


def test_scans_on_the_corpus() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            same(line)


def test_examples() -> None:
    for text in ("不少于100人", "12.34.5人", "2023年6月底完成验收", "下设13个科室,包括:a、b", "1234个:", "十三个科室:a、b", "达到 5万余元以上", "3.5万元", "一、\n2、目标内容3 共计240万元"):
        same(text)
