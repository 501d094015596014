"""audit/model.py: spans, texts, tallies, evidence and findings — how they compare, dump and pickle.

Evidence is a plain dataclass whose JSON dump the reports print; the pydantic model it replaced is
kept here as the reference that dump must equal (test_evidence_dumps_as_the_pydantic_model_did).
"""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field

from audit.model import CheckTally, Evidence, FileReport, Finding, Severity, Span, Term, Text


def test_span_and_tally_keep_their_behaviour():
    a, b = Span(line=3, column=5, end_line=3, end_column=9), Span(line=2, column=1)
    assert a.cover(b) == Span(line=2, column=1, end_line=3, end_column=9)
    assert hash(a) == hash(Span(line=3, column=5, end_line=3, end_column=9))
    with pytest.raises(AttributeError):
        a.line = 4  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(a)) == a
    tally = CheckTally(passed=2)
    tally.merge(CheckTally(failed=1, insufficient_data=3))
    assert tally.as_dict() == {"passed": 2, "failed": 1, "not_applicable": 0, "insufficient_data": 3}
    report = FileReport(path="x", checks={"B001": tally})
    assert dataclasses.asdict(report)["checks"] == {"B001": tally.as_dict()}


def test_span_and_text_build_positionally_or_by_keyword():
    assert Span(3) == Span(line=3, column=1, end_line=None, end_column=None)
    assert Span(3, 4, 5, 6) == Span(line=3, column=4, end_line=5, end_column=6)
    assert dataclasses.astuple(Span(3, 4, end_column=9)) == (3, 4, None, 9)
    assert Text("中", "en") == Text(zh="中", en="en") and hash(Text("中", "en")) == hash(Text(zh="中", en="en"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        Span(1).line = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        Text("a", "b").zh = "c"
    with pytest.raises(TypeError):
        Span()
    with pytest.raises(TypeError):
        Text("only one")


class OldText(BaseModel):
    model_config = ConfigDict(frozen=True)

    zh: str
    en: str


class OldTerm(BaseModel):
    label: str
    value: str
    line: int | None = None
    column: int | None = None
    sign: int = 1


class OldEvidence(BaseModel):
    """The pydantic Evidence this module had, whose JSON dump the reports print."""

    stated: str | None = None
    computed: str | None = None
    difference: str | None = None
    tolerance: str | None = None
    terms: list[OldTerm] = Field(default_factory=list)
    diagnosis: OldText | str | None = None
    values: dict[str, Any] = Field(default_factory=dict)

    def dump(self, lang: str) -> dict[str, Any]:
        out = self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        if self.diagnosis is not None:
            diagnosis = self.diagnosis
            out["diagnosis"] = diagnosis.get(lang) if isinstance(diagnosis, Text) else (
                (diagnosis.en if lang == "en" else diagnosis.zh) if isinstance(diagnosis, OldText) else diagnosis
            )
        return out


texts = st.text(max_size=6)
maybe = st.none() | texts
leaf = (
    st.none()
    | texts
    | st.integers(-(10**12), 10**12)
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
    | st.sampled_from(list(Severity))
    | st.builds(Text, zh=texts, en=texts)
)
values = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3)
    | st.tuples(inner, inner)
    | st.dictionaries(texts | st.integers(0, 9), inner, max_size=3),
    max_leaves=8,
)
terms = st.builds(
    Term,
    label=texts,
    value=texts,
    line=st.none() | st.integers(0, 99),
    column=st.none() | st.integers(0, 99),
    sign=st.sampled_from([1, -1, 0]),
)
evidences = st.builds(
    Evidence,
    stated=maybe,
    computed=maybe,
    difference=maybe,
    tolerance=maybe,
    terms=st.lists(terms, max_size=3),
    diagnosis=st.none() | texts | st.builds(Text, zh=texts, en=texts),
    values=st.dictionaries(texts, values, max_size=4),
)


def _old(evidence: Evidence) -> OldEvidence:
    def pydantic_value(value):  # Text inside values was a pydantic model too
        if isinstance(value, Text):
            return OldText(zh=value.zh, en=value.en)
        if isinstance(value, dict):
            return {k: pydantic_value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(pydantic_value(v) for v in value)
        return value

    diagnosis = evidence.diagnosis
    return OldEvidence(
        stated=evidence.stated,
        computed=evidence.computed,
        difference=evidence.difference,
        tolerance=evidence.tolerance,
        terms=[OldTerm(**t.as_dict()) for t in evidence.terms],
        diagnosis=OldText(zh=diagnosis.zh, en=diagnosis.en) if isinstance(diagnosis, Text) else diagnosis,
        values=pydantic_value(evidence.values),
    )


@settings(max_examples=300, deadline=None)
@given(evidences, st.sampled_from(["zh", "en"]))
def test_evidence_dumps_as_the_pydantic_model_did(evidence, lang):
    assert evidence.dump(lang) == _old(evidence).dump(lang)


def test_evidence_dump_of_sets_and_decimals():
    evidence = Evidence(values={"set": {3}, "money": Decimal("1.50"), "nan": float("nan"), "keys": {1: "a"}})
    assert evidence.dump("zh") == {"values": {"set": [3], "money": "1.50", "nan": None, "keys": {"1": "a"}}}


def _finding(**changes) -> Finding:
    fields = dict(
        rule="B001",
        severity=Severity.ERROR,
        message=Text(zh="合计不符", en="total mismatch"),
        span=Span(line=3, column=2, end_line=3, end_column=9),
        evidence=Evidence(stated="1", computed="2", terms=[Term(label="a", value="1", line=3, column=2, sign=-1)]),
        suggestion=Text(zh="核对", en="check"),
        subject="表一",
        related=[Span(line=4)],
        fingerprint="f" * 32,
        snippet="合计 1",
    )
    return Finding(**{**fields, **changes})


def test_models_compare_by_value_and_keep_defaults():
    assert _finding() == _finding()
    assert _finding() != _finding(evidence=None) and _finding() != _finding(fingerprint="")
    assert Text(zh="a", en="b") == Text(zh="a", en="b") and hash(Text(zh="a", en="b")) == hash(Text(zh="a", en="b"))
    with pytest.raises(AttributeError):
        Text(zh="a", en="b").zh = "c"  # type: ignore[misc]
    assert Evidence() == Evidence() and Evidence().terms is not Evidence().terms
    bare = Finding(rule="X001", severity=Severity.INFO, message=Text(zh="", en=""), span=Span(line=1))
    assert (bare.evidence, bare.suggestion, bare.subject, bare.related, bare.fingerprint, bare.snippet) == (None, None, None, [], "", "")
    report = FileReport(path="a.txt")
    assert (report.encoding, report.error, report.findings, report.facts, report.checks, report.lines, report.projects) == (
        None, None, [], {}, {}, [], []
    ) and report.ok


def test_a_file_report_pickles_whole_and_small():
    report = FileReport(
        path="a.txt",
        encoding="utf-8",
        findings=[_finding() for _ in range(50)],
        facts={"tables": 2},
        checks={"B001": CheckTally(passed=3, failed=50)},
        lines=["第一行", "第二行"],
        projects=[{"name": "p", "line": 1, "budget": None, "schedule": []}],
    )
    data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
    assert pickle.loads(data) == report
    assert len(data) < 150 * 50  # a finding is its values, not field names and pydantic bookkeeping
