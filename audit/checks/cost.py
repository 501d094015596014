"""C — cost and budget links inside a project: cost targets against the project's own 预算数.

All money is compared in 万元 (the unit of the 预算数 cell unless the table says 元), with each
figure's displayed precision as its tolerance (audit/arith.py: a figure shown with d decimals
stands for ±0.5·10⁻ᵈ). A blank funding cell is absent, not zero.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from audit.arith import Figure, Interval, check_sum, display, multiply
from audit.analysis.readings import Reading, label, raw, readings, shown
from audit.indicators.names import squash
from audit.engine import CheckContext, kind
from audit.facts.projects import Indicator, Money
from audit.indicators import Constraint, Dimension, Kind
from audit.model import Evidence, Term, Text

_TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "百万元": Decimal(100), "亿元": Decimal(10000)}
_COST_LEVELS = {"成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"}


def budget_figure(money: Money, label_zh: str) -> Figure | None:
    """A 预算数/资金 cell as a Figure in 万元."""
    scale = _TO_WAN.get(money.unit)
    if scale is None:
        return None
    return Figure(shown=money.value, label=label_zh, span=money.span, scale=scale)


def _is_cost(row: Reading) -> bool:
    """成本指标 (under 产出, or its own 一级 per 财预〔2021〕101号)."""
    return row.level2 in _COST_LEVELS or row.indicator.level1 == "成本指标"


def money_in_wan(indicator: Reading) -> tuple[Decimal, Decimal] | None:
    """(value in 万元, scale) of a money-valued target; the bare 万 counts as 万元 for a cost or
    money-named indicator."""
    money = indicator.wording.derive(_money_of_wording, _money_of_wording)
    if money is _BARE_WAN:
        return (indicator.value.value, _ONE) if _is_cost(indicator) or indicator.money_words else None
    return money


_BARE_WAN = "万"
_ONE = Decimal(1)


def _money_of_wording(wording) -> tuple[Decimal, Decimal] | str | None:
    """money_in_wan as far as the wording decides it: _BARE_WAN when it depends on the row's 一级."""
    c = wording.value
    if c.kind is not Kind.QUANTITATIVE or c.value is None or c.text_described or c.upper_value is not None:
        return None
    if c.dimension is Dimension.MONEY and c.unit in _TO_WAN:
        return c.value * _TO_WAN[c.unit], _TO_WAN[c.unit]
    if c.unit == "万":
        return _BARE_WAN
    return None


def _wan(value: Decimal) -> str:
    return display(value.normalize()) if value == value.to_integral() else display(value)


def _money_text(indicator: Indicator) -> str:
    c = indicator.value
    return shown(c) if c.unit != "万" else shown(c) + "（按万元读）"


# --- C001 cost above the budget --------------------------------------------------------------------


@kind("cost_above_budget")
def cost_above_budget(ctx: CheckContext) -> None:
    """C001: a cost indicator (or any money-valued cap) above the project's own 预算数."""
    for project, rows in readings(ctx):
        # a cost indicator, or any money-valued cap
        targets = [
            (row.indicator, money)
            for row in rows
            if (money := money_in_wan(row)) is not None and (_is_cost(row) or row.value.comparator in ("<=", "<"))
        ]
        if not targets:
            ctx.not_applicable()
            continue
        budget = budget_figure(project.budget, "预算数") if project.budget else None
        if budget is None:
            ctx.insufficient()  # a cost target, but no 预算数 to hold it against
            continue
        budget_high = budget.value + budget.half
        failed = False
        for indicator, (value, scale) in targets:
            if value <= budget_high:
                continue
            failed = True
            c = indicator.value
            floor = c.comparator in (">=", ">")
            detail = (
                Text(zh="下限已超过预算，按此目标项目必然超支", en="a floor above the budget: the target can only be met by overspending")
                if floor
                else Text(zh="成本目标超过项目预算", en="the cost target exceeds the project's budget")
            )
            ctx.fail(
                indicator.value_span,
                {
                    "name": label(indicator),
                    "value": raw(c),
                    "amount": Text(zh="", en="") if c.unit == "万元" else Text(zh=f"（折合 {_wan(value)}万元）", en=f" ({_wan(value)} 万元)"),
                    "budget": project.budget.text,
                    "budget_unit": project.budget.unit,
                    "detail": detail,
                    "excess": _wan(value - budget.value),
                },
                evidence=Evidence(
                    stated=f"{_wan(value)}万元",
                    computed=f"≤ {project.budget.text}{project.budget.unit}",
                    difference=_wan(value - budget.value),
                    tolerance=display(budget.half),
                    terms=[
                        Term(label=label(indicator), value=f"{_wan(value)}万元", line=indicator.value_span.line, column=indicator.value_span.column),
                        budget.term(),
                    ],
                    diagnosis=_unit_slip(value, budget.value),
                ),
                subject=project.name,
                related=[project.budget.span],
            )
        if not failed:
            ctx.passed()


