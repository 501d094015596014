"""--format csv: one row per finding, for Excel (UTF-8 with a BOM so Excel reads the Chinese right).

Text cells that start with = + - @ are prefixed with ' so a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io

from audit.model import RunReport
from audit.report import ReportOptions
from audit.report.common import one_line, rule_name

COLUMNS = {
    "zh": ["文件", "行", "列", "规则", "名称", "级别", "问题", "对象", "填报", "应为", "差额", "建议", "指纹"],
    "en": ["path", "line", "column", "rule", "name", "severity", "message", "subject", "stated", "expected", "difference", "suggestion", "fingerprint"],
}


def _text(value: str | None) -> str:
    value = one_line(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def render(run: RunReport, options: ReportOptions) -> str:
    lang = options.lang
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(COLUMNS[lang])
    for file in run.files:
        if file.error:
            out.writerow([_text(file.path), "", "", "", "", "error", _text(file.error), "", "", "", "", "", ""])
            continue
        for f in file.findings:
            ev = f.evidence
            out.writerow(
                [
                    _text(file.path),
                    f.span.line,
                    f.span.column,
                    f.rule,
                    rule_name(run, f.rule),
                    f.severity.value,
                    _text(f.message.get(lang)),
                    _text(f.subject),
                    ev.stated if ev and ev.stated is not None else "",
                    ev.computed if ev and ev.computed is not None else "",
                    ev.difference if ev and ev.difference is not None else "",
                    _text(f.suggestion.get(lang) if f.suggestion else ""),
                    f.fingerprint,
                ]
            )
    return "\ufeff" + buffer.getvalue()
