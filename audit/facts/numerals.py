"""Chinese numerals as the structure readers meet them: 一 → 1, 十三 → 13, 一百零五 → 105."""

from __future__ import annotations




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
