"""--format gitlab: GitLab code-quality JSON (a list of issues, each with a unique fingerprint)."""

from __future__ import annotations

import hashlib

from audit.model import FileReport, RunReport
from audit.report import ReportOptions
from audit.report.common import pretty_json, relative_path, rule_name

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}


class GitlabWriter:
    """The issues array, printed an issue at a time; only the fingerprints seen are kept."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.seen: set[str] = set()

    def start(self) -> str:
        return "["

    def file(self, report: FileReport) -> str:
        if report.error:
            return ""
        lang = self.options.lang
        path = relative_path(report.path, self.options.root)
        seen = self.seen
        out = []
        for f in report.findings:
            base = f"{path}\x1f{f.fingerprint}"
            digest = hashlib.sha256(base.encode("utf-8")).hexdigest()
            n = 1
            while digest in seen:  # two findings must never share a fingerprint in one report
                digest = hashlib.sha256(f"{base}\x1f{n}".encode("utf-8")).hexdigest()
                n += 1
            description = f"{f.rule} {f.message.get(lang)}"
            if f.suggestion is not None:
                description += ("（建议：" + f.suggestion.get(lang) + "）") if lang == "zh" else f" (suggestion: {f.suggestion.get(lang)})"
            issue = {
                "type": "issue",
                "description": description,
                "check_name": f"{f.rule} {rule_name(self.run, f.rule)}",
                "categories": ["Bug Risk"],
                "fingerprint": digest,
                "severity": SEVERITY[f.severity.value],
                "location": {"path": path, "lines": {"begin": f.span.line, "end": f.span.end_line or f.span.line}},
            }
            out.append((",\n  " if seen else "\n  ") + pretty_json(issue, 1))
            seen.add(digest)
        return "".join(out)

    def finish(self) -> str:
        return ("\n]" if self.seen else "]") + "\n"
