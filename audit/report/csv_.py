"""--format csv: one row per finding, for Excel (UTF-8 with a BOM so Excel reads the Chinese right).

Text cells that start with = + - @ are prefixed with ' so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import one_line, place_text, rule_name

COLUMNS = {
    "zh": ["文件", "行", "列", "规则", "名称", "级别", "问题", "对象", "填报", "应为", "差额", "建议", "指纹", "页", "位置"],
    "en": ["path", "line", "column", "rule", "name", "severity", "message", "subject", "stated", "expected", "difference", "suggestion", "fingerprint", "page", "place"],
}


def _text(value: str | None) -> str:
    value = one_line(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class CsvWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.buffer = io.StringIO()
        self.out = csv.writer(self.buffer, lineterminator="\r\n")

    def _flush(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    def start(self) -> str:
        self.out.writerow(COLUMNS[self.lang])
        return "\ufeff" + self._flush()

    def file(self, report: FileReport) -> str:
        lang, out = self.lang, self.out
        if report.error:
            out.writerow([_text(report.path), "", "", "", "", "error", _text(report.error), "", "", "", "", "", "", "", ""])
            return self._flush()
        for f in report.findings:
            ev = f.evidence
            out.writerow(
                [
                    _text(report.path),
                    f.span.line,
                    f.span.column,
                    f.rule,
                    rule_name(self.run, f.rule),
                    f.severity.value,
                    _text(f.message.get(lang)),
                    _text(f.subject),
                    ev.stated if ev and ev.stated is not None else "",
                    ev.computed if ev and ev.computed is not None else "",
                    ev.difference if ev and ev.difference is not None else "",
                    _text(f.suggestion.get(lang) if f.suggestion else ""),
                    f.fingerprint,
                    f.place.page if f.place is not None and f.place.page is not None else "",
                    _text(place_text(f, report.path, lang)),
                ]
            )
        return self._flush()

    def finish(self) -> str:
        return ""
