"""T011: a date or period outside the document's: a 截至 date more than a year before the budget
year (or after it), a project period that ended before the budget year began.

A budget for year Y is written in Y−1: its stock figures are 截至 a day of Y−1 (截至2024年8月31日
in a 2025 budget) and a 决算 for Y counts to 截至Y年12月31日, so both years pass; anything older is
last year's sentence left in.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.model import Evidence, Span, Text

_AS_OF = re.compile(r"(?:截至|截止)(?:时间|日期)?\s*:?\s*(?P<year>(?:19|20)\d{2})\s*(?:年|-|/|\.)")
_PERIOD = re.compile(
    r"(?:实施|项目|执行|建设)(?:期限|周期|期间|年限)\s*:?\s*(?P<start>(?:19|20)\d{2})\s*年?[^至到\-—~]{0,8}?"
    r"(?:至|到|-|—|~)\s*(?P<end>(?:19|20)\d{2})\s*年?"
)


_YEARS = (2000, 2100)


@kind("periods")
def periods(ctx: CheckContext) -> None:
    year = ctx.facts.structure.budget_year
    if year is None or not _YEARS[0] <= year <= _YEARS[1]:  # no year, or a title's misprint (2223年)
        ctx.not_applicable()
        return
    source = ctx.document.source
    for number, text in enumerate(source.texts, start=1):
        if "截" not in text and "期" not in text:
            continue
        for match in _AS_OF.finditer(text):
            found = int(match.group("year"))
            if year - 1 <= found <= year:
                ctx.passed()
                continue
            _fail(ctx, number, match, "year", found, year,
                  Text(zh=f"截至日期在{found}年，而本文件为{year}年（应为{year - 1}年或{year}年的数据）",
                       en=f"the as-of date is in {found}, this document is for {year} (expected {year - 1} or {year})"))
        for match in _PERIOD.finditer(text):
            end = int(match.group("end"))
            if end >= year:
                ctx.passed()
                continue
            _fail(ctx, number, match, "end", end, year,
                  Text(zh=f"项目期限到{end}年已结束，早于预算年度{year}年", en=f"the project period ended in {end}, before the budget year {year}"))


def _fail(ctx: CheckContext, number: int, match: re.Match[str], group: str, found: int, year: int, why: Text) -> None:
    source = ctx.document.source
    start, end = match.start(), match.end()
    ctx.fail(
        Span(line=number, column=source.column(number - 1, start) + 1, end_line=number, end_column=source.column(number - 1, end) + 1),
        {"found": match.group(0).strip(), "why": why, "year": year},
        evidence=Evidence(stated=str(found), computed=str(year)),
        subject=match.group(0).strip(),
    )
