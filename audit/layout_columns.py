"""Columns of a table in text that keeps them aligned (pdftotext -layout), from where its cells sit.

pdftotext sets each page on its own character grid, so columns are found page by page: figure
columns from where the rows that fill them all end (each page tries how wide a Chinese character
and a digit come out on its grid), each row's figures fitted to them in order; label columns in
the gaps between; header words over the columns their data sits in. The pages' columns are then
matched to the first page's."""

from __future__ import annotations

from bisect import bisect_right

from audit.layout_lines import COLUMN_GAP, LABEL_GAP, MAX_FIGURES, FlatLine, Grid, Token, clusters, repeated_headers, wide_before

# pdftotext places a character at x / (the page's mean character width), pushing it right when
# the text before it is in the way: where a figure ends depends on the fonts (how wide a Chinese
# character and a digit come out on that grid), so each page of a table tries these widths.
_FITS = tuple((wide, digit) for wide in (1.0, 1.5, 2.0) for digit in (0.67, 0.83, 1.0, 1.17, 1.33))


def aligned_grid(headers: list[FlatLine], lines: list[FlatLine]) -> Grid:
    """Columns from positions, page by page (pdftotext sets each page on its own grid), then the
    pages' columns matched to the first page's: in order where a page has as many columns of a
    kind, else by where they sit across the page's figures."""
    repeated = repeated_headers(headers, lines)
    pages: list[list[FlatLine]] = [[]]
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
    grid = Grid(len(kinds), True)
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


def _page_grid(headers: list[FlatLine], lines: list[FlatLine], repeated: set[int]) -> tuple[list[str], list, list]:
    """One page of a table: its columns' kinds and places (None: named by header words only), and
    its lines with their cells in those columns."""
    body = [ln for ln in lines if id(ln) not in repeated]
    wide = {id(ln): wide_before(ln.text) for ln in [*headers, *lines]}
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
            extra = [(lo + hi) / 2 for lo, hi in clusters(sorted(far), COLUMN_GAP)]
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

    def gap_of(token: Token) -> int:
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
    columns.extend(("N", lo, hi) for lo, hi in clusters(beyond, 2 * COLUMN_GAP))
    figure_columns = [k for k, c in enumerate(columns) if c[0] == "N"]
    label_columns = [k for k, c in enumerate(columns) if c[0] == "T"]

    def place(token: Token) -> int:
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
        cells: dict[int, list[Token]] = {}
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


def _label_columns(lefts: list[float], body: list[FlatLine], gap_of, g: int) -> list[tuple[float, float]]:
    """Label columns in one gap between figure columns: clusters of left edges, neighbours merged
    when no line has a label in both (a centred 合计 is in the column of the labels beside it)."""
    found = clusters(lefts, LABEL_GAP)
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


def _distance(extent: list[float], token: Token) -> float:
    """How far a header word is from a column's data: the more they overlap, the nearer."""
    lo, hi = extent
    if token.left <= hi and token.right >= lo:
        return -(min(hi, token.right) - max(lo, token.left))
    centre = (token.left + token.right) / 2
    return min(abs(centre - lo), abs(centre - hi))


