"""T012: the table of contents (目录) against the body: every section and table it lists is
there, under the number the contents give it.

An entry is found in the body when a heading or table title after the contents holds the entry's
words (years and spaces aside, most of its two-character pairs: the body may add the unit's name,
`…办事处（部门）主要职能` for `部门主要职能`). Tables are looked for only when the document holds
tables: a narrative published apart from its tables lists them too.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.facts.contents import ContentsEntry, entry_parts, squash
from audit.model import Evidence, Text

_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_NOISE = re.compile(r"[“”\"'()（）、,，:：.。\s]")
_HEAD = 40  # characters of a body line read as its heading
_SURE = 0.8  # a match this close may be told it is numbered otherwise
_MIN_SCORE = 0.6  # how alike an entry and a body heading must be (see _score)
_SCOPE = re.compile(r"^(?:本?部门|本?单位)")
_MIN_TABLES = 3  # tables a document must hold before its listed tables are looked for


def _key(text: str) -> str:
    """Words only: no year, no numbering, no punctuation, no leading 部门/单位 (the body may
    write the unit's name there: 部门主要职能 → …办公室主要职能)."""
    _, _, title = entry_parts(text)
    return _SCOPE.sub("", _NOISE.sub("", _YEAR.sub("", title)))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _score(title: str, wanted: set[str], key: str, pairs: set[str]) -> float:
    """1 when the heading holds the entry's words; one abbreviating the other (省检察院 for
    江苏省人民检察院) by how much of the longer one is kept; else the share of character pairs."""
    if not key:
        return 0.0
    if title in key:
        return 1.0
    short, long = sorted((title, key), key=len)
    if len(short) >= 4 and _subsequence(short, long):
        return 0.5 + 0.5 * len(short) / len(long)
    return _share(wanted, pairs)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _share(entry: set[str], candidate: set[str]) -> float:
    return len(entry & candidate) / len(entry) if entry else 0.0


def _same_number(entry, body) -> tuple[int, str] | None:
    """The body's heading with the entry's own numbering (第四部分 …, 十二、…), when there is one
    (style and number alike): the part is there, named otherwise."""
    style, number, _ = entry_parts(squash(entry.text))
    if number is None:
        return None
    for line, squashed, _, _ in body:
        heading_style, heading_number, _ = entry_parts(squashed)
        if heading_style == style and heading_number == number:
            return line, squashed
    return None


@kind("contents_vs_body")
def contents_vs_body(ctx: CheckContext) -> None:
    structure = ctx.facts.structure
    contents = structure.contents
    if contents is None or len(contents.entries) < 3:
        ctx.not_applicable()
        return
    texts = ctx.document.source.texts
    body = []  # (line, squashed, key, pairs) of every short line after the contents
    for number in range(contents.end_line + 1, len(texts) + 1):
        squashed = squash(texts[number - 1])[:_HEAD]  # a heading run on into its first sentence counts by its start
        if len(squashed) >= 2:
            key = _key(squashed)
            body.append((number, squashed, key, _pairs(key)))
    tables_here = len(ctx.document.blocks) and sum(1 for b in ctx.document.blocks if type(b).__name__ == "Table") >= _MIN_TABLES
    for entry in contents.entries:
        title = _key(entry.title)
        if len(title) < 2:
            continue
        if entry.title.endswith("表") and not tables_here:
            ctx.not_applicable()
            continue
        wanted = _pairs(title)
        best, best_score = None, 0.0
        for line, squashed, key, pairs in body:
            score = _score(title, wanted, key, pairs)
            if score and entry.number is not None and entry_parts(squashed)[1] == entry.number:
                score += 0.05  # between two alike headings, the one under the same number
            if score > best_score:
                best, best_score = (line, squashed), score
                if score >= 1.0:
                    break
        if best_score < _MIN_SCORE:
            best = None
        if best is None:
            named = _same_number(entry, body)  # the part is there under another name (名称解释 / 名词解释)
            if named is not None:
                line, heading = named
                at = ctx.document.located(line)
                detail = Text(zh=f"正文{at.zh}同一编号的标题为「{heading[:30]}」，名称不同",
                              en=f"the body's heading with the same number ({at.en}) reads \"{heading[:30]}\"")
                fix = Text(zh="统一目录与正文中这一部分的名称", en="Name the part alike in the contents and the body")
            else:
                detail = Text(zh="正文中未见此项", en="the body has no such part")
                fix = Text(zh="补上正文中的这一部分，或从目录中删去", en="Add the part to the body, or remove it from the contents")
            ctx.fail(
                entry.span,
                {
                    "entry": entry.text,
                    "detail": detail,
                    "fix": fix,
                },
                evidence=Evidence(stated=entry.text, values={"contents_line": entry.span.line}),
                subject=entry.text,
            )
            continue
        line, squashed = best
        if best_score >= _SURE and _numbered_otherwise(entry, squashed):
            style, number, _ = entry_parts(squashed)
            ctx.fail(
                entry.span,
                {
                    "entry": entry.text,
                    "detail": Text(zh=f"正文{ctx.document.located(line).zh}编号不同：「{squashed[:30]}」", en=f"{ctx.document.located(line).en} of the body numbers it differently: \"{squashed[:30]}\""),
                    "fix": Text(zh="统一目录与正文的编号", en="Number the part alike in the contents and the body"),
                },
                evidence=Evidence(stated=str(entry.number), computed=str(number), values={"body_line": line}),
                subject=entry.text,
            )
            continue
        ctx.passed()


def _numbered_otherwise(entry: ContentsEntry, heading: str) -> bool:
    """Both numbered in the same style, with different numbers."""
    style, number, _ = entry_parts(heading)
    return entry.number is not None and number is not None and style == entry.style and number != entry.number
