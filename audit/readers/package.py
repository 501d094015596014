"""What an Office file is before a library parses it, so a wrong or locked file gets a plain reason.

An encrypted .docx/.xlsx (and a legacy .doc/.xls) is an OLE compound file, not a zip; a .docx is
a zip holding word/document.xml, an .xlsx one holding xl/workbook.xml.
"""

from __future__ import annotations

import io
import zipfile

from audit.source import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# A disclosure's workbook or document is a few MB; a zip that claims more is a bomb, not a budget.
MAX_BYTES = 64 * 1024 * 1024
MAX_UNPACKED = 128 * 1024 * 1024  # ~3 million spreadsheet cells, a minute of openpyxl
_KINDS = (("word/document.xml", "docx", "a Word document"), ("xl/workbook.xml", "xlsx", "an Excel workbook"),
          ("ppt/presentation.xml", "pptx", "a PowerPoint file"))


def check(path: str, expected: str) -> bytes:
    """The file's bytes when it looks like an `expected` ("docx" | "xlsx") package; otherwise
    InputError saying what it is instead."""
    name = dict((kind, what) for _, kind, what in _KINDS)[expected]
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"file too large ({len(data) / 1048576:.1f} MB > {MAX_BYTES // 1048576} MB limit)")
    if data[:4] == _OLE_MAGIC:
        legacy = ".doc" if expected == "docx" else ".xls"
        raise InputError(f"encrypted (password-protected) or a legacy {legacy} file, not {name}")
    if data[:2] != b"PK":
        raise InputError(f"not {name} (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # BadZipFile, EOFError, NotImplementedError (a damaged version field) …
        raise InputError(f"corrupt .{expected} (a damaged zip)") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED:
        raise InputError(f"unpacks to {unpacked / 1048576:.0f} MB (> {MAX_UNPACKED // 1048576} MB): not a disclosure")
    names = {info.filename for info in infos}
    for part, kind, what in _KINDS:
        if part in names:
            if kind != expected:
                raise InputError(f"{what}, not {name} (named .{expected}?)")
            return data
    raise InputError(f"not {name} (a zip without {dict((k, p) for p, k, _ in _KINDS)[expected]})")
