"""--format concise: one line per finding, `path:line:column: RULE severity message` (grep- and editor-friendly).

A finding in a PDF, Word or Excel original has no line a reader can open: it names the part file
(for a joined publication) and its place instead — `a.pdf:第8页: …`, `b.xlsx:工作表“表1” · 单元格 C20: …`."""

from __future__ import annotations

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import location, one_line


SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}, "en": {"error": "error", "warning": "warning", "info": "info"}}
UNREADABLE = {"zh": "无法读取", "en": "error"}


class ConciseWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.lang, self.quiet = options.lang, options.quiet
        self.total = 0

    def start(self) -> str:
        return ""

    def file(self, report: FileReport) -> str:
        self.total += len(report.findings)
        lang = self.lang
        if report.error:
            return f"{report.path}: {UNREADABLE[lang]}: {one_line(report.error)}\n"
        return "".join(
            f"{location(report.path, f, lang)}: {f.rule} {SEVERITY[lang][f.severity.value]} {one_line(f.message.get(lang))}\n"
            for f in report.findings
        )

    def finish(self) -> str:
        if self.quiet:
            return ""
        if self.lang == "en":
            return f"{self.total} finding{'' if self.total == 1 else 's'}\n"
        return f"{self.total} 个问题\n"

