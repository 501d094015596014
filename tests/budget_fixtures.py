"""One budget written as the standard tables of two provinces (Jiangsu's 12, Shanghai Putuo's 9), in the
shape the PDF reader renders them: the title as a paragraph, the unit line, then one TAB-separated row
per line (merged cells blank). Every table is consistent with every other, so a test can change one
cell and expect a finding, or change nothing and expect none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# 功能分类: 类 / 款 / 项 names (codes are real; the amounts are the test's)
FUNCTION_NAMES = {
    "201": "一般公共服务支出", "20101": "人大事务", "2010101": "行政运行", "2010102": "一般行政管理事务",
    "20131": "党委办公厅（室）及相关机构事务", "2013101": "行政运行", "2013102": "一般行政管理事务",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "221": "住房保障支出", "22102": "住房改革支出", "2210201": "住房公积金", "2210203": "购房补贴",
}
ITEM_CODES = [c for c in FUNCTION_NAMES if len(c) == 7]
# 经济分类 lines of the basic expenditure table and whether they are 人员经费 or 公用经费
ECONOMIC = {
    "30101": ("基本工资", "personnel"), "30102": ("津贴补贴", "personnel"), "30113": ("住房公积金", "personnel"),
    "30201": ("办公费", "public"), "30211": ("差旅费", "public"), "30217": ("公务接待费", "public"),
    "30301": ("离休费", "personnel"),
}
ECONOMIC_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}


@dataclass
class Budget:
    """Amounts in 分 (cents of 元): items (项 code → basic, project), economic lines (code → amount),
    Jiangsu's 单位预留机动经费, and the 三公 items."""

    items: dict[str, tuple[int, int]]
    economic: dict[str, int]
    reserve: int = 0
    three: dict[str, int] = field(default_factory=dict)  # abroad, car_purchase, car_running, reception, meeting, training
    running: int = 0  # 机关运行经费

    @property
    def basic(self) -> int:
        return sum(b for b, _ in self.items.values())

    @property
    def project(self) -> int:
        return sum(p for _, p in self.items.values())

    @property
    def total(self) -> int:
        return self.basic + self.project + self.reserve

    def rolled(self) -> list[tuple[str, int, int, int]]:
        """Every 类, 款 and 项 with its (basic, project, reserve), in code order: the reserve (Jiangsu's
        单位预留机动经费, neither basic nor project) sits in the first 项."""
        sums: dict[str, list[int]] = {}
        for n, (code, (b, p)) in enumerate(sorted(self.items.items())):
            for parent in (code[:3], code[:5], code):
                s = sums.setdefault(parent, [0, 0, 0])
                s[0] += b
                s[1] += p
                s[2] += self.reserve if n == 0 else 0
        return [(c, *sums[c]) for c in sorted(sums)]

    def economic_rolled(self) -> list[tuple[str, int]]:
        sums: dict[str, int] = {}
        for code, amount in self.economic.items():
            sums[code[:3]] = sums.get(code[:3], 0) + amount
            sums[code] = amount
        return sorted(sums.items())

    def personnel(self) -> int:
        return sum(a for c, a in self.economic.items() if ECONOMIC[c][1] == "personnel")

    def public(self) -> int:
        return sum(a for c, a in self.economic.items() if ECONOMIC[c][1] == "public")

    @property
    def three_total(self) -> int:
        t = self.three
        return t.get("abroad", 0) + t.get("car_purchase", 0) + t.get("car_running", 0) + t.get("reception", 0)


def wan(cents: int) -> str:
    """万元 with 2 decimals and thousands separators, blank for 0 (as Jiangsu prints them)."""
    if not cents:
        return ""
    value = (Decimal(cents) / Decimal(1_000_000)).quantize(Decimal("0.01"))
    return f"{value:,.2f}"


def yuan(cents: int) -> str:
    """元 with 2 decimals and separators (Putuo), blank for 0."""
    return f"{Decimal(cents) / 100:,.2f}" if cents else ""


def _table(title: str, unit: str, rows: list[list[str]], prefix: str = "") -> str:
    return f"{prefix}{title}\n\n单位：{unit}\n\n" + "".join("\t".join(r) + "\n" for r in rows) + "\n"


def function_name(code: str) -> str:
    return FUNCTION_NAMES[code]


# --- Jiangsu (万元; amounts rounded to 0.01 万元, so the budget's cents must be multiples of 100 元) ---


