"""--format html: one self-contained file to hand to an auditor (no network, no external assets).

A summary by severity and rule, filters by rule and severity, each project's spending schedule as
a small chart, and every finding with its source lines (the span highlighted), its numbers and the
suggested fix. Every piece of document text goes through `escape`: a cell holding `<script>`
shows as text. Within a document: its counts first, errors first, a schedule's chart beside the
findings about it, and identical findings (same rule, subject and cell text) shown in full once.

A run over many documents (more than INLINE_MAX) gets an index instead — one row per document with
its unit, year, 预算/决算 and counts, filtered by severity, rule and a text search — and each
document's section is kept in the page gzip-compressed (base64) and rendered when its row is
opened, so the browser parses a seventh of the text and lays out one document at a time: 2,000
documents' sections are ~160 MB as HTML, ~30 MB so (benchmarks/scale.py measures the page in
Chromium). Sections wait in a spool file, not in memory.

The page's fixed words, stylesheet and script are in audit/report/html_assets.py.
"""

from __future__ import annotations

import base64
import gzip
import tempfile
from decimal import Decimal, InvalidOperation
from html import escape as _escape

from audit.model import FileReport, Finding, RunReport
from audit.report import ReportOptions
from audit.report.common import (EMPTY_CELL, RANK, SEVERITIES, counted, end_line, facts_text, group_findings, is_blank, localized,
                                 place_text, rule_name, rule_title)
from audit.report.html_assets import CSS, SCRIPT, WORDS
from audit.report.summary import Summary

CONTEXT = 2  # source lines shown either side of a finding
MAX_SPAN_LINES = 8
WINDOW = 60  # characters either side of a span on long lines
CONTEXT_WIDTH = 100  # characters shown of a context line
INLINE_MAX = 20  # documents shown in full; a larger run gets an index and sections rendered on demand


def escape(text: object) -> str:
    """Text content: <, > and & escaped (quotes need no escaping outside attributes)."""
    return _escape(str(text), quote=False)


def attr(text: object) -> str:
    """An attribute value: quotes escaped too."""
    return _escape(str(text), quote=True)


def _window(line: str, start: int, end: int) -> tuple[str, int, int, str, str]:
    """Cut a long line around [start, end): (text, start, end, prefix mark, suffix mark)."""
    left = max(0, start - WINDOW)
    right = min(len(line), max(end, start) + WINDOW)
    return line[left:right], start - left, min(end, right) - left, "…" if left else "", "…" if right < len(line) else ""


def _source(file: FileReport, finding: Finding, lang: str) -> str:
    span = finding.span
    if not 1 <= span.line <= len(file.lines):
        return ""
    last = min(end_line(span), span.line + MAX_SPAN_LINES - 1, len(file.lines))
    rows = []
    for number in range(max(1, span.line - CONTEXT), min(len(file.lines), last + CONTEXT) + 1):
        line = file.lines[number - 1].replace("\t", "  ")
        hit = span.line <= number <= last
        gutter = f'<span class="ln">{number}</span>'
        if not hit:
            shown = line if len(line) <= CONTEXT_WIDTH else line[:CONTEXT_WIDTH] + "…"
            rows.append(f"<div>{gutter}{escape(shown)}</div>")
            continue
        if is_blank(line):
            rows.append(f'<div class="hit" id="L{number}">{gutter}<mark class="empty">{escape(EMPTY_CELL[lang])}</mark></div>')
            continue
        raw = file.lines[number - 1]
        start = span.column - 1 if number == span.line else 0
        stop = (span.end_column - 1) if number == end_line(span) and span.end_column else len(raw)
        # columns count original characters; a TAB shown as two spaces shifts them
        start = len(raw[:start].replace("\t", "  "))
        stop = len(raw[:stop].replace("\t", "  "))
        stop = max(stop, start + 1)
        text, s, e, pre, post = _window(line, start, stop)
        rows.append(
            f'<div class="hit">{gutter}{escape(pre + text[:s])}<mark>{escape(text[s:e])}</mark>{escape(text[e:] + post)}</div>'
        )
    return '<pre class="src">' + "".join(rows) + "</pre>"


