"""The analysis stage: what several checks derive from one document, built once per document.

The pipeline reads a file into a Document (source → layout → facts); the engine then makes one
Analysis of it for the run's rule set and hands it to every check. What a family of checks shares
(the table identities the run's rules declare, the ledger of stated figures and their slips, the
indicator readings) is built here the first time a check asks and kept for the document's other
checks; it is gone with the document. A check reads the document, its facts and this; it never
loads rules or imports another check.

The other documents a run may be given for this one — last year's disclosure (`--previous`) and
the same year's 部门/单位 counterpart (`--counterpart`) — are inputs of the analysis too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from audit.analysis.readings import IndicatorReadings
    from audit.engine import Document
    from audit.memo import Memos
    from audit.rules import RuleSet

T = TypeVar("T")


@dataclass(eq=False)
class Analysis:
    """One document's shared derivations for one run's rules."""

    document: Document
    rules: RuleSet
    previous: Document | None = None  # last year's disclosure (B016)
    counterpart: Document | None = None  # the same year's 部门 or 单位 disclosure (B019)
    _parts: dict[Any, Any] = field(default_factory=dict, repr=False)

    def part(self, key: Any, build: Callable[[], T]) -> T:
        """The derivation named `key`: built by the first check that asks, shared by the others."""
        try:
            return self._parts[key]
        except KeyError:
            value = self._parts[key] = build()
            return value

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
