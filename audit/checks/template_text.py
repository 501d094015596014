"""T007: template or instruction text left in a published disclosure.

The patterns are data (rules/lexicons/template_text.yaml): 增加（减少） left unchosen, 原因是。 with
no reason, 支出万元 with no figure, XX placeholders, （按…填写） instructions, an empty 编制单位.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.lexicon import lexicon
from audit.model import Evidence, Span, Text


def _patterns(name: str) -> tuple[list[tuple[dict, re.Pattern[str]]], re.Pattern[str] | None]:
    data = lexicon(name)
    patterns = [(entry, re.compile(entry["pattern"])) for entry in data.get("patterns", [])]
    preparer = data.get("empty_preparer")
    return patterns, re.compile(preparer) if preparer else None


@kind("template_text")
def template_text(ctx: CheckContext) -> None:
    """Every narrative line is free of the template's own words; every 编制单位 line names a unit."""
    patterns, empty_preparer = ctx.analysis.memos.get("T007 patterns", ctx.params.get("lexicon", "template_text"), _patterns)
    prose = ctx.analysis.prose
    lines = prose.body()
    if not lines and not prose.tables:
        ctx.not_applicable()
        return
    for line in lines:
        found = False
        for entry, pattern in patterns:
            for match in _one_per_sentence(pattern, line.text):
                found = True  # one finding per kind of leftover per sentence
                span = _span(ctx, line.line, line.start + match.start(), line.start + match.end())
                printed = _printed(ctx, span) or match.group(0)
                ctx.fail(
                    span,
                    {"found": printed, "what": Text.of(entry["label"]), "fix": Text.of(entry["fix"])},
                    evidence=Evidence(stated=printed, values={"pattern": entry["id"]}),
                    subject=entry["id"],
                )
        if not found:
            ctx.passed()
    if empty_preparer is None:
        return
    texts = ctx.document.source.texts
    for number, text in enumerate(texts, start=1):
        if "编制" not in text and "填报" not in text:
            continue
        stripped = text.strip()
        match = empty_preparer.match(stripped)
        if match:
            ctx.fail(
                _span(ctx, number, text.find(stripped), text.find(stripped) + len(stripped)),
                {
                    "found": stripped[:20],
                    "what": Text(zh="编制单位一栏为空", en="the 编制单位 field is empty"),
                    "fix": Text(zh="填写编制单位（部门）全称", en="Write the preparing unit's full name"),
                },
                evidence=Evidence(stated=stripped[:20], values={"pattern": "empty_preparer"}),
                subject="empty_preparer",
            )


def _one_per_sentence(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The first match in each sentence: a PDF paragraph may hold several template sentences,
    and one sentence with 增加（减少）…增长（减少） is one leftover."""
    found, sentence_end = [], -1
    for match in pattern.finditer(text):
        if match.start() > sentence_end:
            found.append(match)
            stop = text.find("。", match.end())
            sentence_end = len(text) if stop < 0 else stop
    return found


def _span(ctx: CheckContext, line: int, start: int, end: int) -> Span:
    """The original columns of normalised text[start:end] on `line`."""
    source = ctx.document.source
    return Span(line=line, column=source.column(line - 1, start) + 1, end_line=line, end_column=source.column(line - 1, end) + 1)


def _printed(ctx: CheckContext, span: Span) -> str:
    """The text a one-line span covers, as printed (full-width brackets kept)."""
    original = ctx.document.source.original_lines[span.line - 1]
    return original[span.column - 1 : (span.end_column or span.column) - 1]
