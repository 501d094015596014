"""I001–I005: what an indicator's value says against its name: a target no result can miss, a
percentage out of bounds, a comparator pointing the wrong way, a unit that does not fit, no unit.

Each rule is a verdict on an indicator's wording alone (judged once per wording in a run, see
audit/analysis/readings.py) and a report of that verdict at the row's value cell.
"""

from __future__ import annotations

import re
from decimal import Decimal

from audit.analysis.readings import (
    HUNDRED,
    NOT_APPLICABLE,
    PASSED,
    SIGN,
    ZERO,
    Reading,
    Wording,
    fmt,
    shown,
    wording_kind,
)
from audit.indicators import Constraint, Dimension, unit_table
from audit.indicators.names import Polarity, contains
from audit.lexicon import lexicon
from audit.model import Evidence, Text

_FLIP = {"<=": ">=", "<": ">", ">=": "<=", ">": "<"}
_DIRECTION = {
    "higher": Text(zh="正向指标（越高越好）", en="higher-is-better"),
    "decline": Text(zh="降幅类正向指标（降得越多越好）", en="a decline (the larger the better)"),
    "lower": Text(zh="逆向指标（越低/越短越好）", en="lower-is-better"),
}


# --- I001 vacuous -----------------------------------------------------------------------------


def _target(p: Polarity | None, c: Constraint) -> Text:
    """What a sound target looks like for this indicator."""
    return _target_for(p.direction if p is not None else None, c.dimension, c.unit)


def _target_for(direction: str | None, dimension: Dimension, unit: str | None) -> Text:
    unit = unit or ("%" if dimension in (Dimension.PERCENT, Dimension.NONE) else "")
    if direction == "lower":
        if dimension is Dimension.DURATION:
            return Text(zh="上限，如 ≤24小时", en="a cap, e.g. ≤24 hours")
        return Text(zh=f"上限，如 ≤5{unit}", en=f"a cap, e.g. ≤5{unit}")
    if dimension is Dimension.PERCENT or (direction is not None and dimension is Dimension.NONE):
        return Text(zh="有实际约束力的下限，如 ≥90%（或全部完成时写 =100%）", en="a floor that binds, e.g. ≥90% (or =100% for all)")
    return Text(zh=f"按历史水平测算的具体目标值，如 ≥N{unit}", en=f"a concrete target set from past performance, e.g. ≥N{unit}")


_AT_LEAST_ZERO = Text(zh="“≥0”任何结果都能满足", en="“≥0” is met by any result")
_ABOVE_ZERO = Text(zh="“>0”只要不为零即达标，没有约束力", en="“>0” is met by anything above nothing")


def _vacuous(row: Wording):
    """I001: a target no result can miss (≥0%, >0, ≤100% on a higher-is-better rate, 0% on a rate that should be high)."""
    c = row.value
    if not row.quantitative or c.upper_value is not None:
        return NOT_APPLICABLE
    p = row.polarity
    why = None
    if c.comparator == ">=" and c.value == ZERO:
        why = _AT_LEAST_ZERO
    elif c.comparator == ">" and c.value == ZERO and c.dimension in (Dimension.PERCENT, Dimension.NONE):
        why = _ABOVE_ZERO
    elif c.comparator in ("<=", "<") and c.value >= HUNDRED and c.dimension is Dimension.PERCENT and p is not None:
        # Any share of a whole is at most 100%; budget ratios (成本控制率) have no polarity here.
        kind_zh = "正向" if p.direction in ("higher", "decline") and not p.generic else ""
        kind_en = "higher-is-better and " if kind_zh else ""
        why = Text(
            zh=f"“{p.keyword}”是{kind_zh}比率，本就不超过100%，“{shown(c)}”任何结果都能满足",
            en=f"“{p.keyword}” is {kind_en}a share that never exceeds 100%, so “{shown(c)}” is always met",
        )
    elif (
        c.comparator in (None, "=")
        and c.value == ZERO
        and c.dimension is Dimension.PERCENT
        and p is not None
        and p.direction == "higher"
        and not p.generic
        and not row.negative_sense
    ):
        why = Text(
            zh=f"“{p.keyword}”应当越高越好，目标却是 0%",
            en=f"“{p.keyword}” should be high, yet the target is 0%",
        )
    if why is None:
        return PASSED
    return {"name": row.label, "value": row.raw, "why": why, "target": _target(p, c)}


@wording_kind("indicator_vacuous", _vacuous)
def _vacuous_finding(row: Reading, values: dict) -> tuple[dict, Evidence]:
    c = row.value
    return values, Evidence(stated=row.raw, values={"comparator": c.comparator, "value": fmt(c.value), "unit": c.unit})


# --- I002 degenerate percentages -----------------------------------------------------------------


_CHANGE_WORDS = ("增长", "增加", "下降", "降低", "减少", "变化", "增减", "提高", "提升", "同比", "环比")


