"""Excel (.xlsx) → Document: each visible sheet's tables, merged ranges as spans, numbers as shown.

openpyxl in normal mode (read-only mode does not report merged ranges), with `data_only=True`:
a formula is read as the value the file cached when it was last saved. A sheet holds one or more
tables separated by fully blank rows; the rows above a table that hold only a caption (a title
merged across the table, 编制单位 … 单位：万元) become paragraphs and give the table its title and
unit, as a caption line does in print. Hidden sheets, rows and columns are not read: a reader of
the workbook does not see them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from audit.document import Cell, Document, Origin, Paragraph, Table
from audit.readers.captions import caption, first_row_unit, header_rows, names_table, unit_of
from audit.readers.cellformat import display
from audit.readers.formulas import uncached_formulas
from audit.source import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an encrypted .xlsx (or a legacy .xls) is an OLE compound file
_ZIP_MAGIC = b"PK"


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _load(path: str):
    """(workbook, raw bytes) or InputError saying what the file is instead."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if data[:4] == _OLE_MAGIC:
        raise InputError("encrypted (password-protected) or a legacy .xls file, not an .xlsx")
    if data[:2] != _ZIP_MAGIC:
        raise InputError("not an Excel workbook (not an .xlsx zip)")
    import openpyxl  # lazy: only workbooks pay for openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise InputError("not an Excel workbook (a zip without xl/workbook.xml)")
        # A file object, not the path: openpyxl would refuse a workbook named other than .xlsx.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except InputError:
        raise
    except zipfile.BadZipFile:
        raise InputError("corrupt .xlsx (a damaged zip)") from None
    except Exception as exc:  # a hostile or damaged part can fail openpyxl anywhere in its parse
        raise InputError(f"corrupt .xlsx ({type(exc).__name__}: {str(exc)[:80]})") from None
    return workbook, data


@dataclass
class _Grid:
    """A sheet's visible cells as rows × columns of Cells, spans counted in visible cells."""

    rows: list[list[Cell]]
    numbers: list[int]  # sheet row number of each grid row


def _hidden_columns(sheet) -> set[int]:
    hidden: set[int] = set()
    for dimension in sheet.column_dimensions.values():
        if dimension.hidden and dimension.min:
            hidden.update(range(dimension.min, (dimension.max or dimension.min) + 1))
    return hidden


def _grid(sheet, path: str, skipped: list[str]) -> _Grid:
    values: dict[tuple[int, int], str] = {}
    # Stored cells only (`_cells`): iter_rows would build every cell of a sheet whose formatting
    # reaches row 1,048,576.
    for (r, c), cell in sheet._cells.items():
        if cell.value is not None:
            text = display(cell.value, cell.number_format)
            if text:
                values[r, c] = text
    merges = [m for m in sheet.merged_cells.ranges]
    if not values:
        return _Grid([], [])
    bottom = max(r for r, _ in values)
    right = max(c for _, c in values)
    for m in merges:
        if (m.min_row, m.min_col) in values:
            bottom, right = max(bottom, m.max_row), max(right, m.max_col)
    left = min(c for _, c in values)
    top = min(r for r, _ in values)
    hidden_cols = _hidden_columns(sheet)
    hidden_rows = {r for r, d in sheet.row_dimensions.items() if d.hidden}
    lost = sum(1 for r, c in values if r in hidden_rows or c in hidden_cols)
    if lost:
        skipped.append(f"{sheet.title}: {lost} cell(s) in hidden rows or columns not read")
    rows_used = [r for r in range(top, bottom + 1) if r not in hidden_rows]
    cols_used = [c for c in range(left, right + 1) if c not in hidden_cols]
    row_at = {r: i for i, r in enumerate(rows_used)}
    col_at = {c: j for j, c in enumerate(cols_used)}
    grid = [
        [
            Cell(values.get((r, c), ""), Origin(file=path, sheet=sheet.title, cell=f"{_column_letter(c)}{r}"))
            for c in cols_used
        ]
        for r in rows_used
    ]
    for m in merges:
        rows = [row_at[r] for r in range(m.min_row, m.max_row + 1) if r in row_at]
        cols = [col_at[c] for c in range(m.min_col, m.max_col + 1) if c in col_at]
        if not rows or not cols:
            continue
        anchor = grid[rows[0]][cols[0]]
        anchor.text = values.get((m.min_row, m.min_col), "")  # the text sits at the range's top-left
        anchor.rowspan, anchor.colspan = len(rows), len(cols)
        for i in rows:
            for j in cols:
                if (i, j) != (rows[0], cols[0]):
                    grid[i][j].text, grid[i][j].covered = "", True
    return _Grid(grid, rows_used)


