"""audit/analysis/tables.py and identities.py: the table index and the identities the table rules
build from it. Row names are matched once per name (the memo must never change the answer), each
cell becomes one Figure per document, and the work grows in proportion to the document (counted,
not timed: a pass that looked every row or identity up again per row was quadratic here once)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import arith, layout
from audit.analysis import tables
from audit.engine import Document, run_checks
from audit.facts import extract
from audit.facts.tables import clean
from audit.rules import load_rules
from audit.source import from_bytes


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="合计小收入支出总(境)费", max_size=8), min_size=1, max_size=30))
def test_row_names_match_as_the_patterns_do(names: list[str]) -> None:
    patterns = ("合计", "收入总计", "因公出国\\(境\\)费", "支出.*")
    compiled = [re.compile(clean(p)) for p in patterns]
    matcher = tables.RowNames(patterns)
    for name in names + names:  # the second time from the memo
        assert matcher.match(name) == any(p.fullmatch(name) for p in compiled)


def test_row_names_memo_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(tables, "_SEEN_LIMIT", 4)
    matcher = tables.RowNames(("合计",))
    for k in range(20):
        assert matcher.match(f"{k}") is False
        assert len(matcher._seen) <= 4
    assert matcher.match("合计") is True


def _document(text: str) -> Document:
    source = from_bytes(text.encode("utf-8"), "copies.txt")
    blocks = layout.blocks(source)
    return Document(source=source, blocks=blocks, facts=extract(blocks))


def _work(text: str, monkeypatch) -> tuple[int, int]:
    """(identities evaluated, figures built) by every B rule on one document."""
    counts = {"sums": 0, "figures": 0}
    check_sum, figure = arith.check_sum, tables.cell_figure

    def counted_sum(*args):
        counts["sums"] += 1
        return check_sum(*args)

    def counted_figure(*args, **kwargs):
        counts["figures"] += 1
        return figure(*args, **kwargs)

    monkeypatch.setattr(arith, "check_sum", counted_sum)
    monkeypatch.setattr(tables, "cell_figure", counted_figure)
    rules = load_rules()
    run_checks(_document(text), rules, {r.id for r in rules if r.id.startswith("B")})
    monkeypatch.undo()
    return counts["sums"], counts["figures"]


def test_table_rules_work_in_proportion_to_copies(seed, monkeypatch):
    text = seed("004").read_text(encoding="utf-8")
    sums, figures = _work(text, monkeypatch)
    assert sums > 50 and figures > 100  # the seed holds budget tables that add up
    more_sums, more_figures = _work("\n\n".join([text] * 4), monkeypatch)
    assert more_sums <= 4.5 * sums, (sums, more_sums)
    assert more_figures <= 4.5 * figures, (figures, more_figures)


def test_each_cell_becomes_one_figure_per_document(seed, monkeypatch):
    """B007, B008 and B009 read the same cells: each is turned into a Figure once, and each rule's
    identities are evaluated once although the ledger asks for them too."""
    text = seed("004").read_text(encoding="utf-8")
    _, figures = _work(text, monkeypatch)
    document = _document(text)
    cells = sum(len(row.cells) for table in document.facts.tables for row in table.rows)
    assert figures <= 2 * cells  # at most once as printed and once in 万元
