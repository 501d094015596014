"""audit/analysis/readings.py: a document's indicator rows are read once and shared by its rules;
each wording is judged once per rule within a run; what one run (or one set of lexicons) learnt
is never seen by another."""

from __future__ import annotations

import pytest

from audit import lexicon
from audit.analysis import Analysis
from audit.analysis.readings import (
    FORWARDED,
    NOT_APPLICABLE,
    PASSED,
    WORDINGS,
    Wording,
    by_wording,
    is_real,
    readings,
    wording_kind,
)
from audit.checks.indicators.values import _vacuous
from audit.engine import CheckContext, load_kinds
from audit.memo import Memos, running
from audit.model import Evidence
from audit.pipeline import analyse
from audit.rules import RuleSet
from audit.source import from_text
from tests.indicator_tables import RULES, SOUND, document, replace

RULE_SET = RuleSet(list(RULES.values()))


@pytest.fixture
def fresh_lexicons(monkeypatch):
    """The shipped lexicons, read afresh, and forgotten again after the test's extensions."""
    monkeypatch.setattr(lexicon, "_EXTENSIONS", {})
    lexicon.reset()
    yield
    lexicon._EXTENSIONS.clear()
    lexicon.reset()


def run(rule_id: str, doc, memos: Memos | None = None) -> CheckContext:
    with running(memos or Memos()):
        ctx = CheckContext(RULES[rule_id], doc, Analysis(doc, RULE_SET))
        load_kinds()[RULES[rule_id].kind](ctx)
    return ctx


def read(doc, memos: Memos):
    """The document's readings in the run whose memo tables are `memos`."""
    with running(memos):
        return Analysis(doc, RULE_SET).readings


def _row(value: str):
    from audit.facts.projects import Indicator
    from audit.indicators import parse_value
    from audit.model import Span

    span = Span(line=3, column=1)
    return Indicator(level1="产出指标", level1_raw="产出指标", level1_source="cell", level2="质量指标",
                     level2_raw="质量指标", level3="验收合格率", description="", value=parse_value(value), basis="",
                     span=span, value_span=span, name_span=span, level2_span=span)


def test_a_wording_is_judged_once_and_alike_for_every_row() -> None:
    row = _row("≥0%")
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


def test_each_document_gets_its_own_readings():
    sound = analyse(from_text(document(SOUND)))
    vacuous = analyse(from_text(document(replace(SOUND, "培训合格率", value="≥0%"))))
    memos = Memos()  # one run, two documents
    for _ in range(2):  # alternate, so a reading kept from the other document would show
        assert run("I001", sound, memos).findings == []
        assert len(run("I001", vacuous, memos).findings) == 1
    ctx = CheckContext(RULES["I001"], sound, Analysis(sound, RULE_SET))
    assert readings(ctx)[0][1][1].indicator.value.raw == "≥95%"
    assert readings(ctx) is readings(ctx)  # read once, shared by the document's rules


def test_tallies_count_every_row():
    ctx = run("I001", analyse(from_text(document(replace(SOUND, "培训合格率", value="≥0%")))))
    tally = ctx.tally
    assert (tally.failed, tally.passed + tally.not_applicable) == (1, len(SOUND) - 1)


def test_documents_of_one_run_share_wordings_and_two_runs_share_nothing():
    one, other = (analyse(from_text(document(SOUND))) for _ in range(2))
    run_a, run_b = Memos(), Memos()
    first = read(one, run_a).rows
    second = read(other, run_a).rows
    elsewhere = read(other, run_b).rows
    assert all(a.wording is b.wording for (_, a), (_, b) in zip(first, second))
    assert not any(a.wording is b.wording for (_, a), (_, b) in zip(first, elsewhere))
    assert len(first) == len(SOUND)


def test_a_lexicon_extension_renews_the_run_s_wordings(fresh_lexicons):
    """Wordings and verdicts are read against the lexicons; extending one forgets them."""
    doc = analyse(from_text(document(SOUND)))
    memos = Memos()
    first = read(doc, memos)
    wordings = memos.table(WORDINGS)
    assert wordings
    lexicon.extend("polarity", {"neutral": ["培训合格"]})
    assert memos.table(WORDINGS) is not wordings and not memos.table(WORDINGS)
    again = read(doc, memos)
    assert not any(a.wording is b.wording for (_, a), (_, b) in zip(first.rows, again.rows))


def test_a_schema_alias_added_after_a_check_is_seen(fresh_lexicons):
    """Which 二级 names are known is asked of the current schema, never of a memo left from before
    an extension (a project's config adds aliases; a long-lived process may have checked already)."""
    doc = analyse(from_text(document([[*SOUND[0][:1], "自定二级", *SOUND[0][2:]], *SOUND[1:]])))
    odd = next(i for p in doc.facts.projects for i in p.indicators if i.level2_raw == "自定二级")
    memos = Memos()
    assert not is_real(odd)
    assert len(read(doc, memos).rows) == len(SOUND) - 1
    lexicon.extend("indicator_schema", {"level2_aliases": {"自定二级": "数量指标"}})
    assert is_real(odd)
    assert len(read(doc, memos).rows) == len(SOUND)


def test_a_reading_reads_its_wording_through():
    row = read(analyse(from_text(document(SOUND))), Memos()).rows[0][1]
    for name in FORWARDED:
        assert getattr(row, name) == getattr(row.wording, name), name
    assert row.label and row.quantitative is True


def test_a_wording_kind_judges_each_row_once_by_its_wording_and_reports_the_rest():
    judged: list[str] = []
    reported: list[str] = []

    def judge(wording: Wording):
        judged.append(wording.raw)
        return PASSED if wording.raw.startswith("≥9") else NOT_APPLICABLE if wording.raw == "≥0%" else wording.raw

    @wording_kind("test_wording_kind", judge)
    def finding(row, verdict):
        reported.append(verdict)
        return {"name": row.label}, Evidence(stated=row.raw)

    doc = analyse(from_text(document(replace(SOUND, "培训合格率", value="≥0%"))))
    try:
        with running(Memos()):
            ctx = CheckContext(RULES["I001"], doc, Analysis(doc, RULE_SET))
            load_kinds()["test_wording_kind"](ctx)
    finally:
        del load_kinds()["test_wording_kind"]
    rows = [row.raw for _, row in ctx.analysis.readings.rows]
    assert sorted(judged) == sorted(set(rows))  # once per distinct wording
    assert reported and reported == [r for r in rows if not r.startswith("≥9") and r != "≥0%"]
    assert ctx.tally.passed == sum(r.startswith("≥9") for r in rows)
    assert ctx.tally.not_applicable == 1
    assert [f.evidence.stated for f in ctx.findings] == reported
    assert [f.span for f in ctx.findings] == [row.indicator.value_span for _, row in ctx.analysis.readings.rows if row.raw in reported]
