"""--format github: GitHub Actions workflow commands (`::error file=…,line=…::message`), errors first.

Every line is a workflow command, so the job log stays clean and each finding is an annotation on
the pull request. Data and property values are escaped as the runner expects.
"""

from __future__ import annotations

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import RANK, relative_path, rule_name

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
UNREADABLE = 4  # a file that cannot be read sorts before every finding


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


class GithubWriter:
    """Commands sorted by severity, then file order, line and column: each file's commands are
    sorted and kept (as text) in one list per severity, printed most severe first at the end."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.by_rank: dict[int, list[str]] = {rank: [] for rank in (UNREADABLE, *sorted(RANK.values(), reverse=True))}

    def start(self) -> str:
        return ""

    def file(self, report: FileReport) -> str:
        lang = self.options.lang
        path = relative_path(report.path, self.options.root)
        if report.error:
            self.by_rank[UNREADABLE].append(_command("error", f"cannot read: {report.error}", file=path, title="audit"))
            return ""
        entries = []
        for f in report.findings:
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
                title=f"{f.rule} {rule_name(self.run, f.rule)}",
            )
            entries.append((RANK[f.severity.value], span.line, span.column, command))
        entries.sort(key=lambda e: (-e[0], e[1], e[2]))
        for rank, _, _, command in entries:
            self.by_rank[rank].append(command)
        return ""

    def finish(self) -> str:
        lines = [command for commands in self.by_rank.values() for command in commands]
        lines += [_command("warning", note["message"][self.options.lang], title="audit waivers") for note in self.run.notes]
        return "".join(line + "\n" for line in lines)
