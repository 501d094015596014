"""--format markdown: a report to hand on or paste in a pull request: a summary table, then the
findings grouped by file and rule (errors first), each with its line, numbers and suggestion.
Document text is escaped, so a cell holding `|`, `*` or `<script>` prints as itself.

A pull-request or issue comment holds at most 65,536 characters, so the report stops short of
that: the summary always, then findings while they fit, then a notice of how many were left out
(the HTML, JSON and CSV reports hold everything). Sections past the budget are only counted, so a
run over thousands of documents holds no more than one comment's worth of text."""

from __future__ import annotations

import re

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import (RANK, SEVERITIES, counted, evidence_line, facts_text, is_blank, line_range, localized,
                                 place_text, rule_name, rule_title)
from audit.report.summary import Summary

WINDOW = 40  # characters of context either side of a span
LIMIT = 65_536  # characters in a GitHub pull-request or issue comment
RESERVE = 12_000  # kept for the summary tables and the notice, which are written last
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # what is markup mid-line (+ - # ( ) only matter at a line start)
WORDS = {
    "zh": {
        "title": "预算公开一致性审核报告",
        "severity": "级别",
        "count": "数量",
        "rule": "规则",
        "name": "名称",
        "rule_title": "标题",
        "files": "文件",
        "findings": "问题",
        "clean": "未发现问题",
        "unreadable": "无法读取",
        "suggest": "建议",
        "diagnosis": "判断",
        "facts": "已提取",
        "note": "注",
        "empty": "（空单元格）",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "notes": "说明",
        "source": "原文",
        "cut": "报告已截断（Markdown 评论最多 65,536 个字符）：另有 {files} 个文件的 {findings} 个问题未列出。完整结果请用 --format html、json 或 csv 输出。",
    },
    "en": {
        "title": "Budget disclosure consistency audit",
        "severity": "severity",
        "count": "count",
        "rule": "rule",
        "name": "name",
        "rule_title": "title",
        "files": "files",
        "findings": "findings",
        "clean": "no findings",
        "unreadable": "cannot read",
        "suggest": "suggestion",
        "diagnosis": "diagnosis",
        "facts": "extracted",
        "note": "note",
        "empty": "(empty cell)",
        "error": "error",
        "warning": "warning",
        "info": "info",
        "notes": "notes",
        "source": "source",
        "cut": "Report cut short (a Markdown comment holds at most 65,536 characters): {findings} more findings in {files} files are not listed. Use --format html, json or csv for all of them.",
    },
}


def escape(text: str) -> str:
    """Markdown- and HTML-inert text on one line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _quote(file, finding, w: dict) -> str:
    """The span's line around the span, the span in bold; an empty cell as a marker."""
    span = finding.span
    if not 1 <= span.line <= len(file.lines):
        return ""
    line = file.lines[span.line - 1]
    if is_blank(line):
        return f"**{escape(w['empty'])}**"
    start, end = line_range(file, span)
    end = max(end, start + 1)
    left, right = max(0, start - WINDOW), min(len(line), end + WINDOW)
    before, hit, after = line[left:start], line[start:end], line[end:right]
    marked = f" **{escape(hit)}** " if hit.strip() else " "
    quoted = ("…" if left else "") + escape(before) + marked + escape(after) + ("…" if right < len(line) else "")
    return quoted.strip()


