"""The table rules match each row name once; the memo must never change what is reported."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.checks import budget_tables
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
