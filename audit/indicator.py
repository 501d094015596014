"""Read one 指标值 (indicator value) cell of a 绩效目标表 into a `Constraint`.

The recognition is done by the Lark grammar `grammar/indicator.lark` (LALR, contextual lexer,
built once on first use); this module normalises the text, maps the parse tree to a
`Constraint`, and handles what the grammar rejects:

* no digit at all                -> QUALITATIVE (效果明显, 逐年提升 ...)
* digits glued to free text      -> UNPARSED, but comparator / number / unit are still filled and
                                    the free text is put in `glued_text`
* anything else going wrong      -> UNPARSED (a final safety net: `parse_value` never raises)

Conventions (decided here, relied on by checks):

* `glued_text` is the free text around the number that is neither comparator nor unit.  A unit
  word is only split off when it cannot be the start of a word: ``≥160年抓获犯罪嫌疑人数量`` gives
  glued_text ``年抓获犯罪嫌疑人数量`` and no unit (年 may belong to 年抓获 "caught per year"), while
  ``≥95%（含）`` keeps unit % and glued_text ``(含)``.
* Ranges ``90%-95%``: comparator of the first bound (usually None), `value` is the lower bound,
  `upper_value` the upper one, note ``range``.
* Structured form without a number (``符号>=``): kind UNPARSED, comparator kept, note
  ``missing-value``.  With 文字描述 it is QUALITATIVE (``符号文字描述单位提高``).
* ``dimension is NONE`` exactly when ``unit is None``.  An unknown word in the 单位 slot of the
  structured form becomes the unit itself with dimension OTHER and note ``unknown-unit``; in a
  文字描述 cell the slot holds a description (长期, 提高), so unit stays None (unless the word
  is a known unit or a date such as 12月31日) and only `unit_raw` carries it.
* Dates: ``12月31日`` -> value 12.31 unit 日期 (the corpus's own ``12.31日期`` spelling);
  ``2023年12月31日`` -> 20231231 unit 年月日; ``2023年12月`` -> 202312 unit 年月; ``10月前`` ->
  10 unit 月份 with comparator <=.  Only for these composed dates is `value` not the literal
  number written.
* "missing-unit" is set whenever a number has no unit (structured cells additionally get
  "unit-missing-in-structured-form").
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from decimal import Decimal
from enum import Enum
from typing import Literal

from audit.records import dataclass
from audit.resources import grammar_text

# lark is imported on first need (`_import_lark`): most cells are read without it.
Lark = Token = Tree = None


class LarkError(Exception):
    """Stands for lark.exceptions.LarkError until lark is imported (nothing raises it)."""

__all__ = ["Constraint", "Dimension", "Kind", "parse_value", "unit_table"]

GRAMMAR_FILE = "indicator.lark"


class Dimension(str, Enum):
    """What a unit measures; lets checks compare like with like."""

    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"
    DURATION = "duration"
    DATE = "date"
    AREA = "area"
    LENGTH = "length"
    RATE = "rate"
    OTHER = "other"
    NONE = "none"


class Kind(str, Enum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    UNPARSED = "unparsed"
    EMPTY = "empty"


Comparator = Literal[">=", "<=", "=", ">", "<"]

_DIM_ZH = {
    Dimension.PERCENT: "百分比",
    Dimension.MONEY: "金额",
    Dimension.COUNT: "数量",
    Dimension.DURATION: "时长",
    Dimension.DATE: "日期",
    Dimension.AREA: "面积",
    Dimension.LENGTH: "长度",
    Dimension.RATE: "比率",
    Dimension.OTHER: "其他",
    Dimension.NONE: "无单位",
}
_CMP_ZH = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
# Money units -> power of ten that converts the value to 万元.
_WAN_SCALE = {"元": -4, "千元": -1, "万元": 0, "百万元": 2, "亿元": 4}


def _fmt(value: Decimal) -> str:
    """Decimal as written, never in exponent notation."""
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class Constraint:
    """What one 指标值 cell says: comparator, number, unit, and what was odd about it.

    A plain frozen dataclass, not a pydantic model: the reader below already builds every field
    with its final type, and importing pydantic costs a cold `audit check` ~0.2 s."""

    raw: str
    kind: Kind
    comparator: Comparator | None = None
    value: Decimal | None = None
    decimals: int | None = None
    unit: str | None = None
    unit_raw: str | None = None
    dimension: Dimension = Dimension.NONE
    text_described: bool = False
    glued_text: str | None = None
    notes: tuple[str, ...] = ()
    value_span: tuple[int, int] | None = None
    # Upper bound of a range such as 90%-95% (value holds the lower bound); None otherwise.
    upper_value: Decimal | None = None

    @property
    def as_wan(self) -> Decimal | None:
        """Money value in 万元 (the unit budget tables use), None if not a money amount."""
        if self.dimension is not Dimension.MONEY or self.value is None or self.unit not in _WAN_SCALE:
            return None
        return self.value.scaleb(_WAN_SCALE[self.unit])

    def describe(self, lang: str = "zh") -> str:
        """One human-readable line saying what was understood."""
        en = lang.lower().startswith("en")
        if self.kind is Kind.EMPTY:
            return "empty" if en else "空值"
        if self.kind is Kind.QUALITATIVE:
            if self.text_described:
                bits = []
                if self.value is not None:
                    bits.append(f"value {_fmt(self.value)}" if en else f"值 {_fmt(self.value)}")
                if self.unit_raw:
                    bits.append(f"unit slot '{self.unit_raw}'" if en else f"单位栏“{self.unit_raw}”")
                body = ", ".join(bits) if en else "，".join(bits)
                return (f"qualitative (text-described): {body}" if en else f"定性（文字描述）：{body}").rstrip(": ：")
            return f"qualitative: {self.raw.strip()}" if en else f"定性：{self.raw.strip()}"
        if self.kind is Kind.UNPARSED:
            head = f"could not read: {self.raw.strip()}" if en else f"无法识别：{self.raw.strip()}"
            seen = self._quantity_text(en)
            if seen and self.glued_text:
                return (f"{head} (saw {seen} with text '{self.glued_text}')" if en
                        else f"{head}（读到 {seen}，另有文字“{self.glued_text}”）")
            if seen:
                return f"{head} (saw {seen})" if en else f"{head}（读到 {seen}）"
            return head
        text = self._quantity_text(en)
        dim = self.dimension.value if en else _DIM_ZH[self.dimension]
        if "range" in self.notes:
            dim += ", range" if en else "，区间"
        return f"quantitative: {text} ({dim})" if en else f"定量：{text}（{dim}）"

    def _quantity_text(self, en: bool) -> str:
        parts: list[str] = []
        if self.comparator:
            parts.append(self.comparator if en else _CMP_ZH[self.comparator])
        if self.value is not None:
            number = _fmt(self.value)
            if self.upper_value is not None:
                number += f"–{_fmt(self.upper_value)}"
            parts.append(number)
        if self.unit:
            parts.append(self.unit)
        return " ".join(parts)


# ------------------------------------------------------------------------------------------
# Tables read from / matching the grammar.

# Comparator spelling -> operator.  Keys must cover the grammar's COMPARATOR literals.
_COMPARATORS: dict[str, str] = {
    "大于或等于": ">=", "大于等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=", "达到": ">=",
    "小于或等于": "<=", "小于等于": "<=", "不高于": "<=", "不超过": "<=", "不大于": "<=",
    "不多于": "<=", "最多": "<=", "控制在": "<=",
    "大于": ">", "高于": ">", "多于": ">", "超过": ">",
    "小于": "<", "低于": "<", "少于": "<", "不足": "<",
    "等于": "=",
    ">=": ">=", "=>": ">=", "≥=": ">=", "≥": ">=", "≧": ">=", "⩾": ">=", "≮": ">=", "≫": ">=",
    "<=": "<=", "=<": "<=", "≤=": "<=", "≤": "<=", "≦": "<=", "⩽": "<=", "≯": "<=", "≪": "<=",
    ">": ">", "<": "<", "=": "=",
}
# ≪ / ≫ are OCR misreadings of ≤ / ≥ in the corpus.
_OCR_COMPARATORS = {"≪", "≫"}
# Comparator written after the quantity; None means "approximately" (左右).
_SUFFIXES: dict[str, str | None] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
    "内": "<=", "以前": "<=", "之前": "<=", "前": "<=", "以后": ">=", "之后": ">=", "后": ">=",
    "左右": None,
}
# "before/after" suffixes turn a month/day/year into a calendar date (10月前 = by October).
_DATE_SUFFIXES = {"以前", "之前", "前", "以后", "之后", "后"}
_DATE_FROM_DURATION = {"月": "月份", "日": "号", "号": "号", "年": "年份"}

# Canonical spelling of units written in several ways; anything not listed is canonical as is.
_CANONICAL: dict[str, str] = {
    "百分比": "%", "百分百": "%",
    "h": "小时", "个工作日": "工作日", "个星期": "周", "星期": "周", "个季度": "季度", "个月": "月", "日": "天",
    "平米": "平方米", "m2": "平方米", "km2": "平方公里",
    "千米": "公里", "km": "公里", "m": "米", "cm": "厘米", "mm": "毫米",
    "公斤": "千克", "kg": "千克", "m3": "立方米",
}
_SCALE_WORDS = {"万", "亿"}   # bare scale words: ambiguous (万元? 万人?)


@functools.lru_cache(maxsize=1)
def unit_table() -> dict[str, Dimension]:
    """Unit word (as lexed, NFKC) -> dimension, read from the UNIT block of the grammar.

    Each line of the UNIT terminal ends with a comment naming the dimension, so the grammar
    file stays the single list to extend.
    """
    lines = grammar_text(GRAMMAR_FILE).splitlines()
    table: dict[str, Dimension] = {}
    inside = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("UNIT:"):
            inside = True
        elif inside and not stripped.startswith("|"):
            break
        if not inside:
            continue
        code, _, comment = stripped.partition("//")
        dimension = Dimension(comment.strip())
        for word in re.findall(r'"([^"]+)"', code):
            table[word] = dimension
    return table


def _terminal_literals(name: str) -> list[str]:
    """String literals of one terminal of the grammar (used by tests to check the tables)."""
    text = grammar_text(GRAMMAR_FILE)
    match = re.search(rf"^{name}:(.*?)(?=^\S|\Z)", text, re.M | re.S)
    if not match:
        return []
    body = "\n".join(line.split("//")[0] for line in match.group(1).splitlines())
    return re.findall(r'"([^"]+)"', body)


def _import_lark() -> None:
    """Import lark, without letting it import the third-party `regex` module.

    lark.utils and lark.lark try `import regex` at import, only to serve Lark(regex=True), which
    this project never asks for; where `regex` is installed that import costs a cold start ~17 ms.
    So while lark is first imported, `regex` is hidden (a None entry in sys.modules makes the
    import fail, as if it were not installed), and the entry is removed again afterwards. Only when
    nobody imported `regex` before: a process that already holds it keeps lark's usual behaviour."""
    global Lark, Token, Tree, LarkError
    if Lark is not None:
        return
    hide = "regex" not in sys.modules and "lark" not in sys.modules
    if hide:
        sys.modules["regex"] = None  # type: ignore[assignment]
    try:
        import lark
        import lark.exceptions
        import lark.lexer
    finally:
        if hide and sys.modules.get("regex", 0) is None:
            del sys.modules["regex"]
    Token, Tree, LarkError = lark.Token, lark.Tree, lark.exceptions.LarkError
    Lark = lark.Lark


