"""PDF → Document: ruled tables as cells, the rest as paragraphs, each with its page and box.

pypdfium2 reads each page's characters and ruling lines (audit.readers.pdf_objects: ten times
faster than pdfminer, and it knows clipping paths); pdfplumber's ruled-table algorithm turns the
lines into cell boxes. Lines of text are grouped here, by vertical overlap, because a default
grouping by equal tops splits figures set a few points lower than their words; and a table's
grid is rebuilt from its cell boxes, because a frame drawn around a table and its title (the
Jiangsu tables files) comes out as one cell holding the whole table.

What a reader of the printed page never sees is not read: characters outside the visible page
box, images (charts), page numbers, and running headers and footers repeated on most pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.model import ReaderNote, Text, page_list
from audit.readers.pdf_lines import _inside, _Line, group_lines
from audit.readers.pdf_objects import Transform, page_chars, page_edges
from audit.readers.pdf_tables import _CAPTION_START, _UNIT, _build_table, _find_tables, _title_and_caption, _unit
from audit.readers.spacing import fix_spacing, join_wrapped
from audit.source import InputError

MAX_PAGES = 300  # a disclosure has 10-60 pages; a longer file is refused, not read for minutes
MAX_BYTES = 64 * 1024 * 1024

_PAGE_NUMBER = re.compile(r"^[\s\-—–－·]*(?:第\s*)?(?:\d{1,4}|[ivxlcIVXLC]{1,6})\s*(?:页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-—–－·]*$")
_ENUMERATED = re.compile(r"^(?:\d{1,3}(?:、|[.．](?!\d))|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]+[部章节])")
_SENTENCE_END = ("。", "；", ";", "！", "？", "：", ":")
_TABLE_NUMBER = re.compile(r"^(?:公开)?\s*(?:[\d一二三四五六七八九十]{1,3}\s*表|表\s*[\d一二三四五六七八九十]{1,3})(?:[-－]\d{1,2})?$")  # 公开07表, 表三: a table's number, printed by its title
_LEADERS = re.compile(r"(?:…|\.{3,}|·{3,})\s*\d*$")  # a contents line: its title, leaders, its page


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)  # outside tables
    tables: list[tuple[float, Table]] = field(default_factory=list)  # (top, table)


# --- opening: every failure is an InputError saying what is wrong with the file -----------------


def _open(path: str):
    """The pdfium document, or InputError for an encrypted, damaged, empty or oversized PDF."""
    import os

    import pypdfium2 as pdfium

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
    except pdfium.PdfiumError:
        raise InputError(_why_not_loaded(path)) from None
    pages = len(document)
    if pages == 0:
        document.close()
        raise InputError("PDF has no pages")
    if pages > MAX_PAGES:
        document.close()
        raise InputError(f"PDF has {pages} pages (more than {MAX_PAGES}): not read — split it or check the part that is the disclosure")
    return document


def _why_not_loaded(path: str) -> str:
    """Why pdfium could not load the file. Its own error code is not to be trusted (it can be
    left over from an earlier file), so the file says: an /Encrypt entry, no pages, or damage."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES)
    if b"/Encrypt" in data[-65536:] or b"/Encrypt" in data[:4096]:
        return "encrypted PDF (needs a password): cannot be read"
    if re.search(rb"/Type\s*/Pages\b[^>]*/Count\s+0\b", data) and not re.search(rb"/Type\s*/Page\b(?!s)", data):
        return "PDF has no pages"
    return "damaged PDF (cannot be loaded: truncated or corrupt)"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def read(path: str, *, first_index: int = 0) -> Document:
    """Read one PDF into a Document; InputError for a file that cannot be audited.
    `first_index`: the number given to this file's first table (a joined publication counts on)."""
    import pypdfium2.raw as raw

    document = _open(path)
    read_pages: list[_Page] = []
    hidden: dict[int, int] = {}  # page -> characters out of sight
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                tables = first_index + sum(len(p.tables) for p in read_pages)
                read_page, dropped = _read_page(page, raw, index + 1, path, tables)
            finally:
                page.close()
            read_pages.append(read_page)
            if dropped:
                hidden[index + 1] = dropped
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfium raises on a page it cannot load
        raise InputError(f"damaged PDF ({type(exc).__name__}: {_short(str(exc))})") from None
    finally:
        document.close()
    if not any(p.lines or p.tables for p in read_pages):
        raise InputError("PDF has no text layer (scanned images?): nothing to read, and OCR is not supported")
    result = Document(path=path, format="pdf", files=[path], pages=len(read_pages))
    if hidden:
        result.notes.append(_clipped_note(hidden))
    dropped, on_pages = _drop_furniture(read_pages)
    if dropped:
        result.notes.append(ReaderNote("page-furniture", dropped, Text(
            zh=f"未读取 {dropped} 行页码、页眉和页脚（{on_pages} 页）",
            en=f"{dropped} page-number, header and footer lines not read ({on_pages} pages)",
        )))
    result.blocks = _blocks(read_pages, path)
    return result


