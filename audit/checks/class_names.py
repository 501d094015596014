"""T009: 功能分类 class names retired before the budget year, and a class named both ways in one
document. The renames are data (rules/lexicons/class_renames.yaml); every line is read, tables
included, since the tables name the classes more often than the text does."""

from __future__ import annotations

from audit.engine import CheckContext, kind
from audit.lexicon import lexicon
from audit.model import Evidence, Span, Text


def _occurrences(texts: list[str], name: str, not_before: str) -> list[tuple[int, int]]:
    """(line, offset) of each use of `name`, one per line, skipping a quoted old name (原…)."""
    found = []
    for number, text in enumerate(texts, start=1):
        at = text.find(name)
        while at >= 0 and at and text[at - 1] in not_before:
            at = text.find(name, at + 1)
        if at >= 0:
            found.append((number, at))
    return found


@kind("class_names")
def class_names(ctx: CheckContext) -> None:
    data = lexicon(ctx.params.get("lexicon", "class_renames"))
    not_before = data.get("not_before", "")
    texts = ctx.document.source.texts
    year = ctx.facts.structure.budget_year
    source = ctx.document.source
    for rename in data.get("renames", []):
        old, new, since = rename["old"], rename["new"], int(rename["since"])
        olds = _occurrences(texts, old, not_before)
        if not olds:
            ctx.not_applicable()
            continue
        news = _occurrences(texts, new, "")
        retired = year is not None and year >= since
        if not retired and not news:
            ctx.passed()
            continue
        if retired:
            why = Text(zh=f"该科目自{since}年起已更名为「{new}」，本文件为{year}年", en=f"renamed {new} from {since}; this document is for {year}")
        else:
            line = news[0][0]
            at = ctx.document.located(line)
            why = Text(zh=f"同一文件{at.zh}又称「{new}」，前后不一致", en=f"{at.en} of the same document calls it {new}")
        related = [Span(line=news[0][0], column=source.column(news[0][0] - 1, news[0][1]) + 1)] if news else []
        for number, at in olds:
            column = source.column(number - 1, at)
            ctx.fail(
                Span(line=number, column=column + 1, end_line=number, end_column=source.column(number - 1, at + len(old)) + 1),
                {"old": old, "new": new, "why": why},
                evidence=Evidence(stated=old, computed=new, values={"code": rename.get("code", ""), "since": since}),
                subject=old,
                related=related,
            )
