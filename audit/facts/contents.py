"""Blocks → the table of contents (目录): its entries, and which lines are the contents and not the body.

A disclosure's contents list repeats the body's headings and table titles. Read as prose, they
look like lists and titles of their own: a contents line `九、…支出预算表十、政府性基金…` (two
entries glued by PDF extraction) looked like a skipped number, and a table named in the
contents looked like a table present. So the T rules read the contents here, once, and leave
its lines out of the body; T012 compares the two.

The contents start at a line that is only 目录; they go on over short lines without a full stop
and end where the body starts: at the first line that repeats the first entry (the body's
first heading), at a sentence, or at a table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from audit.layout import Block, Paragraph
from audit.model import Span

_CN = "〇零一二两三四五六七八九十百"
_HEAD = re.compile(r"^\s*目\s*录\s*$")
# page leaders and page numbers after an entry: …………3, ....12, ·····  4
_LEADER = re.compile(r"[.…·・\-—_\s]{2,}\d{0,3}\s*$|\s+\d{1,3}\s*$")
# where two entries were glued into one line: a title ending in 表 or 说明 straight followed by `十、`
_GLUED = re.compile(rf"(?<=[表明释况标能置])(?=[{_CN}]{{1,3}}、)|(?<=.)(?=第[{_CN}]{{1,3}}部分)")
_PAGE = re.compile(r"^[-—\d\s]*$")  # a page number on its own line: 2, —1—
_MARKER = re.compile(rf"^(?:第(?P<part>[{_CN}]{{1,3}})部分|(?P<cn>[{_CN}]{{1,3}})、|\((?P<paren_cn>[{_CN}]{{1,3}})\)|(?P<dun>\d{{1,2}})(?:、|\.(?!\d)|\.(?=\d{{4}}年)))")
_MAX_ENTRY = 80  # characters: a longer line is prose
_MAX_ENTRIES = 80
_SHORT_UNNUMBERED = 8  # 名词解释, 附件: an unnumbered entry the contents may hold


@dataclass(slots=True)
class ContentsEntry:
    """One entry of the contents: `九、一般公共预算"三公"经费支出预算表`."""

    text: str  # squashed (no spaces), leaders and page number removed
    style: str | None  # part | cn | paren_cn | dun, or None when unnumbered
    number: int | None
    title: str  # the text after the number
    span: Span


@dataclass(slots=True)
class Contents:
    heading: Span  # the 目录 line
    entries: list[ContentsEntry] = field(default_factory=list)
    lines: frozenset[int] = frozenset()  # every line of the contents, the 目录 line included
    end_line: int = 0  # the last line of the contents


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cn_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20 (the numerals a contents list uses)."""
    digits = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        value = (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
        return value if all(c in digits for c in tens + ones) else None
    if len(text) == 1 and text in digits:
        return digits[text]
    return None


def entry_parts(text: str) -> tuple[str | None, int | None, str]:
    """(style, number, title) of a heading or entry: 第二部分… → ("part", 2, …)."""
    match = _MARKER.match(text)
    if not match:
        return None, None, text
    style = match.lastgroup
    return style, cn_value(match.group(style)), text[match.end() :]


def _entries_of(text: str, span: Span) -> list[ContentsEntry]:
    clean = _LEADER.sub("", squash(text)).rstrip("。")
    entries = []
    for piece in _GLUED.split(clean):
        if piece:
            style, number, title = entry_parts(piece)
            entries.append(ContentsEntry(text=piece, style=style, number=number, title=title, span=span))
    return entries


def read_contents(blocks: list[Block]) -> Contents | None:
    """The document's contents, or None when it has no 目录 line in its first blocks."""
    for at, block in enumerate(blocks[:40]):
        if not isinstance(block, Paragraph):
            continue
        for k, ref in enumerate(block.line_refs):
            if _HEAD.match(ref.text):
                return _read_from(blocks, at, k, ref.span())
    return None


def _read_from(blocks: list[Block], at: int, k: int, heading: Span) -> Contents:
    contents = Contents(heading=heading)
    lines = {heading.line}
    first: str | None = None
    for i in range(at, len(blocks)):
        block = blocks[i]
        if not isinstance(block, Paragraph):
            break  # a table: the body has started
        refs = block.line_refs[k + 1 :] if i == at else block.line_refs
        for ref in refs:
            text = ref.text.strip()
            if not text:
                continue
            key = _LEADER.sub("", squash(text))
            if _PAGE.match(key):
                continue
            if first is not None and key == first:
                return _done(contents, lines)  # the body's first heading
            if "。" in key[:-1] or len(key) > _MAX_ENTRY or len(contents.entries) >= _MAX_ENTRIES:
                return _done(contents, lines)
            span = ref.span()
            entries = _entries_of(text, span)
            if not entries:
                continue
            numbered = sum(1 for e in contents.entries if e.number)
            if numbered >= 3 and entries[0].number is None and len(key) > _SHORT_UNNUMBERED:
                return _done(contents, lines)  # an unnumbered heading after numbered entries: the body
            if first is None:
                first = key
            contents.entries.extend(entries)
            lines.add(span.line)
    return _done(contents, lines)


def _done(contents: Contents, lines: set[int]) -> Contents:
    contents.lines = frozenset(lines)
    contents.end_line = max(lines)
    return contents
