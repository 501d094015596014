"""Chinese numerals both ways (audit/facts/numerals.py): the one writer serves Word's list labels and
the findings that name a missing list item, so both write 110 as 一百一十, as a heading does."""

from __future__ import annotations

from audit.facts.numerals import cn_number, cn_numeral

_ONES = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]


def _spelled(n: int) -> str:
    """1–120 spelled out by the textbook rule, digit by digit (independent of the writer's branches)."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    if not hundreds:
        return ("" if tens <= 1 else _ONES[tens]) + ("十" if tens else "") + _ONES[ones]
    if not tens:
        return _ONES[hundreds] + "百" + ("零" + _ONES[ones] if ones else "")
    return _ONES[hundreds] + "百" + _ONES[tens] + "十" + _ONES[ones]


def test_one_to_one_hundred_twenty():
    written = [cn_numeral(n) for n in range(1, 121)]
    assert written == [_spelled(n) for n in range(1, 121)]
    assert written[9:12] == ["十", "十一", "十二"] and written[104:112] == [
        "一百零五", "一百零六", "一百零七", "一百零八", "一百零九", "一百一十", "一百一十一", "一百一十二"]
    assert [cn_number(w) for w in written] == list(range(1, 121))


def test_outside_what_a_list_counts_is_digits():
    assert (cn_numeral(0), cn_numeral(-3), cn_numeral(1000)) == ("0", "-3", "1000")
