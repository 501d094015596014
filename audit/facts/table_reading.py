"""One standard table's pages → a BudgetTable: header rows told from data rows, columns named from
their header words (a group's word over its columns included), panels (收入 | 支出 sides), and rows
with their code (whole or split into 类 | 款 | 项), label, kind and figures. Pages and rows whose
columns were shifted in reading are aligned again; a figure out of place makes its row unknown."""

from __future__ import annotations

import re

from audit.facts.table_model import (
    _CODE, _META_START, BudgetTable, Column, Lexicon, Panel, TableFigure, TableRow, _parse, _unit_in, clean,
)
from audit.layout import Row, Table
from audit.model import Span


# --- reading one table ----------------------------------------------------------------------------


def _figure(row: Row, index: int) -> TableFigure | None:
    texts = row.texts
    if index >= len(texts):
        return None
    value = _parse(texts[index])
    if value is None:
        return None
    return TableFigure(value=value, text=texts[index], span=row.span_of(index))


_STRONG_HEADERS = {"栏次", "序号", "科目编码", "科目名称", "项目", "项目名称"}


_NOTHING = re.compile(r"^[-—–/\\－…·.。、无]*$")


def _blank(text: str) -> bool:
    """An empty cell or a dash: nothing stated (a garbled number is not blank). Not memoised:
    a few hundred calls a document, and `clean` is."""
    return bool(_NOTHING.match(clean(text)))


def _is_header(row: Row, lex: Lexicon) -> bool:
    words = [clean(t) for t in row.texts]
    if _STRONG_HEADERS.intersection(words):
        return True
    # a header row has no money in it (column numbers of a 栏次 row were caught above): asked first,
    # since it settles every data row (its cells were parsed anyway)
    if any(_parse(w) is not None for w in words[1:] if w):
        return False
    if any(_META_START.match(w) and lex.meta.search(w) for w in words if w) and all(_parse(w) is None for w in words if w):
        return True  # `编制部门：… | 截止时间：…` (or `部门名称：… | 元`) inside the table's frame: no data
    if any(lex.unit.search(w) for w in words) and not any(_CODE.match(w) for w in words):
        return True
    if not any(lex.header_words.search(w) or lex.column_key(w) for w in words if w):
        return False
    return not any(_CODE.match(w) for w in words)


class _ShiftedRow:
    """A row seen without its first `offset` cells (a page of a table that has blank columns in front
    of it which the other pages have not)."""

    __slots__ = ("row", "offset", "texts")

    def __init__(self, row: Row, offset: int):
        self.row, self.offset, self.texts = row, offset, row.texts[offset:]

    def span_of(self, k: int) -> Span:
        return self.row.span_of(k + self.offset)

    def __getattr__(self, name: str):
        return getattr(self.row, name)


class _PaddedRow(_ShiftedRow):
    """A row with `missing` blank cells put in front: a row shorter than the header whose last cell
    holds text lost blank columns at its left (a page rendered without the table's empty first column)."""

    def __init__(self, row: Row, missing: int):
        self.row, self.offset, self.texts = row, -missing, [""] * missing + list(row.texts)

    def span_of(self, k: int) -> Span:
        return self.row.span_of(k + self.offset) if k + self.offset >= 0 else self.row.span


def _padded(row: Row, bands: list[list[Row]]) -> Row:
    width = max((len(h.texts) for h in bands[0]), default=0) if bands else 0
    texts = row.texts
    if len(texts) >= width or not texts or not texts[-1].strip():
        return row
    return _PaddedRow(row, width - len(texts))  # type: ignore[return-value]


def _aligned(pages: list[Table]) -> list[Table]:
    """Pages of one table with their columns aligned: a page whose every row starts with blank cells
    that another page lacks is read without them (a page rendered one empty column wider)."""
    if len(pages) < 2:
        return pages
    leads = [_blank_lead(page) for page in pages]
    least = min(leads)
    if all(lead == least for lead in leads):
        return pages
    return [page if lead == least else Table(layout=page.layout, rows=[_ShiftedRow(r, lead - least) for r in page.rows])
            for page, lead in zip(pages, leads)]


def _blank_lead(page: Table) -> int:
    """How many columns at the left of this page are blank in every row."""
    rows = [r.texts for r in page.rows if any(t.strip() for t in r.texts)]
    lead = 0
    while rows and all(lead < len(t) and not t[lead].strip() for t in rows):
        lead += 1
    return lead


def _repeats_header(row: Row, seen: set[tuple[str, ...]], lex: Lexicon) -> bool:
    words = tuple(map(clean, row.texts))
    if words in seen or _STRONG_HEADERS.intersection(words):
        return True
    return sum(1 for w in words if w and lex.header_words.search(w)) >= 2


