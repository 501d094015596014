"""The command line: `audit check`, `audit rules`, `audit explain`, `audit parse`, `audit extract`.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error
(a file that could not be read, a bad rule file, an unknown option) — never a bare traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from audit import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
TEXT_SUFFIXES = {".txt", ".text"}


def _fail(message: str) -> None:
    click.echo(f"audit: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _load_rules(extra: tuple[str, ...] = ()):
    from audit.engine import validate_kinds
    from audit.rules import RuleFileError, load_rules

    try:
        rules = load_rules([Path(p) for p in extra])
    except RuleFileError as exc:
        _fail(f"bad rule file: {exc}")
    problems = validate_kinds(rules)
    if problems:
        _fail("bad rule file: " + "; ".join(problems))
    return rules


def collect_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given; directories walked recursively for text files, in a stable order."""
    out: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")
            )
            out.extend(str(p) for p in found)
            if not found:
                out.append(raw)  # reported as "no text files" below
        else:
            out.append(raw)
    return out


def _split(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.replace(" ", ",").split(",") if part]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audit")
def cli() -> None:
    """Consistency audit for Chinese budget disclosures (部门预算/决算公开, 绩效目标表)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", default=None, help="text (default on a terminal) | json")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option("--select", multiple=True, help="Only these rules (ids, names or prefixes: B003, S, schedule-gap).")
@click.option("--ignore", multiple=True, help="Skip these rules (ids, names or prefixes).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra rule file(s).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal).")
def check(paths, fmt, output, fail_on, select, ignore, lang, rule_files, color) -> None:
    """Audit disclosures (files or directories) and report every inconsistency."""
    from audit.model import RunReport
    from audit.pipeline import Options, audit_path, severity_at_least
    from audit.report import FORMATS, ReportOptions, writer

    fmt = fmt or "text"
    if fmt not in FORMATS:
        raise click.BadParameter(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", param_hint="--format")
    rules = _load_rules(rule_files)
    try:
        selected = rules.resolve(_split(select)) if select else set(rules.rules)
        selected -= rules.resolve(_split(ignore))
    except KeyError as exc:
        raise click.BadParameter(f"unknown rule {exc.args[0]!r}", param_hint="--select/--ignore") from None
    options = Options(selected=selected)
    reports = [audit_path(path, rules, options) for path in collect_paths(paths)]
    run = RunReport(version=__version__, files=reports, rules=rules.rules)
    to_terminal = output is None and sys.stdout.isatty()
    report_options = ReportOptions(lang=lang, color=color if color is not None else to_terminal, fail_on=fail_on)
    text = writer(fmt)(run, report_options)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    for report in reports:
        if report.error:
            click.echo(f"audit: {report.path}: {report.error}", err=True)
    if any(r.error for r in reports):
        sys.exit(EXIT_ERROR)
    failing = any(severity_at_least(f, fail_on) for r in reports for f in r.findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


@cli.command("rules")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def list_rules(lang: str) -> None:
    """List every rule: id, name, severity, title."""
    from rich.console import Console
    from rich.table import Table

    rules = _load_rules()
    table = Table(box=None, header_style="bold")
    for column in ("id", "name", "severity", "title"):
        table.add_column(column)
    for rule in rules:
        table.add_row(rule.id, rule.name, rule.severity.value, rule.title.get(lang))
    Console(highlight=False).print(table)


@cli.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def explain(rule_id: str, lang: str) -> None:
    """Show a rule's documentation: what it checks, why, examples, options."""
    rules = _load_rules()
    rule = rules.get(rule_id)
    if rule is None:
        _fail(f"unknown rule {rule_id!r} (see `audit rules`)")
    zh = lang == "zh"
    lines = [f"{rule.id} {rule.name} [{rule.severity.value}]", rule.title.get(lang), ""]
    if rule.rationale:
        lines += [("为什么：" if zh else "Why: ") + rule.rationale.get(lang), ""]
    lines += [("提示模板：" if zh else "Message: ") + rule.message.get(lang)]
    if rule.suggestion:
        lines += [("建议模板：" if zh else "Suggestion: ") + rule.suggestion.get(lang)]
    if rule.examples:
        if rule.examples.bad:
            lines += [("反例：" if zh else "Bad: ") + rule.examples.bad]
        if rule.examples.good:
            lines += [("正例：" if zh else "Good: ") + rule.examples.good]
    if rule.options:
        lines += [("参数：" if zh else "Options: ") + rule.options.get(lang)]
    if rule.params:
        lines += [("参数值：" if zh else "Params: ") + json.dumps(rule.params, ensure_ascii=False)]
    if rule.references:
        lines += [("依据：" if zh else "References: ") + "；".join(rule.references)]
    lines += [("定义于：" if zh else "Defined in: ") + rule.source]
    click.echo("\n".join(lines))


@cli.command()
@click.argument("values", nargs=-1, required=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the Constraint as JSON.")
def parse(values: tuple[str, ...], lang: str, as_json: bool) -> None:
    """Show what the indicator-value grammar makes of 指标值 strings."""
    from audit.indicator import parse_value

    for value in values:
        constraint = parse_value(value)
        if as_json:
            click.echo(constraint.model_dump_json())
        else:
            click.echo(f"{value!r}: {constraint.describe(lang)}")


@cli.command()
@click.argument("path")
def extract(path: str) -> None:
    """Print the facts read from one file as JSON (for people who want the data)."""
    from audit.pipeline import analyse
    from audit.source import InputError, load

    try:
        source = load(path)
    except InputError as exc:
        _fail(f"{path}: {exc}")
    document = analyse(source)
    payload = {
        "path": path,
        "encoding": source.encoding,
        "counts": document.facts.counts(),
        "facts": document.facts.model_dump(mode="json"),
    }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def main() -> None:
    """Entry point: click's own usage errors exit 2; so does anything unexpected, with one line."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("audit: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last safety net: one line, exit 2
        click.echo(f"audit: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