def _lark_version() -> str:
    _import_lark()
    return getattr(sys.modules["lark"], "__version__", "0")


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    """The LALR parser, built once on first use. The built tables are cached (0.1 s to build, 5 ms
    to load) in the user's own cache folder, never a shared temp dir: Lark's cache is a pickle, and
    a file someone else could plant must never be loaded. No writable cache folder: no cache."""
    _import_lark()
    options = dict(parser="lalr", lexer="contextual", start=["value", "unit_text"], propagate_positions=False,
                   _plugins={"ContextualLexer": _contextual_lexer()})
    text = grammar_text(GRAMMAR_FILE)
    cache = _cache_file(text)
    if cache is not None:
        try:
            return Lark(text, cache=cache, **options)
        except OSError:
            pass
    return Lark(text, cache=False, **options)


class _TerminalScanner:
    """Lark's Scanner, answering the same (first terminal, in lark's order, that matches here) from
    one compiled pattern per terminal, shared by every parser state. Lark compiles one union
    pattern per state instead: 28 of them, each repeating the ~150 unit words, cost a cold run
    ~40 ms, where compiling each terminal once costs ~6 ms."""

    __slots__ = ("allowed_types", "_matchers")

    def __init__(self, terminals, flags: int) -> None:
        self.allowed_types = {t.name for t in terminals}
        self._matchers = [(_terminal_pattern(t.pattern.to_regexp(), flags), t.name) for t in terminals]

    def match(self, text, pos: int):
        for pattern, name in self._matchers:
            found = pattern.match(text.text, pos, text.end)
            if found:
                return found.group(0), name
        return None

    def fullmatch(self, text: str) -> str | None:
        for pattern, name in self._matchers:
            if pattern.fullmatch(text):
                return name
        return None


