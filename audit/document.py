"""The document model: what every reader (text, PDF, Word, Excel) produces and the facts stage reads.

A disclosure is a sequence of blocks — paragraphs (headings among them) and tables — in reading
order. A table is rows × columns of cells with merged cells known, its title, its money unit
(单位：元/万元) and how many of its first rows are header rows. Every piece keeps an `Origin`: where
it sits in the original file (text: line and column; PDF: page and box; Word: paragraph or
table/row/cell index; Excel: sheet and cell), so a finding can point a reader at it.

Readers build these objects and nothing else; they never decide what a table *means* (that is the
facts stage's job, from rules/lexicons/budget_tables.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.model import ReaderNote

BBox = tuple[float, float, float, float]  # PDF points: x0, top, x1, bottom (pdfplumber's convention)


@dataclass(frozen=True)
class Origin:
    """Where a piece of the document sits in the original file. Every field is optional: each
    format fills the ones it has."""

    file: str | None = None  # the file it came from (a publication may span several files)
    page: int | None = None  # 1-based page (PDF)
    bbox: BBox | None = None  # box on that page (PDF)
    line: int | None = None  # 1-based line (text)
    column: int | None = None  # 1-based column (text)
    sheet: str | None = None  # worksheet name (Excel)
    cell: str | None = None  # A1-style cell reference (Excel)
    paragraph: int | None = None  # 0-based body paragraph index (Word)
    table: int | None = None  # 0-based index of the table in its file (Word, Excel, PDF)
    row: int | None = None  # 0-based row within that table
    col: int | None = None  # 0-based column within that table


@dataclass
class Cell:
    """One table cell. A merged cell is stored once, at its top-left position, with its spans; the
    positions it covers hold cells with `covered=True` and empty text, so every row has the same
    number of columns and column k means the same column in every row."""

    text: str
    origin: Origin = field(default_factory=Origin)
    rowspan: int = 1
    colspan: int = 1
    covered: bool = False  # part of a merged cell whose text sits at its top-left cell


@dataclass
class Table:
    rows: list[list[Cell]]
    title: str = ""  # e.g. 收支预算总表, as printed above the table (or in its first merged row)
    unit: str | None = None  # the money unit the table states: 元, 万元, 千元, 亿元
    caption: str = ""  # the line that states the unit, as printed (部门：… 单位：万元)
    header_rows: int = 0  # how many of the first rows are column headers
    origin: Origin = field(default_factory=Origin)  # where the table starts
    pages: list[int] = field(default_factory=list)  # every page it spans (PDF), continued tables joined

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Paragraph:
    text: str
    origin: Origin = field(default_factory=Origin)
    heading: bool = False


Block = Paragraph | Table


@dataclass
class Document:
    """One publication: the blocks of one or more files, in reading order."""

    path: str  # what the user named (the first file of a joined publication)
    format: str  # "text" | "pdf" | "docx" | "xlsx" (of the first file)
    blocks: list[Block] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file read, in order
    pages: int = 0  # pages in all (PDF); 0 where the format has none
    notes: list[ReaderNote] = field(default_factory=list)  # what a reader skipped on purpose, for reports

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
