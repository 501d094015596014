"""Blocks → narrative-structure facts: enumerations, count claims, headings, years, unit names,
the 部门整体 分项绩效目标 list and the figures written in goals.

These are what the T rules reason about. Everything is read from the NFKC-normalised text of
paragraph lines (`Paragraph.line_refs`) and table cells, and every fact keeps its span in the
original file. Enumerations are grouped into lists here (a nesting-aware stack, see
`_Lists`), so the check only has to walk each list's numbers.

Speed: each line and cell is read once, and a cheap substring test (a colon, a 、, 预算…) rejects
it before any regular expression runs; the expressions are compiled on first use, so importing
the module stays cheap. The facts are slotted dataclasses: thousands are made per document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import accumulate, chain, compress
from operator import attrgetter, methodcaller
from typing import Callable, Iterable, Iterator

from audit.facts.contents import Contents, read_contents
from audit.layout import Block, Cell, Paragraph, Row, Table, Text
from audit.lexicon import lexicon
from audit.model import Span
from audit.numbers import parse_figure
from audit.records import dataclass, field

# -- Chinese numerals -------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "〇零一二两三四五六七八九十百"


def cn_number(text: str) -> int | None:
    """一 → 1, 十三 → 13, 二十 → 20, 一百零五 → 105; None for anything else."""
    if not text or any(ch not in CN_NUMERAL for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGIT[ch]
    return total + current


def to_number(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    return cn_number(text)


def _Lazy(source: str | Callable[[], str]) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled on first use (`_NAME()` gives the compiled pattern): the
    module holds dozens, and compiling them all at import would slow every cold start.
    `source`: the pattern, or a function returning it (a lexicon entry). functools.cache makes
    each later call a C call: the hot loops ask for their patterns thousands of times."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(source if isinstance(source, str) else source())

    return compiled


_match_start, _match_end = methodcaller("start"), methodcaller("end")


def _squash(text: str) -> str:
    return "".join(text.split())


# -- facts ------------------------------------------------------------------------------------
# Plain slotted dataclasses (kw_only: built by keyword, fields keep their reading order).

_fact = dataclass(slots=True, kw_only=True)


@_fact
class Marker:
    """One enumeration marker: （十三）, 二是, 3、 … as printed, with its number and place."""

    style: str  # part 第N部分 | cn 一、 | paren_cn （一） | shi 一是 | dun 1、 | dot 1. | paren_num （1）
    number: int
    label: str  # the marker as printed (normalised)
    title: str  # the text that follows it on its line (shortened)
    span: Span
    scope: str  # "text" (the document's paragraphs) or "cell@<line>"


@_fact
class Enumeration:
    """One list: consecutive markers of one style at one nesting level."""

    style: str
    scope: str
    depth: int  # how many lists were open around it
    heading: str | None = None  # the item of the enclosing list it sits under
    items: list[Marker] = field(default_factory=list)


@dataclass(slots=True)  # positional too: tables make one per figure cell
class NumberedLine:
    """Any line that starts with a number, whatever its punctuation (`10 安次…` has none):
    lets T002 tell a true skip from an item whose marker was written differently."""

    number: int
    numeral: str  # "arabic" | "cn"
    line: int
    scope: str


@_fact
class CountClaim:
    """`下设13个科室，包括：a、b、c` — a stated count and the items listed after it."""

    count: int
    count_text: str
    noun: str  # 科室
    items: list[str]
    item_spans: list[Span]
    span: Span  # the count (13个)
    list_span: Span  # the listed items
    open_ended: bool = False  # the list ends with 等 (not meant to be exhaustive)
    list_follows: bool = False  # `下设3个科室：` then 1、… 2、… on the following lines (items filled in from that list)


@_fact
class Heading:
    """A short line that may head a section (≤ 40 characters, no full stop)."""

    text: str
    span: Span


@_fact
class YearMention:
    """A four-digit year in a place where the budget year is meant, or in a comparison."""

    year: int
    text: str  # the phrase around it
    sentence: str = ""  # the whole sentence, to tell a comparison (…比上年增加) from a slip
    role: str  # title | header (预算年度/表头) | statement (2020年预算收入…) | comparison (较2019年…)
    span: Span


@_fact
class UnitName:
    """The name of the unit the disclosure is about, where the title or a preparer line gives it."""

    name: str  # as printed, code removed
    role: str  # title | preparer (编制单位 lines and the code+name line above each table)
    span: Span


@_fact
class TableTitle:
    """A budget table's own title line, whether a table follows, and whether it holds figures."""

    text: str
    span: Span
    has_table: bool
    has_figures: bool
    empty_note: bool  # a sentence says the table is empty (空表列示, 本单位无…)


@_fact
class Figure:
    """A figure written in a goal: `维持执勤人数100人`, `共计金额240万元`, `于6月份完成验收`."""

    kind: str  # quantity | month
    value: Decimal
    unit: str  # as written (人, 万元, %, 月); for a month: 月
    comparator: str | None = None  # ">=" for 不少于/至少/…余; None for a plain figure
    text: str  # the figure as printed (normalised)
    clause: str  # the clause it sits in
    context: str  # the clause with the figure removed: what is being counted
    total: bool = False  # 共计/合计/总: the project's total amount
    span: Span
    origin: str  # table_goal | overall (部门整体 分项绩效目标)
    item: int | None = None  # index into StructureFacts.subgoals for origin=overall
    part: str = "goal"  # goal (绩效目标) | indicator (绩效指标)


@_fact
class SubGoal:
    """One item of a 部门整体 分项绩效目标 list: （一）name / 绩效目标：… / 绩效指标：…"""

    index: int  # 0-based position in the list
    number: int  # its printed number
    name: str
    name_span: Span
    goal: str = ""
    goal_span: Span | None = None
    indicator: str = ""
    indicator_span: Span | None = None


