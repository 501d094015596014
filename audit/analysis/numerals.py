"""Chinese numerals as a finding writes them (13 → 十三, 105 → 一百零五): the numbers a list is
missing, a sub-goal's （三）. The inverse of the reader's `audit.facts.numerals.cn_number`, shared by
the checks that name list items (T002/T003 in checks/structure.py, G rules in checks/goal_vs_table.py).
"""

from __future__ import annotations

_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """13 → 十三, 20 → 二十, 105 → 一百零五 (for printing the numbers a list is missing)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = _CN_DIGITS[n // 100] + "百"
    if not rest:
        return head
    return head + ("零" if rest < 10 else "") + (cn_numeral(rest) if rest >= 10 else _CN_DIGITS[rest])
