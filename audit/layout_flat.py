"""The fourth text layout: text a PDF tool extracted (pdfplumber `extract_text`, `pdftotext -layout`).

Such text has no TAB: a table row is a line of cells separated by spaces. pdftotext -layout keeps
the columns aligned with runs of spaces (one space, sometimes, between a figure and the next
cell); pdfplumber joins cells with one space and drops empty ones, so a row is a label followed by
its figures. Around the tables: page-number lines (`- 9 -`, `23`, `第 3 页`), justified lines with
spaced-out characters (`江 苏 省`), spaces between Chinese and digits (`2019 年`), prose wrapped at
the page width (pdftotext also puts blank lines inside paragraphs), table labels wrapped onto the
next line (`1.一般公共预` / `算`) or around the row's figures.

Lines are classed (blank, page number, title, meta, prose, figure row, other); a table is a run
of figure rows with the header lines above them (back to its title or 单位 line) and the label
fragments around them. Columns: where the text keeps alignment, figures are put in columns by
where they end (display width, a Chinese character counting two) and labels by the gaps between
those columns; otherwise by the order of the cells against the table's shape (its header line
and widest row), aligned from the left or the right, whichever keeps a row's figures together.
A figure whose column cannot be known (pdfplumber dropped the empty cells beside it) becomes the
cell "?" at the figure's place: the facts read it as unreadable (insufficient data), never as a
wrong number. Every cell keeps its span in the original line.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import accumulate

from audit.layout import Block, Cell, Paragraph, Row, Table, Text, _joined, _piece
from audit.source import Source

# A figure: 1,234.56 / 1234.56 / 12 / -3.5 / 12.5%; a lone dash stands for an empty figure.
# Neither starts inside a run of digits: a search is one pass over a long one, not one per digit.
_NUMBER = re.compile(r"(?<![\d,.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_MONEY = re.compile(r"(?<![\d,.])[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")  # has a separator or decimals
_DASH = frozenset("-—–－")
_PAGE = re.compile(r"\s*(?:[-—–─－]\s*\d{1,4}\s*[-—–─－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*")
_TITLE = re.compile(r".{2,45}?(?:表|表\s*\(续\)|\(续表\)|续表)")
_META = re.compile(r"(?:编制部门|编制单位|填报单位|部门|单位)\s*:|单位\s*:\s*(?:万元|元|千元|亿元)")
_PROSE_MARKS = re.compile(r"[。，；,;!?！？]")  # NFKC has made ，； ASCII
_NUMBERING = re.compile(r"(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
_HEADING = re.compile(r"\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．](?!\d))")
_LABEL_HEADER = re.compile(r"(?:名称|项目|科目|用途|分类|类别|内容)$")
_CODE_HEADER = re.compile(r"(?:编码|代码|^类$|^款$|^项$)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACED_OUT = re.compile(r"\s*[\u3400-\u9fff](?: [\u3400-\u9fff]){2,}\s*")
# Spaces beside a Chinese character in prose: justified lines (`一 般 公 共 预 算`), a digit set
# apart (`2019 年`, `17981.68 万 元 , 占`); Chinese prose has no spaces of its own there.
_HAN = "\u3400-\u9fff\uf900-\ufaff\u3001-\u3003\u201c\u201d"
_CJK_GAP = re.compile(rf"(?<=[{_HAN}]) +(?=[{_HAN}0-9A-Za-z,.;:%(])|(?<=[0-9A-Za-z%,.;:)]) +(?=[{_HAN}])")

LONG_TEXT = 22  # a text cell this long is prose: table labels are shorter
MIN_ROWS = 3  # figure rows a file needs to be read in this layout
COLUMN_GAP = 3  # display columns: figures ending this close are in one column
LABEL_GAP = 6  # labels starting this close are in one column (sub-items are indented by ~4)
HEADER_LINES = 8  # at most this many header lines above a table's first figure row
MAX_FIGURES = 40  # figures on one line: more is no table row (bounds the fitting of figures to columns)
MAX_ROW = 600  # characters: a longer line is never a table row (bounds the columns a table can have)

BLANK, PAGE, TITLE, META, PROSE, ROW, OTHER = range(7)


class _Token:
    """One cell's text on a line: [start, end) in the line's normalised text, its kind
    ("N" figure, "C" classification code, "T" text) and display columns [left, right)."""

    __slots__ = ("line", "start", "end", "text", "kind", "left", "right", "parts")

    def __init__(self, line: int, start: int, end: int, text: str, kind: str):
        self.line = line  # 1-based
        self.start, self.end, self.text, self.kind = start, end, text, kind
        self.left = self.right = 0
        self.parts: list[tuple[int, int]] | None = None  # pieces when the text skips characters

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text}"


def _kind(text: str, after_text: bool) -> str:
    if _MONEY.fullmatch(text):
        return "N"
    if after_text and (text in _DASH or _NUMBER.fullmatch(text)):
        return "N"
    if not after_text and text.isdigit() and 2 <= len(text) <= 7:
        return "C"
    return "T"


def _tokens(text: str, aligned: bool, line: int = 0) -> list[_Token]:
    """The cells of one line. Aligned text: runs of two spaces separate cells, and one space
    beside a figure; otherwise every space does, a numbering (`1.`) kept with its text."""
    pieces: list[tuple[int, int]] = []
    if aligned:
        for match in re.finditer(r"\S+(?: \S+)*", text):
            start = match.start()
            words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", match.group())]
            group = [words[0]]
            for word in words[1:]:
                prev, now = text[group[-1][0]:group[-1][1]], text[word[0]:word[1]]
                if _NUMBER.fullmatch(prev) or _NUMBER.fullmatch(now):  # a figure is a cell of its own
                    pieces.append((group[0][0], group[-1][1]))
                    group = [word]
                else:
                    group.append(word)
            pieces.append((group[0][0], group[-1][1]))
    else:
        glue = None
        for match in re.finditer(r"\S+", text):
            start, end = match.span()
            if glue is not None:
                start, glue = glue, None
            elif _NUMBERING.fullmatch(match.group()):
                glue = start
                continue
            pieces.append((start, end))
        if glue is not None:
            pieces.append((glue, len(text.rstrip())))
    tokens: list[_Token] = []
    after_text = False
    for start, end in pieces:
        piece = text[start:end]
        kind = _kind(piece, after_text)
        after_text = after_text or kind == "T"
        tokens.append(_Token(line, start, end, piece, kind))
    return tokens


def _display(text: str) -> list[int]:
    """Display column of each offset (and of the end): wide characters count two."""
    return list(accumulate((2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text), initial=0))


def _wide_before(text: str) -> list[int]:
    """How many wide (Chinese) characters precede each offset (and the end)."""
    return list(accumulate((unicodedata.east_asian_width(c) in "WF" for c in text), initial=0))


# pdftotext places a character at x / (the page's mean character width), pushing it right when
# the text before it is in the way: where a figure ends depends on the fonts (how wide a Chinese
# character and a digit come out on that grid), so each page of a table tries these widths.
_FITS = tuple((wide, digit) for wide in (1.0, 1.5, 2.0) for digit in (0.67, 0.83, 1.0, 1.17, 1.33))


class _Line:
    __slots__ = ("index", "text", "cls", "tokens")

    def __init__(self, index: int, text: str, aligned: bool):
        self.index, self.text = index, text
        self.tokens: list[_Token] = []
        stripped = text.strip()
        if not stripped:
            self.cls = BLANK
        elif len(stripped) > MAX_ROW:  # no table row is this long: prose (and no per-cell work)
            self.cls = PROSE
        elif _PAGE.fullmatch(text):
            self.cls = PAGE
        else:
            self.tokens = _tokens(text, aligned, index + 1)
            self.cls = _classify(stripped, self.tokens)

    @property
    def figures(self) -> int:
        return sum(1 for t in self.tokens if t.kind == "N")


def _classify(stripped: str, tokens: list[_Token]) -> int:
    money = any(t.kind == "N" and _MONEY.fullmatch(t.text) for t in tokens)
    texts = [t.text for t in tokens if t.kind == "T"]
    squeezed = stripped.replace(" ", "")
    if not money and len(squeezed) <= 80 and "。" not in squeezed and _META.search(squeezed):
        return META
    if any(_PROSE_MARKS.search(t) or len(t) >= LONG_TEXT for t in texts):
        if not money and _TITLE.fullmatch(squeezed):
            return TITLE
        return PROSE
    if not money:
        return TITLE if _TITLE.fullmatch(squeezed) else OTHER
    if sum(t.kind == "N" for t in tokens) > MAX_FIGURES:
        return PROSE  # no budget table has this many figure columns
    return ROW


def _is_aligned(texts: list[str]) -> bool:
    """pdftotext -layout keeps columns with runs of spaces inside lines; pdfplumber does not."""
    inner = sum(1 for t in texts if re.search(r"\S {2,}\S", t))
    filled = sum(1 for t in texts if t.strip())
    return filled > 0 and inner * 20 >= filled


def looks_flat(texts: list[str]) -> bool:
    """A file without TAB that a PDF tool extracted: pages broken by form feeds (pdftotext), or
    at least MIN_ROWS page-number lines or rows of figures after a label."""
    seen = pages = 0
    for text in texts:
        if text.startswith("\f"):
            return True
        if _PAGE.fullmatch(text) and text.strip():
            pages += 1
            if pages >= MIN_ROWS:
                return True
            continue
        if len(text) > MAX_ROW or _MONEY.search(text) is None:
            continue
        tokens = _tokens(text, False)
        if _classify(text.strip(), tokens) == ROW and (tokens[0].kind != "N" or sum(t.kind == "N" for t in tokens) >= 2):
            seen += 1
            if seen >= MIN_ROWS:
                return True
    return False


# --- tables ---------------------------------------------------------------------------------------


def _zones(lines: list[_Line]) -> list[tuple[int, int, int]]:
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
            elif lines[j].cls == OTHER and end == j and _fragment(lines[j]):
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


_WHOLE_WORDS = re.compile(r"(?:小计|合计|总计|其中|类|款|项)$")


def _whole(line: _Line) -> _Token:
    """A line's text, stripped, as one cell."""
    body = line.text.strip()
    start = line.text.find(body)
    return _Token(line.index + 1, start, start + len(body), body, "T")


