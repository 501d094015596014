"""--format concise: one line per finding, `path:line:column: RULE severity message` (grep- and editor-friendly)."""

from __future__ import annotations

from audit.model import RunReport
from audit.report import ReportOptions
from audit.report.common import one_line


def render(run: RunReport, options: ReportOptions) -> str:
    lang = options.lang
    out = []
    for file in run.files:
        if file.error:
            out.append(f"{file.path}: error: {one_line(file.error)}")
            continue
        for f in file.findings:
            out.append(f"{file.path}:{f.span.line}:{f.span.column}: {f.rule} {f.severity.value} {one_line(f.message.get(lang))}")
    total = sum(len(f.findings) for f in run.files)
    word = {"zh": "个问题", "en": " findings"}[lang]
    out.append(f"{total}{word}")
    return "\n".join(out) + "\n"
