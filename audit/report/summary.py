"""Counts over a run that every format reports the same way, added up one file at a time."""

from __future__ import annotations

from collections import Counter

from audit.model import CheckTally, FileReport

FACT_KEYS = ("projects", "schedules", "indicators", "identities", "tables")
PLACES_KEPT = 10  # unreadable files and error locations a summary names (the counts are complete)


class Summary:
    """Running totals: `add` each file as it is reported, `as_dict` at the end."""

    def __init__(self) -> None:
        self.files = 0
        self.files_with_errors = 0
        self.by_severity: Counter[str] = Counter()
        self.by_rule: Counter[str] = Counter()
        self.facts: Counter[str] = Counter({key: 0 for key in FACT_KEYS})
        self.checks: dict[str, CheckTally] = {}
        # for the text report's summary (not part of as_dict, the JSON contract):
        self.unreadable: list[str] = []  # the first PLACES_KEPT unreadable files
        self.unrecognised = 0  # files in which nothing budget-like was recognised (X003)
        # (path, line, page) of the first PLACES_KEPT error findings (page: in a PDF original, else None)
        self.error_places: list[tuple[str, int, int | None]] = []

    def add(self, file: FileReport) -> None:
        self.files += 1
        if file.error:
            self.files_with_errors += 1
            if len(self.unreadable) < PLACES_KEPT:
                self.unreadable.append(file.path)
        self.unrecognised += any(f.rule == "X003" for f in file.findings)
        for finding in file.findings:
            self.by_severity[finding.severity.value] += 1
            if finding.severity.value == "error" and len(self.error_places) < PLACES_KEPT:
                page = finding.place.page if finding.place is not None else None
                self.error_places.append((file.path, finding.span.line, page))
            self.by_rule[finding.rule] += 1
        self.facts.update(file.facts)
        checks = self.checks
        for rule, tally in file.checks.items():
            if rule not in checks:
                checks[rule] = CheckTally()
            checks[rule].merge(tally)

    def as_dict(self) -> dict:
        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "findings": sum(self.by_rule.values()),
            "by_severity": {s: self.by_severity.get(s, 0) for s in ("error", "warning", "info")},
            "by_rule": dict(sorted(self.by_rule.items())),
            "facts": dict(self.facts),
            "checks": {rule: tally.as_dict() for rule, tally in sorted(self.checks.items())},
        }
