"""Ruling lines and characters → a Table: pdfplumber's ruled-table finder on pdfium's lines, and
the grid rebuilt from the cell boxes it finds.

The grid is rebuilt because a frame drawn around a table and its title (the Jiangsu tables
files) comes out as one cell holding the whole table, double rules make slivers of columns, and
a table cut by a page break has its first or last row open. Each character goes to the cell its
centre falls in; the text inside a frame above the grid is the title and the unit line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from audit.document import Cell, Origin, Table
from audit.readers.pdf_lines import group_lines
from audit.readers.spacing import join_wrapped

_UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|亿元|元)")
_AMOUNT = re.compile(r"^[-−]?[\d,，]+(?:\.\d+)?%?$")
_CAPTION_START = re.compile(r"(?:编制部门|编制单位|预算单位|部门(?:名称)?|单位)\s*[:：]")


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


SLIVER = 6.0  # points: a column or row this narrow is the gap between double rules, not a cell


def _without_slivers(edges: list[float]) -> list[float]:
    """Grid lines with those closer than SLIVER to the next made one (their mean): tables drawn
    with double rules (cell spacing) have a few-point gap between the rules, which would
    otherwise become a column of its own and shift the cells of some rows one column right of
    the same cells in others."""
    groups: list[list[float]] = []
    for edge in edges:
        if groups and edge - groups[-1][-1] < SLIVER:
            groups[-1].append(edge)
        else:
            groups.append([edge])
    return [sum(group) / len(group) for group in groups]


def _area(box: tuple) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _index(edges: list[float], value: float, tolerance: float = 2.0) -> int:
    for i, edge in enumerate(edges):
        if abs(edge - value) <= tolerance:
            return i
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _cell_text(chars: list[dict]) -> str:
    return join_wrapped([line.text for line in group_lines(chars)])


def _build_table(found, chars: list[dict], page: int, path: str, index: int) -> Table | None:
    """One pdfplumber table → Table: grid from its cell boxes (a frame around the whole table and
    its title is dropped), title and unit from the text inside the frame above the first row."""
    boxes = [tuple(c) for c in found.cells]
    kept = _without_frames(boxes)
    if not kept:
        return None
    xs = _without_slivers(_cluster([v for b in kept for v in (b[0], b[2])]))
    ys = _without_slivers(_cluster([v for b in kept for v in (b[1], b[3])]))
    if len(xs) < 2 or len(ys) < 2:
        return None
    grid: dict[tuple[int, int], tuple[int, int, tuple]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # grid position → the cell (top-left) holding it
    for box in kept:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        if r1 > r0 and c1 > c0:
            other = grid.get((r0, c0))
            if other is not None and _area(other[2]) >= _area(box):
                continue  # a sliver between double rules that now shares the position: the cell wins
            grid[(r0, c0)] = (r1 - r0, c1 - c0, box)
    for (r0, c0), (rs, cs, _box) in sorted(grid.items(), key=lambda item: -_area(item[1][2])):
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                owner.setdefault((r, c), (r0, c0))
    covered = {position for position, top_left in owner.items() if position != top_left}
    used_rows = sorted({r for (r, _c) in owner})
    used_cols = sorted({c for (_r, c) in owner})
    # each character to the cell its centre falls in; the rest of the table's box (a title inside
    # its frame) apart
    texts: dict[tuple[int, int], list[dict]] = {}
    outside: list[dict] = []
    x0, top, x1, bottom = found.bbox
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        r, c = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
        cell = owner.get((r, c)) if 0 <= r < len(ys) - 1 and 0 <= c < len(xs) - 1 else None
        if cell is None:
            outside.append(char)
        else:
            texts.setdefault(cell, []).append(char)
    rows: list[list[Cell]] = []
    for r in used_rows:
        row: list[Cell] = []
        for c in used_cols:
            if (r, c) in grid:
                rs, cs, box = grid[(r, c)]
                text = _cell_text(texts.get((r, c), []))
                origin = Origin(file=path, page=page, bbox=box, table=index, row=len(rows), col=len(row))
                row.append(Cell(text, origin, rowspan=rs, colspan=cs))
            else:
                row.append(Cell("", Origin(file=path, page=page, table=index, row=len(rows), col=len(row)), covered=(r, c) in covered))
        rows.append(row)
    top_of_grid = ys[0]
    above = [c for c in outside if (c["top"] + c["bottom"]) / 2 < top_of_grid + 1]
    title, caption = _title_and_caption([ln.text for ln in group_lines(above)])
    if not title and not caption and len(rows) > 1 and _is_title_row(rows[0]):
        # the title and `部门：… 单位：万元` in a first row that is one merged cell (Jiangsu)
        title, caption = _title_and_caption([rows[0][0].text])
        rows = [[replace(c, origin=replace(c.origin, row=r)) for c in row] for r, row in enumerate(rows[1:])]
    table = Table(
        rows=rows,
        title=title,
        origin=Origin(file=path, page=page, bbox=tuple(found.bbox), table=index),
        pages=[page],
    )
    if caption:
        table.caption = caption
        table.unit = _unit(caption)
    table.header_rows = header_rows(rows)
    return table


def _without_frames(boxes: list[tuple]) -> list[tuple]:
    """The cell boxes less frames: a box holding another box's centre (drawn around a table and
    its title) is not a cell. Only boxes larger than most can be frames."""
    areas = sorted((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
    large = 4 * areas[len(areas) // 2] if areas else 0
    frames = set()
    for i, b in enumerate(boxes):
        if (b[2] - b[0]) * (b[3] - b[1]) <= large:
            continue
        for o in boxes:
            if o is not b and o != b and b[0] <= (o[0] + o[2]) / 2 <= b[2] and b[1] <= (o[1] + o[3]) / 2 <= b[3]:
                frames.add(i)
                break
    return [b for i, b in enumerate(boxes) if i not in frames]


def _is_title_row(row: list[Cell]) -> bool:
    """A first row that is one cell across the whole table, holding words and no figure."""
    first = row[0]
    return (
        not first.covered
        and first.colspan == len(row)
        and first.rowspan == 1
        and bool(first.text)
        and not _AMOUNT.match(first.text.replace(" ", ""))
        and (bool(_CAPTION_START.search(first.text)) or first.text.endswith("表"))
    )


def _title_and_caption(lines: list[str]) -> tuple[str, str]:
    """Lines printed above a table inside its frame: its title, then `部门：… 单位：万元` (on a
    line of its own, or after the title on the same line)."""
    title, caption = [], []
    for text in lines:
        if caption:
            caption.append(text)
            continue
        match = _CAPTION_START.search(text)
        if match:
            head = text[: match.start()].strip()
            if head:
                title.append(head)
            caption.append(text[match.start() :].strip())
        else:
            title.append(text)
    return "".join(title), " ".join(caption)


def _unit(text: str) -> str | None:
    match = _UNIT.search(text)
    return match.group(1) if match else None


def header_rows(rows: list[list[Cell]]) -> int:
    """Leading rows without any amount: the column headers (at most 4, never the whole table)."""
    count = 0
    for row in rows[:4]:
        if any(_AMOUNT.match(cell.text.replace(" ", "")) for cell in row if cell.text):
            break
        count += 1
    return min(count, max(len(rows) - 1, 0))




@dataclass
class _Found:
    """A table pdfplumber's algorithm found: its cell boxes and its box."""

    cells: list[tuple]
    bbox: tuple


