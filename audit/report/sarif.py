"""--format sarif: SARIF 2.1.0 as GitHub code scanning accepts it.

Rules carry their help from the rule's YAML entry (one source with `audit explain` and
docs/rules.md); results carry relative URIs under %SRCROOT%, 1-based regions in Unicode code
points, and the finding's fingerprint as a partial fingerprint. A run with no results is valid.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from urllib.parse import quote

from audit.model import FileReport, Finding, RunReport, Span
from audit.report import ReportOptions
from audit.report.common import line_range, pretty_json, relative_path
from audit.report.ruledoc import explain_markdown, explain_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
BASE = "SRCROOT"
FAMILY = {
    "B": "budget-tables",
    "S": "schedule",
    "I": "indicators",
    "C": "cross-reference",
    "T": "text",
    "X": "engine",
}


def _artifact(path: str, root: str | None) -> dict:
    rel = relative_path(path, root)
    if rel.startswith("/"):
        return {"uri": Path(rel).as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": BASE}


MAX_SNIPPET = 500  # characters; a narrative line can be a megabyte long
RESULTS_PER_RUN = 25_000  # GitHub code scanning's hard limit per run
UPLOAD_LIMIT = 10 * 1024 * 1024  # bytes, gzipped, per upload


def _region(span: Span, snippet: str | None = None) -> dict:
    region = {"startLine": max(1, span.line), "startColumn": max(1, span.column)}
    if span.end_line:
        region["endLine"] = max(span.end_line, region["startLine"])
    if span.end_column and span.end_column > 0:
        if (span.end_line or span.line) > span.line or span.end_column > region["startColumn"]:
            region["endColumn"] = span.end_column
    if snippet:
        region["snippet"] = {"text": snippet[:MAX_SNIPPET]}
    return region


def _locations(finding: Finding, file, artifact: dict) -> list[dict]:
    """The span (its own text as the snippet) and, for short lines, the whole line as context."""
    span = finding.span
    line = file.lines[span.line - 1] if 1 <= span.line <= len(file.lines) else ""
    start, end = line_range(file, span)
    location = {"artifactLocation": artifact, "region": _region(span, line[start:end].strip() and line[start:end])}
    if line.strip() and len(line) <= MAX_SNIPPET:
        location["contextRegion"] = {"startLine": span.line, "snippet": {"text": line}}
    if finding.place is None:
        return [{"physicalLocation": location}]
    # a PDF, Word or Excel original: lines are those of its rendered text; the page (region
    # properties) and the table, row and column (location properties) say where it is printed
    place = finding.place.dump()
    if finding.place.file and finding.place.file != file.path:  # a part of a joined publication
        location["artifactLocation"] = _artifact(finding.place.file, None)
    if finding.place.page is not None:
        location["region"]["properties"] = {"page": finding.place.page}
    return [{"physicalLocation": location, "properties": place}]


def _rule(rule, lang: str) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": (rule.rationale or rule.title).get(lang)},
        "help": {"text": explain_text(rule, lang), "markdown": explain_markdown(rule, lang)},
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {
            "tags": [FAMILY.get(rule.family, rule.family), rule.name],
            "precision": "high",
            "problem.severity": {"info": "recommendation"}.get(rule.severity.value, rule.severity.value),
        },
    }


def _result(finding: Finding, file, index: dict[str, int], options: ReportOptions, artifact: dict) -> dict:
    lang = options.lang
    text = finding.message.get(lang)
    if finding.suggestion is not None:
        text += ("\n建议：" if lang == "zh" else "\nSuggestion: ") + finding.suggestion.get(lang)
    result = {
        "ruleId": finding.rule,
        "level": LEVEL[finding.severity.value],
        "message": {"text": text},
        "locations": _locations(finding, file, artifact),
        "partialFingerprints": {"auditFingerprint/v1": finding.fingerprint or "0"},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": {"artifactLocation": artifact, "region": _region(span)}}
            for i, span in enumerate(finding.related, start=1)
        ]
    properties = {}
    if finding.subject:
        properties["subject"] = finding.subject
    if finding.evidence is not None:
        properties["evidence"] = finding.evidence.dump(options.lang)
    if finding.suggestion is not None:
        properties["suggestion"] = finding.suggestion.get(lang)
    if properties:
        result["properties"] = properties
    return result


RESULTS_DEPTH = 4  # {"runs": [{"results": [ here ]}]}
RUN_END = "\n    }\n  ]\n}"  # how the document ends after the run object's last key


class SarifWriter:
    """One run object whose `results` come last: results are rendered (as text, at their depth)
    as files arrive; the tool, rules and invocation (which needs every file's outcome) at the end."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.rules = sorted(run.rules.values(), key=lambda r: r.id)
        self.index = {rule.id: i for i, rule in enumerate(self.rules)}
        self.results: list[str] = []
        self.notifications: list[dict] = []

    def start(self) -> str:
        return ""

    def file(self, report: FileReport) -> str:
        artifact = _artifact(report.path, self.options.root)
        if report.error:
            self.notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"cannot read {report.path}: {report.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                }
            )
            return ""
        indent = "\n" + "  " * RESULTS_DEPTH
        for finding in report.findings:
            self.results.append(indent + pretty_json(_result(finding, report, self.index, self.options, artifact), RESULTS_DEPTH))
        return ""

    def finish(self) -> str:
        run, options = self.run, self.options
        notifications = self.notifications + [
            {"level": "warning", "message": {"text": note["message"][options.lang]}} for note in run.notes
        ]
        root = Path(options.root or ".").resolve().as_uri().rstrip("/") + "/"
        parts = [self.results[i : i + RESULTS_PER_RUN] for i in range(0, len(self.results), RESULTS_PER_RUN)] or [[]]
        runs = [self._run(k, len(parts), part, notifications, root) for k, part in enumerate(parts, start=1)]
        text = '{\n  "$schema": "' + SCHEMA + '",\n  "version": "2.1.0",\n  "runs": [' + ",".join(runs) + "\n  ]\n}\n"
        _warn_if_too_large(text, len(self.results), options.lang)
        return text

    def _run(self, number: int, count: int, results: list[str], notifications: list[dict], root: str) -> str:
        """One run object as text at its depth, its `results` last (they are already rendered)."""
        run, options = self.run, self.options
        body = {
            "tool": {
                "driver": {
                    "name": "audit",
                    "version": run.version,
                    "semanticVersion": run.version,
                    "rules": [_rule(rule, options.lang) for rule in self.rules],
                }
            },
            "invocations": [
                {"executionSuccessful": not any(n["level"] == "error" for n in self.notifications),
                 "toolExecutionNotifications": notifications if number == 1 else []}
            ],
            "originalUriBaseIds": {BASE: {"uri": root}},
            "columnKind": "unicodeCodePoints",
        }
        if count > 1:  # runs of one tool in one upload need distinct categories
            body["automationDetails"] = {"id": f"audit/part-{number}-of-{count}/"}
        head = pretty_json({"runs": [body]})
        assert head.endswith(RUN_END)
        head = head[head.index("[") + 1 : -len(RUN_END)]  # the run object's text, without its closing brace
        listed = "[" + ",".join(results) + "\n" + "  " * (RESULTS_DEPTH - 1) + "]" if results else "[]"
        return head + ',\n      "results": ' + listed + "\n    }"


def _warn_if_too_large(text: str, results: int, lang: str) -> None:
    """GitHub rejects an upload over 10 MB gzipped: say so while the user can still act."""
    data = text.encode("utf-8")
    if len(data) <= UPLOAD_LIMIT:
        return  # gzip never makes it larger than this
    size = len(gzip.compress(data, compresslevel=6))
    if size <= UPLOAD_LIMIT:
        return
    mb = size / (1024 * 1024)
    if lang == "zh":
        message = (f"audit: SARIF 报告压缩后 {mb:.1f} MB（{results} 个结果），超过 GitHub 代码扫描每次上传 10 MB 的上限；"
                   "上传前请只保留错误（--min-severity error），或按目录分批运行")
    else:
        message = (f"audit: the SARIF report is {mb:.1f} MB gzipped ({results} results), over GitHub code scanning's "
                   "10 MB upload limit; keep only errors for the upload (--min-severity error) or run per folder")
    print(message, file=sys.stderr)
