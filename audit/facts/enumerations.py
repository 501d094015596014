"""Enumeration markers (一、 （十三） 二是 3. …) in paragraph lines and table cells, grouped into
lists by a nesting-aware stack (`_Lists`), and the lines that start with any number (for T002 to
tell a skip from a number written another way)."""

from __future__ import annotations

from itertools import chain

from audit.facts.lazy import _Lazy, _match_end, _match_start, _matches_at
from audit.facts.numerals import CN_NUMERAL, cn_number, to_number
from audit.facts.structure_facts import Enumeration, Marker, NumberedLine
from audit.layout import Text

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
# A marker inside a line, right after a full stop: a PDF paragraph rebuilt from full-width lines
# runs `…案件。5、依法…` and `…运行经费。十二、政府采购…` together. Taken only where it continues
# an open list (see _Lists.expects): mid-line, a number after 。 is more often something else.
_INLINE_MARKER = _Lazy(
    rf"(?<=[。;])\s*(?:\((?P<paren_cn>{_CN})\)|\((?P<paren_num>\d{{1,2}})\)|(?P<cn>{_CN})、"
    r"|(?P<dun>\d{1,2})、|(?P<dot>\d{1,2})\.(?!\s{0,2}\d))"
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

    def expects(self, style: str, n: int) -> bool:
        """An open list of `style` waits for number n (its last item is n − 1)."""
        return any(e.style == style and e.items[-1].number == n - 1 for e in self.stack)

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


# …预算为464.64万元三、政府采购预算情况: a heading run on after a sentence that lacks its 。 — a
# 一、 marker whose text runs to the line's end, short, as a heading's does
_INLINE_HEADING = _Lazy(rf"(?<![第\d{CN_NUMERAL}])(?P<cn>{_CN})、(?=[^。,;:]{{2,20}}$)")


def inline_markers(ref: Text, scope: str) -> list[Marker]:
    """Markers inside the line: after a full stop (`…案件。5、依法…`), or a heading run on at its
    end; in order."""
    text = ref.text
    markers = []
    matches = list(_INLINE_MARKER().finditer(text))
    heading = _INLINE_HEADING().search(text, 1)
    if heading and not any(m.start() <= heading.start() < m.end() for m in matches):
        matches.append(heading)
    for match in sorted(matches, key=_match_start):
        style = match.lastgroup
        number = to_number(match.group(style))
        if number:
            start, end = match.start(style) - (1 if style.startswith("paren") else 0), match.end()
            markers.append(
                Marker(style=style, number=number, label=text[start:end], title=text[end:].strip()[:40], span=ref.span(start, end), scope=scope)
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
