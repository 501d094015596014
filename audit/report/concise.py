"""--format concise: one line per finding, `path:line:column: RULE severity message` (grep- and editor-friendly)."""

from __future__ import annotations

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import one_line


class ConciseWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.lang = options.lang
        self.total = 0

    def start(self) -> str:
        return ""

    def file(self, report: FileReport) -> str:
        self.total += len(report.findings)
        if report.error:
            return f"{report.path}: error: {one_line(report.error)}\n"
        lang = self.lang
        return "".join(
            f"{report.path}:{f.span.line}:{f.span.column}: {f.rule} {f.severity.value} {one_line(f.message.get(lang))}\n"
            for f in report.findings
        )

    def finish(self) -> str:
        word = {"zh": "个问题", "en": " findings"}[self.lang]
        return f"{self.total}{word}\n"
