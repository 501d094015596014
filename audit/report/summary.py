"""Counts over a run that every format reports the same way."""

from __future__ import annotations

from collections import Counter

from audit.model import CheckTally, RunReport

FACT_KEYS = ("projects", "schedules", "indicators", "identities", "tables")


def summarise(run: RunReport) -> dict:
    by_severity: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    facts: Counter[str] = Counter({key: 0 for key in FACT_KEYS})
    checks: dict[str, CheckTally] = {}
    for file in run.files:
        for finding in file.findings:
            by_severity[finding.severity.value] += 1
            by_rule[finding.rule] += 1
        facts.update(file.facts)
        for rule, tally in file.checks.items():
            checks.setdefault(rule, CheckTally()).merge(tally)
    return {
        "files": len(run.files),
        "files_with_errors": sum(1 for f in run.files if f.error),
        "findings": sum(by_rule.values()),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_rule": dict(sorted(by_rule.items())),
        "facts": dict(facts),
        "checks": {rule: tally.as_dict() for rule, tally in sorted(checks.items())},
    }
