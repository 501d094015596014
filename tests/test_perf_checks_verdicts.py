"""The indicator rules judge each wording once and the table rules match each row name once; the
memos must never change what is reported, nor outlive the lexicons they were read against."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.checks import budget_tables
from audit.checks.indicators import PASSED, NOT_APPLICABLE, Wording, _vacuous, verdicts
from audit.facts.tables import clean


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="合计小收入支出总(境)费", max_size=8), min_size=1, max_size=30))
def test_row_names_match_as_the_patterns_do(names: list[str]) -> None:
    patterns = ("合计", "收入总计", "因公出国\\(境\\)费", "支出.*")
    compiled = [re.compile(clean(p)) for p in patterns]
    matcher = budget_tables.RowNames(patterns)
    for name in names + names:  # the second time from the memo
        assert matcher.match(name) == any(p.fullmatch(name) for p in compiled)


def test_row_names_memo_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(budget_tables, "_SEEN_LIMIT", 4)
    matcher = budget_tables.RowNames(("合计",))
    for k in range(20):
        assert matcher.match(f"{k}") is False
        assert len(matcher._seen) <= 4
    assert matcher.match("合计") is True


def test_a_wording_is_judged_once_and_alike_for_every_row(monkeypatch) -> None:
    from audit.facts.projects import Indicator
    from audit.indicator import parse_value
    from audit.model import Span

    span = Span(line=3, column=1)
    row = Indicator(level1="产出指标", level1_raw="产出指标", level1_source="cell", level2="质量指标",
                    level2_raw="质量指标", level3="验收合格率", description="", value=parse_value("≥0%"), basis="",
                    span=span, value_span=span, name_span=span, level2_span=span)
    wording = Wording(row)
    first = wording.vacuous
    assert first not in (PASSED, NOT_APPLICABLE)
    assert first == _vacuous(Wording(row))  # a fresh reading of the same words says the same
    calls = []
    monkeypatch.setattr("audit.checks.indicators._vacuous", lambda w: calls.append(w))
    assert wording.vacuous is first and not calls  # judged once


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
