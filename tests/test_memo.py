"""audit/memo.py: a run's memo tables — bounded, dropped when the lexicons change, pickled without
their entries, active only while the run audits — and lexicon.derived kept in them."""

from __future__ import annotations

import pickle
import threading

from audit import lexicon
from audit.memo import Memos, a_run, active, current, per_run, running


def test_a_table_is_bounded_and_starts_afresh(monkeypatch):
    memos = Memos()
    monkeypatch.setattr(Memos, "limit", 3)
    table = memos.table("t")
    table.update({1: 1, 2: 2, 3: 3})
    assert memos.table("t") is not table and memos.table("t") == {}
    assert memos.get("t", 4, lambda key: key * 2) == 8 and memos.get("t", 4, lambda key: 0) == 8


def test_an_extension_of_the_process_s_lexicons_drops_every_table(monkeypatch):
    monkeypatch.setattr(lexicon, "_EXTENSIONS", {})
    memos = Memos()
    memos.get("t", "k", lambda key: "v")
    try:
        lexicon.extend("polarity", {"neutral": ["某某"]})
        assert memos.table("t") == {}
    finally:
        lexicon._EXTENSIONS.clear()
        lexicon.reset()


def test_pickled_without_entries_but_with_the_run_s_lexicons():
    memos = Memos(lexicons={"units": [{"money_words": ["银元"]}]})
    memos.get("t", "k", lambda key: "v")
    copy = pickle.loads(pickle.dumps(memos))
    assert copy.table("t") == {} and copy.lexicons == memos.lexicons


def test_active_only_while_the_run_audits():
    memos = Memos()
    assert current() is None and active() is not active()  # outside a run: fresh, nothing kept
    with running(memos):
        assert current() is memos is active()
        with a_run() as inner:
            assert inner is memos  # within a run, its own
        seen = []
        thread = threading.Thread(target=lambda: seen.append(current()))
        thread.start()
        thread.join()
        assert seen == [None]  # another thread is not in this run
    assert current() is None
    with a_run() as alone:
        assert current() is alone and alone is not memos


def test_derived_answers_are_the_run_s():
    calls = []

    @per_run
    def words(name: str) -> tuple:
        calls.append(name)
        return tuple(lexicon.lexicon(name)["money_words"])

    assert words("units") == words("units") and len(calls) == 2  # outside a run: kept nowhere
    with running(Memos()):
        words("units")
        words("units")
        assert len(calls) == 3
    extra = Memos(lexicons={"units": [{"money_words": ["银元"]}]})
    with running(extra):
        assert "银元" in words("units") and len(calls) == 4  # another run: its own lexicons, its own answer
    with running(Memos()):
        assert "银元" not in words("units")
