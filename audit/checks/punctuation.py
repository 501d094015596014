"""T008: repeated words and broken punctuation in the narrative, read as printed (the original
text: NFKC would have turned the full-width `，` and `＂` into ASCII).

One finding per defect kind per line: a doubled word (增加增加), doubled sentence punctuation
(。。 ，。), a sentence without its closing 。, unbalanced quotes or brackets (a full-width ＂ used
as a closing quote among them), an English comma in Chinese prose (only where the document
otherwise writes `，`: a PDF whose font maps every comma to ASCII is not a writer's slip), and a
paragraph printed twice.
"""

from __future__ import annotations

import re

from audit.engine import CheckContext, kind
from audit.facts.prose import CJK, ProseLine
from audit.model import Evidence, Text

# A doubled word: any three or four characters twice, or one of the two-character words a writer
# doubles by slip (增加增加); other two-character doubles are mostly two words meeting
# (9名在职人员 + 人员经费 = 人员人员经费).
_SLIP_WORDS = "增加|减少|增长|下降|主要|用于|其中|以及|包括|安排|根据|按照|保障|完成|开展|加强|推进|提高|确保|进一步|比上年|同比"
_DOUBLED_WORD = re.compile(rf"([{CJK}]{{3,4}})\1|({_SLIP_WORDS})\2")
_DOUBLED_CHAR = re.compile(r"(的的|了了|和和|是是|在在|及及|与与)")
_DOUBLED_STOP = re.compile(r"[。，；、：][。，；、]|，，")
_ASCII_COMMA = re.compile(rf"(?<=[{CJK}]),(?=[{CJK}])")
# a line that may end without 。: it ends in other closing punctuation or is a list item's label
_ENDS = tuple("。！？；：…”’」』）)》.!?;:、，,")
_ITEM = re.compile(r"^\s*\(?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.)]")
_HEADING_TAIL = re.compile(r"[。;]\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.])[^。]{0,30}$")
_PART = re.compile(r"^\s*第[一二三四五六七八九十]{1,3}部分")
_ITEM_REACH = 40  # lines back to look for the previous item of a list
_FIELD = re.compile(r"^[^,。:]{2,8}:")
_PAIRS = (("“", "”"), ("（", "）"), ("《", "》"), ("【", "】"), ("‘", "’"))
_MIXED = re.compile(r"（[^（）()]{0,60}\)|\([^（）()]{0,60}）")  # （款) : a full-width bracket closed by an ASCII one
_LEGIT_REPEATS = frozenset({"研究研究", "讨论讨论", "看看看看"})
_MIN_SENTENCE = 25  # characters: shorter lines are labels and headings
_PASTED_GAP = 8  # lines between the end of a block and its second copy (blank lines, a heading)
_MIN_REPEAT = 30  # characters: a repeated line shorter than this is a heading or a formula


def _finding(ctx: CheckContext, line: ProseLine, start: int, end: int, what: Text, fix: Text, key: str) -> None:
    found = line.original[start:end]
    ctx.fail(
        line.span(start, end),
        {"found": found or line.original[-12:], "what": what, "fix": fix},
        evidence=Evidence(stated=found or line.original[-12:], values={"defect": key}),
        subject=key,
    )


def _comma_slips_count(lines: list[ProseLine]) -> tuple[int, int]:
    ascii_commas = sum(len(_ASCII_COMMA.findall(p.original)) for p in lines)
    full = sum(p.original.count("，") for p in lines)
    return ascii_commas, full


@kind("punctuation")
def punctuation(ctx: CheckContext) -> None:
    prose = ctx.analysis.prose
    lines = prose.sentences()
    if not lines:
        ctx.not_applicable()
        return
    ascii_commas, full = _comma_slips_count(lines)
    judge_commas = full >= 4 * ascii_commas  # the document writes ， and these few are slips
    seen: dict[str, ProseLine] = {}
    repeated: list[tuple[ProseLine, ProseLine]] = []
    position = {id(p): k for k, p in enumerate(prose.lines)}
    for line in lines:
        text = line.original
        failed = False
        match = _DOUBLED_WORD.search(text) or _DOUBLED_CHAR.search(text)
        if match and match.group(0) not in _LEGIT_REPEATS:
            failed = True
            word = next(g for g in match.groups() if g)
            _finding(ctx, line, match.start(), match.end(), Text(zh="词语重复", en="a word is repeated"),
                     Text(zh=f"删去重复的「{word}」", en=f"Delete the repeated \"{word}\""), "doubled_word")
        match = _DOUBLED_STOP.search(text)
        if match:
            failed = True
            _finding(ctx, line, match.start(), match.end(), Text(zh="标点重复", en="doubled punctuation"),
                     Text(zh="只保留一个标点", en="Keep one punctuation mark"), "doubled_punctuation")
        if len(text) >= _MIN_SENTENCE and "，" in text and not text.endswith(_ENDS) and _ends_paragraph(prose, line, position[id(line)]):
            failed = True
            _finding(ctx, line, len(text) - 1, len(text), Text(zh="段末缺少句号", en="the paragraph has no closing full stop"),
                     Text(zh="在段末补上句号“。”", en="End the paragraph with 。"), "missing_stop")
        unbalanced = _unbalanced(text)
        if unbalanced:
            failed = True
            at, what, fix = unbalanced
            _finding(ctx, line, at, at + 1, what, fix, "unbalanced")
        if judge_commas and ascii_commas:
            match = _ASCII_COMMA.search(text)
            if match:
                failed = True
                _finding(ctx, line, match.start(), match.end(), Text(zh="中文句中使用了英文逗号“,”", en="an English comma in Chinese prose"),
                         Text(zh="改为中文逗号“，”", en="Use the Chinese comma ，"), "ascii_comma")
        key = "".join(text.split())
        if len(key) >= _MIN_REPEAT:
            if key in seen:
                repeated.append((line, seen[key]))
            else:
                seen[key] = line
        if not failed:
            ctx.passed()
    _report_repeats(ctx, repeated)


