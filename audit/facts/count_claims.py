"""`下设13个科室，包括：a、b、c` — a stated count and the items listed after it (T003)."""

from __future__ import annotations


from audit.facts.lazy import _Lazy
from audit.facts.numerals import CN_NUMERAL, to_number
from audit.facts.structure_facts import CountClaim
from audit.layout import Text
from audit.textsplit import split_outside

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


_OPEN, _CLOSE = "(“《[「", ")”》]」"  # a separator inside these is no item break: `办公室(含财务、人事)、政治处` is two items


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
        for piece in split_outside(segment, separator, _OPEN, _CLOSE):
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
