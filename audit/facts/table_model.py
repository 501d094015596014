"""The budget tables as facts: what a table, a panel, a row, a column and a figure are, and the
compiled lexicon (rules/lexicons/budget_tables.yaml) that tells their names. Built by
audit.facts.tables (which tables there are) and audit.facts.table_reading (what one table holds)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from audit.lexicon import lexicon
from audit.memo import per_run
from audit.memo import per_run
from audit.model import Span
from audit.numbers import parse_figure

_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_SPACES = re.compile(r"[\s\"'“”‘’「」]+")
_UP_TO_LAST_SENTENCE_END = re.compile(r".*[。;；!?！？]", re.S)  # greedy: ends after the last one


class Lexicon:
    """The compiled patterns of rules/lexicons/budget_tables.yaml."""

    def __init__(self, data: dict):
        self.titles = [(kind, re.compile(p)) for kind, p in data["titles"]]
        self.not_titles = re.compile(data["not_titles"])
        self.names: dict[str, dict[str, str]] = data["names"]
        self.meta = re.compile(data["meta"])
        self.unit = re.compile(data["unit"])
        self.columns = [(key, re.compile(p)) for key, p in data["columns"]]
        self.column_paths = [(key, re.compile(p)) for key, p in data.get("column_paths", [])]
        self.non_additive = set(data["non_additive"])
        self.header_words = re.compile(data["header_words"])
        self.total_rows = re.compile(data["total_rows"])
        self.balance_rows = re.compile(data["balance_rows"])
        self.numbering = re.compile(data["numbering"])
        self.part_marker = re.compile(data["part_marker"])
        self.column_names: dict[str, dict[str, str]] = data.get("column_names", {})
        self.shapes = [(s["kind"], tuple(s["all"]), tuple(s.get("not", ()))) for s in data.get("shapes", [])]
        self._keys: dict[str, str | None] = {}

    def column_key(self, word: str) -> str | None:
        if word not in self._keys:  # header words repeat on every page: match each once
            self._keys[word] = next((key for key, pattern in self.columns if pattern.search(word)), None)
        return self._keys[word]

    def path_key(self, path: str) -> str | None:
        """A column's key from its header words top to bottom (`三公经费/小计`), for the columns whose
        own word (小计, 购置费) means something only under its group."""
        return next((key for key, pattern in self.column_paths if pattern.search(path)), None)

    def shape_kind(self, words: str) -> str | None:
        """A table's kind from its header words (all cleaned, joined), when no title names it."""
        for kind, wanted, unwanted in self.shapes:
            if all(w in words for w in wanted) and not any(w in words for w in unwanted):
                return kind
        return None

    def title_kind(self, title: str) -> str | None:
        if not title or len(title) > 60 or self.not_titles.search(title):
            return None
        for kind, pattern in self.titles:
            if pattern.search(title):
                return kind
        return None


@per_run
def table_lexicon() -> Lexicon:
    return Lexicon(lexicon("budget_tables"))


@per_run
def clean(text: str) -> str:
    """Text for matching: no whitespace, no quotes (`"三公"经费 小计` → `三公经费小计`).
    Memoised for the run: header words, codes and labels repeat on every page and are asked for several times."""
    return _SPACES.sub("", text)


# Cell texts repeat (headers on every page, 0.00, codes): each is parsed once a run. Decimals are immutable.
_parse = per_run(parse_figure)


# The facts are plain slotted dataclasses, not pydantic models: a document holds thousands of cells and
# they are built by this module, not parsed from outside (the JSON dump of `audit extract` reads them alike).


@dataclass(slots=True)
class TableFigure:
    """A number in a table cell, as printed (Decimal keeps its displayed decimals)."""

    value: Decimal
    text: str
    span: Span


@dataclass(slots=True)
class Column:
    """A figure column of a budget table: what its header says it holds."""

    index: int
    key: str | None  # total, basic, project, personnel … (None: meaning unknown)
    header: str  # the header words seen for this column, joined with " / "
    additive: bool = True
    uncertain: bool = False  # pages disagree about it, or its meaning was inferred
    note: str = ""


@dataclass(slots=True, kw_only=True)
class TableRow:
    """A data row of a budget table: its label, kind and the figures it holds."""

    label: str  # as printed (normalised)
    name: str  # label with numbering, 其中 and whitespace removed, for matching
    code: str | None = None  # classification code (3/5/7 digits)
    domain: str | None = None  # "function" (功能分类) | "economic" (经济分类)
    kind: str = "item"  # item | total | balance | part (其中 …)
    numbered: bool = False  # 一、… / 1、…
    cells: dict[int, TableFigure] = field(default_factory=dict)  # column index → figure
    unreadable: list[int] = field(default_factory=list)  # columns whose cell holds text that is no number
    maybe_item: bool = False  # a part only by position (after 其中, no numbering says where that list ends)
    line: int
    span: Span  # the label (or code) cell

    @property
    def level(self) -> int | None:
        """1 类, 2 款, 3 项 (code length 3/5/7)."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code)) if self.code else None


@dataclass(slots=True, kw_only=True)
class Panel:
    """One side of a table: a label column, its code column and the value columns to its right."""

    side: str  # main | income | expense
    label_index: int
    code_index: int | None = None
    split_codes: list[int] = field(default_factory=list)  # 类 / 款 (/ 项) columns, when the code is split
    sublabel_index: int | None = None  # a second label column (收入预算总表: `一般公共预算资金 | 小计`, ` | 专项收入`)
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        found = [c for c in self.columns if c.key == key]
        return found[0] if len(found) == 1 else None

    def value(self, row: TableRow, key: str) -> TableFigure | None:
        column = self.column(key)
        return row.cells.get(column.index) if column else None

    def find(self, names: Iterable[str]) -> list[TableRow]:
        wanted = {clean(n) for n in names}
        return [r for r in self.rows if r.name in wanted]


@dataclass(slots=True, kw_only=True)
class BudgetTable:
    """One of the standard budget tables (收支总表, 支出总表 …), read into panels of rows."""

    kind: str  # summary, income, expenditure, fiscal_summary, gpb_expenditure, gpb_basic, …
    title: str
    title_span: Span | None = None
    unit: str = "万元"
    unit_stated: bool = False
    layout: str
    line: int
    end_line: int
    pages: int = 1
    group: int = 0  # which set of tables (a 部门 file may hold one set per unit): a kind repeats → next set
    panels: list[Panel] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def span(self) -> Span:
        return Span(line=self.line, column=1, end_line=self.end_line)

    @property
    def rows(self) -> list[TableRow]:
        return [row for panel in self.panels for row in panel.rows]

    @property
    def empty(self) -> bool:
        return not any(row.cells for row in self.rows)

    def panel(self, side: str | None = None) -> Panel | None:
        if side is None:
            return self.panels[0] if self.panels else None
        return next((p for p in self.panels if p.side == side), None)

    def name(self, lang: str = "zh") -> str:
        names = table_lexicon().names.get(self.kind, {})
        return names.get(lang) or self.title

    @property
    def scale(self) -> Decimal:
        """Factor from this table's unit to 万元."""
        return _TO_WAN[self.unit]


_META_START = re.compile(r"^(编制|部门|单位)")  # a 编制单位/部门/单位 line (meta, not a title)


def _unit_in(text: str, lex: Lexicon) -> str | None:
    match = lex.unit.search(clean(text))
    return match.group(1) if match else None


_TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
