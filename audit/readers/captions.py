"""What the lines around a table say about it: its title (…表), its money unit (单位：万元) and how
many of its first rows are column headers. Shared by the Word and Excel readers, which both find
tables whose caption sits in paragraphs or rows just above the grid.

These are hints for reports and the facts stage, read from the printed text only; what a table
*is* (收支总表 or not) is decided later from rules/lexicons/.
"""

from __future__ import annotations

import re

from audit.document import Block, Cell, Paragraph, Table

# 单位：万元 / 金额单位:元 / （单位：万元）; full- or half-width colon, optional spaces.
_UNIT = re.compile(r"单位\s*[:：]\s*(亿元|千元|万元|元)")
# A line that names a table: ends in 表 (optionally 表（续）/ 续表), or starts 表1 / 附表二.
_TITLE_END = re.compile(r"表\s*(?:[（(]\s*续\s*表?\s*[)）])?\s*$|续表\s*$")
_TITLE_START = re.compile(r"^\s*附?表\s*[0-9０-９一二三四五六七八九十]+")
_POINTER = re.compile(r"[见如]下表|下表[:：]?\s*$|见.{0,8}表[\d一二三四五六七八九十]*\s*$")  # 具体内容见下表 points at a table, it is not its name
_TITLE_MAX = 80  # a longer line is a sentence that happens to end in 表, not a caption
# A short line naming a table mid-line (收支预算总表 公开表一 部门：…), not 代表大会.
_NAME_MAX = 40
_NAME_INSIDE = re.compile(r"表[一二三四五六七八九十\d]*(?=$|[\s（(）)、，,:：])")
_SENTENCE_END = ("，", "；", ",", ";")
# A figure as a data row holds it: 1,234.56 / -12.5 / 35% / 1183. 74 (OCR gap kept by some tools).
_FIGURE = re.compile(r"[-+]?\d[\d,]*(?:\.\s?\d+)?%?")
# A code a data row holds (功能分类 2010101, 项目编码 13060022P00R6BL100478); no header has 6 digits.
_CODE = re.compile(r"(?:\D*\d){6}")
_HEADER_MAX = 4  # more leading rows without a figure: the table is text (项目绩效目标表), not headers
_COLUMN_NUMBERS = ("栏次", "行次")


def unit_of(text: str) -> str | None:
    """The money unit a caption or cell states (`单位：万元` → 万元), or None."""
    match = _UNIT.search(text)
    return match.group(1) if match else None


def names_table(text: str) -> bool:
    """True when a line reads as a table's caption (收支预算总表, 表3 …, 1、…绩效目标表)."""
    text = text.strip()
    if not text or len(text) > _TITLE_MAX or "。" in text or _POINTER.search(text):
        return False
    if _TITLE_END.search(text) or _TITLE_START.match(text):
        return True
    # 收支预算总表 公开表一 / 财政拨款收支总表（公开表四）: a short line naming a table mid-line.
    return len(text) <= _NAME_MAX and _NAME_INSIDE.search(text) is not None and not text.endswith(_SENTENCE_END)


def _is_column_numbers(texts: list[str]) -> bool:
    """栏次 1 2 3 … : the row that numbers the columns is part of the header, not data."""
    if texts and texts[0].replace(" ", "") in _COLUMN_NUMBERS:
        return True
    numbers = [t for t in texts if t]
    return len(numbers) > 1 and numbers == [str(i) for i in range(1, len(numbers) + 1)]


def header_rows(rows: list[list[Cell]]) -> int:
    """How many leading rows are headers: those before the first row holding a figure or a code (the 栏次 row
    counts as header), widened so a header cell merged downwards stays inside. 0 when no row holds a
    figure or the figure-free run is too long to be headers (a table of text)."""
    count = 0
    for row in rows:
        texts = [c.text.strip() for c in row if not c.covered]
        if _is_column_numbers(texts) or not any(_FIGURE.fullmatch(t) or _CODE.match(t) for t in texts):
            count += 1
            continue
        break
    else:
        return 0
    if count > _HEADER_MAX:
        return 0
    reach = count
    for r in range(count):
        for cell in rows[r]:
            if not cell.covered:
                reach = max(reach, r + cell.rowspan)
    return min(reach, len(rows))