@_fact
class _DumpedStructure:
    """The structure facts `audit extract` prints (pydantic_core dumps a dataclass's fields)."""

    enumerations: list[Enumeration] = field(default_factory=list)
    numbered_lines: list[NumberedLine] = field(default_factory=list)
    count_claims: list[CountClaim] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    title: Heading | None = None  # the document's own title (first lines)
    complete_disclosure: bool = False  # presents itself as a 部门/单位预算公开 (not only 绩效目标)
    budget_year: int | None = None  # the year the title names
    years: list[YearMention] = field(default_factory=list)
    unit_names: list[UnitName] = field(default_factory=list)
    table_titles: list[TableTitle] = field(default_factory=list)
    subgoals: list[SubGoal] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


# The dataclass's own slots for the two facts StructureFacts reads on first use.
_NUMBERED_SLOT, _HEADINGS_SLOT = _DumpedStructure.numbered_lines, _DumpedStructure.headings


def _read_on_first_use(slot) -> property:
    """A field of StructureFacts that is read from the blocks the first time it is got or set."""

    def get(self):
        if self.unread is not None:
            self._read_unread()
        return slot.__get__(self)

    def set(self, value) -> None:
        if self.unread is not None:
            self._read_unread()
        slot.__set__(self, value)

    return property(get, set)


class StructureFacts(_DumpedStructure):
    """Plus `text_lines`, every paragraph line (for section search): an attribute, not a dataclass
    field, so that `audit extract` leaves it out of its JSON.

    `numbered_lines` and `headings` are read from the blocks on first use (`unread`): only T002
    asks for them, when a list skips a number, and the tables' figure cells make most numbered
    lines. `audit extract` and equality read them like any field."""

    __slots__ = ("text_lines", "unread", "contents")

    def __init__(self, *, text_lines: list[str] | None = None, unread: list[Block] | None = None, contents: Contents | None = None, **fields) -> None:
        self.unread = None
        super().__init__(**fields)
        self.text_lines = [] if text_lines is None else text_lines
        self.contents = contents  # the 目录, when the document has one (T012; its lines are not body)
        self.unread = unread  # blocks whose numbered lines and headings are still to be read

    numbered_lines = _read_on_first_use(_NUMBERED_SLOT)
    headings = _read_on_first_use(_HEADINGS_SLOT)

    def _read_unread(self) -> None:
        blocks, self.unread = self.unread, None
        numbered, headings = _numbered_lines_and_headings(blocks)
        _NUMBERED_SLOT.__set__(self, numbered)
        _HEADINGS_SLOT.__set__(self, headings)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _DumpedStructure.__eq__(self, other) and self.text_lines == other.text_lines

    __hash__ = None  # type: ignore[assignment]  # mutable


# -- enumerations ------------------------------------------------------------------------------

# Leading bullets, a [bracketed] tag, spaces: skipped before a line's marker. Atomic, so the
# marker after it is matched where a separate match of the bullet alone would leave off.
_BULLET = r"(?>[\s\-*•·●]*(?:\[[^\]]*\])?\s*)"
_CN = f"[{CN_NUMERAL}]{{1,4}}"
# A line's own marker: the alternatives are tried in this order; the group that matched names the style.
_LINE_MARKER = _Lazy(
    rf"^(?P<lead>{_BULLET})(?:"
    rf"第(?P<part>{_CN})部分"
    rf"|\((?P<paren_cn>{_CN})\)"
    r"|\((?P<paren_num>\d{1,2})\)"
    rf"|(?P<cn>{_CN})(?:、|\.(?!\d))"
    r"|(?P<dun>\d{1,2})、"
    # `1.` but not a decimal `1.5` nor an OCR-split one `12. 50`; `1.2022年…` is item 1 then a year
    r"|(?P<dot>\d{1,2})\.(?:(?!\s{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年))"
    ")"
)
# 一是…二是… sit inside sentences; they start a clause.
_SHI = _Lazy(rf"(?:^|(?<=[。;:,!?]))\s*({_CN})是(?!否|指|说|由|在|为|以|对)")
# Markers inside a table cell: at the cell's line starts or after a full stop / semicolon.
_STOP = _Lazy("[。;]")  # after which _CELL_MARKER may start (else only at the cell's start)
_CELL_MARKER = _Lazy(r"(?:^|(?<=[。;]))\s*(\d{1,2})(?:、|\.(?:(?!\s{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年)))")
# A line that starts with a number, after any bullet and one opening bracket.


def _numbered_body(stop: str = "") -> str:
    """A numbered line's start; `stop`: characters (a regex class body) it may not read past."""
    bullet = _BULLET.replace(r"[^\]]", rf"[^\]{stop}]")
    return rf"{bullet}\(?+(?:第)?(\d{{1,2}}|{_CN})(?=[\s、.,:)\]]|[^\d{CN_NUMERAL}{stop}])"


_NUMBERED = _Lazy(f"^{_numbered_body()}")
_BULLET_ONLY = _Lazy(f"^{_BULLET}")


