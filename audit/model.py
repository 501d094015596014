"""The typed vocabulary shared by every stage: spans, findings, check outcomes, file and run reports.

Plain slotted dataclasses, not pydantic models: a run builds them by the thousand, --jobs workers
pickle them back to the main process, and importing pydantic costs more than auditing a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from math import isfinite
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A region of the *original* file: 1-based line and column, end column exclusive (SARIF style).

    A plain frozen dataclass, not a pydantic model: layout builds tens of thousands per file.
    """

    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def cover(self, other: "Span") -> "Span":
        """The smallest span holding both."""
        start = min((self.line, self.column), (other.line, other.column))
        ends = [
            (s.end_line or s.line, s.end_column or s.column + 1) for s in (self, other)
        ]
        end = max(ends)
        return Span(line=start[0], column=start[1], end_line=end[0], end_column=end[1])

    def __reduce__(self):
        """Pickle as a plain tuple (--jobs workers send back thousands of spans)."""
        return (Span, (self.line, self.column, self.end_line, self.end_column))


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


class Status(str, Enum):
    """How one rule instance ended on one subject (a schedule, an identity, a table…)."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True, slots=True)
class Text:
    """A message in both languages; reports pick one with --lang."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @classmethod
    def of(cls, mapping: dict) -> "Text":
        """From a {zh, en} mapping in a rule or lexicon file; other languages' keys are ignored."""
        return cls(zh=mapping["zh"], en=mapping["en"])

    def __reduce__(self):
        return (Text, (self.zh, self.en))


@dataclass(frozen=True, slots=True)
class ReaderNote:
    """What a reader left unread on purpose (text clipped out of sight, page furniture, hidden
    sheets, rows or runs): every report shows it, so an auditor knows what the checks never saw.
    One per kind per file; `file` names the part of a joined publication (a.pdf+b.pdf)."""

    kind: str  # clipped-text | page-furniture | hidden-sheets | hidden-cells | uncached-formulas | hidden-runs
    count: int
    message: Text
    pages: tuple[int, ...] = ()
    file: str | None = None

    def text(self, lang: str) -> str:
        """The message, after its part file's name in a joined publication (as places name it)."""
        part = self.file.replace("\\", "/").rsplit("/", 1)[-1] if self.file else ""
        return (f"{part}: " if part else "") + self.message.get(lang)

    def dump(self, lang: str) -> dict[str, Any]:
        """JSON-ready: kind, count, pages and part file where set, the message in `lang`."""
        out: dict[str, Any] = {"kind": self.kind, "count": self.count}
        if self.pages:
            out["pages"] = list(self.pages)
        if self.file:
            out["file"] = self.file
        out["message"] = self.message.get(lang)
        return out

    def __reduce__(self):
        return (ReaderNote, (self.kind, self.count, self.message, self.pages, self.file))


def page_list(pages, lang: str, most: int = 8) -> str:
    """Page numbers for a note: "3、5、9" or "3, 5, 9", the first `most` and an ellipsis."""
    pages = list(pages)
    shown = ("、" if lang == "zh" else ", ").join(map(str, pages[:most]))
    return shown + (("…" if lang == "zh" else ", …") if len(pages) > most else "")


@dataclass(slots=True)
class Term:
    """One number that took part in a check, with where it stands."""

    label: str
    value: str
    line: int | None = None
    column: int | None = None
    sign: int = 1
    page: int | None = None  # in a PDF original

    def as_dict(self) -> dict[str, Any]:
        out = {"label": self.label, "value": self.value, "line": self.line, "column": self.column, "sign": self.sign}
        if self.page is not None:
            out["page"] = self.page
        return out

    def dump(self) -> dict[str, Any]:
        """JSON-ready, without the fields left unset or at their default (as evidence shows terms)."""
        out: dict[str, Any] = {"label": self.label, "value": self.value}
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        if self.sign != 1:
            out["sign"] = self.sign
        if self.page is not None:
            out["page"] = self.page
        return out

    def __reduce__(self):
        return (Term, (self.label, self.value, self.line, self.column, self.sign, self.page))


@dataclass(slots=True)
class Evidence:
    """The numbers behind a finding: what was stated, what was computed, and from which terms."""

    stated: str | None = None
    computed: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    terms: list[Term] = field(default_factory=list)
    diagnosis: Text | str | None = None  # why it probably fails (transposition, unit slip…)
    values: dict[str, Any] = field(default_factory=dict)

    def diagnosis_for(self, lang: str) -> str | None:
        if isinstance(self.diagnosis, Text):
            return self.diagnosis.get(lang)
        return self.diagnosis

    def dump(self, lang: str) -> dict[str, Any]:
        """JSON-ready evidence with the diagnosis in one language; unset and empty fields left out."""
        out: dict[str, Any] = {}
        if self.stated is not None:
            out["stated"] = self.stated
        if self.computed is not None:
            out["computed"] = self.computed
        if self.difference is not None:
            out["difference"] = self.difference
        if self.tolerance is not None:
            out["tolerance"] = self.tolerance
        if self.terms:
            out["terms"] = [term.dump() for term in self.terms]
        if self.diagnosis is not None:
            out["diagnosis"] = self.diagnosis_for(lang)
        if self.values:
            out["values"] = jsonable(self.values)
        return out

    def __reduce__(self):
        return (Evidence, (self.stated, self.computed, self.difference, self.tolerance, self.terms, self.diagnosis, self.values))