def _fragment(line: _Line) -> bool:
    """A line that may continue labels of the row above: pieces of three characters at most, none
    starting a new item or being a whole label (小计, 其中)."""
    return bool(line.tokens) and all(
        t.kind == "T" and len(t.text) <= 3 and not _NUMBERING.match(t.text) and not _WHOLE_WORDS.match(t.text)
        for t in line.tokens
    )


class _Grid:
    """One table's lines put in columns: per line, column → tokens."""

    def __init__(self, width: int, aligned: bool):
        self.width = width
        self.aligned = aligned  # columns from positions (not from the order of the cells)
        self.rows: list[tuple[_Line, dict[int, list[_Token]], bool]] = []  # line, cells, is header

    def add(self, line: _Line, cells: dict[int, list[_Token]], header: bool) -> None:
        self.rows.append((line, cells, header))


def _aligned_grid(headers: list[_Line], lines: list[_Line]) -> _Grid:
    """Columns from positions, page by page (pdftotext sets each page on its own grid), then the
    pages' columns matched to the first page's: in order where a page has as many columns of a
    kind, else by where they sit across the page's figures."""
    repeated = _repeated(headers, lines)
    pages: list[list[_Line]] = [[]]
    for line in lines:
        if line.text.startswith("\f") and pages[-1]:
            pages.append([])
        pages[-1].append(line)
    master = _page_grid(headers, pages[0], repeated)
    kinds, positions, rows = master
    data = [k for k, (kind, sits) in enumerate(zip(kinds, positions)) if sits is not None]
    for page in pages[1:]:
        page_kinds, page_positions, page_rows = _page_grid([], page, repeated)
        new = _match(kinds, positions, page_kinds, page_positions, data)
        for k in range(len(page_kinds)):
            if k not in new:  # a column no earlier page has
                new[k] = len(kinds)
                kinds.append(page_kinds[k])
                positions.append(None)
        rows.extend((ln, {new[k]: t for k, t in cells.items()}, header) for ln, cells, header in page_rows)
    grid = _Grid(len(kinds), True)
    grid.rows = rows
    return grid