class _Lists:
    """Groups markers into lists with a stack of open lists.

    A marker numbered 1 opens a new list (a nested one, or a restart under a new heading). A
    marker n > 1 continues the innermost open list of its style whose last number is n − 1,
    closing every list opened inside it; when none is waiting for n, it joins the innermost list
    of its style (where T002 will see the skip or repeat), or opens one if none is open.
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.stack: list[Enumeration] = []
        self.done: list[Enumeration] = []

    def close_inner(self) -> None:
        """A table ends every prose list but the document's parts (第N部分): a list does not run
        on across a table, and the numbered notes under a table are a list of their own."""
        parts = [i for i, e in enumerate(self.stack) if e.style == "part"]
        del self.stack[parts[-1] + 1 if parts else 0 :]

    def add(self, marker: Marker) -> None:
        style, n = marker.style, marker.number
        if n > 1:
            for i in range(len(self.stack) - 1, -1, -1):
                current = self.stack[i]
                if current.style == style and current.items[-1].number == n - 1:
                    del self.stack[i + 1 :]
                    current.items.append(marker)
                    return
            for i in range(len(self.stack) - 1, -1, -1):
                current = self.stack[i]
                if current.style == style:
                    last = current.items[-1].number
                    if n < last:
                        break  # going back: a new list that does not start at 1 (silent)
                    del self.stack[i + 1 :]
                    current.items.append(marker)
                    return
        heading = None
        if self.stack:
            parent = self.stack[-1].items[-1]
            heading = f"{parent.label}{parent.title}"
        enumeration = Enumeration(style=style, scope=self.scope, depth=len(self.stack), heading=heading, items=[marker])
        self.stack.append(enumeration)
        self.done.append(enumeration)


def _markers_in_line(ref: Text, scope: str) -> list[Marker]:
    """The line's own marker (一、 （1） 第二部分 …), then any 一是/二是 inside it."""
    text = ref.text
    markers: list[Marker] = []
    match = _LINE_MARKER().match(text)
    if match:
        style = match.lastgroup
        number = to_number(match.group(style))
        if number:
            start, end = match.end("lead"), match.end()
            markers.append(
                Marker(
                    style=style,
                    number=number,
                    label=text[start:end],
                    title=text[end:].strip()[:40],
                    span=ref.span(start, end),
                    scope=scope,
                )
            )
    if "是" in text:
        for match in _SHI().finditer(text):
            number = to_number(match.group(1))
            if number:
                markers.append(
                    Marker(
                        style="shi",
                        number=number,
                        label=match.group(1) + "是",
                        title=text[match.end() : match.end() + 40],
                        span=ref.span(match.start(1), match.end()),
                        scope=scope,
                    )
                )
    return markers


def _numbered_line(ref: Text, scope: str) -> NumberedLine | None:
    match = _NUMBERED().match(ref.text)
    if not match:
        return None
    raw = match.group(1)  # one or two digits, or Chinese numerals
    arabic = raw.isdigit()
    number = int(raw) if arabic else cn_number(raw)
    if not number:
        return None
    return NumberedLine(number=number, numeral="arabic" if arabic else "cn", line=ref.position(0)[0], scope=scope)


def _cell_markers(ref: Text, scope: str) -> list[Marker]:
    markers: list[Marker] = []
    text = ref.text
    for match in _matches_at(_CELL_MARKER(), text, chain((0,), map(_match_end, _STOP().finditer(text)))):
        # only at a line start inside the cell, or right after 。/；
        pos = match.start(1)
        before = pos
        while before and text[before - 1] == " ":
            before -= 1
        if before and text[before - 1] not in "\n。;":
            continue
        number = int(match.group(1))
        if number == 0:
            continue
        style = "dun" if text[match.end() - 1] == "、" else "dot"
        markers.append(
            Marker(
                style=style,
                number=number,
                label=text[pos : match.end()],
                title=text[match.end() : match.end() + 30].split("\n")[0],
                span=ref.span(pos, match.end()),
                scope=scope,
            )
        )
    return markers


# -- count claims ------------------------------------------------------------------------------

_CLASSIFIER = "个|项|类|种|家|条|所|支|处|名|部分"
# The count: \d{1,3} or 1-4 numerals, written to start with one character class so that the
# scan skips ahead in C to the next digit or numeral (an alternation would be tried at every
# character of the text).
_COUNT = _Lazy(
    rf"(?P<n>[\d{CN_NUMERAL}](?:(?<=\d)\d{{0,2}}|(?<!\d)[{CN_NUMERAL}]{{0,3}}))\s{{0,2}}(?P<clf>{_CLASSIFIER})(?P<noun>[^,;:。、()\d\s]{{0,12}}?)"
    r"[\s,]{0,3}(?:主要)?(?:(?:包括|分别是|分别为|分别有|即)\s{0,2}:?|(?:为|有|是|如下)\s{0,2}:|:)\s{0,3}"
)
_ITEM_END = _Lazy(r"[。;]|$")
_LIST_START = _Lazy(rf"\s{{0,2}}(?:\(?\d{{1,2}}(?:[、)]|\.(?!\d))|\(?[{CN_NUMERAL}]{{1,3}}[、)]|第[{CN_NUMERAL}]{{1,3}})")
# `下设4个科室和2个直属单位，包括：…` — the list covers both counts, not the last one
_ANOTHER_COUNT = _Lazy(rf"(?:\d{{1,3}}|[{CN_NUMERAL}]{{1,4}})\s*(?:{_CLASSIFIER})")
_ETC = _Lazy(r"等[\d一二三四五六七八九十]*(个|项|类|种)?$")


_OPEN, _CLOSE = "(“《[「", ")”》]」"


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    """`办公室(含财务、人事)、政治处` → two items: a separator inside brackets or quotes is not one."""
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch == separator and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return pieces


def _may_claim(text: str) -> bool:
    """Cheap test: a count claim needs a colon, 包括, 分别 or 即 after its count."""
    return ":" in text or "包括" in text or "分别" in text or "即" in text


