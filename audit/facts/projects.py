"""Blocks → Projects: one fact per 项目绩效目标表, read from either table layout.

A project starts at a heading `N、…绩效目标表` (or at a 项目名称 row when a table has no heading) and
collects every table row until the next project. Within it, rows are recognised by their
label cells (预算数, 资金支出计划, 绩效目标, the 一级指标… header), never by position in the file.

The fact types are in project_facts.py (importable from here too); what a header row says is read
in indicator_header.py; this module walks the blocks and builds the projects.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Iterable

from audit.facts.indicator_header import _indicator_header, _indicator_layout, _level_names
from audit.facts.project_facts import Indicator, Money, Project, Schedule, SchedulePoint, _new_indicator
from audit.indicators import parse_value
from audit.layout import Block, Paragraph, Row, Table
from audit.model import Span
from audit.numbers import parse_figure

_HEADING = re.compile(r"^\s*(?:\d{1,3}\s*[、.,．]?\s*)?[\]\s]*(?P<name>.{2,200}?)\s*绩效目标表\s*$")
_NOT_PROJECT = re.compile("部门整体|整体支出|单位整体|目录")
_PERIOD = re.compile(r"^(?:\d{1,2}月(?:底|末|份)?|[一二三四]季度(?:末)?|上半年|全年|年底|年末)$")
_PERCENT = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*%$")
_COLUMN_WORD = re.compile(r"^(?:预算|资金|金额|单位|数量|采购|项目|备注|合计|小计|规格|品目|时间)")
_UNIT = re.compile(r"单位[:：]\s*(万元|元|亿元)")
# A row holding none of these is no label row (unit, schedule, code, money, goal, header).
_LABEL_WORDS = re.compile("项目名称|单位|资金|预算数|项目编码|绩效目标|年度目标|指标值")
_GOAL_LABELS = ("绩效目标", "年度绩效目标", "项目绩效目标", "年度目标")


def _substantial(text: str) -> bool:
    """A paragraph with words in it (not a stray quote or page number left by the converter)."""
    return _four_cjk().match(text) is not None


@lru_cache(maxsize=1)  # a shipped pattern (no document, no lexicon in it): kept for the process
def _four_cjk() -> re.Pattern:
    """Four CJK characters, anything before each: one match, not a list of every CJK character.
    Compiled on first use: a CJK range takes milliseconds to compile, a cost for the cold start."""
    return re.compile("(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4}")


def _squash(text: str) -> str:
    return "".join(text.split())


def _squashed_row(row: Row) -> str:
    """The row's cell texts without whitespace, joined by \0 (squashed in one call for the row)."""
    joined = "\0".join(row.texts)
    if joined.count("\0") != len(row.texts) - 1:
        # A cell holds \0 itself (source.py maps control characters to pictures, so only a
        # hand-made Row can): mark it unreadable, keep the cells apart.
        return "\0".join([_squash(t).replace("\0", "\ufffd") for t in row.texts])
    return "".join(joined.split())


def _squashed_rows(rows: list[Row]) -> list[str]:
    """_squashed_row of each row, squashed in one call for the table (\1 between rows)."""
    texts = list(map(_texts_of, rows))
    whole = "\1".join(map("\0".join, texts))
    if whole.count("\1") != len(rows) - 1 or whole.count("\0") != sum(map(len, texts)) - len(rows):
        return list(map(_squashed_row, rows))  # a cell holds \0 or \1 itself (hand-made rows only)
    return "".join(whole.split()).split("\1")


_texts_of = attrgetter("texts")


def _heading_name(paragraph: Paragraph) -> tuple[str, Span] | None:
    if "绩效目标表" not in paragraph.text:
        return None  # in no line either (the text is the lines joined): most paragraphs
    for ref in paragraph.line_refs:
        match = _HEADING.match(ref.text) if "绩效目标表" in ref.text else None
        if match and not _NOT_PROJECT.search(ref.text):
            name = match.group("name").strip(" 、.:：]")
            if name:
                return name, ref.span() or paragraph.span
    return None


