"""B007's identities: a quantity shown in two places (two tables, or a table and the narrative)
agrees — equal, or a part within its whole (`le`). Declared as `agreements` in the rule's params."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial
from typing import Any, Callable, Iterator

from audit import arith
from audit.analysis.narrative import name
from audit.analysis.tables import Identity, Outcome, Scope, TableIndex, at_most, matches, names, tables_of, where
from audit.arith import Figure, IdentityResult
from audit.facts.table_model import table_lexicon
from audit.facts.tables import BudgetTable, Panel, TableRow
from audit.model import Span, Text


def _selected(table: BudgetTable, side: dict[str, Any]) -> list[tuple[Panel, TableRow]]:
    panels = [p for p in table.panels if side.get("side") in (None, p.side)]
    rows = side.get("rows", "named")
    wanted = names(side.get("row", []))
    out: list[tuple[Panel, TableRow]] = []
    for panel in panels:
        for row in panel.rows:
            if rows == "named" and not row.code and matches(row, wanted):
                out.append((panel, row))
            elif rows == "codes" and row.code:
                out.append((panel, row))
            elif rows == "classes" and row.code and len(row.code) == 3:
                out.append((panel, row))
            elif rows == "items" and not row.code and row.kind == "item":
                out.append((panel, row))
    return out


_RELATIONS = {
    "eq": Text(zh="不一致", en="disagree"),
    "le": Text(zh="前者超过了后者（前者是后者的一部分）", en="the first exceeds the second, of which it is a part"),
}


def _key(row: TableRow, match: str) -> str:
    return row.code if match == "code" else _BRACKETS.sub("", row.name)


_BRACKETS = re.compile(r"[()（）]")


_LABEL_PUNCTUATION = re.compile(r"[\s:：,，、;；]+")


def _narrative(scope: Scope, concept: str) -> tuple[Figure, Span, Text] | None | bool:
    """This year's level of a narrative concept stated once (False when the narrative gives two values)."""
    nodes = scope.index.levels(concept)
    if not nodes:
        return None
    if len({n.level.in_wan for n in nodes}) > 1:
        return False
    node = nodes[0]
    amount = node.level
    scale = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}[amount.unit]
    label = _LABEL_PUNCTUATION.sub("", name(node) if node.label else node.raw_label)[-20:]
    figure = Figure(shown=amount.value, label=f"说明 {label}", span=amount.span, scale=scale)
    where = Text(zh=f"说明部分「{label}」", en=f"the narrative's \"{label}\"")
    return figure, amount.span, where


def _candidates(scope: Scope, side: dict[str, Any], group: int | None) -> list[tuple[Figure, Span, Text | Callable[[], Text]]] | bool:
    """Every reading of one side of an agreement, in order of preference (False: ambiguous). Table
    readings come from one set of tables (`group`), or from all when `group` is None."""
    if "narrative" in side:
        found = _narrative(scope, side["narrative"])
        if found is False:
            return False
        return [found] if found else []
    out = []
    kinds = side["table"] if isinstance(side["table"], list) else [side["table"]]
    for table_kind in kinds:
        for table in scope.index.in_group(table_kind, group):
            for panel, row in _selected(table, side):
                for key in side["column"]:
                    column = panel.column(key)
                    if column is None or column.uncertain or column.index not in row.cells:
                        continue
                    value = row.cells[column.index]
                    out.append((scope.index.figure(table, row, column, value, scale=True), value.span,
                                partial(where, table, row, column, printed=value)))
    return out


def _compare(a: Figure, b: Figure, relation: str) -> IdentityResult:
    """a = b on intervals, or a ≤ b (a part within its whole: fails only beyond rounding)."""
    if relation == "le":
        return IdentityResult(a, (b,), at_most(a, b), a.value, b.value, a.value - b.value, a.half + b.half)
    return arith.check_sum(a, [b])


