"""--format gitlab: GitLab code-quality JSON (a list of issues, each with a unique fingerprint)."""

from __future__ import annotations

import hashlib

from audit.model import RunReport
from audit.report import ReportOptions
from audit.report.common import pretty_json, relative_path, rule_name

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


def render(run: RunReport, options: ReportOptions) -> str:
    lang = options.lang
    issues = []
    seen: set[str] = set()
    for file in run.files:
        path = relative_path(file.path, options.root)
        if file.error:
            continue
        for f in file.findings:
            base = f"{path}\x1f{f.fingerprint}"
            digest = hashlib.sha256(base.encode("utf-8")).hexdigest()
            n = 1
            while digest in seen:  # two findings must never share a fingerprint in one report
                digest = hashlib.sha256(f"{base}\x1f{n}".encode("utf-8")).hexdigest()
                n += 1
            seen.add(digest)
            description = f"{f.rule} {f.message.get(lang)}"
            if f.suggestion is not None:
                description += ("（建议：" + f.suggestion.get(lang) + "）") if lang == "zh" else f" (suggestion: {f.suggestion.get(lang)})"
            issues.append(
                {
                    "type": "issue",
                    "description": description,
                    "check_name": f"{f.rule} {rule_name(run, f.rule)}",
                    "categories": ["Bug Risk"],
                    "fingerprint": digest,
                    "severity": SEVERITY[f.severity.value],
                    "location": {"path": path, "lines": {"begin": f.span.line, "end": f.span.end_line or f.span.line}},
                }
            )
    return pretty_json(issues) + "\n"
