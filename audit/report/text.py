"""--format text: what an auditor reads in a terminal. Grouped by file; each finding shows the
source line with the span marked, the numbers behind it and the suggested fix; a summary at the end.

The report is laid out once, as lines of (text, style) pieces, and printed two ways: with colour
through rich, and without colour (files, pipes, CI logs) as the same characters joined directly,
which saves importing and running rich's console (most of a small run's start-up). Anything the
plain printer does not reproduce exactly as rich would (a TAB, a table wider than the page) goes
through rich as well.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import EMPTY_CELL, counted, is_blank, line_range, place_text, rule_name
from audit.report.summary import Summary
from audit.terminal import printable

Piece = tuple[str, "str | None"]  # text and its style
Line = tuple["str | None", list[Piece]]  # a style for the whole line, and its pieces

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


def _source_lines(file: FileReport, finding: Finding, lang: str) -> list[Line]:
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
    source = ("dim", [(gutter, None), (text[:s], None), (text[s:e], f"{STYLE[sev]} underline"), (text[e:], None)])
    caret = " " * (cell_len(gutter) + cell_len(text[:s])) + "^" * max(1, cell_len(text[s:e]))
    return [source, (STYLE[sev], [(caret, None)])]


def _finding(file: FileReport, finding: Finding, lang: str, others: list[Finding] = ()) -> list[Line]:
    """One finding as one block of lines (its last line empty)."""
    words = WORDS[lang]
    sev = finding.severity.value
    span = finding.span
    head = (
        None,
        [
            (f"{printable(file.path)}:{span.line}:{span.column}", "bold"),
            ("  ", None),
            (f"{finding.rule} {LABEL[lang][sev]}", STYLE[sev]),
            ("  ", None),
            (finding.message.get(lang), None),
        ],
    )
    lines = [head, *_source_lines(file, finding, lang)]
    place = place_text(finding, file.path, lang)
    if place:  # a PDF, Word or Excel original: page, table, row, column
        lines.insert(1, (None, [("  @ " + place, None)]))
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
            lines.append(_styled("         " + "  ".join(parts), "dim"))
        for term in ev.terms:
            where = f"L{term.line}" if term.line else ""
            sign = "−" if term.sign < 0 else " "
            lines.append(_styled(f"           {sign}{term.label} = {term.value}  {where}", "dim"))
        if ev.diagnosis:
            lines.append(_styled(f"         {words['diagnosis']}: {ev.diagnosis_for(lang)}", "magenta"))
    if finding.suggestion is not None:
        lines.append(_styled(f"         → {words['suggest']}: {finding.suggestion.get(lang)}", "green"))
    if others:
        numbers = [str(f.span.line) for f in others]
        listed = ", ".join(numbers[:MAX_LINES_LISTED]) + (" …" if len(numbers) > MAX_LINES_LISTED else "")
        lines.append(_styled(f"         ＋ {words['more'].format(n=len(others))} ({words['lines']} {listed})", STYLE[sev]))
    lines.append(_styled("", None))
    return lines


def _styled(text: str, style: str | None) -> Line:
    return (style, [(text, None)])


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


def _file_prints(file: FileReport, lang: str) -> list[tuple[str, list]]:
    """A file's section as the console prints it: ("lines", lines) or ("blocks", finding blocks),
    one print call each (the findings are one print: rich is slow per print call)."""
    words = WORDS[lang]
    blank = ("lines", [_styled("", None)])
    if file.error:
        return [("lines", [_styled(f"{printable(file.path)}: {words['unreadable']}: {printable(file.error)}", "bold red")]), blank]
    read = ", ".join(f"{k} {v}" for k, v in file.facts.items() if v)
    prints = [("lines", [("bold", [(f"── {printable(file.path)}", None), (f"  ({file.encoding}; {words['read']}: {read})", "dim")])])]
    if not file.findings:
        prints.append(("lines", [_styled(f"   {words['clean']}", "green")]))
    prints.append(blank)
    blocks = [_finding(file, finding, lang, others) for finding, others in group_findings(file.findings)]
    if blocks:
        prints.append(("blocks", blocks))
    return prints


def _summary_prints(run: RunReport, summary: dict, lang: str) -> tuple[list, str, list[list[str]] | None]:
    """The summary: lines to print, the facts line (printed as markup text, as it always was), and
    the per-rule table as rows (header first), or None when no rule ran."""
    words = WORDS[lang]
    facts = summary["facts"]
    sev = summary["by_severity"]
    pieces = [
        (f"{words['summary']}: {counted(summary['files'], words['files'], lang)}, {counted(summary['findings'], words['findings'], lang)} (", None),
        (f"{LABEL[lang]['error']} {sev['error']}", STYLE["error"]),
        (", ", None),
        (f"{LABEL[lang]['warning']} {sev['warning']}", STYLE["warning"]),
        (", ", None),
        (f"{LABEL[lang]['info']} {sev['info']}", STYLE["info"]),
        (")", None),
    ]
    suppressed = run.suppressed
    if suppressed.get("baseline"):
        pieces.append(("; " + words["baseline"].format(n=suppressed["baseline"]), "dim"))
    if suppressed.get("waived"):
        pieces.append(("; " + words["waived"].format(n=suppressed["waived"]), "dim"))
    lines = [(None, pieces)] + [_styled(f"! {note['message'][lang]}", "yellow") for note in run.notes]
    facts_line = f"{words['facts']}: " + ", ".join(f"{k} {v}" for k, v in facts.items())
    if not summary["checks"]:
        return lines, facts_line, None
    rows = [[words["rule"], words["name"], words["findings"], words["passed"], words["failed"], words["na"], words["insufficient"]]]
    by_rule = summary["by_rule"]
    for rule, tally in summary["checks"].items():
        rows.append(
            [
                rule,
                rule_name(run, rule),
                str(by_rule.get(rule, 0)),
                str(tally["passed"]),
                str(tally["failed"]),
                str(tally["not_applicable"]),
                str(tally["insufficient_data"]),
            ]
        )
    for rule, count in by_rule.items():
        if rule not in summary["checks"]:
            rows.append([rule, rule_name(run, rule), str(count), "", "", "", ""])
    return lines, facts_line, rows


RIGHT_FROM = 2  # table columns from this one on are numbers, right-aligned
_CONTROL = re.compile("[\x07\x08\x0b\x0c\x0d]")  # what rich strips from text: bell, backspace, VT, FF, CR


class PlainPrinter:
    """The bytes rich's console prints without colour, for the lines this report is made of
    (soft wrap: no wrapping, no cropping). Returns None where it would differ from rich."""

    def __init__(self, width: int):
        self.width = width

    def lines(self, lines: list[Line]) -> str | None:
        text = _CONTROL.sub("", "\n".join("".join(piece for piece, _ in pieces) for _, pieces in lines))
        return None if "\t" in text else text + "\n"

    def blocks(self, blocks: list[list[Line]]) -> str | None:
        return self.lines([line for block in blocks for line in block])

    def markup(self, text: str) -> str | None:
        """A plain str print: rich reads [markup] and :emoji: codes in it."""
        return None if "[" in text or text.count(":") > 1 or "\t" in text else _CONTROL.sub("", text) + "\n"

    def table(self, rows: list[list[str]]) -> str | None:
        """rich's Table(box=None, show_edge=False, pad_edge=False): columns as wide as their widest
        cell, one space of padding inside each column edge but the outer two, numbers right-aligned."""
        count = len(rows[0])
        cells = [[_CONTROL.sub("", cell) for cell in row] for row in rows]
        if any("\t" in cell or "\n" in cell or "[" in cell or cell != cell.strip(" ") for row in cells for cell in row):
            return None  # rich reads [..] as markup, trims edge spaces its own way; summary cells have neither
        widths = [max(cell_len(row[c]) for row in cells) for c in range(count)]
        padded = [w + (c > 0) + (c < count - 1) for c, w in enumerate(widths)]
        if sum(padded) > self.width:
            return None
        out = []
        for row in cells:
            parts = []
            for c, cell in enumerate(row):
                gap = " " * (widths[c] - cell_len(cell))
                text = gap + cell if c >= RIGHT_FROM else cell + gap
                parts.append((" " if c > 0 else "") + text + (" " if c < count - 1 else ""))
            out.append("".join(parts))
        return "\n".join(out) + "\n"


class RichPrinter:
    """The same lines through rich's console (with colour, or where plain printing would differ)."""

    def __init__(self, options: ReportOptions, width: int):
        import io

        from rich.console import Console

        self.buffer = io.StringIO()
        self.console = Console(
            file=self.buffer,
            force_terminal=options.color,
            color_system="standard" if options.color else None,
            width=width,
            highlight=False,
            soft_wrap=True,  # a finding stays on one line in files and pipes (grep); terminals wrap it themselves
        )

    def _flush(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    @staticmethod
    def _text(lines: list[Line]):
        from rich.text import Text

        out = []
        for style, pieces in lines:
            text = Text(style=style or "")
            for piece, piece_style in pieces:
                text.append(piece, style=piece_style)
            out.append(text)
        return Text("\n").join(out)

    def lines(self, lines: list[Line]) -> str:
        self.console.print(self._text(lines))
        return self._flush()

    def blocks(self, blocks: list[list[Line]]) -> str:
        from rich.text import Text

        self.console.print(Text("\n").join([self._text(block) for block in blocks]))
        return self._flush()

    def markup(self, text: str) -> str:
        self.console.print(text)
        return self._flush()

    def table(self, rows: list[list[str]]) -> str:
        from rich.table import Table

        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for c, title in enumerate(rows[0]):
            if c >= RIGHT_FROM:
                table.add_column(title, justify="right")
            else:
                table.add_column(title)
        for row in rows[1:]:
            table.add_row(*row)
        self.console.print(table)
        return self._flush()


class TextWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options, self.lang = run, options, options.lang
        self.summary = Summary()
        self.width = options.width or 120
        self.plain = None if options.color else PlainPrinter(self.width)
        self._rich: RichPrinter | None = None

    @property
    def rich(self) -> RichPrinter:
        if self._rich is None:
            self._rich = RichPrinter(self.options, self.width)
        return self._rich

    def _print(self, kind: str, value) -> str:
        """`kind`: lines, blocks, markup or table (the printers' methods)."""
        if self.plain is not None:
            text = getattr(self.plain, kind)(value)
            if text is not None:
                return text
        return getattr(self.rich, kind)(value)

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        self.summary.add(file)
        return "".join(self._print(kind, value) for kind, value in _file_prints(file, self.lang))

    def finish(self) -> str:
        lines, facts_line, rows = _summary_prints(self.run, self.summary.as_dict(), self.lang)
        out = [self._print("lines", [line]) for line in lines]
        out.append(self._print("markup", facts_line))
        if rows is not None:
            out.append(self._print("table", rows))
        return "".join(out)