@functools.lru_cache(maxsize=None)
def _terminal_pattern(regexp: str, flags: int = 0) -> re.Pattern[str]:
    """`regexp` compiled once per process, when first needed (the lexer's terminals and the
    fallback's patterns alike: most runs never need some of them)."""
    return re.compile(regexp, flags)


@functools.lru_cache(maxsize=1)
def _contextual_lexer() -> type:
    """Lark's ContextualLexer, its lexer per parser state scanning with a `_TerminalScanner`
    (a class made on first use, lark being imported only then)."""
    from lark.lexer import BasicLexer, CallChain, ContextualLexer, _create_unless

    class _BasicLexer(BasicLexer):
        def _build_scanner(self) -> _TerminalScanner:       # as BasicLexer._build_scanner
            terminals, self.callback = _create_unless(self.terminals, self.g_regex_flags, self.re, self.use_bytes)
            for type_, function in self.user_callbacks.items():
                if type_ in self.callback:
                    self.callback[type_] = CallChain(self.callback[type_], function, lambda t: t.type == type_)
                else:
                    self.callback[type_] = function
            return _TerminalScanner(terminals, self.g_regex_flags)

    class _ContextualLexer(ContextualLexer):
        BasicLexer = _BasicLexer

    return _ContextualLexer


def _cache_file(grammar: str) -> str | None:
    """Lark's parser cache, in the user's own cache folder only (it is a pickle)."""
    import hashlib

    from audit.resources import user_cache_dir

    folder = user_cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return str(folder / f"indicator-{key}-lark{_lark_version()}.cache")


@functools.lru_cache(maxsize=1)
def _unit_regex() -> re.Pattern[str]:
    """Known unit words, longest first (for the fallback reader). Written as lark writes the
    grammar's UNIT terminal, so that both share one compiled pattern."""
    words = sorted(unit_table(), key=len, reverse=True)
    return _terminal_pattern("(?:" + "|".join(re.escape(w) for w in words) + ")", 0)


_NUMBER = r"\d+(?:,\d{3})*(?:\.[ \t]*\d+)?"       # as the grammar's NUMBER
_DIGIT_RE = re.compile(r"\d")
_DATE_WORD = (r"^(?:每月)?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:底)?(?:前|以前|之前)?$"
              r"|^(?:每月)?\d{1,2}[日号](?:前|以前|之前)?$")


