"""S — spending schedule (资金支出计划（%））: cumulative shares by period, aligned by cell position."""

from __future__ import annotations

import re
from decimal import Decimal

from audit.engine import CheckContext, kind
from audit.facts.projects import Schedule, SchedulePoint
from audit.model import Evidence, Term, Text


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _period(point: SchedulePoint) -> Text:
    """"10月底" in both languages ("end of Oct")."""
    match = re.match(r"^(\d{1,2})月(?:底|末)$", point.period)
    if match and 1 <= int(match.group(1)) <= 12:
        return Text(zh=point.period, en=f"end of {_MONTHS[int(match.group(1)) - 1]}")
    return Text(zh=point.period, en=point.period)


def _periods(points: list[SchedulePoint]) -> Text:
    names = [_period(p) for p in points]
    return Text(zh="、".join(n.zh for n in names), en=", ".join(n.en for n in names))


def _pct(value: Decimal | None) -> str:
    return "空" if value is None else f"{value.normalize():f}%"


def _evidence(schedule: Schedule, **fields) -> Evidence:
    """Every point of the schedule as a term, plus `fields` (stated, computed…)."""
    return Evidence(
        terms=[
            Term(label=p.period, value=p.raw or "(empty)", line=p.span.line, column=p.span.column)
            for p in schedule.points
        ],
        **fields,
    )


def _schedules(ctx: CheckContext):
    """Projects with a schedule; projects without one are not applicable."""
    for project in ctx.facts.projects:
        if project.schedule is None or not project.schedule.points:
            ctx.not_applicable()
            continue
        yield project, project.schedule


def _readable(points: list[SchedulePoint]) -> list[SchedulePoint]:
    """Cells holding a valid share; anything else is S003's to report, not compared here."""
    return [p for p in points if p.value is not None and 0 <= p.value <= 100]


@kind("schedule_monotone")
def schedule_monotone(ctx: CheckContext) -> None:
    """S001: a cumulative share never falls from one period to the next."""
    for project, schedule in _schedules(ctx):
        values = _readable(schedule.points)
        if len(values) < 2:
            ctx.insufficient()
            continue
        failed = False
        for previous, point in zip(values, values[1:]):
            if point.value < previous.value:
                failed = True
                ctx.fail(
                    point.span,
                    {
                        "period": _period(point),
                        "value": _pct(point.value),
                        "previous_period": _period(previous),
                        "previous": _pct(previous.value),
                    },
                    evidence=_evidence(schedule, stated=_pct(point.value), computed=f">= {_pct(previous.value)}"),
                    subject=project.name,
                    related=[previous.span],
                )
        if not failed:
            ctx.passed()


@kind("schedule_complete")
def schedule_complete(ctx: CheckContext) -> None:
    """S002: the last period reaches 100%; a blank last cell after earlier values is a defect."""
    full = Decimal(str(ctx.params.get("full", 100)))
    for project, schedule in _schedules(ctx):
        last = schedule.points[-1]
        earlier = _readable(schedule.points[:-1])
        if last.value == full:
            ctx.passed()
            continue
        if not last.raw:
            if not earlier:
                detail = Text(
                    zh="各节点全部空白，未填写任何支出进度",
                    en="is entirely blank: no spending planned for any date",
                )
            else:
                reached = earlier[-1]
                detail = Text(
                    zh=f"{last.period} 为空（此前 {reached.period} 已填 {_pct(reached.value)}）；空白不等于 100%",
                    en=f"leaves {_period(last).en} empty after {_period(reached).en} = {_pct(reached.value)}; a blank is not 100%",
                )
        elif last.value is None:
            ctx.insufficient()  # not a percentage: S003 reports it
            continue
        else:
            detail = Text(
                zh=f"{last.period} 累计为 {_pct(last.value)}，未达到 100%",
                en=f"reaches only {_pct(last.value)} at {_period(last).en}, not 100%",
            )
        ctx.fail(
            last.span,
            {"detail": detail, "last_period": _period(last)},
            evidence=_evidence(schedule, stated=last.raw or "(empty)", computed="100%"),
            subject=project.name,
        )


@kind("schedule_values")
def schedule_values(ctx: CheckContext) -> None:
    """S003: every filled cell is a percentage between 0 and 100."""
    for project, schedule in _schedules(ctx):
        failed = False
        for point in schedule.points:
            if not point.raw:
                continue
            if point.value is None:
                detail = Text(zh="不是百分比", en="which is not a percentage")
            elif point.value < 0 or point.value > 100:
                detail = Text(zh="超出 0%–100% 的范围", en="outside 0%–100%")
            else:
                continue
            failed = True
            ctx.fail(
                point.span,
                {"period": _period(point), "raw": point.raw, "detail": detail},
                evidence=_evidence(schedule, stated=point.raw),
                subject=project.name,
            )
        if not failed:
            ctx.passed()


@kind("schedule_leading_gap")
def schedule_leading_gap(ctx: CheckContext) -> None:
    """S004: periods left empty before the first value (no interim plan), once per schedule."""
    for project, schedule in _schedules(ctx):
        first = next((i for i, p in enumerate(schedule.points) if p.raw), None)
        if first is None:
            ctx.insufficient()  # all blank: S002 reports it
            continue
        if first == 0:
            ctx.passed()
            continue
        empty = schedule.points[:first]
        span = empty[0].span.cover(empty[-1].span)
        ctx.fail(
            span,
            {
                "first_period": _period(schedule.points[first]),
                "empty_periods": _periods(empty),
            },
            evidence=_evidence(schedule),
            subject=project.name,
        )


@kind("schedule_inner_gap")
def schedule_inner_gap(ctx: CheckContext) -> None:
    """S005: an empty period between two filled ones."""
    for project, schedule in _schedules(ctx):
        points = schedule.points
        filled = [i for i, p in enumerate(points) if p.raw]
        if len(filled) < 2:
            ctx.not_applicable()
            continue
        failed = False
        for i in range(filled[0] + 1, filled[-1]):
            if points[i].raw:
                continue
            before = max(j for j in filled if j < i)
            after = min(j for j in filled if j > i)
            failed = True
            ctx.fail(
                points[i].span,
                {
                    "period": _period(points[i]),
                    "before": Text(zh=f"{points[before].period} {points[before].raw}", en=f"{_period(points[before]).en} {points[before].raw}"),
                    "after": Text(zh=f"{points[after].period} {points[after].raw}", en=f"{_period(points[after]).en} {points[after].raw}"),
                },
                evidence=_evidence(schedule),
                subject=project.name,
            )
        if not failed:
            ctx.passed()