def _clipped_note(hidden: dict[int, int]) -> ReaderNote:
    """One note for every page's characters out of sight: how many, and on which pages."""
    count, pages = sum(hidden.values()), tuple(sorted(hidden))
    return ReaderNote("clipped-text", count, Text(
        zh=f"未读取 {count} 个位于页面可见范围以外或被裁切遮挡的字符（第 {page_list(pages, 'zh')} 页）",
        en=f"{count} character{'s' if count != 1 else ''} outside the visible page or clipped out of sight not read (page {page_list(pages, 'en')})",
    ), pages)


def _read_page(page, raw, number: int, path: str, first_table: int) -> tuple[_Page, int]:
    """One page: its visible characters; ruled tables; the other text as lines. Also how many
    characters were not visible."""
    transform = Transform(page.get_rotation(), page.get_mediabox())
    visible = transform.box(*page.get_cropbox())
    width, height = page.get_size()
    chars, dropped = page_chars(page, raw, transform, visible)
    out = _Page(number, width, height)
    if not chars:
        return out, dropped
    edges = page_edges(page, raw, transform)
    taken: list[tuple] = []
    for table_found in sorted(_find_tables(edges) if edges else [], key=lambda t: t.bbox[1]):
        table = _build_table(table_found, chars, number, path, first_table + len(out.tables))
        if table is not None and any(cell.text for row in table.rows for cell in row):
            out.tables.append((table_found.bbox[1], table))
            taken.append(table_found.bbox)
    rest = [c for c in chars if not any(_inside(c, box) for box in taken)]
    out.lines = group_lines(rest)
    return out, dropped


def _is_page_number(line: _Line, page: _Page) -> bool:
    in_margin = line.top > page.height * 0.85 or line.bottom < page.height * 0.12
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


def _drop_furniture(pages: list[_Page]) -> tuple[int, int]:
    """Drop page numbers and running headers/footers: lines in the top or bottom margin whose
    text (digits aside) repeats on at least half the pages (three or more). Returns how many
    lines were dropped, and from how many pages."""
    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text)

    margins: Counter[str] = Counter()
    for page in pages:
        seen = {key(ln) for ln in page.lines if ln.top > page.height * 0.88 or ln.bottom < page.height * 0.1}
        margins.update(seen)
    repeated = {k for k, n in margins.items() if n >= 3 and n >= len(pages) / 2}
    dropped, on_pages = 0, 0
    for page in pages:
        keep = []
        for line in page.lines:
            in_margin = line.top > page.height * 0.88 or line.bottom < page.height * 0.1
            if _is_page_number(line, page) or (in_margin and key(line) in repeated):
                dropped += 1
            else:
                keep.append(line)
        on_pages += len(keep) < len(page.lines)
        page.lines = keep
    return dropped, on_pages


# --- blocks: paragraphs rebuilt from wrapped lines, tables with their titles, continued tables joined


def _body_edges(lines: list[_Line]) -> tuple[float, float]:
    """The left and right edges of the text body on a page: where most long lines start and end."""
    long = [ln for ln in lines if len(ln.text) >= 12] or lines
    lefts = Counter(round(ln.x0) for ln in long)
    # the leftmost edge several lines share (list items indented alike may outnumber the
    # wrapped lines at the margin, so not simply the commonest)
    left = min((x for x, n in lefts.items() if n >= 2), default=min(lefts))
    right = max(ln.x1 for ln in long)
    return left, right


