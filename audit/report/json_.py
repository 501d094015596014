"""--format json: one object per run, exactly the contract in docs/design.md (plus a few extras)."""

from __future__ import annotations

from dataclasses import asdict

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import pretty_json
from audit.report.summary import summarise


def finding_dict(finding: Finding, lang: str) -> dict:
    span = finding.span
    out = {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message.get(lang),
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line or span.line,
        "end_column": span.end_column,
    }
    if finding.subject:
        out["subject"] = finding.subject
    if finding.evidence is not None:
        out["evidence"] = finding.evidence.dump(lang)
    if finding.suggestion is not None:
        out["suggestion"] = finding.suggestion.get(lang)
    if finding.related:
        out["related"] = [{k: v for k, v in asdict(r).items() if v is not None} for r in finding.related]
    out["fingerprint"] = finding.fingerprint
    return out


def file_dict(file: FileReport, lang: str) -> dict:
    if file.error:
        return {"path": file.path, "error": file.error, "findings": []}
    return {
        "path": file.path,
        "encoding": file.encoding,
        "findings": [finding_dict(f, lang) for f in file.findings],
        "facts": file.facts,
        "checks": {rule: tally.as_dict() for rule, tally in sorted(file.checks.items())},
    }


def as_dict(run: RunReport, options: ReportOptions) -> dict:
    out = {
        "tool": {"name": "audit", "version": run.version},
        "files": [file_dict(f, options.lang) for f in run.files],
        "summary": summarise(run),
    }
    if run.suppressed:
        out["summary"]["suppressed"] = dict(run.suppressed)
    if run.notes:
        out["notes"] = [note_dict(n, options.lang) for n in run.notes]
    return out


def note_dict(note: dict, lang: str) -> dict:
    """A run-level note (an expired or unused waiver) with its message in the chosen language."""
    return {**{k: v for k, v in note.items() if k != "message"}, "message": note["message"][lang]}


def render(run: RunReport, options: ReportOptions) -> str:
    return pretty_json(as_dict(run, options)) + "\n"
