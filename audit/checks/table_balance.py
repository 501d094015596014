"""B001 — the 收支总表 balances: each total is this year's sum plus the carry-over, income = expenditure."""

from __future__ import annotations

from functools import partial

from audit import arith
from audit.engine import CheckContext, kind
from audit.model import Text
from audit.checks.budget_tables import GENERATORS, Identity, Outcome, Scope, _find, _identities, _main_column, _row_name, _sum_outcome, _summable, _tables, _where
from audit.checks.table_ledger import settle


# --- B001: balances of the 收支总表 ----------------------------------------------------------------


def _balances(scope: Scope) -> list[Identity] | None:
    tables = _tables(scope, scope.params.get("tables", []))
    if not tables:
        return None
    prefer = scope.params.get("columns", ["amount", "total"])
    identities: list[Identity] = []
    for table in tables:
        for spec in scope.params.get("sums", []):
            found = _find(table, spec["total"])
            if found is None:
                continue
            panel, total = found
            identity = Identity(table.title)
            identities.append(identity)
            first = _find(table, spec["parts"][0])
            if first is None or first[0] is not panel:
                continue  # 本年收入合计 not found beside 收入总计: insufficient data
            parts = [first, *(p for names in spec["parts"][1:] if (p := _find(table, names)) and p[0] is panel)]
            parts_text = Text(zh=" + ".join(_row_name(r) for _, r in parts), en=" + ".join(_row_name(r) for _, r in parts))
            for column in _summable(panel):
                outcome = _sum_outcome(scope.shared, table, panel, total, [r for _, r in parts], column, parts_text)
                if outcome:
                    identity.outcomes.append(outcome)
        for spec in scope.params.get("equal", []):
            a, b = _find(table, spec[0]), _find(table, spec[1])
            if a is None or b is None:
                continue
            identity = Identity(table.title)
            identities.append(identity)
            ca, cb = _main_column(a[0], a[1], prefer), _main_column(b[0], b[1], prefer)
            if ca is None or cb is None:
                continue
            fa, fb = a[1].cells[ca.index], b[1].cells[cb.index]
            result = arith.check_sum(scope.shared.figure(table, a[1], ca, fa), [scope.shared.figure(table, b[1], cb, fb)])
            identity.outcomes.append(Outcome(result, fa.span, partial(_where, table, a[1], ca),
                                             partial(_where, table, b[1], cb, with_table=False), related=[fb.span]))
    return identities


@kind("table_balance")
def table_balance(ctx: CheckContext) -> None:
    """B001: 收入总计 = 本年收入合计 + 上年结转结余; 支出总计 likewise; 收入总计 = 支出总计."""
    settle(ctx, _identities(ctx.document, ctx.params, _balances))


GENERATORS["table_balance"] = _balances
