"""Blocks → BudgetTables: the standard budget tables (收支总表, 收入总表, 支出总表 …) as typed rows.

A table is recognised by its title paragraph (the last sentence before it); pages that follow with
only 编制单位/预算年度 lines in between are joined to it, and the header rows each page repeats are
dropped. Column meanings come from the header words of all pages (garbled OCR words on one page
are read from another); a column nobody can name stays `key=None` and is never summed.

Rows keep their classification code (功能分类 3/5/7 digits or 经济分类 3/5 digits — two domains,
never compared), their label, and only the cells that hold a number: a blank cell is absent, not
zero. Two-sided tables (收支总表: 收入 | 支出) are split into panels, one per label column.

This module finds the tables (titles in paragraphs or in a table's first row, header shapes, meta
lines, continued pages); audit.facts.table_reading reads one table; audit.facts.table_model holds
the types and the lexicon.
"""

from __future__ import annotations

import re
from typing import Iterable

from audit.layout import Block, Paragraph, Row, Table
from audit.facts.table_model import (
    BudgetTable, Column, Lexicon, Panel, TableFigure, TableRow, _META_START, _UP_TO_LAST_SENTENCE_END, _parse, clean,
    table_lexicon,
)
from audit.facts.table_reading import _is_header, _read_table
from audit.model import Span

# the facts' types, for the checks that read them
__all__ = ["BudgetTable", "Column", "Panel", "TableFigure", "TableRow", "clean", "count_identities", "extract_tables", "table_lexicon"]


# --- recognising tables in the block stream -------------------------------------------------------


def _title_of(paragraph: Paragraph) -> tuple[str, int]:
    """The last sentence of a paragraph's last line, where a table's title stands, and where it starts."""
    text = paragraph.line_refs[-1].text
    last = _UP_TO_LAST_SENTENCE_END.match(text.rstrip("。 "))
    cut = last.end() if last else 0
    title = text[cut:].strip()
    return title, len(text) - len(text[cut:].lstrip())


def _title_span(paragraph: Paragraph, start: int) -> Span | None:
    ref = paragraph.line_refs[-1]
    return ref.span(start, len(ref.text))




def _is_meta(paragraph: Paragraph, lex: Lexicon) -> bool:
    if "。" in paragraph.text and not _META_START.match(paragraph.text.lstrip()):
        return False  # a sentence, not a 编制单位/单位 line (`编制单位：… 单位：元 注:本表为空表。` is one)
    text = clean(paragraph.text)
    return len(text) <= 120 and bool(lex.meta.search(text))


def extract_tables(blocks: list[Block]) -> list[BudgetTable]:
    lex = table_lexicon()
    found: list[tuple[str, str, Span | None, list[Table], list[str]]] = []  # kind, title, span, pages, meta
    pending: tuple[str, str, Span | None] | None = None
    pending_meta: list[str] = []
    open_table = False
    for block in _split_at_titles(blocks, lex):
        if isinstance(block, Table) and (titled := _title_row(block.rows[0], lex)):
            # the title (and 部门/单位 line) in the table's first row: a frame around title and table
            kind, title, meta = titled
            first = block.rows[0]
            span = first.span_of(next(k for k, t in enumerate(first.texts) if t.strip()))
            if len(block.rows) == 1:  # the title row alone: the table follows
                pending, pending_meta, open_table = (kind, title, span), [meta], False
            else:
                found.append((kind, title, span, [Table(layout=block.layout, rows=block.rows[1:])], [*pending_meta, meta]))
                pending, pending_meta, open_table = None, [], True
            continue
        if isinstance(block, Paragraph):
            title, start = _title_of(block)
            # `编制部门：… 单位：万元 注：…故本表为空表。` is the table's meta line, though it names the table
            kind = None if _META_START.match(block.text.lstrip()) and _is_meta(block, lex) else lex.title_kind(clean(title))
            if kind:
                pending, pending_meta, open_table = (kind, title, _title_span(block, start)), [], False
            elif _is_meta(block, lex):
                pending_meta.append(block.text)
            else:
                pending, pending_meta, open_table = None, [], False
            continue
        if pending is not None:
            found.append((*pending, [block], pending_meta))
            pending, pending_meta, open_table = None, [], True
        elif open_table and found:
            found[-1][3].append(block)  # the next page of the same table
            pending_meta = []
        elif kind := lex.shape_kind(_header_words(block, lex)):
            # no title before it: a standard table all the same when its header says which one
            found.append((kind, "", None, [block], pending_meta))
            pending_meta, open_table = [], True
    tables = [_read_table(kind, title, span, pages, meta, lex) for kind, title, span, pages, meta in found]
    _settle_units(tables)
    group, seen = 0, set()
    for table in tables:
        if table.kind in seen:
            group, seen = group + 1, set()
        seen.add(table.kind)
        table.group = group
    return tables


