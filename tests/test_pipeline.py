"""audit/pipeline.py: the per-file pipeline keeps the process as it found it — the cyclic GC it
pauses while a file is read comes back, also when the file raises."""

from __future__ import annotations

import gc

import pytest

from audit import pipeline
from audit.rules import load_rules
from audit.source import from_text


def _audit(text: str = "一、部门职责\n本部门负责预算编制。\n"):
    rules = load_rules()
    return pipeline.audit_source(from_text(text), rules, pipeline.Options(selected={r.id for r in rules}))


def test_gc_is_paused_during_a_file_and_back_after():
    assert gc.isenabled()
    seen = []
    real = pipeline.analyse
    try:
        pipeline.analyse = lambda source: (seen.append(gc.isenabled()), real(source))[1]
        report = _audit()
    finally:
        pipeline.analyse = real
    assert seen == [False] and gc.isenabled() and report.ok


def test_gc_comes_back_when_a_file_raises(monkeypatch):
    def boom(source):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "analyse", boom)
    with pytest.raises(RuntimeError):
        _audit()
    assert gc.isenabled()


def test_gc_left_off_when_the_caller_turned_it_off():
    gc.disable()
    try:
        _audit()
        assert not gc.isenabled()
    finally:
        gc.enable()
