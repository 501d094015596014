"""The facts read from a 项目绩效目标表: Project, its Money rows, its spending Schedule and its
Indicator rows. audit/facts/projects.py builds them; the checks read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from audit.indicators import Constraint
from audit.model import Span

# Plain slotted dataclasses, not pydantic models: the builder types every field itself, and
# importing pydantic costs a cold `audit check` more than all of its validation ever caught here.
_fact = dataclass(slots=True, kw_only=True)


@_fact
class Money:
    """A figure in a project table, in the table's unit (万元 unless the table says otherwise)."""

    value: Decimal
    text: str
    unit: str = "万元"
    span: Span


@_fact
class SchedulePoint:
    """One period of a 资金支出计划 row: the share planned to be spent by then."""

    period: str  # 3月底, 6月底 …
    raw: str
    value: Decimal | None  # cumulative percent; None when the cell is empty
    is_percent: bool  # the cell held a readable percentage (empty cells: False)
    span: Span


@_fact
class Schedule:
    """资金支出计划（%）: cumulative share spent by each period, aligned by cell position."""

    points: list[SchedulePoint]
    span: Span  # the header row through the values row


class _RowPlaces:
    """Where a built Indicator's spans lie in its row, until one is read. A base class only so
    these slots are no dataclass fields: equality and `audit extract` see the fields alone."""

    __slots__ = ("_row", "_value_at", "_name_at", "_level2_at")


_SPANS = frozenset(("span", "value_span", "name_span", "level2_span"))


@dataclass(slots=True)
class Indicator(_RowPlaces):
    """One row of the indicator table. A plain dataclass: ~1k are built per document, and pydantic
    validation of fields the builder has already typed was most of their cost.

    The builder leaves the four spans unset and keeps the row: a check reads a few of them, for a
    few rows, and each is made on first read (`__getattr__` runs only for an unset slot)."""

    level1: str | None  # canonical 一级 (产出指标, 效益指标, 满意度指标, 成本指标)
    level1_raw: str  # as printed ("" for a merged cell, "广山相似" when OCR garbled it)
    level1_source: str  # "cell" | "inferred" (from the 二级) | "carried" (merged cell above)
    level2: str | None  # canonical 二级 when known, else as printed
    level2_raw: str
    level3: str
    description: str
    value: Constraint
    basis: str
    span: Span  # the whole row
    value_span: Span  # the 指标值 cell
    name_span: Span  # the 三级指标 cell (the 描述 cell when the name is blank)
    level2_span: Span  # the 二级指标 cell

    @property
    def name(self) -> str:
        """The indicator's own name: 三级指标, else its description."""
        return self.level3 or self.description

    def __getattr__(self, name: str) -> Span:
        if name not in _SPANS:
            raise AttributeError(name)
        row = self._row  # unset (an Indicator made by hand): AttributeError, as for any unset slot
        if name == "value_span":
            span = row.span_of(self._value_at)
        elif name == "span" or (at := self._name_at if name == "name_span" else self._level2_at) is None:
            span = row.span
        else:
            span = row.span_of(at)
        setattr(self, name, span)
        return span


_new_indicator = Indicator.__new__


@_fact
class Project:
    """One 项目绩效目标表: its name, money rows, schedule, goal and indicator rows."""

    index: int  # 1-based order in the document
    name: str
    heading: str | None = None
    span: Span  # heading through last row
    name_span: Span | None = None
    code: str | None = None  # 项目编码
    budget: Money | None = None  # 预算数
    fiscal: Money | None = None  # 其中：财政资金
    other: Money | None = None  # 其他资金
    schedule: Schedule | None = None
    goal: str | None = None  # 绩效目标
    goal_span: Span | None = None
    indicators: list[Indicator] = field(default_factory=list)
    insufficient: list[str] = field(default_factory=list)  # what could not be read, in plain words
