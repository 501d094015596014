"""T004–T006: a disclosure as a whole — the tables and sections it must carry, one budget year,
one unit name. The facts come from audit/facts/structure.py and audit/facts/unit_names.py."""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.facts.structure import StructureFacts
from audit.lexicon import lexicon
from audit.model import Evidence, Text
from audit.facts.lazy import _squash

# -- T004 completeness ----------------------------------------------------------------------------------


def _contents_lists_tables(structure: StructureFacts) -> bool:
    contents = structure.contents
    return contents is not None and sum(1 for e in contents.entries if e.title.endswith("表")) >= 3


@kind("disclosure_completeness")
def disclosure_completeness(ctx: CheckContext) -> None:
    """T004: a document that calls itself a 部门/单位预算公开 carries the eight tables and the
    required sections; an empty table says it is empty."""
    structure: StructureFacts = ctx.facts.structure
    if not structure.complete_disclosure or structure.title is None:
        ctx.not_applicable()
        return
    data = lexicon(ctx.params.get("lexicon", "disclosure_sections"))
    tables = [(t, [re.compile(p) for p in t["patterns"]]) for t in data.get("tables", [])]
    found: dict[str, object] = {}
    for title in structure.table_titles:
        text = _squash(title.text)
        if "绩效" in text:
            continue
        for table, patterns in tables:
            if any(p.search(text) for p in patterns):
                if table["id"] not in found or (title.has_table and not found[table["id"]].has_table):
                    found[table["id"]] = title
                break
    read = {t.kind for t in getattr(ctx.facts, "tables", [])}  # tables the budget-table reader found
    missing = [t for t, _ in tables if t["id"] not in found and t.get("table_kind") not in read]
    if len(missing) == len(tables) and _contents_lists_tables(structure):
        # no table here, but the contents list them: a narrative whose tables are another file
        # (Jiangsu's 公开文件 + 公开表格), not a disclosure without them; joined, both are read
        missing = []
    lines = structure.text_lines
    year = structure.budget_year
    sections = [
        (s, [re.compile(p) for p in s["patterns"]])
        for s in data.get("sections", [])
        if year is None or int(s.get("since", 0)) <= year
    ]
    present = [s for s, patterns in sections if any(p.search(line) for line in lines for p in patterns)]
    if len(tables) - len(missing) + len(present) < int(ctx.params.get("min_present", 3)):
        # a title and hardly anything else: an excerpt (only the 绩效 tables, say), not a disclosure
        # that tried to be complete; judging it against the full list would only make noise
        ctx.insufficient()
        return
    ctx.passed(len(tables) - len(missing))
    title_span = structure.title.span
    if missing:
        _report_missing(
            ctx,
            title_span,
            missing,
            "tables",
            Text(zh=f"本文件为预算公开，但未见以下{len(missing)}张公开报表：", en=f"This budget disclosure lacks {len(missing)} of the required tables: "),
            Text(
                zh="补充公开上述报表（无数据的表公开空表并注明）；若已作为附件另行公开，请在正文中注明附件位置",
                en="Publish these tables (an empty one with a note saying so); if they are published as attachments, say where",
            ),
        )
    ctx.passed(len(present))
    missing_sections = [s for s, _ in sections if s not in present]
    if ctx.analysis.prose.tables_only():
        # tables and no sentence: the tables file of a publication whose narrative is another file
        # (Jiangsu's 公开表 + 公开文件), as the narrative alone is not judged for tables; joined, both are read
        missing_sections = []
    if missing_sections:
        _report_missing(
            ctx,
            title_span,
            missing_sections,
            "sections",
            Text(zh="本文件为预算公开，但未见以下说明内容：", en="This budget disclosure has no section on: "),
            Text(
                zh="按《地方预决算公开操作规程》补充上述说明；没有相关事项的也应写明“无”",
                en="Add these sections as 财预〔2016〕143号 requires; where there is nothing to report, say so",
            ),
        )


def _report_missing(ctx: CheckContext, span, missing: list[dict], what: str, lead: Text, fix: Text) -> None:
    """One T004 finding listing the missing tables or sections (lexicon entries with zh/en names)."""
    ctx.fail(
        span,
        {
            "detail": Text(zh=lead.zh + "、".join(m["zh"] for m in missing), en=lead.en + ", ".join(m["en"] for m in missing)),
            "fix": fix,
        },
        evidence=Evidence(values={f"missing_{what}": [m["zh"] for m in missing]}),
        subject=what,
    )


# -- T005 budget year -------------------------------------------------------------------------------------