def _percent_bounds(row: Wording):
    """I002: >100%, ≥100% (only 100 satisfies it), or a negative percentage."""
    c = row.value
    if not row.quantitative:
        return NOT_APPLICABLE
    percent = c.dimension is Dimension.PERCENT or (c.dimension is Dimension.NONE and row.looks_like_rate)
    if not percent:
        return NOT_APPLICABLE
    value = c.value
    unit = "%" if c.dimension is Dimension.PERCENT else ""
    why = target = None
    if (
        c.comparator in (">=", ">")
        and value >= HUNDRED
        and any(contains(t, lexicon("polarity")["budget_ratios"]) for t in row.names)
    ):
        why = Text(
            zh=f"预算/成本类比率写成“{shown(c) if unit else shown(c) + '%'}”，等于要求花完甚至超出预算",
            en=f"a budget or cost ratio of “{shown(c)}” asks for the budget to be spent in full or exceeded",
        )
        target = Text(zh="成本控制类写“≤100%”，预算执行类写可达到的下限（如 ≥90%）", en="Write “≤100%” for cost control, a reachable floor (e.g. ≥90%) for budget execution")
    elif c.comparator == ">=" and value == HUNDRED:
        why = Text(zh="只有 100% 能满足“≥100%”，写法不当", en="only 100% satisfies “≥100%”")
        target = Text(zh="若要求全部完成，写“=100%”；否则写可达到的下限，如 ≥95%", en="Write “=100%” if everything must be done, else a reachable floor such as ≥95%")
    elif c.comparator in (">=", ">") and value >= HUNDRED:
        why = Text(zh=f"比率不可能超过 100%，“{shown(c)}”无法达到", en=f"a rate cannot exceed 100%, so “{shown(c)}” cannot be met")
        target = Text(zh="写不超过 100% 的下限，如 ≥95%", en="Write a floor no higher than 100%, e.g. ≥95%")
    elif value < ZERO and not any(w in t for t in row.names for w in _CHANGE_WORDS):
        why = Text(zh="比率不能为负数", en="a rate cannot be negative")
        target = Text(zh="0%–100% 之间的目标值", en="Write a target between 0% and 100%")
    if why is None:
        return PASSED
    if c.dimension is Dimension.NONE:
        why = Text(zh=why.zh + f"（未写单位，按“{row.label}”的比率含义读作 %）", en=why.en + " (no unit written; read as % from the name)")
    return {"name": row.label, "value": row.raw, "why": why, "target": target}, f"0–100{unit or '%'}"


@wording_kind("indicator_percent_bounds", _percent_bounds)
def _percent_bounds_finding(row: Reading, verdict: tuple) -> tuple[dict, Evidence]:
    values, computed = verdict
    return values, Evidence(stated=row.raw, computed=computed)


# --- I003 direction ---------------------------------------------------------------------------------


def _direction(row: Wording):
    """I003: a higher-is-better indicator with ≤/<, a lower-is-better one with ≥/>, a decline rate with ≤."""
    c = row.value
    if not row.quantitative or c.comparator not in ("<=", "<", ">=", ">"):
        return NOT_APPLICABLE
    p = row.polarity
    if p is None or p.generic:
        return NOT_APPLICABLE  # a bare 率 ending says it is a share, not which way it should go
    wrong = False
    if p.direction in ("higher", "decline") and c.comparator in ("<=", "<"):
        # ≤100% on a higher-is-better rate is vacuous: I001 reports it.
        wrong = not (c.dimension is Dimension.PERCENT and c.value >= HUNDRED)
    elif p.direction == "lower" and c.comparator in (">=", ">"):
        wrong = c.value != ZERO  # ≥0 is I001's
    if not wrong:
        return PASSED
    flipped = SIGN[_FLIP[c.comparator]]
    if c.value == ZERO:
        target = Text(zh=f"{flipped} 一个大于 0 的目标值", en=f"{flipped} a target above zero")
    else:
        target = Text(zh=f"{flipped}{fmt(c.value)}{c.unit or ''}", en=f"{flipped}{fmt(c.value)}{c.unit or ''}")
    need = "≥" if p.direction in ("higher", "decline") else "≤"
    values = {
        "name": row.label,
        "keyword": p.keyword,
        "direction": _DIRECTION[p.direction],
        "need": need,
        "value": row.raw,
        "shown": shown(c),
        "target": target,
    }
    return values, need, p


@wording_kind("indicator_direction", _direction)
def _direction_finding(row: Reading, verdict: tuple) -> tuple[dict, Evidence]:
    values, need, p = verdict
    return values, Evidence(stated=shown(row.value), computed=f"{need} …", values={"polarity": p.direction, "keyword": p.keyword})


# --- I004 unit --------------------------------------------------------------------------------


