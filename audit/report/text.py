"""--format text: what an auditor reads in a terminal. Grouped by file; each finding shows the
source line with the span marked, the numbers behind it and the suggested fix; a summary at the end.

The report is laid out once, as lines of (text, style) pieces, and printed two ways: with colour
through rich, and without colour (files, pipes, CI logs) as the same characters joined directly,
which saves importing and running rich's console (most of a small run's start-up). Anything the
plain printer does not reproduce exactly as rich would (a TAB, a table wider than the page) goes
through rich as well. The wrapping and the two printers live in audit/report/text_print.py; this
module lays the report out.
"""

from __future__ import annotations

from rich.cells import cell_len

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import (EMPTY_CELL, facts_text, group_findings, is_blank, line_range, localized, location,
                                 page_label, place_text, rule_name)
from audit.report.summary import Summary
from audit.report.text_print import Line, PlainPrinter, RichPrinter, fit
from audit.terminal import printable


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
        "note": "注",
        "more": "同类问题另有 {n} 处",
        "lines": "行",
        "baseline": "基线中已有 {n} 处未显示",
        "waived": "已豁免 {n} 处",
        "name": "名称",
        "unreadable_files": "无法读取的文件 {n} 个：{listed}",
        "errors_at": "错误 {n} 处：{listed}",
        "unrecognised": "{n} 个文件未识别出预算内容",
        "line_ref": "第{n}行",
        "places": "{path} 第{lines}行",
        "pages": "{path} {lines}",
        "and": "、",
        "files_sep": "；",
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
        "note": "note",
        "more": "{n} more like this",
        "lines": "lines",
        "baseline": "{n} already in the baseline, not shown",
        "waived": "{n} waived",
        "name": "name",
        "unreadable_files": "unreadable files ({n}): {listed}",
        "errors_at": "errors ({n}): {listed}",
        "unrecognised": "nothing budget-like recognised in {n} files",
        "line_ref": "L{n}",
        "places": "{path} lines {lines}",
        "pages": "{path} {lines}",
        "and": ", ",
        "files_sep": "; ",
    },
}
WINDOW = 36  # characters of context either side of a span on long narrative lines (no width given)
MIN_ROOM = 20  # cells an excerpt gets however narrow the terminal
MAX_LINES_LISTED = 12


def _excerpt(line: str, start: int, end: int, room: int | None = None) -> tuple[str, int, int]:
    """Cut a long line around [start, end) and return (text, new_start, new_end): WINDOW characters
    either side, or, given `room` (terminal cells), as much context as fits in it, the span first."""
    line = line.replace("\t", " ")
    if room is None:
        left = max(0, start - WINDOW)
        right = min(len(line), max(end, start + 1) + WINDOW)
    else:
        left, right = _window(line, start, max(end, start + 1), room)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    text = prefix + line[left:right] + suffix
    return text, start - left + len(prefix), min(end, right) - left + len(prefix)


def _window(line: str, start: int, end: int, room: int) -> tuple[int, int]:
    """The widest [left, right) around [start, end) whose cells, with an ellipsis at each cut end,
    fit in `room`; context is added a character at a time on each side in turn. A span wider than
    the room keeps its beginning (the caret marks what shows)."""
    if cell_len(line) <= room:
        return 0, len(line)
    end = min(end, len(line))
    used = 2  # the two ellipses, at most
    right = start
    while right < end and used + cell_len(line[right]) <= room:
        used += cell_len(line[right])
        right += 1
    left = start
    if right < end:  # the span alone fills the room
        return left, max(right, min(start + 1, len(line)))
    grew = True
    while grew:
        grew = False
        if left > 0 and used + cell_len(line[left - 1]) <= room:
            left -= 1
            used += cell_len(line[left])
            grew = True
        if right < len(line) and used + cell_len(line[right]) <= room:
            used += cell_len(line[right])
            right += 1
            grew = True
    return left, right


def _source_lines(file: FileReport, finding: Finding, lang: str, width: int | None = None) -> list[Line]:
    """The span's line with the span underlined and a caret below; an empty cell gets a visible marker.
    Cut (never wrapped) to `width` cells, so the caret stays under its span."""
    span = finding.span
    sev = finding.severity.value
    if not 1 <= span.line <= len(file.lines):
        return []
    line = file.lines[span.line - 1]
    page = finding.place.page if finding.place is not None else None
    label = str(span.line) if page is None else page_label(page, lang)  # a PDF's rendered line means nothing to its reader
    gutter = f"{label:>6} │ "
    if is_blank(line):
        text, s, e = EMPTY_CELL[lang], 0, len(EMPTY_CELL[lang])
    else:
        start, end = line_range(file, span)
        room = None if width is None else max(MIN_ROOM, width - cell_len(gutter))
        text, s, e = _excerpt(line, start, max(end, start + 1), room)
    source = ("dim", [(gutter, None), (text[:s], None), (text[s:e], f"{STYLE[sev]} underline"), (text[e:], None)])
    caret = " " * (cell_len(gutter) + cell_len(text[:s])) + "^" * max(1, cell_len(text[s:e]))
    return [source, (STYLE[sev], [(caret, None)])]