def jsonable(value: Any) -> Any:
    """`value` as JSON-ready Python: what pydantic's JSON mode makes of it, without importing pydantic
    for the plain values checks put in evidence (str, int, lists, str-keyed dicts)."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is list or kind is tuple:
        return [jsonable(item) for item in value]
    if kind is dict and all(type(key) is str for key in value):
        return {key: jsonable(item) for key, item in value.items()}
    if kind is float:
        return value if isfinite(value) else None
    if kind is Text:
        return {"zh": value.zh, "en": value.en}
    if isinstance(value, Enum):
        return jsonable(value.value)
    from pydantic_core import to_jsonable_python  # anything rarer (Decimal, sets, NaN…): pydantic's own rules

    return to_jsonable_python(value, inf_nan_mode="null")


@dataclass(slots=True)
class Place:
    """Where a finding sits in a PDF, Word or Excel original (a text file's line and column are
    its place): file, page and box, and for a table cell its table's title, row label and column name."""

    file: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    cell: str | None = None  # A1 reference (Excel)
    sheet: str | None = None  # worksheet (Excel)

    def dump(self) -> dict[str, Any]:
        """JSON-ready, without the fields left unset; the box rounded to tenths of a point."""
        out: dict[str, Any] = {}
        for key in ("file", "page", "table", "row", "column", "sheet", "cell"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out

    def describe(self, lang: str = "zh") -> str:
        """One line for people: 第 3 页 · 收支预算总表 · 行“一、财政拨款” · 列“金额”."""
        parts: list[str] = []
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”" if lang == "zh" else f"sheet {self.sheet}")
        if self.cell:
            parts.append(f"单元格 {self.cell}" if lang == "zh" else f"cell {self.cell}")
        if self.page is not None:
            parts.append(f"第 {self.page} 页" if lang == "zh" else f"page {self.page}")
        if self.table:
            parts.append(f"表“{self.table}”" if lang == "zh" else f"table “{self.table}”")
        if self.row:
            parts.append(f"行“{self.row}”" if lang == "zh" else f"row “{self.row}”")
        if self.column:
            parts.append(f"列“{self.column}”" if lang == "zh" else f"column “{self.column}”")
        return " · ".join(parts)

    def __reduce__(self):
        return (Place, (self.file, self.page, self.bbox, self.table, self.row, self.column, self.cell, self.sheet))


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    message: Text
    span: Span
    evidence: Evidence | None = None
    suggestion: Text | None = None
    subject: str | None = None  # what the finding is about: a project name, a table title
    related: list[Span] = field(default_factory=list)
    fingerprint: str = ""
    snippet: str = ""  # the normalised text at the span, for fingerprints and reports
    place: Place | None = None  # page, table, row and column in a PDF, Word or Excel original

    def sort_key(self) -> tuple:
        return (self.span.line, self.span.column, self.rule)

    # plain fields for API users: finding.line rather than finding.span.line
    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int | None:
        return self.span.end_line

    @property
    def end_column(self) -> int | None:
        return self.span.end_column

    @property
    def page(self) -> int | None:
        """The PDF page it is on (None for a text file)."""
        return self.place.page if self.place is not None else None

    def __reduce__(self):
        """Pickle as a plain tuple (--jobs workers send back every finding)."""
        return (
            Finding,
            (self.rule, self.severity, self.message, self.span, self.evidence, self.suggestion,
             self.subject, self.related, self.fingerprint, self.snippet, self.place),
        )


@dataclass(slots=True)
class CheckTally:
    """How many subjects a rule passed, failed, … on (a dataclass: checks count tens of thousands)."""

    passed: int = 0
    failed: int = 0
    not_applicable: int = 0
    insufficient_data: int = 0

    def merge(self, other: "CheckTally") -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.not_applicable += other.not_applicable
        self.insufficient_data += other.insufficient_data

    def __reduce__(self):
        """Pickle as a plain tuple (--jobs workers send back one tally per rule per file)."""
        return (CheckTally, (self.passed, self.failed, self.not_applicable, self.insufficient_data))

    def as_dict(self) -> dict[str, int]:
        return {
            "passed": self.passed,
            "failed": self.failed,
            "not_applicable": self.not_applicable,
            "insufficient_data": self.insufficient_data,
        }


@dataclass(slots=True)
class FileReport:
    """Everything the run learned about one input file."""

    path: str
    encoding: str | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, CheckTally] = field(default_factory=dict)
    # Not part of any dump: the original lines, for reports that quote, and per project its name,
    # line, budget and schedule points (for the HTML report's schedule charts).
    lines: list[str] = field(default_factory=list, repr=False)
    projects: list[dict[str, Any]] = field(default_factory=list, repr=False)
    # format -> this file's text in that report, rendered by the --jobs worker that audited it
    rendered: dict[str, str] = field(default_factory=dict, repr=False)
    # what the document says it is, for indexes over many documents: unit, year, kind (预算/决算), title
    meta: dict[str, Any] = field(default_factory=dict, repr=False)
    notes: list[ReaderNote] = field(default_factory=list)  # what the reader left unread on purpose

    @property
    def ok(self) -> bool:
        return self.error is None

    def __reduce__(self):
        return (
            FileReport,
            (self.path, self.encoding, self.error, self.findings, self.facts, self.checks, self.lines, self.projects,
             self.rendered, self.meta, self.notes),
        )


@dataclass(slots=True)
class RunReport:
    """The run as a whole. While a run streams, `files` stays empty: writers get each FileReport as
    it arrives, and read `suppressed` and `notes` (complete once every file is through) at the end."""

    version: str
    files: list[FileReport] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)  # id -> Rule, for formats that describe rules
    suppressed: dict[str, int] = field(default_factory=dict)  # findings hidden: {"waived": n, "baseline": n}
    notes: list[dict[str, Any]] = field(default_factory=list)  # run-level notes: expired or unused waivers
