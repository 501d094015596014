"""--format jsonl: one JSON object per line, for researchers streaming thousands of files.

Each line has a "type": "finding" (the json format's finding plus "path"), "error" (a file that
could not be read), "note" (with a "path": what the reader of that PDF, Word or Excel file left
unread, before its findings; without one, at the end: an expired or unused waiver), and a last
"summary" line.
"""

from __future__ import annotations

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import compact_json as _dump
from audit.report.json_ import finding_dict, note_dict
from audit.report.summary import Summary


class JsonlWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.summary = Summary()

    def start(self) -> str:
        return ""

    @staticmethod
    def render_file(report: FileReport, lang: str) -> str:
        """The file's lines: its error, or one line per finding."""
        if report.error:
            return _dump({"type": "error", "path": report.path, "error": report.error}) + "\n"
        notes = [_dump({"type": "note", "path": report.path, **note.dump(lang)}) + "\n" for note in report.notes]
        return "".join(notes) + "".join(
            _dump({"type": "finding", "path": report.path, **finding_dict(finding, lang)}) + "\n" for finding in report.findings
        )

    def file(self, report: FileReport) -> str:
        self.summary.add(report)
        return report.rendered.get("jsonl") or self.render_file(report, self.lang)

    def finish(self) -> str:
        lines = [_dump({"type": "note", **note_dict(note, self.lang)}) for note in self.run.notes]
        summary = self.summary.as_dict()
        if self.run.suppressed:
            summary["suppressed"] = dict(self.run.suppressed)
        lines.append(_dump({"type": "summary", **summary}))
        return "\n".join(lines) + "\n"
