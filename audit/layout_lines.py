"""Lines of text a PDF tool extracted, for the fourth layout (audit/layout_flat.py): each line's
cells (tokens: figure, classification code or text, with their offsets) and its class (blank,
page number, title, 单位 line, prose, row of figures, other)."""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate

# A figure: 1,234.56 / 1234.56 / 12 / -3.5 / 12.5%; a lone dash stands for an empty figure.
# Neither starts inside a run of digits: a search is one pass over a long one, not one per digit.
NUMBER = re.compile(r"(?<![\d,.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
MONEY = re.compile(r"(?<![\d,.])[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")  # has a separator or decimals
_DASH = frozenset("-—–－")
_PAGE = re.compile(r"\s*(?:[-—–─－]\s*\d{1,4}\s*[-—–─－]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*")
_TITLE = re.compile(r".{2,45}?(?:表|表\s*\(续\)|\(续表\)|续表)")
_META = re.compile(r"(?:编制部门|编制单位|填报单位|部门|单位)\s*:|单位\s*:\s*(?:万元|元|千元|亿元)")
_PROSE_MARKS = re.compile(r"[。，；,;!?！？]")  # NFKC has made ，； ASCII
NUMBERING = re.compile(r"(?:\d{1,2}[.、．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
LONG_TEXT = 22  # a text cell this long is prose: table labels are shorter
MIN_ROWS = 3  # figure rows a file needs to be read in this layout
COLUMN_GAP = 3  # grid columns: figures ending this close are in one column
LABEL_GAP = 6  # labels starting this close are in one column (sub-items are indented by ~4)
HEADER_LINES = 8  # at most this many header lines above a table's first figure row
MAX_FIGURES = 40  # figures on one line: more is no table row (bounds the fitting of figures to columns)
MAX_ROW = 600  # characters: a longer line is never a table row (bounds the columns a table can have)

BLANK, PAGE, TITLE, META, PROSE, ROW, OTHER = range(7)  # a line's class


class Token:
    """One cell's text on a line: [start, end) in the line's normalised text, its kind
    ("N" figure, "C" classification code, "T" text) and, in aligned text, where it sits on the
    page's character grid [left, right)."""

    __slots__ = ("line", "start", "end", "text", "kind", "left", "right", "parts")

    def __init__(self, line: int, start: int, end: int, text: str, kind: str):
        self.line = line  # 1-based
        self.start, self.end, self.text, self.kind = start, end, text, kind
        self.left = self.right = 0
        self.parts: list[tuple[int, int]] | None = None  # pieces when the text skips characters

    def __repr__(self) -> str:
        return f"{self.kind}:{self.text}"


def _kind(text: str, after_text: bool, after_code: bool) -> str:
    if MONEY.fullmatch(text):
        return "N"
    if after_text and (text in _DASH or NUMBER.fullmatch(text)):
        return "N"
    if not after_text and text.isdigit() and (2 <= len(text) <= 7 or after_code and len(text) == 1):
        return "C"  # a code, or a split code's 款/项 with its leading zero dropped (`301   2`)
    return "T"


def tokenize(text: str, aligned: bool, line: int = 0) -> list[Token]:
    """The cells of one line. Aligned text: runs of two spaces separate cells, and one space
    beside a figure; otherwise every space does, a numbering (`1.`) kept with its text."""
    pieces: list[tuple[int, int]] = []
    if aligned:
        for match in re.finditer(r"\S+(?: \S+)*", text):
            start = match.start()
            words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", match.group())]
            group = [words[0]]
            for word in words[1:]:
                prev, now = text[group[-1][0]:group[-1][1]], text[word[0]:word[1]]
                if NUMBER.fullmatch(prev) or NUMBER.fullmatch(now):  # a figure is a cell of its own
                    pieces.append((group[0][0], group[-1][1]))
                    group = [word]
                else:
                    group.append(word)
            pieces.append((group[0][0], group[-1][1]))
    else:
        glue = None
        for match in re.finditer(r"\S+", text):
            start, end = match.span()
            if glue is not None:
                start, glue = glue, None
            elif NUMBERING.fullmatch(match.group()):
                glue = start
                continue
            pieces.append((start, end))
        if glue is not None:
            pieces.append((glue, len(text.rstrip())))
    tokens: list[Token] = []
    after_text = after_code = False
    for start, end in pieces:
        piece = text[start:end]
        kind = _kind(piece, after_text, after_code)
        after_text = after_text or kind == "T"
        after_code = kind == "C"
        tokens.append(Token(line, start, end, piece, kind))
    return tokens


def display_columns(text: str) -> list[int]:
    """Display column of each offset (and of the end): wide characters count two."""
    return list(accumulate((2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text), initial=0))


def wide_before(text: str) -> list[int]:
    """How many wide (Chinese) characters precede each offset (and the end)."""
    return list(accumulate((unicodedata.east_asian_width(c) in "WF" for c in text), initial=0))


class FlatLine:
    """One line (0-based `index`) with its class and, unless blank, page number or too long, its cells."""

    __slots__ = ("index", "text", "cls", "tokens")

    def __init__(self, index: int, text: str, aligned: bool):
        self.index, self.text = index, text
        self.tokens: list[Token] = []
        stripped = text.strip()
        if not stripped:
            self.cls = BLANK
        elif len(stripped) > MAX_ROW:  # no table row is this long: prose (and no per-cell work)
            self.cls = PROSE
        elif _PAGE.fullmatch(text):
            self.cls = PAGE
        else:
            self.tokens = tokenize(text, aligned, index + 1)
            self.cls = classify(stripped, self.tokens)


def classify(stripped: str, tokens: list[Token]) -> int:
    """A line's class from its cells: 单位 lines first (a long unit name is no prose), then prose
    (sentence marks, long text), titles, and rows of money figures."""
    money = any(t.kind == "N" and MONEY.fullmatch(t.text) for t in tokens)
    texts = [t.text for t in tokens if t.kind == "T"]
    squeezed = stripped.replace(" ", "")
    if not money and len(squeezed) <= 80 and "。" not in squeezed and _META.search(squeezed):
        return META
    if any(_PROSE_MARKS.search(t) or len(t) >= LONG_TEXT for t in texts):
        if not money and _TITLE.fullmatch(squeezed):
            return TITLE
        return PROSE
    if not money:
        return TITLE if _TITLE.fullmatch(squeezed) else OTHER
    if sum(t.kind == "N" for t in tokens) > MAX_FIGURES:
        return PROSE  # no budget table has this many figure columns
    return ROW


def is_aligned(texts: list[str]) -> bool:
    """pdftotext -layout keeps columns with runs of spaces inside lines; pdfplumber does not."""
    inner = sum(1 for t in texts if re.search(r"\S {2,}\S", t))
    filled = sum(1 for t in texts if t.strip())
    return filled > 0 and inner * 20 >= filled


def looks_flat(texts: list[str]) -> bool:
    """A file without TAB that a PDF tool extracted: pages broken by form feeds (pdftotext), or
    at least MIN_ROWS page-number lines or rows of figures after a label."""
    seen = pages = 0
    for text in texts:
        if text.startswith("\f"):
            return True
        if _PAGE.fullmatch(text) and text.strip():
            pages += 1
            if pages >= MIN_ROWS:
                return True
            continue
        if len(text) > MAX_ROW or MONEY.search(text) is None:
            continue
        tokens = tokenize(text, False)
        if classify(text.strip(), tokens) == ROW and (tokens[0].kind != "N" or sum(t.kind == "N" for t in tokens) >= 2):
            seen += 1
            if seen >= MIN_ROWS:
                return True
    return False


def merged_codes(tokens: list[Token]) -> list[Token]:
    """Leading classification codes (`201 13 01`) as one code cell (`2011301`); a 款 or 项 printed
    without its leading zero (`301 2`) gets it back (`30102`), the zero placed at the digit."""
    codes = [t for t in tokens if t.kind == "C"]
    if len(codes) < 2:
        return tokens
    text = codes[0].text + "".join(t.text.rjust(2, "0") for t in codes[1:])
    merged = Token(codes[0].line, codes[0].start, codes[-1].end, text, "C")
    merged.parts = [(codes[0].start, codes[0].end)]
    for t in codes[1:]:
        if len(t.text) == 1:
            merged.parts.append((t.start, t.start))  # the zero the publisher left out
        merged.parts.append((t.start, t.end))
    merged.left, merged.right = codes[0].left, codes[-1].right
    return [merged, *(t for t in tokens if t.kind != "C")]


_WHOLE_WORDS = re.compile(r"(?:小计|合计|总计|其中|类|款|项)$")


def whole_line(line: FlatLine) -> Token:
    """A line's text, stripped, as one cell."""
    body = line.text.strip()
    start = line.text.find(body)
    return Token(line.index + 1, start, start + len(body), body, "T")


def is_fragment(line: FlatLine) -> bool:
    """A line that may continue labels of the row above: pieces of three characters at most, none
    starting a new item or being a whole label (小计, 其中)."""
    return bool(line.tokens) and all(
        t.kind == "T" and len(t.text) <= 3 and not NUMBERING.match(t.text) and not _WHOLE_WORDS.match(t.text)
        for t in line.tokens
    )


class Grid:
    """One table's lines put in columns: per line, column → tokens."""

    def __init__(self, width: int, aligned: bool):
        self.width = width
        self.aligned = aligned  # columns from positions (not from the order of the cells)
        self.rows: list[tuple[FlatLine, dict[int, list[Token]], bool]] = []  # line, cells, is header

    def add(self, line: FlatLine, cells: dict[int, list[Token]], header: bool) -> None:
        self.rows.append((line, cells, header))


def repeated_headers(headers: list[FlatLine], lines: list[FlatLine]) -> set[int]:
    """Ids of the lines that repeat one of the header's lines (a table continued on a new page)."""
    seen = {"".join(ln.text.split()) for ln in headers}
    return {id(ln) for ln in lines if ln.cls == OTHER and "".join(ln.text.split()) in seen}


def clusters(values: list[float], gap: float) -> list[tuple[float, float]]:
    """Sorted values in runs whose neighbours are at most `gap` apart: (first, last) of each."""
    out: list[tuple[float, float]] = []
    for value in values:
        if out and value - out[-1][1] <= gap:
            out[-1] = (out[-1][0], value)
        else:
            out.append((value, value))
    return out


