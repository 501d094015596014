"""The fourth text layout: text a PDF tool extracted (pdfplumber `extract_text`, `pdftotext -layout`).

Such text has no TAB: a table row is a line of cells separated by spaces. pdftotext -layout keeps
the columns aligned with runs of spaces (one space, sometimes, between a figure and the next
cell); pdfplumber joins cells with one space and drops empty ones, so a row is a label followed by
its figures. Around the tables: page-number lines (`- 9 -`, `23`, `第 3 页`), justified lines with
spaced-out characters (`江 苏 省`), spaces between Chinese and digits (`2019 年`), prose wrapped at
the page width (pdftotext also puts blank lines inside paragraphs), table labels wrapped onto the
next line (`1.一般公共预` / `算`) or around the row's figures.

Lines are classed (audit/layout_lines.py: blank, page number, title, 单位 line, prose, figure row,
other); a table is a run of figure rows with the header lines above them (back to its title or
单位 line) and the label fragments around them. Columns: where the text keeps alignment, from
where the cells sit on each page (audit/layout_columns.py); otherwise from the order of the cells
against the table's shape (its header line and widest row), aligned from the left or the right,
whichever keeps a row's figures together.
A figure whose column cannot be known (pdfplumber dropped the empty cells beside it) becomes the
cell "?" at the figure's place: the facts read it as unreadable (insufficient data), never as a
wrong number. Every cell keeps its span in the original line.
"""

from __future__ import annotations

import re
from collections import Counter

from audit.layout import Block, Cell, Paragraph, Row, Table
from audit.layout_columns import aligned_grid
from audit.layout_lines import (
    BLANK, HEADER_LINES, META, OTHER, PAGE, PROSE, ROW, TITLE, FlatLine, Grid, Token, display_columns,
    is_aligned, is_fragment, looks_flat, merged_codes, repeated_headers, whole_line,
)
from audit.layout_text import Text, _joined, _piece
from audit.source import Source

__all__ = ["blocks", "looks_flat"]

_HEADING = re.compile(r"\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．](?!\d))")
_LABEL_HEADER = re.compile(r"(?:名称|项目|科目|用途|分类|类别|内容)$")
_CODE_HEADER = re.compile(r"(?:编码|代码|^类$|^款$|^项$)")
_SPACED_OUT = re.compile(r"\s*[\u3400-\u9fff](?: [\u3400-\u9fff]){2,}\s*")
# Spaces beside a Chinese character in prose: justified lines (`一 般 公 共 预 算`), a digit set
# apart (`2019 年`, `17981.68 万 元 , 占`); Chinese prose has no spaces of its own there.
_HAN = "\u3400-\u9fff\uf900-\ufaff\u3001-\u3003\u201c\u201d"
_CJK_GAP = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}0-9A-Za-z,.;:%(])|(?<=[0-9A-Za-z%,.;:)]) +(?=[{_HAN}])")


# --- tables ---------------------------------------------------------------------------------------


