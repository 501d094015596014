"""The words a 指标值 cell is written with: comparators, suffixes, units and their dimensions.

The unit list lives in the grammar (grammar/indicator.lark, one line per dimension, the dimension
named in the trailing comment) and is read from there, so that the grammar stays the single list to
extend; this module adds what a grammar cannot say: what each spelling means (≥ and 不低于 are both
>=, 平米 is 平方米, 万 alone is ambiguous). tests/test_indicator.py checks both sides agree.
"""

from __future__ import annotations

import functools
import re

from audit.indicators.constraint import Dimension
from audit.resources import grammar_text

GRAMMAR_FILE = "indicator.lark"

# Comparator spelling -> operator.  Keys must cover the grammar's COMPARATOR literals.
COMPARATORS: dict[str, str] = {
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
OCR_COMPARATORS = {"≪", "≫"}
# Comparator written after the quantity; None means "approximately" (左右).
SUFFIXES: dict[str, str | None] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
    "内": "<=", "以前": "<=", "之前": "<=", "前": "<=", "以后": ">=", "之后": ">=", "后": ">=",
    "左右": None,
}
# "before/after" suffixes turn a month/day/year into a calendar date (10月前 = by October).
DATE_SUFFIXES = {"以前", "之前", "前", "以后", "之后", "后"}
DATE_FROM_DURATION = {"月": "月份", "日": "号", "号": "号", "年": "年份"}

# Canonical spelling of units written in several ways; anything not listed is canonical as is.
_CANONICAL: dict[str, str] = {
    "百分比": "%", "百分百": "%",
    "h": "小时", "个工作日": "工作日", "个星期": "周", "星期": "周", "个季度": "季度", "个月": "月", "日": "天",
    "平米": "平方米", "m2": "平方米", "km2": "平方公里",
    "千米": "公里", "km": "公里", "m": "米", "cm": "厘米", "mm": "毫米",
    "公斤": "千克", "kg": "千克", "m3": "立方米",
}
SCALE_WORDS = {"万", "亿"}   # bare scale words: ambiguous (万元? 万人?)

NUMBER = r"\d+(?:,\d{3})*(?:\.[ \t]*\d+)?"       # as the grammar's NUMBER
# A date written in the 单位 slot of a text-described cell (12月31日前, 每月10日).
DATE_WORD = re.compile(r"^(?:每月)?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号])?(?:底)?(?:前|以前|之前)?$"
                       r"|^(?:每月)?\d{1,2}[日号](?:前|以前|之前)?$")


def canonical(word: str) -> str:
    """The one spelling of a unit word (平米 -> 平方米)."""
    return _CANONICAL.get(word, word)


@functools.lru_cache(maxsize=1)  # read from the shipped grammar: kept for the process
def unit_table() -> dict[str, Dimension]:
    """Unit word (as lexed, NFKC) -> dimension, read from the UNIT block of the grammar."""
    table: dict[str, Dimension] = {}
    inside = False
    for line in grammar_text(GRAMMAR_FILE).splitlines():
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


def terminal_literals(name: str) -> list[str]:
    """String literals of one terminal of the grammar (tests check the tables above against them)."""
    text = grammar_text(GRAMMAR_FILE)
    match = re.search(rf"^{name}:(.*?)(?=^\S|\Z)", text, re.M | re.S)
    if not match:
        return []
    body = "\n".join(line.split("//")[0] for line in match.group(1).splitlines())
    return re.findall(r'"([^"]+)"', body)


@functools.lru_cache(maxsize=1)  # read from the shipped grammar: kept for the process
def unit_regex() -> re.Pattern[str]:
    """Known unit words, longest first (for reading a unit out of free text)."""
    words = sorted(unit_table(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def is_cjk_word(word: str) -> bool:
    """Only CJK ideographs (U+3400–U+9FFF)."""
    return bool(word) and all("\u3400" <= ch <= "\u9fff" for ch in word)
