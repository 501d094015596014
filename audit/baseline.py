"""Baselines: the findings a project has accepted for now, so CI reports only new ones.

`audit baseline PATHS --output FILE` writes every current finding's fingerprint (rule, file name,
the normalised text of the span and its neighbourhood — no line numbers, so unrelated edits keep
it); `audit check --baseline FILE` then hides the findings whose fingerprint is in the file, each
fingerprint hiding as many findings as it was recorded.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from audit.model import FileReport, RunReport

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; str() names the file and what is wrong."""


class BaselineRecorder:
    """The entries of a baseline file, gathered one file at a time (only what the file holds)."""

    def __init__(self) -> None:
        self.entries: list[dict] = []

    def add(self, file: FileReport) -> None:
        self.entries.extend(
            {
                "fingerprint": finding.fingerprint,
                "rule": finding.rule,
                "path": file.path,
                "line": finding.span.line,  # for people reading the file; matching never uses it
                "message": finding.message.zh,
            }
            for finding in file.findings
        )

    def as_dict(self, audit_version: str) -> dict:
        entries = sorted(self.entries, key=lambda e: (e["path"], e["line"], e["rule"], e["fingerprint"]))
        return {"tool": "audit", "version": FORMAT_VERSION, "audit_version": audit_version, "findings": entries}

    def write(self, path: Path, audit_version: str) -> int:
        """Write the baseline as reports are written (audit.outputs.write_file): all or nothing, and
        never through a symlink another user planted at `path`. OutputError if it cannot be."""
        from audit.outputs import write_file

        data = self.as_dict(audit_version)
        write_file(str(path), json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return len(data["findings"])


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprint → how many findings it stands for."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("tool") != "audit" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not an audit baseline (expected {{\"tool\": \"audit\", \"findings\": [...]}})")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{path}: baseline format version {data.get('version')!r}; this audit reads {FORMAT_VERSION}")
    counts: Counter[str] = Counter()
    for i, entry in enumerate(data["findings"]):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"{path}: findings[{i}] has no fingerprint")
        counts[fingerprint] += 1
    return counts


class BaselineFilter:
    """Hides the findings already in the baseline, one file at a time, in input order; each
    recorded fingerprint hides as many findings as it was recorded."""

    def __init__(self, known: Counter[str]):
        self.remaining = Counter(known)
        self.hidden = 0

    def apply(self, file: FileReport) -> None:
        remaining = self.remaining
        kept = []
        for finding in file.findings:
            if remaining[finding.fingerprint] > 0:
                remaining[finding.fingerprint] -= 1
                self.hidden += 1
            else:
                kept.append(finding)
        file.findings = kept

    def finish(self, run: RunReport) -> None:
        if self.hidden:
            run.suppressed["baseline"] = run.suppressed.get("baseline", 0) + self.hidden
