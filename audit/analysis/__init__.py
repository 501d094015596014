"""The analysis stage: what several checks derive from one document, built once per document.

The pipeline reads a file into a Document (source → layout → facts); the engine then makes one
Analysis of it for the run's rule set and hands it to every check. What a family of checks shares
(the table identities the run's rules declare, the ledger of stated figures and their slips, the
indicator readings) is built here the first time a check asks and kept for the document's other
checks; it is gone with the document. A check reads the document, its facts and this; it never
loads rules or imports another check.

The other documents a run may be given for this one — last year's disclosure (`--previous`) and
the same year's 部门/单位 counterpart (`--counterpart`) — are inputs of the analysis too.

What lives where, for the budget (B) family:
- narrative.py: a narrative amount as a Figure, a node's name, where a figure stands, the levels the
  narrative states (by concept, by subject_key), this and last year's level of a concept;
- years.py: the budget year; changes.py: what a stated change is a change of (RateCase);
- evaluations.py: the narrative's identities evaluated, and those the run's rules declare;
- tables.py: the table index (tables by kind, cells as Figures) and row/column helpers;
  identities.py, agreements.py: the table identities each table rule's params declare;
- ledger.py: the one ledger of stated figures and slips, narrative and tables;
  table_findings.py: how a table rule's failures are reported (`settle`).

For the indicator (I) and cost (C) families:
- readings.py: each project's real 绩效指标 rows, read once, each with what its wording says;
- numerals.py: Chinese numerals in headings and list markers (一、二、…).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from audit.analysis.evaluations import Known
    from audit.analysis.ledger import Ledger
    from audit.analysis.readings import IndicatorReadings
    from audit.analysis.tables import Identity, TableIndex
    from audit.engine import Document
    from audit.facts.amounts import Node
    from audit.facts.prose import Prose
    from audit.memo import Memos
    from audit.rules import Rule, RuleSet

T = TypeVar("T")


@dataclass(eq=False)
class Analysis:
    """One document's shared derivations for one run's rules."""

    document: Document
    rules: RuleSet
    previous: Document | None = None  # last year's disclosure (B016)
    counterpart: Document | None = None  # the same year's 部门 or 单位 disclosure (B019)
    selected: set[str] | None = None  # the rules the run reports (None: all)
    _parts: dict[Any, Any] = field(default_factory=dict, repr=False)

    def part(self, key: Any, build: Callable[[], T]) -> T:
        """The derivation named `key`: built by the first check that asks, shared by the others."""
        try:
            return self._parts[key]
        except KeyError:
            value = self._parts[key] = build()
            return value

    @property
    def prose(self) -> Prose:
        """The document's prose lines (facts/prose.py), read once for the rules that read prose."""
        from audit.facts.prose import read_prose

        document = self.document
        source = document.source
        return self.part("prose", lambda: read_prose(document.blocks, source.original_lines, source.texts, document.facts.structure.contents))

    # --- the budget (B) family: narrative levels, years, identities, the ledger ---------------------
    # (narrative.py, years.py, evaluations.py, tables.py, identities.py, agreements.py, ledger.py)

    def other(self, document: Document) -> Analysis:
        """The analysis of another document of this run (last year's, the counterpart), built once."""
        return self.part(("other", id(document)), lambda: Analysis(document, self.rules, selected=self.selected))

    @property
    def levels(self) -> dict[str, list[Node]]:
        """Concept → the narrative nodes stating a level of it (narrative.levels)."""
        from audit.analysis.narrative import levels

        return self.part("narrative levels", lambda: levels(self.document))

    @property
    def levels_by_key(self) -> dict[tuple, list[Node]]:
        """Subject key → the narrative nodes stating a level of it (narrative.levels_by_key)."""
        from audit.analysis.narrative import levels_by_key

        return self.part("levels by key", lambda: levels_by_key(self.document))

    @property
    def budget_year(self) -> int | None:
        """The year most narrative figures are labelled with (years.budget_year)."""
        from audit.analysis.years import budget_year

        return self.part("budget year", lambda: budget_year(self.document))

    @property
    def known(self) -> Known:
        """The narrative identities the run's rules declare, and who reports what (evaluations.known)."""
        from audit.analysis.evaluations import known

        return self.part("declared narrative identities", lambda: known(self.rules, self.selected))

    @property
    def tables(self) -> TableIndex:
        """The document's tables by kind, each cell as a Figure once (tables.TableIndex)."""
        from audit.analysis.tables import TableIndex

        return self.part("budget tables", lambda: TableIndex(self.document.facts))

    def identities(self, rule: Rule) -> list[Identity] | None:
        """A table rule's identities on this document, built once (the rule and the ledger both ask);
        None: the tables it reads are absent."""
        from audit.analysis.identities import GENERATORS
        from audit.analysis.tables import Scope

        def build() -> tuple:
            return rule.params, GENERATORS[rule.kind](Scope(self.document.facts, rule.params, self.tables))

        return self.part(("identities", rule.id, id(rule.params)), build)[1]  # params held: its id stays its own

    @property
    def ledger(self) -> Ledger:
        """The one ledger of stated figures and slips, narrative and tables (ledger.Ledger)."""
        from audit.analysis.ledger import Ledger

        return self.part("ledger", lambda: Ledger(self))

    # --- the run's memo tables, and the indicator readings (audit/analysis/readings.py) -----------

    @property
    def memos(self) -> Memos:
        """The memo tables of the run auditing this document (audit.memo; pipeline.audit_source
        activates them): what one document teaches the run's next ones. Fresh ones outside a run."""
        from audit.memo import active

        return self.part("run memos", active)

    @property
    def readings(self) -> IndicatorReadings:
        """Each project's real indicator rows, each with what its wording says."""
        from audit.analysis.readings import read_indicators

        return self.part("indicator readings", lambda: read_indicators(self.document.facts, self.memos))
