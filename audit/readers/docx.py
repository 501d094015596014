"""Word (.docx) → Document: body paragraphs and tables in document order, merged cells as spans.

python-docx opens the package (audit.readers.package first tells a .docx from other files); the
body is then walked as XML because python-docx lists paragraphs and tables separately, and its
`cell(r, c)` grid is quadratic. What a reader of the page does not see is not read: field instructions (a TOC entry's
`TC 1、… \\f C \\l 1`), deleted revisions, hidden (vanish) runs, bookmarks. Word's automatic list
numbers are drawn (audit.readers.wordlists); a table's caption lines are attached to it
(audit.readers.captions).
"""

from __future__ import annotations

import io
import re

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.model import ReaderNote, Text
from audit.readers import package
from audit.readers.captions import attach, header_rows, lift_captions
from audit.readers.wordlists import Numbering
from audit.source import InputError

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _R = (f"{{{_W}}}{t}" for t in ("p", "tbl", "tr", "tc", "r"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{{{_W}}}sdt", f"{{{_W}}}sdtContent", f"{{{_W}}}customXml"
_T, _TAB, _BR, _CR = (f"{{{_W}}}{t}" for t in ("t", "tab", "br", "cr"))
_FLD_CHAR, _INSTR, _FLD_TYPE = f"{{{_W}}}fldChar", f"{{{_W}}}instrText", f"{{{_W}}}fldCharType"
_VAL = f"{{{_W}}}val"
_TXBX = f"{{{_W}}}txbxContent"
_TBL_HEADER = f"{{{_W}}}trPr/{{{_W}}}tblHeader"
_TC_PR, _TR_PR, _GRID_SPAN, _GRID_BEFORE, _V_MERGE = (
    f"{{{_W}}}{t}" for t in ("tcPr", "trPr", "gridSpan", "gridBefore", "vMerge"))
_FALLBACK = f"{{{_MC}}}Fallback"
# Runs' children that print a character of their own.
_CHARS = {_TAB: " ", _BR: "\n", _CR: "\n", f"{{{_W}}}noBreakHyphen": "-", f"{{{_W}}}softHyphen": ""}
# Paragraph children whose text is not printed: properties, deleted revisions, moves away.
_SKIP = {f"{{{_W}}}{t}" for t in ("pPr", "rPr", "del", "moveFrom", "tcPr", "trPr", "tblPr", "tblGrid")}
# A field instruction that reached the text as literal characters (a document converted from an
# older format): `TC 1、标题 \f C \l 1`, `PAGEREF _Toc123 \h`, at the end of a paragraph.
_FIELD_DEBRIS = re.compile(r"\s*\b(?:TC|TOC|PAGEREF|HYPERLINK)\s.*?(?:\s\\[a-z](?:\s+\S+)?)+\s*$")
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*\d|^(?:title|标题)$", re.IGNORECASE)


def _open(path: str):
    """python-docx's Document, or InputError saying what the file is instead."""
    import docx  # lazy: only documents that are Word files pay for python-docx and lxml
    from lxml.etree import XMLSyntaxError

    data = package.check(path, "docx")
    try:
        return docx.Document(io.BytesIO(data))
    except KeyError as exc:
        raise InputError(f"corrupt .docx: part {exc} missing") from None
    except XMLSyntaxError as exc:
        raise InputError(f"corrupt .docx: bad XML ({exc.msg})") from None
    except Exception as exc:  # a damaged part (bad deflate data, CRC) can fail the parse anywhere
        raise InputError(f"corrupt .docx ({type(exc).__name__}: {str(exc)[:80]})") from None


class _Reader:
    """One pass over the body XML. The field state lives here because a field (a table of
    contents) can begin in one paragraph and end many paragraphs later."""

    def __init__(self, path: str, styles, numbering: Numbering) -> None:
        self.path = path
        self.headings = _heading_styles(styles)
        self.numbering = numbering
        self.fields: list[bool] = []  # open fields, innermost last: True while in its instruction
        self.blocks: list[Paragraph | Table] = []
        self.paragraph_index = 0
        self.table_index = 0
        self.hidden_runs = 0

    # -- text ---------------------------------------------------------------------------------
    def _text(self, element, out: list[str], boxes: list) -> None:
        """Printed text under `element`, in order; text boxes are collected into `boxes`."""
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP or tag == _FALLBACK:
                continue
            if tag == _R:
                self._run(child, out, boxes)
            elif tag == _TXBX:
                boxes.append(child)
            elif tag in (_P, _TBL):  # nested in a text box or cell handled by the caller
                continue
            else:  # hyperlink, ins, smartTag, sdt/sdtContent, fldSimple, customXml, AlternateContent
                self._text(child, out, boxes)

    def _run(self, run, out: list[str], boxes: list) -> None:
        props = run.find(f"{{{_W}}}rPr")
        hidden = props is not None and _is_on(props.find(f"{{{_W}}}vanish"))
        for child in run:
            tag = child.tag
            if tag == _FLD_CHAR:
                kind = child.get(_FLD_TYPE)
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag == _INSTR or any(self.fields):
                continue
            elif tag == _T:
                if hidden:
                    self.hidden_runs += 1
                else:
                    out.append(child.text or "")
            elif tag in _CHARS:
                if not hidden:
                    out.append(_CHARS[tag])
            elif tag != f"{{{_W}}}rPr":
                self._text(child, out, boxes)  # drawing / pict / AlternateContent: text boxes

    def paragraph_text(self, p, boxes: list) -> str:
        label = self.numbering.label(p)
        out: list[str] = []
        self._text(p, out, boxes)
        while self.fields and self.fields[-1]:  # an instruction never ends: do not hide the rest
            self.fields.pop()
        text = _FIELD_DEBRIS.sub("", "".join(out))
        return label + text if text.strip() else text

    # -- blocks -------------------------------------------------------------------------------
    def body(self, element) -> None:
        for child in element:
            tag = child.tag
            if tag == _P:
                self.paragraph(child)
            elif tag == _TBL:
                self.table(child)
            elif tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
                self.body(child)

    def paragraph(self, p) -> None:
        index = self.paragraph_index
        self.paragraph_index += 1
        boxes: list = []
        text = self.paragraph_text(p, boxes)
        origin = Origin(file=self.path, paragraph=index)
        if text.strip():
            self.blocks.append(Paragraph(text, origin, heading=self._is_heading(p)))
        for box in boxes:  # a text box's paragraphs after the paragraph that anchors it
            for inner in box.iter(_P):
                inner_text = self.paragraph_text(inner, [])
                if inner_text.strip():
                    self.blocks.append(Paragraph(inner_text, origin))

    def _is_heading(self, p) -> bool:
        props = p.find(f"{{{_W}}}pPr")
        if props is None:
            return False
        level = props.find(f"{{{_W}}}outlineLvl")
        if level is not None:
            return _level(level) < 9
        style = props.find(f"{{{_W}}}pStyle")
        return style is not None and style.get(_VAL) in self.headings

    def table(self, tbl) -> None:
        index = self.table_index
        self.table_index += 1
        rows, repeated = self._grid(tbl, index)
        table = Table(rows=rows, origin=Origin(file=self.path, table=index, row=0, col=0))
        lifted = lift_captions(table)  # a title or 单位 row drawn as the table's first row
        table.header_rows = max(repeated - len(lifted), 0) or header_rows(table.rows)
        self.blocks.extend(lifted)
        self.blocks.append(table)

    def _cell_text(self, tc) -> str:
        last = tc[-1] if len(tc) else None
        if last is not None and last.tag == _P and (len(tc) == 1 or (len(tc) == 2 and tc[0].tag == _TC_PR)):
            return self.paragraph_text(last, []).strip()  # the usual cell: properties and one paragraph
        parts: list[str] = []
        for child in _flatten(tc, _TC):
            if child.tag == _P:
                parts.append(self.paragraph_text(child, []))
            elif child.tag == _TBL:  # a nested table: its rows as lines, its cells spaced
                for tr in _flatten(child, _TBL):
                    if tr.tag == _TR:
                        cells = [self._cell_text(c) for c in _flatten(tr, _TR) if c.tag == _TC]
                        parts.append(" ".join(c for c in cells if c))
        return "\n".join(parts).strip()

    def _grid(self, tbl, index: int) -> tuple[list[list[Cell]], int]:
        """Rows × grid columns: gridSpan widens a cell, vMerge continues the cell above (its
        text sits in the first row of the merge), gridBefore/gridAfter skip grid columns. Also
        how many leading rows the author marked to repeat on each page (tblHeader): the header."""
        rows: list[list[Cell]] = []
        repeated, leading = 0, True
        above: dict[int, Cell] = {}  # grid column → the cell that starts there in the row above
        for r, tr in enumerate(tr for tr in _flatten(tbl, _TBL) if tr.tag == _TR):
            row: list[Cell] = []
            starts: dict[int, Cell] = {}
            before = _count(tr.find(_TR_PR), _GRID_BEFORE, 0, 0)
            leading = leading and _is_on(tr.find(_TBL_HEADER))
            repeated += leading
            for c in range(before):
                row.append(Cell("", Origin(file=self.path, table=index, row=r, col=c)))
            for tc in (tc for tc in _flatten(tr, _TR) if tc.tag == _TC):
                col = len(row)
                props = tc.find(_TC_PR)
                span = _count(props, _GRID_SPAN, 1, 1)
                merge = props.find(_V_MERGE) if props is not None else None
                origin = Origin(file=self.path, table=index, row=r, col=col)
                top = above.get(col)
                if merge is not None and merge.get(_VAL, "continue") == "continue" and top is not None:
                    top.rowspan += 1
                    cell = Cell("", origin, covered=True)
                    starts[col] = top
                else:
                    cell = Cell(self._cell_text(tc), origin, colspan=span)
                    starts[col] = cell
                row.append(cell)
                for extra in range(1, span):
                    row.append(Cell("", Origin(file=self.path, table=index, row=r, col=col + extra), covered=True))
            above = starts
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        for r, row in enumerate(rows):
            while len(row) < width:  # gridAfter, or a short row: pad so columns line up
                row.append(Cell("", Origin(file=self.path, table=index, row=r, col=len(row))))
        return rows, repeated


def _flatten(element, parent_tag: str):
    """Children of a table, row or cell, looking through content controls and custom XML."""
    for child in element:
        if child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _flatten(content, parent_tag)
        else:
            yield child


def _is_on(element) -> bool:
    return element is not None and element.get(_VAL, "true") not in ("false", "0", "off")


def _level(element) -> int:
    try:
        return int(element.get(_VAL, "9"))
    except ValueError:
        return 9


def _count(props, tag: str, default: int, least: int) -> int:
    """An integer property (gridSpan, gridBefore) of a cell's or row's properties, at least `least`."""
    element = props.find(tag) if props is not None else None
    if element is None:
        return default
    try:
        return max(least, int(element.get(_VAL, default)))
    except ValueError:
        return default


def _heading_styles(styles) -> set[str]:
    """Style ids that make a heading: named Heading n / 标题 n / Title, or with an outline level
    below 9, directly or through the styles they are based on."""
    by_id: dict[str, tuple[str, int | None, str | None]] = {}
    for style in styles.iter(f"{{{_W}}}style"):
        sid = style.get(f"{{{_W}}}styleId")
        name = style.find(f"{{{_W}}}name")
        level = style.find(f"{{{_W}}}pPr/{{{_W}}}outlineLvl")
        based = style.find(f"{{{_W}}}basedOn")
        by_id[sid] = (
            name.get(_VAL, "") if name is not None else "",
            _level(level) if level is not None else None,
            based.get(_VAL) if based is not None else None,
        )
    headings: set[str] = set()
    for sid in by_id:
        seen, current = set(), sid
        while current in by_id and current not in seen:
            seen.add(current)
            name, level, based = by_id[current]
            if level is not None:
                if level < 9:
                    headings.add(sid)
                break
            if _HEADING_STYLE.match(name):
                headings.add(sid)
                break
            current = based
    return headings


def _numbering_part(document):
    """numbering.xml's root, or None for a document without lists."""
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def read(path: str) -> Document:
    """Read a .docx; raise InputError for a file that is not one (or is encrypted or corrupt)."""
    from lxml.etree import XMLSyntaxError

    document = _open(path)
    try:
        styles = document.styles.element
        reader = _Reader(path, styles, Numbering(_numbering_part(document), styles))
        reader.body(document.element.body)
        attach(reader.blocks)
    except XMLSyntaxError as exc:
        raise InputError(f"corrupt .docx: bad XML ({exc.msg})") from None
    notes = []
    if reader.hidden_runs:
        count = reader.hidden_runs
        notes.append(ReaderNote("hidden-runs", count, Text(zh=f"未读取 {count} 段隐藏文字", en=f"{count} hidden text run(s) not read")))
    return Document(path=path, format="docx", blocks=reader.blocks, files=[path], notes=notes)
