"""bytes → Source: decode whatever encoding a publisher used, normalise for parsing, keep the way back.

Parsing works on NFKC-normalised lines (full-width ０-９ ％ （ ） ： become ASCII), but every
finding must point into the file as it is on disk, so each normalised line keeps a map from its
character offsets to columns of the original line.

Speed: NFKC changes few lines of a real file, so one C-speed check per line finds them and only
those are rewritten; the Line objects are built on first use (layout reads the plain lists).
"""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from itertools import compress, count, repeat
from operator import not_
from pathlib import Path

from audit.decoding import Decoded, by_line, chinese_legacy

MAX_BYTES = 16 * 1024 * 1024  # a disclosure is a few hundred KB; anything this big is not one

_NEWLINE = re.compile(r"\r\n|\r|\n")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that plain text does not hold (TAB, LF, VT — Word's manual line break —, FF and CR do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))
# Control characters other than TAB, VT, FF and line ends would reach terminals and reports as
# they are (ESC starts terminal escape sequences): shown instead as one visible character each,
# so columns do not move — C0 and DEL as their Control Pictures (␛), C1 as U+FFFD.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_PICTURES = {c: chr(0x2400 + c) for c in range(32) if c not in (9, 10, 11, 12, 13)}
_CONTROL_PICTURES.update({0x7F: "\u2421", **{c: "\ufffd" for c in range(0x80, 0xA0)}})
# Chinese legacy encodings all decode best as their superset.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030", "hz", "euc_cn", "ms936"}


class InputError(Exception):
    """A file that cannot be audited: the message says why, in a few words."""


@dataclass(slots=True)
class Line:
    """One line of the file: original text, normalised text and the column map between them."""

    number: int  # 1-based
    original: str
    text: str  # NFKC-normalised
    cols: list[int] | None = None  # cols[i] = 0-based original column of text[i]; None = identity

    def column(self, index: int) -> int:
        """0-based original column of normalised offset `index` (may be len(text))."""
        if self.cols is None:
            return min(index, len(self.original))
        if index >= len(self.cols):
            return len(self.original)
        return self.cols[index]


@dataclass(slots=True)
class Source:
    """The file as parallel lists: original lines, their normalised texts, and the column maps of
    the few lines NFKC made longer (0-based line index → map; any other line maps one to one)."""

    path: str
    encoding: str
    original_lines: list[str]
    texts: list[str]
    maps: dict[int, list[int]] = field(default_factory=dict)
    replaced: int = 0  # characters the decoder had to replace (U+FFFD)
    size: int = 0
    notes: list[str] = field(default_factory=list)  # the decoder's (mixed encodings): X002 says them
    reader_notes: list = field(default_factory=list)  # audit.model.ReaderNote: what a PDF/Word/Excel reader skipped
    # per rendered line (0-based), where it came from: set by audit.readers.render for a PDF, Word
    # or Excel file (None: a text file, whose own line and column are the place)
    origins: list | None = field(default=None, repr=False, compare=False)
    _lines: list[Line] | None = field(default=None, repr=False, compare=False)

    def column(self, index: int, offset: int) -> int:
        """0-based original column of normalised `offset` on 0-based line `index` (as Line.column)."""
        cols = self.maps.get(index)
        if cols is None:
            return min(offset, len(self.original_lines[index]))
        return cols[offset] if offset < len(cols) else len(self.original_lines[index])

    @property
    def lines(self) -> list[Line]:
        """One Line per line of the file, built on first use."""
        if self._lines is None:
            originals, maps = self.original_lines, self.maps
            self._lines = list(map(Line, count(1), originals, self.texts, repeat(None)))
            for index, cols in maps.items():
                self._lines[index].cols = cols
        return self._lines


# Per-character NFKC, memoised: chars that change (full-width ０ → 0) and those whose image is not one char.
_NFKC_SEEN: set[str] = set()
_NFKC_IMAGE: dict[str, str] = {}
_NFKC_ODD: set[str] = set()
_KNOWN: list[tuple[str, str]] = []  # (char, its one-character image), the first learned
# Characters NFKC never changes (ASCII, CJK Unified Ideographs, common CJK punctuation — 、。《》
# 【】“”—·): no need to look them up.
_MAYBE_CHANGED = re.compile("[^\t-\r -~\u4e00-\u9fff\u3001\u3002\u3008-\u3011\u3014-\u3017\u2018-\u201d\u2014\xb7]+")


def _learn(chars: set[str]) -> None:
    for char in chars:
        norm = unicodedata.normalize("NFKC", char)
        if norm != char:
            _NFKC_IMAGE[char] = norm
            if len(norm) != 1:
                _NFKC_ODD.add(char)
            elif len(_KNOWN) < _KNOWN_LIMIT:
                _KNOWN.append((char, norm))
    _NFKC_SEEN.update(chars)


def normalise_line(number: int, original: str) -> Line:
    """NFKC per character so that offsets map back one to one."""
    texts, maps = _normalise_lines(original, [original])
    return Line(number, original, texts[0], maps.get(0))


def _per_character(text: str) -> tuple[str, bool]:
    """(text with every character replaced by its NFKC image, whether an image is not one char).

    NFKC images never hold a line break, so lines joined with "\n" come back apart as they were."""
    chars = set("".join(_MAYBE_CHANGED.findall(text)))
    if not chars <= _NFKC_SEEN:
        _learn(chars - _NFKC_SEEN)
    for char in chars:
        image = _NFKC_IMAGE.get(char)
        if image is not None:  # images are in normal form: a later replace cannot touch them
            text = text.replace(char, image)
    return text, not _NFKC_ODD.isdisjoint(chars)


def _column_map(original: str) -> list[int]:
    cols: list[int] = []
    for col, char in enumerate(original):
        image = _NFKC_IMAGE.get(char)
        cols.extend([col] * (1 if image is None else len(image)))
    return cols


def decode(data: bytes, name: str) -> Decoded:
    """The text, its encoding, the characters replaced; or raise InputError saying why not."""
    if not data.strip():
        raise InputError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return Decoded(text, encoding.replace("-sig", "-bom"), text.count("\ufffd"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if not _utf16_without_bom(data[:65536]):
        damaged = by_line(data)  # UTF-8 with a few bad bytes, or UTF-8 and GBK lines mixed
        if damaged is not None:
            return damaged
    encoding = _detect(data)
    if encoding is None:
        raise InputError("binary or unknown encoding (not a text file)")
    text = data.decode(encoding, errors="replace")
    return Decoded(text, encoding, text.count("\ufffd"))


# The first bytes of a zip (.docx, .xlsx), a PDF, an OLE file (.doc, .xls), a PNG, a JPEG.
_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff")


def _looks_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16, or many control bytes: an image, an archive, a .docx."""
    sample = data[:65536]
    if sample.startswith(_MAGIC):
        return True
    if b"\x00" in sample and not _utf16_without_bom(sample) and sample.count(0) * 200 > len(sample):
        return True  # a few stray NULs in a long text (flipped bytes) are damage, read and reported as such
    if not _holds_any(sample, _CONTROL_BYTES):
        return False  # the usual text file: no need to count them
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 100)


def _damaged_text(data: bytes):
    """A file that looks binary (NULs, control bytes) but is mostly intact UTF-8 lines — a text
    file with a stretch of damage, or lines pasted in UTF-16 — is read, the damage replaced."""
    if data.startswith(_MAGIC):
        return None
    damaged = by_line(data)
    return damaged if damaged is not None and damaged.utf8_share >= 0.5 else None


def _holds_any(data: bytes, values: bytes) -> bool:
    """Whether `data` holds any of the byte `values`: one memchr per value, a few times cheaper
    than a translate of all the bytes."""
    return any(map(data.__contains__, values))


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM has NULs in every other byte for ASCII characters."""
    if len(sample) < 4:  # a lone NUL byte is not a UTF-16 document
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd > half * 0.2 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.2 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _detect(data: bytes) -> str | None:
    utf16 = _utf16_without_bom(data[:65536])
    if utf16:
        return utf16
    if _looks_binary(data):
        return None
    from charset_normalizer import from_bytes  # imported lazily: it is slow to import

    sample = data[:262144]
    best = from_bytes(sample).best()
    if best is None:
        # charset-normalizer gives up on short Chinese samples: GB18030 or Big5, by which reads as Chinese
        return chinese_legacy(sample, None)
    encoding = best.encoding.lower().replace("-", "_")
    if encoding in _GB_FAMILY or encoding.startswith(("gb", "big5", "cp950")):
        # the two share their byte ranges, so a detector (and a strict decode) often takes one for the other
        return chinese_legacy(sample, "gb18030")
    if encoding.startswith(_KOREAN_JAPANESE) and _reads_as_gb18030(data):
        # a short Chinese sample is often taken for Korean or Japanese (charset-normalizer 3.4
        # calls two lines of GBK cp949); these disclosures are Chinese, so GB18030 or Big5 it is
        return chinese_legacy(sample, "gb18030")
    return best.encoding


# Legacy Korean and Japanese codecs (Python's names): never the encoding of a Chinese disclosure.
_KOREAN_JAPANESE = ("cp949", "euc_kr", "johab", "iso2022", "shift_jis", "cp932", "euc_j")


def _reads_as_gb18030(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def load(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Source:
    """Read and decode one file; raise InputError with a short reason for anything not auditable.

    Only regular files are opened: reading a FIFO or a terminal would wait forever, and a device
    like /dev/zero never ends. At most max_bytes + 1 bytes are read, whatever stat said."""
    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a pipe, device or socket)")
        if info.st_size > max_bytes:
            raise InputError(f"file too large ({info.st_size / 1048576:.1f} MB > {max_bytes / 1048576:.0f} MB limit)")
        with p.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"file too large (> {max_bytes / 1048576:.0f} MB limit)")
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except NotADirectoryError:
        raise InputError("no such file (a parent in the path is not a folder)") from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})") from None
    except ValueError as exc:  # e.g. a NUL byte in the path
        raise InputError(f"invalid path ({exc})") from None
    return from_bytes(data, str(path))


def from_bytes(data: bytes, name: str = "<bytes>") -> Source:
    if _looks_binary(data) and not any(data.startswith(b) for b, _ in _BOMS) and not _utf16_without_bom(data[:65536]):
        decoded = _damaged_text(data)
        if decoded is None:
            raise InputError("binary file (not text)")
    else:
        decoded = decode(data, name)
    text, encoding, replaced = decoded.text, decoded.encoding, decoded.replaced
    if not text.strip():
        raise InputError("empty file")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:  # stray NULs (damage): replaced and counted like any undecodable byte
        replaced += text.count("\x00")
        text = text.replace("\x00", "\ufffd")
    if (_utf8_controls(data) if encoding == "utf-8" else _CONTROLS.search(text)):
        text = text.translate(_CONTROL_PICTURES)
    raw_lines = text.split("\n") if "\r" not in text else _NEWLINE.split(text)
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    # text is the lines joined with "\n" (one more at the end, perhaps) unless it had CRs
    texts, maps = _normalise_lines(text, raw_lines, None if "\r" in text else text)
    return Source(name, encoding, raw_lines, texts, maps, replaced=replaced, size=len(data), notes=decoded.notes)


_C0_AND_DEL = _CONTROL_BYTES + b"\x7f"


def _utf8_controls(data: bytes) -> bool:
    """Whether UTF-8 `data` (valid, no BOM) decodes to a text _CONTROLS matches, read off the bytes
    in C: C0 and DEL are those bytes, C1 (U+0080-U+009F) is 0xC2 then 0x80-0x9F."""
    if _holds_any(data, _C0_AND_DEL):
        return True
    at = data.find(b"\xc2")
    while at >= 0:
        if data[at + 1 : at + 2] < b"\xa0":  # a continuation byte 0x80-0x9F follows (or, damaged, another byte)
            return True
        at = data.find(b"\xc2", at + 2)
    return False


def _normalise_lines(text: str, raw_lines: list[str], joined: str | None = None) -> tuple[list[str], dict[int, list[int]]]:
    """Normalised texts and column maps of all lines, with Python-level work only where NFKC changes something.

    NFKC never reaches across a line break: one check of the whole text usually proves every line
    is in normal form; otherwise a per-line check (in C) picks out the few that are not."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return raw_lines, {}
    texts = _known_images("\n".join(raw_lines) if joined is None else joined, len(raw_lines))
    if texts is not None:
        return texts, {}
    changed = list(compress(count(), map(not_, map(unicodedata.is_normalized, repeat("NFKC"), raw_lines))))
    images, odd = _per_character("\n".join([raw_lines[index] for index in changed]))
    texts = raw_lines.copy()
    maps: dict[int, list[int]] = {}
    for index, image in zip(changed, images.split("\n")):
        texts[index] = image
        if odd and len(image) != len(raw_lines[index]):
            maps[index] = _column_map(raw_lines[index])
    return texts, maps


# Up to this many learned one-character images are tried on a whole text (the fast path).
_KNOWN_LIMIT = 32


def _known_images(joined: str, size: int) -> list[str] | None:
    """Per-character NFKC of all lines by replacing the images already learned in the whole text,
    or None when that does not provably give it (then the per-line path does). `joined`: the
    `size` lines joined with "\n", perhaps with one more "\n" at the end.

    A character NFKC changes never occurs in NFKC-normalised text, so when the replaced text
    is normalised every character left is its own image: the result is exactly the per-character
    one, line for line (4 of 5 real files hold only ， （ ） ： and the like)."""
    replaced = False
    for char, image in _KNOWN:
        if char in joined:
            joined = joined.replace(char, image)
            replaced = True
    if not replaced or not unicodedata.is_normalized("NFKC", joined):
        return None
    texts = joined.split("\n")
    if len(texts) > size:
        texts.pop()  # the "" after a final line break
    return texts


def from_text(text: str, name: str = "<text>") -> Source:
    """A Source from a str (tests, `audit check -`)."""
    return from_bytes(text.encode("utf-8"), name)