def _zones(lines: list[FlatLine]) -> list[tuple[int, int, int]]:
    """(header start, first row, end) of each table: line indices, end exclusive."""
    zones: list[tuple[int, int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if lines[i].cls != ROW:
            i += 1
            continue
        first = i
        end = i + 1
        j = i + 1
        rows = 1
        while j < n and lines[j].cls in (ROW, OTHER, BLANK, PAGE):
            if lines[j].cls == ROW:
                rows += 1
                end = j + 1
            elif lines[j].cls == OTHER and end == j and is_fragment(lines[j]):
                end = j + 1  # a label's end wrapped below the last row
            j += 1
        # header lines above, back to the title (the 单位 lines between are the table's too)
        start, k, seen = first, first - 1, 0
        meta = None
        floor = zones[-1][2] if zones else 0
        while k >= floor and seen < HEADER_LINES and lines[k].cls in (OTHER, BLANK, PAGE, META):
            seen += lines[k].cls in (OTHER, META)
            if lines[k].cls == META:
                meta = k
            k -= 1
        bounded = k >= floor and lines[k].cls == TITLE or meta is not None
        if bounded:
            start = k + 1 if k >= floor and lines[k].cls == TITLE else meta
        if rows >= 2 or bounded:
            zones.append((start, first, end))
        i = max(j, first + 1)
    return zones


def _shape(headers: list[FlatLine], rows: list[FlatLine]) -> tuple[list[str], FlatLine | None]:
    """Column kinds of a table whose text keeps no alignment: its header line, or its widest row."""
    data = [[t.kind for t in merged_codes(ln.tokens)] for ln in rows if ln.cls == ROW]
    widest = max((len(k) for k in data), default=0)
    common = Counter(tuple(k) for k in data if len(k) == widest).most_common(1)
    shape = list(common[0][0]) if common else []
    header = max(headers, key=lambda ln: len(ln.tokens), default=None)

    def figure_words(line: FlatLine) -> int:
        return sum(1 for t in line.tokens if not _CODE_HEADER.search(t.text) and not _LABEL_HEADER.search(t.text))

    if header is not None and any(ln.index > header.index and figure_words(ln) >= 2 for ln in headers):
        # a line below it naming figure columns too (小计 购置费 运行费 under 合计 因公出国费 …):
        # the header has levels whose order the text lost, no line names the columns one to one
        return shape, None
    if header is not None and len(header.tokens) >= 2:
        kinds = ["C" if _CODE_HEADER.search(t.text) else "T" if _LABEL_HEADER.search(t.text) else "N" for t in header.tokens]
        if any(k == "C" for k in shape) and kinds[0] != "C":
            kinds = ["C", *kinds]
        if "N" in kinds and kinds.count("N") >= shape.count("N") and len(kinds) >= len(shape):
            return kinds, header
    return shape, None


def _align(kinds: list[str], tokens: list[Token], reverse: bool) -> tuple[dict[int, Token], int] | None:
    """Tokens in order onto columns of those kinds (from the left, or from the right); a
    column the row leaves empty is skipped. None when the tokens do not fit; else the places and
    how many pairs of neighbouring figures it puts in different runs of figure columns."""
    order = list(range(len(kinds)))
    items = list(range(len(tokens)))
    if reverse:
        order.reverse()
        items.reverse()
    places: dict[int, Token] = {}
    k = 0
    for i in items:
        token = tokens[i]
        while k < len(order) and kinds[order[k]] != token.kind and not (token.kind == "C" and kinds[order[k]] == "T"):
            k += 1
        if k == len(order):
            return None
        places[order[k]] = token
        k += 1
    run = [0] * len(kinds)  # which run of figure columns each column is in
    for c in range(1, len(kinds)):
        run[c] = run[c - 1] + (kinds[c] == "N" and kinds[c - 1] != "N")
    by_token = {id(t): c for c, t in places.items()}
    split = sum(
        1 for a, b in zip(tokens, tokens[1:])
        if a.kind == b.kind == "N" and run[by_token[id(a)]] != run[by_token[id(b)]]
    )
    return places, split


def _plain_grid(headers: list[FlatLine], lines: list[FlatLine]) -> Grid:
    """Columns from the order of the cells. A header line repeated on a later page is left out."""
    repeated = repeated_headers(headers, lines)
    body = [ln for ln in lines if id(ln) not in repeated]
    kinds, header = _shape(headers, body)
    grid = Grid(len(kinds), False)
    if header is not None:
        offset = len(kinds) - len(header.tokens)
        grid.add(header, {k + offset: [t] for k, t in enumerate(header.tokens)}, True)
    for ln in body:
        tokens = merged_codes(ln.tokens)
        tries = [a for a in (_align(kinds, tokens, False), _align(kinds, tokens, True)) if a is not None]
        if not tries:  # wider than the shape: cells in order
            grid.width = max(grid.width, len(tokens))
            grid.add(ln, {k: [t] for k, t in enumerate(tokens)}, False)
            continue
        places, _ = min(tries, key=lambda a: a[1])
        if ln.cls == ROW:
            _mark_unknown(kinds, places)
        grid.add(ln, {c: [t] for c, t in places.items()}, False)
    return grid


def _mark_unknown(kinds: list[str], places: dict[int, Token]) -> None:
    """In a run of figure columns holding fewer figures than columns, only the first figure's
    column is known (the run's total); the others could be any of the run's columns."""
    c = 0
    while c < len(kinds):
        if kinds[c] != "N":
            c += 1
            continue
        end = c
        while end < len(kinds) and kinds[end] == "N":
            end += 1
        filled = [k for k in range(c, end) if k in places]
        if 1 < len(filled) < end - c:
            unknown = [places.pop(k) for k in filled[1:]][0]
            for k in range(filled[0] + 1, end):  # "?" at the first figure of unknown column
                places[k] = Token(unknown.line, unknown.start, unknown.start + 1, "?", "N")
        c = end


def _repair_wraps(grid: Grid) -> None:
    """A label wrapped around its row: a label-only line just above a row whose label cell is
    empty goes into it, and short pieces just below a row end the labels above them."""
    out: list[tuple[FlatLine, dict[int, list[Token]], bool]] = []
    last = 0  # the last line index out[-1] has a piece on
    header_cells: list[dict[int, list[Token]]] = []  # the header rows kept so far
    for line, cells, header in grid.rows:
        if header and header_cells and is_fragment(line):  # `单位预留机动经` / `费`: the word's end
            targets = [next((c for c in reversed(header_cells[-HEADER_LINES:]) if k in c), None) for k in cells]
            if all(t is not None for t in targets):
                for target, (k, tokens) in zip(targets, cells.items()):
                    target[k].extend(tokens)
                continue
        next_to = line.index == last + 1  # no blank line between (rows are spaced, wraps are not)
        if header or not out or out[-1][2]:
            pass
        elif next_to and line.cls == OTHER and is_fragment(line) and all(
            k in out[-1][1] and out[-1][1][k][-1].kind == "T" for k in cells
        ):
            for k, tokens in cells.items():
                out[-1][1][k].extend(tokens)
            last = line.index
            continue
        elif next_to and line.cls == ROW and out[-1][0].cls == OTHER and out[-1][1].keys().isdisjoint(cells) and (
            not _has_label(cells) or grid.aligned
        ):
            out[-1][1].update(cells)  # the label's first part above its row's figures
            out[-1] = (line, out[-1][1], False)
            last = line.index
            continue
        out.append((line, cells, header))
        if header:
            header_cells.append(cells)
        last = line.index
    grid.rows = out


def _has_label(cells: dict[int, list[Token]]) -> bool:
    first = min(cells, default=None)
    return first is not None and cells[first][0].kind != "N"


# --- building blocks ------------------------------------------------------------------------------


def _cell(source: Source, tokens: list[Token], fallback_line: int) -> Cell:
    """One cell of its tokens (a label over several lines, a split code), each character placed."""
    if not tokens:
        return Cell("", None, fallback_line)
    if len(tokens) > 1 and all(t.kind == "C" for t in tokens):
        tokens = merged_codes(tokens)  # a split code put in one column: one code
    if len(tokens) == 1 and tokens[0].parts is None:
        token = tokens[0]
        return Cell(token.text, None, token.line, token.start, source.maps.get(token.line - 1))
    refs: list[Text] = []
    for token in tokens:
        number = token.line
        cols = source.maps.get(number - 1)
        text = source.texts[number - 1]
        for start, end in token.parts or [(token.start, token.end)]:
            refs.append(_piece(number, start, text[start:end] if end > start else "0", cols))
    ref = _joined(refs)
    return Cell(ref.text, ref, tokens[0].line)


def _table(source: Source, grid: Grid) -> Table | None:
    rows: list[Row] = []
    for line, cells, _ in grid.rows:
        if not cells:
            continue
        number = line.index + 1
        made = [_cell(source, cells.get(k, []), number) for k in range(grid.width)]
        lines = [c.line for c in made if c.text]
        rows.append(Row(made, min(lines, default=number), max(lines, default=number)))
    return Table("flat", rows) if rows else None


def _paragraph_refs(source: Source, index: int) -> Text | None:
    """One line of prose as a Text: stripped, spaced-out characters and the space between a
    Chinese character and a digit taken out (the places of what is left stay)."""
    text = source.texts[index]
    body = text.strip()
    if not body:
        return None
    start = text.find(body)
    end = start + len(body)
    cols = source.maps.get(index)
    cuts = [m.span() for m in _CJK_GAP.finditer(text, start, end)]
    if not cuts:
        return _piece(index + 1, start, body, cols)
    refs, at = [], start
    for cut, after in cuts:
        if cut > at:
            refs.append(_piece(index + 1, at, text[at:cut], cols))
        at = after
    if end > at:
        refs.append(_piece(index + 1, at, text[at:end], cols))
    return _joined(refs)


def _paragraphs(source: Source, lines: list[FlatLine], width: int) -> list[Paragraph]:
    """Prose lines rebuilt into paragraphs: a paragraph ends after a short line ending a sentence,
    before a heading or an indented line, and at a title, 单位 line or table; page numbers and
    blank lines inside it (pdftotext puts some there) are skipped."""
    out: list[Paragraph] = []
    refs: list[Text] = []

    def close() -> None:
        if refs:
            out.append(Paragraph(_joined(refs) if len(refs) > 1 else refs[0]._slice(0, refs[0]._size), list(refs)))
            refs.clear()

    for line in lines:
        if line.cls in (BLANK, PAGE):
            continue
        ref = _paragraph_refs(source, line.index)
        if ref is None:
            continue
        body = line.text.strip()
        own = line.cls in (TITLE, META) or bool(_SPACED_OUT.fullmatch(body))
        indent = len(line.text) - len(line.text.lstrip())
        if own or _HEADING.match(line.text) or (refs and indent >= 2):
            close()
        refs.append(ref)
        short = display_columns(line.text.rstrip())[-1] < width * 0.88
        if own or (short and body[-1] in "。:;!?：；！？") or (short and _HEADING.match(line.text)):
            close()
    close()
    return out


def blocks(source: Source) -> list[Block]:
    """Split text a PDF tool extracted into paragraphs and tables, in document order."""
    texts = source.texts
    aligned = is_aligned(texts)
    lines = [FlatLine(i, t, aligned) for i, t in enumerate(texts)]
    # the page's line width: the most common display width of prose lines (the longer on a tie)
    widths = Counter(display_columns(ln.text.rstrip())[-1] for ln in lines if ln.cls == PROSE)
    width = max(widths, key=lambda w: (widths[w], w)) if widths else 60
    out: list[Block] = []
    at = 0
    for start, first, end in _zones(lines):
        out.extend(_paragraphs(source, lines[at:start], width))
        headers = [ln for ln in lines[start:first] if ln.cls == OTHER]
        body = [ln for ln in lines[first:end] if ln.cls in (ROW, OTHER)]
        grid = aligned_grid(headers, body) if aligned else _plain_grid(headers, body)
        _repair_wraps(grid)
        # 编制部门 / 单位 lines lead the table, one cell each: the unit is read from its header rows
        metas = [ln for ln in lines[start:first] if ln.cls == META]
        grid.rows[:0] = [(ln, {0: [whole_line(ln)]}, True) for ln in metas]
        table = _table(source, grid)
        if table is not None:
            out.append(table)
        at = end
    out.extend(_paragraphs(source, lines[at:], width))
    return out

