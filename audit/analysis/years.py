"""The year a budget disclosure is for: the year most of its narrative's figures are labelled with."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audit.engine import Document


def budget_year(document: Document) -> int | None:
    """The year most narrative figures are labelled with (the latest on a tie); `Analysis.budget_year`
    keeps it once per document."""
    years = Counter(n.year for s in document.facts.narrative.statements for n in s.nodes if n.level is not None and n.year)
    if not years:
        return None
    top = max(years.values())
    return max(year for year, count in years.items() if count == top)