_COMPARE_WORDS = re.compile(r"较|比|相比|同比|增加|减少|增长|下降|上年|去年|执行")
# an earlier year named on purpose: 纳入2018年预算管理的…, a project's history (历年, 以前年度…)
_HISTORY_WORDS = re.compile(r"纳入|列入|以前年度|历年|往年|累计|跨年度|分年度|项目周期|实施期")
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s{0,2}年)")


def _earlier_year_on_purpose(sentence: str, year: int) -> bool:
    """A comparison, a year named as history, or a sentence that walks through several years
    (2017年预算安排…，2018年预算安排…: a multi-year project's record)."""
    if _COMPARE_WORDS.search(sentence) or _HISTORY_WORDS.search(sentence):
        return True
    return len({y for y in _YEAR.findall(sentence)}) >= 2


@kind("budget_year")
def budget_year(ctx: CheckContext) -> None:
    """T005: every header and budget statement names the year the title names."""
    structure: StructureFacts = ctx.facts.structure
    year = structure.budget_year
    if year is None:
        ctx.not_applicable()
        return
    mentions = [m for m in structure.years if m.role in ("header", "statement", "title")]
    if not mentions:
        ctx.not_applicable()
        return
    for mention in mentions:
        if mention.year == year:
            ctx.passed()
            continue
        if mention.role == "statement" and mention.year < year and _earlier_year_on_purpose(mention.sentence or mention.text, year):
            ctx.passed()  # last year's figure quoted for comparison, or a year named as history
            continue
        ctx.fail(
            mention.span,
            {"year": year, "text": mention.text.strip(), "found": mention.year, "previous": year - 1},
            evidence=Evidence(stated=str(mention.year), computed=str(year)),
            related=[structure.title.span] if structure.title else [],
        )


# -- T006 unit name -------------------------------------------------------------------------------------------

_PARTY_PREFIX = re.compile(r"^(中国共产党|中共)")
_LOCAL_SUFFIX = re.compile(r"(\(?本级\)?|部门|单位)$")


def _unit_key(name: str) -> str:
    key = _squash(name)
    key = re.sub(r"^\d+", "", key)
    for _ in range(2):
        key = _LOCAL_SUFFIX.sub("", key)
    return _PARTY_PREFIX.sub("", key)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_unit(a: str, b: str) -> bool:
    """Tolerates 本级/(本级), 中共 prefixes, OCR spaces and abbreviations that keep the full
    name's characters in order (开发区政法委 ⊂ 开发区工委政法委员会)."""
    x, y = _unit_key(a), _unit_key(b)
    if not x or not y:
        return True
    short, long = sorted((x, y), key=len)
    return _subsequence(short, long)


@kind("unit_name")
def unit_name(ctx: CheckContext) -> None:
    """T006: the unit the title (or, when the title names none, the cover's 预算单位 line) names
    prepares the tables: in a 单位预算 every table, in a 部门预算 (which may carry its units' tables) most."""
    names = ctx.facts.structure.unit_names
    title = next((u for u in names if u.role == "title"), None)
    preparers = [u for u in names if u.role == "preparer"]
    if title is None and preparers and preparers[0].span.line <= _COVER_LINES and _COVER.match(ctx.document.line_text(preparers[0].span.line)):
        title, preparers = preparers[0], preparers[1:]  # 预算单位：… on the cover (Shanghai)
    if title is None or not preparers:
        ctx.not_applicable()
        return
    counts: dict[str, list] = {}
    for unit in preparers:
        counts.setdefault(_unit_key(unit.name), []).append(unit)
    where = Text(zh="标题", en="the title") if title.role == "title" else Text(zh="封面", en="the cover")
    groups = sorted(counts.values(), key=len, reverse=True)
    structure = ctx.facts.structure
    if not (structure.title is not None and "单位预算" in _squash(structure.title.text)):
        # a 部门预算 may carry its units' own tables: only the name most tables carry must be the
        # department's; a 单位预算 has one unit, and every table must name it
        groups = groups[:1]
    for group in groups:
        first = group[0]
        if same_unit(title.name, first.name):
            ctx.passed()
            continue
        ctx.fail(
            first.span,
            {"title": title.name, "preparer": first.name, "where": where},
            evidence=Evidence(stated=first.name, computed=title.name, values={"tables": len(group)}),
            subject=first.name,
            related=[title.span] + [u.span for u in group[1:4]],
        )


_COVER_LINES = 10  # a 预算单位 line this near the top is the cover's
_COVER = re.compile(r"^\s*预算(?:主管)?(?:单位|部门)\s*[:：]")
