"""The speed-ups in the indicator rules share readings and memoise verdicts; they must never carry
a verdict over to a document or a lexicon it was not read from."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import lexicon
from audit.analysis import Analysis
from audit.rules import RuleSet
from audit.engine import load_kinds
from audit.checks.indicators import readings, verdicts
from audit.engine import CheckContext
from audit.facts.projects import _squash, _squashed_row, _squashed_rows
from audit.layout import Cell, Row, Text
from audit.pipeline import analyse
from audit.resources import data_dir
from audit.rules import load_rule_file
from audit.source import from_text

from tests.indicator_tables import SOUND, document, replace

RULES = {r.id: r for r in load_rule_file(data_dir("rules") / "indicators.yaml")}


def run(rule_id: str, doc) -> CheckContext:
    ctx = CheckContext(RULES[rule_id], doc, Analysis(doc, RuleSet(list(RULES.values()))))
    load_kinds()[RULES[rule_id].kind](ctx)
    return ctx


def test_each_document_gets_its_own_readings():
    sound = analyse(from_text(document(SOUND)))
    vacuous = analyse(from_text(document(replace(SOUND, "培训合格率", value="≥0%"))))
    for _ in range(2):  # alternate, so a reading kept from the other document would show
        assert run("I001", sound).findings == []
        assert len(run("I001", vacuous).findings) == 1
    assert readings(CheckContext(RULES["I001"], sound, Analysis(sound, RuleSet(list(RULES.values())))))[0][1][1].indicator.value.raw == "≥95%"


def test_tallies_are_counted_as_before():
    ctx = run("I001", analyse(from_text(document(replace(SOUND, "培训合格率", value="≥0%")))))
    tally = ctx.tally
    assert (tally.failed, tally.passed + tally.not_applicable) == (1, len(SOUND) - 1)


def test_a_lexicon_extension_drops_shared_readings(monkeypatch):
    """Readings and verdicts are tied to the lexicon objects; extending a lexicon replaces them."""
    doc = analyse(from_text(document(SOUND)))
    ctx = CheckContext(RULES["I001"], doc, Analysis(doc, RuleSet(list(RULES.values()))))
    monkeypatch.setattr(lexicon, "_EXTENSIONS", {})
    lexicon.lexicon.cache_clear()
    lexicon.indicator_schema.cache_clear()
    try:
        first = readings(ctx)
        assert readings(ctx) is first  # shared by the rules run on one document
        memo = verdicts()
        lexicon.extend("polarity", {"neutral": ["培训合格"]})
        assert readings(ctx) is not first
        assert verdicts() is not memo
    finally:
        lexicon._EXTENSIONS.clear()
        lexicon.lexicon.cache_clear()
        lexicon.indicator_schema.cache_clear()


def test_a_row_is_squashed_as_its_cells_are():
    texts = ["项目 名称", "", " 培训\n经费 ", "≥ 95 %"]
    row = Row([Cell(t, Text(), 1) for t in texts], 1, 1)
    assert _squashed_row(row).split("\0") == [_squash(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="项目 名称\n\t\0\1\x1c9%", max_size=6), max_size=4), max_size=5))
def test_a_table_is_squashed_as_its_rows_are(grid):
    rows = [Row([Cell(t, Text(), 1) for t in texts], 1, 1) for texts in grid]
    assert _squashed_rows(rows) == [_squashed_row(row) for row in rows]


def test_a_schema_alias_added_after_a_check_is_seen(monkeypatch):
    """Which 二级 names are known is asked of the current schema, never of a cache left from before
    an extension (a project's config adds aliases; a long-lived process may have checked already)."""
    from audit.checks.indicators import is_real

    monkeypatch.setattr(lexicon, "_EXTENSIONS", {})
    lexicon.lexicon.cache_clear()
    lexicon.indicator_schema.cache_clear()
    doc = analyse(from_text(document([[*SOUND[0][:1], "自定二级", *SOUND[0][2:]], *SOUND[1:]])))
    odd = next(i for p in doc.facts.projects for i in p.indicators if i.level2_raw == "自定二级")
    try:
        assert not is_real(odd)
        lexicon.extend("indicator_schema", {"level2_aliases": {"自定二级": "数量指标"}})
        assert is_real(odd)
    finally:
        lexicon._EXTENSIONS.clear()
        lexicon.lexicon.cache_clear()
        lexicon.indicator_schema.cache_clear()