def _ends_paragraph(prose, line: ProseLine, at: int) -> bool:
    """The line is the last of its paragraph: the next line of narrative is in another block, or
    starts a new item (a wrapped sentence goes on in the next line of the same block)."""
    lines = prose.lines
    if _FIELD.match(line.text):
        return False  # 绩效指标：…: a form's field, not a paragraph
    if _ITEM.match(line.text):
        # a list item: its list may be written without full stops; only an item whose previous
        # item has one is missing its own
        previous = next((lines[k] for k in range(at - 1, max(-1, at - _ITEM_REACH), -1) if _ITEM.match(lines[k].text)), None)
        if previous is None or not previous.original.endswith("。"):
            return False
    if _HEADING_TAIL.search(line.text):
        return False  # …与上年相同。二、收入预算情况说明: a heading run on, not the sentence's end
    if at + 1 >= len(lines):
        return True
    following = lines[at + 1]
    # the next line starts a new part (a heading, a title, a numbered item): this paragraph ended
    # here; any other next line may be its continuation (a paragraph broken at a page end)
    return following.heading or following.title or bool(_ITEM.match(following.text)) or bool(_PART.match(following.text))


def _unbalanced(text: str) -> tuple[int, Text, Text] | None:
    """Where a quote or bracket pair is broken: ＂ closing a “, or more openings than closings."""
    mixed = _MIXED.search(text)
    if mixed:
        return mixed.start(), Text(zh="全角括号与半角括号混用配对", en="a full-width bracket paired with an ASCII one"), Text(zh="统一为全角括号“（）”", en="Use full-width brackets （） on both sides")
    if "＂" in text:
        at = text.index("＂")
        return at, Text(zh="引号不配对（用了全角直引号“＂”）", en="a full-width straight quote ＂ closes a quotation"), Text(zh="改为右引号“””", en="Use the closing quote ”")
    for opening, closing in _PAIRS:
        depth, first_open = 0, -1
        for i, ch in enumerate(text):
            if ch == opening:
                if depth == 0:
                    first_open = i
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth < 0:
                    return i, Text(zh=f"「{closing}」前没有对应的「{opening}」", en=f"{closing} without its {opening}"), Text(zh=f"补上「{opening}」或删去多余的「{closing}」", en=f"Add the {opening} or delete the extra {closing}")
        if depth > 0:
            return first_open, Text(zh=f"「{opening}」没有对应的「{closing}」", en=f"{opening} is never closed"), Text(zh=f"补上「{closing}」", en=f"Add the closing {closing}")
    return None


def _report_repeats(ctx: CheckContext, repeated: list[tuple[ProseLine, ProseLine]]) -> None:
    """Runs of consecutive repeated lines as one finding each: a section pasted twice."""
    runs: list[list[tuple[ProseLine, ProseLine]]] = []
    for pair in repeated:
        if runs and pair[0].line - runs[-1][-1][0].line <= 4:
            runs[-1].append(pair)
        else:
            runs.append([pair])
    for run in runs:
        first, earlier = run[0]
        last = run[-1][0]
        count = len(run)
        if not 0 < first.line - run[-1][1].line <= _PASTED_GAP:
            # the same words in another section (two tables explained alike) are the template's
            # way, not a slip: only a block printed again right after itself is reported
            continue
        ctx.fail(
            first.span(),
            {
                "found": first.original[:20],
                "what": Text(
                    zh=f"与{ctx.document.located(earlier.line).zh}起的内容重复（{count}段）",
                    en=f"repeats the text from {ctx.document.located(earlier.line).en} ({count} paragraph(s))",
                ),
                "fix": Text(zh="删去重复的段落", en="Delete the repeated paragraphs"),
            },
            evidence=Evidence(stated=first.original[:20], values={"defect": "repeated_paragraph", "first": earlier.line, "through": last.line}),
            subject="repeated_paragraph",
            related=[earlier.span()],
        )