def _read_table(kind: str, title: str, title_span: Span | None, pages: list[Table], meta: list[str], lex: Lexicon) -> BudgetTable:
    table = BudgetTable(
        kind=kind, title=title, title_span=title_span, layout=pages[0].layout,
        line=pages[0].line, end_line=pages[-1].end_line, pages=len(pages),
    )
    unit = next((u for u in (_unit_in(t, lex) for t in [title, *meta]) if u), None)
    bands: list[list[Row]] = []  # header rows in runs: one run per page (data rows in between)
    data: list[Row] = []
    seen = -1
    seen_headers: set[tuple[str, ...]] = set()
    for page in _aligned(pages):
        started = False  # a data row seen on this page
        for row in page.rows:
            if not any(row.texts):
                continue
            # below data rows of the same page a header row repeats one or shows its words (序号, 项目 or
            # two group words): a data row without figures may hold column names (`财政专户管理资金 | 小计 | `)
            if (not started or _repeats_header(row, seen_headers, lex)) and _is_header(row, lex):
                seen_headers.add(tuple(map(clean, row.texts)))
                if seen != len(data):
                    bands.append([])
                    seen = len(data)
                bands[-1].append(row)
                unit = unit or next((u for u in (_unit_in(t, lex) for t in row.texts) if u), None)
            else:
                data.append(_padded(row, bands))
                # figures start the data (a figureless row above the header is no data yet: `| 资金 | 性质 |`)
                started = started or any(_parse(t) is not None for t in row.texts[1:] if t)
    if unit:
        table.unit, table.unit_stated = unit, True
    width = max((len(r.texts) for r in data), default=0)
    if table.layout == "cells":
        # Word extraction drops merged cells, so only header rows as wide as the data align with it.
        bands = [[h for h in band if len(h.texts) == width] for band in bands]
    headers = [h for band in bands for h in band]
    columns = _columns(bands, data, width, lex, table)
    table.panels = _panels(kind, columns, headers, data, lex, table)
    return table


def _columns(bands: list[list[Row]], data: list[Row], width: int, lex: Lexicon, table: BudgetTable) -> list[Column]:
    """Name each column from its header words, nearest the data first, on every page."""
    columns = []
    headers = [h for band in bands for h in band]
    for index in range(width):
        words = [clean(h.texts[index]) for h in headers if index < len(h.texts)]
        words = [w for w in words if w]
        keys: list[str] = []
        # rows are in page order; within a page the lowest header row is the most specific
        for band, page_words in zip(bands, _by_page(bands, index)):
            key = lex.path_key("/".join(_path(band, index, width))) if lex.column_paths else None
            for word in reversed(page_words):
                if key:
                    break
                key = lex.column_key(word)
            if key:
                keys.append(key)
        distinct = sorted(set(keys))
        key = keys[0] if keys else None
        column = Column(index=index, key=key, header=" / ".join(dict.fromkeys(words)))
        if len(distinct) > 1:
            column.uncertain = True
            column.note = f"pages disagree: {', '.join(distinct)}"
            table.notes.append(f"column {index + 1}: header words disagree between pages ({column.header})")
        elif keys and len(keys) < len(_by_page(bands, index)):
            column.note = "header garbled on some page; read from another page"
        column.additive = key not in lex.non_additive if key else False
        columns.append(column)
    _infer_roles(columns, data, table)
    return columns


def _path(band: list[Row], index: int, width: int) -> list[str]:
    """A column's header words top to bottom, a group's word included: a blank header cell whose column
    has words below it sits under the group cell to its left (merged cells are blank but for their
    first), when that group also has words below it."""
    grid = [[clean(h.texts[i]) if i < len(h.texts) else "" for i in range(width)] for h in band]
    path = []
    for r, words in enumerate(grid):
        word = words[index]
        if not word and any(grid[k][index] for k in range(r + 1, len(grid))):
            # the nearest word to the left, when the cells between have words below: a group over them
            left = next((j for j in range(index - 1, -1, -1) if words[j]), None)
            if left is not None and all(any(grid[k][j] for k in range(r + 1, len(grid))) or not grid[r + 1][j]
                                        for j in range(left, index + 1)) and any(grid[r + 1][left:index + 1]):
                word = words[left]
        if word:
            path.append(word)
    return path


def _by_page(bands: list[list[Row]], index: int) -> list[list[str]]:
    """Header words of one column, one list per page, top to bottom."""
    return [[w for h in band if index < len(h.texts) and (w := clean(h.texts[index]))] for band in bands]


