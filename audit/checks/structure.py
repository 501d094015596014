"""T002–T003: enumerations that skip or repeat a number, and counts that disagree with the items
listed; with `marker_label`, how a list of each style writes a number. The facts come from
audit/facts/enumerations.py and audit/facts/count_claims.py."""

from __future__ import annotations

import re
from bisect import bisect_right

from audit.facts.numerals import cn_numeral
from audit.engine import CheckContext, kind
from audit.facts.structure import Enumeration, Marker, StructureFacts
from audit.model import Evidence, Span, Term, Text

# -- shared helpers ------------------------------------------------------------------------------


def marker_label(style: str, n: int) -> str:
    """How a list of this style writes number n (for messages)."""
    cn = cn_numeral(n)
    return {
        "part": f"第{cn}部分",
        "cn": f"{cn}、",
        "paren_cn": f"（{cn}）",
        "shi": f"{cn}是",
        "dun": f"{n}、",
        "dot": f"{n}.",
        "paren_num": f"（{n}）",
    }.get(style, str(n))


def _display(label: str) -> str:
    """A marker as a reader sees it in the document: full-width brackets."""
    return label.replace("(", "（").replace(")", "）")


def _squash(text: str) -> str:
    return "".join(text.split())


# -- T002 enumerations -----------------------------------------------------------------------------

_ARABIC_STYLES = {"dun", "dot", "paren_num"}


def _written_otherwise(index: dict[tuple[str, int], list[int]], enum: Enumeration, previous: Marker, current: Marker, missing: list[int]) -> bool:
    """True when every missing number does start a line between the two markers, only written in
    another way (`10 安次…` without its dot): a style slip, not a missing item."""
    if enum.scope != "text":
        return False
    numeral = "arabic" if enum.style in _ARABIC_STYLES else "cn"
    start, end = previous.span.line, current.span.line
    for number in missing:
        lines = index.get((numeral, number), [])
        at = bisect_right(lines, start)
        if at >= len(lines) or lines[at] >= end:
            return False
    return True


def _numbered_index(structure: StructureFacts) -> dict[tuple[str, int], list[int]]:
    """(numeral, number) → sorted lines that start with it."""
    index: dict[tuple[str, int], list[int]] = {}
    for n in structure.numbered_lines:
        index.setdefault((n.numeral, n.number), []).append(n.line)
    for lines in index.values():
        lines.sort()
    return index


_HEADING_LIKE = re.compile(r"^[^\d:,。;]{3,16}$")


def _unnumbered_headings(structure: StructureFacts, enum: Enumeration, previous: Marker, current: Marker) -> list[str]:
    """Short unnumbered heading lines between two markers of a top-level list (第N部分, 一、):
    often the missing items, written without their number."""
    if enum.scope != "text" or enum.style not in ("part", "cn"):
        return []
    start, end = previous.span.line, current.span.line
    found = [
        h.text.strip()
        for h in structure.headings
        if start < h.span.line < end and _HEADING_LIKE.match(h.text.strip()) and not h.text.strip().endswith("表")
    ]
    return found[:4]


@kind("enumeration_sequence")
def enumeration_sequence(ctx: CheckContext) -> None:
    """T002: inside one list the numbers go up by one; a list that restarts under a new heading is
    a new list (the facts' stack already split it off)."""
    structure: StructureFacts = ctx.facts.structure
    lists = [e for e in structure.enumerations if len(e.items) >= 2]
    if not lists:
        ctx.not_applicable()
        return
    index = None  # built on the first skip: numbered lines are only read then (most documents have none)
    for enum in lists:
        failed = False
        for previous, current in zip(enum.items, enum.items[1:]):
            expected = previous.number + 1
            diagnosis = None
            if current.number == expected:
                continue
            if current.number > expected:
                missing = list(range(expected, current.number))
                if index is None:
                    index = _numbered_index(structure)
                if _written_otherwise(index, enum, previous, current, missing):
                    continue
                labels = "、".join(marker_label(enum.style, m) for m in missing)
                detail = Text(
                    zh=f"序号从「{_display(previous.label)}」直接跳到「{_display(current.label)}」，缺少{labels}",
                    en=f"the numbering jumps from \"{_display(previous.label)}\" to \"{_display(current.label)}\"; {', '.join(str(m) for m in missing)} missing",
                )
                fix_zh = f"补上缺少的{labels}，或将「{_display(current.label)}」及其后各项依次改为从{marker_label(enum.style, expected)}开始编号"
                fix_en = f"Add the missing item(s), or renumber \"{_display(current.label)}\" and the items after it from {expected}"
                between = _unnumbered_headings(structure, enum, previous, current)
                if between:
                    names = "」「".join(between)
                    diagnosis = Text(
                        zh=f"其间有未编号的标题「{names}」，可能漏写了序号",
                        en=f"unnumbered headings in between (「{names}」): their numbers may have been left off",
                    )
                    fix_zh += f"；若「{between[0]}」等即是缺少的部分，为其补上序号"
            else:
                if current.number != previous.number:
                    continue  # going back: the facts would have started a new list; stay silent
                detail = Text(
                    zh=f"序号「{_display(current.label)}」重复出现（上一项也是「{_display(previous.label)}」）",
                    en=f"the number \"{_display(current.label)}\" repeats the previous item's",
                )
                fix_zh = f"将第二个「{_display(current.label)}」及其后各项依次顺延编号"
                fix_en = f"Renumber the second \"{_display(current.label)}\" and the items after it"
            failed = True
            ctx.fail(
                current.span,
                {"detail": detail, "fix": Text(zh=fix_zh, en=fix_en)},
                evidence=Evidence(
                    stated=_display(current.label),
                    computed=marker_label(enum.style, expected),
                    terms=[
                        Term(label="上一项 previous", value=f"{_display(previous.label)}{previous.title[:12]}", line=previous.span.line, column=previous.span.column),
                        Term(label="本项 this item", value=f"{_display(current.label)}{current.title[:12]}", line=current.span.line, column=current.span.column),
                    ],
                    values={"heading": enum.heading} if enum.heading else {},
                    diagnosis=diagnosis,
                ),
                subject=enum.heading or None,
                related=[previous.span],
            )
        if not failed:
            ctx.passed()


