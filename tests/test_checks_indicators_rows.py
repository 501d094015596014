"""audit/checks/indicators/rows.py: each wording is judged once per rule, and the memo of wordings
never outlives the lexicons it was read against."""

from __future__ import annotations

from audit.checks.indicators.rows import NOT_APPLICABLE, PASSED, Wording, by_wording, verdicts
from audit.checks.indicators.values import _vacuous


def test_a_wording_is_judged_once_and_alike_for_every_row() -> None:
    from audit.facts.projects import Indicator
    from audit.indicator import parse_value
    from audit.model import Span

    span = Span(line=3, column=1)
    row = Indicator(level1="产出指标", level1_raw="产出指标", level1_source="cell", level2="质量指标",
                    level2_raw="质量指标", level3="验收合格率", description="", value=parse_value("≥0%"), basis="",
                    span=span, value_span=span, name_span=span, level2_span=span)
    wording = Wording(row)
    calls = []

    def judge(w):
        calls.append(w)
        return _vacuous(w)

    verdict_of = by_wording(judge)
    first = verdict_of(wording)
    assert first not in (PASSED, NOT_APPLICABLE)
    assert first == _vacuous(Wording(row))  # a fresh reading of the same words says the same
    assert verdict_of(wording) is first and calls == [wording]  # judged once


def test_placeholder_lexicon_extension_renews_the_verdicts(monkeypatch) -> None:
    from audit import lexicon

    memo = verdicts()
    monkeypatch.setattr(lexicon, "_EXTENSIONS", {})
    lexicon.extend("placeholders", {"empty_values": ["未定"]})
    try:
        assert verdicts() is not memo  # an I007/I008 verdict read against the old list is forgotten
    finally:
        lexicon._EXTENSIONS.clear()
        lexicon.lexicon.cache_clear()
        lexicon.indicator_schema.cache_clear()
        for cache in lexicon._DERIVED:
            cache.cache_clear()
