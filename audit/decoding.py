"""Damaged and mixed text: read what can be read, say what could not.

A UTF-8 file cut in the middle of a character, or with one flipped byte, is still a UTF-8 file:
it is decoded with the damage replaced (U+FFFD, reported as X002) instead of being refused. A file
whose lines were saved partly in UTF-8 and partly in GBK (pasted together) is decoded line by
line. And GB18030 and Big5 — both two-byte encodings over the same byte ranges, so either decodes
most of the other's bytes — are told apart by which reading gives ordinary Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


# A line that fails strict UTF-8 is damaged UTF-8 (not another encoding) when most of its
# non-ASCII characters still decode: GBK read as UTF-8 gives almost nothing but replacements.
_MOSTLY_VALID = 0.5
# Only characters of three UTF-8 bytes or more count as evidence: two-byte ones (Latin, Greek,
# Hebrew points) are what GBK bytes form by chance. (A pattern string, compiled by `re` on first use:
# compiling this class takes 4 ms, and only a damaged file needs it.)
_WIDE = "[\u0800-\ufffc\ufffe-\U0010ffff]"


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    utf8_share: float = 1.0  # of the lines with wide characters, those that are intact UTF-8


def by_line(data: bytes) -> Decoded | None:
    """`data` (not valid UTF-8) read as damaged or mixed UTF-8, or None when it is not UTF-8 at
    all (no line with valid non-ASCII UTF-8): then a legacy encoding is to be detected."""
    lines = data.split(b"\n")
    # per line: "ascii"; "utf-8" (valid, with a CJK or other three-byte character); "weak" (valid
    # but only two-byte characters, which GBK bytes can form by chance); "damaged" (UTF-8 with a
    # few bad bytes); "gb" (GB18030, perhaps with a few bad bytes)
    kinds: list[str] = []
    for line in lines:
        if line.isascii():
            kinds.append("ascii")
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            kinds.append(_failed_line_kind(line))
        else:
            kinds.append("utf-8" if max(decoded) >= "\u0800" else "weak")
    if "unsure" in kinds:
        # GBK lines shown by their own words make the file a mixed one: then an unsure line that
        # reads as GB18030 is GBK too ("\t≥100"); otherwise it is damaged UTF-8 if most lines are UTF-8
        clear_gb = "gb" in kinds
        utf8 = kinds.count("utf-8") + kinds.count("damaged") >= kinds.count("gb")
        kinds = [
            kind if kind != "unsure" else "gb" if clear_gb and _reads_as(line, "gb18030") else "damaged" if utf8 else "gb"
            for line, kind in zip(lines, kinds)
        ]
    if "utf-8" not in kinds and "damaged" not in kinds:
        return None
    wide = sum(1 for kind in kinds if kind in ("utf-8", "damaged", "gb"))
    utf8_share = kinds.count("utf-8") / wide if wide else 0.0
    mixed = "gb" in kinds
    texts, notes, gb_lines = [], [], []
    for number, (line, kind) in enumerate(zip(lines, kinds), start=1):
        if kind == "gb" or (kind == "weak" and mixed and _reads_as(line, "gb18030")):
            texts.append(line.decode("gb18030", errors="replace"))
            gb_lines.append(number)
        else:
            texts.append(line.decode("utf-8", errors="replace"))
    text = "\n".join(texts)
    if gb_lines:  # a note for X002: "gb18030-lines:COUNT:FIRST:11,18,25-27,…"
        notes.append(f"{MIXED}{len(gb_lines)}:{gb_lines[0]}:{_ranges(gb_lines)}")
    return Decoded(text, "utf-8+gb18030" if gb_lines else "utf-8", text.count("\ufffd"), notes, utf8_share)


def _failed_line_kind(line: bytes) -> str:
    """"damaged" (UTF-8 with bad bytes) or "gb" (GB18030, any bad byte replaced), for a line
    that is not valid UTF-8: whichever reading gives more ordinary Chinese; on a tie (no common
    character either way), UTF-8 when most of its wide characters survive, else "unsure" (the
    file's majority decides)."""
    loose = line.decode("utf-8", errors="replace")
    as_gb = line.decode("gb18030", errors="replace")
    common_utf8, common_gb = _common(loose), _common(as_gb)
    if common_utf8 != common_gb:
        return "damaged" if common_utf8 > common_gb else "gb"
    bad = loose.count("\ufffd")
    good = len(re.findall(_WIDE, loose)) - bad
    return "damaged" if good and good >= _MOSTLY_VALID * (good + bad) else "unsure"


def _common(text: str) -> int:
    return sum(1 for char in text if char in _COMMON)


def _reads_as(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


MIXED = "gb18030-lines:"


def mixed_lines(note: str) -> tuple[int, int, str] | None:
    """(count, first line, "11, 18, 25-27, …") from a mixed-encoding note, else None."""
    if not note.startswith(MIXED):
        return None
    count, first, ranges = note[len(MIXED) :].split(":", 2)
    return int(count), int(first), ranges


def _ranges(numbers: list[int], most: int = 5) -> str:
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in spans[:most]]
    return ", ".join(shown) + (", …" if len(spans) > most else "")


# Frequent characters of Chinese prose and of budget disclosures, simplified and traditional:
# text in the right encoding is full of them; the other encoding's reading of its bytes is not.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行"
    "学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然"
    "前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月公无系"
    "很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
    "别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶"
    "油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名"
    "确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深"
    "难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江"
    "预款项额拨财费购置绩估完成质量标准满意度"
    "這個為們來時說對發動經過進現實電裡兩體當從應開還產種後學義關樣線內數問變條結題員黨設級區強決"
    "國會與萬務機業單預算項額撥財費購績標準滿總計門資質專區劃縣鄉鎮報據處"
)


def chinese_legacy(data: bytes, guess: str | None) -> str | None:
    """GB18030 or Big5 (cp950) for Chinese bytes that are not UTF-8, whichever reads as ordinary
    Chinese; `guess` (a detector's answer) is kept when neither is a candidate."""
    scores = {}
    for encoding in ("gb18030", "cp950"):
        text = data.decode(encoding, errors="replace")
        han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
        if not han:
            continue
        common = sum(1 for char in text if char in _COMMON)
        scores[encoding] = (common - 4 * text.count("\ufffd")) / han
    if not scores:
        return guess
    best = max(scores, key=scores.get)
    if guess is not None and guess not in ("gb18030", "cp950", "big5") and scores[best] < 0.2:
        return guess  # neither reads as Chinese prose: leave the detector's answer
    return best