def _where_others(others: list[Finding], words: dict, lang: str) -> str:
    """Where the grouped findings are: their pages in a PDF original (its rendered line numbers mean
    nothing to a reader), else their lines."""
    pages = sorted({f.place.page for f in others if f.place is not None and f.place.page is not None})
    if pages and all(f.place is not None and f.place.page is not None for f in others):
        shown = [str(page) for page in pages[:MAX_LINES_LISTED]] + (["…"] if len(pages) > MAX_LINES_LISTED else [])
        return f"第{'、'.join(shown)}页" if lang == "zh" else f"page{'s' if len(pages) > 1 else ''} {', '.join(shown)}"
    numbers = [str(f.span.line) for f in others]
    listed = ", ".join(numbers[:MAX_LINES_LISTED]) + (" …" if len(numbers) > MAX_LINES_LISTED else "")
    return f"{words['lines']} {listed}"


def _finding(file: FileReport, finding: Finding, lang: str, others: list[Finding] = (), width: int | None = None) -> list[Line]:
    """One finding as one block of lines (its last line empty), laid out at `width` cells."""
    words = WORDS[lang]
    sev = finding.severity.value
    head = (
        None,
        [
            (printable(location(file.path, finding, lang)), "bold"),
            ("  ", None),
            (f"{finding.rule} {LABEL[lang][sev]}", STYLE[sev]),
            ("  ", None),
            (finding.message.get(lang), None),
        ],
    )
    lines = [head, *_source_lines(file, finding, lang, width)]
    where = finding.place
    place = place_text(finding, file.path, lang) if where is not None and (where.table or where.row or where.column) else ""
    if place:  # a table cell of a PDF, Word or Excel original: its page, table, row and column
        lines.insert(1, (None, [("  @ " + place, None)]))
    ev = finding.evidence
    if ev is not None:
        parts = []
        if ev.stated is not None:
            parts.append(f"{words['stated']} {localized(ev.stated, lang)}")
        if ev.computed is not None:
            parts.append(f"{words['computed']} {localized(ev.computed, lang)}")
        if ev.difference is not None:
            parts.append(f"Δ {ev.difference}")
        if ev.tolerance is not None:
            parts.append(f"± {ev.tolerance}")
        if parts:
            lines.append(_styled("         " + "  ".join(parts), "dim"))
        for term in ev.terms:
            where = page_label(term.page, lang) if term.page else words["line_ref"].format(n=term.line) if term.line else ""
            sign = "−" if term.sign < 0 else " "
            lines.append(_styled(f"           {sign}{localized(term.label, lang)} = {localized(term.value, lang)}  {where}", "dim"))
        if ev.diagnosis:
            lines.append(_styled(f"         {words['diagnosis']}: {ev.diagnosis_for(lang)}", "magenta"))
    if finding.suggestion is not None:
        lines.append(_styled(f"         → {words['suggest']}: {finding.suggestion.get(lang)}", "green"))
    if others:
        lines.append(_styled(f"         ＋ {words['more'].format(n=len(others))} ({_where_others(others, words, lang)})", STYLE[sev]))
    lines.append(_styled("", None))
    return fit(lines, width)


def _styled(text: str, style: str | None) -> Line:
    return (style, [(text, None)])




def _file_prints(file: FileReport, lang: str, width: int | None = None, quiet: bool = False) -> list[tuple[str, list]]:
    """A file's section as the console prints it: ("lines", lines) or ("blocks", finding blocks),
    one print call each (the findings are one print: rich is slow per print call). `quiet`: the
    findings (and unreadable files) alone, no file heading."""
    words = WORDS[lang]
    blank = ("lines", [_styled("", None)])
    if file.error:
        return [("lines", fit([_styled(f"{printable(file.path)}: {words['unreadable']}: {printable(file.error)}", "bold red")], width)), blank]
    prints = []
    if not quiet:
        heading = ("bold", [(f"── {printable(file.path)}", None), (f"  ({file.encoding}; {words['read']}: {facts_text(file.facts, lang, True) or '—'})", "dim")])
        prints.append(("lines", fit([heading], width)))
        if file.notes:  # what the reader left unread on purpose, before the findings
            prints.append(("lines", fit([_styled(f"   {words['note']}: {note.text(lang)}", "dim") for note in file.notes], width)))
        if not file.findings:
            prints.append(("lines", [_styled(f"   {words['clean']}", "green")]))
        prints.append(blank)
    blocks = [_finding(file, finding, lang, others, width) for finding, others in group_findings(file.findings)]
    if blocks:
        prints.append(("blocks", blocks))
    return prints


