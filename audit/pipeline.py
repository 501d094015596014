"""The whole one-way flow for one file: load → layout → extract → rules → FileReport."""

from __future__ import annotations

import gc
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from audit import layout
from audit.engine import Document, fingerprint, fingerprint_context, run_checks
from audit.facts import extract
from audit.memo import Memos, a_run, running
from audit.model import Evidence, FileReport, Finding, Severity, Span, Text
from audit.rules import RuleSet
from audit.source import MAX_BYTES, InputError, Source, load


@dataclass
class Options:
    """What decides which rules run on a file (picklable, for --jobs), and the run's memo tables:
    one Options is one run (the CLI's, an Auditor's), whose memos are pickled empty for a worker."""

    selected: set[str] = field(default_factory=set)
    max_bytes: int = MAX_BYTES
    timeout: float = 0.0  # seconds one file may take (audit.batch.audit_one); 0: no limit
    previous: str | None = None  # last year's disclosure, for B016 (--previous)
    counterpart: str | None = None  # the same year's 部门 or 单位 disclosure, for B019 (--counterpart)
    memos: Memos = field(default_factory=Memos, compare=False, repr=False)  # audit.memo: the run's, not the process's


def analyse(source: Source) -> Document:
    """The document read from `source`: layout, then facts (within the active run, or one of its own)."""
    with a_run():
        blocks = layout.blocks(source)
        return Document(source=source, blocks=blocks, facts=extract(blocks))


def _read_warning(source: Source, rules: RuleSet) -> Finding | None:
    """X002: the decoder had to replace characters, or read some lines in another encoding, so
    some text may be missing or wrong: how much, and on which lines."""
    rule = rules.get("X002")
    if rule is None:
        return None
    from audit.decoding import mixed_lines

    # Only the decoder's own notes: a PDF reader's notes (clipped text left unread on purpose,
    # hidden sheets) are source.reader_notes, which every report shows with the file instead.
    mixed = [found for note in source.notes if (found := mixed_lines(note))]
    if not (source.replaced or mixed):
        return None
    damaged = [ln.number for ln in source.lines if "\ufffd" in ln.original]
    start = damaged[0] if damaged else mixed[0][1] if mixed else 1
    first = source.lines[min(start, len(source.lines)) - 1]
    column = max(first.original.find("\ufffd") + 1, 1)
    where = "、".join(map(str, damaged[:8])) + ("…" if len(damaged) > 8 else "")
    where_en = ", ".join(map(str, damaged[:8])) + (", …" if len(damaged) > 8 else "")
    zh, en = [], []
    if source.replaced:
        zh.append(f"按 {source.encoding} 解码时有 {source.replaced} 个字符无法识别，已替换为 �（第 {where} 行，共 {len(damaged)} 行）")
        en.append(f"{source.replaced} characters could not be decoded as {source.encoding} and were replaced (line {where_en}; {len(damaged)} lines)")
    for count, _, lines in mixed:
        zh.append(f"文件混用两种编码，第 {lines.replace(', ', '、')} 行等 {count} 行按 GB18030 读取，其余按 UTF-8")
        en.append(f"the file mixes encodings: {count} lines (line {lines}) were read as GB18030, the rest as UTF-8")
    return _engine_finding(
        rule,
        Text(zh="文件未能完整读取：" + "；".join(zh), en="file not fully readable: " + "; ".join(en)),
        Span(line=first.number, column=column, end_line=first.number, end_column=column + 1),
        {"encoding": source.encoding, "replaced": source.replaced, "lines": damaged[:100],
         "notes": [note for note in source.notes if mixed_lines(note)]},
        Text(
            zh="请确认文件编码或重新导出文本，否则相关数字可能漏检。",
            en="Check the file's encoding or export the text again; figures on those lines may be missed.",
        ),
        "\ufffd" if damaged else "",
    )


def _engine_finding(rule, message: Text, span: Span, values: dict, suggestion: Text, snippet: str) -> Finding:
    """A finding the pipeline itself raises (X rules): about the reading, not a check's subject."""
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message=message,
        span=span,
        evidence=Evidence(values=values),
        suggestion=suggestion,
        snippet=snippet,
    )


