"""Facts + rules → findings and outcomes. One failing check never stops the others (X001)."""

from __future__ import annotations

import hashlib
import pkgutil
import re
import traceback
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable, Iterable

from audit.analysis import Analysis
from audit.facts import DocumentFacts
from audit.layout import Block
from audit.model import CheckTally, Evidence, Finding, Severity, Span, Text
from audit.rules import Rule, RuleSet
from audit.source import Source


@dataclass
class Document:
    """One decoded file with its blocks and facts: what every check reads."""

    source: Source
    blocks: list[Block]
    facts: DocumentFacts
    _squashed: dict[int, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def located(self, line: int, column: int = 1) -> Text:
        """Where a line of the document is, as its reader knows it: the page (and the file, for a
        joined publication) of a PDF — a rendered line number means nothing to them — else the
        line of a text file. For messages that point at a second place ("see line 40")."""
        if self.source.origins:
            from audit.readers.render import place

            found = place(self.source, line, column)
            if found is not None and found.page is not None:
                named = found.file.rsplit("/", 1)[-1] if found.file and "+" in (self.source.path or "") else ""
                return Text(zh=f"{named}第{found.page}页", en=f"{named + ' ' if named else ''}page {found.page}")
        return Text(zh=f"第{line}行", en=f"line {line}")

    def line_text(self, number: int) -> str:
        texts = self.source.texts
        return texts[number - 1] if 1 <= number <= len(texts) else ""

    def squashed(self, number: int) -> str:
        """Line `number`'s text without any whitespace (memoised: fingerprints read each line's neighbours)."""
        text = self._squashed.get(number)
        if text is None:
            text = self._squashed[number] = _squash(self.line_text(number))
        return text

    def snippet(self, span: Span) -> str:
        """The normalised text a span covers (first line only), for fingerprints."""
        originals = self.source.original_lines
        if not 1 <= span.line <= len(originals):
            return ""
        original = originals[span.line - 1]
        start = span.column - 1
        end = span.end_column - 1 if span.end_column and (span.end_line or span.line) == span.line else len(original)
        return original[start:end].strip()


class _Formatter(dict):
    """format_map that leaves unknown {placeholders} visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _by_language(values: _Formatter) -> tuple[_Formatter, _Formatter]:
    """`values` for the zh and for the en template: a Text value gives each language its own words.

    With no Text among the values both languages share one formatter (format_map only reads it);
    `Text in map(type, …)` finds out without a Python-level loop, the common case."""
    if Text not in map(type, values.values()):
        return values, values
    en_values = _Formatter(values)
    for key, value in values.items():
        if type(value) is Text:
            values[key], en_values[key] = value.zh, value.en
    return values, en_values


def _fill(template: Text | None, zh_values: _Formatter, en_values: _Formatter) -> Text | None:
    """The template with its {placeholders} filled; one without braces (half the suggestions) is
    its own answer, so it is neither parsed nor copied."""
    if template is None:
        return None
    zh, en = template.zh, template.en
    if "{" not in zh and "}" not in zh and "{" not in en and "}" not in en:
        return template
    return Text(zh.format_map(zh_values), en.format_map(en_values))


@dataclass
class CheckContext:
    """What a check function gets: the rule (with its params), the document, and ways to report."""

    rule: Rule
    document: Document
    analysis: Analysis
    findings: list[Finding] = field(default_factory=list)
    tally: CheckTally = field(default_factory=CheckTally)

    @property
    def facts(self) -> DocumentFacts:
        return self.document.facts

    @property
    def params(self) -> dict[str, Any]:
        return self.rule.params

    def passed(self, n: int = 1) -> None:
        self.tally.passed += n

    def not_applicable(self, n: int = 1) -> None:
        self.tally.not_applicable += n

    def insufficient(self, n: int = 1) -> None:
        self.tally.insufficient_data += n

    def fail(
        self,
        span: Span,
        values: dict[str, Any] | None = None,
        *,
        evidence: Evidence | None = None,
        suggestion: Text | None = None,
        subject: str | None = None,
        related: Iterable[Span] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """Record a failed subject: the message is the rule's template filled with `values`."""
        rule = self.rule
        values = _Formatter(values) if values else _Formatter()  # the caller's dict stays as it was
        values.setdefault("subject", subject or "")
        zh_values, en_values = _by_language(values)  # shared by the message and the suggestion
        finding = Finding(
            rule.id,
            severity or rule.severity,
            _fill(rule.message, zh_values, en_values),
            span,
            evidence,
            suggestion or _fill(rule.suggestion, zh_values, en_values),
            subject,
            list(related) if related else [],
            "",
            self.document.snippet(span),
        )
        self.findings.append(finding)
        self.tally.failed += 1
        return finding


_NEIGHBOURS = 8  # how far to look for the nearest non-blank line either side of a span


def _squash(text: str) -> str:
    """`text` without whitespace (str.split's whitespace is exactly regex \\s)."""
    return "".join(text.split())


def fingerprint_context(finding: Finding, document: Document | None) -> str:
    """The normalised text around a finding: its line and the nearest non-blank line either side.

    Whitespace is dropped and no line number is kept, so edits elsewhere in the file (a row added
    above, a figure changed further down) leave the fingerprint alone.
    """
    if document is None:
        return ""
    texts = document.source.texts
    count = len(texts)
    number = finding.span.line
    parts = [document.squashed(number)]
    for step in (-1, 1):
        other, text = number + step, ""
        for _ in range(_NEIGHBOURS):
            if not 1 <= other <= count:
                break
            line = texts[other - 1]
            if line and not line.isspace():  # blank lines squash to "": skip them unsquashed
                text = document.squashed(other)
                break
            other += step
        parts.append(text)
    return "\x1e".join(parts)


_FOLDERS = re.compile(r".*[\\/]")


def _file_name(path: str) -> str:
    """The path's last part, as _FOLDERS strips it (not memoised: found without the regex, whose
    `.*` backtracks over the whole path, unless a line break is in it: `.` stops there)."""
    if "\n" in path:
        return _FOLDERS.sub("", path)
    return path[max(path.rfind("/"), path.rfind("\\")) + 1:]


def fingerprint(finding: Finding, path: str, document: Document | None, occurrence: int, context: str | None = None) -> str:
    """Stable across unrelated edits: rule, file name, subject, the span's text and its neighbourhood.

    `occurrence` tells apart findings whose key is otherwise identical (counted per full key, in
    file order), so a new one elsewhere does not shift the others' fingerprints.
    """
    if context is None:
        context = fingerprint_context(finding, document)
    name = _file_name(path)
    key = "\x1f".join([finding.rule, name, finding.subject or "", finding.snippet, context, str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def crash_finding(rule: Rule, exc: BaseException, crash_rule: Rule | None) -> Finding:
    """X001: a check that raised becomes a finding, never a traceback on the user's screen."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    location = f" ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})" if where else ""
    detail = f"{type(exc).__name__}: {exc}{location}"
    message = Text(
        zh=f"规则 {rule.id} 检查本文件时内部出错，已跳过该规则：{detail}",
        en=f"rule {rule.id} crashed on this file and was skipped: {detail}",
    )
    return Finding(
        rule="X001",
        severity=crash_rule.severity if crash_rule else Severity.ERROR,
        message=message,
        span=Span(line=1, column=1),
        evidence=Evidence(values={"rule": rule.id, "exception": detail}),
        suggestion=Text(
            zh="请将该文件与此消息报告给 audit 维护者；其他规则的结果不受影响。",
            en="Please report this file and message to the audit maintainers; other rules were still run.",
        ),
        snippet=rule.id,
    )


def run_checks(
    document: Document,
    rules: RuleSet,
    selected: set[str],
    *,
    previous: Document | None = None,
    counterpart: Document | None = None,
) -> tuple[list[Finding], dict[str, CheckTally]]:
    """Every selected rule's check on `document`, all reading one Analysis of it built for `rules`."""
    kinds = load_kinds()
    analysis = Analysis(document, rules, previous, counterpart, selected)
    findings: list[Finding] = []
    tallies: dict[str, CheckTally] = {}
    crash_rule = rules.get("X001")
    for rule in rules:
        if rule.id not in selected or rule.kind == "engine":
            continue
        function = kinds.get(rule.kind)
        ctx = CheckContext(rule, document, analysis)
        if function is None:
            # A rule file naming an unknown kind is caught at load time by validate_kinds; be safe here too.
            findings.append(crash_finding(rule, LookupError(f"unknown check kind {rule.kind!r}"), crash_rule))
            continue
        try:
            function(ctx)
        except Exception as exc:  # noqa: BLE001 - any crash becomes X001 and the run goes on
            findings.append(crash_finding(rule, exc, crash_rule))
            ctx.tally = CheckTally(insufficient_data=1)
            ctx.findings = []
        findings.extend(ctx.findings)
        tallies[rule.id] = ctx.tally
    return findings, tallies


def validate_kinds(rules: RuleSet) -> list[str]:
    """Problems with rules whose kind has no check function (shown as rule-file errors)."""
    kinds = load_kinds()
    return [
        f"{rule.source}: rule {rule.id}: unknown kind {rule.kind!r} (known: {', '.join(sorted(kinds))})"
        for rule in rules
        if rule.kind not in kinds and rule.kind != "engine"
    ]


# -- the registry of check kinds ------------------------------------------------------------------

CheckFunction = Callable[["CheckContext"], None]

KINDS: dict[str, CheckFunction] = {}


def kind(name: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under the kind name rules use (`@kind("table_sum")`)."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in KINDS and KINDS[name] is not function:
            raise ValueError(f"check kind {name!r} registered twice")
        KINDS[name] = function
        return function

    return register


def load_kinds() -> dict[str, CheckFunction]:
    """Import every family module under audit.checks, subpackages too (each registers its kinds with @kind)."""
    if not _loaded:
        import audit.checks

        for module in pkgutil.walk_packages(audit.checks.__path__, "audit.checks."):
            import_module(module.name)
        _loaded.append(True)
    return KINDS


_loaded: list[bool] = []