def _summary_prints(run: RunReport, summary: dict, lang: str, statistics: bool = False) -> tuple[list, str | None, list[list[str]] | None]:
    """The summary: lines to print (counts; the unreadable files and where the errors are, so a long
    report's worst news is at its end, where a terminal leaves the eye), and with `statistics` the
    facts line and the per-rule table as rows (header first; None when no rule ran)."""
    words = WORDS[lang]
    sev = summary["by_severity"]
    pieces = [
        (f"{words['summary']}: {_count(summary['files'], 'files', lang)}, {_count(summary['findings'], 'findings', lang)} (", None),
        (f"{LABEL[lang]['error']} {sev['error']}", STYLE["error"]),
        (", ", None),
        (f"{LABEL[lang]['warning']} {sev['warning']}", STYLE["warning"]),
        (", ", None),
        (f"{LABEL[lang]['info']} {sev['info']}", STYLE["info"]),
        (")", None),
    ]
    read = {k: summary["facts"].get(k, 0) for k in ("pages", "tables", "identities") if summary["facts"].get(k)}
    if read:  # what was read and checked: "no findings" is never "nothing read"
        pieces.append(("; " + words["read"] + " " + facts_text(read, lang), "dim"))
    if summary.get("unrecognised"):
        pieces.append(("; " + words["unrecognised"].format(n=summary["unrecognised"]), "bold yellow"))
    suppressed = run.suppressed
    if suppressed.get("baseline"):
        pieces.append(("; " + words["baseline"].format(n=suppressed["baseline"]), "dim"))
    if suppressed.get("waived"):
        pieces.append(("; " + words["waived"].format(n=suppressed["waived"]), "dim"))
    lines = [(None, pieces)]
    if summary["unreadable"]:
        listed = _listed([printable(path) for path in summary["unreadable"]], summary["files_with_errors"])
        lines.append(_styled(words["unreadable_files"].format(n=summary["files_with_errors"], listed=listed), "bold red"))
    if sev["error"]:
        by_file: dict[str, list[str]] = {}
        for path, line, page in summary["error_places"]:
            by_file.setdefault(path, []).append(str(line) if page is None else page_label(page, lang))
        places = [
            words["places" if all(w.isdigit() for w in lines) else "pages"].format(path=printable(path), lines=words["and"].join(lines))
            for path, lines in by_file.items()
        ]
        listed = words["files_sep"].join(places) + (" …" if sev["error"] > len(summary["error_places"]) else "")
        lines.append(_styled(words["errors_at"].format(n=sev["error"], listed=listed), STYLE["error"]))
    lines += [_styled(f"! {note['message'][lang]}", "yellow") for note in run.notes]
    if not statistics:
        return lines, None, None
    facts_line = f"{words['facts']}: " + facts_text(summary["facts"], lang, False)
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


COUNTED = {"zh": {"files": "{n} 个文件", "findings": "{n} 个问题"}, "en": {"files": "{n} file{s}", "findings": "{n} finding{s}"}}


def _count(n: int, what: str, lang: str) -> str:
    return COUNTED[lang][what].format(n=n, s="" if n == 1 else "s")


def _listed(items: list[str], total: int) -> str:
    return ", ".join(items) + (" …" if total > len(items) else "")




class TextWriter:
    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options, self.lang = run, options, options.lang
        self.summary = Summary()
        self.width = options.width  # None: lines as long as they are (files, pipes: one finding, one grep line)
        self.quiet = options.quiet
        self.statistics = options.statistics
        self.plain = None if options.color else PlainPrinter(self.width or 120)
        self._rich: RichPrinter | None = None

    @property
    def rich(self) -> RichPrinter:
        if self._rich is None:
            self._rich = RichPrinter(self.options, self.width or 120)
        return self._rich

    def _print(self, kind: str, value) -> str:
        """`kind`: lines, blocks or table (the printers' methods)."""
        if self.plain is not None:
            text = getattr(self.plain, kind)(value)
            if text is not None:
                return text
        return getattr(self.rich, kind)(value)

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        self.summary.add(file)
        return "".join(self._print(kind, value) for kind, value in _file_prints(file, self.lang, self.width, self.quiet))

    def finish(self) -> str:
        if self.quiet:
            return ""
        summary = self.summary.as_dict() | {"unreadable": self.summary.unreadable, "error_places": self.summary.error_places,
                                            "unrecognised": self.summary.unrecognised}
        lines, facts_line, rows = _summary_prints(self.run, summary, self.lang, self.statistics)
        out = [self._print("lines", fit([line], self.width)) for line in lines]
        if facts_line is not None:
            out.append(self._print("lines", fit([_styled(facts_line, None)], self.width)))
        if rows is not None:
            out.append(self._print("table", rows))
        return "".join(out)