def _infer_roles(columns: list[Column], data: list[Row], table: BudgetTable) -> None:
    """Columns the headers do not name: serial numbers, codes and labels are told by their contents."""
    has_label = any(c.key == "label" for c in columns)
    for column in columns:
        if column.key:
            continue
        texts = [clean(r.texts[column.index]) for r in data if column.index < len(r.texts)]
        texts = [t for t in texts if t]
        if not texts:
            continue
        if column.index == 0 and all(t.isdigit() and len(t) <= 3 for t in texts):
            column.key, column.additive = "serial", False
        elif sum(1 for t in texts if _CODE.match(t)) * 2 > len(texts) and all(_CODE.match(t) or not t.isdigit() for t in texts):
            column.key, column.additive = "code", False
        elif sum(1 for t in texts if _parse(t) is None) * 2 > len(texts):
            # a text column: the row label when the header names none, else an attribute (品目, 单位…)
            column.key, column.additive = ("text" if has_label else "label"), False
            has_label = True
        else:
            column.uncertain = True
            column.note = "header unreadable: meaning unknown"
            table.notes.append(f"column {column.index + 1}: header unreadable ({column.header or 'blank'}), not used")


def _panels(kind: str, columns: list[Column], headers: list[Row], data: list[Row], lex: Lexicon, table: BudgetTable) -> list[Panel]:
    labels = [c.index for c in columns if c.key == "label"]
    if not labels:
        values = [c for c in columns if c.key and c.additive]
        if not values:
            return []
        # a one-row table of figures under a header (the 三公 table): a panel without a label column
        panel = Panel(side="main", label_index=-1, columns=values)
        panel.rows = _rows(panel, data, _domain(headers, kind), lex, _text_columns(columns))
        return [panel]
    if kind not in ("summary", "fiscal_summary"):
        for column in columns[labels[0] + 1:]:
            if column.key == "label":  # 采购物品名称 beside 项目名称: an attribute, not a second side
                column.key = "text"
        labels = labels[:1]
    sides = None
    if kind in ("summary", "fiscal_summary") and len(labels) in (2, 3):
        # 收入 | 支出; or 收入 | 支出 by function | 支出 by use (Jiangsu): both of the latter are expenditure
        sides = ["income", "expense", "expense"]
    panels: list[Panel] = []
    for n, label_index in enumerate(labels):
        end = labels[n + 1] if n + 1 < len(labels) else len(columns)
        code_index = next((c.index for c in columns[:label_index] if c.key == "code" and (n == 0 or c.index > labels[n - 1])), None)
        next_code = next((c.index for c in columns[label_index + 1:end] if c.key == "code"), None)
        if next_code is not None:
            end = next_code
        side = sides[n] if sides else ("main" if len(labels) == 1 else f"part{n + 1}")
        values = [c for c in columns[label_index + 1:end] if c.key not in ("serial", "code", "label", "text")]
        split = [c.index for c in columns[:label_index] if c.key in ("code_class", "code_kind", "code_item")]
        values = [c for c in values if c.key not in ("code_class", "code_kind", "code_item")]
        # 收入预算总表 (Jiangsu): a second label column between the label and the figures
        sub = next((c.index for c in columns[label_index + 1:end] if c.key == "text"), None) if kind == "income" else None
        if sub is not None and any(c.key not in (None, "text") for c in columns[label_index + 1:sub]):
            sub = None
        panels.append(Panel(side=side, label_index=label_index, code_index=code_index, sublabel_index=sub,
                            split_codes=split if len(split) in (2, 3) else [], columns=values))
    domain = _domain(headers, kind)
    for panel in panels:
        panel.rows = _rows(panel, data, domain, lex, _text_columns(columns))
    return panels


def _domain(headers: list[Row], kind: str) -> str:
    words = "".join(clean(t) for h in headers for t in h.texts)
    if "经济分类" in words:
        return "economic"
    if "功能分类" in words:
        return "function"
    return "economic" if kind == "gpb_basic" else "function"


def _text_columns(columns: list[Column]) -> set[int]:
    """Columns that hold no money: unnamed ones, labels and text."""
    return {c.index for c in columns if c.key in (None, "label", "text")}


