"""What an indicator's name says, read against the lexicons: which way it should point (polarity,
正向/逆向) and what kind of unit it calls for (unit classes: a rate, a count, a duration …).

Knowledge about indicators, not a check: the indicator readings (audit/analysis/readings.py) read
it for the I and cost rules. The keyword lists are data (rules/lexicons/polarity.yaml, units.yaml),
read as they are now: nothing is memoised here (a row's answers are kept with its wording, in the
run's memo tables).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from audit.indicators.constraint import Dimension
from audit.lexicon import lexicon


def squash(text: str | None) -> str:
    """NFKC, no whitespace: the form keywords are matched on."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def contains(text: str, words) -> str | None:
    """The first of `words`, in their order, found in `text`."""
    for word in words:  # a plain loop: a generator costs twice as much on every new name
        if word in text:
            return word
    return None


# --- polarity (正向/逆向) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Polarity:
    direction: str  # "higher" | "lower" | "decline"
    keyword: str
    source: str  # the text it was read from
    generic: bool = False  # read only from a 率 ending, not from a listed keyword


def _polarity_of(text: str, duration: bool) -> Polarity | str | None:
    """One name → Polarity, "ambiguous", or None (says nothing)."""
    lex = lexicon("polarity")
    if not text:
        return None
    if duration:
        word = contains(text, lex["lower_durations"])
        return Polarity("lower", word, text) if word else None
    if contains(text, lex["neutral"]):
        return None
    word = contains(text, lex["decline"])
    if word:
        return Polarity("decline", word, text)
    word = contains(text, lex["lower_rates"])
    if word:
        return "ambiguous" if contains(text, lex["decrease_verbs"]) else Polarity("lower", word, text)
    if contains(text, lex["negative_sense"]):
        return None
    word = contains(text, lex["higher"])
    if word:
        return Polarity("higher", word, text)
    head = strip_bracket(text)
    suffix = lex.get("rate_suffix")
    if suffix and head.endswith(suffix) and not any(head.endswith(x) for x in lex.get("rate_suffix_exclude", ())):
        return Polarity("higher", clip(head, 12), text, generic=True)
    return None


def polarity_of_names(level3: str, description: str, dimension: Dimension) -> Polarity | None:
    """Which way an indicator should point, judged only where the unit lets a direction be read:
    rates on percentages (or unitless values), timeliness on durations. The name (三级指标) is
    read first; the description only when the name says nothing; an ambiguous name says nothing."""
    return polarity_of_squashed(squash(level3), squash(description), dimension)


def polarity_of_squashed(level3: str, description: str, dimension: Dimension) -> Polarity | None:
    if dimension in (Dimension.PERCENT, Dimension.NONE):
        duration = False
    elif dimension is Dimension.DURATION:
        duration = True
    else:
        return None
    for text in (level3, description):
        found = _polarity_of(text, duration)
        if found == "ambiguous":
            return None
        if found is not None:
            return found
    return None


# --- unit classes ----------------------------------------------------------------------------


_BRACKET = re.compile(r"\(([^()]{0,6})\)?$")


def strip_bracket(text: str) -> str:
    """培训人员数(名) → 培训人员数: a trailing bracketed unit is not part of the name's head."""
    match = _BRACKET.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


def head_classes(text: str) -> tuple[str, ...]:
    """Unit classes of one name, read from its head: a keyword that ends it, or a unit in brackets."""
    units = lexicon("units")
    found: list[str] = []
    if "/" in text or "÷" in text:
        return ("rate",)  # 满意数/总调查人数: a fraction is a rate, whatever its last word
    match = _BRACKET.search(text)
    if match and match.start() > 0:
        inside = match.group(1)
        found += [name for name, words in units["bracket_units"].items() if inside in words]
        text = text[: match.start()]
    for name, spec in units["classes"].items():
        if text.endswith(tuple(spec["keywords"])) and name not in found:
            found.append(name)
    return tuple(found)


def unit_classes_of(level3: str, description: str) -> list[str]:
    """The classes of the name (三级指标), plus those of the description (alone when the name
    has none)."""
    return unit_classes_of_squashed(squash(level3), squash(description))


def unit_classes_of_squashed(level3: str, description: str) -> list[str]:
    found = list(head_classes(level3))
    found += [c for c in head_classes(description) if c not in found]
    return found
