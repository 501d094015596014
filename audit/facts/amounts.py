"""Paragraphs → narrative amounts and the statements that relate them.

Every `X万元` (元, 亿元) of the narrative becomes an Amount with its label — the noun phrase it
measures — and a concept from rules/lexicons/budget_labels.yaml. Within one sentence, amounts are
arranged as a small tree: `A X万元，其中 B…，C…` / `包括…和…` / `主要用于…` make B and C parts of
A, and so do brackets right after A (`A（B…，C…）`); a nested list closes at `；`, at its `）`, or
when its parts already add up to their owner and the next figure is the owner's sibling;
`B和C分别为…、…` pairs names with figures; `比上年增加 Y万元` right after A is A's year-on-year
change, `增长 z%` its rate and `占比 x%` its share of its parent. Numbers are related only inside
one sentence (a sentence that starts with 其中 continues the one before it; a heading line ends
one). A year is never an amount, and a target (`≤40元`) is not a stated amount.

The fact types live in amount_facts.py; this module reads them from the paragraphs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Iterable

from audit.arith import Figure, check_sum
from audit.facts.amount_facts import UNIT_SCALE, Amount, NarrativeFacts, Node, Partition, Percent, Product, Statement
from audit.layout import Block, Paragraph, Table
from audit.layout import Text as Ref
from audit.lexicon import lexicon
from audit.memo import per_run
from audit.numbers import parse_figure

# (?<![\d.]) keeps `2020.5` and codes from being cut in half; `1183. 74` is an OCR'd 1183.74.
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\s?\.\s?(\d+))?\s*(亿元|万元|千元|元)")
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")
_SUB = re.compile(r"其中|包括|包含|主要用于|具体(?:包括|为|是)")
_EVENTS = re.compile(r"[()；;]")
# a sentence that opens with 其中, or with 与上年相比/比上年 and a change, continues the one before it:
# `基本支出预算数为11700.63万元。与上年相比增加1297.52万元，增长12.47%` (also `…。与上年相比，财政拨款支出增加…`,
# and a rate in a sentence of its own: `…比上年增加50.00万元。增长11.1%。`)
_SENTENCE_END = re.compile(
    r"[。!?](?!\s*(?:其中|(?:增长|下降|上升|增幅|降幅|减幅)(?:了|为|达)?\s*\d"
    r"|(?:与|同|较|比)(?:上年|上一年|去年)(?:相比|同期)?\s*[,，]?[^。,，;；]{0,20}?(?:增加|减少|增长|下降|持平)))"
)
_CLAUSE = re.compile(r"[,，:：、；;。]")
_LISTED = re.compile(r"[,，:：；;。]")  # a clause, where a 、 list stays whole
_PARENS = re.compile(r"\([^()]*\)")
_QUOTES = re.compile(r"[\s\"'“”‘’「」『』《》]")
_BOUND = re.compile(r"(?:[≤≥<>＜＞]=?|不超过|不低于|不少于|不高于|控制在|以内)\s*$")
_SHARE = re.compile(r"占|比重|比例")
_ROUGHLY = re.compile(r"基本|大体|大致|略有")
_RATE_UP = re.compile(r"(增长|上升|增加|提高|增幅|涨幅)(了)?(幅度|比例)?(为|达|是)?$")
_RATE_DOWN = re.compile(r"(下降|减少|降低|降幅|减幅)(了)?(幅度|比例)?(为|达|是)?$")


@lru_cache(maxsize=1)
def _product() -> re.Pattern:
    """`单价 × 数量 = 金额`, compiled on first use: few documents write one, and its two negated
    classes with CJK in them take milliseconds to compile."""
    return re.compile(
        r"(?<![\d.])(\d+(?:\.\d+)?)\s*([^\d\s*×xX=+.,，、;；()]{0,3}?)\s*[*×xX]\s*"
        r"(\d+(?:\.\d+)?)\s*([^\d\s*×xX=+.,，、;；()]{0,3}?)\s*=\s*(\d+(?:\.\d+)?)\s*(亿元|万元|元)?"
    )


_PARTITION_ITEM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")

MAX_AMOUNTS = 60  # figures in one sentence; beyond that it is a flattened table, not a statement
MAX_DEPTH = 4  # nested 其中 lists deeper than this are not how anyone writes


# --- labels ---------------------------------------------------------------------------------------


@per_run
def _labels() -> dict:
    data = lexicon("budget_labels")
    return {
        "concepts": [(name, re.compile(pattern)) for name, pattern in data["concepts"]],
        "tail": re.compile(data["label_tail"]),
        "head": re.compile(data["label_head"]),
        "year": re.compile(data["year"]),
        "comparison": re.compile(data["comparison"]),
        "increase": re.compile(data["increase"]),
        "decrease": re.compile(data["decrease"]),
        "flat": re.compile(data["flat"]),
        "change_inside": re.compile(data["change_inside"]),
        "part_of": data["part_of"],
        "siblings": [set(group) for group in data.get("siblings", [])],
        "broad": set(data.get("broad", [])),
    }


def broad_concepts() -> set[str]:
    """Concepts that name many quantities (支出, 收入): a label with nothing narrower in it."""
    return _labels()["broad"]


@per_run
def concept_of(label: str) -> str | None:
    """The canonical concept a cleaned label names.

    A Chinese noun phrase ends with its head (`…上年末固定资产金额` is about 固定资产 even after a
    merged heading `国有资产信息`), so the match that ends last wins; on a tie, the lexicon's order.
    The broad concepts (支出, 收入) only count when nothing narrower is named: 政府采购支出 is
    procurement, not total expenditure."""
    broad = _labels()["broad"]
    best: tuple[bool, int, int, str] | None = None
    for order, (name, pattern) in enumerate(_labels()["concepts"]):
        for match in pattern.finditer(label):
            key = (name not in broad, match.end(), -order, name)
            if best is None or key > best:
                best = key
    return best[3] if best else None


@per_run
def read_label(window: str) -> tuple[str, int | None, int | None, bool]:
    """Text before a figure → (label, year, direction, compared-with-another-year).

    `2020年部门预算较2019年增加` → ("部门预算", 2020, +1, True). A change verb inside the label,
    with what the change was for between it and the figure, makes the figure the change of what
    the verb follows: `基本支出增加人员经费` → ("基本支出", None, +1, False)."""
    lex = _labels()
    text = _PARENS.sub("", _QUOTES.sub("", window))
    opened = text.rfind("(")
    if opened >= 0:
        text = text[opened + 1 :]  # `与2016年度相比（2016年度…为8648.07万元）`: the figure's label is inside the bracket
    listed = _LISTED.split(text)[-1].replace("(", "").replace(")", "")  # the clause with its 、 list
    text = _CLAUSE.split(text)[-1]
    text = text.replace("(", "").replace(")", "")
    direction = _direction(text)
    if direction is not None:
        text = text[: direction[1]]
        return _cleaned(text, direction[0])
    # `基本支出增加人员工资、住房公积金、提租补贴等`: what the change was for may be a 、 list, and
    # its subject stands before the verb, ahead of the list's first item
    for words in (text, listed) if listed != text else (text,):
        for verb in lex["change_inside"].finditer(words):
            if verb.end() < len(words) and "、" not in words[: verb.start()]:
                subject = _cleaned(words[: verb.start()], _direction(verb.group())[0])
                if subject[0] and concept_of(subject[0]) is not None:
                    return subject
    return _cleaned(text, None)


def _direction(text: str) -> tuple[int, int] | None:
    """(+1 or -1, where the direction word starts) when `text` ends with one (增加, 减少了)."""
    lex = _labels()
    for sign, key in ((1, "increase"), (-1, "decrease")):
        match = lex[key].search(text)
        if match:
            return sign, match.start()
    return None


def _cleaned(text: str, direction: int | None) -> tuple[str, int | None, int | None, bool]:
    """A label's words less the comparison (比上年), the year, the whole it is part of (…中的)
    and the connectors and copulas around it."""
    lex = _labels()
    compared = bool(lex["comparison"].search(text))
    text = lex["comparison"].sub("", text)
    year = None
    match = lex["year"].search(text)
    if match:
        year = int(re.sub(r"\D", "", match.group())[:4])
        text = lex["year"].sub("", text)
    if lex["part_of"] in text:
        text = text.rsplit(lex["part_of"], 1)[1]
    for _ in range(2):
        text = lex["head"].sub("", text)
        text = lex["tail"].sub("", text)
    return text, year, direction, compared


# --- sentences → statements -----------------------------------------------------------------------


class _Frame:
    """An open list of parts: its owner node, and what closes it (`)`, `;` or the sentence end)."""

    __slots__ = ("owner", "closer", "depth", "marker")

    def __init__(self, owner: int | None, closer: str, depth: int, marker: str | None):
        self.owner, self.closer, self.depth, self.marker = owner, closer, depth, marker


_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十\d]{1,3}部分|[一二三四五六七八九十]{1,3}[、.]|[(][一二三四五六七八九十\d]{1,2}[)]|\d{1,2}[、.])?"
    r"[^,，。;；:：元]{0,36}(?:情况|说明|原因|概况|信息|解释)$"
)


def _headings(paragraph: Paragraph) -> list[int]:
    """Offsets in the paragraph's text where a heading line (`第三部分 机关运行经费安排情况`) ends:
    a paragraph joins its lines without a separator, and a heading is no part of the next label."""
    ends: list[int] = []
    offset = 0
    for line in paragraph.line_refs[:-1]:
        offset += len(line.text)
        if _HEADING.match(line.text.strip()):
            ends.append(offset)
    return ends


def _sentences(text: str, breaks: Iterable[int] = ()) -> Iterable[tuple[int, int]]:
    cuts = sorted({m.end() for m in _SENTENCE_END.finditer(text)} | set(breaks))
    start = 0
    for cut in cuts:
        if cut > start:
            yield start, cut
            start = cut
    if start < len(text):
        yield start, len(text)


def _amount(ref: Ref, match: re.Match) -> Amount | None:
    whole, frac, unit = match.group(1), match.group(2), match.group(3)
    value = parse_figure(whole + ("." + frac if frac else ""))
    if value is None:
        return None
    span = ref.span(match.start(), match.end())
    return Amount(value=value, text=match.group(0).strip(), unit=unit, span=span)


def _statement(ref: Ref, start: int, end: int, paragraph: int) -> Statement | None:
    text = ref.text
    events: list[tuple[int, int, str, re.Match | None]] = []
    for match in _AMOUNT.finditer(text, start, end):
        events.append((match.start(), match.end(), "amount", match))
    if not events or len(events) > MAX_AMOUNTS:
        return None  # no figure, or a table flattened into one line: no sentence relates them
    for match in _PERCENT.finditer(text, start, end):
        events.append((match.start(), match.end(), "percent", match))
    for match in _SUB.finditer(text, start, end):
        events.append((match.start(), match.end(), "sub", match))
    for match in _EVENTS.finditer(text, start, end):
        kind = {"(": "open", ")": "close"}.get(match.group(), "strong")
        events.append((match.start(), match.end(), kind, match))
    events.sort(key=lambda e: (e[0], e[1]))

    lex = _labels()
    nodes: list[Node] = []
    frames = [_Frame(None, "end", 0, None)]
    paren = 0
    last: int | None = None  # the node a following 其中 / 比上年 / 占比 refers to
    names: list[str] = []  # labels still owed by a `A和B分别为` list
    cursor = start  # end of the previous amount, percent or marker: labels start here

    def flat_check(until: int) -> None:
        found = lex["flat"].search(text, cursor, until) if last is not None else None
        if found and nodes[last].change is None:
            nodes[last].flat = True
            nodes[last].roughly = bool(_ROUGHLY.search(text, max(cursor, found.start() - 3), found.start()))

    for position, stop, kind, match in events:
        if kind == "open":
            paren += 1
            if last is not None and not text[cursor:position].strip() and len(frames) <= MAX_DEPTH:
                # `财政拨款收入1183.74万元（一般公共预算1000万元，…）`: a figure's own breakdown, or the
                # same figure in another unit (`1234567元（123.46万元）`), never the next part outside
                frames.append(_Frame(last, ")", paren, "("))
            continue
        if kind == "close":
            if frames[-1].closer == ")" and frames[-1].depth == paren:
                last = frames.pop().owner  # `…（其中…），比上年减少2万元`: back to the figure before the brackets
            paren = max(0, paren - 1)
            continue
        if kind == "strong":
            while len(frames) > 1 and frames[-1].closer == ";":
                frames.pop()
            continue
        if kind == "sub":
            flat_check(position)
            top = frames[-1]
            if top.closer == ")" and top.depth == paren and top.owner == last and not text[cursor:position].strip("( "):
                top.marker = match.group()  # `（其中：…）` right after the figure: the frame is open already
            elif last is not None and len(frames) <= MAX_DEPTH:
                after_paren = text[cursor:position].rstrip().endswith("(")
                closer = ")" if after_paren else (";" if len(frames) > 1 else "end")
                frames.append(_Frame(last, closer, paren, match.group()))
            cursor = stop
            continue
        window = text[max(cursor, position - 120) : position]  # a label is a short phrase
        if kind == "percent":
            value = Decimal(match.group(1))
            percent = Percent(value=value, text=match.group(0), span=ref.span(position, stop))
            clause = re.sub(r"\s+", "", _CLAUSE.split(_PARENS.sub("", window))[-1])  # `增长 0.06 %`
            rising, falling = _RATE_UP.search(clause), _RATE_DOWN.search(clause)
            if last is not None and (rising or falling):
                if nodes[last].rate is None:  # `增长14.12%`, `增长比例为5%`
                    percent.direction = 1 if rising else -1
                    nodes[last].rate = percent
            elif last is not None and _SHARE.search(clause) and nodes[last].share is None:
                nodes[last].share = percent
                named = clause[_SHARE.search(clause).end() :]
                nodes[last].share_of = concept_of(_QUOTES.sub("", named)) if named else None
                nodes[last].share_named = named
            cursor = stop
            continue
        flat_check(position)
        amount = _amount(ref, match)
        cursor = stop
        if amount is None or _BOUND.search(window):
            last = None  # `≤40元` is a target, not a stated amount: nothing may refer to it
            continue
        label, year, direction, compared = read_label(window)
        if len(frames) > 1 and frames[-1].closer == ";" and (
            (direction is None and _filled(nodes, frames[-1].owner)) or _siblings(nodes[frames[-1].owner].concept, label)
        ):
            # `基本支出A万元，包括人员经费B万元、公用经费C万元，项目支出D万元`: B + C = A already (or
            # 项目支出 is 基本支出's sibling), so D is the next part of the outer list, not a part of A
            frames.pop()
        frame = frames[-1]
        owner = nodes[frame.owner] if frame.owner is not None else None
        if direction is not None and not label and last is not None and nodes[last].change is None:
            # `公务用车运行费97.36万元，比上年减少12.24万元`: the change of the figure just before
            nodes[last].change = amount
            nodes[last].change_sign = direction
            continue
        if not label and names:
            label = names.pop(0)  # `基本支出和项目支出分别为A万元、B万元`
        elif label:
            label, names = _respectively(label)
        node = Node(label=label, raw_label=window.strip(), concept=concept_of(label) if label else None, year=year)
        if direction is not None or (owner is not None and owner.level is None and owner.change is not None):
            # a change: said with a direction word, or listed under a change (`减少0.02万元，其中：…0万元`)
            node.change = amount
            node.change_sign = direction if direction is not None else (1 if amount.value == 0 else None)
        else:
            node.level = amount
        if year is None and owner is not None:
            node.year = owner.year
        node.parent = frame.owner
        node.marker = frame.marker
        nodes.append(node)
        last = len(nodes) - 1
    flat_check(end)
    span = ref.span(start, end)
    if span is None or not nodes:
        return None
    return Statement(nodes=nodes, span=span, paragraph=paragraph, text=text[start:end])


_RESPECTIVELY = re.compile(r"^(.+?)分别(?:为|是|达到|达|占)?$")
_NAME_SPLIT = re.compile(r"[、和及与,]")


def _respectively(label: str) -> tuple[str, list[str]]:
    """`基本支出和项目支出分别` → ("基本支出", ["项目支出"]): the names the next figures stand for."""
    match = _RESPECTIVELY.match(label)
    if not match:
        return label, []
    names = [n for n in _NAME_SPLIT.split(match.group(1)) if n]
    if len(names) < 2:
        return match.group(1), []
    return names[0], names[1:]


def _siblings(owner: str | None, label: str) -> bool:
    """Are the owner of an open list and the next figure parts of one whole (基本支出, 项目支出)?"""
    concept = concept_of(label) if label else None
    if owner is None or concept is None or owner == concept:
        return False
    return any(owner in group and concept in group for group in _labels()["siblings"])


def _filled(nodes: list[Node], owner: int | None) -> bool:
    """Do the parts listed so far already add up to their owner (on displayed precision)?"""
    if owner is None or nodes[owner].level is None:
        return False
    parts = [n.level for n in nodes if n.parent == owner]
    if len(parts) < 2 or any(p is None for p in parts):
        return False
    whole = nodes[owner].level
    total = Figure(whole.value, scale=UNIT_SCALE[whole.unit])
    return check_sum(total, [Figure(p.value, scale=UNIT_SCALE[p.unit]) for p in parts]).holds


def _products(text: str, ref: Ref) -> Iterable[Product]:
    for match in _product().finditer(text):
        result = Decimal(match.group(5))
        yield Product(
            factors=[Decimal(match.group(1)), Decimal(match.group(3))],
            factor_units=[match.group(2) or "", match.group(4) or ""],
            result=result,
            result_unit=match.group(6) or "",
            text=match.group(0),
            span=ref.span(match.start(), match.end()),
        )


_PARTITION = re.compile(r"\(([^()%]*%[^()]*)\)|分别(?:为|占|是)([^。;；%]{0,100}%[^。;；]{0,200}%)")
_SPLIT_SEPARATOR = re.compile(r"[、,;]")
_NOT_SPLIT = re.compile(r"[≥≤<>]|其中|以上|以下|不低于|不超过|达到|率|度")


def _partitions(text: str, ref: Ref) -> Iterable[Partition]:
    """`（60%工作重心在防范、20%在打击、20%在服务）` / `分别占60%、30%、10%`: ≥ 2 percentages listed as one split."""
    for match in _PARTITION.finditer(text):
        group = 1 if match.group(1) is not None else 2
        body_start = match.start(group)
        body = match.group(group)
        if _NOT_SPLIT.search(body):
            continue  # targets (≥95%), rates, or a partial listing (其中)
        pieces = [p for p in _SPLIT_SEPARATOR.split(body) if p.strip()]
        if len(pieces) < 2 or not all(_PARTITION_ITEM.match(p.strip()) for p in pieces):
            continue  # a split reads `60%在防范、20%在打击、20%在服务`: every item opens with its share
        items = [
            Percent(value=Decimal(m.group(1)), text=m.group(0), span=ref.span(body_start + m.start(), body_start + m.end()))
            for m in _PARTITION_ITEM.finditer(body)
        ]
        if len(items) == len(pieces):
            yield Partition(items=items, text=match.group(0), span=ref.span(match.start(), match.end()))


_texts_of = attrgetter("texts")


def extract_narrative(blocks: list[Block]) -> NarrativeFacts:
    facts = NarrativeFacts()
    paragraph_index = 0
    for block in blocks:
        if isinstance(block, Table):
            if "=" in "\n".join(map("\n".join, map(_texts_of, block.rows))):  # one scan for the rare table that has one
                for row in block.rows:
                    for k, cell_text in enumerate(row.texts):
                        if "=" in cell_text:
                            ref = row.cell(k).ref
                            facts.products.extend(_products(ref.text, ref))
            continue
        if not isinstance(block, Paragraph):
            continue
        ref = block.ref
        text = ref.text
        if "元" in text:
            for start, end in _sentences(text, _headings(block)):
                if text.find("元", start, end) < 0:
                    continue  # no amount in this sentence
                statement = _statement(ref, start, end, paragraph_index)
                if statement is not None:
                    facts.statements.append(statement)
                    facts.amounts.extend(n.level or n.change for n in statement.nodes)
            if "=" in text:
                facts.products.extend(_products(text, ref))
        if "%" in text:
            facts.partitions.extend(_partitions(text, ref))
        paragraph_index += 1
    return facts
