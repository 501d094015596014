"""T013: an empty table is published with a sentence saying it is empty (财预〔2016〕143号: 空表列示
并说明); a table said to be empty holds no figures.

A table is empty when no cell outside its first column holds an amount (facts: TableTitle
.has_figures). Its note may sit under the table (空表列示, 本单位无…), in its 编制单位 line
(Shanghai prints `注：本部门无政府性基金预算…故本表为空表` there), or in the narrative that explains
the table (政府性基金支出预算支出0万元). A file of tables alone (no sentence of its own: Jiangsu's
公开表格, whose 说明 is the other file) is not judged for notes: join it with its narrative.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.model import Evidence, Text

# what a table is about, for finding the narrative's sentence on it: the first that the title holds
_SUBJECTS = ("政府性基金", "国有资本经营", "三公", "机关运行", "政府采购", "财政专户", "项目支出", "基本支出", "一般公共预算")
_SAYS_EMPTY = re.compile(r"空表|(?:无|没有|未安排|不涉及)[^。;]{0,30}(?:预算|经费|支出|收入|资金|数据)|(?<![\d.])0(?:\.0+)?万元(?![\d])")
# a budget table's title says what it holds; `2023年单位预算公开表` heads the whole set of tables
_KIND_WORDS = re.compile(r"收|支|三公|基金|采购|资产|经费|拨款|运行|项目")
_NEXT_HEADER = re.compile(r"单位\s*:\s*(?:万元|元|千元)|编制(?:单位|部门)|预算年度")
_OWN_LINES = 3  # the title's own unit and preparer lines follow it within this many lines
_CALLS_EMPTY = re.compile(r"(?:本表|此表|该表)?为空表|空表列示")


def _subject(title: str) -> str | None:
    return next((s for s in _SUBJECTS if s in title), None)


@kind("empty_tables")
def empty_tables(ctx: CheckContext) -> None:
    structure = ctx.facts.structure
    titles = [t for t in structure.table_titles if t.has_table and _KIND_WORDS.search(t.text)]
    if not titles:
        ctx.not_applicable()
        return
    texts = ctx.document.source.texts
    tables_only = ctx.analysis.prose.tables_only()
    for title in titles:
        if title.has_figures:
            note = _empty_said_at(texts, title, structure.table_titles)
            if note is None:
                ctx.passed()
                continue
            line, said = note
            at = ctx.document.located(line)
            ctx.fail(
                title.span,
                {
                    "title": title.text,
                    "detail": Text(zh=f"{at.zh}称其为空表（「{said}」），但表中有数字", en=f"{at.en} calls it empty (\"{said}\") but it holds figures"),
                    "fix": Text(zh="删去“空表”的说明，或核对表中数字是否误填", en="Delete the empty-table note, or check the figures were not put in by mistake"),
                },
                evidence=Evidence(stated=said, values={"note_line": line}),
                subject=title.text,
            )
            continue
        if title.empty_note or _narrative_says_empty(structure.text_lines, title.text):
            ctx.passed()
            continue
        if tables_only:
            ctx.insufficient()  # its 说明 is another file (Jiangsu's 公开表格): judged when joined
            continue
        ctx.fail(
            title.span,
            {
                "title": title.text,
                "detail": Text(zh="为空表，但未说明原因", en="is empty and no sentence says why"),
                "fix": Text(zh="在表下注明“本单位无此项预算，空表列示”", en="Add a note under the table saying there is no such budget and the table is empty on purpose"),
            },
            subject=title.text,
        )


def _narrative_says_empty(lines: list[str], title: str) -> bool:
    """A sentence on the table's subject that says there is none (…支出0万元, 无…预算)."""
    subject = _subject(title)
    if subject is None:
        return False
    for text in lines:
        if subject in text:
            for sentence in re.split(r"[。;]", text):
                if subject in sentence and _SAYS_EMPTY.search(sentence):
                    return True
    return False


def _empty_said_at(texts: list[str], title, titles) -> tuple[int, str] | None:
    """A 本表为空表 note between this title and the next one (the table's own note)."""
    start = title.span.line
    later = [t.span.line for t in titles if t.span.line > start]
    end = min(later) if later else min(len(texts), start + 60)
    for number in range(start, end):
        if number > start + _OWN_LINES and _NEXT_HEADER.search(texts[number - 1]):
            break  # the next table's unit or preparer line: a note after it is that table's
        match = _CALLS_EMPTY.search(texts[number - 1])
        if match:
            text = texts[number - 1]
            note = text.rfind("注", 0, match.start())
            low = note if 0 <= note and match.start() - note <= 60 else max(0, match.start() - 30)
            return number, text[low : match.end()].strip()
    return None
