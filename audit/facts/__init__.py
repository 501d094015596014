"""Blocks → Facts: everything the checks reason about, typed, each with its span in the original file.

Each family of facts has its own module; `extract` runs them all once per document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.facts.amounts import NarrativeFacts, extract_narrative
from audit.facts.projects import Project, extract_projects
from audit.facts.structure import StructureFacts, extract_structure
from audit.facts.tables import BudgetTable, count_identities, extract_tables
from audit.layout import Block


@dataclass(slots=True)
class DocumentFacts:
    """Internal, built once per file: a plain dataclass (`audit extract` dumps it with pydantic_core)."""

    projects: list[Project] = field(default_factory=list)  # 项目绩效目标表
    narrative: NarrativeFacts = field(default_factory=NarrativeFacts)  # 叙述中的金额与分解/增减/占比
    structure: StructureFacts = field(default_factory=StructureFacts)  # enumerations, counts, years, unit names (T rules)
    tables: list[BudgetTable] = field(default_factory=list)  # 收支总表, 支出总表 … (B rules on tables)

    def counts(self) -> dict[str, int]:
        """What was read, for the summary: so that "no findings" is told apart from "nothing read"."""
        counts = {
            "projects": len(self.projects),
            "schedules": sum(1 for p in self.projects if p.schedule is not None),
            "indicators": sum(len(p.indicators) for p in self.projects),
            "identities": 0,
            "tables": 0,
        }
        counts["identities"] += self.narrative.identities()  # narrative decompositions, changes, shares
        counts["tables"] += len(self.tables)
        counts["identities"] += count_identities(self.tables)  # parent rows, total rows, row totals
        return counts


def extract(blocks: list[Block]) -> DocumentFacts:
    facts = _extract_base(blocks)
    facts.narrative = extract_narrative(blocks)
    facts.tables = extract_tables(blocks)
    return facts


def _extract_base(blocks: list[Block]) -> DocumentFacts:
    return DocumentFacts(projects=extract_projects(blocks), structure=extract_structure(blocks))