def _breaks(line: _Line, previous: _Line | None, left: float, right: float, alone: bool = False) -> bool:
    """Whether `line` starts a new paragraph after `previous` (None: nothing open; `alone`: the
    open paragraph is that one line)."""
    if previous is None:
        return True
    size = max(min(line.size, previous.size), 4.0)
    if line.x0 - left > size * 0.9:  # first-line indent, or a centred heading
        return True
    if right - previous.x1 > size * 2 and not _wrapped_figure(line, right - previous.x1, size):
        return True  # the line before ended short
    if line.top - previous.bottom > size * 1.2:  # paragraph spacing
        return True
    if _LEADERS.search(previous.text):
        return True  # a line of a table of contents
    if _ENUMERATED.match(line.text) and (previous.text.endswith(_SENTENCE_END) or _ENUMERATED.match(previous.text)):
        return True  # a numbered item after a finished sentence, or in a list of one-line items
    if _CAPTION_START.match(line.text) or (alone and previous.text.endswith("表") and len(previous.text) <= 40):
        return True  # a table's title, and the `单位：万元` line under it, are lines of their own
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
        # a paragraph may run on from the page before, unless it ended a sentence there
        carried = previous if previous is not None and not previous.text.endswith(_SENTENCE_END[:4]) else None
        if carried is None:
            close()
        for _top, kind, item in items:
            if kind == 1:
                close()
                _add_table(blocks, item)
                continue
            if carried is not None:
                if _breaks_across(item, carried, *edges):
                    close()
                carried = None
            elif _breaks(item, previous, *edges, len(open_lines) == 1):
                close()
            if not open_lines:
                open_page = page.number
            open_lines.append(item)
            previous = item
        if items and items[-1][1] == 0 and previous is not None and edges[1] - previous.x1 > max(previous.size, 4.0) * 2:
            close()  # the page ends on a short line: the paragraph ends with it
    close()
    _attach_titles(blocks)
    _join_continued(blocks)
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
    page before, without a title of its own (or titled 续, or the same title). Repeated header
    rows are dropped; a continuation whose grid came out with other columns (no header of its
    own) has its cells put in the columns of the table it continues, by position. A one-column
    "table" (a framed contents list) is paragraphs."""
    if table.width == 1:
        blocks.extend(Paragraph(text, row[0].origin) for row in table.rows if (text := row[0].text))
        return
    last = blocks[-1] if blocks else None
    if not (isinstance(last, Table) and _join(last, table)):
        blocks.append(table)


def _join_continued(blocks: list) -> None:
    """Join the tables that continue the table just before them once their headings are known:
    a heading printed again above the continuation sat between the two until then."""
    out: list = []
    for block in blocks:
        if not (isinstance(block, Table) and out and isinstance(out[-1], Table) and _join(out[-1], block)):
            out.append(block)
    blocks[:] = out


def _join(last: Table, table: Table) -> bool:
    """Append the rows of `table` to `last` if it continues it (on the next page, without a title
    of its own, or titled 续, or the same title); whether it did."""
    follows = (
        last.pages
        and table.pages[0] == last.pages[-1] + 1
        and (not table.title or "续" in table.title or table.title == last.title)
    )
    if not follows:
        return False
    if last.width == table.width:
        rows = table.rows
        head = [[c.text for c in row] for row in last.rows[: last.header_rows]]
        skip = 0
        while skip < len(rows) and skip < len(head) and [c.text for c in rows[skip]] == head[skip]:
            skip += 1
        if skip == 0 and table.header_rows and [c.text for c in rows[0]] in head:
            skip = table.header_rows  # the header repeated in part
        rows = rows[skip:]
    elif table.header_rows == 0 or not _shares_header(table, last):
        rows = _aligned(table.rows, last)
    else:
        return False
    offset = len(last.rows)
    for i, row in enumerate(rows):
        last.rows.append([replace(c, origin=replace(c.origin, table=last.origin.table, row=offset + i)) for c in row])
    last.pages.append(table.pages[0])
    return True


def _shares_header(table: Table, last: Table) -> bool:
    """Whether `table` starts with header words of `last` (then it is another table, or its
    continuation with a header of its own)."""
    head = {c.text for row in last.rows[: last.header_rows] for c in row if c.text}
    return any(c.text in head for c in table.rows[0] if c.text)


def _aligned(rows: list[list[Cell]], table: Table) -> list[list[Cell]]:
    """`rows` (from another grid) in the columns of `table`: each cell into the column whose
    horizontal extent holds its centre (the nearest one otherwise)."""
    spans: list[tuple[float, float] | None] = []
    for col in range(table.width):
        boxes = [row[col].origin.bbox for row in table.rows if col < len(row) and row[col].colspan == 1 and not row[col].covered and row[col].origin.bbox]
        spans.append((min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None)
    known = [(k, span) for k, span in enumerate(spans) if span is not None]
    out: list[list[Cell]] = []
    for row in rows:
        new = [Cell("", replace(row[0].origin, bbox=None, col=k)) for k in range(table.width)]
        for cell in row:
            if cell.covered or not cell.origin.bbox or not known:
                continue
            centre = (cell.origin.bbox[0] + cell.origin.bbox[2]) / 2
            inside = [k for k, (x0, x1) in known if x0 - 1 <= centre <= x1 + 1]
            k = inside[0] if inside else min(known, key=lambda item: abs((item[1][0] + item[1][1]) / 2 - centre))[0]
            text = f"{new[k].text} {cell.text}".strip() if new[k].text else cell.text
            new[k] = replace(cell, text=text, colspan=1, rowspan=1, origin=replace(cell.origin, col=k))
        out.append(new)
    return out


def _attach_titles(blocks: list) -> None:
    """A table without a title takes the short paragraphs just above it on its page: the one
    that names a table (…表) is its title, those below it (部门：… 单位：万元, perhaps wrapped
    over two lines) its caption, and a table number (公开07表, 表三) printed with them goes."""
    i = 0
    while i < len(blocks):
        table = blocks[i]
        if isinstance(table, Table) and not (table.title and table.caption):
            heading = _heading(blocks, i, table)
            if heading:
                for index in sorted(heading, reverse=True):
                    del blocks[index]
                i -= len(heading)
        i += 1


def _heading(blocks: list, at: int, table: Table) -> list[int]:
    """Indices of the paragraphs above `blocks[at]` that are its heading (see _attach_titles),
    after putting their title and caption on the table; [] when none is."""
    numbers: list[int] = []
    captions: list[int] = []
    title: int | None = None
    index = at - 1
    while index >= 0 and at - index <= 5:
        block = blocks[index]
        if not (isinstance(block, Paragraph) and block.origin.page == table.pages[0] and len(block.text) <= 80):
            break
        text = block.text
        if _TABLE_NUMBER.match(text):
            numbers.append(index)
        elif title is None and not table.caption and _is_caption_part(text):
            captions.append(index)
        elif title is None and not table.title and _is_title(block, table):
            title = index
        else:
            break
        index -= 1
    caption = _unwrapped_unit(join_wrapped([blocks[k].text for k in sorted(captions)]))
    if captions and not (_unit(caption) or title is not None):
        captions = []  # words without a unit and no title above them: not this table's heading
    if title is None and not captions:
        return []
    if title is not None:
        table.title = blocks[title].text
    if captions:
        head, table.caption = _title_and_caption([caption])
        table.unit = table.unit or _unit(table.caption)
        if head and not table.title:
            table.title = head
    return sorted([*numbers, *captions, *([title] if title is not None else [])])


_SPLIT_UNIT = re.compile(r"单位\s*[:：]\s*([万千亿])(?!元)")


def _unwrapped_unit(caption: str) -> str:
    """`单位：万元` right-aligned in a narrow box wraps as `单位：万` above the 部门 line and `元`
    at its end: put it back together."""
    match = _SPLIT_UNIT.search(caption)
    if _unit(caption) or not match or not caption.endswith("元"):
        return caption
    rest = (caption[: match.start()] + caption[match.end() : -1]).strip()
    return f"{rest} 单位：{match.group(1)}元".strip()


def _is_caption_part(text: str) -> bool:
    """A line of the `部门：… 单位：万元` caption (the two may be printed on lines of their own)."""
    return bool(_CAPTION_START.search(text) or _UNIT.search(text))


def _is_title(block, table: Table) -> bool:
    return (
        isinstance(block, Paragraph)
        and block.origin.page == table.pages[0]
        and len(block.text) <= 60
        and "表" in block.text
        and not block.text.endswith(("。", "；", ";"))
    )
