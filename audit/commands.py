"""The commands that show rather than audit: `audit rules`, `audit explain`, `audit docs`,
`audit parse`, `audit config`, `audit extract` (registered on the group in audit.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

LANGS = click.Choice(["zh", "en"])


@click.command("rules")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra rule file(s).")
@click.option("--json", "as_json", is_flag=True, help="Print the rules as JSON.")
def list_rules(lang: str, rule_files, as_json: bool) -> None:
    """List every rule: id, name, severity, title."""
    from audit.cli import _load_rules

    rules = _load_rules(rule_files)
    if as_json:
        payload = [
            {"id": r.id, "name": r.name, "severity": r.severity.value, "kind": r.kind, "title": r.title.get(lang)} for r in rules
        ]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("id", "name", "severity", "title"):
        table.add_column(column, no_wrap=column != "title")
    for rule in rules:
        table.add_row(rule.id, rule.name, rule.severity.value, rule.title.get(lang))
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)


@click.command()
@click.argument("rule_id")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--rules", "rule_files", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Extra rule file(s).")
def explain(rule_id: str, lang: str, rule_files) -> None:
    """Show a rule's documentation (by id or name): what it checks, why, examples, options."""
    from audit.cli import _fail, _load_rules
    from audit.conventions import did_you_mean
    from audit.report.ruledoc import explain_text

    rules = _load_rules(rule_files)
    rule = rules.get(rule_id)
    if rule is None:
        _fail(f"unknown rule {rule_id!r}{did_you_mean(rule_id, rules) or ' (see `audit rules`)'}")
    click.echo(explain_text(rule, lang))


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the page here (e.g. docs/rules.md) instead of printing it.")
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if --output is not up to date (for CI).")
def docs(output: str | None, check_only: bool) -> None:
    """Generate docs/rules.md from the rule files (the same entries `audit explain` and SARIF use)."""
    from audit.cli import EXIT_FINDINGS, _fail, _load_rules
    from audit.report.ruledoc import rules_page

    page = rules_page(_load_rules())
    if check_only:
        if not output:
            raise click.BadParameter("--check needs --output FILE", param_hint="--check")
        current = Path(output).read_text(encoding="utf-8") if Path(output).is_file() else ""
        if current != page:
            click.echo(f"audit: {output} is out of date; run `audit docs --output {output}`", err=True)
            sys.exit(EXIT_FINDINGS)
        return
    if output:
        from audit.outputs import OutputError, write_file

        try:
            write_file(output, page)
        except OutputError as exc:
            _fail(str(exc))
    else:
        click.echo(page, nl=False)


@click.command()
@click.argument("values", nargs=-1, required=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the Constraint as JSON.")
def parse(values: tuple[str, ...], lang: str, as_json: bool) -> None:
    """Show what the indicator-value grammar makes of 指标值 strings."""
    from audit.indicators import parse_value

    for value in values:
        constraint = parse_value(value)
        if as_json:
            from pydantic_core import to_jsonable_python

            click.echo(json.dumps(to_jsonable_python(constraint), ensure_ascii=False, separators=(",", ":")))
        else:
            click.echo(f"{value!r}: {constraint.describe(lang)}")


@click.command("config")
@click.argument("path", required=False)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="This config file instead of the nearest one.")
@click.option("--no-config", is_flag=True, help="Ignore config files (shows the defaults).")
def show_config(path: str | None, config_file: str | None, no_config: bool) -> None:
    """Print the settings `audit check` would use (here, or for PATH), as TOML, with the file they come from."""
    from audit.cli import _fail
    from audit.config import ConfigError, discover, discover_from
    from audit.conventions import settings_text

    try:
        if path and not config_file and not no_config:
            config = discover_from(Path(path) if Path(path).is_dir() else Path(path).parent)
        else:
            config = discover(config_file, enabled=not no_config)
    except ConfigError as exc:
        _fail(f"bad config: {exc}")
    for warning in config.warnings:
        click.echo(f"audit: warning: {warning}", err=True)
    click.echo(settings_text(config), nl=False)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the document model and the facts as JSON.")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
def extract(paths: tuple[str, ...], as_json: bool, lang: str) -> None:
    """Show what was read from one file (several: one joined publication): its tables with their
    cells, its paragraphs, and what the rules can check."""
    from audit.cli import _fail
    from audit.pipeline import analyse, read_document
    from audit.readers.show import json_view, text_view
    from audit.source import InputError

    path = "+".join(paths)
    try:
        source, model = read_document(path)
    except InputError as exc:
        _fail(f"{path}: {exc}")
    document = analyse(source)
    if model is None:
        from audit.readers.show import from_layout

        model = from_layout(source, document.blocks)
    counts = document.facts.counts()
    if not as_json:
        from audit.outputs import print_report

        print_report(text_view(model, counts, lang), machine=False)
        return
    from pydantic_core import to_jsonable_python

    payload = {
        "path": path,
        "encoding": source.encoding,
        "counts": counts,
        "document": json_view(model, lang),
        "facts": to_jsonable_python(document.facts),  # pydantic models and dataclasses alike
    }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