def _is_cjk_word(word: str) -> bool:
    """Only CJK ideographs (U+3400–U+9FFF); a test, not a regex: compiling that range costs a
    cold start ~2 ms."""
    return bool(word) and all("\u3400" <= ch <= "\u9fff" for ch in word)


# ------------------------------------------------------------------------------------------
# Normalisation with an offset map back to the raw text.

def _normalised(ch: str) -> str:
    """What one character of a cell becomes in the parsed text ("" when dropped)."""
    category = unicodedata.category(ch)
    if category == "Cc":
        if ch not in "\t\n\r\f\v":
            return ""             # other control characters: dropped
    elif category == "Cf":
        return ""                 # zero-width spaces, BOM, soft hyphen: dropped
    elif category == "Cs":
        ch = "\ufffd"             # lone surrogate: keep a visible placeholder
    return unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch


_UNCHANGED: set[str] = set()      # characters `_normalised` leaves as they are, met so far
_UNCHANGED_LIMIT = 1 << 16


def _unchanged(raw: str) -> bool:
    """Whether normalising leaves `raw` as it is (memoised per character, not tested per char
    of every cell: the same few hundred characters make up every table)."""
    chars = set(raw)
    if chars <= _UNCHANGED:
        return True
    for ch in chars - _UNCHANGED:
        if _normalised(ch) != ch:
            return False
        if len(_UNCHANGED) < _UNCHANGED_LIMIT:
            _UNCHANGED.add(ch)
    return True