def _nothing_read(document: Document, rules: RuleSet) -> Finding | None:
    """X003: no table, no project and no amount with a money unit — nothing any rule could check,
    so "no findings" must not be what the user sees."""
    rule = rules.get("X003")
    facts = document.facts
    if rule is None or facts.tables or facts.projects or facts.narrative.amounts:
        return None
    source = document.source
    tables = sum(1 for block in document.blocks if isinstance(block, layout.Table))
    lines = len(source.original_lines)
    # tables were read, but none is one the lexicon knows: say so, not "nothing read"
    message = (
        Text(
            zh=f"读到 {tables} 个表格（共 {lines} 行文字），但没有一个被识别为预算表（标题与表头不在表格词表中），也没有项目或带金额单位（元/万元）的数字，规则无从检查",
            en=f"{tables} tables were read ({lines} lines of text) but none was recognised as a budget table (titles and headers not in the table lexicon), and no project or amount with a money unit (元/万元): no rule could check anything",
        )
        if tables
        else Text(
            zh=f"未读到任何预算内容：没有表格、项目或带金额单位（元/万元）的数字（读到 {lines} 行文字）",
            en=f"nothing budget-like was read: no table, project or amount with a money unit (元/万元) ({lines} lines of text read)",
        )
    )
    return _engine_finding(
        rule,
        message,
        Span(line=1, column=1),
        {"lines": len(source.original_lines), "table_blocks": tables, "tables": 0, "projects": 0, "amounts": 0},
        Text(
            zh="确认这是预算公开文件；用 audit extract 查看读到的内容——若表格未能读出（扫描件、图片表格），请提供带文字层的 PDF 或 Word/Excel 原件。",
            en="Check that this is a budget disclosure; `audit extract FILE` shows what was read. If its tables could not be read (a scan, tables as images), use a PDF with a text layer or the Word/Excel original.",
        ),
        source.texts[0] if source.texts else "",
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
    with _cyclic_gc_paused(), running(options.memos):
        return _audit(source, rules, options)


def _audit(source: Source, rules: RuleSet, options: Options) -> FileReport:
    document = analyse(source)
    findings, tallies = run_checks(
        document, rules, options.selected, previous=_other(options.previous, options), counterpart=_other(options.counterpart, options)
    )
    warning = _read_warning(source, rules)
    if warning and "X002" in options.selected:
        findings.insert(0, warning)
    if "X003" in options.selected:
        nothing = _nothing_read(document, rules)
        if nothing is not None:
            findings.insert(0, nothing)
    findings.sort(key=Finding.sort_key)
    if source.origins is not None:
        _attach_places(findings, source)
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for finding in findings:
        context = fingerprint_context(finding, document)
        key = (finding.rule, finding.subject or "", finding.snippet, context)
        finding.fingerprint = fingerprint(finding, source.path, document, seen[key], context)
        seen[key] += 1
    facts = document.facts.counts()
    if source.origins:  # a PDF, Word or Excel original: how many pages were read
        pages = {(o.origin.file, o.origin.page) for o in source.origins if o is not None and o.origin.page is not None}
        if pages:
            facts["pages"] = len(pages)
    return FileReport(
        path=source.path,
        encoding=source.encoding,
        findings=findings,
        facts=facts,
        checks=tallies,
        lines=source.original_lines,
        projects=[_project_summary(p) for p in document.facts.projects],
        meta=document_meta(document.facts),
        notes=[note for note in source.reader_notes if note.kind not in _ROUTINE_NOTES],
    )


# What a reader drops as a matter of course and no check needs: page numbers, running headers and
# footers. Said by `audit extract`; a report that said it for every PDF would bury the notes that
# matter (text the checks never saw).
_ROUTINE_NOTES = frozenset({"page-furniture"})


def _other(path: str | None, options: Options) -> Document | None:
    """Last year's disclosure or the counterpart, read for this file's checks; None when not
    given or unreadable (B016/B019 then have nothing to compare with)."""
    if not path:
        return None
    try:
        # read once per run however many files are audited against it
        return options.memos.get("other documents", (path, options.max_bytes), lambda key: analyse(read_source(*key)))
    except InputError:
        return None


def document_meta(facts) -> dict:
    """What the document says it is — its unit, year, 预算 or 决算 and title — for indexes over
    many documents (HTML index, --tables-out). Empty values where the text does not say."""
    structure = facts.structure
    title = structure.title.text if structure.title else ""
    units = [u.name for u in structure.unit_names if u.role == "title"] or [u.name for u in structure.unit_names]
    kind = "决算" if "决算" in title else "预算" if "预算" in title else ""
    return {"unit": units[0] if units else "", "year": structure.budget_year, "kind": kind, "title": title}


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


def read_document(path: str | Path, max_bytes: int = MAX_BYTES):
    """(Source, the Document it was rendered from or None for a text file). A text file is
    decoded; a PDF, Word or Excel file — or a publication joined from several files
    (`a.pdf+b.pdf`) — is read as a Document and rendered (with the way back to pages and cells in
    `source.origins`). InputError for anything that cannot be read."""
    from audit.readers import read, read_joined, split_joined
    from audit.readers.render import to_source

    parts = split_joined(str(path))
    document = read_joined(parts) if parts is not None else read(path) if _regular(path) else None
    if document is None:
        return load(path, max_bytes=max_bytes), None
    return to_source(document), document


def _regular(path: str | Path) -> bool:
    """Only a regular file is opened to see what it holds: opening a FIFO waits for a writer
    forever, a device may never end; load() then says what the path is instead."""
    import os
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_source(path: str | Path, max_bytes: int = MAX_BYTES) -> Source:
    return read_document(path, max_bytes)[0]


def audit_path(path: str | Path | list | tuple, rules: RuleSet, options: Options) -> FileReport:
    """Audit one file, or one publication in several files (a list of paths, or `a.pdf+b.pdf`);
    an unreadable one comes back with `error` set and no findings."""
    if isinstance(path, (list, tuple)):
        from audit.readers import JOIN

        path = JOIN.join(str(p) for p in path)
    try:
        with running(options.memos):  # the readers read the run's lexicons too
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
