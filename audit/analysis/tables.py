"""The budget tables as the identities read them. An identity (a relation the tables must satisfy) is
a list of Outcomes evaluated on intervals of displayed precision (audit.arith): a figure with d
decimals stands for ±0.5·10⁻ᵈ, so rounding is never a finding. `TableIndex` holds what is derived
from one document once for all table rules (tables by kind, each cell as a Figure, the narrative's
levels by concept); the helpers below pick rows and columns from a rule's params and name a cell
for a message. The identities themselves are built in audit/analysis/identities.py and
agreements.py; the ledger (ledger.py) diagnoses their failures, checks/budget_tables.py reports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, Callable, Iterable, NamedTuple

from audit import arith
from audit.arith import Figure, IdentityResult
from audit.facts.tables import BudgetTable, Column, Panel, TableFigure, TableRow, clean, table_lexicon
from audit.memo import per_run
from audit.memo import per_run
from audit.model import Span, Text


# --- identities and how they are reported ---------------------------------------------------------


@dataclass
class Outcome:
    """One column (or one pair of figures) of an identity, evaluated."""

    result: IdentityResult
    span: Span  # where the finding points: the stated figure
    subject: Text | Callable[[], Text]  # the stated figure: table, row, column (a callable: written only on failure)
    parts: Text | Callable[[], Text]  # what it is compared with (likewise)
    nearby: list[Figure] = field(default_factory=list)  # other figures a missing term may be (failures only)
    related: list[Span] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # extra message values (B007: what, relation)
    exact: bool = True  # an equality (a `≤` relation takes no part in diagnoses)


@dataclass
class Identity:
    """A relation the tables must satisfy (a parent row, a total row, one row's 合计 …)."""

    table: str  # table title, for the finding's subject
    outcomes: list[Outcome] = field(default_factory=list)


def column_name(column: Column | None, lang: str) -> str:
    if column is None:
        return ""
    return _column_title(column.key, column.header, column.index, lang)


@per_run
def _column_title(key: str | None, header: str, index: int, lang: str) -> str:
    names = table_lexicon().column_names.get(key or "", {})
    return names.get(lang) or header.split(" / ")[0] or f"#{index + 1}"


def row_name(row: TableRow) -> str:
    return _row_title(row.code, row.label)


_WHITESPACE = re.compile(r"\s+")


def _row_title(code: str | None, label: str) -> str:
    """Not memoised: a fraction of a microsecond, a few hundred rows a document."""
    label = _WHITESPACE.sub("", label)
    return f"{code} {label}".strip() if code else label


def where(table: BudgetTable, row: TableRow, column: Column | None, *, with_table: bool = True,
           printed: TableFigure | None = None) -> Text:
    """Table, row and column of a figure; `printed` adds the cell as printed when the table is not in 万元
    (comparisons across tables and with the narrative are made in 万元)."""
    zh_col = column_name(column, "zh")
    en_col = column_name(column, "en")
    zh = f"「{row_name(row)}」" + (f"{zh_col}列" if zh_col else "")
    en = f"\"{row_name(row)}\"" + (f" ({en_col})" if en_col else "")
    if with_table:
        zh = f"{table.name('zh')}{zh}"
        en = f"{table.name('en')} {en}"
    if printed is not None and table.unit != "万元":
        zh += f"（表列 {printed.text}{table.unit}，折合万元）"
        en += f" (printed {printed.text} {table.unit}, here in 万元)"
    return Text(zh=zh, en=en)


def cell_figure(table: BudgetTable, row: TableRow, column: Column | None, value: TableFigure, *, scale: bool = False) -> Figure:
    """A cell as an arith Figure; `scale` converts it to 万元 for comparisons across tables."""
    col = column_name(column, "zh")
    label = f"{table.name('zh')} {row_name(row)}" + (f"·{col}" if col else "")
    return Figure(shown=value.value, label=label, span=value.span, scale=table.scale if scale else _ONE)


_ONE = Decimal(1)


def fmt(value: Decimal) -> str:
    """A computed figure as printed: trailing zeros of a unit conversion dropped, at least 2 decimals."""
    if value.as_tuple().exponent < -2:
        value = value.normalize()
        if value.as_tuple().exponent > -2:
            value = value.quantize(Decimal("0.01"))
    return arith.display(value)


class TableIndex:
    """What the table rules derive from one document, computed once and shared by B001/B006–B009/B014
    and the ledger: the tables by kind, each cell as a Figure, the narrative's levels by concept."""

    def __init__(self, facts: Any):
        self.facts = facts
        self.tables: list[BudgetTable] = list(getattr(facts, "tables", []))
        self.by_kind: dict[str, list[BudgetTable]] = {}
        self.by_group: dict[tuple[str, int], list[BudgetTable]] = {}
        for table in self.tables:
            self.by_kind.setdefault(table.kind, []).append(table)
            self.by_group.setdefault((table.kind, table.group), []).append(table)
        self._levels: dict[str, list] | None = None
        self._figures: dict[tuple[int, int, bool], Figure] = {}

    def figure(self, table: BudgetTable, row: TableRow, column: Column | None, value: TableFigure, *, scale: bool = False) -> Figure:
        """A cell as an arith Figure, built once: the same cell takes part in many identities and rules."""
        key = (id(value), id(column), scale)
        figure = self._figures.get(key)
        if figure is None:
            figure = self._figures[key] = cell_figure(table, row, column, value, scale=scale)
        return figure

    def of_kinds(self, kinds: Iterable[str]) -> list[BudgetTable]:
        """The tables of these kinds, in document order."""
        kinds = set(kinds)
        if len(kinds) == 1:
            return self.by_kind.get(next(iter(kinds)), [])
        return [t for t in self.tables if t.kind in kinds]

    def in_group(self, kind: str, group: int | None) -> list[BudgetTable]:
        """The tables of a kind in one set of tables (all sets when `group` is None)."""
        if group is None:
            return self.by_kind.get(kind, [])
        return self.by_group.get((kind, group), [])

    def levels(self, concept: str) -> list:
        """Narrative nodes stating this year's level of a concept (the latest year the narrative speaks of)."""
        if self._levels is None:
            statements = getattr(getattr(self.facts, "narrative", None), "statements", [])
            years = [n.year for s in statements for n in s.nodes if n.year]
            budget_year = max(years) if years else None
            self._levels = {}
            for s in statements:
                for n in s.nodes:
                    if n.concept is not None and n.level is not None and n.year in (None, budget_year):
                        self._levels.setdefault(n.concept, []).append(n)
        return self._levels.get(concept, [])


class Scope(NamedTuple):
    """What an identity generator reads: the document's facts, one rule's params, and what is derived
    from the document once for all rules."""

    facts: Any
    params: dict[str, Any]
    index: TableIndex


# --- selecting rows and columns from the params ---------------------------------------------------


class RowNames:
    """A params list of row names: which printed names it matches (in full), each name tried once
    (the same few hundred names recur in every table of every file)."""

    __slots__ = ("patterns", "_seen")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = tuple(re.compile(clean(p)) for p in patterns)
        self._seen: dict[str, bool] = {}

    def match(self, name: str) -> bool:
        seen = self._seen
        found = seen.get(name)
        if found is None:
            if len(seen) >= _SEEN_LIMIT:
                seen.clear()
            found = seen[name] = any(p.fullmatch(name) for p in self.patterns)
        return found


_SEEN_LIMIT = 4096


def names(patterns: Iterable[str]) -> RowNames:
    return _compiled(tuple(patterns))


@per_run
def _compiled(patterns: tuple[str, ...]) -> RowNames:
    """A params list of row names, compiled once a run (rules ask for the same lists on every row;
    a run's rules, from --rules too, bring their own, and the names matched come from its documents)."""
    return RowNames(patterns)


def matches(row: TableRow, names: RowNames) -> bool:
    return names.match(row.name)


def tables_of(scope: Scope, kinds: Iterable[str]) -> list[BudgetTable]:
    return scope.index.of_kinds(kinds)


def summable(panel: Panel) -> list[Column]:
    """Columns whose figures may be added: known meaning, money, not in doubt."""
    return [c for c in panel.columns if c.key and c.additive and not c.uncertain]


def left_out(rows: list[TableRow], taken: set[int]) -> list[TableRow]:
    """The rows not taking part in an identity: a term left out may be among them (asked on failure only)."""
    return [r for r in rows if id(r) not in taken]


def sum_outcome(index: TableIndex, table: BudgetTable, panel: Panel, total: TableRow, members: list[TableRow], column: Column,
                 parts_text: Text, nearby_rows: Callable[[], Iterable[TableRow]] = tuple) -> Outcome | None:
    """total[column] = Σ members[column]; None when the total or every member is blank."""
    stated = total.cells.get(column.index)
    present = [(m, m.cells[column.index]) for m in members if column.index in m.cells]
    if stated is None or not present or any(column.index in r.unreadable for r in (total, *members)):
        return None  # nothing to add up, or a garbled cell among the terms
    result = arith.check_sum(index.figure(table, total, column, stated), [index.figure(table, m, column, v) for m, v in present])
    nearby = [] if result.holds else [index.figure(table, r, column, r.cells[column.index]) for r in nearby_rows() if column.index in r.cells]
    return Outcome(result, stated.span, partial(where, table, total, column), parts_text, nearby)


def find_row(table: BudgetTable, labels: list[str]) -> tuple[Panel, TableRow] | None:
    """The first row of these names, one holding figures first (a label merged across the two expense
    panels of a Jiangsu 收支总表 stands in both, its figure in one)."""
    patterns = names(labels)
    found = [(panel, row) for panel in table.panels for row in panel.rows if not row.code and matches(row, patterns)]
    return next((f for f in found if f[1].cells), found[0] if found else None)


def main_column(panel: Panel, row: TableRow, prefer: list[str]) -> Column | None:
    for key in prefer:
        column = panel.column(key)
        if column and not column.uncertain and column.index in row.cells:
            return column
    return None


def at_most(small: Figure, large: Figure) -> bool:
    """small ≤ large on intervals: fails only when small's lowest reading exceeds large's highest."""
    return small.value - small.half <= large.value + large.half