def jiangsu(b: Budget) -> str:
    """Jiangsu's 12 tables (2019 titles), 万元."""
    rolled = b.rolled()
    classes = [(c, bb + pp + rr) for c, bb, pp, rr in rolled if len(c) == 3]
    total, basic, project, reserve = wan(b.total), wan(b.basic), wan(b.project), wan(b.reserve)
    out = []
    summary = [
        ["收入", "", "支出", "", "", ""],
        ["项目名称", "金额", "功能分类", "", "支出用途", ""],
        ["", "", "功能科目名称", "金额", "项目名称", "金额"],
    ]
    income_rows = [["一、财政拨款", total], ["1.一般公共预算", total], ["2.政府性基金预算", ""], ["二、财政专户管理资金", ""], ["三、其他资金", ""]]
    use_rows = [["一、基本支出", basic], ["二、项目支出", project], ["三、单位预留机动经费", reserve]]
    numerals = "一二三四五六七八九十"
    function_rows = [[f"{numerals[i]}、{function_name(c)}", wan(a)] for i, (c, a) in enumerate(classes)]
    for i in range(max(len(income_rows), len(function_rows), len(use_rows))):
        row = []
        for part in (income_rows, function_rows, use_rows):
            row += part[i] if i < len(part) else ["", ""]
        summary.append(row)
    summary += [["当年收入小计", total, "当年支出小计", "", "", total], ["上年结转资金", "", "结转下年资金", "", "", ""],
                ["收入合计", total, "支出合计", "", "", total]]
    out.append(_table("收支预算总表", "万元", summary))
    out.append(_table("收入预算总表", "万元", [
        ["", "项目名称", "", "金额"], ["", "收入总计", "", total], ["", "一般公共预算资金", "小计", total],
        ["", "", "公共财政拨款(补助)资金", total], ["", "", "专项收入", ""], ["", "政府性基金", "小计", ""],
        ["", "财政专户管理资金", "小计", ""], ["", "", "其他非税收入", ""],
        ["", "上年结转和结余资金", "小计", ""], ["", "", "其中：动用上年结转和结余资金", ""],
    ]))
    out.append(_table("支出预算总表", "万元", [
        ["", "合计", "基本支出", "项目支出", "单位预留机动经费", "结转下年资金"], ["", total, basic, project, reserve, ""]]))
    out.append(_table("财政拨款收支预算总表", "万元", [
        ["", "收入", "", "支出", ""], ["", "项目名称", "金额", "支出用途", ""], ["", "", "", "项目名称", "金额"],
        ["", "一、一般公共预算", total, "一、基本支出", basic], ["", "二、政府性基金预算", "", "二、项目支出", project],
        ["", "", "", "三、单位预留机动经费", reserve], ["", "收入合计", total, "支出合计", total]]))
    coded = [["", c, function_name(c), wan(bb + pp + rr)] for c, bb, pp, rr in rolled]
    for title in ("财政拨款支出预算表（功能科目）", "一般公共预算支出预算表（功能科目）"):
        out.append(_table(title, "万元", [["", "功能科目编码", "功能科目名称", "金额"], ["", "合计", "", total], *coded]))
    economic = [[c, ECONOMIC_CLASSES[c] if len(c) == 3 else ECONOMIC[c][0], wan(a)] for c, a in b.economic_rolled()]
    for title in ("财政拨款基本支出预算表（经济科目）", "一般公共预算基本支出预算表（经济科目）"):
        out.append(_table(title, "万元", [["科目编码", "科目名称", "金额"], ["合计", "", basic], *economic]))
    t = b.three
    car = t.get("car_purchase", 0) + t.get("car_running", 0)
    everything = b.three_total + t.get("meeting", 0) + t.get("training", 0)
    out.append(_table("“三公”经费、会议费、培训费支出预算表", "万元", [
        ["", "合计", "“三公”经费", "", "", "", "", "", "会议费", "培训费"],
        ["", "", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "", ""],
        ["", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", ""],
        ["", wan(everything), wan(b.three_total), wan(t.get("abroad", 0)), wan(car), wan(t.get("car_purchase", 0)),
         wan(t.get("car_running", 0)), wan(t.get("reception", 0)), wan(t.get("meeting", 0)), wan(t.get("training", 0))]]))
    out.append(_table("财政拨款政府性基金支出预算表", "万元", [["", "功能科目编码", "功能科目名称", "金额"], ["", "合计", "", ""]]))
    return "".join(out)


# --- Shanghai Putuo (元; the 三公 table in 万元) ------------------------------------------------------


def putuo(b: Budget, who: str = "部门") -> str:
    """Putuo's 9 tables, 元 (the 三公 and 机关运行经费 table in 万元), codes split into 类 | 款 | 项."""
    assert not b.reserve, "Putuo has no 单位预留机动经费"
    rolled = [r[:3] for r in b.rolled()]
    total, basic, project = yuan(b.total), yuan(b.basic), yuan(b.project)
    out = []
    classes = [(c, bb, pp) for c, bb, pp in rolled if len(c) == 3]
    numerals = "一二三四五六七八九十"
    summary = [["本年收入", "", "本年支出", ""], ["项目", "预算数", "项目", "预算数"]]
    income = [["一、财政拨款收入", total], ["1、一般公共预算资金", total], ["2、政府性基金", ""], ["二、事业收入", ""], ["三、其他收入", ""]]
    expense = [[f"{numerals[i]}、{function_name(c)}", yuan(bb + pp)] for i, (c, bb, pp) in enumerate(classes)]
    for i in range(max(len(income), len(expense))):
        summary.append((income[i] if i < len(income) else ["", ""]) + (expense[i] if i < len(expense) else ["", ""]))
    summary.append(["收入总计", total, "支出总计", total])
    out.append(_table(f"2025年{who}财务收支预算总表", "元", summary))

    def split(code: str) -> list[str]:
        return [code[:3], code[3:5], code[5:7]]

    head = [["项目", "", "", "", "{group}", "", ""], ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "{a}", "{b}"], ["类", "款", "项", "", "", "", ""]]

    def coded(group: str, a: str, bcol: str, values) -> list[list[str]]:
        rows = [[c.format(group=group, a=a, b=bcol) for c in r] for r in head]
        for c, bb, pp in rolled:
            rows.append([*split(c), function_name(c), *values(bb, pp)])
        return rows

    income_rows = coded("收入预算", "财政拨款收入", "事业收入", lambda bb, pp: [yuan(bb + pp), yuan(bb + pp), ""])
    out.append(_table(f"2025年{who}收入预算总表", "元", income_rows + [["合计", "", "", "", total, total, ""]]))
    out.append(_table(f"2025年{who}支出预算总表", "元",
                      coded("支出预算", "基本支出", "项目支出", lambda bb, pp: [yuan(bb + pp), yuan(bb), yuan(pp)])
                      + [["合计", "", "", "", total, basic, project]]))
    fiscal = [["财政拨款收入", "", "财政拨款支出", "", "", ""], ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
              ["一、一般公共预算资金", total, *(expense[0] if expense else ["", ""]), expense[0][1] if expense else "", ""]]
    for row in expense[1:]:
        fiscal.append(["", "", *row, row[1], ""])
    fiscal.append(["收入总计", total, "支出总计", total, total, ""])
    out.append(_table(f"2025年{who}财政拨款收支预算总表", "元", fiscal))
    out.append(_table(f"2025年{who}一般公共预算支出功能分类预算表", "元",
                      coded("一般公共预算支出", "基本支出", "项目支出", lambda bb, pp: [yuan(bb + pp), yuan(bb), yuan(pp)])
                      + [["合计", "", "", "", total, basic, project]]))
    economic = [["项目", "", "一般公共预算基本支出", "", ""], ["经济分类科目编码", "", "部门经济分类科目名称", "合计", "人员经费", "公用经费"], ["类", "款", "", "", "", ""]]
    for c, a in b.economic_rolled():
        kind = ECONOMIC[c][1] if len(c) == 5 else ("public" if c == "302" else "personnel")
        name = ECONOMIC_CLASSES[c] if len(c) == 3 else ECONOMIC[c][0]
        economic.append([c[:3], c[3:5], name, yuan(a), yuan(a) if kind == "personnel" else "", yuan(a) if kind == "public" else ""])
    economic.append(["合计", "", "", basic, yuan(b.personnel()), yuan(b.public())])
    out.append(_table(f"2025年{who}一般公共预算基本支出部门预算经济分类预算表", "元", economic))
    t = b.three
    car = t.get("car_purchase", 0) + t.get("car_running", 0)
    out.append(_table(f"2025年{who}“三公”经费和机关运行经费预算表", "万元", [
        ["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
        ["", "", "", "小计", "购置费", "运行费", ""],
        [wan(b.three_total), wan(t.get("abroad", 0)), wan(t.get("reception", 0)), wan(car), wan(t.get("car_purchase", 0)),
         wan(t.get("car_running", 0)), wan(b.running)]]))
    return "".join(out)