class _Builder:
    """Walks the blocks once, opening a project at each heading or fresh 项目名称 row."""

    def __init__(self) -> None:
        self.projects: list[Project] = []
        self.current: Project | None = None
        self.columns: dict[str, int] | None = None  # indicator header: role -> cell index
        self.roles: tuple[int | None, ...] = ()  # the header's cell index of each of _ROLES
        self.width = 0  # the header's width in cells: a row this wide has every role's cell
        self.fields = itemgetter(0, 0, 0, 0, 0, 0)  # _ROLES' texts of a full row (see _indicator_layout)
        # (一级 as printed, 二级 as printed) -> _level_names: a table repeats a few pairs
        self.level_names: dict[tuple[str, str], tuple[str | None, str, str | None]] = {}
        self.pending_schedule: tuple[Row, list[tuple[int, str]]] | None = None
        self.last_level1: str | None = None
        self.seen_rows = False
        self.loose_text: list[str] = []
        self.unit = "万元"  # unit of the money cells (单位：万元), per project
        self.document_unit = "万元"  # a unit line outside any project applies to the ones after it
        self.partial: Row | None = None  # an indicator row cut in two by a stray blank line
        # What the current project's span must still be widened to cover, as (start, end) points:
        # covering once at close builds one Span instead of two per row.
        self.extent: tuple[tuple[int, int], tuple[int, int]] | None = None
        self.row_lines: list[int] | None = None  # [first line, last line] of the rows read, likewise

    # -- opening and closing -------------------------------------------------
    def open(self, name: str, span: Span, heading: str | None) -> None:
        self.close()
        self.current = Project(index=len(self.projects) + 1, name=name, heading=heading, span=span, name_span=span)
        self.columns = None
        self.pending_schedule = None
        self.last_level1 = None
        self.seen_rows = False
        self.loose_text = []
        self.unit = self.document_unit
        self.partial = None
        self.extent = None
        self.row_lines = None

    def close(self) -> None:
        project = self.current
        if project is None:
            return
        if self.columns is not None:
            self.flush_partial()
        if self.row_lines is not None:
            (first, last), self.row_lines = self.row_lines, None
            self.extend(first, 1, last, 2)  # rows span whole lines
        if self.extent is not None:
            (line, column), (end_line, end_column) = self.extent
            self.extent = None
            project.span = project.span.cover(Span(line=line, column=column, end_line=end_line, end_column=end_column))
        if not project.indicators:
            text = "".join(self.loose_text)
            if "一级指标" in text or "指标值" in text:
                project.insufficient.append(
                    "indicator table collapsed into running text (layout lost in extraction); not read"
                )
            elif self.seen_rows:
                project.insufficient.append("no indicator rows found in the table")
        if self.seen_rows or project.indicators or self.loose_text:
            self.projects.append(project)
        self.current = None

    def extend(self, line: int, column: int, end_line: int, end_column: int) -> None:
        """Widen the current project to cover this stretch (as Span.cover would, applied at close)."""
        if self.current is None:
            return
        if self.extent is None:
            self.extent = ((line, column), (end_line, end_column))
        else:
            start, end = self.extent
            self.extent = (min(start, (line, column)), max(end, (end_line, end_column)))

    # -- blocks ----------------------------------------------------------------
    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        unit = _UNIT.search(text) if "单位" in text else None
        heading = _heading_name(paragraph)
        if heading:
            name, span = heading
            self.open(name, span, heading=paragraph.text.strip())
            if unit:
                self.unit = unit.group(1)
            return
        if unit:
            self.unit = unit.group(1)
            if self.current is None:
                self.document_unit = self.unit
        if self.current is None:
            return
        if self.current.indicators and _substantial(text):
            # Narrative after the indicator rows (a new section such as 六、政府采购预算情况):
            # the project's table is over; its rows must not swallow the next table.
            self.close()
            return
        if not self.seen_rows:
            self.loose_text.append(text)
            span = paragraph.span
            if span:
                self.extend(span.line, span.column, span.end_line or span.line, span.end_column or span.column + 1)

    def table(self, table: Table) -> None:
        rows = table.rows
        if not rows:
            return
        squashed = _squashed_rows(rows)
        if self.current is None and not any("项目名称" in joined for joined in squashed):
            return  # no project is open and no 项目名称 row opens one (budget tables): nothing to read
        search = _LABEL_WORDS.search
        indicator_row = self.indicator_row
        for row, joined in zip(rows, squashed):
            if self.columns is None or self.pending_schedule is not None or self.current is None or search(joined):
                self.row(row, joined)
                continue
            # An indicator row, the most common row: what row() would do for it, less its tests
            # (and take() written out: rows come in order, a project's extent only grows).
            lines = self.row_lines
            if lines is None:
                self.take(row)
            else:
                if row.line < lines[0]:
                    lines[0] = row.line
                if row.end_line > lines[1]:
                    lines[1] = row.end_line
            indicator_row(row)

    def take(self, row: Row) -> None:
        """A row of the open project: rows were seen, and the project reaches at least this far."""
        self.seen_rows = True
        lines = self.row_lines
        if lines is None:
            self.row_lines = [row.line, row.end_line]
        else:
            if row.line < lines[0]:
                lines[0] = row.line
            if row.end_line > lines[1]:
                lines[1] = row.end_line

    def row(self, row: Row, joined: str | None = None) -> None:
        # `joined`: the row's squashed cell texts as one string, \0 between cells (\0 matches none
        # of the patterns): most rows are indicator rows holding none of the label words, and one
        # search tells them apart.
        if joined is None:
            joined = _squashed_row(row)
        labelled = _LABEL_WORDS.search(joined) is not None
        texts = joined.split("\0") if labelled else []
        if labelled and "项目名称" in texts:
            self.project_name_row(row, texts)
        if self.current is None:
            return
        self.take(row)
        if not labelled and self.pending_schedule is None:
            if self.columns is not None:
                self.indicator_row(row)
            return
        if not texts:
            texts = joined.split("\0")
        if "单位" in joined:
            for unit in _UNIT.finditer(joined):
                self.unit = unit.group(1)
        first = next(filter(None, texts), "")
        if self.pending_schedule is not None:
            self.schedule_values(row)
            return
        if first.startswith("资金支出计划") or (
            "资金支出" in joined
            and "\0资金支出" in "\0" + joined  # a cell starts with 资金支出
            and sum(1 for t in texts if _PERIOD.match(t)) >= 2
        ):
            self.schedule_header(row, texts)
            return
        if "项目编码" in texts:
            i = texts.index("项目编码")
            if i + 1 < len(texts) and texts[i + 1]:
                self.current.code = texts[i + 1]
        if ("预算数" in joined or "资金" in joined) and (
            "预算数" in texts or "其他资金" in texts or "财政资金\0" in joined + "\0"  # a cell ends with 财政资金
        ):
            self.money_row(row, texts)
        if first in _GOAL_LABELS and len(row.texts) > 1:
            self.goal_row(row, texts.index(first))
            return
        header = _indicator_layout(tuple(row.texts)) if "指标值" in joined else None
        if header is not None:
            if self.columns is not None:
                self.flush_partial()  # read under the header it came with
            self.columns, self.roles, self.width, self.fields = header
            self.last_level1 = None
            return
        if self.columns is not None:
            self.indicator_row(row)

    def project_name_row(self, row: Row, texts: list[str]) -> None:
        i = texts.index("项目名称")
        cells = row.texts
        k = next((k for k in range(i + 1, len(cells)) if cells[k]), None)  # the name's cell
        if k is None:
            return
        name = cells[k].strip(" ]")
        if _COLUMN_WORD.match(_squash(name)):
            return  # a column header (政府采购表: 项目名称 | 预算资金 …), not a project's name
        span = row.span_of(k)
        project = self.current
        if project is None or project.indicators or (project.name_span and project.heading is None):
            self.open(name, span, heading=None)
            self.current.span = row.span
        else:
            project.name = name
        self.current.name_span = span

    # -- row kinds ---------------------------------------------------------------
    def money_row(self, row: Row, texts: list[str]) -> None:
        project = self.current
        for i, text in enumerate(texts):
            attribute = None
            if text == "预算数" or text == "预算资金" or text == "年度预算数":
                attribute = "budget"
            elif text.endswith("财政资金") or text == "其中:财政拨款":
                attribute = "fiscal"
            elif text == "其他资金":
                attribute = "other"
            if attribute is None or getattr(project, attribute) is not None:
                continue
            figure = row.texts[i + 1] if i + 1 < len(row.texts) else ""
            if not figure:
                continue  # blank is absent, not zero
            value = parse_figure(figure)
            if value is None:
                project.insufficient.append(f"{text} cell is not a number: {figure!r}")
                continue
            setattr(project, attribute, Money(value=value, text=figure, unit=self.unit, span=row.span_of(i + 1)))

    def goal_row(self, row: Row, label_index: int) -> None:
        texts = row.texts
        filled = [k for k in range(label_index + 1, len(texts)) if texts[k]]
        if not filled:
            self.current.goal = ""
            self.current.goal_span = row.span_of(label_index)
            return
        self.current.goal = "\n".join(texts[k] for k in filled)
        span = row.span_of(filled[0])
        for k in filled[1:]:
            span = span.cover(row.span_of(k))
        self.current.goal_span = span

    def schedule_header(self, row: Row, texts: list[str]) -> None:
        periods = [(i, t) for i, t in enumerate(texts) if _PERIOD.match(t)]
        if not periods:
            self.current.insufficient.append("资金支出计划 header has no period columns")
            return
        self.pending_schedule = (row, periods)

    def schedule_values(self, row: Row) -> None:
        header, periods = self.pending_schedule
        self.pending_schedule = None
        cells = row.texts
        width = len(header.texts)
        # Cell-per-line rows repeat a merged label as an empty first cell, so the values row is
        # as wide as the header. A values row one cell short has lost that label cell.
        if len(cells) == width:
            shift = 0
        elif len(cells) == width - 1 and periods[0][0] >= 1:
            shift = -1
        else:
            self.current.insufficient.append(
                f"资金支出计划 values row has {len(cells)} cells for a header of {width}; columns cannot be aligned"
            )
            return
        points: list[SchedulePoint] = []
        for index, period in periods:
            at = index + shift
            if not 0 <= at < len(cells):
                continue
            match = _PERCENT.match(_squash(cells[at]))
            points.append(
                SchedulePoint(
                    period=period,
                    raw=cells[at],
                    value=Decimal(match.group(1)) if match else None,
                    is_percent=bool(match),
                    span=row.span_of(at),
                )
            )
        self.current.schedule = Schedule(points=points, span=header.span.cover(row.span))

    def indicator_header(self, row: Row) -> dict[str, int] | None:
        return _indicator_header(tuple(row.texts))

    def indicator_row(self, row: Row) -> None:
        """A row under an indicator header. A short one may be the first half of a row a stray
        blank line cut in two: it waits for the next row, and the two are read as one when
        together they fill the header's columns; else it is read as it is."""
        texts = row.texts
        if self.partial is not None:
            partial, self.partial = self.partial, None
            if len(partial.texts) + len(texts) == self.width:
                self.indicator(Row(partial.cells + row.cells, partial.line, row.end_line))
                return
            self.indicator(partial)
        if texts and len(texts) <= self.width - 2 and texts[-1]:
            self.partial = row
            return
        self.indicator(row)

    def flush_partial(self) -> None:
        """The project or table ends: a short row still waiting is read as it is."""
        if self.partial is not None:
            partial, self.partial = self.partial, None
            self.indicator(partial)

    def indicator(self, row: Row) -> None:
        """One indicator row, read into the current project's indicators."""
        texts = row.texts
        count = len(texts)
        if count >= self.width:
            # A full row (most): every role's cell at once, "" for a role the header lacks.
            value_at, level1_at, level2_at, level3_at, description_at, basis_at = self.roles
            value, level1_raw, level2_raw, level3, description, basis = self.fields((*texts, ""))
        else:
            # The cell index of each role (None when the header has no such column or the row is too short).
            value_at, level1_at, level2_at, level3_at, description_at, basis_at = (
                i if i is not None and i < count else None for i in self.roles
            )
            value = texts[value_at] if value_at is not None else ""
            level1_raw = texts[level1_at] if level1_at is not None else ""
            level2_raw = texts[level2_at] if level2_at is not None else ""
            level3 = texts[level3_at] if level3_at is not None else ""
            description = texts[description_at] if description_at is not None else ""
            basis = texts[basis_at] if basis_at is not None else ""
        if value_at is None or (not level2_raw and not level3 and not value):
            return
        names = self.level_names.get((level1_raw, level2_raw))
        if names is None:
            names = self.level_names[level1_raw, level2_raw] = _level_names(level1_raw, level2_raw)
        level1, source, level2 = names
        if level1 is None and self.last_level1:
            level1, source = self.last_level1, "carried"
        self.last_level1 = level1
        # The fields one by one, spans left to __getattr__ (what Indicator.__init__ would do, less
        # the four spans: most are never read).
        indicator = _new_indicator(Indicator)
        indicator.level1 = level1
        indicator.level1_raw = level1_raw
        indicator.level1_source = source
        indicator.level2 = level2
        indicator.level2_raw = level2_raw
        indicator.level3 = level3
        indicator.description = description
        indicator.value = parse_value(value)
        indicator.basis = basis
        indicator._row = row
        indicator._value_at = value_at
        indicator._name_at = level3_at if level3 else description_at if description else None
        indicator._level2_at = level2_at if level2_raw else None
        self.current.indicators.append(indicator)


def extract_projects(blocks: Iterable[Block]) -> list[Project]:
    builder = _Builder()
    for block in blocks:
        if isinstance(block, Paragraph):
            builder.paragraph(block)
        else:
            builder.table(block)
    builder.close()
    return builder.projects
