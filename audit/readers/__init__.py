"""Readers: a published file (PDF, Word, Excel) → audit.document.Document.

`read(path)` decides by content, not by the name's extension (a .pdf that is really text is read
as text; a disclosure saved without an extension is still a PDF): b"%PDF-" in the first KB is a
PDF, a zip holding word/document.xml is Word, one holding xl/workbook.xml is Excel. Anything
else returns None and is read as text (audit.source). Each format's module is imported only
when a file of that format comes: a run over text files never imports pdfplumber.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

from audit.document import Document
from audit.source import InputError

_FORMATS = {".pdf": "PDF", ".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)"}
JOIN = "+"  # `narrative.pdf+tables.pdf`: one publication in several files (see split_joined)


def sniff(path: str | Path) -> str | None:
    """"pdf", "docx", "xlsx", or None (text, or something the text reader will refuse: a damaged
    or other zip archive is "binary" to it)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO would block the read below forever: the text loader refuses it
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except (OSError, ValueError):
        return None
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            return None  # a damaged archive: the text reader calls it binary (or read() names the format it claims)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def read_bytes(data: bytes, name: str) -> Document | None:
    """Bytes piped in (`audit check -`) as a Document when they are a PDF, Word or Excel file
    (None: text). The readers read files, so the bytes go to a temporary file for the reading;
    every place in the Document then names `name` rather than that file."""
    import tempfile

    if b"%PDF-" not in data[:1024] and not data.startswith(b"PK\x03\x04"):
        return None
    with tempfile.TemporaryDirectory(prefix="audit-stdin-") as folder:
        spilled = Path(folder) / "stdin"
        spilled.write_bytes(data)
        document = read(spilled)
    if document is None:
        return None
    for block in document.blocks:
        block.origin = replace(block.origin, file=name)
        for row in getattr(block, "rows", ()):
            for cell in row:
                cell.origin = replace(cell.origin, file=name)
    document.path, document.files = name, [name]
    return document


def read(path: str | Path, *, first_table: int = 0) -> Document | None:
    """The file as a Document, None for text; InputError for a file of a known format that
    cannot be read (encrypted, damaged, no text layer…)."""
    kind = sniff(path)
    if kind is None:
        suffix = Path(path).suffix.lower()
        if suffix in (".docx", ".xlsx", ".doc", ".xls") and _is_ole(path):
            from audit.readers import package  # says why: encrypted, or a legacy .doc/.xls

            package.check(str(path), "docx" if suffix in (".docx", ".doc") else "xlsx")
        if suffix in _FORMATS and Path(path).is_file():  # named as one, holding something else: say so, not "no findings"
            raise InputError(f"named {suffix} but not a {_FORMATS[suffix]} file (its content is not one)")
        return None
    if kind == "pdf":
        from audit.readers import pdf

        return pdf.read(str(path), first_index=first_table)
    if kind == "docx":
        from audit.readers import docx

        return docx.read(str(path))
    from audit.readers import xlsx

    return xlsx.read(str(path))


def _is_ole(path: str | Path) -> bool:
    """An OLE compound file: what Office writes for a password-protected .docx/.xlsx and for the
    legacy .doc/.xls formats."""
    try:
        with open(path, "rb") as handle:
            return handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    except OSError:
        return False


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
        joined.notes.extend(replace(note, file=path) for note in document.notes)
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