def _fit_in(figures: list[float], slots: list[float]) -> tuple[float, list[int]]:
    """The figures of one row, in order, into columns in order (each its own): the least total
    distance, and which column each takes."""
    n, m = len(figures), len(slots)
    if not n:
        return 0.0, []
    if n == m:  # a full row: the k-th figure in the k-th column
        return sum(abs(f - x) for f, x in zip(figures, slots)), list(range(n))
    if n == 1:
        j = min(range(m), key=lambda j: abs(figures[0] - slots[j]))
        return abs(figures[0] - slots[j]), [j]
    inf = float("inf")
    cost = [[inf] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for j in range(m):
        cost[0][j] = abs(figures[0] - slots[j])
    for i in range(1, n):
        best, arg = inf, 0
        for j in range(i, m):
            if cost[i - 1][j - 1] < best:
                best, arg = cost[i - 1][j - 1], j - 1
            cost[i][j] = best + abs(figures[i] - slots[j])
            back[i][j] = arg
    j = min(range(n - 1, m), key=cost[n - 1].__getitem__)
    total = cost[n - 1][j]
    taken = [j]
    for i in range(n - 1, 0, -1):
        j = back[i][j]
        taken.append(j)
    return total, taken[::-1]


def _match(kinds: list[str], positions: list, page_kinds: list[str], page_positions: list, data: list[int]) -> dict[int, int]:
    """Page column → first page's column of the same kind: the k-th to the k-th when the page has
    as many as the first page has data columns, else the nearest by place across the figures."""
    out: dict[int, int] = {}
    for kind in "CTN":
        ours = [k for k in data if kinds[k] == kind]
        theirs = [k for k in range(len(page_kinds)) if page_kinds[k] == kind and page_positions[k] is not None]
        if not ours or not theirs:
            continue
        if len(ours) == len(theirs):
            out.update(zip(theirs, ours))
            continue
        span = (max(positions[k] for k in data) or 1, max(p for p in page_positions if p is not None) or 1)
        for k in theirs:  # one page column to one column: the second nearest gets a column of its own
            near = min(ours, key=lambda m: abs(positions[m] / span[0] - page_positions[k] / span[1]))
            if near not in out.values():
                out[k] = near
    return out


def _page_grid(headers: list[_Line], lines: list[_Line], repeated: set[int]) -> tuple[list[str], list, list]:
    """One page of a table: its columns' kinds and places (None: named by header words only), and
    its lines with their cells in those columns."""
    body = [ln for ln in lines if id(ln) not in repeated]
    wide = {id(ln): _wide_before(ln.text) for ln in [*headers, *lines]}
    rows = [ln for ln in body if any(t.kind == "N" for t in ln.tokens)]  # lines with figures

    def placed(fit: tuple[float, float]) -> tuple[list[float], float]:
        """Figure columns (right edges) under one fit, and how far the figures are from them."""
        w, d = fit
        for line in [*headers, *lines]:
            before = wide[id(line)]
            for token in line.tokens:
                token.left = token.start + (w - 1) * before[token.start]
                if token.kind == "N":  # right-aligned: where it starts, plus its digits' width
                    token.right = token.left + d * (token.end - token.start)
                else:
                    token.right = token.end + (w - 1) * before[token.end]
        figures = [[t.right for t in ln.tokens if t.kind == "N"] for ln in rows]
        most = max(map(len, figures), default=0)
        # the rows with a figure in every column set the columns: the k-th figure, the k-th column
        full = [f for f in figures if len(f) == most]
        slots = [sorted(f[k] for f in full)[len(full) // 2] for k in range(most)]
        # figures far from every such column: columns no full row reaches (功能分类's 金额)
        far = [x for f in figures for x, k in zip(f, _fit_in(f, slots)[1]) if abs(x - slots[k]) > 2 * COLUMN_GAP]
        if far and len(slots) < MAX_FIGURES:
            extra = [(lo + hi) / 2 for lo, hi in _clusters(sorted(far), COLUMN_GAP)]
            slots = sorted(slots + extra[: MAX_FIGURES - len(slots)])
        return slots, sum(_fit_in(f, slots)[0] for f in figures)

    best = min(_FITS, key=lambda fit: placed(fit)[1])  # the widths that line the figures up best
    tops, _ = placed(best)
    slots = [(top, top) for top in tops]
    figure_slot: dict[int, int] = {}
    for ln in body:  # rows, and lines whose figures are no money (0, 12): each its own column
        tokens = [t for t in ln.tokens if t.kind == "N"]
        for token, k in zip(tokens, _fit_in([t.right for t in tokens], tops)[1]):
            figure_slot[id(token)] = k
    # label columns: in each gap before a figure column, by left edge

    tops = [hi for _, hi in slots]
    after: dict[int, int] = {}  # text token → figure columns its row's figures before it take
    for ln in body:
        seen = 0
        for token in ln.tokens:
            if token.kind == "N":
                seen = figure_slot.get(id(token), seen - 1) + 1
            else:
                after[id(token)] = seen

    def gap_of(token: _Token) -> int:
        """Figure columns left of a label: those ending before it starts (a digit's width set
        too wide can put a figure's end past the next label's start), and at least those its
        own row's figures before it take."""
        return max(bisect_right(tops, token.left + COLUMN_GAP), after.get(id(token), 0))

    lefts: dict[int, list[int]] = {}
    has_code = False
    for ln in body:
        for token in ln.tokens:
            if token.kind == "C":
                has_code = True
            elif token.kind == "T":
                lefts.setdefault(gap_of(token), []).append(token.left)
    columns: list[tuple[str, float, float]] = []  # kind, left, right (display)
    for g in range(len(slots) + 1):
        if g == 0 and has_code:
            columns.append(("C", -1, -1))
        for lo, hi in _label_columns(sorted(lefts.get(g, [])), [ln for ln in body], gap_of, g):
            columns.append(("T", lo, hi))
        if g < len(slots):
            lo, hi = slots[g]
            columns.append(("N", lo, hi))
    # header words right of every figure column name columns the data leaves empty (结转下年资金)
    edge = max((hi for kind, _, hi in columns if kind == "N"), default=0) + COLUMN_GAP
    beyond = sorted(t.right for ln in headers for t in ln.tokens if t.left > edge)
    columns.extend(("N", lo, hi) for lo, hi in _clusters(beyond, 2 * COLUMN_GAP))
    figure_columns = [k for k, c in enumerate(columns) if c[0] == "N"]
    label_columns = [k for k, c in enumerate(columns) if c[0] == "T"]

    def place(token: _Token) -> int:
        if token.kind == "C" and has_code:
            return 0
        if token.kind == "N" and figure_columns:
            if id(token) in figure_slot:
                return figure_columns[figure_slot[id(token)]]
            return min(figure_columns, key=lambda k: abs(columns[k][2] - token.right))
        gap = gap_of(token)
        candidates = [k for k in label_columns if _gap_index(columns, k) == gap] or label_columns or figure_columns
        return min(candidates, key=lambda k: abs(columns[k][1] - token.left))

    placed_body = []
    extents = [[float("inf"), float("-inf")] for _ in columns]  # display extent of each column's data
    for ln in body:
        cells: dict[int, list[_Token]] = {}
        for token in ln.tokens:
            k = place(token)
            cells.setdefault(k, []).append(token)
            extents[k][0] = min(extents[k][0], token.left)
            extents[k][1] = max(extents[k][1], token.right)
        placed_body.append((ln, cells))
    with_data = {k for k in range(len(columns)) if extents[k][0] <= extents[k][1]}
    for k, (kind, lo, hi) in enumerate(columns):
        if k not in with_data:  # a column only header words name
            extents[k] = [lo - 8, hi] if kind == "N" else [lo, hi + 8]
    # Header words over the data's columns; two words of one header line over one column: the
    # one beside the data names a column the data leaves empty (政府性基金预算 beside 一般公共预算).
    keys: list[float] = [(lo + hi) / 2 for lo, hi in extents]  # where each column sits, for order
    placed_headers = []
    for ln in [*headers, *(ln for ln in lines if id(ln) in repeated)]:
        cells = {}
        for token in ln.tokens:
            k = min(range(len(extents)), key=lambda k: _distance(extents[k], token))
            if k in cells:
                # taken by a word before it: the next figure column if nothing of this line is
                # over it yet (a header set left of its right-aligned figures), else a column
                # the data leaves empty
                right = [j for j in sorted(with_data, key=keys.__getitem__) if keys[j] > token.right]
                if right and columns[right[0]][0] == "N" and right[0] not in cells:
                    k = right[0]
                elif _distance(extents[k], token) >= 0:
                    keys.append((token.left + token.right) / 2)
                    extents.append([token.left, token.right])
                    k = len(extents) - 1
            cells.setdefault(k, []).append(token)
        placed_headers.append((ln, cells))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    new = {old: k for k, old in enumerate(order)}
    kinds = [columns[old][0] if old < len(columns) else "N" for old in order]
    positions = [keys[old] if old in with_data else None for old in order]
    rows = [
        (ln, {new[k]: t for k, t in cells.items()}, header)
        for ln, cells, header in sorted(
            [*((ln, c, True) for ln, c in placed_headers), *((ln, c, False) for ln, c in placed_body)], key=lambda item: item[0].index
        )
    ]
    return kinds, positions, rows


def _repeated(headers: list[_Line], lines: list[_Line]) -> set[int]:
    """Ids of the lines that repeat one of the header's lines (a table continued on a new page)."""
    seen = {"".join(ln.text.split()) for ln in headers}
    return {id(ln) for ln in lines if ln.cls == OTHER and "".join(ln.text.split()) in seen}


def _label_columns(lefts: list[float], body: list[_Line], gap_of, g: int) -> list[tuple[float, float]]:
    """Label columns in one gap between figure columns: clusters of left edges, neighbours merged
    when no line has a label in both (a centred 合计 is in the column of the labels beside it)."""
    found = _clusters(lefts, LABEL_GAP)
    if len(found) < 2:
        return found

    def used(lo: float, hi: float) -> set[int]:
        return {id(ln) for ln in body for t in ln.tokens if t.kind == "T" and gap_of(t) == g and lo <= t.left <= hi}

    merged = [found[0]]
    for lo, hi in found[1:]:
        if not used(*merged[-1]) & used(lo, hi):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged


def _gap_index(columns: list[tuple[str, float, float]], k: int) -> int:
    return sum(1 for c in columns[:k] if c[0] == "N")


def _distance(extent: list[float], token: _Token) -> float:
    """How far a header word is from a column's data: the more they overlap, the nearer."""
    lo, hi = extent
    if token.left <= hi and token.right >= lo:
        return -(min(hi, token.right) - max(lo, token.left))
    centre = (token.left + token.right) / 2
    return min(abs(centre - lo), abs(centre - hi))


def _clusters(values: list[float], gap: float) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for value in values:
        if out and value - out[-1][1] <= gap:
            out[-1] = (out[-1][0], value)
        else:
            out.append((value, value))
    return out


def _merged_codes(tokens: list[_Token]) -> list[_Token]:
    """Leading classification codes (`201 13 01`) as one code cell (`2011301`)."""
    codes = [t for t in tokens if t.kind == "C"]
    if len(codes) < 2:
        return tokens
    merged = _Token(codes[0].line, codes[0].start, codes[-1].end, "".join(t.text for t in codes), "C")
    merged.parts = [(t.start, t.end) for t in codes]
    merged.left, merged.right = codes[0].left, codes[-1].right
    return [merged, *(t for t in tokens if t.kind != "C")]


def _shape(headers: list[_Line], rows: list[_Line]) -> tuple[list[str], _Line | None]:
    """Column kinds of a table whose text keeps no alignment: its header line, or its widest row."""
    data = [[t.kind for t in _merged_codes(ln.tokens)] for ln in rows if ln.cls == ROW]
    widest = max((len(k) for k in data), default=0)
    common = Counter(tuple(k) for k in data if len(k) == widest).most_common(1)
    shape = list(common[0][0]) if common else []
    header = max(headers, key=lambda ln: len(ln.tokens), default=None)
    if header is not None and len(header.tokens) >= 2:
        kinds = ["C" if _CODE_HEADER.search(t.text) else "T" if _LABEL_HEADER.search(t.text) else "N" for t in header.tokens]
        if any(k == "C" for k in shape) and kinds[0] != "C":
            kinds = ["C", *kinds]
        if "N" in kinds and kinds.count("N") >= shape.count("N") and len(kinds) >= len(shape):
            return kinds, header
    return shape, None


def _align(kinds: list[str], tokens: list[_Token], reverse: bool) -> tuple[dict[int, _Token], int] | None:
    """Tokens in order onto columns of those kinds (from the left, or from the right); a
    column the row leaves empty is skipped. None when the tokens do not fit; else the places and
    how many pairs of neighbouring figures it puts in different runs of figure columns."""
    order = list(range(len(kinds)))
    items = list(range(len(tokens)))
    if reverse:
        order.reverse()
        items.reverse()
    places: dict[int, _Token] = {}
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


def _plain_grid(headers: list[_Line], lines: list[_Line]) -> _Grid:
    """Columns from the order of the cells. A header line repeated on a later page is left out."""
    repeated = _repeated(headers, lines)
    body = [ln for ln in lines if id(ln) not in repeated]
    kinds, header = _shape(headers, body)
    grid = _Grid(len(kinds), False)
    if header is not None:
        offset = len(kinds) - len(header.tokens)
        grid.add(header, {k + offset: [t] for k, t in enumerate(header.tokens)}, True)
    for ln in body:
        tokens = _merged_codes(ln.tokens)
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


def _mark_unknown(kinds: list[str], places: dict[int, _Token]) -> None:
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
                places[k] = _Token(unknown.line, unknown.start, unknown.start + 1, "?", "N")
        c = end


def _repair_wraps(grid: _Grid) -> None:
    """A label wrapped around its row: a label-only line just above a row whose label cell is
    empty goes into it, and short pieces just below a row end the labels above them."""
    out: list[tuple[_Line, dict[int, list[_Token]], bool]] = []
    last = 0  # the last line index out[-1] has a piece on
    header_cells: list[dict[int, list[_Token]]] = []  # the header rows kept so far
    for line, cells, header in grid.rows:
        if header and header_cells and _fragment(line):  # `单位预留机动经` / `费`: the word's end
            targets = [next((c for c in reversed(header_cells[-HEADER_LINES:]) if k in c), None) for k in cells]
            if all(t is not None for t in targets):
                for target, (k, tokens) in zip(targets, cells.items()):
                    target[k].extend(tokens)
                continue
        next_to = line.index == last + 1  # no blank line between (rows are spaced, wraps are not)
        if header or not out or out[-1][2]:
            pass
        elif next_to and line.cls == OTHER and _fragment(line) and all(
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


def _has_label(cells: dict[int, list[_Token]]) -> bool:
    first = min(cells, default=None)
    return first is not None and cells[first][0].kind != "N"


# --- building blocks ------------------------------------------------------------------------------


def _cell(source: Source, tokens: list[_Token], fallback_line: int) -> Cell:
    if not tokens:
        return Cell("", None, fallback_line)
    if len(tokens) == 1 and tokens[0].parts is None:
        token = tokens[0]
        return Cell(token.text, None, token.line, token.start, source.maps.get(token.line - 1))
    refs: list[Text] = []
    for token in tokens:
        number = token.line
        cols = source.maps.get(number - 1)
        text = source.texts[number - 1]
        for start, end in token.parts or [(token.start, token.end)]:
            refs.append(_piece(number, start, text[start:end], cols))
    ref = _joined(refs)
    return Cell(ref.text, ref, tokens[0].line)


def _table(source: Source, grid: _Grid) -> Table | None:
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


def _paragraphs(source: Source, lines: list[_Line], width: int) -> list[Paragraph]:
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
        short = _display(line.text.rstrip())[-1] < width * 0.88
        if own or (short and body[-1] in "。:;!?：；！？") or (short and _HEADING.match(line.text)):
            close()
    close()
    return out


def blocks(source: Source) -> list[Block]:
    """Split text a PDF tool extracted into paragraphs and tables, in document order."""
    texts = source.texts
    aligned = _is_aligned(texts)
    lines = [_Line(i, t, aligned) for i, t in enumerate(texts)]
    # the page's line width: the most common display width of prose lines (the longer on a tie)
    widths = Counter(_display(ln.text.rstrip())[-1] for ln in lines if ln.cls == PROSE)
    width = max(widths, key=lambda w: (widths[w], w)) if widths else 60
    out: list[Block] = []
    at = 0
    for start, first, end in _zones(lines):
        out.extend(_paragraphs(source, lines[at:start], width))
        headers = [ln for ln in lines[start:first] if ln.cls == OTHER]
        body = [ln for ln in lines[first:end] if ln.cls in (ROW, OTHER)]
        grid = _aligned_grid(headers, body) if aligned else _plain_grid(headers, body)
        _repair_wraps(grid)
        # 编制部门 / 单位 lines lead the table, one cell each: the unit is read from its header rows
        metas = [ln for ln in lines[start:first] if ln.cls == META]
        grid.rows[:0] = [(ln, {0: [_whole(ln)]}, True) for ln in metas]
        table = _table(source, grid)
        if table is not None:
            out.append(table)
        at = end
    out.extend(_paragraphs(source, lines[at:], width))
    return out