_TITLE_END = re.compile(r"(?:编制)?(?:部门|单位)(?:名称)?[:：]")


def _title_row(row: Row, lex: Lexicon) -> tuple[str, str, str] | None:
    """A row that states a table's title — its only text, maybe with the 部门/单位 line beside or after
    it, no figure (`收支预算总表部门：… 单位：万元 | | |`): kind, title and the rest (the meta line)."""
    texts = [t for t in row.texts if t.strip()]
    if not texts or len(texts) > 2 or any(_parse(t) is not None for t in texts):
        return None
    first = texts[0].replace("\n", "")
    cut = _TITLE_END.search(first)
    title = (first[:cut.start()] if cut else first).strip()
    kind = lex.title_kind(clean(title)) if len(clean(title)) <= 60 else None
    if kind is None:
        return None
    rest = (first[cut.start():] if cut else "") + " " + " ".join(texts[1:])
    return kind, title, rest.strip()


def _split_at_titles(blocks: list[Block], lex: Lexicon) -> Iterable[Block]:
    """Blocks, with a table cut where one of its rows states another table's title (two tables with no
    blank line between them read as one)."""
    for block in blocks:
        if not isinstance(block, Table) or len(block.rows) < 2:
            yield block
            continue
        start = 0
        for index in range(1, len(block.rows)):
            if _title_row(block.rows[index], lex):
                yield Table(layout=block.layout, rows=block.rows[start:index])
                start = index
        yield block if start == 0 else Table(layout=block.layout, rows=block.rows[start:])


def _header_words(block: Table, lex: Lexicon) -> str:
    """The header rows' words above the first data row, cleaned and joined."""
    words = []
    for row in block.rows[:6]:
        if not any(row.texts):
            continue
        if not _is_header(row, lex):
            break
        words.extend(clean(t) for t in row.texts)
    return "|".join(words)


def _settle_units(tables: list[BudgetTable]) -> None:
    """A table that states no unit shares the unit the document's other tables state (万元 by default)."""
    stated = [t.unit for t in tables if t.unit_stated]
    if stated:
        common = max(set(stated), key=stated.count)
        for table in tables:
            if not table.unit_stated:
                table.unit = common


def count_identities(tables: list[BudgetTable]) -> int:
    """Structural identities the tables offer (parent rows with children, total rows, rows whose total
    column has components): what the summary reports as read, before any rule looks at them."""
    count = 0
    for table in tables:
        for panel in table.panels:
            # a row is a parent when its code is a proper prefix of another row's code
            prefixes = {r.code[:k] for r in panel.rows if r.code for k in range(1, len(r.code))}
            count += sum(1 for r in panel.rows if r.code and r.code in prefixes)
            count += sum(1 for r in panel.rows if r.kind == "total" and r.cells)
            total = panel.column("total")
            if total is not None and any(c.key in ("basic", "project", "personnel", "public", "subtotal", "gpb") for c in panel.columns):
                count += sum(1 for r in panel.rows if total.index in r.cells)
    return count
