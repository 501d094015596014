"""The whole one-way flow for one file: load → layout → extract → rules → FileReport."""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from audit import layout
from audit.engine import Document, fingerprint, fingerprint_context, run_checks
from audit.facts import extract
from audit.model import Evidence, FileReport, Finding, Severity, Span, Text
from audit.records import dataclass, field
from audit.rules import RuleSet
from audit.source import MAX_BYTES, InputError, Source, load


@dataclass
class Options:
    """What decides which rules run on a file (picklable, for --jobs)."""

    selected: set[str] = field(default_factory=set)
    max_bytes: int = MAX_BYTES
    previous: str | None = None  # last year's disclosure, for B016 (--previous)
    counterpart: str | None = None  # the same year's 部门 or 单位 disclosure, for B019 (--counterpart)


def analyse(source: Source) -> Document:
    blocks = layout.blocks(source)
    return Document(source=source, blocks=blocks, facts=extract(blocks))


def _read_warning(source: Source, rules: RuleSet) -> Finding | None:
    """X002: the decoder had to replace characters, so some text may be missing or wrong."""
    rule = rules.get("X002")
    if not source.replaced or rule is None:
        return None
    line = next((ln for ln in source.lines if "\ufffd" in ln.original), source.lines[0])
    column = line.original.find("\ufffd") + 1
    return Finding(
        rule="X002",
        severity=rule.severity,
        message=Text(
            zh=f"文件未能完整读取：按 {source.encoding} 解码时有 {source.replaced} 个字符无法识别，已替换为 �",
            en=f"file not fully readable: {source.replaced} characters could not be decoded as {source.encoding} and were replaced",
        ),
        span=Span(line=line.number, column=max(column, 1), end_line=line.number, end_column=max(column, 1) + 1),
        evidence=Evidence(values={"encoding": source.encoding, "replaced": source.replaced}),
        suggestion=Text(
            zh="请确认文件编码或重新导出文本，否则相关数字可能漏检。",
            en="Check the file's encoding or export the text again; figures on those lines may be missed.",
        ),
        snippet="\ufffd",
    )


@contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while one file is audited.

    A file's blocks, facts and findings (tens of thousands of objects) all live until the file is
    done, so each collection in between only walks them again to free nothing: that was a sixth of
    a warm run. They go by reference counting when the document is dropped; the few cycles a file
    leaves (a few hundred objects) are collected after it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def audit_source(source: Source, rules: RuleSet, options: Options) -> FileReport:
    with _cyclic_gc_paused():
        return _audit(source, rules, options)


def _audit(source: Source, rules: RuleSet, options: Options) -> FileReport:
    document = analyse(source)
    if options.previous:
        from audit.checks.previous import PREVIOUS

        try:
            last = _previous(options.previous, options.max_bytes)
        except InputError:
            last = None  # an unreadable last year's file: B016 has nothing to compare with
        document.derived(PREVIOUS, lambda: last)
    if options.counterpart:
        from audit.checks.counterpart import COUNTERPART

        try:
            other = _previous(options.counterpart, options.max_bytes)
        except InputError:
            other = None
        document.derived(COUNTERPART, lambda: other)
    findings, tallies = run_checks(document, rules, options.selected)
    warning = _read_warning(source, rules)
    if warning and "X002" in options.selected:
        findings.insert(0, warning)
    findings.sort(key=Finding.sort_key)
    if source.origins is not None:
        _attach_places(findings, source)
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for finding in findings:
        context = fingerprint_context(finding, document)
        key = (finding.rule, finding.subject or "", finding.snippet, context)
        finding.fingerprint = fingerprint(finding, source.path, document, seen[key], context)
        seen[key] += 1
    return FileReport(
        path=source.path,
        encoding=source.encoding,
        findings=findings,
        facts=document.facts.counts(),
        checks=tallies,
        lines=source.original_lines,
        projects=[_project_summary(p) for p in document.facts.projects],
    )


_PREVIOUS: dict[str, Document] = {}


def _previous(path: str, max_bytes: int) -> Document:
    """Another disclosure to compare with (last year's, or the 单位 of a 部门), read once per process
    however many files are audited against it."""
    if path not in _PREVIOUS:
        _PREVIOUS[path] = analyse(read_source(path, max_bytes))
    return _PREVIOUS[path]


def _project_summary(project) -> dict:
    """What reports show of a project besides findings: its name, budget and spending schedule."""
    schedule = project.schedule
    return {
        "name": project.name,
        "line": project.span.line,
        "budget": project.budget.text if project.budget else None,
        "schedule": [
            {"period": p.period, "raw": p.raw, "value": str(p.value) if p.value is not None else None, "line": p.span.line}
            for p in schedule.points
        ]
        if schedule
        else [],
    }


def read_source(path: str | Path, max_bytes: int = MAX_BYTES) -> Source:
    """The file as a Source: a text file decoded; a PDF, Word or Excel file — or a publication
    joined from several files (`a.pdf+b.pdf`) — read as a Document and rendered (with the way back
    to pages and cells in `source.origins`). InputError for anything that cannot be read."""
    from audit.readers import read, read_joined, split_joined
    from audit.readers.render import to_source

    parts = split_joined(str(path))
    if parts is not None:
        return to_source(read_joined(parts))
    document = read(path)
    if document is None:
        return load(path, max_bytes=max_bytes)
    return to_source(document)


def audit_path(path: str | Path, rules: RuleSet, options: Options) -> FileReport:
    """Audit one file (or one joined publication); an unreadable one comes back with `error` set
    and no findings."""
    try:
        source = read_source(path, options.max_bytes)
    except InputError as exc:
        return FileReport(path=str(path), error=str(exc))
    return audit_source(source, rules, options)


def _attach_places(findings: list[Finding], source: Source) -> None:
    """Each finding (and each term of its evidence) of a rendered document gets its place in
    the original: page, table, row, column."""
    from audit.readers.render import place

    for finding in findings:
        finding.place = place(source, finding.span.line, finding.span.column)
        if finding.evidence is not None:
            for term in finding.evidence.terms:
                if term.line is not None:
                    where = place(source, term.line, term.column or 1)
                    term.page = where.page if where is not None else None


def severity_at_least(finding: Finding, threshold: str) -> bool:
    if threshold == "never":
        return False
    return finding.severity.rank >= Severity(threshold).rank