def _single(scope: Scope, spec: dict[str, Any], what: Text, relation: str) -> Iterator[Identity]:
    """One quantity on each side; the first reading of `a` must agree with some reading of `b`. Two
    tables are compared within one set of tables (a 部门 file may hold each unit's set); the narrative
    speaks for the whole file, so it is compared only when the file holds one set."""
    narrative = "narrative" in spec["a"] or "narrative" in spec["b"]
    groups = sorted({t.group for t in scope.index.tables})
    for group in [None] if narrative else groups:
        side_a, side_b = _candidates(scope, spec["a"], group), _candidates(scope, spec["b"], group)
        if side_a == [] or side_b == []:
            continue  # one side absent: not applicable
        identity = Identity(spec["what"]["zh"])
        yield identity
        if side_a is False or side_b is False:
            continue  # the narrative states two values: insufficient data
        if narrative and len(groups) > 1:
            continue  # several units' tables: which one the narrative means is unclear
        if spec.get("skip_zero") and any(f.value == 0 for f, _, _ in (*side_a[:1], *side_b[:1])):
            continue  # a zero here may mean "not applicable to this unit": insufficient data
        fa, span_a, where_a = side_a[0]
        results = [(_compare(fa, fb, relation), span_b, where_b) for fb, span_b, where_b in side_b]
        result, span_b, where_b = next(((r, sp, w) for r, sp, w in results if r.holds), results[0])
        identity.outcomes.append(Outcome(result, span_a, where_a, where_b, related=[span_b],
                                         values={"what": what, "relation": _RELATIONS[relation]},
                                         exact=relation == "eq"))


def _matched(scope: Scope, spec: dict[str, Any], what: Text, relation: str, match: str) -> Iterator[Identity]:
    """Rows matched by code or by name across two tables, columns compared pairwise."""
    for ta in tables_of(scope, [spec["a"]["table"]]):
        for tb in tables_of(scope, [spec["b"]["table"]]):
            if ta.group != tb.group:
                continue  # another unit's set of tables
            index: dict[str, list[tuple[Panel, TableRow]]] = {}
            for pr in _selected(tb, spec["b"]):
                index.setdefault(_key(pr[1], match), []).append(pr)
            keys = list(zip(spec["a"]["column"], spec["b"]["column"]))
            for pa, ra in _selected(ta, spec["a"]):
                hits = index.get(_key(ra, match), [])
                if len(hits) != 1:
                    continue
                pb, rb = hits[0]
                identity = Identity(ta.title)
                for key_a, key_b in keys:
                    ca, cb = pa.column(key_a), pb.column(key_b)
                    if ca is None or cb is None or ca.uncertain or cb.uncertain:
                        continue
                    fa, fb = ra.cells.get(ca.index), rb.cells.get(cb.index)
                    if fa is None or fb is None:
                        continue  # a blank cell is absent: nothing to compare
                    result = _compare(scope.index.figure(ta, ra, ca, fa, scale=True),
                                      scope.index.figure(tb, rb, cb, fb, scale=True), relation)
                    identity.outcomes.append(Outcome(result, fa.span, partial(where, ta, ra, ca, printed=fa),
                                                     partial(where, tb, rb, cb, printed=fb),
                                                     related=[fb.span], values={"what": what, "relation": _RELATIONS[relation]},
                                                     exact=relation == "eq"))
                if identity.outcomes:
                    yield identity


def _excluded(index: TableIndex, unless: dict[str, list[str]] | None) -> bool:
    """The file holds a table of one of these kinds or a column of one of these keys — or its table
    of contents lists such a table (a narrative whose tables are published as another file, like
    Jiangsu's 公开文件 + 公开表格: the template is the same whether or not both files are given)."""
    if not unless:
        return False
    kinds = set(unless.get("tables", []))
    if any(index.by_kind.get(k) for k in kinds):
        return True
    contents = getattr(getattr(index.facts, "structure", None), "contents", None)
    if kinds and contents is not None:
        lexicon = table_lexicon()
        if any(lexicon.title_kind(entry.title) in kinds for entry in contents.entries):
            return True
    keys = set(unless.get("columns", []))
    return bool(keys) and any(c.key in keys for t in index.tables for p in t.panels for c in p.columns)


def agreements(scope: Scope) -> list[Identity] | None:
    identities: list[Identity] = []
    for spec in scope.params.get("agreements", []):
        if _excluded(scope.index, spec.get("unless")):
            continue
        what = Text.of(spec["what"])
        relation = spec.get("relation", "eq")
        match = spec.get("match", "none")
        if match == "none":
            identities.extend(_single(scope, spec, what, relation))
        else:
            identities.extend(_matched(scope, spec, what, relation, match))
    return identities or None
