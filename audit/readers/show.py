"""`audit extract`: what was read, as a person reads it (tables with their cells) or as JSON.

A PDF, Word or Excel file is shown as its document model (pages, tables with title, unit, header
rows and merged cells, paragraphs); a text file as the blocks audit.layout found in it (its
tables as rows of cells), so that "the tool read nothing" and "the tool read the table wrong"
can both be seen before any rule is blamed.
"""

from __future__ import annotations

from typing import Any

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.source import Source

PREVIEW = 60  # characters of a paragraph shown in the text view


def from_layout(source: Source, blocks: list) -> Document:
    """A text file's layout blocks as a Document (line numbers as origins)."""
    from audit import layout

    out = Document(path=source.path, format="text", files=[source.path])
    for block in blocks:
        if isinstance(block, layout.Table):
            rows = [[Cell(text, Origin(line=row.line, row=r, col=c)) for c, text in enumerate(row.texts)] for r, row in enumerate(block.rows)]
            out.blocks.append(Table(rows=rows, origin=Origin(line=block.line)))
        else:
            out.blocks.append(Paragraph(block.text, Origin(line=block.line)))
    return out


def _where(origin: Origin, pages: list[int] | None = None) -> str:
    if pages and len(pages) > 1:
        return f"p{pages[0]}-{pages[-1]}"
    if origin.page is not None:
        return f"p{origin.page}"
    if origin.sheet is not None:
        return f"{origin.sheet}!{origin.cell or ''}"
    if origin.line is not None:
        return f"L{origin.line}"
    return ""


def _cell_view(cell: Cell) -> str:
    if cell.covered:
        return "〃"  # part of the merged cell to its left or above
    text = cell.text.replace("\n", " ")
    if cell.rowspan > 1 or cell.colspan > 1:
        text += f" ⟨{cell.rowspan}×{cell.colspan}⟩"
    return text


def text_view(document: Document, counts: dict[str, int], lang: str = "zh") -> str:
    zh = lang == "zh"
    tables, paragraphs = document.tables, document.paragraphs
    head = [
        f"{document.path}  ({document.format}"
        + (f", {document.pages} {'页' if zh else 'pages'}" if document.pages else "")
        + ")",
        ("读到: " if zh else "read: ")
        + (f"{len(tables)} 个表格, {len(paragraphs)} 个段落" if zh else f"{len(tables)} tables, {len(paragraphs)} paragraphs")
        + ("; 识别: " if zh else "; recognised: ")
        + ", ".join(f"{k} {v}" for k, v in counts.items()),
    ]
    head += [("  注: " if zh else "  note: ") + note.text(lang) for note in document.notes]
    out = head + [""]
    number = 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = block.text if len(block.text) <= PREVIEW else block.text[:PREVIEW] + "…"
            out.append(f"  {_where(block.origin):>7}  {text}")
            continue
        number += 1
        title = block.title or ("（无标题）" if zh else "(untitled)")
        shape = f"{len(block.rows)}×{block.width}"
        unit = f" · {'单位' if zh else 'unit'} {block.unit}" if block.unit else ""
        header = f" · {'表头' if zh else 'header rows'} {block.header_rows}" if block.header_rows else ""
        out += ["", f"── {'表' if zh else 'table'} {number} · {_where(block.origin, block.pages)} · {title} · {shape}{unit}{header}"]
        for index, row in enumerate(block.rows):
            mark = "h" if index < block.header_rows else " "
            out.append(f"  {mark}{index + 1:>3} │ " + " │ ".join(_cell_view(c) for c in row))
        out.append("")
    return "\n".join(out) + "\n"


def _origin_dict(origin: Origin) -> dict[str, Any]:
    out = {k: v for k, v in vars(origin).items() if v is not None} if hasattr(origin, "__dict__") else {}
    if not out:
        out = {k: getattr(origin, k) for k in origin.__dataclass_fields__ if getattr(origin, k) is not None}
    if "bbox" in out:
        out["bbox"] = [round(v, 1) for v in out["bbox"]]
    return out


def _cell_dict(cell: Cell) -> dict[str, Any]:
    out: dict[str, Any] = {"text": cell.text}
    if cell.covered:
        out["covered"] = True
    if cell.rowspan > 1:
        out["rowspan"] = cell.rowspan
    if cell.colspan > 1:
        out["colspan"] = cell.colspan
    origin = _origin_dict(cell.origin)
    if origin:
        out["origin"] = origin
    return out


def json_view(document: Document, lang: str = "zh") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            blocks.append({"type": "paragraph", "text": block.text, "heading": block.heading, "origin": _origin_dict(block.origin)})
        else:
            blocks.append(
                {
                    "type": "table",
                    "title": block.title,
                    "unit": block.unit,
                    "caption": block.caption,
                    "header_rows": block.header_rows,
                    "pages": block.pages,
                    "origin": _origin_dict(block.origin),
                    "rows": [[_cell_dict(c) for c in row] for row in block.rows],
                }
            )
    return {"path": document.path, "format": document.format, "files": document.files, "pages": document.pages, "notes": [note.dump(lang) for note in document.notes], "blocks": blocks}