def _count_claims(ref: Text) -> list[CountClaim]:
    text = ref.text
    if not _may_claim(text):
        return []
    claims: list[CountClaim] = []
    lines: list[int] | None = None
    list_start = _LIST_START()
    for match in _COUNT().finditer(text):
        count = to_number(match.group("n"))
        if not count or count < 2 or count > 60:
            continue
        clause_start = max(text.rfind(ch, max(0, match.start() - 200), match.start()) for ch in "。;:")
        compound = bool(_ANOTHER_COUNT().search(text, clause_start + 1, match.start())) or bool(
            _ANOTHER_COUNT().search(match.group("noun"))
        )
        start = match.end()
        end_match = _ITEM_END().search(text, start, start + 600)
        end = end_match.start() if end_match else min(len(text), start + 600)
        if lines is None:
            lines = ref.lines
        for i in range(start + 1, end):  # a new line that opens a numbered item ends the list
            if lines[i] != lines[i - 1] and list_start.match(text, i):
                end = i
                break
        segment = text[start:end]
        if list_start.match(segment):  # the items are an enumeration of their own
            claims.append(
                CountClaim(
                    count=count,
                    count_text=match.group("n") + match.group("clf"),
                    noun=match.group("noun").strip(),
                    items=[],
                    item_spans=[],
                    span=ref.span(match.start("n"), match.end("clf")),
                    list_span=ref.span(start, start + 1),
                    open_ended=compound,
                    list_follows=True,
                )
            )
            continue
        separator = "、" if "、" in segment else ("," if "," in segment else None)
        if separator is None:
            continue
        tail = segment.rstrip()
        open_ended = tail.endswith("等") or _ETC().search(tail) is not None
        parts: list[tuple[str, int, int]] = []
        pos = start
        for piece in _split_outside_brackets(segment, separator):
            stripped = piece.strip()
            offset = piece.find(stripped) if stripped else 0
            if stripped:
                parts.append((stripped, pos + offset, pos + offset + len(stripped)))
            pos += len(piece) + len(separator)
        if len(parts) < 2:
            continue
        # the last item may run on into a new clause (…、反邪教协会，负责…): cut it at a comma
        last, s, e = parts[-1]
        if separator == "、" and "," in last:
            cut = last.index(",")
            last, e = last[:cut].strip(), s + cut
            parts[-1] = (last, s, e)
        if any(len(p[0]) > 30 or "," in p[0] for p in parts):
            continue  # clauses, not names: not a list of items
        claims.append(
            CountClaim(
                count=count,
                count_text=match.group("n") + match.group("clf"),
                noun=match.group("noun").strip(),
                items=[p[0] for p in parts],
                item_spans=[ref.span(s, e) for _, s, e in parts],
                span=ref.span(match.start("n"), match.end("clf")),
                list_span=ref.span(parts[0][1], parts[-1][2]),
                open_ended=open_ended or compound,
            )
        )
    return claims


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


def _matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that can only start a match at one of `starts`
    (increasing) and never matches empty: a search would attempt it at every character."""
    pos = 0
    for start in starts:
        if start >= pos:
            match = pattern.match(text, start)
            if match:
                yield match
                pos = match.end()


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


# -- titles, years, unit names ------------------------------------------------------------------

# 某局2023年部门预算公开; 上海市普陀区2025年区级部门预算 (Shanghai's covers have no 公开)
_DISCLOSURE = _Lazy(r"(部门|单位).{0,16}?预算.{0,6}公开|预算.{0,4}(信息)?公开|\d{4}\s{0,2}年.{0,8}(部门|单位)预算\s*$")
_PERFORMANCE_ONLY = _Lazy(r"绩效(目标|信息)")
_TITLE_YEAR = _Lazy(r"(\d{4})\s{0,2}年\s{0,2}度?")
_PREPARER = _Lazy(r"^(?:编制(?:单位|部门)|填报单位|预算(?:主管)?(?:单位|部门)|(?:单位|部门)名称)\s*[:]\s*(?P<name>[^\s:]{2,40})")
_CODE_NAME = _Lazy(r"^(?P<code>(?!(?:19|20)\d\d(?!\d))\d{3,6})\s*(?P<name>[^\d\s年,。][^\s\t,。]{3,40}?)(?=\s*$|\s+预算年度|\s+单位[:])")
_YEAR_SLOT = _Lazy(
    r"(?P<year>(?:19|20)\d{2})\s{0,2}年\s{0,2}度?\s{0,2}(?:部门|单位)?\s{0,2}(?:预算|支出预算|预算收入|预算支出|部门预算|单位预算)"
)
_HEADER_YEAR = _Lazy(r"预算年度\s{0,3}:?\s{0,3}(?P<year>(?:19|20)\d{2})")
# what an organisation's name ends with (局, 委员会, 中心, …, and the (本级) of a unit's own tables)
_UNIT_END = _Lazy(r"(局|委|委员会|会|院|所|中心|站|队|办|室|处|厅|部|馆|校|团|社|政府|街道|乡|镇|分局|支队|大队|本级|\(本级\))$")
_UNIT_SUFFIX = _Lazy(r"(部门|单位)$")
_TITLE_SLOT = _Lazy(r"\s{0,2}年\s{0,2}度?\s{0,2}(?:单位|部门)?\s{0,2}预算\s{0,2}(公开|信息)")
_COMPARISON = _Lazy(r"(较|比|与|同比|对比|相比|上年|去年|上一年)\s*$")
_UNIT_AFTER_YEAR = _Lazy(r"(.{3,40}?)(?:部门|单位)?(?:预算|决算)")
_UNIT_LINE_STARTS = "编填预单部"  # 编制单位, 填报单位, 预算(主管)单位, 单位名称, 部门名称; or the digits of a code


def _may_name_unit(text: str) -> bool:
    """Cheap test of a stripped line before _PREPARER / _CODE_NAME: it starts as one of them does."""
    return bool(text) and (text[0] in _UNIT_LINE_STARTS or text[0].isdigit())


def _unit_name(text: str) -> str | None:
    """The unit a stripped preparer line (编制单位：…) or code-and-name line (301001 某某局) names."""
    if not _may_name_unit(text):
        return None
    for pattern in (_PREPARER(), _CODE_NAME()):
        match = pattern.match(text)
        if match:
            name = match.group("name").strip()
            if "预算年度" in name or len(name) < 3 or not _UNIT_END().search(_UNIT_SUFFIX().sub("", name)):
                continue
            return name
    return None


def _title_unit(title: str) -> str | None:
    """The unit in a title: the text before its year (`…公安分局部门2020年度预算…` → `…公安分局`)."""
    match = _TITLE_YEAR().search(title)
    if not match:
        return None
    name = title[: match.start()].strip()
    if len(name) < 3:  # 2023年某某局部门预算公开: the unit follows the year
        after = _UNIT_AFTER_YEAR().match(title[match.end() :].strip())
        name = after.group(1) if after else ""
    name = _UNIT_SUFFIX().sub("", name.strip()).strip()
    return name if len(name) >= 3 and _UNIT_END().search(name) else None


# -- budget tables -----------------------------------------------------------------------------

_TABLE_TITLE = _Lazy(r"表(?:\([^()]{0,16}\))?$")
# A sentence saying a table is empty on purpose (空表列示, 本单位无…): data in the lexicon.
_EMPTY_NOTE = _Lazy(lambda: lexicon("disclosure_sections")["empty_note"])
_GOAL_HEADS = frozenset({"绩效目标", "年度绩效目标", "项目绩效目标", "年度目标"})


def _has_figures(table: Table) -> bool:
    """Any amount in the table: a figure outside the first column that is neither a serial or
    栏次 number (1, 2 …) nor a classification code (201, 20101, 2010101, 301…)."""
    for row in table.rows:
        for text in row.texts[1:]:
            value = parse_figure(text)
            if value is None or (value == 0 and "." not in text):
                continue
            digits = "".join(text.split())
            if "." in digits:
                return True  # 12.50, and also 0.00: a printed zero is a filled cell
            if len(digits) <= 2 or (len(digits) in (3, 5, 7) and digits[0] in "23"):
                continue
            return True
    return False


def _is_title(text: str) -> bool:
    """A table's title line: short, ends in 表 (or 表(…)), not a 绩效 table. Takes squashed text."""
    if not (4 <= len(text) <= 40) or "表" not in text or not _TABLE_TITLE().search(text) or text.startswith(("-", "*")):
        return False
    return "绩效" not in text


