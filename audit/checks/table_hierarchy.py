"""B009 — classification codes add up: a 类 row is the sum of its 款 rows, a 款 row of its 项 rows."""

from __future__ import annotations

from functools import partial

from audit.engine import CheckContext, kind
from audit.facts.tables import TableRow
from audit.model import Text
from audit.checks.budget_tables import GENERATORS, Identity, Scope, _except, _identities, _sum_outcome, _summable, _tables
from audit.checks.table_ledger import settle


# --- B009: classification-code hierarchy ----------------------------------------------------------


def _hierarchy(scope: Scope) -> list[Identity] | None:
    identities: list[Identity] = []
    for table in _tables(scope, scope.params.get("tables", [])):
        for panel in table.panels:
            coded = [r for r in panel.rows if r.code]
            counts: dict[str, int] = {}
            below: dict[tuple[str | None, str], list[TableRow]] = {}  # (domain, parent code) → rows one level down
            by_length: dict[int, list[TableRow]] = {}
            for r in coded:
                counts[r.code] = counts.get(r.code, 0) + 1
                below.setdefault((r.domain, r.code[:-2]), []).append(r)
                by_length.setdefault(len(r.code), []).append(r)
            for row in coded:
                if counts[row.code] > 1:
                    continue  # the same code twice: which one is the parent is unclear
                children = below.get((row.domain, row.code), [])
                if not children:
                    continue
                level = {3: ("类", "款"), 5: ("款", "项")}.get(len(row.code), ("", ""))
                parts = Text(zh=f"所属{level[1]}级科目之和", en="the sum of its sub-items")
                identity = Identity(table.title)
                taken = {id(row), *map(id, children)}
                others = partial(_except, by_length[len(children[0].code)], taken)
                for column in _summable(panel):
                    outcome = _sum_outcome(scope.shared, table, panel, row, children, column, parts, others)
                    if outcome:
                        identity.outcomes.append(outcome)
                identities.append(identity)
    return identities or None


@kind("table_hierarchy")
def table_hierarchy(ctx: CheckContext) -> None:
    """B009: a 类 row is the sum of its 款 rows, a 款 row of its 项 rows (经济分类: 301 ⊃ 30101)."""
    settle(ctx, _identities(ctx.document, ctx.params, _hierarchy))


GENERATORS["table_hierarchy"] = _hierarchy