def _unit_slip(value: Decimal, budget: Decimal) -> Text | None:
    """A cost exactly 10, 100, 1000 or 10000 times the budget: most likely 元 written where 万元 was meant."""
    ratio = value / budget if budget else None
    if ratio is None or ratio != ratio.to_integral() or ratio not in (Decimal(10), Decimal(100), Decimal(1000), Decimal(10000)):
        return None
    return Text(zh=f"相差 {ratio.normalize()} 倍，疑为单位错误（元/万元）", en=f"off by a factor of {ratio.normalize()} (unit slip 元/万元?)")


# --- C002 unit cost × quantity -----------------------------------------------------------------

_PER = re.compile(r"每(?:名|个|位|户|人|部|台|辆|条|套|件|次|家|所|处)|人均|户均|单价")
_NOUN = {"名": "人", "位": "人", "人": "人", "户": "户", "部": "部", "台": "台", "辆": "辆", "条": "条", "套": "套", "件": "件", "次": "次", "家": "家", "所": "所", "处": "处", "个": "个"}
_COUNT_ALIASES = {"名": "人", "位": "人", "人次": "次"}


def _per_noun(row: Reading) -> str | None:
    """The thing a unit cost is per: 每名网格员 → 人, 每户 → 户, 元/部 → 部, 人均 → 人."""
    return row.wording.derive(_per_noun_of, _per_noun_of)


def _per_noun_of(indicator) -> str | None:
    """_per_noun of a wording (it reads only the value and the names)."""
    c = indicator.value
    if c.dimension is Dimension.RATE and c.unit and "/" in c.unit:
        money, _, per = c.unit.partition("/")
        if money in _TO_WAN and per in _NOUN:
            return _NOUN[per]
        return None
    for text in indicator.names:
        match = _PER.search(text)
        if match:
            word = match.group(0)
            if word == "人均":
                return "人"
            if word == "户均":
                return "户"
            if word == "单价":
                return None  # per what is not said
            return _NOUN.get(word[-1])
    return None


def _unit_cost(row: Reading) -> tuple[Figure, str] | None:
    """A per-unit money figure (in 万元 per thing) and the thing."""
    c = row.value
    if c.kind is not Kind.QUANTITATIVE or c.value is None:
        return None
    noun = _per_noun(row)
    if noun is None:
        return None
    indicator = row.indicator
    if c.dimension is Dimension.RATE:
        money = c.unit.partition("/")[0]
        return Figure(shown=c.value, label=row.label, span=indicator.value_span, scale=_TO_WAN[money]), noun
    money = money_in_wan(row)
    if money is None:
        return None
    return Figure(shown=c.value, label=row.label, span=indicator.value_span, scale=money[1]), noun


def _count_noun(c: Constraint) -> str | None:
    if c.dimension is not Dimension.COUNT or not c.unit:
        return None
    return _COUNT_ALIASES.get(c.unit, c.unit)


