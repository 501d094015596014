"""What the command line borrows from the linters people already use (ruff, semgrep, eslint):
colour and width as the environment asks, "did you mean", --min-severity, --stdin-filename, and
the resolved settings `audit config` prints. Small functions, no heavy imports (start-up)."""

from __future__ import annotations


def named_stdin(files, name: str):
    """Standard input's report under the name --stdin-filename gives it (as ruff and eslint do)."""
    for report in files:
        if report.path == "<stdin>":
            report.path = name
            for finding in report.findings:  # a PDF, Word or Excel file piped in: its places too
                if finding.place is not None and finding.place.file == "<stdin>":
                    finding.place.file = name
        yield report


def did_you_mean(unknown: str, rules) -> str:
    """" (did you mean B003?)" for a mistyped rule id or name, else ""."""
    import difflib

    names = [rule.id for rule in rules] + [rule.name for rule in rules]
    close = difflib.get_close_matches(unknown, names, n=3, cutoff=0.6) or difflib.get_close_matches(unknown.upper(), names, n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def use_color(flag: bool | None, to_terminal: bool) -> bool:
    """--color/--no-color first, then NO_COLOR (no-color.org: set and not empty), then FORCE_COLOR
    (set and not empty or "0": colour even into a pipe, e.g. `| less -R`), then: on a terminal."""
    import os

    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force and force != "0":
        return True
    return to_terminal


def report_width(to_terminal: bool) -> int | None:
    """The columns the text report is laid out in: COLUMNS when set, else the terminal's; None for a
    file or pipe (each line as long as it is, for grep)."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if to_terminal else None


class SeverityFilter:
    """--min-severity: findings below it are dropped before any report sees them (and the exit code)."""

    def __init__(self, lowest: str):
        from audit.pipeline import severity_at_least

        self.lowest, self.at_least = lowest, severity_at_least

    def apply(self, report) -> None:
        report.findings = [f for f in report.findings if self.at_least(f, self.lowest)]

    def finish(self, run) -> None:
        pass


def settings_text(config) -> str:
    """The resolved settings as TOML (what `[tool.audit]` or audit.toml would hold), defaults filled
    in and paths resolved against the config's folder; unset paths are shown as comments."""
    from audit.batch import DEFAULT_INCLUDE

    source = f"# from {config.path}" if config.path else "# no config file: the defaults"
    values = {
        "select": config.select or [],
        "ignore": config.ignore,
        "severity": config.severity,
        "fail-on": config.fail_on or "error",
        "format": config.format or "text",
        "lang": config.lang or "zh",
        "jobs": config.jobs or 1,
        "include": config.include or list(DEFAULT_INCLUDE),
        "exclude": config.exclude,
        "rules": [str(config.resolve(p)) for p in config.rules],
        "reports": {fmt: str(config.resolve(p)) for fmt, p in config.reports.items()},
        "lexicons": {name: str(config.resolve(p)) for name, p in config.lexicons.items()},
        "baseline": config.baseline and str(config.resolve(config.baseline)),
        "waivers": config.waivers and str(config.resolve(config.waivers)),
    }
    lines = [source]
    for key, value in values.items():
        if value is None:
            lines.append(f"# {key}: not set")
        else:
            lines.append(f"{key} = {_toml(value)}" + ("  # every rule" if key == "select" and not value else ""))
    return "\n".join(lines) + "\n"


def _toml(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_toml(item) for item in value) + "]"
