"""The public Python API: what a script, a notebook, a Dask or a Spark job calls.

    >>> import audit
    >>> report = audit.check_path("examples/demo-budget-2024.txt")
    >>> report.findings[0].rule, report.findings[0].line

An `Auditor` is built once from a configuration (which rules, which severities, extra rule files,
lexicon extensions) and then checks any number of documents — paths (text, PDF, Word, Excel, a
joined `narrative.pdf+tables.pdf`), text or bytes. Defaults run every rule. Nothing is discovered
from the current folder unless asked (`config="auto"`), so a library call gives the same answer
wherever it runs. `exit_code` maps results to the CLI's exit codes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from audit.memo import Memos
from audit.model import FileReport, Finding, Severity
from audit.pipeline import Options, audit_path, audit_source, severity_at_least
from audit.rules import RuleSet, load_rules
from audit.source import InputError, from_bytes, from_text

Report = FileReport  # one document's result: path, findings, facts, checks, error

__all__ = ["Auditor", "Report", "Finding", "Severity", "check_path", "check_text", "check_bytes", "exit_code",
           "ConfigurationError"]

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_OFFICE_MAGIC = (b"%PDF-", b"PK\x03\x04")  # PDF; .docx and .xlsx are zip files
_SUFFIX = {b"%PDF-": ".pdf"}


class ConfigurationError(ValueError):
    """A configuration that cannot be used: an unknown rule id, a bad config or rule file.
    `unknown` is the rule selector that matched nothing, when that was the problem."""

    def __init__(self, message: str, unknown: str | None = None, rules: RuleSet | None = None):
        super().__init__(message)
        self.unknown, self.rules = unknown, rules


def resolve_rules(config=None, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                  rule_files: Iterable[str | Path] = (), extend_select: Iterable[str] = (),
                  extend_ignore: Iterable[str] = ()) -> tuple[RuleSet, set[str]]:
    """The rule set and the ids selected for a run — the one place the CLI and the API resolve
    them: the shipped rules plus the config's and the caller's rule files (every kind checked), the
    config's severities ("off" switches a rule off), then `select` (default: the config's, else
    every rule) plus `extend_select`, minus `ignore` (default: the config's) and `extend_ignore`."""
    extra = [config.resolve(p) for p in config.rules] if config is not None else []
    extra += [Path(p) for p in rule_files]
    for path in extra:
        if not path.is_file():
            raise ConfigurationError(f"bad rule file: {path}: no such file")
    from audit.engine import validate_kinds
    from audit.rules import RuleFileError

    try:
        rules = load_rules(extra)
    except RuleFileError as exc:
        raise ConfigurationError(f"bad rule file: {exc}") from None
    problems = validate_kinds(rules)
    if problems:
        raise ConfigurationError("bad rule file: " + "; ".join(problems))
    select, ignore = list(select or ()), list(ignore or ())
    try:
        levels: dict[str, str] = {}  # rule id -> level; a key may be an id, a name or a prefix
        for key, level in (config.severity.items() if config is not None else ()):
            levels.update(dict.fromkeys(rules.resolve([key]), level))
        off = {rid for rid, level in levels.items() if level == "off"}
        rules = rules.with_overrides({rid: level for rid, level in levels.items() if level != "off"})
        selectors = select or (config.select if config is not None else [])
        selected = rules.resolve(selectors) if selectors else set(rules.rules)
        extended = rules.resolve(list(extend_select))
        selected |= extended
        selected -= rules.resolve((ignore or (config.ignore if config is not None else [])) + list(extend_ignore))
        if not select:  # an explicit selection overrides the config's "off"
            selected -= off - extended
    except KeyError as exc:
        raise ConfigurationError(f"unknown rule {exc.args[0]!r}", unknown=exc.args[0], rules=rules) from None
    return rules, selected


def _config(config):
    """None → no config; "auto" → discovered from the current folder up; a path → that file; a
    Config → as is."""
    if config is None:
        return None
    from audit.config import Config, ConfigError, discover, load_config

    if isinstance(config, Config):
        return config
    try:
        return discover(None) if config == "auto" else load_config(Path(config))
    except ConfigError as exc:
        raise ConfigurationError(f"bad config: {exc}") from None


class Auditor:
    """Rules resolved once; then `check_*` as often as needed (a long-lived worker keeps one).

    An Auditor is one run: its config's lexicon extensions, and what its documents teach it (each
    distinct 指标值 read once, each indicator wording judged once), are kept in its own memo tables
    (`options.memos`, audit.memo), never shared with another Auditor, and freed with it."""

    def __init__(self, config=None, *, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                 rules: Iterable[str | Path] = ()):
        self.config = _config(config)
        self.rules, self.selected = resolve_rules(self.config, select, ignore, rules)
        self.options = Options(selected=set(self.selected), memos=Memos(lexicons=self._lexicons()))

    def _lexicons(self) -> dict[str, list[dict]]:
        """The config's lexicon extensions, this Auditor's alone (never installed in the process)."""
        if self.config is None or not self.config.lexicons:
            return {}
        from audit.config import ConfigError, read_lexicon_extensions

        try:
            return read_lexicon_extensions({name: self.config.resolve(p) for name, p in self.config.lexicons.items()})
        except ConfigError as exc:
            raise ConfigurationError(f"bad config: {exc}") from None

    def check_path(self, path: str | Path) -> Report:
        """A file on disk (text, PDF, .docx, .xlsx) or a joined publication `a.pdf+b.pdf`. An
        unreadable file comes back with `error` set, never an exception."""
        return audit_path(str(path), self.rules, self.options)

    def check_paths(self, paths: Iterable[str | Path], jobs: int = 1) -> Iterator[Report]:
        """Many files, in input order; `jobs` processes (see `audit check --jobs`)."""
        from audit.batch import run_batch

        return run_batch([str(p) for p in paths], self.rules, self.options, jobs)

    def check_text(self, text: str, name: str = "<text>") -> Report:
        """Disclosure text already in memory (any of the text layouts)."""
        try:
            source = from_text(text, name)
        except InputError as exc:
            return FileReport(path=name, error=str(exc))
        return audit_source(source, self.rules, self.options)

    def check_bytes(self, data: bytes, name: str = "<bytes>") -> Report:
        """A document's bytes (text in any encoding, PDF, .docx, .xlsx), e.g. from object storage
        or a Spark binaryFile column; `name` is how findings name it."""
        if data.startswith(_OFFICE_MAGIC):
            return self._check_file_bytes(data, name)
        try:
            source = from_bytes(data, name)
        except InputError as exc:
            return FileReport(path=name, error=str(exc))
        return audit_source(source, self.rules, self.options)

    def _check_file_bytes(self, data: bytes, name: str) -> Report:
        """PDF and Office readers read files: the bytes go to a private temporary file (with the
        name's suffix, so a .docx is told from an .xlsx) and the report is named `name`."""
        suffix = Path(name).suffix or _SUFFIX.get(data[:5], "")
        handle, temporary = tempfile.mkstemp(prefix="audit-", suffix=suffix)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            report = self.check_path(temporary)
        finally:
            os.unlink(temporary)
        report.path = name
        if report.error:
            report.error = report.error.replace(temporary, name)
        return report


def check_path(path: str | Path, config=None, **options) -> Report:
    """One document with a fresh Auditor (build an Auditor yourself for many)."""
    return Auditor(config, **options).check_path(path)


def check_text(text: str, name: str = "<text>", config=None, **options) -> Report:
    return Auditor(config, **options).check_text(text, name)


def check_bytes(data: bytes, name: str = "<bytes>", config=None, **options) -> Report:
    return Auditor(config, **options).check_bytes(data, name)


def exit_code(reports: Iterable[Report], fail_on: str = "error") -> int:
    """The CLI's exit code for these results: 2 if a document could not be read, else 1 if a
    finding is at or above `fail_on` (error | warning | info | never), else 0."""
    failing = unreadable = False
    for report in reports:
        unreadable = unreadable or report.error is not None
        failing = failing or any(severity_at_least(f, fail_on) for f in report.findings)
    return EXIT_ERROR if unreadable else EXIT_FINDINGS if failing else EXIT_CLEAN