def _evidence(finding: Finding, w: dict, lang: str) -> str:
    ev = finding.evidence
    if ev is None:
        return ""
    parts = []
    numbers = [
        (w[key], value)
        for key, value in (
            ("stated", localized(ev.stated, lang)),
            ("computed", localized(ev.computed, lang)),
            ("difference", ev.difference),
            ("tolerance", ev.tolerance),
        )
        if value is not None
    ]
    if numbers:
        parts.append(
            '<table class="evidence"><tr>'
            + "".join(f"<th>{escape(k)}</th>" for k, _ in numbers)
            + "</tr><tr>"
            + "".join(f'<td class="n">{escape(v)}</td>' for _, v in numbers)
            + "</tr></table>"
        )
    if ev.terms:
        rows = "".join(
            f'<tr><td>{"−" if t.sign < 0 else ""}{escape(localized(t.label, lang))}</td><td class="n">{escape(localized(t.value, lang))}</td>'
            f'<td class="n">{escape(f"L{t.line}" if t.line else "")}</td></tr>'
            for t in ev.terms
        )
        parts.append(
            f'<table class="evidence"><tr><th>{w["term"]}</th><th>{w["value"]}</th><th>{w["where"]}</th></tr>{rows}</table>'
        )
    if ev.diagnosis:
        parts.append(f'<p class="diagnosis">{w["diagnosis"]}{w["colon"]}{escape(ev.diagnosis_for(lang))}</p>')
    return "".join(parts)


def _finding(run: RunReport, file: FileReport, finding: Finding, lang: str, aside: str = "") -> str:
    w = WORDS[lang]
    sev = finding.severity.value
    span = finding.span
    head = (
        f'<div class="head"><span class="badge {sev}">{w[sev]}</span> <b>{escape(finding.rule)}</b> '
        f"{escape(rule_name(run, finding.rule))} · {escape(file.path)}:{span.line}:{span.column}"
        + (f" · {escape(place_text(finding, file.path, lang))}" if finding.place is not None else "")
        + (f" · {escape(localized(finding.subject, lang))}" if finding.subject else "")
        + "</div>"
    )
    suggestion = (
        f'<p class="suggest">→ {w["suggest"]}{w["colon"]}{escape(finding.suggestion.get(lang))}</p>' if finding.suggestion else ""
    )
    return (
        f'<article class="finding {sev}" data-rule="{attr(finding.rule)}" data-severity="{sev}" '
        f'id="f-{escape(finding.fingerprint)}">{head}{_aside(aside)}'
        f'<p class="msg">{escape(finding.message.get(lang))}</p>'
        f"{_source(file, finding, lang)}{_evidence(finding, w, lang)}{suggestion}</article>"
    )


def _aside(chart: str) -> str:
    return f'<div class="aside">{chart}</div>' if chart else ""


