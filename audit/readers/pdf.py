"""PDF → Document: ruled tables as cells, the rest as paragraphs, each with its page and box.

pdfplumber (on pdfminer.six) gives every character with its box and finds ruled tables from the
page's lines; this module builds on those characters itself, because the default line grouping
splits figures set a few points lower than their words, and the default table cells hold whole
tables where a frame is drawn around a table and its title (the Jiangsu tables files).
pypdfium2 opens the file first: it is fast, tells an encrypted or broken file from a good one
without parsing every page, and counts the pages before anything slow runs.

What a reader of the printed page never sees is not read: characters outside the visible page
box, images (charts), page numbers, and running headers and footers repeated on most pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.readers.clip import hidden_boxes
from audit.readers.spacing import fix_spacing, join_wrapped
from audit.source import InputError

MAX_PAGES = 300  # a disclosure has 10-60 pages; a longer file is refused, not read for minutes
MAX_BYTES = 64 * 1024 * 1024

_UNIT = re.compile(r"单位\s*[:：]\s*(万元|千元|亿元|元)")
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?(?:\d{1,4}|[ivxlcIVXLC]{1,6})\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-—–－·]*$")
_AMOUNT = re.compile(r"^[-−]?[\d,，]+(?:\.\d+)?%?$")
_TITLE_HINT = re.compile(r"表(?:[（(]续[）)]|（[一二三四五六七八九十]+）)?\s*$")


@dataclass
class _Line:
    """Characters set on one line of a page (grouped by vertical overlap, not by equal tops)."""

    chars: list[dict]
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""

    @property
    def size(self) -> float:
        return self.bottom - self.top


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)  # outside tables
    tables: list[tuple[float, Table]] = field(default_factory=list)  # (top, table)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def group_lines(chars: list[dict]) -> list[_Line]:
    """Characters → lines, top to bottom. A character joins a line when their vertical extents
    overlap by half the smaller height: digits set 2-4 points lower than the Chinese text beside
    them stay on its line, the next line (no overlap) does not."""
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        top, bottom = char["top"], char["bottom"]
        height = max(bottom - top, 0.1)
        for line in reversed(lines[-4:]):
            if _overlap(top, bottom, line.top, line.bottom) >= 0.5 * min(height, max(line.size, 0.1)):
                line.chars.append(char)
                line.x0, line.x1 = min(line.x0, char["x0"]), max(line.x1, char["x1"])
                line.top, line.bottom = min(line.top, top), max(line.bottom, bottom)
                break
        else:
            lines.append(_Line([char], char["x0"], top, char["x1"], bottom))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
        line.text = _line_text(line.chars)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return [ln for ln in lines if ln.text]


def _line_text(chars: list[dict]) -> str:
    """The characters of one line left to right, a space where the gap is wider than a third of
    a character (PDF text often has no space characters at all, or one between every glyph)."""
    out: list[str] = []
    previous = None
    for char in chars:
        text = char["text"]
        if previous is not None and text != " " and out and out[-1] != " ":
            size = max(char.get("size") or 0, char["x1"] - char["x0"], 1.0)
            if char["x0"] - previous["x1"] > size * 0.35:
                out.append(" ")
        out.append(text)
        previous = char
    return fix_spacing("".join(out).strip())


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > tolerance:
            out.append(value)
    return out


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
    # a cell holding another cell's centre is a frame, not a cell
    kept = [
        b for b in boxes
        if not any(o is not b and o != b and b[0] <= (o[0] + o[2]) / 2 <= b[2] and b[1] <= (o[1] + o[3]) / 2 <= b[3] for o in boxes)
    ]
    if not kept:
        return None
    xs = _cluster([v for b in kept for v in (b[0], b[2])])
    ys = _cluster([v for b in kept for v in (b[1], b[3])])
    if len(xs) < 2 or len(ys) < 2:
        return None
    table_chars = [c for c in chars if _inside(c, found.bbox)]
    grid: dict[tuple[int, int], tuple[int, int, tuple]] = {}
    for box in kept:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        if r1 > r0 and c1 > c0:
            grid[(r0, c0)] = (r1 - r0, c1 - c0, box)
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (rs, cs, _) in grid.items():
        covered.update((r, c) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs) if (r, c) != (r0, c0))
    used_rows = sorted({r for (r, _c) in grid} | {r for (r, _c) in covered})
    used_cols = sorted({c for (_r, c) in grid} | {c for (_r, c) in covered})
    in_cells = [c for c in table_chars if any(_inside(c, b) for b in kept)]
    rows: list[list[Cell]] = []
    for r in used_rows:
        row: list[Cell] = []
        for c in used_cols:
            if (r, c) in grid:
                rs, cs, box = grid[(r, c)]
                text = _cell_text([ch for ch in in_cells if _inside(ch, box)])
                origin = Origin(file=path, page=page, bbox=box, table=index, row=len(rows), col=len(row))
                row.append(Cell(text, origin, rowspan=rs, colspan=cs))
            else:
                row.append(Cell("", Origin(file=path, page=page, table=index, row=len(rows), col=len(row)), covered=(r, c) in covered))
        rows.append(row)
    top_of_grid = ys[0]
    above = [c for c in table_chars if c not in in_cells and (c["top"] + c["bottom"]) / 2 < top_of_grid + 1]
    title, caption = _title_and_caption([ln.text for ln in group_lines(above)])
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


def _title_and_caption(lines: list[str]) -> tuple[str, str]:
    """Lines printed above a table inside its frame: its title, then `部门：… 单位：万元`."""
    title, caption = [], []
    for text in lines:
        (caption if caption or _UNIT.search(text) or text.startswith(("部门", "编制部门", "单位")) else title).append(text)
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


# --- opening: every failure is an InputError saying what is wrong with the file -----------------


def _check_opens(path: str) -> int:
    """The page count, or InputError for an encrypted, damaged, empty or oversized PDF."""
    import pypdfium2 as pdfium

    import os

    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise InputError(f"file too large ({size / 1048576:.1f} MB > {MAX_BYTES // 1048576} MB limit for a PDF)")
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from None
    if b"%PDF-" not in head:
        raise InputError("not a PDF (no %PDF- header)")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason:
            raise InputError("encrypted PDF (needs a password): cannot be read") from None
        raise InputError(f"damaged PDF ({_short(str(exc))})") from None
    try:
        pages = len(document)
    finally:
        document.close()
    if pages == 0:
        raise InputError("PDF has no pages")
    if pages > MAX_PAGES:
        raise InputError(f"PDF has {pages} pages (more than {MAX_PAGES}): not read — split it or check the part that is the disclosure")
    return pages


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def read(path: str, *, first_index: int = 0) -> Document:
    """Read one PDF into a Document; InputError for a file that cannot be audited.
    `first_index`: the number given to this file's first table (a joined publication counts on)."""
    import pdfplumber

    pages = _check_opens(path)
    read_pages: list[_Page] = []
    try:
        hidden = hidden_boxes(path)
    except Exception:  # noqa: BLE001 - clipping is a refinement: a file pdfium cannot walk is read without it
        hidden = {}
    clipped = 0
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) != pages:
                pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                tables = first_index + sum(len(p.tables) for p in read_pages)
                read_page, dropped = _read_page(page, number, path, tables, hidden.get(number, []))
                read_pages.append(read_page)
                clipped += dropped
                page.close()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        if "password" in str(exc).lower() or type(exc).__name__.startswith("PDFPassword"):
            raise InputError("encrypted PDF (needs a password): cannot be read") from None
        raise InputError(f"damaged PDF ({type(exc).__name__}: {_short(str(exc))})") from None
    if not any(p.lines or p.tables for p in read_pages):
        raise InputError("PDF has no text layer (scanned images?): nothing to read, and OCR is not supported")
    document = Document(path=path, format="pdf", files=[path], pages=pages)
    if clipped:
        document.notes.append(f"{clipped} characters clipped out of sight not read")
    dropped = _drop_furniture(read_pages)
    if dropped:
        document.notes.append(f"{dropped} page-number, header and footer lines not read")
    document.blocks = _blocks(read_pages, path)
    return document