_DIM_ZH = {
    Dimension.PERCENT: "百分比",
    Dimension.MONEY: "金额",
    Dimension.COUNT: "计数",
    Dimension.DURATION: "时长",
    Dimension.DATE: "日期",
    Dimension.AREA: "面积",
    Dimension.LENGTH: "长度",
    Dimension.RATE: "单位金额/比率",
    Dimension.OTHER: "其他",
    Dimension.NONE: "无单位",
}


def unit_problem(row: Wording | Reading) -> tuple[Text, Text] | None:
    """(what is wrong, what the unit should be), or None."""
    c = row.value
    units = lexicon("units")
    dim = Dimension.MONEY if c.unit == "万" and row.money_words else c.dimension  # the bare 万 reads as 万元 in a name about money (补助 ≥45万)
    level2 = row.level2
    rule = units["level2"].get(level2 or "")
    if rule and dim.value in rule["forbid"]:
        expect = Text(zh="应使用" + rule["expect"]["zh"], en="Use " + rule["expect"]["en"])
        return (
            Text(zh=f"{level2}的指标值却是{_DIM_ZH[dim]}（{shown(c)}）", en=f"a {level2} valued as {dim.value} ({shown(c)})"),
            expect,
        )
    classes = row.unit_classes
    if classes and not (rule and dim.value in rule.get("allow", ())):
        specs = units["classes"]
        allowed = {d for name in classes for d in specs[name]["allow"]}
        if row.money_words:
            allowed |= set(specs["money"]["allow"])  # 乡镇收益数量 ≥17.5万元: a quantity of money
        if any(contains(t, units["change_words"]) for t in row.names):
            allowed.add("percent")  # 缩短周期 ≥10%: a relative change
        if any(contains(t, units["timeliness_words"]) for t in row.names):
            allowed |= set(specs["timeliness"]["allow"])  # 按时缴纳保费 ≥10月份: a deadline
        if dim.value not in allowed:
            spec = specs[classes[0]]
            return (
                Text(
                    zh=f"名称表明是{spec['label']['zh']}指标，指标值却是{_DIM_ZH[dim]}（{shown(c)}）",
                    en=f"the name makes it {spec['label']['en']}, yet the value is {dim.value} ({shown(c)})",
                ),
                Text(zh="应使用" + spec["expect"]["zh"], en="Use " + spec["expect"]["en"]),
            )
    limit = units["max_duration"].get(c.unit or "")
    if dim is Dimension.DURATION and limit is not None and c.value > Decimal(str(limit)):
        return (
            Text(
                zh=f"{fmt(c.value)}{c.unit} 对一个年度项目而言不合常理（上限约 {limit}{c.unit}）",
                en=f"{fmt(c.value)} {c.unit} is implausible for a one-year project (about {limit} at most)",
            ),
            Text(zh="核对数值与单位（如 12个月、1年）", en="Check the number and the unit (e.g. 12 months, 1 year)"),
        )
    return None


def _unit(row: Wording):
    """I004: the unit does not fit the indicator (时效 in money, a count or a duration in percent, …)."""
    c = row.value
    if not row.quantitative or c.dimension is Dimension.NONE:
        return NOT_APPLICABLE
    return unit_problem(row) or PASSED


@wording_kind("indicator_unit", _unit)
def _unit_finding(row: Reading, problem: tuple[Text, Text]) -> tuple[dict, Evidence]:
    c = row.value
    why, expect = problem
    values = {"name": row.label, "value": row.raw, "why": why, "expect": expect}
    return values, Evidence(stated=row.raw, values={"dimension": c.dimension.value, "unit": c.unit, "level2": row.indicator.level2})


# --- I005 no unit -------------------------------------------------------------------------------


def _no_unit(row: Wording):
    """I005: a quantitative value with no unit (≥90): 90%? 90人? 90分?"""
    c = row.value
    if not row.quantitative:
        return NOT_APPLICABLE
    if c.unit is not None or _unit_in_name(row.label):
        return PASSED
    guess = "%" if row.looks_like_rate else "（人、次、%、万元…）"
    guess_en = "%" if row.looks_like_rate else " (people, times, %, 万元…)"
    return {"name": row.label, "value": row.raw, "target": Text(zh=f"{shown(c)}{guess}", en=f"{shown(c)}{guess_en}")}


# A unit stated once in the indicator's name, as a column header would: 群众满意度(%), 培训人数（人次）
_NAME_UNIT = re.compile(r"\(\s*([^()\s]{1,6})\s*\)\s*$")


def _unit_in_name(name: str) -> bool:
    """The name ends in a bracketed unit word, so a bare number in the value is in that unit."""
    match = _NAME_UNIT.search(name)
    return match is not None and match.group(1) in unit_table()


@wording_kind("indicator_no_unit", _no_unit)
def _no_unit_finding(row: Reading, values: dict) -> tuple[dict, Evidence]:
    return values, Evidence(stated=row.raw)
