"""Spacing that PDF text carries and a printed page does not show.

PDF writers place CJK text and figures as separate runs, so extracted text reads `2019 年`,
`增长 0.06 %`, `江 苏 省`; and a cell or paragraph wrapped over several lines must join without a
space between Chinese characters but with one between Latin words.
"""

from __future__ import annotations

import re

_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_BETWEEN_CJK_AND_LATIN = re.compile(rf"(?<=[{_CJK}]) +(?=[0-9A-Za-z%.．(（\-])|(?<=[0-9A-Za-z%.)）]) +(?=[{_CJK}])")
_SPACED_OUT = re.compile(rf"[{_CJK}](?: [{_CJK}]){{3,}}")  # 江 苏 省 人 民: a justified line
_BEFORE_PERCENT = re.compile(r"(?<=\d) +(?=[%％])")
_INSIDE_NUMBER = re.compile(r"(?<=\d) +(?=[.,]\d)|(?<=\d[.,]) +(?=\d)")


def fix_spacing(text: str) -> str:
    """Remove the spaces a PDF puts between CJK and digits, in a spaced-out CJK run, before %
    and inside a figure; spaces between Latin words and between two figures stay."""
    if " " not in text:
        return text
    text = _SPACED_OUT.sub(lambda m: m.group().replace(" ", ""), text)
    text = _BETWEEN_CJK_AND_LATIN.sub("", text)
    text = _BEFORE_PERCENT.sub("", text)
    return _INSIDE_NUMBER.sub("", text)


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum()


def join_wrapped(lines: list[str]) -> str:
    """Lines of one wrapped cell or paragraph as one text: a space only between Latin words."""
    out = ""
    for line in lines:
        if out and _latin_end(out) and line[:1].isascii() and line[:1].isalpha():
            out += " "
        out += line
    return out
