"""Chinese numerals both ways: read as the structure readers meet them (一 → 1, 十三 → 13,
一百零五 → 105), and written as Word numbers a list and a finding names a list item (105 → 一百零五,
110 → 一百一十). The writer serves Word's list labels (readers/wordlists.py) and the checks that name
the items a list is missing (T002/T003 in checks/structure.py, G rules in checks/goal_vs_table.py).
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"

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


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十 (counting, as Word's
    chineseCounting and a heading write it: 十 takes its 一 after 百); outside 1–999 the digits."""
    if n <= 0 or n >= 1000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else "零" + _DIGITS[rest] if rest < 10 else "一" + cn_numeral(rest) if rest < 20 else cn_numeral(rest)
    return _DIGITS[n // 100] + "百" + tail
