"""Which formula cells of a workbook carry no cached value.

openpyxl with `data_only=True` reads a formula as the value Excel cached when it saved the file,
and as None when there is none (a file written by a library that does not calculate) — the same
None as an empty cell. To say so in the Document's notes, the sheet XML is scanned once for `<c>`
elements that hold an `<f>` but no `<v>`; a workbook without any formula costs one byte search.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order."""
    from lxml import etree

    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    parts = []
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_REL}}}id"))
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            parts.append((sheet.get("name", ""), part))
    return parts


def _uncached(value, kind: str | None) -> bool:
    """No `<v>`, or an empty one on a cell that is not a string result (openpyxl writes `<v></v>`
    for every formula; a formula that yields "" is typed t="str" with an empty value)."""
    return value is None or (not value.text and kind != "str")


def uncached_formulas(data: bytes) -> list[str]:
    """`Sheet!A1` of every formula cell without a cached value, in sheet order."""
    from lxml import etree

    found: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for name, part in _sheet_parts(archive):
                if part not in names:
                    continue
                xml = archive.read(part)
                if b"<f" not in xml and b":f" not in xml:
                    continue
                cell_tag, f_tag, v_tag = (f"{{{_MAIN}}}{t}" for t in ("c", "f", "v"))
                for _, cell in etree.iterparse(io.BytesIO(xml), tag=cell_tag):
                    if cell.find(f_tag) is not None and _uncached(cell.find(v_tag), cell.get("t")):
                        found.append(f"{name}!{cell.get('r', '?')}")
                    cell.clear()
    except (KeyError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError):
        return found  # openpyxl has read the workbook; a note we cannot make is no reason to fail
    return found