class MarkdownWriter:
    """The summary comes first, so each file's section is kept as text until the end — while the
    comment budget lasts; after that, findings are only counted for the notice."""

    limit = LIMIT

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.summary = Summary()
        self.sections: list[str] = []
        self.size = 0  # characters kept in sections
        self.left_out = {"files": 0, "findings": 0}

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        self.summary.add(file)
        budget = self.limit - RESERVE - self.size
        kept, findings_kept = [], 0
        for block, findings in self._section(file):
            size = sum(len(line) + 1 for line in block)
            if size > budget:
                break
            kept += block
            budget -= size
            findings_kept += findings
        omitted = len(file.findings) - findings_kept
        if kept and (findings_kept or not file.findings):
            text = "\n".join(kept)
            self.sections.append(text)
            self.size += len(text) + 1
        if omitted or (not kept and file.error):
            self.left_out["files"] += 1
            self.left_out["findings"] += omitted
        return ""

    def _section(self, file: FileReport) -> list[tuple[list[str], int]]:
        """A file's section as blocks the comment budget keeps or drops whole: (lines, findings in
        them) — the heading (0), then each finding with its details (1), a rule's heading travelling
        with its first finding."""
        run, lang = self.run, self.lang
        w = WORDS[lang]
        out = [f"## {escape(file.path)}", ""]
        if file.error:
            return [(out + [f"**{w['unreadable']}:** {escape(file.error)}", ""], 0)]
        facts = facts_text(file.facts, lang)
        out += [f"{w['facts']}: {facts or '—'}", ""]
        if file.notes:  # what the reader left unread on purpose, before the findings
            out += [f"> {w['note']}: {escape(note.text(lang))}" for note in file.notes] + [""]
        if not file.findings:
            return [(out + [w["clean"], ""], 0)]
        blocks = [(out, 0)]
        by_rule: dict[str, list] = {}
        for finding in file.findings:
            by_rule.setdefault(finding.rule, []).append(finding)
        for rule, findings in sorted(by_rule.items(), key=lambda item: (-RANK[item[1][0].severity.value], item[0])):
            sev = findings[0].severity.value
            heading = [f"### {rule} {rule_name(run, rule)} — {escape(rule_title(run, rule, lang))} ({w[sev]}, {len(findings)})", ""]
            for f in findings:
                out, heading = heading, []
                place = place_text(f, file.path, lang)
                located = f.place is not None and (f.place.page is not None or f.place.cell is not None)
                if located:  # a PDF/Excel original: its page or cell, not the rendered text's line
                    where = escape(place)
                else:
                    where = f"L{f.span.line}:{f.span.column}" + (f" ({escape(place)})" if place else "")
                out.append(f"- **{where}** {escape(f.message.get(lang))}")
                quoted = _quote(file, f, w)
                if quoted:
                    out.append(f"  - {w['source']}: {quoted}")
                numbers = evidence_line(f, lang)
                if numbers:
                    out.append(f"  - {escape(numbers)}")
                if f.evidence and f.evidence.terms:
                    terms = "; ".join(f"{localized(t.label, lang)} = {localized(t.value, lang)}" + (f" (L{t.line})" if t.line else "") for t in f.evidence.terms)
                    out.append(f"  - {escape(terms)}")
                if f.evidence and f.evidence.diagnosis:
                    out.append(f"  - {w['diagnosis']}: {escape(f.evidence.diagnosis_for(lang))}")
                if f.suggestion is not None:
                    out.append(f"  - {w['suggest']}: {escape(f.suggestion.get(lang))}")
                blocks.append((out, 1))
            out.append("")  # the blank line that ends a rule's list
        return blocks

    def finish(self) -> str:
        run, lang = self.run, self.lang
        w = WORDS[lang]
        summary = self.summary.as_dict()
        out = [f"# {w['title']}", ""]
        out.append(f"audit {run.version} · {counted(summary['files'], w['files'], lang)} · {counted(summary['findings'], w['findings'], lang)}")
        out.append("")
        out += [f"| {w['severity']} | {w['count']} |", "| --- | ---: |"]
        out += [f"| {w[s]} | {summary['by_severity'][s]} |" for s in SEVERITIES]
        out.append("")
        if summary["by_rule"]:
            out += [f"| {w['rule']} | {w['name']} | {w['rule_title']} | {w['count']} |", "| --- | --- | --- | ---: |"]
            for rule, count in summary["by_rule"].items():
                out.append(f"| {rule} | `{rule_name(run, rule)}` | {escape(rule_title(run, rule, lang))} | {count} |")
            out.append("")
        if run.notes:
            out += [f"**{w['notes']}:**", ""] + [f"- {escape(n['message'][lang])}" for n in run.notes] + [""]
        if self.left_out["findings"] or self.left_out["files"]:
            notice = w["cut"].format(**self.left_out)
            return "\n".join(out + self.sections + ["---", "", f"**{escape(notice)}**"]).rstrip() + "\n"
        return "\n".join(out + self.sections).rstrip() + "\n"