def _percent(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """A percentage as printed: 100, 62.5 — never 1E+2."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def schedule_chart(project: dict, flagged: bool, lang: str) -> str:
    """A small bar chart of a project's cumulative spending schedule; an empty cell is a dashed box."""
    w = WORDS[lang]
    points = project["schedule"]
    width, height, left, top, bottom = 240, 120, 28, 14, 20
    plot_h = height - top - bottom
    step = (width - left - 6) / max(1, len(points))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{attr(project["name"])}">'
    ]
    for tick in (0, 50, 100):
        y = top + plot_h * (1 - tick / 100)
        parts.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{tick}</text>')
    for i, point in enumerate(points):
        x = left + i * step + step * 0.2
        bar_w = step * 0.6
        value = _percent(point["value"])
        label_x = x + bar_w / 2
        parts.append(f'<text x="{label_x:.1f}" y="{height - 6}" text-anchor="middle">{escape(point["period"])}</text>')
        if value is None:
            raw = point["raw"].strip()
            y = top + plot_h - 14
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="14" fill="none" stroke="#c62828" stroke-dasharray="3,2"/>'
            )
            parts.append(
                f'<text x="{label_x:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="#c62828">{escape(raw[:6] or w["empty"])}</text>'
            )
            continue
        shown = max(Decimal(0), min(Decimal(100), value))
        bar_h = float(shown) / 100 * plot_h
        colour = "#c62828" if value > 100 or value < 0 else "#42a5f5"
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" height="{max(bar_h, 1):.1f}" fill="{colour}">'
            f"<title>{escape(point['period'])}: {escape(point['raw'])}</title></rect>"
        )
        parts.append(
            f'<text x="{label_x:.1f}" y="{top + plot_h - bar_h - 3:.1f}" text-anchor="middle">{escape(_plain(value))}%</text>'
        )
    parts.append("</svg>")
    budget = f' · {w["budget"]} {escape(project["budget"])}' if project.get("budget") else ""
    cls = "chart flagged" if flagged else "chart"
    caption = f"{escape(project['name'])}{budget} <span class=\"muted\">L{project['line']}</span>"
    return f'<figure class="{cls}"><figcaption>{caption}</figcaption>{"".join(parts)}</figure>'


def _charts(file: FileReport, lang: str) -> dict[str, str]:
    """Each project's schedule chart by project name (a schedule with an S finding is flagged)."""
    flagged = {f.subject for f in file.findings if f.rule.startswith("S") and f.subject}
    return {p["name"]: schedule_chart(p, p["name"] in flagged, lang) for p in file.projects if p.get("schedule")}


def _schedules(file: FileReport, lang: str, charts: dict[str, str]) -> str:
    """The charts no finding showed beside it, together after the findings."""
    w = WORDS[lang]
    if not file.projects:
        return ""
    if not any(p.get("schedule") for p in file.projects):
        return f'<p class="muted">{w["schedules"]}{w["colon"]}{w["no_schedule"]}</p>'
    if not charts:
        return ""
    return (
        f'<details class="schedules" open><summary>{w["schedules"]} · {len(charts)}</summary>'
        f'<div class="charts">{"".join(charts.values())}</div></details>'
    )


def _summary(run: RunReport, summary: dict, worst: dict[str, str], lang: str) -> str:
    """`worst`: rule id -> the most severe level of its findings."""
    w = WORDS[lang]
    cards = "".join(
        f'<div class="card {s}">{w[s]}<b>{summary["by_severity"][s]}</b></div>' for s in SEVERITIES
    )
    rows = []
    for rule, count in summary["by_rule"].items():
        sev = worst.get(rule, "info")
        rows.append(
            f'<tr><td><a href="#findings" data-only-rule="{attr(rule)}">{escape(rule)}</a></td>'
            f"<td>{escape(rule_name(run, rule))}</td><td>{escape(rule_title(run, rule, lang))}</td>"
            f'<td><span class="badge {sev}">{w[sev]}</span></td><td class="n">{count}</td></tr>'
        )
    table = (
        f'<table><tr><th>{w["rule"]}</th><th>{w["name"]}</th><th>{w["rule_title"]}</th><th>{w["severity"]}</th>'
        f'<th>{w["count"]}</th></tr>{"".join(rows)}</table>'
        if rows
        else ""
    )
    facts = escape(facts_text(summary["facts"], lang, skip_zero=False))
    coverage = "".join(
        f"<tr><td>{escape(rule)}</td><td>{escape(rule_name(run, rule))}</td>"
        + "".join(f'<td class="n">{tally[k]}</td>' for k in ("passed", "failed", "not_applicable", "insufficient_data"))
        + "</tr>"
        for rule, tally in summary["checks"].items()
    )
    if coverage:
        head = "".join(f"<th>{w[k]}</th>" for k in ("rule", "name", "passed", "failed", "na", "insufficient"))
        table += (
            f'<details class="coverage"><summary>{w["coverage"]}</summary>'
            f"<table><tr>{head}</tr>{coverage}</table></details>"
        )
    extra = []
    if run.suppressed.get("baseline"):
        extra.append(w["baseline"].format(n=run.suppressed["baseline"]))
    if run.suppressed.get("waived"):
        extra.append(w["waived"].format(n=run.suppressed["waived"]))
    notes = "".join(f"<li>{escape(n['message'][lang])}</li>" for n in run.notes)
    return (
        f'<section class="summary"><div class="cards">{cards}</div>{table}'
        f'<p class="muted">{w["facts"]}: {facts}{"; " + escape("; ".join(extra)) if extra else ""}</p>'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + "</section>"
    )