@kind("cost_unit_product")
def cost_unit_product(ctx: CheckContext) -> None:
    """C002: unit cost × quantity from the same table against the budget (beyond rounding)."""
    for project, rows in readings(ctx):
        pairs = []
        for row in rows:
            unit = _unit_cost(row)
            if unit is None:
                continue
            cost, noun = unit
            quantities = {
                q.value.value: q.indicator
                for q in rows
                if q is not row and q.value.kind is Kind.QUANTITATIVE and _count_noun(q.value) == noun and q.value.value
            }
            if len(quantities) == 1:
                pairs.append((row.indicator, cost, next(iter(quantities.values()))))
            elif quantities:
                ctx.insufficient()  # several counts of the same thing: which one multiplies is unclear
        if not pairs:
            ctx.not_applicable()
            continue
        budget = budget_figure(project.budget, "预算数") if project.budget else None
        if budget is None:
            ctx.insufficient()
            continue
        failed = False
        for indicator, cost, quantity in pairs:
            count = Figure(shown=quantity.value.value, label=label(quantity), span=quantity.value_span)
            product = multiply(Interval.of(cost), Interval.of(count))
            allowed = Interval.of(budget)
            if product.low <= allowed.high:
                continue  # within the budget, to the figures' precision
            failed = True
            point = cost.value * count.value
            diagnosis = None
            if abs(cost.value - budget.value) <= cost.half + budget.half:
                diagnosis = Text(
                    zh=f"单位金额 {shown(indicator.value)} 恰好等于项目预算，疑将总额填成了单位金额",
                    en=f"the unit figure {shown(indicator.value)} equals the whole budget: the total was probably entered as the unit cost",
                )
            ctx.fail(
                indicator.value_span,
                {
                    "name": label(indicator),
                    "unit_cost": shown(indicator.value),
                    "quantity": shown(quantity.value),
                    "quantity_name": label(quantity),
                    "product": _wan(point.quantize(Decimal("0.01")) if point >= 1 else point),
                    "budget": project.budget.text,
                    "diagnosis": Text(zh="；" + diagnosis.zh, en="; " + diagnosis.en) if diagnosis else Text(zh="", en=""),
                },
                evidence=Evidence(
                    stated=f"{project.budget.text}{project.budget.unit}",
                    computed=f"{_wan(point)}万元",
                    difference=_wan(point - budget.value),
                    terms=[cost.term(), count.term(), budget.term()],
                    diagnosis=diagnosis,
                ),
                subject=project.name,
                related=[quantity.value_span, project.budget.span],
            )
        if not failed:
            ctx.passed()


# --- C003 预算数 = 财政资金 + 其他资金 --------------------------------------------------------------


@kind("cost_funding_sum")
def cost_funding_sum(ctx: CheckContext) -> None:
    """C003: 预算数 = 财政资金 + 其他资金, on displayed precision."""
    for project in ctx.facts.projects:
        if project.budget is None or (project.fiscal is None and project.other is None):
            ctx.not_applicable()
            continue
        total = budget_figure(project.budget, "预算数")
        parts = [
            budget_figure(m, name)
            for m, name in ((project.fiscal, "财政资金"), (project.other, "其他资金"))
            if m is not None
        ]
        if total is None or any(p is None for p in parts):
            ctx.insufficient()
            continue
        result = check_sum(total, parts)
        if result.holds:
            ctx.passed()
            continue
        if len(parts) == 1 and result.difference > 0:
            ctx.insufficient()  # one source blank: the rest may be unstated other funds
            continue
        ctx.fail(
            project.budget.span,
            {
                "budget": project.budget.text,
                "fiscal": project.fiscal.text if project.fiscal else "（空）",
                "other": project.other.text if project.other else "（空）",
                "sum": display(result.computed),
                "difference": display(result.difference),
            },
            evidence=Evidence(
                stated=display(result.stated),
                computed=display(result.computed),
                difference=display(result.difference),
                tolerance=display(result.tolerance),
                terms=result.terms(),
            ),
            subject=project.name,
            related=[p.span for p in parts if p.span],
        )


