"""--format github: GitHub Actions workflow commands (`::error file=…,line=…::message`), errors first.

Every line is a workflow command, so the job log stays clean and each finding is an annotation on
the pull request. Data and property values are escaped as the runner expects.
"""

from __future__ import annotations

from audit.model import RunReport
from audit.report import ReportOptions
from audit.report.common import RANK, relative_path, rule_name

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def render(run: RunReport, options: ReportOptions) -> str:
    lang = options.lang
    entries = []
    for order, file in enumerate(run.files):
        path = relative_path(file.path, options.root)
        if file.error:
            entries.append((4, order, 0, 0, _command("error", f"cannot read: {file.error}", file=path, title="audit")))
            continue
        for f in file.findings:
            message = f.message.get(lang)
            if f.suggestion is not None:
                message += ("\n建议：" if lang == "zh" else "\nSuggestion: ") + f.suggestion.get(lang)
            span = f.span
            same_line = (span.end_line or span.line) == span.line
            command = _command(
                COMMAND[f.severity.value],
                message,
                file=path,
                line=span.line,
                endLine=span.end_line or span.line,
                col=span.column if same_line else None,
                endColumn=span.end_column if same_line and span.end_column else None,
                title=f"{f.rule} {rule_name(run, f.rule)}",
            )
            entries.append((RANK[f.severity.value], order, span.line, span.column, command))
    entries.sort(key=lambda e: (-e[0], e[1], e[2], e[3]))
    lines = [e[4] for e in entries]
    lines += [_command("warning", note["message"][lang], title="audit waivers") for note in run.notes]
    return "".join(line + "\n" for line in lines)