class _TableText:
    """A table's cells as one text, a NUL before each, so that one regular-expression scan
    finds the few cells worth an exact reading: a Python step per cell is what costs, and most
    cells are figures that hold no structure fact.

    NUL: no cell holds one (source.py shows control characters as pictures) and no pattern
    here reads one (not even \\s), so a scan sees each cell as it would alone. A match's cell is
    found by counting the NULs before it, from the previous match on: no list of cell offsets."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.texts: list[str] = list(chain.from_iterable(map(_texts_of, rows)))
        self.joined = "\0" + "\0".join(self.texts)
        self.row_starts: list[int] | None = None  # where each row starts, in cells

    def cells_at(self, positions: Iterable[int]) -> Iterator[int]:
        """The cell holding joined[pos] for each of the increasing `positions` (a NUL counts
        with the cell before it)."""
        joined = self.joined
        j, at = -1, 0
        for pos in positions:
            j += joined.count("\0", at, pos)
            at = pos
            yield j

    def cells_with(self, pattern: re.Pattern[str], at_least: int = 1) -> list[int]:
        """The cells holding `at_least` matches of `pattern`, in order (a match of the NUL
        before a cell, looking ahead, is the cell's)."""
        found: list[int] = []
        last, seen = -1, 0
        for j in self.cells_at(map(_match_end, pattern.finditer(self.joined))):
            seen = seen + 1 if j == last else 1
            last = j
            if seen == at_least:
                found.append(j)
        return found

    def row_of(self, j: int) -> int:
        if self.row_starts is None:
            self.row_starts = list(accumulate(map(len, map(_texts_of, self.rows)), initial=0))
        return bisect_right(self.row_starts, j) - 1

    def cell(self, j: int) -> Cell:
        """Cell j (rows make their Cell objects only when one is asked for)."""
        r = self.row_of(j)
        return self.rows[r].cell(j - self.row_starts[r])

    def rows_of(self, cells: list[int]) -> list[int]:
        """The rows of the increasing `cells`, each once, in order."""
        out: list[int] = []
        for j in cells:
            r = self.row_of(j)
            if not out or out[-1] != r:
                out.append(r)
        return out

    def cells_by_hint(self) -> dict[str, list[int]]:
        """cells_with for each of the _HINTS in one scan: the cells holding a match of each (two
        for "marker": a list needs two markers), in order."""
        found: dict[str, list[int]] = {name: [] for name in _HINTS}
        markers_seen, marker_cell = 0, -1
        joined = self.joined
        j, at = -1, 0
        for match in _ANY_HINT().finditer(joined):
            pos = match.end()
            j += joined.count("\0", at, pos)
            at = pos
            name = _HINT_OF[joined[match.start()]]
            cells = found[name]
            if name == "marker":
                markers_seen = markers_seen + 1 if j == marker_cell else 1
                marker_cell = j
                if markers_seen == 2:
                    cells.append(j)
            elif not cells or cells[-1] != j:
                cells.append(j)
        return found

    def numbered_lines(self) -> list[NumberedLine]:
        """The cells that start with a number (what _numbered_line finds, cell by cell).

        _NUMBERED_AFTER_NUL is _NUMBERED looking ahead from the NUL before a cell: it reads what
        _NUMBERED reads in the cell alone, so every hit is one numbered cell."""
        rows, joined = self.rows, self.joined
        self.row_of(0)
        row_starts = self.row_starts
        found: list[NumberedLine] = []
        j, at = -1, 0  # cells_at, inlined: most cells with figures get here
        for hit in _NUMBERED_AFTER_NUL().finditer(joined):
            j += joined.count("\0", at, hit.end())  # a hit is the NUL before its cell
            at = hit.end()
            raw = hit.group(1)  # one or two digits, or Chinese numerals: as _numbered_line reads them
            if raw.isdigit():
                number, numeral = int(raw), "arabic"
            else:
                number, numeral = cn_number(raw), "cn"
            if number:
                r = bisect_right(row_starts, j) - 1  # row_of(j), inlined
                found.append(NumberedLine(number, numeral, rows[r].first_line(j - row_starts[r]), "text"))
        return found


_texts_of = attrgetter("texts")
_AT_MOST_TWO = (3).__gt__
_NUL = r"\0"  # in a regex: the character that separates cells in _TableText
# The first lookahead repeats what a numbered cell may start with (a bullet, [, (, 第, a digit or a
# numeral): a cheap test that turns away most cells (text, empty) before the whole body is tried.
_NUMBERED_AFTER_NUL = _Lazy(rf"\0(?=[\s\-*•·●\[(第\d{CN_NUMERAL}])(?={_numbered_body(stop=_NUL)})")
# The separator of an in-cell marker (1、 or 1. not followed by a digit): every true marker has
# one, so a cell needs two for a list.
_HINTS = {
    "marker": r"[、.](?<=\d、|\d\.)(?:(?<=、)|(?![^\S\n]{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年))",
    "claim": r":|包括|分别|即",
    "goal": r"目\s*标",  # 绩效目标, 年度目标 … (perhaps spaced out) head a goal row
    "budget": "预算",
    "title": "表",
}
_MARKER_HINT = _Lazy(_HINTS["marker"])
_CLAIM_HINT = _Lazy(_HINTS["claim"])
_GOAL_HINT = _Lazy(_HINTS["goal"])
_BUDGET_HINT = _Lazy(_HINTS["budget"])
_TITLE_HINT = _Lazy(_HINTS["title"])
# All five hints in one scan. No match of one can overlap a match of another (their characters
# are disjoint: 、 . : 包括 分别 即 目 space 标 预算 表), so the scan finds exactly the matches of
# the five separate scans; a match's first character names its hint. Every alternative starts
# with a literal, so the scan skips ahead in C to the next of those characters.
_ANY_HINT = _Lazy(
    r"、(?<=\d、)|\.(?<=\d\.)(?:(?![^\S\n]{0,2}\d)|(?=\s{0,2}\d{4}\s{0,2}年))"  # marker
    r"|:|包括|分别|即|目\s*标|预算|表"
)
_HINT_OF = {"、": "marker", ".": "marker", ":": "claim", "包": "claim", "分": "claim", "即": "claim", "目": "goal", "预": "budget", "表": "title"}


# -- the extractor ------------------------------------------------------------------------------


class _Extractor:
    def __init__(self) -> None:
        self.facts = StructureFacts()
        self.lists = _Lists("text")
        self.cell_lists: list[Enumeration] = []
        self.subgoal_mode = False  # inside a 分项绩效目标 section
        self.subgoal_style: str | None = None
        self.current_subgoal: SubGoal | None = None
        self.current_part: str | None = None  # goal | indicator: where a continuation line goes
        self.title_rows: dict[int, list[tuple[int, object]]] = {}  # id(table) → its title rows (row index, cell)
        self.skip: frozenset[int] = frozenset()  # the contents' lines: not prose
        self.opening: list[str] = []  # the lines before the title

    # paragraphs ----------------------------------------------------------------------------
    def paragraph(self, paragraph: Paragraph, first: bool) -> None:
        facts = self.facts
        text_lines = facts.text_lines
        for ref in paragraph.line_refs:
            text = ref.text
            text_lines.append(text)
            if first and facts.title is None:
                if len(text) <= 80 and _DISCLOSURE().search(text):
                    facts.title = Heading(text=self._whole_title(text), span=ref.span())
                elif text.strip():
                    self.opening.append(text.strip())
            markers = _markers_in_line(ref, "text")
            if markers and not self._contents_or_title(ref, text):
                for marker in markers:
                    self.lists.add(marker)
            if self.subgoal_mode or "分" in text:
                self.subgoal_line(ref, markers)
            if "预算" in text:
                self.years_in(ref)
            self.unit_in(ref)
        facts.count_claims.extend(_count_claims(paragraph.ref))

    def _whole_title(self, text: str) -> str:
        """A title broken over two lines (`…办公厅2018年度部门` / `预算公开`): the line before
        gives the unit and the year the second line lacks."""
        if self.opening and not _TITLE_YEAR().search(text) and _TITLE_YEAR().search(self.opening[-1]):
            return self.opening[-1] + text
        return text

    def _contents_or_title(self, ref: Text, text: str) -> bool:
        """A line of the 目录, or a table's title (`五、财政拨款支出预算表`): numbered, but not a prose list."""
        if self.skip and ref.span().line in self.skip:
            return True
        return "表" in text and _is_title(_squash(text))

    def fill_listed_claims(self) -> None:
        """A claim whose items are an enumeration takes that list's items: the list of the text's
        lists that starts within two lines after the claim. No such list: the claim is dropped."""
        kept: list[CountClaim] = []
        lists = [e for e in self.lists.done if e.items]
        starts = [e.items[0].span.line for e in lists]
        ordered = all(a <= b for a, b in zip(starts, starts[1:]))
        for claim in self.facts.count_claims:
            if not claim.list_follows:
                kept.append(claim)
                continue
            line = claim.list_span.line
            if ordered:  # lists open in reading order: the first starting at or after the claim's line
                at = bisect_left(starts, line)
                following = lists[at] if at < len(lists) and starts[at] <= line + 2 else None
            else:
                following = next((e for e in lists if line <= e.items[0].span.line <= line + 2), None)
            if following is None or following.items[0].number != 1:
                continue
            claim.items = [_item_name(m) or m.label for m in following.items]
            claim.item_spans = [m.span for m in following.items]
            claim.list_span = following.items[0].span.cover(following.items[-1].span)
            kept.append(claim)
        self.facts.count_claims = kept

    def subgoal_line(self, ref: Text, markers: list[Marker]) -> None:
        """Follow a 分项绩效目标 section: （一）name / 绩效目标：… / 绩效指标：…"""
        text = ref.text
        squashed = _squash(text)
        line_marker = next((m for m in markers if m.style != "shi"), None)
        if "分项绩效目标" in squashed and len(squashed) <= 20:
            self.subgoal_mode = True
            self.current_subgoal = None
            self.subgoal_style = None  # the first item's marker style is the list's
            return
        if not self.subgoal_mode:
            return
        if (line_marker is not None and line_marker.style in ("part", "cn")) or ("保障措施" in squashed and len(squashed) <= 20):
            self.subgoal_mode = False
            self.current_subgoal = None
            return
        item_marker = (
            line_marker is not None
            and line_marker.style in ("paren_cn", "dun", "dot", "paren_num")
            and self.subgoal_style in (None, line_marker.style)
        )
        if item_marker:
            self.subgoal_style = line_marker.style
            body_start = _BULLET_ONLY().match(text).end() + len(line_marker.label)
            rest = text[body_start:]
            cut = rest.find("绩效目标")
            name = (rest[:cut] if cut > 0 else rest).strip(" :")
            if not name or len(name) > 40:
                self.current_subgoal = None
                return
            self.current_part = None
            subgoal = SubGoal(
                index=len(self.facts.subgoals),
                number=line_marker.number,
                name=name,
                name_span=ref.span(body_start, body_start + len(name)),
            )
            self.facts.subgoals.append(subgoal)
            self.current_subgoal = subgoal
            if cut > 0:
                self.subgoal_part(ref, body_start + cut)
            return
        if self.current_subgoal is not None:
            stripped = text.lstrip()
            if stripped.startswith(("绩效目标", "绩效指标")):
                self.subgoal_part(ref, len(text) - len(stripped))
            elif self.current_part is not None:  # the part goes on over another line (1、… 2、…)
                subgoal = self.current_subgoal
                if self.current_part == "goal":
                    subgoal.goal += text
                else:
                    subgoal.indicator += text
                self.facts.figures.extend(goal_figures(ref, "overall", subgoal.index, self.current_part))

    def subgoal_part(self, ref: Text, start: int) -> None:
        subgoal = self.current_subgoal
        text = ref.text
        label = text[start : start + 4]
        colon = text.find(":", start)
        body_start = colon + 1 if 0 <= colon <= start + 5 else start + 4
        part = "goal" if label == "绩效目标" else "indicator"
        self.current_part = part
        body = text[body_start:].strip()
        if not body:
            return
        sub = ref.slice(body_start)
        if part == "goal":
            subgoal.goal, subgoal.goal_span = body, sub.span()
        else:
            subgoal.indicator, subgoal.indicator_span = body, sub.span()
        self.facts.figures.extend(goal_figures(sub, "overall", subgoal.index, part))

    def years_in(self, ref: Text) -> None:
        """Years in budget headers and statements; the caller has seen 预算 in the text (both need it)."""
        text = ref.text
        for pattern, role in ((_HEADER_YEAR(), "header"), (_YEAR_SLOT(), "statement")):
            for match in pattern.finditer(text):
                before = text[max(0, match.start() - 6) : match.start()]
                this_role = role
                if role == "statement" and _COMPARISON().search(before):
                    this_role = "comparison"
                if role == "statement" and _TITLE_SLOT().match(text, match.end("year")):
                    this_role = "header"
                left = max(text.rfind(ch, max(0, match.start() - 200), match.start()) for ch in "。;") + 1
                left = max(left, match.start() - 200)
                ends = (text.find(ch, match.end(), match.end() + 200) for ch in "。;")
                right = min((i for i in ends if i >= 0), default=min(len(text), match.end() + 200))
                self.facts.years.append(
                    YearMention(
                        year=int(match.group("year")),
                        text=text[max(0, match.start() - 4) : match.end() + 6],
                        sentence=text[left:right],
                        role=this_role,
                        span=ref.span(match.start("year"), match.end("year")),
                    )
                )

    def unit_in(self, ref: Text, name: str | None = None) -> None:
        """A preparer line's unit; `name`: the one _unit_name already read from the line."""
        name = name or _unit_name(ref.text.strip())
        if name:
            start = ref.text.find(name)
            self.facts.unit_names.append(UnitName(name=name, role="preparer", span=ref.span(start, start + len(name))))

    # tables --------------------------------------------------------------------------------
    def table(self, table: Table) -> None:
        """In-cell lists, count claims, goal figures, preparer lines, header years,
        and the rows that are a table title of their own. _TableText names the cells to read."""
        facts = self.facts
        self.lists.close_inner()
        rows = table.rows
        text = _TableText(rows)
        hinted = text.cells_by_hint()
        for j in hinted["marker"]:  # a list needs two markers
            cell = text.cell(j)
            markers = _cell_markers(cell.ref, f"cell@{cell.line}")
            if len(markers) >= 2:
                lists = _Lists(f"cell@{cell.line}")
                for marker in markers:
                    lists.add(marker)
                self.cell_lists.extend(lists.done)
        for j in hinted["claim"]:
            facts.count_claims.extend(_count_claims(text.cell(j).ref))
        for r in text.rows_of(hinted["goal"]):
            row = rows[r]
            first = next((s for s in map(_squash, row.texts) if s), "")
            if first in _GOAL_HEADS:
                for cell in row.cells:
                    if cell.text and _squash(cell.text) != first:
                        facts.figures.extend(goal_figures(cell.ref, "table_goal"))
        for row in compress(rows, map(_AT_MOST_TWO, map(len, map(_texts_of, rows)))):
            for k, cell_text in enumerate(row.texts):  # a preparer line above a table: a row of one or two cells
                name = _unit_name(cell_text.strip())  # read before the cell's Text is made
                if name:
                    self.unit_in(row.cells[k].ref, name)
        by_cell = table.layout == "cells"
        for j in hinted["budget"]:
            if (by_cell and len(rows[text.row_of(j)].texts) == 1) or "预算年度" in text.texts[j]:
                self.years_in(text.cell(j).ref)
        title_rows = []
        for r in text.rows_of(hinted["title"]):
            filled = rows[r].nonempty()
            if len(filled) == 1 and _is_title(_squash(filled[0].text)):
                title_rows.append((r, filled[0]))
        self.title_rows[id(table)] = title_rows

    def finish(self, blocks: list[Block]) -> StructureFacts:
        facts = self.facts
        facts.enumerations = self.lists.done + self.cell_lists
        self.fill_listed_claims()
        facts.complete_disclosure = bool(facts.title) and not _PERFORMANCE_ONLY().search(facts.title.text)
        if facts.title is not None:
            match = _TITLE_YEAR().search(facts.title.text)
            if match:
                facts.budget_year = int(match.group(1))
            unit = _title_unit(facts.title.text)
            if unit:
                start = facts.title.text.find(unit)
                span = facts.title.span
                facts.unit_names.insert(
                    0,
                    UnitName(
                        name=unit,
                        role="title",
                        span=Span(line=span.line, column=span.column + start, end_line=span.line, end_column=span.column + start + len(unit)),
                    ),
                )
        facts.table_titles = list(_table_titles(blocks, self.title_rows, self.skip))
        facts.unread = blocks  # numbered lines and headings: read on first use
        return facts


def _numbered_lines_and_headings(blocks: list[Block]) -> tuple[list[NumberedLine], list[Heading]]:
    """Every line that starts with a number (paragraph lines and table cells, in reading order),
    and every paragraph line short enough to be a heading."""
    numbered: list[NumberedLine] = []
    headings: list[Heading] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            for ref in block.line_refs:
                line = _numbered_line(ref, "text")
                if line:
                    numbered.append(line)
                text = ref.text
                if len(text) <= 40 and "。" not in text:
                    headings.append(Heading(text=text, span=ref.span()))
        else:
            numbered += _TableText(block.rows).numbered_lines()
    return numbered, headings


def _item_name(marker: Marker) -> str:
    """An enumerated item's name: its title up to the first punctuation (1、办公室：负责… → 办公室)."""
    return re.split(r"[:,;。(\s]", marker.title, maxsplit=1)[0]


def _table_titles(blocks: list[Block], title_rows: dict[int, list[tuple[int, object]]], skip: frozenset[int] = frozenset()) -> Iterator[TableTitle]:
    """Each short line ending in 表 (a paragraph line, or a table row holding only that), with the
    table that follows it. A paragraph listing three or more titles is a table of contents.
    `title_rows`: each table's rows that are a title of their own, found in the pass over its cells."""
    figures: dict[int, bool] = {}  # id(table) → _has_figures, as several titles may look at one table

    def has_figures(table: Table) -> bool:
        if id(table) not in figures:
            figures[id(table)] = _has_figures(table)
        return figures[id(table)]

    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            # a title may be a row of its own inside the table run (cell-per-line tables follow
            # one another without a paragraph between them)
            starts = title_rows[id(block)]
            if not starts:
                continue
            note = any(_EMPTY_NOTE().search(b.text) for b in blocks[i + 1 : i + 3] if isinstance(b, Paragraph))
            for n, (k, cell) in enumerate(starts):
                end = starts[n + 1][0] if n + 1 < len(starts) else len(block.rows)
                body = Table(block.layout, block.rows[k + 1 : end])
                yield TableTitle(
                    text=_squash(cell.text),
                    span=cell.span,
                    has_table=bool(body.rows),
                    has_figures=bool(body.rows) and _has_figures(body),
                    empty_note=note and n + 1 == len(starts),
                )
            continue
        titles = [ref for ref in block.line_refs if "表" in ref.text and _is_title(_squash(ref.text))]
        if skip and titles:
            titles = [ref for ref in titles if ref.span().line not in skip]  # the 目录 names tables, shows none
        if len(titles) >= 3:
            continue  # 目录: names the tables, does not show them
        for ref in titles:
            text = _squash(ref.text)
            following: list[Table] = []
            note = bool(_EMPTY_NOTE().search(block.text.replace(ref.text, "")))
            for later in blocks[i + 1 : i + 8]:
                if isinstance(later, Table):
                    following.append(later)
                    continue
                squashed = _squash(later.text)
                if _is_title(squashed) and squashed != text:
                    break
                if _EMPTY_NOTE().search(later.text):
                    note = True
            yield TableTitle(
                text=text,
                span=ref.span(),
                has_table=bool(following),
                has_figures=any(has_figures(t) for t in following),
                empty_note=note,
            )


def extract_structure(blocks: Iterable[Block]) -> StructureFacts:
    blocks = list(blocks)
    extractor = _Extractor()
    contents = read_contents(blocks)
    if contents is not None:
        extractor.facts.contents = contents
        extractor.skip = contents.lines
    seen_paragraphs = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            extractor.paragraph(block, first=seen_paragraphs < 6)
            seen_paragraphs += 1
        else:
            extractor.table(block)
    return extractor.finish(blocks)
