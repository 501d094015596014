"""--format text: what an auditor reads in a terminal. Grouped by file; each finding shows the
source line with the span marked, the numbers behind it and the suggested fix; a summary at the end."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import EMPTY_CELL, counted, is_blank, line_range, rule_name
from audit.report.summary import Summary

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
WORDS = {
    "zh": {
        "suggest": "建议",
        "stated": "填报",
        "computed": "应为",
        "diagnosis": "判断",
        "unreadable": "无法读取",
        "summary": "汇总",
        "files": "文件",
        "findings": "问题",
        "facts": "已提取",
        "rule": "规则",
        "count": "数量",
        "passed": "通过",
        "failed": "未通过",
        "na": "不适用",
        "insufficient": "数据不足",
        "clean": "未发现问题",
        "read": "读取",
        "more": "同类问题另有 {n} 处",
        "lines": "行",
        "baseline": "基线中已有 {n} 处未显示",
        "waived": "已豁免 {n} 处",
        "name": "名称",
    },
    "en": {
        "suggest": "suggestion",
        "stated": "stated",
        "computed": "expected",
        "diagnosis": "diagnosis",
        "unreadable": "cannot read",
        "summary": "Summary",
        "files": "files",
        "findings": "findings",
        "facts": "extracted",
        "rule": "rule",
        "count": "count",
        "passed": "passed",
        "failed": "failed",
        "na": "n/a",
        "insufficient": "insufficient data",
        "clean": "no findings",
        "read": "read",
        "more": "{n} more like this",
        "lines": "lines",
        "baseline": "{n} already in the baseline, not shown",
        "waived": "{n} waived",
        "name": "name",
    },
}
WINDOW = 36  # characters of context either side of a span on long narrative lines
GROUP_MIN = 3  # this many identical findings in one table/project are shown once, with a count
MAX_LINES_LISTED = 12


def _excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line around [start, end) and return (text, new_start, new_end)."""
    line = line.replace("\t", " ")
    left = max(0, start - WINDOW)
    right = min(len(line), max(end, start + 1) + WINDOW)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    text = prefix + line[left:right] + suffix
    return text, start - left + len(prefix), min(end, right) - left + len(prefix)


def _source_lines(file: FileReport, finding: Finding, lang: str) -> list[RichText]:
    """The span's line with the span underlined and a caret below; an empty cell gets a visible marker."""
    span = finding.span
    sev = finding.severity.value
    if not 1 <= span.line <= len(file.lines):
        return []
    line = file.lines[span.line - 1]
    gutter = f"{span.line:>6} │ "
    if is_blank(line):
        text, s, e = EMPTY_CELL[lang], 0, len(EMPTY_CELL[lang])
    else:
        start, end = line_range(file, span)
        text, s, e = _excerpt(line, start, max(end, start + 1))
    source = RichText(gutter, style="dim")
    source.append(text[:s])
    source.append(text[s:e], style=f"{STYLE[sev]} underline")
    source.append(text[e:])
    caret = " " * (cell_len(gutter) + cell_len(text[:s])) + "^" * max(1, cell_len(text[s:e]))
    return [source, RichText(caret, style=STYLE[sev])]


def _finding(file: FileReport, finding: Finding, lang: str, others: list[Finding] = ()) -> RichText:
    """One finding as one block of lines; a file's blocks are printed at once (rich is slow per print call)."""
    words = WORDS[lang]
    sev = finding.severity.value
    span = finding.span
    head = RichText()
    head.append(f"{file.path}:{span.line}:{span.column}", style="bold")
    head.append("  ")
    head.append(f"{finding.rule} {LABEL[lang][sev]}", style=STYLE[sev])
    head.append("  ")
    head.append(finding.message.get(lang))
    lines = [head, *_source_lines(file, finding, lang)]
    ev = finding.evidence
    if ev is not None:
        parts = []
        if ev.stated is not None:
            parts.append(f"{words['stated']} {ev.stated}")
        if ev.computed is not None:
            parts.append(f"{words['computed']} {ev.computed}")
        if ev.difference is not None:
            parts.append(f"Δ {ev.difference}")
        if ev.tolerance is not None:
            parts.append(f"± {ev.tolerance}")
        if parts:
            lines.append(RichText("         " + "  ".join(parts), style="dim"))
        for term in ev.terms:
            where = f"L{term.line}" if term.line else ""
            sign = "−" if term.sign < 0 else " "
            lines.append(RichText(f"           {sign}{term.label} = {term.value}  {where}", style="dim"))
        if ev.diagnosis:
            lines.append(RichText(f"         {words['diagnosis']}: {ev.diagnosis_for(lang)}", style="magenta"))
    if finding.suggestion is not None:
        lines.append(RichText(f"         → {words['suggest']}: {finding.suggestion.get(lang)}", style="green"))
    if others:
        numbers = [str(f.span.line) for f in others]
        listed = ", ".join(numbers[:MAX_LINES_LISTED]) + (" …" if len(numbers) > MAX_LINES_LISTED else "")
        lines.append(RichText(f"         ＋ {words['more'].format(n=len(others))} ({words['lines']} {listed})", style=STYLE[sev]))
    lines.append(RichText(""))
    return RichText("\n").join(lines)