def caption_row(row: list[Cell]) -> str | None:
    """The caption a table row holds when it holds nothing else (a title merged across at least
    half the table, a table's name, a 单位 line, 编制单位：… 单位：万元 across two or three cells),
    or None for a row of the table proper."""
    width = len(row)
    texts = [c.text for c in row if c.text and not c.covered]
    if len(texts) == 1:
        cell = next(c for c in row if c.text and not c.covered)
        if (cell.colspan > 1 and cell.colspan * 2 >= width) or names_table(cell.text) or unit_of(cell.text) or width == 1:
            return cell.text
        return None
    if 1 < len(texts) <= 3 and any(unit_of(t) for t in texts) and not any(_FIGURE.fullmatch(t.strip()) for t in texts):
        if all(unit_of(t) or "：" in t or ":" in t or "年" in t for t in texts):
            return "  ".join(texts)
    return None


def lift_captions(table: Table) -> list[Paragraph]:
    """Take the caption rows off the top of a table (a title or 单位 row drawn as its first row)
    and return them as paragraphs, to be attached as the table's title and caption."""
    lifted: list[Paragraph] = []
    while len(table.rows) > 1:
        text = caption_row(table.rows[0])
        if text is None or any(c.rowspan > 1 for c in table.rows[0] if not c.covered):
            break
        cell = next(c for c in table.rows[0] if c.text and not c.covered)
        lifted.append(Paragraph(text, cell.origin))
        del table.rows[0]
    if lifted:
        table.origin = table.rows[0][0].origin
    return lifted


def attach(blocks: list[Block]) -> None:
    """Give each table the caption lines printed just above it: up to two 单位 lines right above
    (编制单位：… / 单位：万元) become its caption, the line above them that names a table its title.
    The paragraphs taken are removed, as the PDF reader does, so they are rendered once."""
    i = 0
    while i < len(blocks):
        table = blocks[i]
        if not isinstance(table, Table):
            i += 1
            continue
        start = i
        captions: list[str] = []
        while start > 0 and len(captions) < 2 and _is_line(blocks[start - 1]) and unit_of(blocks[start - 1].text):
            start -= 1
            captions.insert(0, blocks[start].text.strip())
        title = ""
        if not table.title and start > 0 and _is_line(blocks[start - 1]) and names_table(blocks[start - 1].text):
            start -= 1
            title = blocks[start].text.strip()
        if captions and not title and not table.title:
            title, captions[0] = split_title(captions[0])
        captions = [c for c in captions if c]
        if captions and not table.caption:
            table.caption = "  ".join(captions)
        table.title = table.title or title
        table.unit = table.unit or unit_of(table.caption) or unit_of(table.title) or first_row_unit(table.rows)
        del blocks[start:i]
        i = start + 1


_CAPTION_START = re.compile(r"(?:编制)?(?:部门|单位)\s*[:：]|金额单位|预算年度")


def split_title(line: str) -> tuple[str, str]:
    """`收支预算总表 公开表一 部门：某厅 单位：万元` → (`收支预算总表 公开表一`, `部门：某厅 单位：万元`): a
    title and its caption printed on one line; ("", line) when the line does not start with a title."""
    match = _CAPTION_START.search(line)
    if match and match.start() > 0 and names_table(line[: match.start()]):
        return line[: match.start()].strip(), line[match.start() :].strip()
    return "", line


def _is_line(block: Block) -> bool:
    return isinstance(block, Paragraph) and len(block.text.strip()) <= _TITLE_MAX


def first_row_unit(rows: list[list[Cell]]) -> str | None:
    """A unit printed inside the table's first row (`单位：万元` in a corner cell), or None."""
    if not rows:
        return None
    for cell in rows[0]:
        unit = unit_of(cell.text)
        if unit:
            return unit
    return None
