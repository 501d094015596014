"""The narrative-structure facts the T rules read: markers and lists, count claims, headings,
years, unit names, table titles, goal figures and the 部门整体 分项绩效目标 items. Plain slotted
dataclasses (kw_only: built by keyword, fields keep their reading order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from audit.model import Span

# -- facts ------------------------------------------------------------------------------------
# Plain slotted dataclasses (kw_only: built by keyword, fields keep their reading order).

_fact = dataclass(slots=True, kw_only=True)


@_fact
class Marker:
    """One enumeration marker: （十三）, 二是, 3、 … as printed, with its number and place."""

    style: str  # part 第N部分 | cn 一、 | paren_cn （一） | shi 一是 | dun 1、 | dot 1. | paren_num （1）
    number: int
    label: str  # the marker as printed (normalised)
    title: str  # the text that follows it on its line (shortened)
    span: Span
    scope: str  # "text" (the document's paragraphs) or "cell@<line>"


@_fact
class Enumeration:
    """One list: consecutive markers of one style at one nesting level."""

    style: str
    scope: str
    depth: int  # how many lists were open around it
    heading: str | None = None  # the item of the enclosing list it sits under
    items: list[Marker] = field(default_factory=list)


@dataclass(slots=True)  # positional too: tables make one per figure cell
class NumberedLine:
    """Any line that starts with a number, whatever its punctuation (`10 安次…` has none):
    lets T002 tell a true skip from an item whose marker was written differently."""

    number: int
    numeral: str  # "arabic" | "cn"
    line: int
    scope: str


@_fact
class CountClaim:
    """`下设13个科室，包括：a、b、c` — a stated count and the items listed after it."""

    count: int
    count_text: str
    noun: str  # 科室
    items: list[str]
    item_spans: list[Span]
    span: Span  # the count (13个)
    list_span: Span  # the listed items
    open_ended: bool = False  # the list ends with 等 (not meant to be exhaustive)
    list_follows: bool = False  # `下设3个科室：` then 1、… 2、… on the following lines (items filled in from that list)


@_fact
class Heading:
    """A short line that may head a section (≤ 40 characters, no full stop)."""

    text: str
    span: Span


@_fact
class YearMention:
    """A four-digit year in a place where the budget year is meant, or in a comparison."""

    year: int
    text: str  # the phrase around it
    sentence: str = ""  # the whole sentence, to tell a comparison (…比上年增加) from a slip
    role: str  # title | header (预算年度/表头) | statement (2020年预算收入…) | comparison (较2019年…)
    span: Span


@_fact
class UnitName:
    """The name of the unit the disclosure is about, where the title or a preparer line gives it."""

    name: str  # as printed, code removed
    role: str  # title | preparer (编制单位 lines and the code+name line above each table)
    span: Span


@_fact
class TableTitle:
    """A budget table's own title line, whether a table follows, and whether it holds figures."""

    text: str
    span: Span
    has_table: bool
    has_figures: bool
    empty_note: bool  # a sentence says the table is empty (空表列示, 本单位无…)


@_fact
class Figure:
    """A figure written in a goal: `维持执勤人数100人`, `共计金额240万元`, `于6月份完成验收`."""

    kind: str  # quantity | month
    value: Decimal
    unit: str  # as written (人, 万元, %, 月); for a month: 月
    comparator: str | None = None  # ">=" for 不少于/至少/…余; None for a plain figure
    text: str  # the figure as printed (normalised)
    clause: str  # the clause it sits in
    context: str  # the clause with the figure removed: what is being counted
    total: bool = False  # 共计/合计/总: the project's total amount
    span: Span
    origin: str  # table_goal | overall (部门整体 分项绩效目标)
    item: int | None = None  # index into StructureFacts.subgoals for origin=overall
    part: str = "goal"  # goal (绩效目标) | indicator (绩效指标)


@_fact
class SubGoal:
    """One item of a 部门整体 分项绩效目标 list: （一）name / 绩效目标：… / 绩效指标：…"""

    index: int  # 0-based position in the list
    number: int  # its printed number
    name: str
    name_span: Span
    goal: str = ""
    goal_span: Span | None = None
    indicator: str = ""
    indicator_span: Span | None = None
