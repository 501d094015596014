"""The figures written in a goal — `维持执勤人数100人`, `共计金额240万元`, `于6月份完成验收` —
with the clause they sit in, for T001 to compare with the indicators."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import chain
from typing import Iterator

from audit.facts.lazy import _Lazy, _match_end, _match_start, _matches_at
from audit.facts.numerals import to_number
from audit.facts.structure_facts import Figure
from audit.layout import Text

# -- goal figures ---------------------------------------------------------------------------------

# 个 but not 个月/个工作日/个百分点 (durations and percentage points are not counts)
_UNITS = "万元|亿元|元|人次|人|名|户|家|个(?!月|工作日|季度|小时|百分点|星期|年)|次|件|张|份|辆|台|部|套|条|路|公里|千米|平方米|米|小时|天|%"
_QUANTITY = _Lazy(
    r"(?:(?P<cmp>不少于|不低于|至少|不超过|不高于|大于等于|小于等于|大于|小于|超过|达到|达)\s*)?"
    r"(?<![\d.第])(?P<num>\d+(?:\.\d+)?)\s{0,2}(?P<mult>万(?!元))?\s{0,2}(?P<approx>余|多)?\s{0,2}"
    rf"(?P<unit>{_UNITS})(?P<after>以上|以下|以内)?"
)


def _quantity_start() -> str:
    """Where a quantity may start: a comparison word's first character, or a run of digits
    followed by what may follow the number in _QUANTITY (a space, 万, 余/多, a unit's first
    character; the number takes the whole run, as no unit starts with a digit: most digits in a
    goal, years, dates, are not followed by one). _quantities tries _QUANTITY only there: a
    search with it costs a failed attempt at every character of the text. The pattern starts
    with a character class, so the scan skips ahead in C to the next candidate."""
    unit_firsts = "".join(sorted({unit[0] for unit in re.sub(r"\(\?!.*?\)", "", _UNITS).split("|")}))
    return rf"[\d不至大小超达](?:(?<=\d)\d*(?:\.\d+)?(?=[\s万余多{unit_firsts}])|(?<!\d))"


_QUANTITY_START = _Lazy(_quantity_start)
_MONTH = _Lazy(rf"(?:(?P<year>\d{{4}})\s*年\s*)?(?P<month>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月(?:份|底|末)?")
_DONE = _Lazy(r"完成|验收|完工|竣工|交付|投入使用|上线")
_TOTAL = _Lazy(r"共计|合计|总计|总额|共需|全部")  # not 总投资: a multi-year total, not this year's
_CLAUSE_ENDS = ",;。!?\n"
_CLAUSE_END = _Lazy(f"[{_CLAUSE_ENDS}]")
_LAST_CLAUSE_END = _Lazy(f"(?s).*[{_CLAUSE_ENDS}]")  # matched from the left: ends after the last one
_NUMBERING = _Lazy(r"(?:^|(?<=[\n。;]))\s*(?:\d{1,2}\s*[、.](?!\d)\s*)?(?:目标内容\d+)?\s*")
# What _NUMBERING's lookbehind accepts before it, where _NUMBERING matches more than nothing:
# it starts with a space, a digit or 目 (目标内容), and most clause ends are followed by none.
_NUMBERING_START = _Lazy(r"[\n。;](?=[\s\d目])")
_CMP_WORDS = {
    "不少于": ">=", "不低于": ">=", "至少": ">=", "大于等于": ">=", "达到": ">=", "达": ">=",
    "不超过": "<=", "不高于": "<=", "小于等于": "<=", "大于": ">", "超过": ">", "小于": "<",
}


def _clause_bounds(text: str, start: int, end: int, reach: int = 80) -> tuple[int, int]:
    """The clause around text[start:end], at most `reach` characters either side (two scans in
    C: the last clause end before it, the first after it)."""
    low, high = max(0, start - reach), min(len(text), end + reach)
    before = _LAST_CLAUSE_END().match(text, low, start)
    after = _CLAUSE_END().search(text, end, high) if end < high else None
    return (before.end() if before else low), (after.start() if after else max(end, high))


def _blank_numbering(text: str) -> str:
    """The text with its item numbering (1、 / 2. / 目标内容2) blanked out: not figures.

    _NUMBERING matches only at the start or after a line break, 。 or ；, so it is tried there
    alone: a search would attempt it at every character."""
    numbering = _NUMBERING()
    pieces: list[str] = []
    pos = 0
    for start in chain((0,), map(_match_end, _NUMBERING_START().finditer(text))):
        if start < pos:
            continue
        end = numbering.match(text, start).end()
        if end > start:
            pieces += (text[pos:start], " " * (end - start))
            pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _quantities(text: str) -> Iterator[re.Match[str]]:
    """_QUANTITY().finditer(text)."""
    return _matches_at(_QUANTITY(), text, map(_match_start, _QUANTITY_START().finditer(text)))


def goal_figures(ref: Text, origin: str, item: int | None = None, part: str = "goal") -> list[Figure]:
    """The quantities and completion months written in one goal text."""
    text = ref.text
    plain = _blank_numbering(text)
    figures: list[Figure] = []
    for match in _quantities(plain):
        try:
            value = Decimal(match.group("num"))
        except InvalidOperation:
            continue
        if match.group("mult"):
            value *= 10000
        cmp = _CMP_WORDS.get(match.group("cmp") or "")
        if match.group("approx") or match.group("after") == "以上":
            cmp = cmp or ">="
        elif match.group("after") in ("以下", "以内"):
            cmp = cmp or "<="
        left, right = _clause_bounds(plain, match.start(), match.end())
        clause = plain[left:right].strip()
        context = (plain[left : match.start()] + plain[match.end() : right]).strip()
        figures.append(
            Figure(
                kind="quantity",
                value=value,
                unit=match.group("unit"),
                comparator=cmp,
                text=text[match.start("num") : match.end()].strip(),
                clause=clause,
                context=context,
                total=bool(_TOTAL().search(plain[left : match.start()])),
                span=ref.span(match.start("num"), match.end()),
                origin=origin,
                item=item,
                part=part,
            )
        )
    if "月" not in plain:
        return figures
    for match in _MONTH().finditer(plain):
        month = to_number(match.group("month"))
        if month is None or not 1 <= month <= 12:
            continue
        left, right = _clause_bounds(plain, match.start(), match.end())
        after = plain[match.end() : right]
        if not _DONE().search(after[:12]):
            continue  # only a month by which something is to be completed
        figures.append(
            Figure(
                kind="month",
                value=Decimal(month),
                unit="月",
                text=text[match.start() : match.end()].strip(),
                clause=plain[left:right].strip(),
                context=(plain[left : match.start()] + after).strip(),
                span=ref.span(match.start("month"), match.end()),
                origin=origin,
                item=item,
                part=part,
            )
        )
    return figures