# --- C004 cost floors ------------------------------------------------------------------------


@kind("cost_floor")
def cost_floor(ctx: CheckContext) -> None:
    """C004: a cost indicator written as a floor (≥) rather than a cap."""
    for project, rows in readings(ctx):
        costs = [row for row in rows if _is_cost(row)]
        if not costs:
            ctx.not_applicable()
            continue
        failed = False
        for row in costs:
            indicator, c = row.indicator, row.value
            money = money_in_wan(row) is not None or (
                c.dimension is Dimension.RATE and c.unit and c.unit.partition("/")[0] in _TO_WAN
            )
            if not money or c.comparator not in (">=", ">"):
                continue
            failed = True
            ctx.fail(
                indicator.value_span,
                {
                    "name": label(indicator),
                    "value": raw(c),
                    "target": "≤" + shown(c)[1:] if shown(c)[:1] in ("≥", ">") else shown(c),
                },
                evidence=Evidence(stated=shown(c)),
                subject=project.name,
            )
        if not failed:
            ctx.passed()


# --- C005 caps of all projects vs 项目支出 ---------------------------------------------------------

def _disclosed_project_total(facts) -> tuple[Decimal, object] | None:
    """The narrative's 项目支出 figure for the budget year (the first one stated), in 万元."""
    narrative = getattr(facts, "narrative", None)
    for statement in getattr(narrative, "statements", []) or []:
        for node in statement.nodes:
            if node.concept == "项目支出" and node.level is not None:
                scale = _TO_WAN.get(node.level.unit)
                if scale is not None:
                    return node.level.value * scale, node.level
    # Facts from elsewhere (or tests): any list of amounts labelled 项目支出.
    for entry in dataclasses.fields(facts) if dataclasses.is_dataclass(facts) else ():
        for item in getattr(facts, entry.name, None) if isinstance(getattr(facts, entry.name, None), list) else []:
            label = squash(str(getattr(item, "label", "") or ""))
            value = getattr(item, "value", None)
            if label == "项目支出" and isinstance(value, Decimal):
                scale = _TO_WAN.get(getattr(item, "unit", "万元") or "万元")
                if scale is not None:
                    return value * scale, item
    return None


@kind("cost_caps_total")
def cost_caps_total(ctx: CheckContext) -> None:
    """C005: the cost caps of all projects add up to more than the disclosed 项目支出."""
    caps = []
    for project, rows in readings(ctx):
        # Per project, its largest cost cap (per-unit costs left out): a floor on what the caps commit.
        found = [
            (money[0], row.indicator)
            for row in rows
            if _is_cost(row)
            and row.value.comparator in ("<=", "<", "=", None)
            and _per_noun(row) is None
            and (money := money_in_wan(row)) is not None
        ]
        if found:
            value, indicator = max(found, key=lambda pair: pair[0])
            caps.append((project, indicator, value))
    if not caps:
        ctx.not_applicable()
        return
    disclosed = _disclosed_project_total(ctx.facts)
    if disclosed is None:
        ctx.insufficient()  # no 项目支出 figure was read from the narrative
        return
    total, fact = disclosed
    summed = sum((cap for _, _, cap in caps), Decimal(0))
    if summed <= total:
        ctx.passed()
        return
    span = getattr(fact, "span", None) or caps[0][1].value_span
    ctx.fail(
        span,
        {"sum": _wan(summed), "count": len(caps), "total": _wan(total), "excess": _wan(summed - total)},
        evidence=Evidence(
            stated=_wan(total),
            computed=_wan(summed),
            difference=_wan(summed - total),
            terms=[Term(label=f"{p.name}：{label(i)}", value=f"{_wan(v)}万元", line=i.value_span.line, column=i.value_span.column) for p, i, v in caps],
        ),
        related=[i.value_span for _, i, _ in caps[:20]],
    )
