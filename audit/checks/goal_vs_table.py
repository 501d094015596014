"""T001: a figure or date written in a goal against the project's table — its indicators and its
budget. The facts come from audit/facts/goal_figures.py and audit/facts/projects.py."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal
from operator import add
from typing import Iterable

from audit.facts.numerals import cn_numeral
from audit.engine import CheckContext, kind
from audit.facts.projects import Indicator, Project
from audit.facts.structure import Figure, StructureFacts, SubGoal, cn_number
from audit.indicators import Constraint, Dimension, Kind
from audit.model import Evidence, Term, Text
from audit.numbers import half_unit
from audit.facts.lazy import _squash

def _bigrams(text: str) -> frozenset[str]:
    """Pairs of adjacent letters (CJK or alphabetic), the rest skipped."""
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalpha()]
    return frozenset(map(add, chars, chars[1:]))


# -- T001 narrative ↔ table ----------------------------------------------------------------------

_MONEY_SCALE = {"元": -4, "万元": 0, "亿元": 4}
_SYNONYMS = {"名": "人", "家": "户", "千米": "公里"}
_COUNT_UNITS = {"人", "人次", "户", "个", "次", "件", "张", "份", "辆", "台", "部", "套", "条", "路", "起", "所", "项", "家", "名"}
_MONTH_IN_TEXT = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月")
_TIMELY = re.compile(r"时间|时限|及时|完成|验收|完工|竣工|交付")
_COST = re.compile(r"成本|费用|金额|资金|预算|经费|投入")
_TOTAL_COST = re.compile(r"总|项目成本|预算|控制")
_PER_UNIT = re.compile(r"每|人均|单价|单位成本|标准|/")


def _quantity_unit(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit in _MONEY_SCALE:
        return value.scaleb(_MONEY_SCALE[unit]), "万元"
    return value, _SYNONYMS.get(unit, unit)


def _indicator_quantity(value: Constraint) -> tuple[Decimal, Decimal, str] | None:
    """(value, tolerance, unit) of a quantitative indicator value, money in 万元."""
    if value.kind is not Kind.QUANTITATIVE or value.value is None or not value.unit:
        return None
    if "range" in value.notes:
        return None
    tolerance = half_unit(value.value)
    if value.dimension is Dimension.MONEY:
        wan = value.as_wan
        if wan is None:
            return None
        scale = _MONEY_SCALE.get(value.unit, 0)
        return wan, tolerance.scaleb(scale), "万元"
    if value.unit == "万":  # ≥2万 (张? 人?): a count in ten-thousands, unit unknown
        return value.value * 10000, tolerance * 10000, "*"
    unit = "%" if value.dimension is Dimension.PERCENT else _SYNONYMS.get(value.unit, value.unit)
    return value.value, tolerance, unit


def _compatible(narrative: str, table: str) -> bool:
    if narrative == table:
        return True
    counts = narrative in _COUNT_UNITS and (table in _COUNT_UNITS or table == "*")
    return counts and (table == "*" or "个" in (narrative, table))


def _describe_cmp(comparator: str | None) -> str:
    return {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}.get(comparator or "", "")


def _satisfies(value: Decimal, comparator: str | None, bound: Decimal) -> bool:
    return {
        ">=": value >= bound,
        ">": value > bound,
        "<=": value <= bound,
        "<": value < bound,
    }.get(comparator or "=", value == bound)


def _indicator_text(indicator: Indicator) -> str:
    return f"{indicator.level3}{indicator.description}"


def _months(indicator: Indicator) -> set[int]:
    months: set[int] = set()
    value = indicator.value
    if value.dimension is Dimension.DATE and value.value is not None and value.unit in ("月份", "月"):
        if 1 <= value.value <= 12:
            months.add(int(value.value))
    for text in (indicator.level3, indicator.description, value.raw):
        for match in _MONTH_IN_TEXT.finditer(text or ""):
            raw = match.group(1)
            n = int(raw) if raw.isdigit() else cn_number(raw)
            if n and 1 <= n <= 12:
                months.add(n)
    return months


class _Matcher:
    """Finds the indicator a goal figure talks about, and says whether they agree."""

    def __init__(self, generic: Iterable[str]):
        self.generic = set(generic)
        self._grams: dict[str, frozenset[str]] = {}  # the document's texts: asked for again and again

    def grams(self, text: str) -> frozenset[str]:
        found = self._grams.get(text)
        if found is None:
            found = self._grams[text] = _bigrams(text)
        return found

    def score(self, figure: Figure, indicator: Indicator) -> int:
        return len((self.grams(figure.context) & self.grams(_indicator_text(indicator))) - self.generic)

    def quantity(self, figure: Figure, project: Project, siblings: list[Figure] = ()):
        """→ ("pass" | "fail" | "unclear", indicator | None). `siblings`: the other figures of the
        same goal; a goal naming two amounts (总投资 and this year's) is judged by the one that fits."""
        value, unit = _quantity_unit(figure.value, figure.unit)
        candidates = []
        for indicator in project.indicators:
            quantity = _indicator_quantity(indicator.value)
            if quantity and _compatible(unit, quantity[2]):
                candidates.append((indicator, quantity))
        if not candidates:
            return "unclear", None
        if unit == "万元" and figure.total:
            candidates = [c for c in candidates if not _PER_UNIT.search(_indicator_text(c[0]) + c[0].value.raw)]
            costs = [c for c in candidates if "成本" in (c[0].level2 or "") or "成本" in (c[0].level1 or "")]
            costs = costs or [c for c in candidates if _COST.search(_indicator_text(c[0]))]
            if len(costs) > 1:
                costs = [c for c in costs if _TOTAL_COST.search(_indicator_text(c[0]))] or costs
            top = costs
            others = [_quantity_unit(f.value, f.unit) for f in siblings if f is not figure and f.kind == "quantity"]
            amounts = [v for v, u in others if u == "万元"]
            if amounts and any(abs(v - q[0]) <= q[1] for _, q in top for v in amounts):
                return "pass", top[0][0]  # another amount in the goal is the one the cap repeats
        else:
            # a value in 万 of no stated unit (≥2万) needs a close match: 2万张? 2万元?
            scored = [(self.score(figure, c[0]), c) for c in candidates]
            # and so does a count matched only through the generic 个 (12户 against 家庭个数 ≥5个)
            scored = [(s, c) for s, c in scored if c[1][2] == unit or s >= 2]
            best = max((s for s, _ in scored), default=0)
            top = [c for s, c in scored if s == best and s > 0]
            if top:  # the same unit beats the generic 个, which beats a bare 万
                quality = lambda c: 2 if c[1][2] == unit else (0 if c[1][2] == "*" else 1)  # noqa: E731
                best_quality = max(quality(c) for c in top)
                top = [c for c in top if quality(c) == best_quality]
            if not top:
                only = candidates[0] if len(candidates) == 1 else None
                if only and abs(value - only[1][0]) <= only[1][1]:
                    return "pass", only[0]
                return "unclear", None
        if not top:
            return "unclear", None
        for indicator, (bound, tolerance, _) in top:
            if abs(value - bound) <= tolerance:
                return "pass", indicator
        if len({q[0] for _, q in top}) > 1:
            return "unclear", None
        return "fail", top[0][0]

    def month(self, figure: Figure, project: Project):
        candidates = []
        for indicator in project.indicators:
            timely = "时效" in (indicator.level2 or "") or _TIMELY.search(_indicator_text(indicator))
            if not timely or self.score(figure, indicator) < 1:
                continue
            months = _months(indicator)
            if len(months) == 1:
                candidates.append((indicator, months.pop()))
        if not candidates:
            return "unclear", None
        if any(m == int(figure.value) for _, m in candidates):
            return "pass", None
        if len({m for _, m in candidates}) > 1:
            return "unclear", None
        return "fail", candidates[0][0]


_TIE = 0.2  # two projects whose names are this close to an item's are equally good matches


def _match_subgoals(subgoals: list[SubGoal], projects: list[Project], threshold: float) -> dict[int, Project]:
    """分项绩效目标 item → project table, one to one. Items whose best match is clearest go first;
    a tie between projects is broken by list order (item k ↔ table k), otherwise the item stays
    unmatched: better silent than compared with the wrong table."""
    scores: dict[int, list[tuple[float, Project]]] = {}
    # each name's squashed form and bigrams once, not once per pair
    names = [(p, _squash(p.name), _bigrams(p.name)) for p in projects]
    # Only the projects sharing a bigram with an item can reach a positive score: a name held in
    # another keeps its bigrams. So each item scores those (and the names without bigrams), not
    # every project: the pairing stays near linear in a long document.
    holders: dict[str, list[int]] = {}
    for k, (_, _, their_grams) in enumerate(names):
        for gram in their_grams:
            holders.setdefault(gram, []).append(k)
    gramless = [k for k, (_, _, their_grams) in enumerate(names) if not their_grams]
    for item in subgoals:
        row = []
        mine, grams = _squash(item.name), _bigrams(item.name)
        if grams and threshold > 0:
            sharing = set(gramless).union(*(holders.get(gram, ()) for gram in grams))
            candidates = [names[k] for k in sorted(sharing)]
        else:
            candidates = names
        for project, theirs, their_grams in candidates:
            if grams and their_grams:
                score = 2 * len(grams & their_grams) / (len(grams) + len(their_grams))
            else:
                score = 1.0 if mine == theirs and mine else 0.0
            if mine in theirs or theirs in mine:
                score = max(score, threshold)
            if score >= threshold:
                row.append((score, project))
        scores[item.index] = row
    order = sorted(subgoals, key=lambda i: -max((s for s, _ in scores[i.index]), default=0))
    matched: dict[int, Project] = {}
    taken: set[int] = set()
    for item in order:
        free = [(s, p) for s, p in scores[item.index] if p.index not in taken]
        if not free:
            continue
        exact = [p for _, p in free if _squash(p.name) == _squash(item.name)]
        best = max(s for s, _ in free)
        tied = exact[:1] or [p for s, p in free if best - s < _TIE]
        if len(tied) > 1:
            tied = [p for p in tied if p.index - 1 == item.index]
        if len(tied) == 1:
            matched[item.index] = tied[0]
            taken.add(tied[0].index)
    return matched


class _ProjectAt:
    """The first project whose table spans a line; a bisection when the tables come in order
    without overlapping (as they do), a walk through them otherwise."""

    def __init__(self, projects: list[Project]) -> None:
        self.projects = projects
        self.starts = [p.span.line for p in projects]
        self.ends = [p.span.end_line or p.span.line for p in projects]
        bounds = list(zip(self.starts, self.ends))
        self.ordered = all(s <= e for s, e in bounds) and all(e < s for (_, e), (s, _) in zip(bounds, bounds[1:]))

    def __call__(self, line: int) -> Project | None:
        if self.ordered:
            k = bisect_right(self.starts, line) - 1
            return self.projects[k] if k >= 0 and line <= self.ends[k] else None
        for project, start, end in zip(self.projects, self.starts, self.ends):
            if start <= line <= end:
                return project
        return None


class _Siblings:
    """The figures of the same goal text as a figure, in their order: the same 分项 item, or goal
    cells at most 3 lines apart. Indexed by (origin, item) and then by line, instead of a scan
    of every figure for each figure."""

    def __init__(self, figures: list[Figure]) -> None:
        self.figures = figures
        self.groups: dict[tuple, list[int]] = {}
        for k, figure in enumerate(figures):
            self.groups.setdefault((figure.origin, figure.item), []).append(k)
        self.by_line: dict[tuple, tuple[list[int], list[int]]] = {}  # group → (sorted lines, positions)

    def __call__(self, figure: Figure) -> list[Figure]:
        key = (figure.origin, figure.item)
        group = self.groups[key]
        if figure.origin == "overall":
            return [self.figures[k] for k in group]
        if key not in self.by_line:
            pairs = sorted((self.figures[k].span.line, k) for k in group)
            self.by_line[key] = ([line for line, _ in pairs], [k for _, k in pairs])
        lines, positions = self.by_line[key]
        line = figure.span.line
        near = positions[bisect_left(lines, line - 3) : bisect_right(lines, line + 3)]
        return [self.figures[k] for k in sorted(near)]


@kind("narrative_vs_table")
def narrative_vs_table(ctx: CheckContext) -> None:
    """T001: a figure or completion month in a goal against the indicator that measures it."""
    structure: StructureFacts = ctx.facts.structure
    projects = ctx.facts.projects
    if not structure.figures:
        ctx.not_applicable()
        return
    matcher = _Matcher(ctx.params.get("generic_bigrams", []))
    matched = _match_subgoals(structure.subgoals, projects, float(ctx.params.get("name_similarity", 0.5)))
    seen: set[tuple] = set()
    project_at = _ProjectAt(projects)
    siblings_of = _Siblings(structure.figures)
    for figure in structure.figures:
        if figure.origin == "overall":
            project = matched.get(figure.item) if figure.item is not None else None
            item = structure.subgoals[figure.item] if figure.item is not None else None
        else:
            project = project_at(figure.span.line)
            item = None
        if project is None or not project.indicators:
            ctx.not_applicable()
            continue
        if figure.kind == "month":
            outcome, indicator = matcher.month(figure, project)
        else:
            siblings = siblings_of(figure)
            outcome, indicator = matcher.quantity(figure, project, siblings)
        if outcome == "pass":
            ctx.passed()
            continue
        if outcome == "unclear" and figure.kind == "quantity" and figure.total and project.budget is not None:
            outcome = _against_budget(ctx, figure, item, project, siblings, seen)
            if outcome == "pass":
                ctx.passed()
                continue
        if outcome in ("unclear", "reported") or indicator is None:
            if outcome == "unclear":
                ctx.insufficient()
            continue
        key = (project.index, figure.kind, figure.value, figure.unit, indicator.value_span.line)
        if key in seen:
            continue
        seen.add(key)
        _report(ctx, figure, item, project, indicator)


def _against_budget(ctx: CheckContext, figure: Figure, item: SubGoal | None, project: Project, siblings: list[Figure], seen: set) -> str:
    """A goal's total (共计…万元) with no cost indicator to compare: the table's 预算数 is the figure."""
    value, unit = _quantity_unit(figure.value, figure.unit)
    budget = project.budget
    if unit != "万元" or budget.unit not in _MONEY_SCALE:
        return "unclear"
    amount = budget.value.scaleb(_MONEY_SCALE[budget.unit])
    tolerance = half_unit(budget.value).scaleb(_MONEY_SCALE[budget.unit])
    amounts = [value] + [v for v, u in (_quantity_unit(f.value, f.unit) for f in siblings if f is not figure and f.kind == "quantity") if u == "万元"]
    if any(abs(v - amount) <= tolerance for v in amounts):
        return "pass"
    key = (project.index, "budget", figure.value, figure.unit)
    if key in seen:
        return "reported"
    seen.add(key)
    where = _where(figure, item)
    ctx.fail(
        figure.span,
        {
            "where": where,
            "stated": figure.text,
            "indicator": "预算数",
            "against": Text(zh="表中预算数为", en="the table's budget is"),
            "table": f"{budget.text}{budget.unit}",
            "reading": Text(zh="", en=""),
            "detail": Text(zh="，两处金额不一致", en=": the two amounts differ"),
        },
        evidence=Evidence(
            values={"goal": figure.text, "table": f"{budget.text}{budget.unit}"},
            terms=[
                Term(label="目标文字 goal text", value=figure.text, line=figure.span.line, column=figure.span.column),
                Term(label="预算数 budget", value=budget.text, line=budget.span.line, column=budget.span.column),
            ],
        ),
        subject=project.name,
        related=[budget.span],
    )
    return "reported"


def _where(figure: Figure, item: SubGoal | None) -> Text:
    if item is None:
        return Text(zh="绩效目标", en="the goal text")
    label = "绩效指标" if figure.part == "indicator" else "绩效目标"
    return Text(
        zh=f"部门整体分项绩效目标（{cn_numeral(item.number)}）「{item.name}」的{label}",
        en=f"the department-wide sub-goal ({item.number}) \"{item.name}\"",
    )


def _report(ctx: CheckContext, figure: Figure, item: SubGoal | None, project: Project, indicator: Indicator) -> None:
    value = indicator.value
    raw = value.raw.strip()
    where = _where(figure, item)
    reading = Text(zh="", en="")
    if figure.kind == "month":
        month = sorted(_months(indicator))[0]
        said = next((t for t in (indicator.description, indicator.level3) if _MONTH_IN_TEXT.search(t or "")), None)
        also_zh = f"，指标描述为「{said}」" if said else ""
        also_en = f", described as \"{said}\"" if said else ""
        reading = Text(zh=f"（即{month}月{also_zh}）", en=f" (month {month}{also_en})")
        detail = Text(zh="，完成时间不一致", en=": the completion dates differ")
        goal_value, table_value = f"{figure.value}月", f"{month}月"
    else:
        stated, _unit = _quantity_unit(figure.value, figure.unit)
        bound, _tol, _u = _indicator_quantity(value)
        if _satisfies(stated, value.comparator, bound):
            detail = Text(zh="，两处数字不一致", en=": the two figures differ")
        else:
            detail = Text(zh="，两者相互矛盾", en=": they contradict each other")
        goal_value, table_value = figure.text, raw
        if "符号" in raw or "值" in raw:  # 符号 <= 值 290.00 单位 万元 → ≤290.00万元
            table_value = f"{_describe_cmp(value.comparator)}{value.value}{value.unit or ''}"
            reading = Text(zh=f"（即{table_value}）", en=f" (that is {table_value})")
    terms = [
        Term(label="目标文字 goal text", value=figure.text, line=figure.span.line, column=figure.span.column),
        Term(label=f"指标值 {indicator.name}", value=raw, line=indicator.value_span.line, column=indicator.value_span.column),
    ]
    if project.budget is not None:
        terms.append(Term(label="预算数 budget", value=project.budget.text, line=project.budget.span.line, column=project.budget.span.column))
    ctx.fail(
        figure.span,
        {
            "where": where,
            "stated": figure.text,
            "indicator": indicator.name,
            "against": Text(zh=f"绩效指标「{indicator.name}」的指标值为", en=f"the indicator \"{indicator.name}\" has the value"),
            "table": raw,
            "reading": reading,
            "detail": detail,
        },
        evidence=Evidence(values={"goal": goal_value, "table": table_value}, terms=terms),
        subject=project.name,
        related=[indicator.value_span] + ([project.name_span] if project.name_span else []),
    )
