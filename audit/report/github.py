"""--format github: GitHub Actions workflow commands (`::error file=…,line=…::message`), errors first.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job), in the
order they are printed. So the most important findings are annotated — errors first, then
warnings, then notices — up to those limits; every other finding is printed as a plain log line
inside a folded group, and one notice says how many were not annotated. When the runner provides
`$GITHUB_STEP_SUMMARY`, a job summary (Markdown) with the counts per document is appended to it.
Data and property values are escaped as the runner expects.
"""

from __future__ import annotations

import os
import tempfile

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import RANK, SEVERITIES, relative_path, rule_name

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
UNREADABLE = 4  # a file that cannot be read sorts before every finding
PER_KIND = 10  # annotations of one kind GitHub shows per step
SUMMARY_ROWS = 500  # documents listed in the job summary (its cap is 1 MiB per step)
WORDS = {
    "zh": {
        "more": "另有 {n} 个问题未作为注释显示（GitHub 每步每类最多显示 10 条），见日志中的“{group}”",
        "group": "其余问题",
        "title": "预算公开一致性审核",
        "document": "文件",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "unreadable": "无法读取",
        "totals": "{files} 个文件，{findings} 个问题",
        "top": "（按错误数列出前 {n} 个文件）",
    },
    "en": {
        "more": "{n} more findings are not annotated (GitHub shows 10 of each kind per step): see \"{group}\" in the log",
        "group": "more findings",
        "title": "Budget disclosure consistency audit",
        "document": "document",
        "error": "errors",
        "warning": "warnings",
        "info": "info",
        "unreadable": "cannot read",
        "totals": "{files} documents, {findings} findings",
        "top": "(the first {n} documents by errors)",
    },
}
LEVEL_OF_RANK = {UNREADABLE: "error", **{rank: COMMAND[level] for level, rank in RANK.items()}}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **properties) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


class GithubWriter:
    """Findings sorted by severity, then file order, line and column. The first PER_KIND of each
    kind are kept as annotations; the rest go to a spool file as plain log lines (constant memory
    however large the run), printed after the annotations."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.by_rank: dict[int, list[str]] = {rank: [] for rank in (UNREADABLE, *sorted(RANK.values(), reverse=True))}
        self.overflow: dict[int, tempfile.SpooledTemporaryFile] = {}
        self.overflow_count = 0
        self.documents: list[tuple[int, int, int, int, str]] = []  # (errors, warnings, infos, unreadable, path)
        self.totals = {"files": 0, "findings": 0}

    def start(self) -> str:
        return ""

    def _annotate(self, rank: int, command: str, plain: str) -> None:
        level = LEVEL_OF_RANK[rank]
        kept = sum(len(c) for r, c in self.by_rank.items() if LEVEL_OF_RANK[r] == level)
        if kept < PER_KIND - (level == "notice"):  # one notice is kept for the overflow count
            self.by_rank[rank].append(command)
            return
        spool = self.overflow.get(rank)
        if spool is None:
            spool = self.overflow[rank] = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8")
        spool.write(plain + "\n")
        self.overflow_count += 1

    def file(self, report: FileReport) -> str:
        lang = self.options.lang
        path = relative_path(report.path, self.options.root)
        self.totals["files"] += 1
        if report.error:
            self._annotate(UNREADABLE, _command("error", f"cannot read: {report.error}", file=path, title="audit"),
                           _plain(f"{path}: cannot read: {report.error}"))
            self._count(path, report, unreadable=1)
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
            plain = _plain(f"{path}:{span.line}:{span.column}: {f.rule} {f.severity.value} {f.message.get(lang)}")
            entries.append((RANK[f.severity.value], span.line, span.column, command, plain))
        entries.sort(key=lambda e: (-e[0], e[1], e[2]))
        for rank, _, _, command, plain in entries:
            self._annotate(rank, command, plain)
        self._count(path, report)
        return ""

    def _count(self, path: str, report: FileReport, unreadable: int = 0) -> None:
        by = dict.fromkeys(SEVERITIES, 0)
        for f in report.findings:
            by[f.severity.value] += 1
        self.totals["findings"] += len(report.findings)
        row = (by["error"], by["warning"], by["info"], unreadable, path)
        self.documents.append(row)
        if len(self.documents) > 4 * SUMMARY_ROWS:  # keep the most severe documents only
            self.documents.sort(key=_severest)
            del self.documents[SUMMARY_ROWS:]

    def finish(self) -> str:
        lang = self.options.lang
        w = WORDS[lang]
        lines = [command for commands in self.by_rank.values() for command in commands]
        lines += [_command("warning", note["message"][lang], title="audit waivers") for note in self.run.notes]
        out = "".join(line + "\n" for line in lines)
        if self.overflow_count:
            group = f"{w['group']} ({self.overflow_count})"
            parts = [_command("notice", w["more"].format(n=self.overflow_count, group=group), title="audit"), f"::group::{group}"]
            out += "".join(line + "\n" for line in parts)
            for rank in sorted(self.overflow, reverse=True):
                spool = self.overflow[rank]
                spool.seek(0)
                out += spool.read()
                spool.close()
            out += "::endgroup::\n"
        self._write_summary(w)
        return out

    def _write_summary(self, w: dict) -> None:
        """Append the per-document counts to the job summary, when the runner asks for one."""
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if not target:
            return
        rows = sorted(self.documents, key=_severest)
        lines = [f"### {w['title']}", "", w["totals"].format(**self.totals), ""]
        lines += [f"| {w['document']} | {w['error']} | {w['warning']} | {w['info']} |", "| --- | ---: | ---: | ---: |"]
        for errors, warnings, infos, unreadable, path in rows[:SUMMARY_ROWS]:
            name = path.replace("|", "\\|")
            if unreadable:
                lines.append(f"| {name} | {w['unreadable']} | | |")
            else:
                lines.append(f"| {name} | {errors} | {warnings} | {infos} |")
        if len(rows) > SUMMARY_ROWS or self.totals["files"] > len(rows):
            lines += ["", w["top"].format(n=SUMMARY_ROWS)]
        try:
            with open(target, "a", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n\n")
        except OSError:
            pass  # a summary the runner cannot take is not worth failing the report for


def _severest(row: tuple[int, int, int, int, str]) -> tuple:
    errors, warnings, infos, unreadable, _ = row
    return (-unreadable, -errors, -warnings, -infos)


def _plain(text: str) -> str:
    """A log line that the runner never reads as a workflow command (no leading `::`), on one line."""
    text = " ".join(text.split())
    return " " + text if text.startswith("::") else text
