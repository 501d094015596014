"""Small helpers every format shares: relative paths, severity order, the lines a span covers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from audit.model import FileReport, Finding, RunReport, Span

SEVERITIES = ("error", "warning", "info")
RANK = {"error": 3, "warning": 2, "info": 1}
EMPTY_CELL = {"zh": "（空单元格）", "en": "(empty cell)"}


def relative_path(path: str, root: str | None = None) -> str:
    """`path` relative to `root` (default: the cwd) in POSIX form when it lies inside it, else absolute."""
    base = Path(root or os.getcwd()).resolve()
    try:
        full = Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path).as_posix()
    try:
        return full.relative_to(base).as_posix()
    except ValueError:
        return full.as_posix()


def end_line(span: Span) -> int:
    return span.end_line or span.line


def line_range(file: FileReport, span: Span) -> tuple[int, int]:
    """Start and end column (0-based, end exclusive) of the span on its first line."""
    line = file.lines[span.line - 1] if 1 <= span.line <= len(file.lines) else ""
    start = max(0, span.column - 1)
    if end_line(span) == span.line and span.end_column:
        end = span.end_column - 1
    else:
        end = len(line)
    return start, max(end, start)


def is_blank(text: str) -> bool:
    """A TAB-only (or empty) line: in cell-per-line tables, an empty cell."""
    return not text.strip()


def each_finding(run: RunReport) -> Iterator[tuple[FileReport, Finding]]:
    for file in run.files:
        for finding in file.findings:
            yield file, finding


def rule_of(run: RunReport, rule_id: str):
    return run.rules.get(rule_id)


def rule_name(run: RunReport, rule_id: str) -> str:
    rule = rule_of(run, rule_id)
    return rule.name if rule is not None else rule_id


def rule_title(run: RunReport, rule_id: str, lang: str) -> str:
    rule = rule_of(run, rule_id)
    return rule.title.get(lang) if rule is not None else ""


def evidence_line(finding: Finding, lang: str) -> str:
    """The evidence numbers on one line: stated, expected, difference, tolerance."""
    ev = finding.evidence
    if ev is None:
        return ""
    words = {"zh": ("填报", "应为", "差额", "容差"), "en": ("stated", "expected", "difference", "tolerance")}[lang]
    parts = []
    for word, value in zip(words, (ev.stated, ev.computed, ev.difference, ev.tolerance)):
        if value is not None:
            parts.append(f"{word} {value}")
    return ", ".join(parts)


def one_line(text: str) -> str:
    return " ".join(text.split())


def counted(n: int, word: str, lang: str) -> str:
    """"3 files", "1 file"; Chinese has no plural ("3 文件")."""
    if lang == "en" and n == 1 and word.endswith("s"):
        word = word[:-1]
    return f"{n} {word}"