def group_findings(findings: list[Finding]) -> list[tuple[Finding, list[Finding]]]:
    """Identical findings (same rule, table/project and cell text) in one group, in file order.

    A group smaller than GROUP_MIN is split back into single findings, so a few stay readable one by one.
    """
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.subject or "", finding.snippet)
        groups.setdefault(key, []).append(finding)
    out: list[tuple[Finding, list[Finding]]] = []
    for finding in findings:
        members = groups[(finding.rule, finding.subject or "", finding.snippet)]
        if len(members) >= GROUP_MIN and finding.snippet:
            if members[0] is finding:
                out.append((finding, members[1:]))
        else:
            out.append((finding, []))
    return out


def _summary(console: Console, run: RunReport, summary: dict, lang: str) -> None:
    words = WORDS[lang]
    facts = summary["facts"]
    sev = summary["by_severity"]
    line = RichText(f"{words['summary']}: {counted(summary['files'], words['files'], lang)}, {counted(summary['findings'], words['findings'], lang)} (")
    line.append(f"{LABEL[lang]['error']} {sev['error']}", style=STYLE["error"])
    line.append(", ")
    line.append(f"{LABEL[lang]['warning']} {sev['warning']}", style=STYLE["warning"])
    line.append(", ")
    line.append(f"{LABEL[lang]['info']} {sev['info']}", style=STYLE["info"])
    line.append(")")
    suppressed = run.suppressed
    if suppressed.get("baseline"):
        line.append("; " + words["baseline"].format(n=suppressed["baseline"]), style="dim")
    if suppressed.get("waived"):
        line.append("; " + words["waived"].format(n=suppressed["waived"]), style="dim")
    console.print(line)
    for note in run.notes:
        console.print(RichText(f"! {note['message'][lang]}", style="yellow"))
    console.print(
        f"{words['facts']}: "
        + ", ".join(f"{k} {v}" for k, v in facts.items())
    )
    if not summary["checks"]:
        return
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column(words["rule"])
    table.add_column(words["name"])
    for title in (words["findings"], words["passed"], words["failed"], words["na"], words["insufficient"]):
        table.add_column(title, justify="right")
    by_rule = summary["by_rule"]
    for rule, tally in summary["checks"].items():
        table.add_row(
            rule,
            rule_name(run, rule),
            str(by_rule.get(rule, 0)),
            str(tally["passed"]),
            str(tally["failed"]),
            str(tally["not_applicable"]),
            str(tally["insufficient_data"]),
        )
    for rule, count in by_rule.items():
        if rule not in summary["checks"]:
            table.add_row(rule, rule_name(run, rule), str(count), "", "", "", "")
    console.print(table)


class TextWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.summary = Summary()
        self.buffer = io.StringIO()
        self.console = Console(
            file=self.buffer,
            force_terminal=options.color,
            color_system="standard" if options.color else None,
            width=options.width or 120,
            highlight=False,
            soft_wrap=True,  # a finding stays on one line in files and pipes (grep); terminals wrap it themselves
        )

    def _flush(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        self.summary.add(file)
        console, lang = self.console, self.lang
        words = WORDS[lang]
        if file.error:
            console.print(RichText(f"{file.path}: {words['unreadable']}: {file.error}", style="bold red"))
            console.print()
            return self._flush()
        facts = file.facts
        head = RichText(f"── {file.path}", style="bold")
        head.append(
            f"  ({file.encoding}; {words['read']}: "
            + ", ".join(f"{k} {v}" for k, v in facts.items() if v)
            + ")",
            style="dim",
        )
        console.print(head)
        if not file.findings:
            console.print(RichText(f"   {words['clean']}", style="green"))
        console.print()
        blocks = [_finding(file, finding, lang, others) for finding, others in group_findings(file.findings)]
        if blocks:
            console.print(RichText("\n").join(blocks))
        return self._flush()

    def finish(self) -> str:
        _summary(self.console, self.run, self.summary.as_dict(), self.lang)
        return self._flush()