_JOINED = re.compile(r"以及|和|及|与")

# -- T003 count claims ---------------------------------------------------------------------------------


@kind("count_claim")
def count_claim(ctx: CheckContext) -> None:
    """T003: `下设N个…，包括：a、b、c` — N equals the number of distinct items listed."""
    claims = ctx.facts.structure.count_claims
    if not claims:
        ctx.not_applicable()
        return
    for claim in claims:
        if claim.open_ended:
            ctx.not_applicable()
            continue
        names = [_squash(i) for i in claim.items]
        distinct: list[str] = []
        duplicates: list[tuple[str, Span]] = []
        for name, span in zip(names, claim.item_spans):
            if name in distinct:
                duplicates.append((name, span))
            else:
                distinct.append(name)
        listed, unique = len(names), len(distinct)
        if unique == claim.count and not duplicates:
            ctx.passed()
            continue
        joined = sum(len(_JOINED.split(n)) for n in distinct)  # …、财务科和政治处: two items in one
        if joined == claim.count and not duplicates:
            ctx.passed()
            continue
        if listed < claim.count / 2 and not duplicates:
            ctx.insufficient()  # a few examples, not the full list
            continue
        claim_text = f"{claim.count_text}{claim.noun}"
        if duplicates:
            dup = "、".join(f"「{d}」" for d, _ in duplicates)
            detail_zh = f"实际列出{listed}项，其中{dup}重复，不同的只有{unique}项"
            detail_en = f"but the list has {listed} entries, {len(duplicates)} of them repeated ({', '.join(d for d, _ in duplicates)}): only {unique} distinct"
            fix_zh = f"删除重复的{dup}；若确有{claim.count}个，请补上漏列的{claim.count - unique}项" if unique < claim.count else f"删除重复的{dup}"
            fix_en = "Remove the repeated entry; if there really are that many, add the ones left out"
        else:
            detail_zh = f"但实际列出{listed}项"
            detail_en = f"but {listed} are listed"
            fix_zh = f"核对数量：将「{claim.count_text}」改为「{listed}{claim.count_text[len(str(claim.count)) :] if claim.count_text[:len(str(claim.count))].isdigit() else claim.count_text[-1]}」，或补全名单"
            fix_en = f"Make the number and the list agree ({claim.count} stated, {listed} listed)"
        ctx.fail(
            claim.span,
            {"claim": claim_text, "detail": Text(zh=detail_zh, en=detail_en), "fix": Text(zh=fix_zh, en=fix_en)},
            evidence=Evidence(
                stated=str(claim.count),
                computed=str(unique),
                difference=str(claim.count - unique),
                terms=[Term(label=f"第{i + 1}项", value=item, line=s.line, column=s.column) for i, (item, s) in enumerate(zip(claim.items, claim.item_spans))],
                diagnosis=(
                    Text(zh="列举项有重复", en="duplicate entries")
                    if duplicates
                    else Text(zh="数目与列举项不符", en="count differs from the list")
                ),
            ),
            subject=claim.noun or None,
            related=[claim.list_span] + [s for _, s in duplicates],
        )
