"""What an Office file is before a library parses it, so a wrong or locked file gets a plain reason.

An encrypted .docx/.xlsx (and a legacy .doc/.xls) is an OLE compound file, not a zip; a .docx is
a zip holding word/document.xml, an .xlsx one holding xl/workbook.xml.
"""

from __future__ import annotations

import io
import zipfile

from audit.source import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_KINDS = (("word/document.xml", "docx", "a Word document"), ("xl/workbook.xml", "xlsx", "an Excel workbook"),
          ("ppt/presentation.xml", "pptx", "a PowerPoint file"))


def check(path: str, expected: str) -> bytes:
    """The file's bytes when it looks like an `expected` ("docx" | "xlsx") package; otherwise
    InputError saying what it is instead."""
    name = dict((kind, what) for _, kind, what in _KINDS)[expected]
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if data[:4] == _OLE_MAGIC:
        legacy = ".doc" if expected == "docx" else ".xls"
        raise InputError(f"encrypted (password-protected) or a legacy {legacy} file, not {name}")
    if data[:2] != b"PK":
        raise InputError(f"not {name} (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # BadZipFile, EOFError, NotImplementedError (a damaged version field) …
        raise InputError(f"corrupt .{expected} (a damaged zip)") from None
    for part, kind, what in _KINDS:
        if part in names:
            if kind != expected:
                raise InputError(f"{what}, not {name} (named .{expected}?)")
            return data
    raise InputError(f"not {name} (a zip without {dict((k, p) for p, k, _ in _KINDS)[expected]})")
