"""The budget-table and narrative rules do work in proportion to the document: counted, not timed.

Timings flake on a busy machine; the number of identities evaluated and figures built does not. A
document repeated n times must cost n times one copy (a pass that looks every row or every identity up
again per row was quadratic here once: the code hierarchy, the ledger's diagnoses, the narrative's shares).
"""

from __future__ import annotations

from audit import arith, layout
from audit.checks import budget_tables
from audit.engine import Document, run_checks
from audit.facts import extract
from audit.rules import load_rules
from audit.source import from_bytes


def _document(text: str) -> Document:
    source = from_bytes(text.encode("utf-8"), "copies.txt")
    blocks = layout.blocks(source)
    return Document(source=source, blocks=blocks, facts=extract(blocks))


def _work(text: str, monkeypatch) -> tuple[int, int]:
    """(identities evaluated, figures built) by every B rule on one document."""
    counts = {"sums": 0, "figures": 0}
    check_sum, figure = arith.check_sum, budget_tables._figure

    def counted_sum(*args):
        counts["sums"] += 1
        return check_sum(*args)

    def counted_figure(*args, **kwargs):
        counts["figures"] += 1
        return figure(*args, **kwargs)

    monkeypatch.setattr(arith, "check_sum", counted_sum)
    monkeypatch.setattr(budget_tables, "_figure", counted_figure)
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
