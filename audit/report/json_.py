"""--format json: one object per run, the contract in docs/output-formats.md (schema: docs/report.schema.json)."""

from __future__ import annotations

from dataclasses import asdict

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import compact_json
from audit.report.summary import Summary


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
    if finding.place is not None:  # a PDF, Word or Excel original: page, table, row, column
        place = finding.place.dump()
        if "page" in place:
            out["page"] = place["page"]
        out["place"] = place
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
    out = {"path": file.path, "encoding": file.encoding}
    if file.notes:  # only for an original whose reader left something unread: text seeds' output unchanged
        out["notes"] = [note.dump(lang) for note in file.notes]
    out["findings"] = [finding_dict(f, lang) for f in file.findings]
    out["facts"] = file.facts
    out["checks"] = {rule: tally.as_dict() for rule, tally in sorted(file.checks.items())}
    return out


def note_dict(note: dict, lang: str) -> dict:
    """A run-level note (an expired or unused waiver) with its message in the chosen language."""
    return {**{k: v for k, v in note.items() if k != "message"}, "message": note["message"][lang]}


class JsonWriter:
    """`{"tool": …, "files": [ … ], "summary": …, "notes": …}`, compact: each file on a line of
    its own and each of its findings on one more (the corpus's 390 findings were 390 KB indented,
    258 KB so). Files are printed as they come, so the text is exactly the whole object's."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.summary = Summary()

    def start(self) -> str:
        return '{"tool":' + compact_json({"name": "audit", "version": self.run.version}) + ',\n"files":['

    @staticmethod
    def render_file(report: FileReport, lang: str) -> str:
        """One entry of the files array: its findings one per line."""
        parts = []
        for key, value in file_dict(report, lang).items():
            if key == "findings" and value:
                body = "[\n" + ",\n".join(map(compact_json, value)) + "]"
            else:
                body = compact_json(value)
            parts.append(compact_json(key) + ":" + body)
        return "{" + ",".join(parts) + "}"

    def file(self, report: FileReport) -> str:
        first = self.summary.files == 0
        self.summary.add(report)
        text = report.rendered.get("json") or self.render_file(report, self.lang)
        return ("\n" if first else ",\n") + text

    def finish(self) -> str:
        run = self.run
        summary = self.summary.as_dict()
        if run.suppressed:
            summary["suppressed"] = dict(run.suppressed)
        out = "],\n\"summary\":" + compact_json(summary)
        if run.notes:
            out += ',\n"notes":' + compact_json([note_dict(n, self.lang) for n in run.notes])
        return out + "}\n"