def _find_tables(edges: list[dict]) -> list[_Found]:
    """pdfplumber's ruled-table finder (its default "lines" settings) on pdfium's edges."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = edges + _page_break_edges(edges)
    edges = [e for e in merge_edges(edges, 3, 3, 3, 3) if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    found = []
    for group in cells_to_tables(cells):
        box = (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group))
        found.append(_Found(list(group), box))
    return found


def _page_break_edges(edges: list[dict]) -> list[dict]:
    """A table cut by a page break has its row there open: the column lines run above the top
    rule (or below the bottom one) with no line to close them, so that row would be lost. Close
    it with a line where those column lines end."""
    from audit.readers.pdf_objects import _edge

    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    if not horizontal or len(vertical) < 2:
        return []
    added = []
    top = min(e["top"] for e in horizontal)
    above = [e for e in vertical if e["top"] < top - 2 and e["bottom"] > top - 1]
    if len(above) >= 2:
        y = min(e["top"] for e in above)
        added.append(_edge(min(e["x0"] for e in above), y, max(e["x1"] for e in above), y, "h"))
    bottom = max(e["bottom"] for e in horizontal)
    below = [e for e in vertical if e["bottom"] > bottom + 2 and e["top"] < bottom + 1]
    if len(below) >= 2:
        y = max(e["bottom"] for e in below)
        added.append(_edge(min(e["x0"] for e in below), y, max(e["x1"] for e in below), y, "h"))
    return added