class _Text:
    """The stripped NFKC text that is parsed, and the way back to offsets in `raw`."""

    __slots__ = ("raw", "text", "_map")

    def __init__(self, raw: str) -> None:
        if type(raw) is str and _unchanged(raw):
            norm_text, origin = raw, range(len(raw))   # the common case: offsets map 1:1
        else:
            chars: list[str] = []
            origin = []
            for i, ch in enumerate(raw):
                for n in _normalised(ch):
                    chars.append(n)
                    origin.append(i)
            norm_text = "".join(chars)
        # str.strip drops exactly the characters str.isspace accepts
        start = len(norm_text) - len(norm_text.lstrip())
        end = max(start, len(norm_text.rstrip()))
        self.raw = raw
        self.text = norm_text[start:end]
        self._map = origin[start:end]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) in `text` -> [start, end) in `raw`."""
        return self._map[start], self._map[end - 1] + 1

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.raw[a:b]


class _Reject(Exception):
    """The tree parsed but makes no sense (e.g. 3人5次 as a date), or the shortcut reader knows
    lark rejects the text; use the fallback."""


# ------------------------------------------------------------------------------------------
# Tree -> fields. A tree is lark's or the shortcut reader's (below): the walk reads only what
# both have (`data` and `children` of a node; `str()`, `type`, `start_pos`, `end_pos` of a token).

def _tokens_of(tree) -> list:
    """The tree's tokens in order (lark's Tree.scan_values for tokens)."""
    tokens = []
    for child in tree.children:
        if isinstance(child, _TOKENS):
            tokens.append(child)
        else:
            tokens += _tokens_of(child)
    return tokens

def _number(text: str) -> tuple[Decimal, int, list[str]]:
    """Number text -> (Decimal as written, displayed decimals, notes)."""
    notes: list[str] = []
    cleaned = text.replace(",", "")
    if re.search(r"\s", cleaned):
        notes.append("ocr-space-in-number")
        cleaned = re.sub(r"\s+", "", cleaned)
    value = Decimal(cleaned)
    decimals = len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
    return value, decimals, notes


def _canonical(word: str) -> str:
    return _CANONICAL.get(word, word)


def _resolve_unit(tree: Tree) -> tuple[str, Dimension, list[str]]:
    """unit tree -> (canonical unit, dimension, notes)."""
    table = unit_table()
    words = [str(t) for t in tree.children if isinstance(t, _TOKENS)]
    pers = [c for c in tree.children if not isinstance(c, _TOKENS)]
    notes: list[str] = []
    first = words[0]
    if len(words) == 2:
        second = words[1]
        if first in _SCALE_WORDS and table[second] in (Dimension.COUNT, Dimension.MONEY):
            canonical, dimension = first + _canonical(second), table[second]
        elif first == "个" and table[second] in (Dimension.COUNT, Dimension.DURATION):
            canonical, dimension = _canonical(second), table[second]
        else:
            raise _Reject(f"two unit words {first}{second}")
    else:
        canonical, dimension = _canonical(first), table[first]
        if first in _SCALE_WORDS:
            notes.append("ambiguous-unit")
    if pers:
        denominators = []
        for per in pers:
            parts = [_canonical(str(t)) for t in per.children if isinstance(t, _TOKENS) and t.type == "UNIT"]
            denominators.append("·".join(parts))
        canonical = "/".join([canonical, *denominators])
        dimension = Dimension.RATE
    return canonical, dimension, notes


class _Bound:
    """One side of a plain value: comparator, number, unit."""

    __slots__ = ("comparator", "value", "decimals", "unit", "unit_raw", "dimension", "span", "notes")

    def __init__(self) -> None:
        self.comparator: str | None = None
        self.value: Decimal | None = None
        self.decimals: int | None = None
        self.unit: str | None = None
        self.unit_raw: str | None = None
        self.dimension = Dimension.NONE
        self.span: tuple[int, int] | None = None
        self.notes: list[str] = []


def _compound_date(tokens: list[Token], bound: _Bound, src: _Text) -> None:
    """2023年12月31日 / 12月31日 / 2023年12月 -> a sortable number and a date unit."""
    numbers = [t for t in tokens if t.type == "NUMBER"]
    units = tuple(str(t) for t in tokens if t.type == "UNIT")
    if any(not re.fullmatch(r"\d+", str(n)) for n in numbers):
        raise _Reject("date parts must be integers")
    ints = [int(str(n)) for n in numbers]
    day_words = ("日", "号")
    if len(units) == 3 and units[0] == "年" and units[1] == "月" and units[2] in day_words:
        year, month, day = ints
        value, unit, decimals = Decimal(f"{year:04d}{month:02d}{day:02d}"), "年月日", 0
    elif len(units) == 2 and units[0] == "月" and units[1] in day_words:
        month, day = ints
        year = None
        value, unit, decimals = Decimal(f"{month}.{day:02d}"), "日期", 2
    elif len(units) == 2 and units[0] == "年" and units[1] in ("月", "月底"):
        year, month = ints
        day = None
        value, unit, decimals = Decimal(f"{year:04d}{month:02d}"), "年月", 0
    else:
        raise _Reject(f"not a date: {units}")
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        bound.notes.append("invalid-date")
    bound.value, bound.decimals, bound.unit, bound.dimension = value, decimals, unit, Dimension.DATE
    bound.span = src.span(tokens[0].start_pos, tokens[-1].end_pos)
    bound.unit_raw = src.raw_slice(tokens[0].start_pos, tokens[-1].end_pos)


def _read_bound(tree: Tree, src: _Text) -> _Bound:
    bound = _Bound()
    prefix: str | None = None
    suffix_word: str | None = None
    sign: Token | None = None
    for child in tree.children:
        if isinstance(child, _TOKENS):
            if child.type == "SIGN":
                sign = child
            elif child.type == "COMPARATOR":
                prefix = str(child)
            elif child.type == "APPROX":
                bound.notes.append("approximate")
            elif child.type == "SUFFIX":
                suffix_word = str(child)
            continue
        if child.data == "compound":
            if sign is not None:
                raise _Reject("signed date")
            _compound_date(list(child.children), bound, src)
            continue
        # simple: NUMBER unit?
        number = child.children[0]
        bound.value, bound.decimals, notes = _number(str(number))
        bound.notes += notes
        bound.span = src.span((sign or number).start_pos, number.end_pos)
        if sign is not None and str(sign) == "-":
            bound.value = -bound.value
        if len(child.children) > 1:
            unit_tree = child.children[1]
            bound.unit, bound.dimension, notes = _resolve_unit(unit_tree)
            bound.notes += notes
            tokens = _tokens_of(unit_tree)
            bound.unit_raw = src.raw_slice(tokens[0].start_pos, tokens[-1].end_pos)
    # Comparator: prefix, suffix, or both (控制在…以内).
    prefix_op = _COMPARATORS[prefix] if prefix else None
    if prefix in _OCR_COMPARATORS:
        bound.notes.append("ocr-comparator")
    suffix_op = None
    if suffix_word is not None:
        suffix_op = _SUFFIXES[suffix_word]
        if suffix_word == "左右":
            bound.notes.append("approximate")
        if suffix_word in _DATE_SUFFIXES and bound.dimension is Dimension.DURATION:
            word = bound.unit_raw.strip() if bound.unit_raw else ""
            word = unicodedata.normalize("NFKC", word)
            if word in _DATE_FROM_DURATION:
                bound.unit, bound.dimension = _DATE_FROM_DURATION[word], Dimension.DATE
    if prefix_op and suffix_op and prefix_op != suffix_op:
        if prefix == "控制在":        # 控制在 only says "kept at"; the suffix is the real bound
            prefix_op = suffix_op
        else:
            bound.notes.append("conflicting-comparators")
    bound.comparator = prefix_op or suffix_op
    return bound


def _plain(tree: Tree, src: _Text) -> dict:
    bounds = [_read_bound(c, src) for c in tree.children if not isinstance(c, _TOKENS)]
    tokens = [c for c in tree.children if isinstance(c, _TOKENS)]
    first = bounds[0]
    notes = list(first.notes)
    has_sep = any(t.type == "RANGE_SEP" for t in tokens)
    upper = None
    if len(bounds) == 2:
        second = bounds[1]
        notes.append("range")
        notes += [n for n in second.notes if n not in notes]
        upper = second.value
        if first.unit is None and second.unit is not None:
            first.unit, first.unit_raw, first.dimension = second.unit, second.unit_raw, second.dimension
        elif second.unit is not None and second.unit != first.unit:
            notes.append("range-unit-mismatch")
    elif has_sep:
        notes.append("trailing-junk")
    if any(t.type == "JUNK" for t in tokens):
        notes.append("trailing-junk")
    if first.unit is None:
        notes.append("missing-unit")
    if first.value is not None and first.value == 0:
        notes.append("zero-value")
    return dict(
        kind=Kind.QUANTITATIVE,
        comparator=first.comparator,
        value=first.value,
        decimals=first.decimals,
        unit=first.unit,
        unit_raw=first.unit_raw,
        dimension=first.dimension,
        value_span=first.span,
        upper_value=upper,
        notes=notes,
    )


def _classify_word(word: str) -> tuple[str | None, Dimension, list[str]]:
    """Text of the 单位 slot -> (canonical unit or None, dimension, notes)."""
    if word in unit_table():
        # One unit word: lark would lex it as one UNIT (no longer alternative fits in the word).
        return _resolve_unit(_Node("unit", [_Tok("UNIT", word, 0)]))
    if word[:1] in _unit_starts() or word[:1].isspace():
        try:
            tree = _parser().parse(word, start="unit_text")
            return _resolve_unit(tree.children[0])
        except (LarkError, _Reject):
            pass
    # else no unit word starts so: lark's unit_text (UNIT first) rejects it.
    if _terminal_pattern(_DATE_WORD).match(word):
        return word, Dimension.DATE, []
    return None, Dimension.NONE, []


def _structured(tree: Tree, src: _Text) -> dict:
    notes: list[str] = []
    comparator = None
    text_described = False
    value = decimals = span = None
    word_token: Token | None = None
    had_cmp_slot = False
    for child in tree.children:
        if isinstance(child, _TOKENS):
            continue                                   # 符号
        if child.data == "s_comparator":
            had_cmp_slot = True
            written = str(child.children[0])
            comparator = _COMPARATORS[written]
            if written in _OCR_COMPARATORS:
                notes.append("ocr-comparator")
        elif child.data == "s_text_described":
            had_cmp_slot = True
            text_described = True
        elif child.data == "s_value":
            numbers = [t for t in child.children if isinstance(t, _TOKENS) and t.type == "NUMBER"]
            if numbers:
                value, decimals, more = _number(str(numbers[0]))
                notes += more
                span = src.span(numbers[0].start_pos, numbers[0].end_pos)
        elif child.data == "s_labelled":                # 单位 <word>?
            rest = [t for t in child.children if t.type == "REST"]
            word_token = rest[0] if rest else None
        elif child.data == "s_overwritten":             # <unit> <word>? : label 单位 replaced
            label, *rest = child.children
            if rest:
                notes.append("unit-overwritten")
                word_token = rest[0]
            else:
                notes.append("unit-label-missing")
                word_token = label
    if not had_cmp_slot:
        notes.append("missing-comparator")

    unit = unit_raw = None
    dimension = Dimension.NONE
    if word_token is not None:
        word = str(word_token)
        unit_raw = src.raw_slice(word_token.start_pos, word_token.end_pos)
        unit, dimension, more = _classify_word(word)
        notes += more
        if unit is None and not text_described:
            unit, dimension = word, Dimension.OTHER
            notes.append("unknown-unit")
    elif not text_described:
        notes += ["missing-unit", "unit-missing-in-structured-form"]

    if text_described:
        kind = Kind.QUALITATIVE
    elif value is None:
        kind = Kind.UNPARSED
        notes.append("missing-value")
    else:
        kind = Kind.QUANTITATIVE
    if value is not None and value == 0:
        notes.append("zero-value")
    return dict(
        kind=kind,
        comparator=comparator,
        value=value,
        decimals=decimals,
        unit=unit,
        unit_raw=unit_raw,
        dimension=dimension,
        text_described=text_described,
        value_span=span,
        notes=notes,
    )


# ------------------------------------------------------------------------------------------
# Shortcut reader: the commonest cells (≥95%, 100万元, 符号 >= 值 95.00 单位 %) read with one regex
# into the tree lark would build, and cells lark must reject told apart, so that most documents
# never import lark nor load its parser. lark stays the parser of record: whatever the shortcut
# does not recognise goes to it, and tests/test_perf_indicator.py checks the shortcut against it.

class _Tok:
    """A token as the tree walk reads lark's Token: `str()` of it, `type`, `start_pos`, `end_pos`
    (a slotted object, not a str subclass as lark's: a third of the cost to make)."""

    __slots__ = ("text", "type", "start_pos", "end_pos")

    def __init__(self, type_: str, text: str, start: int) -> None:
        self.type, self.text, self.start_pos, self.end_pos = type_, text, start, start + len(text)

    def __str__(self) -> str:
        return self.text


_TOKENS = (str, _Tok)  # a tree's tokens: lark's Token is a str


class _Node:
    """A tree node as the tree walk reads lark's Tree: `data` and `children`."""

    __slots__ = ("data", "children")

    def __init__(self, data: str, children: list) -> None:
        self.data, self.children = data, children


_WS = r"[ \t\r\n\f\v]*"                            # the grammar's ignored WS, as often as lark allows
# What the plain form's terminals can hold besides their literals (and any \d, a decimal digit):
# NUMBER (digits , . space tab), SIGN, JUNK, WS. tests/test_perf_indicator.py pins these patterns.
_PLAIN_PATTERN_CHARS = ",. \t" + "+-" + ".,;:!?。、)]】'\"“”‘’*" + " \t\r\n\f\v"
_PLAIN_LITERAL_TERMINALS = ("COMPARATOR", "APPROX", "SUFFIX", "RANGE_SEP", "PER", "DOT", "UNIT")


@functools.lru_cache(maxsize=1)
def _plain_alphabet() -> frozenset[str]:
    """Every character a token of the plain form can hold, decimal digits aside."""
    chars = set(_PLAIN_PATTERN_CHARS)
    for name in _PLAIN_LITERAL_TERMINALS:
        chars.update("".join(_terminal_literals(name)))
    return frozenset(chars)


@functools.lru_cache(maxsize=1)
def _unit_starts() -> frozenset[str]:
    """First characters of the unit words: a 单位 slot starting otherwise is no unit_text."""
    return frozenset(word[0] for word in unit_table())


@functools.lru_cache(maxsize=1)
def _shortcut_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(plain, structured, unit tokens): each token an atomic group, longest alternative first, as
    lark's lexer takes it (no backtracking into a token). A plain cell's unit is one word, or a
    rate of single words (元/人, 元/人/月, 元每人)."""
    comparators = sorted(_COMPARATORS, key=len, reverse=True)
    cmp = "(?>" + "|".join(map(re.escape, comparators)) + ")"
    unit = "(?>" + _unit_regex().pattern + ")"
    number = "(?>" + _NUMBER + ")"
    per = "(?:/|每)"
    plain = rf"(?:(?P<cmp>{cmp}){_WS})?(?P<num>{number}){_WS}(?P<unit>{unit}(?:{_WS}{per}{_WS}{unit})*)?\Z"
    structured = (rf"符号{_WS}(?:(?P<cmp>{cmp})|(?P<desc>文字描述))?{_WS}(?:(?P<val>值){_WS}(?P<num>{number})?)?"
                  rf"{_WS}(?:(?:(?P<kw>单位)|(?P<unit>{unit})){_WS}(?P<rest>\S(?:[\s\S]*\S)?)?)?\Z")
    return re.compile(plain), re.compile(structured), re.compile(rf"(?P<per>{per})|{unit}")


def _shortcut(text: str):
    """lark's tree for `text` when it is of the commonest forms; None when unsure (ask lark).
    Raises _Reject when lark must reject it: a cell not starting with 符号 (so in the plain form)
    holding a character no plain-form token holds."""
    plain, structured, unit_tokens = _shortcut_patterns()
    if not text.startswith("符号"):
        m = plain.match(text)
        if m is None:
            odd = set(text) - _plain_alphabet()
            if odd and not all(ch.isdecimal() for ch in odd):
                raise _Reject("a character no token of the plain form holds")
            return None
        bound = []
        if m["cmp"] is not None:
            bound.append(_Tok("COMPARATOR", m["cmp"], m.start("cmp")))
        quantity = [_Tok("NUMBER", m["num"], m.start("num"))]
        if m["unit"] is not None:
            unit: list = []
            for token in unit_tokens.finditer(text, m.start("unit"), m.end("unit")):
                if token["per"] is not None:
                    unit.append(_Node("per", [_Tok("PER", token[0], token.start())]))
                elif unit:
                    unit[-1].children.append(_Tok("UNIT", token[0], token.start()))  # per's unit
                else:
                    unit.append(_Tok("UNIT", token[0], token.start()))
            quantity.append(_Node("unit", unit))
        bound.append(_Node("simple", quantity))
        return _Node("value", [_Node("plain", [_Node("bound", bound)])])
    m = structured.match(text)
    if m is None:
        return None
    children: list = [_Tok("SIGN_KW", "符号", 0)]
    if m["cmp"] is not None:
        children.append(_Node("s_comparator", [_Tok("COMPARATOR", m["cmp"], m.start("cmp"))]))
    elif m["desc"] is not None:
        children.append(_Node("s_text_described", [_Tok("TEXT_DESC_KW", m["desc"], m.start("desc"))]))
    if m["val"] is not None:
        value = [_Tok("VALUE_KW", "值", m.start("val"))]
        if m["num"] is not None:
            value.append(_Tok("NUMBER", m["num"], m.start("num")))
        children.append(_Node("s_value", value))
    if m["kw"] is not None or m["unit"] is not None:
        if m["kw"] is not None:
            tail = _Node("s_labelled", [_Tok("UNIT_KW", "单位", m.start("kw"))])
        else:
            tail = _Node("s_overwritten", [_Tok("UNIT", m["unit"], m.start("unit"))])
        if m["rest"] is not None:
            tail.children.append(_Tok("REST", m["rest"], m.start("rest")))
        children.append(tail)
    return _Node("value", [_Node("structured", children)])


# ------------------------------------------------------------------------------------------
# Fallback for what the grammar rejects.

def _fallback(src: _Text) -> dict:
    """Grammar rejected the text: qualitative if there is no digit, else read what can be read."""
    text = src.text
    if not _DIGIT_RE.search(text):
        if any(unicodedata.category(ch).startswith("L") for ch in text):
            return dict(kind=Kind.QUALITATIVE)
        return dict(kind=Kind.UNPARSED, notes=["no-text"])     # only symbols, e.g. "≥" or "——"
    match = _terminal_pattern(_NUMBER).search(text)
    if match is None:        # a digit the number pattern does not take (cannot happen; be safe)
        return dict(kind=Kind.UNPARSED, notes=["unreadable-number"])
    notes: list[str] = []
    value, decimals, more = _number(match.group(0))
    notes += more
    start = match.start()
    if start > 0 and text[start - 1] == "-" and (start == 1 or not text[start - 2].isalnum()):
        value, start = -value, start - 1
    span = src.span(start, match.end())

    # Before the number: [free text] [comparator] [approx]
    pre_end = start
    while pre_end > 0 and text[pre_end - 1].isspace():
        pre_end -= 1
    comparator = None
    for word in ("大约", "约"):
        if text.endswith(word, 0, pre_end):
            notes.append("approximate")
            pre_end -= len(word)
            break
    while pre_end > 0 and text[pre_end - 1].isspace():
        pre_end -= 1
    for written in sorted(_COMPARATORS, key=len, reverse=True):
        if text.endswith(written, 0, pre_end):
            comparator = _COMPARATORS[written]
            if written in _OCR_COMPARATORS:
                notes.append("ocr-comparator")
            pre_end -= len(written)
            break

    # After the number: [unit] [suffix] [free text]
    post = match.end()
    while post < len(text) and text[post].isspace():
        post += 1
    unit = unit_raw = None
    dimension = Dimension.NONE
    unit_match = _unit_regex().match(text, post)
    if unit_match:
        word = unit_match.group(0)
        after = text[unit_match.end():]
        # A CJK unit word directly followed by more letters may just be the start of a word
        # (年抓获…): then it is not taken as a unit.
        if not (_is_cjk_word(word) and after and unicodedata.category(after[0]).startswith("L")):
            unit, dimension = _canonical(word), unit_table()[word]
            if word in _SCALE_WORDS:
                notes.append("ambiguous-unit")
            unit_raw = src.raw_slice(post, unit_match.end())
            post = unit_match.end()
            for suffix in sorted(_SUFFIXES, key=len, reverse=True):
                if text.startswith(suffix, post):
                    if comparator is None and _SUFFIXES[suffix]:
                        comparator = _SUFFIXES[suffix]
                    post += len(suffix)
                    break
    parts = []
    if pre_end > 0:
        parts.append(src.raw_slice(0, pre_end).strip())
    if post < len(text):
        parts.append(src.raw_slice(post, len(text)).strip())
    glued = " ".join(p for p in parts if p) or None
    if glued:
        notes.append("glued-text")
    if unit is None:
        notes.append("missing-unit")
    if value == 0:
        notes.append("zero-value")
    return dict(
        kind=Kind.UNPARSED,
        comparator=comparator,
        value=value,
        decimals=decimals,
        unit=unit,
        unit_raw=unit_raw,
        dimension=dimension,
        glued_text=glued,
        value_span=span,
        notes=notes,
    )


# ------------------------------------------------------------------------------------------
# Entry point.

def _read(raw: str, shortcut: bool = True) -> Constraint:
    src = _Text(raw)
    if not src.text:
        return Constraint(raw=raw, kind=Kind.EMPTY)
    fields: dict
    if not _DIGIT_RE.search(src.text) and not src.text.startswith("符号"):
        # Both forms of the grammar need a NUMBER, or 符号 first: it could only reject this.
        fields = _fallback(src)
    else:
        try:
            tree = _shortcut(src.text) if shortcut else None
            if tree is None:
                tree = _parser().parse(src.text, start="value")
            body = tree.children[0]
            fields = _structured(body, src) if body.data == "structured" else _plain(body, src)
        except (LarkError, _Reject):
            fields = _fallback(src)
    notes = fields.pop("notes", [])
    fields["notes"] = tuple(dict.fromkeys(notes))    # de-duplicated, order kept
    if type(raw) is not str:
        raw = str.__str__(raw)                          # a str subclass is kept as its plain text
    return Constraint(raw=raw, **fields)


def _safety_net(raw: object, reason: str = "internal-error") -> Constraint:
    """Last resort: an UNPARSED constraint (cannot fail)."""
    return Constraint(raw=raw if isinstance(raw, str) else repr(raw), kind=Kind.UNPARSED, notes=(reason,))


@functools.lru_cache(maxsize=65536)
def _parse_cached(text: str) -> Constraint:
    try:
        return _read(text)
    except Exception:           # noqa: BLE001 - parse_value is total by contract
        return _safety_net(text)


def parse_value(text: str) -> Constraint:
    """Parse one 指标值 cell. Total: never raises; memoised (same object for the same str)."""
    if text is None:
        text = ""
    elif not isinstance(text, str):
        try:
            text = str(text)
        except Exception:       # noqa: BLE001
            return _safety_net(text, "not-a-string")
    try:
        return _parse_cached(text)
    except Exception:           # noqa: BLE001 - e.g. a str subclass that cannot be hashed
        return _safety_net(text)


parse_value.cache_info = _parse_cached.cache_info      # type: ignore[attr-defined]
parse_value.cache_clear = _parse_cached.cache_clear    # type: ignore[attr-defined]
