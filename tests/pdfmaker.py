"""Small PDFs written by hand for the PDF reader's tests (no PDF-writing library needed).

Text uses the predefined CJK font STSong-Light with the UniGB-UCS2-H CMap, so Chinese and ASCII
text alike are real, extractable characters without embedding a font. Pages can be rotated,
cropped, clipped, ruled (tables) and the whole file encrypted (RC4, the standard security
handler revision 2) — the traps real disclosures hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


@dataclass
class Page:
    width: float = 595
    height: float = 842
    ops: list[str] = field(default_factory=list)
    rotate: int = 0  # 90: a landscape page stored portrait, its content drawn turned (as Word exports do)
    crop: tuple[float, float, float, float] | None = None

    def text(self, x: float, y: float, s: str, size: float = 12) -> "Page":
        """`s` with its baseline at (x, y) in PDF space (y up from the bottom)."""
        self.ops.append(f"BT /F1 {size} Tf {x} {y} Td <{s.encode('utf-16-be').hex()}> Tj ET")
        return self

    def line(self, x0: float, y0: float, x1: float, y1: float) -> "Page":
        self.ops.append(f"0.5 w {x0} {y0} m {x1} {y1} l S")
        return self

    def rect(self, x: float, y: float, w: float, h: float) -> "Page":
        self.ops.append(f"0.5 w {x} {y} {w} {h} re S")
        return self

    def clipped(self, box: tuple[float, float, float, float], build) -> "Page":
        """Whatever `build(page)` draws, clipped to `box` (x, y, w, h)."""
        self.ops.append(f"q {box[0]} {box[1]} {box[2]} {box[3]} re W n")
        build(self)
        self.ops.append("Q")
        return self

    def grid(self, x: float, top: float, widths: list[float], rows: list[list[str | None]], height: float = 20, size: float = 10) -> float:
        """A ruled table whose top edge is at `top` (PDF y): one line per row boundary, column
        boundaries drawn per row, so a None cell merges into the cell on its left. Returns the
        y of its bottom edge."""
        right = x + sum(widths)
        y = top
        self.line(x, y, right, y)
        for row in rows:
            bottom = y - height
            self.line(x, bottom, right, bottom)
            left = x
            self.line(left, y, left, bottom)
            for k, width in enumerate(widths):
                cell = row[k]
                if cell:
                    self.text(left + 2, bottom + 6, cell, size)
                nxt = row[k + 1] if k + 1 < len(row) else ""
                if nxt is not None:  # a None to the right merges: no line between them
                    self.line(left + width, y, left + width, bottom)
                left += width
            y = bottom
        return y


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def build(pages: list[Page], user_password: str | None = None) -> bytes:
    """The PDF file's bytes; with `user_password`, encrypted so that it needs it to open."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [2 0 R] >>")
    add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 3 0 R /DW 1000 /W [1 95 500] >>")
    add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    parent = len(objects) + 2 * len(pages) + 1
    streams: list[int] = []
    kids: list[int] = []
    for page in pages:
        ops = page.ops
        if page.rotate == 90:  # drawn in displayed coordinates: turn it so that it shows upright
            ops = [f"q 0 1 -1 0 {page.width:g} 0 cm", *ops, "Q"]
        data = "\n".join(ops).encode("latin-1")
        streams.append(add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"))
        extra = b""
        if page.rotate:
            extra += b" /Rotate %d" % page.rotate
        if page.crop:
            extra += b" /CropBox [%g %g %g %g]" % page.crop
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >>%s >>"
                % (parent, page.width, page.height, streams[-1], font, extra)
            )
        )
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == parent
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    file_id = hashlib.md5(b"audit test fixture").digest()
    trailer_extra = b""
    if user_password is not None:
        owner_key = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
        user = (user_password.encode("latin-1") + _PAD)[:32]
        o_entry = _rc4(owner_key, user)
        permissions = -4
        key = hashlib.md5(user + o_entry + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
        u_entry = _rc4(key, _PAD)
        for number in streams:
            body = objects[number - 1]
            head, _, rest = body.partition(b"stream\n")
            data = rest[: -len(b"\nendstream")]
            object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
            objects[number - 1] = head + b"stream\n" + _rc4(object_key, data) + b"\nendstream"
        encrypt = add(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o_entry.hex().encode(), u_entry.hex().encode(), permissions))
        trailer_extra = b" /Encrypt %d 0 R" % encrypt
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, file_id.hex().encode(), file_id.hex().encode(), trailer_extra, xref,
    )
    return bytes(out)
