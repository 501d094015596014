"""Small helpers every format shares: relative paths, severity order, the lines a span covers."""

from __future__ import annotations

import json
import os
import re
from json.encoder import encode_basestring
from pathlib import Path

from audit.model import FileReport, Finding, RunReport, Span

SEVERITIES = ("error", "warning", "info")
RANK = {"error": 3, "warning": 2, "info": 1}
EMPTY_CELL = {"zh": "（空单元格）", "en": "(empty cell)"}
FACT_WORDS = {
    "zh": {"projects": "项目", "schedules": "支出计划", "indicators": "绩效指标", "identities": "勾稽等式", "tables": "表格", "pages": "页"},
    "en": {"projects": "projects", "schedules": "schedules", "indicators": "indicators", "identities": "identities", "tables": "tables", "pages": "pages"},
}
# words the checks write into labels, values and subjects, in one language or both ("上一项 previous")
_BILINGUAL = re.compile(r"([\u3400-\u9fff（）]+) ([a-z][a-z ]*)")
_ITEM = re.compile(r"第(\d+)项")
_WORDS = {
    "(empty)": {"zh": "（空）", "en": "(empty)"},
    "tables": {"zh": "公开报表", "en": "tables"},
    "sections": {"zh": "说明内容", "en": "sections"},
    # the subjects of the punctuation checks (T-rules on prose)
    "doubled_punctuation": {"zh": "标点重复", "en": "doubled punctuation"},
    "doubled_word": {"zh": "字词重复", "en": "doubled word"},
    "missing_stop": {"zh": "段末缺句号", "en": "missing full stop"},
    "unbalanced": {"zh": "引号或括号不成对", "en": "unbalanced quotes or brackets"},
    "ascii_comma": {"zh": "英文逗号", "en": "ASCII comma"},
    "repeated_paragraph": {"zh": "段落重复", "en": "repeated paragraph"},
}


def localized(text: str | None, lang: str) -> str | None:
    """A label, value or subject a check wrote in both languages, or in English as a key, in the
    report's language; any other text (the document's own) as it is."""
    if text is None:
        return None
    known = _WORDS.get(text)
    if known is not None:
        return known[lang]
    both = _BILINGUAL.fullmatch(text)
    if both is not None:
        return both.group(1) if lang == "zh" else both.group(2)
    if lang == "en":
        item = _ITEM.fullmatch(text)
        if item is not None:
            return f"item {item.group(1)}"
    return text


def facts_text(facts: dict, lang: str, skip_zero: bool = True) -> str:
    """"项目 3, 绩效指标 16": what was read from a file, in the report's language."""
    words = FACT_WORDS[lang]
    return ", ".join(f"{words.get(k, k)} {v}" for k, v in facts.items() if v or not skip_zero)


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


def place_text(finding: Finding, path: str, lang: str) -> str:
    """Where a finding sits in a PDF, Word or Excel original, for people (page, table, row,
    column); with the file's name when a joined publication's part is not `path`. "" for text."""
    place = finding.place
    if place is None:
        return ""
    described = place.describe(lang)
    if place.file and place.file != path:
        described = f"{Path(place.file).name} · {described}" if described else Path(place.file).name
    return described


def location(path: str, finding: Finding, lang: str) -> str:
    """Where a reader finds a finding: `path:line:column` in a text file; in a PDF, Word or Excel
    original (whose rendered line numbers mean nothing to them) the part file of a joined
    publication and its page, or sheet and cell: `说明.pdf:第8页`, `b.xlsx:工作表“表1” · 单元格 C20`."""
    place = finding.place
    if place is None or (place.page is None and place.cell is None):
        return f"{path}:{finding.span.line}:{finding.span.column}"
    where = [page_label(place.page, lang)] if place.page is not None else []
    if place.cell is not None:
        sheet = (f"工作表“{place.sheet}” · " if lang == "zh" else f"sheet {place.sheet} · ") if place.sheet else ""
        where.append(sheet + (f"单元格 {place.cell}" if lang == "zh" else f"cell {place.cell}"))
    part = place.file if place.file and "+" in path else path
    return f"{part}:{' · '.join(where)}"


def page_label(page: int, lang: str) -> str:
    return f"第{page}页" if lang == "zh" else f"page {page}"


GROUP_MIN = 3  # this many identical findings in one table/project are shown once, with the others listed


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
            parts.append(f"{word} {localized(value, lang)}")
    return ", ".join(parts)


def one_line(text: str) -> str:
    return " ".join(text.split())


def counted(n: int, word: str, lang: str) -> str:
    """"3 files", "1 file"; Chinese has no plural ("3 文件")."""
    if lang == "en" and n == 1 and word.endswith("s"):
        word = word[:-1]
    return f"{n} {word}"


def compact_json(value) -> str:
    """One line of JSON, no spaces (the standard library's C encoder): jsonl records, json findings."""
    return _COMPACT(value)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def pretty_json(value, depth: int = 0) -> str:
    """Exactly `json.dumps(value, ensure_ascii=False, indent=2)`, several times faster.

    `depth` renders the value as it reads nested that many levels deep in a bigger document
    (writers that stream a JSON array print its items one at a time).

    With `indent` the standard library falls back to its pure-Python encoder, one generator per
    container; a run over thousands of files spends more time there than auditing. This writes
    the same text with one recursive function; anything unusual (a non-str key, a type JSON does
    not know) is handed to json.dumps for that value, so the result and the errors are the same.
    """
    return _pretty(value, "\n" + "  " * depth)


def _pretty(value, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = []
        for key, item in value.items():
            if type(key) is not str:
                return _stdlib(value, newline)
            kind = type(item)
            if kind is str:
                items.append(encode_basestring(key) + ": " + encode_basestring(item))
            elif kind is int:
                items.append(encode_basestring(key) + ": " + int.__repr__(item))
            else:
                items.append(encode_basestring(key) + ": " + _pretty(item, inner))
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list:
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([_pretty(item, inner) for item in value]) + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _stdlib(value, newline)


def _stdlib(value, newline: str) -> str:
    """json.dumps' own text for a value (floats, tuples, subclasses, errors), indented to where it stands."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
