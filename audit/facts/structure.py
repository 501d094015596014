"""Blocks → narrative-structure facts: enumerations, count claims, headings, years, unit names,
the 部门整体 分项绩效目标 list and the figures written in goals.

These are what the T rules reason about. Everything is read from the NFKC-normalised text of
paragraph lines (`Paragraph.line_refs`) and table cells, and every fact keeps its span in the
original file. Enumerations are grouped into lists here (a nesting-aware stack, see
`_Lists`), so the check only has to walk each list's numbers. The fact types live in
structure_facts.py; how a table's cells are scanned in table_text.py; this module walks the blocks.

Speed: each line and cell is read once, and a cheap substring test (a colon, a 、, 预算…) rejects
it before any regular expression runs; the expressions are compiled on first use, so importing
the module stays cheap. The facts are slotted dataclasses: thousands are made per document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import field
from itertools import compress
from typing import Iterable, Iterator

from audit.facts.contents import Contents, read_contents
from audit.facts.count_claims import _count_claims
from audit.facts.enumerations import _BULLET_ONLY, _Lists, inline_markers, _cell_markers, _markers_in_line, _numbered_line
from audit.facts.goal_figures import goal_figures
from audit.facts.lazy import _Lazy, _squash
from audit.facts.numerals import cn_number  # noqa: F401 - read from here by checks (goal_vs_table)
from audit.facts.structure_facts import CountClaim, Enumeration, Figure, Heading, Marker, NumberedLine, SubGoal, TableTitle, UnitName, YearMention, _fact
from audit.facts.table_text import _TableText, _has_figures, _is_title, _texts_of, _title_of
from audit.facts.unit_names import _COMPARISON, _DISCLOSURE, _HEADER_YEAR, _PERFORMANCE_ONLY, _TITLE_SLOT, _TITLE_YEAR, _YEAR_SLOT, _title_unit, _unit_name
from audit.layout import Block, Paragraph, Table, Text
from audit.lexicon import lexicon
from audit.model import Span


@_fact
class _DumpedStructure:
    """The structure facts `audit extract` prints (pydantic_core dumps a dataclass's fields)."""

    enumerations: list[Enumeration] = field(default_factory=list)
    numbered_lines: list[NumberedLine] = field(default_factory=list)
    count_claims: list[CountClaim] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    title: Heading | None = None  # the document's own title (first lines)
    complete_disclosure: bool = False  # presents itself as a 部门/单位预算公开 (not only 绩效目标)
    budget_year: int | None = None  # the year the title names
    years: list[YearMention] = field(default_factory=list)
    unit_names: list[UnitName] = field(default_factory=list)
    table_titles: list[TableTitle] = field(default_factory=list)
    subgoals: list[SubGoal] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


# The dataclass's own slots for the two facts StructureFacts reads on first use.
_NUMBERED_SLOT, _HEADINGS_SLOT = _DumpedStructure.numbered_lines, _DumpedStructure.headings


def _read_on_first_use(slot) -> property:
    """A field of StructureFacts that is read from the blocks the first time it is got or set."""

    def get(self):
        if self.unread is not None:
            self._read_unread()
        return slot.__get__(self)

    def set(self, value) -> None:
        if self.unread is not None:
            self._read_unread()
        slot.__set__(self, value)

    return property(get, set)


class StructureFacts(_DumpedStructure):
    """Plus `text_lines`, every paragraph line (for section search): an attribute, not a dataclass
    field, so that `audit extract` leaves it out of its JSON.

    `numbered_lines` and `headings` are read from the blocks on first use (`unread`): only T002
    asks for them, when a list skips a number, and the tables' figure cells make most numbered
    lines. `audit extract` and equality read them like any field."""

    __slots__ = ("text_lines", "unread", "contents")

    def __init__(self, *, text_lines: list[str] | None = None, unread: list[Block] | None = None, contents: Contents | None = None, **fields) -> None:
        self.unread = None
        super().__init__(**fields)
        self.text_lines = [] if text_lines is None else text_lines
        self.contents = contents  # the 目录, when the document has one (T012; its lines are not body)
        self.unread = unread  # blocks whose numbered lines and headings are still to be read

    numbered_lines = _read_on_first_use(_NUMBERED_SLOT)
    headings = _read_on_first_use(_HEADINGS_SLOT)

    def _read_unread(self) -> None:
        blocks, self.unread = self.unread, None
        numbered, headings = _numbered_lines_and_headings(blocks)
        _NUMBERED_SLOT.__set__(self, numbered)
        _HEADINGS_SLOT.__set__(self, headings)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _DumpedStructure.__eq__(self, other) and self.text_lines == other.text_lines

    __hash__ = None  # type: ignore[assignment]  # mutable


# A sentence saying a table is empty on purpose (空表列示, 本单位无…): data in the lexicon.
_EMPTY_NOTE = _Lazy(lambda: lexicon("disclosure_sections")["empty_note"])
_GOAL_HEADS = frozenset({"绩效目标", "年度绩效目标", "项目绩效目标", "年度目标"})
_AT_MOST_TWO = (3).__gt__


# -- the extractor ------------------------------------------------------------------------------


class _Extractor:
    def __init__(self) -> None:
        self.facts = StructureFacts()
        self.lists = _Lists("text")
        self.cell_lists: list[Enumeration] = []
        self.subgoal_mode = False  # inside a 分项绩效目标 section
        self.subgoal_style: str | None = None
        self.current_subgoal: SubGoal | None = None
        self.current_part: str | None = None  # goal | indicator: where a continuation line goes
        self.title_rows: dict[int, list[tuple[int, object]]] = {}  # id(table) → its title rows (row index, cell)
        self.skip: frozenset[int] = frozenset()  # the contents' lines: not prose
        self.opening: list[str] = []  # the lines before the title
        self.numbered_seen: set[str] = set()  # numbered lines read so far

    # paragraphs ----------------------------------------------------------------------------
    def paragraph(self, paragraph: Paragraph, first: bool) -> None:
        facts = self.facts
        text_lines = facts.text_lines
        for ref in paragraph.line_refs:
            text = ref.text
            text_lines.append(text)
            if first and facts.title is None:
                if len(text) <= 80 and _DISCLOSURE().search(text):
                    facts.title = Heading(text=self._whole_title(text), span=ref.span())
                elif text.strip():
                    self.opening.append(text.strip())
            markers = _markers_in_line(ref, "text")
            if markers and self._repeated(text):
                markers = []  # a paragraph printed again (a PDF's hidden copy): not another item
            if markers and not self._contents_or_title(ref, text):
                for marker in markers:
                    self.lists.add(marker)
            if self.lists.stack and ("。" in text or "、" in text) and not self._contents_or_title(ref, text):
                for marker in inline_markers(ref, "text"):
                    if self.lists.expects(marker.style, marker.number):
                        self.lists.add(marker)
            if self.subgoal_mode or "分" in text:
                self.subgoal_line(ref, markers)
            if "预算" in text:
                self.years_in(ref)
            self.unit_in(ref)
        facts.count_claims.extend(_count_claims(paragraph.ref))

    def _repeated(self, text: str) -> bool:
        """A numbered line seen before, word for word."""
        if text in self.numbered_seen:
            return True
        self.numbered_seen.add(text)
        return False

    def _whole_title(self, text: str) -> str:
        """A title broken over two lines (`…办公厅2018年度部门` / `预算公开`): the line before
        gives the unit and the year the second line lacks."""
        if self.opening and not _TITLE_YEAR().search(text) and _TITLE_YEAR().search(self.opening[-1]):
            return self.opening[-1] + text
        return text

    def _contents_or_title(self, ref: Text, text: str) -> bool:
        """A line of the 目录, or a table's title (`五、财政拨款支出预算表`): numbered, but not a prose list."""
        if self.skip and ref.span().line in self.skip:
            return True
        return "表" in text and _is_title(_squash(text))

    def fill_listed_claims(self) -> None:
        """A claim whose items are an enumeration takes that list's items: the list of the text's
        lists that starts within two lines after the claim. No such list: the claim is dropped."""
        kept: list[CountClaim] = []
        lists = [e for e in self.lists.done if e.items]
        starts = [e.items[0].span.line for e in lists]
        ordered = all(a <= b for a, b in zip(starts, starts[1:]))
        for claim in self.facts.count_claims:
            if not claim.list_follows:
                kept.append(claim)
                continue
            line = claim.list_span.line
            if ordered:  # lists open in reading order: the first starting at or after the claim's line
                at = bisect_left(starts, line)
                following = lists[at] if at < len(lists) and starts[at] <= line + 2 else None
            else:
                following = next((e for e in lists if line <= e.items[0].span.line <= line + 2), None)
            if following is None or following.items[0].number != 1:
                continue
            claim.items = [_item_name(m) or m.label for m in following.items]
            claim.item_spans = [m.span for m in following.items]
            claim.list_span = following.items[0].span.cover(following.items[-1].span)
            kept.append(claim)
        self.facts.count_claims = kept

    def subgoal_line(self, ref: Text, markers: list[Marker]) -> None:
        """Follow a 分项绩效目标 section: （一）name / 绩效目标：… / 绩效指标：…"""
        text = ref.text
        squashed = _squash(text)
        line_marker = next((m for m in markers if m.style != "shi"), None)
        if "分项绩效目标" in squashed and len(squashed) <= 20:
            self.subgoal_mode = True
            self.current_subgoal = None
            self.subgoal_style = None  # the first item's marker style is the list's
            return
        if not self.subgoal_mode:
            return
        if (line_marker is not None and line_marker.style in ("part", "cn")) or ("保障措施" in squashed and len(squashed) <= 20):
            self.subgoal_mode = False
            self.current_subgoal = None
            return
        item_marker = (
            line_marker is not None
            and line_marker.style in ("paren_cn", "dun", "dot", "paren_num")
            and self.subgoal_style in (None, line_marker.style)
        )
        if item_marker:
            self.subgoal_style = line_marker.style
            body_start = _BULLET_ONLY().match(text).end() + len(line_marker.label)
            rest = text[body_start:]
            cut = rest.find("绩效目标")
            name = (rest[:cut] if cut > 0 else rest).strip(" :")
            if not name or len(name) > 40:
                self.current_subgoal = None
                return
            self.current_part = None
            subgoal = SubGoal(
                index=len(self.facts.subgoals),
                number=line_marker.number,
                name=name,
                name_span=ref.span(body_start, body_start + len(name)),
            )
            self.facts.subgoals.append(subgoal)
            self.current_subgoal = subgoal
            if cut > 0:
                self.subgoal_part(ref, body_start + cut)
            return
        if self.current_subgoal is not None:
            stripped = text.lstrip()
            if stripped.startswith(("绩效目标", "绩效指标")):
                self.subgoal_part(ref, len(text) - len(stripped))
            elif self.current_part is not None:  # the part goes on over another line (1、… 2、…)
                subgoal = self.current_subgoal
                if self.current_part == "goal":
                    subgoal.goal += text
                else:
                    subgoal.indicator += text
                self.facts.figures.extend(goal_figures(ref, "overall", subgoal.index, self.current_part))

    def subgoal_part(self, ref: Text, start: int) -> None:
        subgoal = self.current_subgoal
        text = ref.text
        label = text[start : start + 4]
        colon = text.find(":", start)
        body_start = colon + 1 if 0 <= colon <= start + 5 else start + 4
        part = "goal" if label == "绩效目标" else "indicator"
        self.current_part = part
        body = text[body_start:].strip()
        if not body:
            return
        sub = ref.slice(body_start)
        if part == "goal":
            subgoal.goal, subgoal.goal_span = body, sub.span()
        else:
            subgoal.indicator, subgoal.indicator_span = body, sub.span()
        self.facts.figures.extend(goal_figures(sub, "overall", subgoal.index, part))

    def years_in(self, ref: Text) -> None:
        """Years in budget headers and statements; the caller has seen 预算 in the text (both need it)."""
        text = ref.text
        for pattern, role in ((_HEADER_YEAR(), "header"), (_YEAR_SLOT(), "statement")):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - 6) : match.start()]
                this_role = role
                if role == "statement" and _COMPARISON().search(before):
                    this_role = "comparison"
                if role == "statement" and _TITLE_SLOT().match(text, match.end("year")):
                    this_role = "header"
                left = max(text.rfind(ch, max(0, match.start() - 200), match.start()) for ch in "。;") + 1
                left = max(left, match.start() - 200)
                ends = (text.find(ch, match.end(), match.end() + 200) for ch in "。;")
                right = min((i for i in ends if i >= 0), default=min(len(text), match.end() + 200))
                self.facts.years.append(
                    YearMention(
                        year=int(match.group("year")),
                        text=text[max(0, match.start() - 4) : match.end() + 6],
                        sentence=text[left:right],
                        role=this_role,
                        span=ref.span(match.start("year"), match.end("year")),
                    )
                )

    def unit_in(self, ref: Text, name: str | None = None) -> None:
        """A preparer line's unit; `name`: the one _unit_name already read from the line."""
        name = name or _unit_name(ref.text.strip())
        if name:
            start = ref.text.find(name)
            self.facts.unit_names.append(UnitName(name=name, role="preparer", span=ref.span(start, start + len(name))))

    # tables --------------------------------------------------------------------------------
    def table(self, table: Table) -> None:
        """In-cell lists, count claims, goal figures, preparer lines, header years,
        and the rows that are a table title of their own. _TableText names the cells to read."""
        facts = self.facts
        self.lists.close_inner()
        rows = table.rows
        text = _TableText(rows)
        hinted = text.cells_by_hint()
        for j in hinted["marker"]:  # a list needs two markers
            cell = text.cell(j)
            markers = _cell_markers(cell.ref, f"cell@{cell.line}")
            if len(markers) >= 2:
                lists = _Lists(f"cell@{cell.line}")
                for marker in markers:
                    lists.add(marker)
                self.cell_lists.extend(lists.done)
        for j in hinted["claim"]:
            facts.count_claims.extend(_count_claims(text.cell(j).ref))
        for r in text.rows_of(hinted["goal"]):
            row = rows[r]
            first = next((s for s in map(_squash, row.texts) if s), "")
            if first in _GOAL_HEADS:
                for cell in row.cells:
                    if cell.text and _squash(cell.text) != first:
                        facts.figures.extend(goal_figures(cell.ref, "table_goal"))
        for row in compress(rows, map(_AT_MOST_TWO, map(len, map(_texts_of, rows)))):
            for k, cell_text in enumerate(row.texts):  # a preparer line above a table: a row of one or two cells
                name = _unit_name(cell_text.strip())  # read before the cell's Text is made
                if name:
                    self.unit_in(row.cells[k].ref, name)
        by_cell = table.layout == "cells"
        for j in hinted["budget"]:
            if (by_cell and len(rows[text.row_of(j)].texts) == 1) or "预算年度" in text.texts[j]:
                self.years_in(text.cell(j).ref)
        title_rows = []
        for r in text.rows_of(hinted["title"]):
            filled = rows[r].nonempty()
            if len(filled) == 1 and _is_title(_squash(filled[0].text)):
                title_rows.append((r, filled[0]))
        self.title_rows[id(table)] = title_rows

    def finish(self, blocks: list[Block]) -> StructureFacts:
        facts = self.facts
        facts.enumerations = self.lists.done + self.cell_lists
        self.fill_listed_claims()
        facts.complete_disclosure = bool(facts.title) and not _PERFORMANCE_ONLY().search(facts.title.text)
        if facts.title is not None:
            match = _TITLE_YEAR().search(facts.title.text)
            if match:
                facts.budget_year = int(match.group(1))
            unit = _title_unit(facts.title.text)
            if unit:
                start = facts.title.text.find(unit)
                span = facts.title.span
                facts.unit_names.insert(
                    0,
                    UnitName(
                        name=unit,
                        role="title",
                        span=Span(line=span.line, column=span.column + start, end_line=span.line, end_column=span.column + start + len(unit)),
                    ),
                )
        facts.table_titles = list(_table_titles(blocks, self.title_rows, self.skip))
        facts.unread = blocks  # numbered lines and headings: read on first use
        return facts


