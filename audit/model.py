"""The typed vocabulary shared by every stage: spans, findings, check outcomes, file and run reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Status(str, Enum):
    """How one rule instance ended on one subject (a schedule, an identity, a table…)."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    INSUFFICIENT_DATA = "insufficient_data"


class Text(BaseModel):
    """A message in both languages; reports pick one with --lang."""

    model_config = ConfigDict(frozen=True)

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Term(BaseModel):
    """One number that took part in a check, with where it stands."""

    label: str
    value: str
    line: int | None = None
    column: int | None = None
    sign: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": self.value, "line": self.line, "column": self.column, "sign": self.sign}


class Evidence(BaseModel):
    """The numbers behind a finding: what was stated, what was computed, and from which terms."""

    stated: str | None = None
    computed: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    terms: list[Term] = Field(default_factory=list)
    diagnosis: Text | str | None = None  # why it probably fails (transposition, unit slip…)
    values: dict[str, Any] = Field(default_factory=dict)

    def diagnosis_for(self, lang: str) -> str | None:
        if isinstance(self.diagnosis, Text):
            return self.diagnosis.get(lang)
        return self.diagnosis

    def dump(self, lang: str) -> dict[str, Any]:
        """JSON-ready evidence with the diagnosis in one language."""
        out = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        if self.diagnosis is not None:
            out["diagnosis"] = self.diagnosis_for(lang)
        return out


class Finding(BaseModel):
    rule: str
    severity: Severity
    message: Text
    span: Span
    evidence: Evidence | None = None
    suggestion: Text | None = None
    subject: str | None = None  # what the finding is about: a project name, a table title
    related: list[Span] = Field(default_factory=list)
    fingerprint: str = ""
    snippet: str = ""  # the normalised text at the span, for fingerprints and reports

    def sort_key(self) -> tuple:
        return (self.span.line, self.span.column, self.rule)


@dataclass(slots=True)
class CheckTally:
    """How many subjects a rule passed, failed, … on (a dataclass: checks count tens of thousands)."""

    passed: int = 0
    failed: int = 0
    not_applicable: int = 0
    insufficient_data: int = 0

    def add(self, status: Status, n: int = 1) -> None:
        setattr(self, status.value, getattr(self, status.value) + n)

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


class FileReport(BaseModel):
    """Everything the run learned about one input file."""

    path: str
    encoding: str | None = None
    error: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    facts: dict[str, int] = Field(default_factory=dict)
    checks: dict[str, CheckTally] = Field(default_factory=dict)
    lines: list[str] = Field(default_factory=list, exclude=True)  # original lines, for reports that quote
    # per project: name, line, budget and schedule points (for the HTML report's schedule charts)
    projects: list[dict[str, Any]] = Field(default_factory=list, exclude=True)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class RunReport:
    """The run as a whole. While a run streams, `files` stays empty: writers get each FileReport as
    it arrives, and read `suppressed` and `notes` (complete once every file is through) at the end."""

    version: str
    files: list[FileReport] = field(default_factory=list)
    rules: dict[str, Any] = field(default_factory=dict)  # id -> Rule, for formats that describe rules
    suppressed: dict[str, int] = field(default_factory=dict)  # findings hidden: {"waived": n, "baseline": n}
    notes: list[dict[str, Any]] = field(default_factory=list)  # run-level notes: expired or unused waivers
