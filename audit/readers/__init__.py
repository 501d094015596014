"""Readers: a published file (PDF, Word, Excel) → audit.document.Document.

`read(path)` decides by content, not by the name's extension (a .pdf that is really text is read
as text; a disclosure saved without an extension is still a PDF): b"%PDF-" in the first KB is a
PDF, a zip holding word/document.xml is Word, one holding xl/workbook.xml is Excel. Anything
else returns None and is read as text (audit.source). Each format's module is imported only
when a file of that format comes: a run over text files never imports pdfplumber.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from audit.document import Document
from audit.source import InputError

JOIN = "+"  # `narrative.pdf+tables.pdf`: one publication in several files (see split_joined)


def sniff(path: str | Path) -> str | None:
    """"pdf", "docx", "xlsx", or None (text, or something the text reader will refuse)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return None
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise InputError("damaged zip archive (not a readable Word or Excel file)") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise InputError("a zip archive that is neither a Word (.docx) nor an Excel (.xlsx) file")
    return None


def read(path: str | Path, *, first_table: int = 0) -> Document | None:
    """The file as a Document, None for text; InputError for a file of a known format that
    cannot be read (encrypted, damaged, no text layer…)."""
    kind = sniff(path)
    if kind is None:
        return None
    if kind == "pdf":
        from audit.readers import pdf

        return pdf.read(str(path), first_index=first_table)
    if kind == "docx":
        from audit.readers import docx

        return docx.read(str(path))
    from audit.readers import xlsx

    return xlsx.read(str(path))


def split_joined(path: str) -> list[str] | None:
    """The files of a joined publication `a.pdf+b.pdf` (every part an existing file), or None
    for a single path (a file whose own name holds "+" is that file)."""
    if JOIN not in path or Path(path).exists():
        return None
    parts = path.split(JOIN)
    if len(parts) < 2 or not all(part and Path(part).is_file() for part in parts):
        return None
    return parts


def read_joined(paths: list[str]) -> Document:
    """Several files as one publication, blocks in the order given; each block's origin keeps its
    own file, so a finding points at the right file and page. Text files take part too."""
    joined: Document | None = None
    for path in paths:
        try:
            document = read(path, first_table=len(joined.tables) if joined else 0)
            if document is None:
                document = text_document(path)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        if joined is None:
            joined = Document(path=JOIN.join(paths), format=document.format)
        joined.blocks.extend(document.blocks)
        joined.files.extend(document.files or [path])
        joined.pages += document.pages
        joined.notes.extend(f"{path}: {note}" for note in document.notes)
    assert joined is not None
    return joined


def text_document(path: str) -> Document:
    """A text file as a Document of one paragraph per line (for joining it with other files;
    a text file alone goes through audit.layout, which knows its table layouts)."""
    from audit.document import Origin, Paragraph
    from audit.source import load

    source = load(path)
    blocks = [Paragraph(text, Origin(file=path, line=number)) for number, text in enumerate(source.original_lines, 1)]
    return Document(path=path, format="text", blocks=blocks, files=[path])