def _numbered_lines_and_headings(blocks: list[Block]) -> tuple[list[NumberedLine], list[Heading]]:
    """Every line that starts with a number (paragraph lines and table cells, in reading order),
    and every paragraph line short enough to be a heading."""
    numbered: list[NumberedLine] = []
    headings: list[Heading] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            for ref in block.line_refs:
                line = _numbered_line(ref, "text")
                if line:
                    numbered.append(line)
                text = ref.text
                if len(text) <= 40 and "。" not in text:
                    headings.append(Heading(text=text, span=ref.span()))
        else:
            numbered += _TableText(block.rows).numbered_lines()
    return numbered, headings


def _item_name(marker: Marker) -> str:
    """An enumerated item's name: its title up to the first punctuation (1、办公室：负责… → 办公室)."""
    return re.split(r"[:,;。(\s]", marker.title, maxsplit=1)[0]


def _table_titles(blocks: list[Block], title_rows: dict[int, list[tuple[int, object]]], skip: frozenset[int] = frozenset()) -> Iterator[TableTitle]:
    """Each short line ending in 表 (a paragraph line, or a table row holding only that), with the
    table that follows it. A paragraph listing three or more titles is a table of contents.
    `title_rows`: each table's rows that are a title of their own, found in the pass over its cells."""
    figures: dict[int, bool] = {}  # id(table) → _has_figures, as several titles may look at one table

    def has_figures(table: Table) -> bool:
        if id(table) not in figures:
            figures[id(table)] = _has_figures(table)
        return figures[id(table)]

    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            # a title may be a row of its own inside the table run (cell-per-line tables follow
            # one another without a paragraph between them)
            starts = title_rows[id(block)]
            if not starts:
                continue
            note = any(_EMPTY_NOTE().search(b.text) for b in blocks[i + 1 : i + 3] if isinstance(b, Paragraph))
            for n, (k, cell) in enumerate(starts):
                end = starts[n + 1][0] if n + 1 < len(starts) else len(block.rows)
                body = Table(block.layout, block.rows[k + 1 : end])
                yield TableTitle(
                    text=_title_of(_squash(cell.text)),
                    span=cell.span,
                    has_table=bool(body.rows),
                    has_figures=bool(body.rows) and _has_figures(body),
                    empty_note=note and n + 1 == len(starts),
                )
            continue
        titles = [ref for ref in block.line_refs if "表" in ref.text and _is_title(_squash(ref.text))]
        if skip and titles:
            titles = [ref for ref in titles if ref.span().line not in skip]  # the 目录 names tables, shows none
        if len(titles) >= 3:
            continue  # 目录: names the tables, does not show them
        for ref in titles:
            text = _title_of(_squash(ref.text))
            following: list[Table] = []
            note = bool(_EMPTY_NOTE().search(block.text.replace(ref.text, "")))
            for later in blocks[i + 1 : i + 8]:
                if isinstance(later, Table):
                    following.append(later)
                    continue
                squashed = _squash(later.text)
                if _is_title(squashed) and _title_of(squashed) != text:
                    break
                if _EMPTY_NOTE().search(later.text):
                    note = True
            yield TableTitle(
                text=text,
                span=ref.span(),
                has_table=bool(following),
                has_figures=any(has_figures(t) for t in following),
                empty_note=note,
            )


def extract_structure(blocks: Iterable[Block]) -> StructureFacts:
    blocks = list(blocks)
    extractor = _Extractor()
    contents = read_contents(blocks)
    if contents is not None:
        extractor.facts.contents = contents
        extractor.skip = contents.lines
    seen_paragraphs = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            extractor.paragraph(block, first=seen_paragraphs < 6)
            seen_paragraphs += 1
        else:
            extractor.table(block)
    return extractor.finish(blocks)
