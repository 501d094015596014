"""--format sarif: SARIF 2.1.0 as GitHub code scanning accepts it.

Rules carry their help from the rule's YAML entry (one source with `audit explain` and
docs/rules.md); results carry relative URIs under %SRCROOT%, 1-based regions in Unicode code
points, and the finding's fingerprint as a partial fingerprint. A run with no results is valid.
"""

from __future__ import annotations

import sys
import zlib
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
    """Streamed: each run's head (tool, rules) is written first, then each file's results as the
    file arrives, then the run's invocation (the notifications so far) — key order does not matter
    in JSON. At RESULTS_PER_RUN results the run is closed and another opened (its own
    automationDetails category), so memory stays flat however many documents a run reads; the
    gzipped size is counted on the way for the upload-limit warning."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.rules = sorted(run.rules.values(), key=lambda r: r.id)
        self.index = {rule.id: i for i, rule in enumerate(self.rules)}
        self.notifications: list[dict] = []  # of the open run
        self.failed = False  # a file could not be read (the run's executionSuccessful)
        self.runs = 0
        self.in_run = 0  # results in the open run
        self.results = 0
        self.raw = 0
        self.packed = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing: what an upload would weigh
        self.gzipped = 0

    def _out(self, text: str) -> str:
        data = text.encode("utf-8")
        self.raw += len(data)
        self.gzipped += len(self.packed.compress(data))
        return text

    def start(self) -> str:
        return self._out('{\n  "$schema": "' + SCHEMA + '",\n  "version": "2.1.0",\n  "runs": [' + self._open_run())

    def _open_run(self) -> str:
        """A run object's text up to its open `results` array."""
        run, options = self.run, self.options
        self.runs += 1
        self.in_run = 0
        body = {
            "tool": {
                "driver": {
                    "name": "audit",
                    "version": run.version,
                    "semanticVersion": run.version,
                    "rules": [_rule(rule, options.lang) for rule in self.rules],
                }
            },
            "originalUriBaseIds": {BASE: {"uri": Path(options.root or ".").resolve().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
        }
        if self.runs > 1:  # runs of one tool in one upload need distinct categories
            body["automationDetails"] = {"id": f"audit/part-{self.runs}/"}
        head = pretty_json({"runs": [body]})
        assert head.endswith(RUN_END)
        head = head[head.index("[") + 1 : -len(RUN_END)]  # the run object's text, without its closing brace
        return ("," if self.runs > 1 else "") + head + ',\n      "results": ['

    def _close_run(self, notes: list[dict] = ()) -> str:
        """The open run's results array closed, then its invocation with the notifications so far."""
        invocation = {"executionSuccessful": not self.failed, "toolExecutionNotifications": self.notifications + list(notes)}
        self.notifications = []
        end = ("\n" + "  " * (RESULTS_DEPTH - 1) + "]") if self.in_run else "]"
        return end + ',\n      "invocations": ' + pretty_json([invocation], RESULTS_DEPTH - 1) + "\n    }"

    def file(self, report: FileReport) -> str:
        artifact = _artifact(report.path, self.options.root)
        if report.error:
            self.failed = True
            self.notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"cannot read {report.path}: {report.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                }
            )
            return ""
        self.notifications += [  # what the reader left unread, at the file (the part of a joined publication) it is about
            {
                "level": "note",
                "message": {"text": f"{note.file or report.path}: {note.message.get(self.options.lang)}"},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(note.file, self.options.root) if note.file else artifact}}],
                "properties": {k: v for k, v in note.dump(self.options.lang).items() if k != "message"},
            }
            for note in report.notes
        ]
        out = []
        indent = "\n" + "  " * RESULTS_DEPTH
        for finding in report.findings:
            if self.in_run == RESULTS_PER_RUN:
                out.append(self._close_run() + self._open_run())
            out.append(("," if self.in_run else "") + indent + pretty_json(_result(finding, report, self.index, self.options, artifact), RESULTS_DEPTH))
            self.in_run += 1
            self.results += 1
        return self._out("".join(out))

    def finish(self) -> str:
        notes = [{"level": "warning", "message": {"text": note["message"][self.options.lang]}} for note in self.run.notes]
        text = self._out(self._close_run(notes) + "\n  ]\n}\n")
        self.gzipped += len(self.packed.flush())
        _warn_if_too_large(self.gzipped, self.results, self.options.lang)
        return text


def _warn_if_too_large(size: int, results: int, lang: str) -> None:
    """GitHub rejects an upload over 10 MB gzipped: say so while the user can still act."""
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