def _read_page(page, number: int, path: str, first_table: int, hidden: list) -> tuple[_Page, int]:
    """One page: characters inside the visible box and their clip only; ruled tables; the other
    text as lines. Also how many characters were clipped away."""
    x0, top, x1, bottom = page.bbox
    chars = [c for c in page.chars if _inside(c, (x0, top, x1, bottom)) and c["text"].strip()]
    before = len(chars)
    if hidden:
        chars = _visible(chars, hidden)
    out = _Page(number, x1 - x0, bottom - top)
    if not chars:
        return out, before
    found = page.find_tables() if (page.lines or page.rects or page.curves) else []
    taken: list[tuple] = []
    for table_found in sorted(found, key=lambda t: t.bbox[1]):
        table = _build_table(table_found, chars, number, path, first_table + len(out.tables))
        if table is not None and any(cell.text for row in table.rows for cell in row):
            out.tables.append((table_found.bbox[1], table))
            taken.append(table_found.bbox)
    rest = [c for c in chars if not any(_inside(c, box) for box in taken)]
    out.lines = group_lines(rest)
    return out, before - len(chars)


def _visible(chars: list[dict], hidden: list) -> list[dict]:
    """The characters whose centre is in none of the `hidden` boxes (indexed by 10-point bands)."""
    bands: dict[int, list] = {}
    for box in hidden:
        for band in range(int(box[1] // 10) - 1, int(box[3] // 10) + 2):
            bands.setdefault(band, []).append(box)
    out = []
    for char in chars:
        near = bands.get(int(((char["top"] + char["bottom"]) / 2) // 10))
        if not near or not any(_inside(char, (b[0] - 0.5, b[1] - 0.5, b[2] + 0.5, b[3] + 0.5)) for b in near):
            out.append(char)
    return out


def _is_page_number(line: _Line, page: _Page) -> bool:
    in_margin = line.top > page.height * 0.85 or line.bottom < page.height * 0.12
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _drop_furniture(pages: list[_Page]) -> int:
    """Drop page numbers and running headers/footers: lines in the top or bottom margin whose
    text (digits aside) repeats on at least half the pages (three or more)."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    margins: Counter[str] = Counter()
    for page in pages:
        seen = {key(ln) for ln in page.lines if ln.top > page.height * 0.88 or ln.bottom < page.height * 0.1}
        margins.update(seen)
    repeated = {k for k, n in margins.items() if n >= 3 and n >= len(pages) / 2}
    dropped = 0
    for page in pages:
        keep = []
        for line in page.lines:
            in_margin = line.top > page.height * 0.88 or line.bottom < page.height * 0.1
            if _is_page_number(line, page) or (in_margin and key(line) in repeated):
                dropped += 1
            else:
                keep.append(line)
        page.lines = keep
    return dropped


# --- blocks: paragraphs rebuilt from wrapped lines, tables with their titles, continued tables joined


def _body_edges(lines: list[_Line]) -> tuple[float, float]:
    """The left and right edges of the text body on a page: where most long lines start and end."""
    long = [ln for ln in lines if len(ln.text) >= 12] or lines
    lefts = Counter(round(ln.x0) for ln in long)
    left = min(x for x, n in lefts.items() if n == max(lefts.values()))
    right = max(ln.x1 for ln in long)
    return left, right


def _breaks(line: _Line, previous: _Line | None, left: float, right: float) -> bool:
    """Whether `line` starts a new paragraph after `previous` (None: nothing open)."""
    if previous is None:
        return True
    size = max(min(line.size, previous.size), 4.0)
    if line.x0 - left > size * 0.9:  # first-line indent, or a centred heading
        return True
    if right - previous.x1 > size * 2 and not _wrapped_figure(line, right - previous.x1, size):
        return True  # the line before ended short
    if line.top - previous.bottom > size * 1.2:  # paragraph spacing
        return True
    return abs(line.size - previous.size) > 0.2 * max(line.size, previous.size)


def _blocks(pages: list[_Page], path: str) -> list:
    blocks: list = []
    open_lines: list[_Line] = []
    open_page = 0
    previous: _Line | None = None
    edges = (0.0, 0.0)

    def close() -> None:
        nonlocal open_lines, previous
        if open_lines:
            blocks.append(_paragraph(open_lines, open_page, path))
        open_lines, previous = [], None

    for page in pages:
        if page.lines:
            edges = _body_edges(page.lines)
        items = [(ln.top, 0, ln) for ln in page.lines] + [(top, 1, table) for top, table in page.tables]
        items.sort(key=lambda item: (item[0], item[1]))
        carried = previous  # a paragraph may run on from the page before
        for _top, kind, item in items:
            if kind == 1:
                close()
                _add_table(blocks, item)
                continue
            if carried is not None:
                if _breaks_across(item, carried, *edges):
                    close()
                carried = None
            elif _breaks(item, previous, *edges):
                close()
            if not open_lines:
                open_page = page.number
            open_lines.append(item)
            previous = item
        if items and items[-1][1] == 0 and previous is not None and edges[1] - previous.x1 > max(previous.size, 4.0) * 2:
            close()  # the page ends on a short line: the paragraph ends with it
    close()
    _attach_titles(blocks)
    return blocks


def _wrapped_figure(line: _Line, gap: float, size: float) -> bool:
    """Whether `line` starts with a figure (24,558.18万元) too wide for the room the line before
    left: then that line ended short because the figure could not be broken, not because its
    paragraph ended."""
    run = None
    for char in line.chars:
        if char["text"].isascii() and (char["text"].isalnum() or char["text"] in ",.%"):
            run = char
        else:
            break
    return run is not None and run["x1"] - line.x0 + size >= gap


def _breaks_across(line: _Line, previous: _Line, left: float, right: float) -> bool:
    """The first line of a page continues the last paragraph of the page before unless indented
    or of another size."""
    size = max(min(line.size, previous.size), 4.0)
    return line.x0 - left > size * 0.9 or abs(line.size - previous.size) > 0.2 * max(line.size, previous.size)


def _paragraph(lines: list[_Line], page: int, path: str) -> Paragraph:
    text = join_wrapped([ln.text for ln in lines])
    on_page = [ln for ln in lines if ln.top >= lines[0].top] or lines[:1]  # a paragraph run on from the page before: its box on its first page
    box = (min(ln.x0 for ln in on_page), lines[0].top, max(ln.x1 for ln in on_page), max(ln.bottom for ln in on_page))
    return Paragraph(text=fix_spacing(text), origin=Origin(file=path, page=page, bbox=box))


def _add_table(blocks: list, table: Table) -> None:
    """Append `table`, or join it to the table it continues: the last block before it, on the
    page before, as wide, without a title of its own (or titled 续); repeated header rows dropped."""
    last = blocks[-1] if blocks else None
    continues = (
        isinstance(last, Table)
        and last.pages
        and table.pages[0] == last.pages[-1] + 1
        and last.width == table.width
        and (not table.title or "续" in table.title)
    )
    if not continues:
        blocks.append(table)
        return
    rows = table.rows
    head = [[c.text for c in row] for row in last.rows[: last.header_rows]]
    skip = 0
    while skip < len(rows) and skip < len(head) and [c.text for c in rows[skip]] == head[skip]:
        skip += 1
    if skip == 0 and table.header_rows and [c.text for c in rows[0]] in head:
        skip = table.header_rows  # the header repeated in part
    from dataclasses import replace

    offset = len(last.rows)
    for i, row in enumerate(rows[skip:]):
        last.rows.append([replace(c, origin=replace(c.origin, table=last.origin.table, row=offset + i)) for c in row])
    last.pages.append(table.pages[0])


def _attach_titles(blocks: list) -> None:
    """A table without a title takes the short paragraph above it that names a table (…表), and
    a unit line (单位：万元, 编制部门：… 单位：元) between them as its caption."""
    i = 0
    while i < len(blocks):
        table = blocks[i]
        if isinstance(table, Table):
            before = i - 1
            if not table.caption and before >= 0 and _is_caption(blocks[before], table):
                table.caption = blocks[before].text
                table.unit = table.unit or _unit(table.caption)
                del blocks[before]
                i -= 1
                before -= 1
            if not table.title and before >= 0 and _is_title(blocks[before], table):
                table.title = blocks[before].text
                del blocks[before]
                i -= 1
        i += 1


def _is_caption(block, table: Table) -> bool:
    return isinstance(block, Paragraph) and block.origin.page == table.pages[0] and len(block.text) <= 80 and bool(_UNIT.search(block.text))


def _is_title(block, table: Table) -> bool:
    return (
        isinstance(block, Paragraph)
        and block.origin.page == table.pages[0]
        and len(block.text) <= 60
        and "表" in block.text
        and not block.text.endswith(("。", "；", ";"))
    )
