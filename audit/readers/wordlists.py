"""Word's automatic list numbers: the `一、` `（二）` `3.` that Word draws before a paragraph but
that are not in its text.

A Chinese disclosure numbers its parts and headings this way as often as by typing them; the
facts stage reads enumerations (一、二、四 skips 三) and table titles (1、…绩效目标表) from those
labels, so the reader renders them as Word shows them: each list level counts up, a deeper level
restarts when a shallower one moves on, and `%1.%2` style templates take every level's number.
Lists that share an abstract definition share their counters (as Word does) unless a list
restarts with a start override. Bullets render as nothing: they number nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.facts.numerals import cn_numeral

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VAL = f"{{{_W}}}val"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """1 → A … 26 → Z, 27 → AA (Word repeats the letter)."""
    return chr(64 + (n - 1) % 26 + 1) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def format_number(n: int, kind: str) -> str:
    if kind in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting"):
        return cn_numeral(n)
    if kind == "ideographTraditional":
        return _HEAVENLY[(n - 1) % 10] if n > 0 else str(n)
    if kind == "decimalEnclosedCircle" or kind == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if kind == "upperLetter":
        return _letters(n)
    if kind == "lowerLetter":
        return _letters(n).lower()
    if kind == "upperRoman":
        return _roman(n)
    if kind == "lowerRoman":
        return _roman(n).lower()
    if kind == "decimalZero":
        return f"{n:02d}"
    if kind in ("none", "bullet"):
        return ""
    return str(n)  # decimal, decimalFullWidth, and formats no Chinese disclosure uses


@dataclass
class _Level:
    start: int = 1
    kind: str = "decimal"
    template: str = "%1."
    suffix: str = " "  # Word's default suffix is a tab; a tab reads as a space here


@dataclass
class _List:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # level → start override


class Numbering:
    """The numbering part of one document, and the counters while its paragraphs are read."""

    def __init__(self, numbering_root, styles_root) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}
        self.lists: dict[str, _List] = {}
        self.style_lists: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if numbering_root is not None:
            self._read_numbering(numbering_root)
        if styles_root is not None:
            self._read_styles(styles_root)

    def _read_numbering(self, root) -> None:
        for abstract in root.iter(_w("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iter(_w("lvl")):
                level = _Level()
                start, kind, text, suffix = (lvl.find(_w(t)) for t in ("start", "numFmt", "lvlText", "suff"))
                if start is not None and (start.get(_VAL) or "").isdigit():
                    level.start = int(start.get(_VAL))
                if kind is not None:
                    level.kind = kind.get(_VAL, "decimal")
                if text is not None:
                    level.template = text.get(_VAL, "")
                if suffix is not None:
                    level.suffix = {"space": " ", "nothing": ""}.get(suffix.get(_VAL, "tab"), " ")
                levels[_int(lvl.get(_w("ilvl")))] = level
            self.levels[abstract.get(_w("abstractNumId"), "")] = levels
        for num in root.iter(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            entry = _List(ref.get(_VAL, ""))
            for override in num.iter(_w("lvlOverride")):
                start = override.find(_w("startOverride"))
                if start is not None:
                    entry.starts[_int(override.get(_w("ilvl")))] = _int(start.get(_VAL), 1)
            self.lists[num.get(_w("numId"), "")] = entry

    def _read_styles(self, root) -> None:
        """Paragraph styles that carry numbering (heading styles linked to a multilevel list)."""
        own: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in root.iter(_w("style")):
            num = style.find(f"{_w('pPr')}/{_w('numPr')}")
            based = style.find(_w("basedOn"))
            num_id = level = None
            if num is not None:
                ident, lvl = num.find(_w("numId")), num.find(_w("ilvl"))
                num_id = ident.get(_VAL) if ident is not None else None
                level = _int(lvl.get(_VAL)) if lvl is not None else None
            own[style.get(_w("styleId"), "")] = (num_id, level, based.get(_VAL) if based is not None else None)
        for sid in own:
            current, seen, num_id, level = sid, set(), None, None
            while current in own and current not in seen:
                seen.add(current)
                mine, mine_level, based = own[current]
                num_id = num_id or mine
                level = level if level is not None else mine_level
                current = based
            if num_id:
                self.style_lists[sid] = (num_id, level or 0)

    def label(self, paragraph) -> str:
        """The number Word draws before this paragraph ('' when none), advancing the counters."""
        props = paragraph.find(_w("pPr"))
        if props is None:
            return ""
        num_id, level = None, None
        style = props.find(_w("pStyle"))
        if style is not None and style.get(_VAL) in self.style_lists:
            num_id, level = self.style_lists[style.get(_VAL)]
        direct = props.find(_w("numPr"))
        if direct is not None:
            ident, lvl = direct.find(_w("numId")), direct.find(_w("ilvl"))
            num_id = ident.get(_VAL) if ident is not None else num_id
            level = _int(lvl.get(_VAL)) if lvl is not None else (level or 0)
        if not num_id or num_id == "0" or num_id not in self.lists:
            return ""
        entry = self.lists[num_id]
        levels = self.levels.get(entry.abstract, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(entry.abstract, {})
        if num_id not in self.started:  # a list that restarts numbering from its override
            self.started.add(num_id)
            for lvl, start in entry.starts.items():
                counters[lvl] = start - 1
                for deeper in [k for k in counters if k > lvl]:
                    del counters[deeper]
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        this = levels[level]
        if this.kind == "bullet":
            return ""
        text = this.template
        for k in range(9, -1, -1):
            placeholder = f"%{k + 1}"
            if placeholder in text:
                shown = levels.get(k, _Level())
                value = counters.get(k, shown.start)
                text = text.replace(placeholder, format_number(value, shown.kind))
        return text + this.suffix if text else ""


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