def _rows(panel: Panel, data: list[Row], domain: str, lex: Lexicon, text_columns: set[int] = frozenset()) -> list[TableRow]:
    """The panel's data rows; a figure in one of `text_columns` is out of place."""
    rows: list[TableRow] = []
    top_style: str | None = None  # the numbering of the top items (一、 or 1、): another style nests below
    in_part = False  # after `其中:` until the next numbered item: sub-items
    in_balance = False  # after a 结转结余 row: its own breakdown (一、一般公共预算拨款 …)
    continued: set[int] = set()  # rows taken as parts only because they follow a 其中 row
    carried = ["", ""]  # 类 and 款 of the rows above, for split codes whose parent cells are blank
    for row in data:
        texts = row.texts
        if panel.label_index >= len(texts):
            continue
        label_at = panel.label_index
        label = texts[label_at].replace("\n", "") if label_at >= 0 else ""
        if panel.sublabel_index is not None and panel.sublabel_index < len(texts):
            sub = clean(texts[panel.sublabel_index])
            if clean(label) and sub in ("小计", "合计", "") and not lex.total_rows.match(clean(label)):
                label += "小计"  # the group's total, 小计 printed or not: `一般公共预算资金 | 小计 |`
            elif sub and not clean(label):
                label, label_at = texts[panel.sublabel_index], panel.sublabel_index  # an item of the group
        code = None
        if panel.code_index is not None and panel.code_index < len(texts):
            code_text = clean(texts[panel.code_index])
            if _CODE.match(code_text):
                code = code_text
            elif code_text and not clean(label):
                label_at = panel.code_index  # `合计` written in the code column
                label = texts[label_at].replace("\n", "")
        elif panel.split_codes:
            code = _split_code(row, panel.split_codes, carried)
        cells = {c.index: f for c in panel.columns if (f := _figure(row, c.index)) is not None}
        unreadable = [c.index for c in panel.columns if c.additive and c.index not in cells
                      and c.index < len(texts) and not _blank(texts[c.index])]
        if not cells and any(k in text_columns and _parse(t) is not None and not _CODE.match(clean(t))
                             for k, t in enumerate(texts) if t):
            # its figure stands in a column of text or of no name (the page was read with its columns
            # shifted): the row's values are unknown, not blank
            unreadable = [c.index for c in panel.columns if c.additive]
        name = clean(label)
        if not name and not code and not cells:
            continue
        if not name and not code and cells:
            name = label = _borrowed_label(texts, label_at, panel.label_index < 0)
        label_shown = bool(name)
        numbering = lex.numbering.match(name) if not code else None
        numbered = numbering is not None
        style = _style(numbering.group(0)) if numbering else None
        name = lex.numbering.sub("", name)
        part = bool(lex.part_marker.match(name))
        if style and top_style is None:
            top_style = style
        elif style and style != top_style:
            part = True  # `1.一般公共预算拨款` under `一、财政拨款收入`
        name = lex.part_marker.sub("", name)
        if code:
            kind = "item"
            in_part = False
        elif lex.total_rows.match(name):
            kind, in_part, in_balance = "total", False, False
        elif part:
            kind, in_part = "part", True
        elif lex.balance_rows.search(name):
            kind, in_part, in_balance = "balance", False, True
        elif numbered:
            kind, in_part = ("part" if in_balance else "item"), False
        elif in_part:
            kind = "part"  # `其中: A` then `B` on the next row: both are parts of the item above
            continued.add(len(rows))
        else:
            kind = "item"
        code_domain = None
        if code:
            code_domain = domain
            if domain == "economic" and len(code) == 7:
                code_domain = "function"
        span = row.span_of(label_at) if label_shown else (row.span_of(panel.code_index) if code else row.span)
        rows.append(
            TableRow(label=label, name=name, code=code, domain=code_domain, kind=kind, numbered=numbered,
                     cells=cells, unreadable=unreadable, line=row.line, span=span)
        )
    if not any(r.numbered for r in rows):
        for index in continued:  # without numbering nothing says where a 其中 list ends
            rows[index].maybe_item = True
    return rows


def _borrowed_label(texts: list[str], label_at: int, no_labels: bool) -> str:
    """The label of a row whose label cell is blank but which holds figures: a label cell merged across
    panels stands to the left (`当年支出小计 | | | 27,664.22`); a table with no label column holds
    one row of figures, its total (支出预算总表, the 三公 table)."""
    if no_labels:
        return "合计"
    for text in reversed(texts[:max(label_at, 0)]):
        word = clean(text)
        if word:
            return text.replace("\n", "") if _parse(text) is None else ""
    return ""


def _split_code(row: Row, indices: list[int], carried: list[str]) -> str | None:
    """类 | 款 | 项 in three columns (`201 | 31 | 01`), or 类 | 款 in two (经济分类 `302 | 17`); a blank 类
    or 款 is the one of the rows above."""
    parts = [clean(row.texts[i]) if i < len(row.texts) else "" for i in indices]
    cls, kind, item = (parts + [""])[:3]
    if not (re.fullmatch(r"\d{3}", cls) or not cls) or any(p and not re.fullmatch(r"\d{1,2}", p) for p in (kind, item)):
        return None
    kind, item = (p.zfill(2) if p else p for p in (kind, item))  # `301 | 2 | 津贴补贴`: the leading 0 not printed
    if cls:
        carried[0], carried[1] = cls, kind
    elif kind:
        carried[1] = kind
    if not (cls or kind or item) or not carried[0]:
        return None
    if item:
        return carried[0] + carried[1] + item if carried[1] else None
    return carried[0] + (kind if kind else "") if cls or kind else None


def _style(numbering: str) -> str:
    if numbering[0] in "(（":
        return "paren"
    return "arabic" if numbering[0].isdigit() else "chinese"
