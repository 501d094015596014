"""audit/indicators/vocabulary.py: the meaning of every word the grammar lexes."""

from __future__ import annotations

from audit.indicators.constraint import Dimension
from audit.indicators.vocabulary import COMPARATORS, SUFFIXES, canonical, terminal_literals, unit_table


def test_tables_cover_grammar():
    """Every comparator / suffix / unit the grammar lexes has a meaning here, and nothing more."""
    assert set(terminal_literals("COMPARATOR")) == set(COMPARATORS)
    assert set(terminal_literals("SUFFIX")) == set(SUFFIXES)
    units = unit_table()
    assert set(terminal_literals("UNIT")) == set(units)
    assert units["百分比"] is Dimension.PERCENT and units["万元"] is Dimension.MONEY
    assert units["个工作日"] is Dimension.DURATION and units["月份"] is Dimension.DATE


def test_canonical_spellings_are_units_of_the_same_dimension():
    units = unit_table()
    for word in units:
        spelled = canonical(word)
        if spelled in units:
            assert units[spelled] is units[word], word
    assert canonical("平米") == "平方米" and canonical("人次") == "人次"
