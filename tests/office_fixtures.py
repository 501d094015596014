"""Real-shaped budget tables with merged cells, written as .docx, .xlsx and the same content as
tab-grid text, so the readers can be held to "the same facts as the text version".

The tables are the seeds' own (a Hebei 收支总表 from corpus 004, a 项目绩效目标表 from corpus 001)
and a Jiangsu 收入预算总表 (公开表二, from the 2019 江苏省人大常委会办公厅 tables), with the merges
their publishers' Word tables have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Merge = tuple[int, int, int, int]  # row, col, rowspan, colspan


@dataclass
class Grid:
    """A table as printed: caption lines above it and every grid position's text (a position
    covered by a merge holds "")."""

    title: str
    unit_line: str | None
    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)
    title_in_table: bool = False  # title and unit printed as one merged first row of the table

    @property
    def width(self) -> int:
        return len(self.rows[0])

    def covered(self) -> set[tuple[int, int]]:
        out = set()
        for r, c, rs, cs in self.merges:
            out.update((i, j) for i in range(r, r + rs) for j in range(c, c + cs) if (i, j) != (r, c))
        return out


Item = Grid | str  # a table, or a paragraph of narrative


def _pad(rows: list[list[str]], width: int) -> list[list[str]]:
    return [row + [""] * (width - len(row)) for row in rows]


# 单位预算收支总表 (corpus 004, both pages joined, OCR gaps repaired): 序号 merged down two header
# rows, 收入 and 支出 each merged across their two columns.
_INCOME = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
           "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
_SPENDING = ["一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
             "文化旅游体育与传媒支出", "社会保障和就业支出", "社会保险基金支出", "卫生健康支出"]
_CN = "一二三四五六七八九十"
_SPENT = {"一般公共服务支出": "930.83", "公共安全支出": "72.19", "社会保障和就业支出": "125.94", "卫生健康支出": "55.89"}


def _hebei_rows() -> list[list[str]]:
    rows = [["序号", "收入", "", "支出", ""], ["", "项 目", "预算数", "项 目", "预算数"], ["栏次", "1", "2", "3", "4"]]
    for i in range(10):
        income = f"{_CN[i]}、{_INCOME[i]}" if i < len(_INCOME) else ""
        spending = f"{_CN[i]}、{_SPENDING[i]}"
        rows.append([str(i + 1), income, "1183.74" if i == 0 else "", spending, _SPENT.get(_SPENDING[i], "")])
    rows.append(["11", "", "", "十一、住房保障支出", "35.33"])
    rows.append(["12", "本年收入合计", "1183.74", "本年支出合计", "1220.18"])
    rows.append(["13", "上年结转结余", "36.44", "年终结转结余", ""])
    rows.append(["14", "收入总计", "1220.18", "支出总计", "1220.18"])
    return rows


HEBEI_TOTALS = Grid("单位预算收支总表", "单位：万元", _hebei_rows(), [(0, 0, 2, 1), (0, 1, 1, 2), (0, 3, 1, 2)])

# 项目绩效目标表 (corpus 001, table 1) on a 7-column grid: 项目名称 and the purpose merged across,
# 预算规模及资金用途 / 资金支出计划 / 产出指标 merged down, 指标值确定依据 two columns wide.
_PROJECT_ROWS = [
    ["项目编码", "13060022P00R6BL100478", "", "项目名称", "2022年第二批中央政法转移支付扫黑除恶资金", "", ""],
    ["预算规模及资金用途", "预算数", "50.00", "其中：财政资金", "50.00", "其他资金", ""],
    ["", "用于办案业务支出", "", "", "", "", ""],
    ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底", "", ""],
    ["", "25%", "50%", "100%", "100%", "", ""],
    ["绩效目标", "打击违法犯罪，维护社会稳定", "", "", "", "", ""],
    ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据", ""],
    ["产出指标", "数量指标", "案件结案率(%)", "案件结案率(%)", "≥80百分比", "年度工作计划", ""],
    ["", "质量指标", "重大安保任务完成率(%)", "重大安保任务完成率(%)", "≥90百分比", "年度工作计划", ""],
    ["", "时效指标", "治安、刑事案件处理及时性（小时）", "治安、刑事案件处理及时性（小时）", "≤24小时", "年度工作计划", ""],
    ["", "成本指标", "控制在预算成本内", "实际支出占预算金额的比例", "≤100百分比", "年度工作计划", ""],
    ["效益指标", "社会效益指标", "公众安全感指数(%)", "公众安全感指数(%)", "≥90百分比", "年度工作计划", ""],
    ["满意度指标", "服务对象满意度指标", "群众满意度(%)", "群众满意度(%)", "≥90百分比", "年度工作计划", ""],
]
_PROJECT_MERGES = [(0, 1, 1, 2), (0, 4, 1, 3), (1, 0, 2, 1), (2, 1, 1, 6), (3, 0, 2, 1), (3, 4, 1, 3),
                   (4, 4, 1, 3), (5, 1, 1, 6), (7, 0, 4, 1)] + [(r, 5, 1, 2) for r in range(6, 13)]
PROJECT = Grid("1.2022年第二批中央政法转移支付扫黑除恶资金绩效目标表", "单位：万元", _PROJECT_ROWS, _PROJECT_MERGES)

# 收入预算总表 (Jiangsu 公开表二): 项目名称 over two columns, each fund merged down its sub-rows.
_JIANGSU_ROWS = [
    ["项目名称", "", "金额"],
    ["收入总计", "", "18,330.37"],
    ["一般公共预算资金", "小计", "18,330.37"],
    ["", "公共财政拨款(补助)资金", "18,330.37"],
    ["", "专项收入", ""],
    ["政府性基金", "小计", ""],
    ["财政专户管理资金", "小计", ""],
    ["", "专户管理教育收费", ""],
    ["", "其他非税收入", ""],
    ["其他资金", "小计", ""],
    ["", "事业收入", ""],
    ["", "经营收入", ""],
    ["", "其他收入", ""],
]
JIANGSU_INCOME = Grid(
    "收入预算总表", "单位：万元", _JIANGSU_ROWS, [(0, 0, 1, 2), (1, 0, 1, 2), (2, 0, 3, 1), (6, 0, 3, 1), (9, 0, 4, 1)]
)

# 财政拨款收支预算总表 (Jiangsu 公开表四) as its PDF prints it: title, 部门 and unit in one frame row
# merged across the table; 收入/支出 over two columns, 项目名称/金额 merged down two header rows.
JIANGSU_FISCAL = Grid(
    "财政拨款收支预算总表 公开表四",
    "部门：江苏省人大常委会办公厅 单位：万元",
    [
        ["收入", "", "支出", ""],
        ["项目名称", "金额", "支出用途", ""],
        ["", "", "项目名称", "金额"],
        ["一、一般公共预算", "18,330.37", "一、基本支出", "9,312.90"],
        ["二、政府性基金预算", "", "二、项目支出", "6,459.58"],
        ["", "", "三、单位预留机动经费", "2,557.89"],
        ["收入合计", "18,330.37", "支出合计", "18,330.37"],
    ],
    [(0, 0, 1, 2), (0, 2, 1, 2), (1, 0, 2, 1), (1, 1, 2, 1), (1, 2, 1, 2)],
    title_in_table=True,
)

NARRATIVE = (
    "2023年预算收入1220.18万元，其中：一般公共预算拨款收入1183.74万元，上年结转结余36.44万元。"
)
PUBLICATION: list[Item] = ["第二部分 部门预算安排总体情况", NARRATIVE, HEBEI_TOTALS, PROJECT, JIANGSU_INCOME]


def with_defects() -> list[Item]:
    """The publication with three slips a checker must find whatever the format: 收入总计 with two
    digits swapped (1220.18 → 1202.18), a spending schedule that falls (25% → 20%) and a target
    that cannot fail (≥0%)."""
    totals = Grid(HEBEI_TOTALS.title, HEBEI_TOTALS.unit_line, [list(r) for r in HEBEI_TOTALS.rows], HEBEI_TOTALS.merges)
    totals.rows[-1][2] = "1202.18"
    project = Grid(PROJECT.title, PROJECT.unit_line, [list(r) for r in PROJECT.rows], PROJECT.merges)
    project.rows[4][2] = "20%"
    project.rows[7][4] = "≥0%"
    return [PUBLICATION[0], PUBLICATION[1], totals, project, JIANGSU_INCOME]


# -- writers ---------------------------------------------------------------------------------------

def _as_text(items: list[Item], unit_prefix: str, rows) -> str:
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            lines += [item, ""]
            continue
        lines.append(item.title)
        if item.unit_line:
            lines.append(unit_prefix + item.unit_line)
        lines += rows(item)
        lines.append("")
    return "\n".join(lines)


def tab_grid(items: list[Item]) -> str:
    """The same content as the PDF tab-grid layout: caption lines, one TAB-separated row per line."""
    return _as_text(items, "", lambda grid: ["\t".join(row) for row in grid.rows])


def _cells(grid: Grid) -> list[str]:
    across = {(i, j) for r, c, rs, cs in grid.merges for i in range(r, r + rs) for j in range(c + 1, c + cs)}
    lines = [""]
    for r, row in enumerate(grid.rows):
        lines += ["\t" + text for c, text in enumerate(row) if (r, c) not in across]
        lines.append("")
    return lines


def cell_per_line(items: list[Item]) -> str:
    """The same content as a Word text export: each row's cells one per line (TAB-led), rows
    separated by blank lines; a cell merged across shows once, a cell merged down leaves a blank."""
    return _as_text(items, "\t", _cells)


def write_docx(path, items: list[Item]) -> None:
    import docx

    document = docx.Document()
    for item in items:
        if isinstance(item, str):
            document.add_paragraph(item)
            continue
        top = 1 if item.title_in_table else 0
        if item.title and not top:
            document.add_paragraph(item.title)
        if item.unit_line and not top:
            document.add_paragraph(item.unit_line)
        table = document.add_table(rows=len(item.rows) + top, cols=item.width)
        if top:
            table.cell(0, 0).merge(table.cell(0, item.width - 1)).text = f"{item.title} {item.unit_line}"
        for r, c, rs, cs in item.merges:
            table.cell(top + r, c).merge(table.cell(top + r + rs - 1, c + cs - 1))
        covered = item.covered()
        for r, row in enumerate(item.rows):
            for c, text in enumerate(row):
                if (r, c) not in covered and text:
                    table.cell(top + r, c).text = text
        document.add_paragraph("")
    document.save(str(path))


_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?%?")


def xlsx_value(text: str) -> tuple[object, str | None]:
    """A figure as a spreadsheet stores it (float + number format), other text as text."""
    if not _NUMBER.fullmatch(text):
        return text, None
    percent = text.endswith("%")
    digits = text.rstrip("%")
    places = len(digits.partition(".")[2])
    fmt = ("#,##0" if "," in digits else "0") + ("." + "0" * places if places else "") + ("%" if percent else "")
    value = float(digits.replace(",", ""))
    return (value / 100 if percent else value), fmt


def write_xlsx(path, items: list[Item], sheet_per_table: bool = False, numbers: bool = True) -> None:
    """One sheet, tables one after another with a blank row between (or one sheet per table); the
    title merged across the table's width, the unit line under it, figures as numbers."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    row = 1
    for n, item in enumerate(items):
        if sheet_per_table and n:
            sheet, row = workbook.create_sheet(f"Sheet{n + 1}"), 1
        if isinstance(item, str):
            sheet.cell(row, 1, item)
            row += 2
            continue
        if item.title_in_table:
            sheet.cell(row, 1, f"{item.title} {item.unit_line}")
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=item.width)
            row += 1
        elif item.title:
            sheet.cell(row, 1, item.title)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=item.width)
            row += 1
        if item.unit_line and not item.title_in_table:
            sheet.cell(row, item.width, item.unit_line)
            row += 1
        covered = item.covered()
        for r, cells in enumerate(item.rows):
            for c, text in enumerate(cells):
                if (r, c) in covered or not text:
                    continue
                value, fmt = xlsx_value(text) if numbers else (text, None)
                cell = sheet.cell(row + r, c + 1, value)
                if fmt:
                    cell.number_format = fmt
        for r, c, rs, cs in item.merges:
            sheet.merge_cells(start_row=row + r, start_column=c + 1, end_row=row + r + rs - 1, end_column=c + cs)
        row += len(item.rows) + 1
    workbook.save(str(path))
