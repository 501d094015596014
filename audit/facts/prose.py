"""Blocks → the document's prose as the text rules (T007–T013) read it: one entry per printed line
of narrative, with its original text (punctuation as printed, before NFKC turned `，` into `,`),
whether it sits in the 目录, and whether it is a table title.

Built once per document (`Analysis.prose` in audit/analysis), so the rules that read the prose
share one pass over it. Tables are not prose: their cells are read by the table rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.facts.contents import Contents, squash
from audit.layout import Block, Paragraph, Table
from audit.model import Span

_TITLE = re.compile(r"表(?:\([^()]{0,16}\))?$")
CJK = "\u4e00-\u9fff"
_WORDS = re.compile(f"[{CJK}]")


@dataclass(slots=True)
class ProseLine:
    """One printed line of narrative (a PDF paragraph is one line)."""

    line: int
    text: str  # NFKC-normalised, stripped
    original: str  # as printed (full-width punctuation kept), stripped
    offset: int  # 0-based column where `original` starts on its line
    start: int  # 0-based offset where `text` starts in the line's normalised text
    block: int  # index of the block it belongs to
    contents: bool = False  # a line of the 目录
    title: bool = False  # a table's title (…预算表)
    heading: bool = False  # short, numbered or without a full stop: a heading, not a sentence

    def span(self, start: int = 0, end: int | None = None) -> Span:
        """Span of original[start:end] on its line."""
        end = len(self.original) if end is None else end
        return Span(line=self.line, column=self.offset + start + 1, end_line=self.line, end_column=self.offset + end + 1)


@dataclass(slots=True)
class Prose:
    lines: list[ProseLine] = field(default_factory=list)
    tables: list[tuple[int, Table]] = field(default_factory=list)  # (block index, table)

    def body(self) -> list[ProseLine]:
        """Lines outside the contents."""
        return [p for p in self.lines if not p.contents]

    def sentences(self) -> list[ProseLine]:
        """Body lines that are prose: not a title, not a heading, and holding words (a line of
        bare punctuation is what a PDF leaves of clipped, hidden text)."""
        return [p for p in self.lines if not (p.contents or p.title or p.heading) and len(_WORDS.findall(p.text)) >= 2]

    def tables_only(self) -> bool:
        """No sentence outside titles and table notes (注：…): a publication's tables file, or a
        document that is all tables."""
        return not any("。" in p.text and not p.text.startswith("注") for p in self.body() if not p.title)


def is_table_title(squashed: str) -> bool:
    return 4 <= len(squashed) <= 60 and bool(_TITLE.search(squashed)) and "绩效" not in squashed


def read_prose(blocks: list[Block], originals: list[str], texts: list[str], contents: Contents | None) -> Prose:
    prose = Prose()
    skip = contents.lines if contents is not None else frozenset()
    seen: set[int] = set()
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            prose.tables.append((index, block))
            continue
        if not isinstance(block, Paragraph):
            continue
        for ref in block.line_refs:
            if not ref.text.strip() or not ref._placed():
                continue
            number = ref.position(0)[0]
            if not 1 <= number <= len(texts) or number in seen:
                continue
            seen.add(number)
            whole, raw = texts[number - 1], originals[number - 1]
            text, original = whole.strip(), raw.strip()
            squashed = squash(text)
            title = is_table_title(squashed)
            # a heading: short, and neither a full stop nor a comma (a sentence has one of them)
            heading = not title and len(squashed) <= 40 and not any(c in text for c in "。,;")
            prose.lines.append(
                ProseLine(
                    line=number,
                    text=text,
                    original=original,
                    offset=len(raw) - len(raw.lstrip()),
                    start=len(whole) - len(whole.lstrip()),
                    block=index,
                    contents=number in skip,
                    title=title,
                    heading=heading,
                )
            )
    return prose