def _blocks(grid: _Grid) -> list[list[list[Cell]]]:
    """Runs of rows between fully blank rows (a row crossed by a merged range is not blank)."""
    runs: list[list[list[Cell]]] = []
    current: list[list[Cell]] = []
    for row in grid.rows:
        if any(c.text or c.covered for c in row):
            current.append(row)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Drop the columns at either side that are empty in every row of this table."""
    width = len(rows[0])
    used = [j for j in range(width) if any(row[j].text or row[j].covered for row in rows)]
    first, last = used[0], used[-1]
    return [row[first : last + 1] for row in rows]


def _caption_row(row: list[Cell], width: int) -> str | None:
    """The caption a row holds when it holds nothing else: one text merged across at least half
    the table, a table's name, or 单位 lines (编制单位：… 单位：万元) without figures."""
    texts = [c for c in row if c.text and not c.covered]
    if len(texts) == 1:
        cell = texts[0]
        if cell.colspan * 2 >= width or names_table(cell.text) or unit_of(cell.text) or width == 1:
            return cell.text
        return None
    if texts and len(texts) <= 3 and any(unit_of(c.text) for c in texts):
        if all(unit_of(c.text) or "：" in c.text or ":" in c.text or "年" in c.text for c in texts):
            return "  ".join(c.text for c in texts)
    return None


def _sheet_blocks(grid: _Grid, first_table: int, sheet_title: str) -> list[Paragraph | Table]:
    """Paragraphs and Tables of one sheet; tables numbered from `first_table` in the file."""
    out: list[Paragraph | Table] = []
    pending: list[str] = []  # caption lines since the last table, for the next one
    index = first_table
    for run in _blocks(grid):
        rows = _trim(run)
        width = len(rows[0])
        head = 0
        while head < len(rows) and (text := _caption_row(rows[head], width)) is not None:
            origin = next(c.origin for c in rows[head] if c.text)
            out.append(Paragraph(text, origin))
            pending.append(text)
            head += 1
        tail = len(rows)
        while tail > head + 1 and _is_note(rows[tail - 1], width):
            tail -= 1
        body = _trim(rows[head:tail]) if head < tail else []
        if body:
            for r, row in enumerate(body):
                for c, cell in enumerate(row):
                    cell.origin = _at(cell.origin, index, r, c)
            title, unit = caption(pending)
            if not title and index == first_table and names_table(sheet_title):
                title = sheet_title  # the sheet tab names the table, as 项目绩效目标表 workbooks do
            out.append(
                Table(
                    rows=body,
                    title=title,
                    unit=unit or first_row_unit(body),
                    header_rows=header_rows(body),
                    origin=body[0][0].origin,
                )
            )
            index += 1
            pending = []
        for row in rows[tail:]:
            cell = next(c for c in row if c.text)
            out.append(Paragraph(cell.text, cell.origin))
    return out


def _is_note(row: list[Cell], width: int) -> bool:
    """A closing line merged across the table (注：本表…), printed under it rather than in it."""
    texts = [c for c in row if c.text and not c.covered]
    return len(texts) == 1 and texts[0].colspan * 2 >= width and texts[0].text.startswith(("注", "说明", "备注"))


def _at(origin: Origin, table: int, row: int, col: int) -> Origin:
    return Origin(file=origin.file, sheet=origin.sheet, cell=origin.cell, table=table, row=row, col=col)


def read(path: str) -> Document:
    """Read an .xlsx; raise InputError for a file that is not one (or is encrypted or corrupt)."""
    workbook, data = _load(path)
    notes: list[str] = []
    blocks: list[Paragraph | Table] = []
    tables = 0
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                notes.append(f"hidden sheet {sheet.title!r} not read")
                continue
            sheet_blocks = _sheet_blocks(_grid(sheet, path, notes), tables, sheet.title)
            tables += sum(isinstance(b, Table) for b in sheet_blocks)
            blocks.extend(sheet_blocks)
    finally:
        workbook.close()
    missing = uncached_formulas(data)
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        notes.append(
            f"{len(missing)} formula cell(s) without a cached value, read as blank "
            f"(the file was saved by a tool that does not calculate): {shown}"
        )
    return Document(path=path, format="xlsx", blocks=blocks, files=[path], notes=notes)