def _filters(run: RunReport, summary: dict, lang: str) -> str:
    w = WORDS[lang]
    rules = list(summary["by_rule"])  # sorted
    total = summary["findings"]
    severities = "".join(
        f'<label><input type="checkbox" data-filter="severity" value="{s}" checked> '
        f'<span class="badge {s}">{w[s]}</span></label>'
        for s in SEVERITIES
    )
    rule_boxes = "".join(
        f'<label title="{attr(rule_title(run, r, lang))}"><input type="checkbox" data-filter="rule" value="{attr(r)}" checked> '
        f"{escape(r)} {escape(rule_name(run, r))}</label>"
        for r in rules
    )
    buttons = (
        f'<button type="button" data-set="all" data-kind="rule">{w["all"]}</button>'
        f'<button type="button" data-set="none" data-kind="rule">{w["none"]}</button>'
    )
    return (
        f'<section class="filters" id="findings"><b>{w["filters"]}</b> '
        f'<span class="muted">{w["shown"]} <span id="shown">{total}</span> / {total}</span>'
        f'<div class="row">{w["severity"]}: {severities}</div>'
        f'<div class="row">{w["rule"]}: {buttons}{rule_boxes}</div></section>'
    )


class HtmlWriter:
    """The summary and filters come first, so each file's section waits in a spool file until the
    end; the index rows (small) are kept in memory."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.lang = run, options.lang
        self.summary = Summary()
        self.worst: dict[str, str] = {}  # rule id -> most severe level found
        self.spool = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")
        self.sizes: list[int] = []  # characters of each section in the spool
        self.rows: list[str] = []  # the index: one row per document

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        self.summary.add(file)
        worst = self.worst
        for f in file.findings:
            if RANK[f.severity.value] > RANK.get(worst.get(f.rule, ""), 0):
                worst[f.rule] = f.severity.value
        section = self._section(file)
        self.spool.write(section)
        self.sizes.append(len(section))
        self.rows.append(_index_row(len(self.rows), file, self.lang))
        return ""

    def _section(self, file: FileReport) -> str:
        run, lang = self.run, self.lang
        w = WORDS[lang]
        body = [f'<section class="file"><h2>{escape(file.path)}</h2>']
        if file.error:
            body.append(f'<p class="finding error">{w["unreadable"]}{w["colon"]}{escape(file.error)}</p></section>')
            return "".join(body)
        facts = escape(facts_text(file.facts, lang))
        counts = " · ".join(
            f'<span class="badge {s}">{w[s]}</span> {sum(1 for f in file.findings if f.severity.value == s)}' for s in SEVERITIES
        )
        body.append(f'<p class="muted">{counts} · {escape(file.encoding or "")} · {w["facts"]}: {facts or "—"}</p>')
        if file.notes:  # what the reader left unread on purpose, before the findings
            items = "".join(f"<li>{escape(note.text(lang))}</li>" for note in file.notes)
            body.append(f'<ul class="muted reader-notes" title="{w["note"]}">{items}</ul>')
        if not file.findings:
            body.append(f'<p style="color:var(--ok)">{w["clean"]}</p>')
        charts = _charts(file, lang)  # project name -> its chart, shown beside the first finding about it
        findings = sorted(file.findings, key=lambda f: (-RANK[f.severity.value], f.span.line, f.span.column))
        for finding, others in group_findings(findings):
            aside = charts.pop(finding.subject, "") if finding.rule.startswith("S") and finding.subject else ""
            body.append(_finding(run, file, finding, lang, aside))
            body.extend(_same(file, other, lang) for other in others)
        body.append(_schedules(file, lang, charts))  # the charts no finding is about
        body.append("</section>")
        return "".join(body)

    def _sections(self):
        self.spool.seek(0)
        for size in self.sizes:
            yield self.spool.read(size)
        self.spool.close()

    def finish(self) -> str:
        run, lang = self.run, self.lang
        w = WORDS[lang]
        summary = self.summary.as_dict()
        body = [
            f'<header class="top"><h1>{w["title"]}</h1><p class="meta">audit {escape(run.version)} · '
            f'{counted(summary["files"], w["files"], lang)} · {counted(summary["findings"], w["findings"], lang)}</p></header><main>',
            _summary(run, summary, self.worst, lang),
            _filters(run, summary, lang),
        ]
        if len(self.sizes) <= INLINE_MAX:
            body.extend(self._sections())
            body.append("</main>")
        else:
            body.append(_index(self.rows, lang))
            body.append('<div id="doc-view" hidden></div></main>')
            body.extend(
                f'<script type="application/gzip" id="d-{i}">{_packed(section)}</script>' for i, section in enumerate(self._sections())
            )
        return (
            f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{w['title']}</title><style>{CSS}</style></head><body>"
            + "".join(body)
            + f"<script>{SCRIPT}</script></body></html>\n"
        )


def _packed(section: str) -> str:
    """A section as its page keeps it until opened: gzip, then base64 (inert text in a script)."""
    return base64.b64encode(gzip.compress(section.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")


def _index_row(number: int, file: FileReport, lang: str) -> str:
    w = WORDS[lang]
    meta = file.meta or {}
    by = {s: sum(1 for f in file.findings if f.severity.value == s) for s in SEVERITIES}
    severities = " ".join(s for s in SEVERITIES if by[s])
    rules = " ".join(sorted({f.rule for f in file.findings}))
    name = meta.get("unit") or file.path.rsplit("/", 1)[-1]
    if file.error:
        cells = f'<td colspan="3" class="muted">{w["unreadable"]}{w["colon"]}{escape(file.error)}</td><td></td><td></td><td></td>'
    else:
        cells = (
            f'<td>{escape(meta.get("year") or "")}</td><td>{escape(meta.get("kind") or "")}</td>'
            f'<td class="muted">{escape(file.path)}</td>'
            + "".join(f'<td class="n">{by[s] or ""}</td>' for s in SEVERITIES)
        )
    return (
        f'<tr class="doc" data-doc="{number}" data-severities="{severities}" data-rules="{attr(rules)}">'
        f'<td><a href="#doc={number}">{escape(name)}</a></td>{cells}</tr>'
    )


def _index(rows: list[str], lang: str) -> str:
    w = WORDS[lang]
    head = "".join(
        f"<th>{w[k]}</th>" for k in ("unit", "year", "kind", "document")
    ) + "".join(f'<th><span class="badge {s}">{w[s]}</span></th>' for s in SEVERITIES)
    return (
        f'<section class="index" data-back="{attr(w["index"])}"><h2>{w["index"]} · {len(rows)}</h2>'
        f'<p class="muted">{w["pick"]}</p>'
        f'<p><input id="search" class="search" type="search" placeholder="{attr(w["search"])}"></p>'
        f'<table class="index"><tr>{head}</tr>{"".join(rows)}</table></section>'
    )


def _same(file: FileReport, finding: Finding, lang: str) -> str:
    """An identical finding after the first of its group: one line, its place and message."""
    w = WORDS[lang]
    sev = finding.severity.value
    span = finding.span
    return (
        f'<article class="finding same {sev}" data-rule="{attr(finding.rule)}" data-severity="{sev}" '
        f'id="f-{escape(finding.fingerprint)}"><span class="muted">{w["same"]} {escape(finding.rule)} · '
        f"{escape(file.path)}:{span.line}:{span.column}</span> {escape(finding.message.get(lang))}</article>"
    )
