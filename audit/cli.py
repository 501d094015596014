"""The command line: `audit check`, `audit baseline`, and the program's entry point (`run`); the
commands that only show (`audit rules`, `explain`, `docs`, `parse`, `config`, `extract`) are in
audit/commands.py and registered here.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error
(a file that could not be read, a bad rule, config, baseline or waivers file, an unknown option),
130 interrupted by Ctrl-C (as shells report a command a SIGINT ended) — never a bare traceback. Heavy modules are imported inside the commands: start-up stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audit import __version__
from audit.conventions import SeverityFilter, did_you_mean, named_stdin, report_width, use_color
from audit.terminal import printable

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 128 + 2  # 128 + SIGINT, what a shell shows for a command Ctrl-C ended
LANGS = click.Choice(["zh", "en"])
FAIL_ON = ["error", "warning", "info", "never"]


def _fail(message: str) -> None:
    click.echo(f"audit: {printable(message)}", err=True)
    sys.exit(EXIT_ERROR)


HUMAN_FORMATS = {"text", "concise"}  # the others are read by programs
# the names in audit.report.FORMATS (a test keeps them equal; listed here so --help needs no import)
FORMAT_NAMES = ("text", "concise", "json", "jsonl", "sarif", "junit", "github", "gitlab", "csv", "markdown", "html")
SEVERITIES = ("error", "warning", "info")
QUOTING_FORMATS = {"text", "sarif", "markdown", "html"}  # the formats that quote source lines


def _formats() -> dict[str, str]:
    from audit.report import FORMATS

    return FORMATS


def _load_rules(extra=()):
    """The rule set, for commands that only show rules (a run resolves them with api.resolve_rules)."""
    from audit.rules import RuleFileError, load_rules

    try:
        return load_rules([Path(p) for p in extra])
    except RuleFileError as exc:
        _fail(f"bad rule file: {exc}")


def _split(values) -> list[str]:
    return [part for value in values for part in value.replace(" ", ",").split(",") if part]


def collect_paths(paths, include=(), exclude=()) -> list[str]:
    from audit.batch import collect_paths as collect

    return collect(paths, include, exclude)


def _parse_reports(values) -> list[tuple[str, str]]:
    formats = _formats()
    out = []
    for value in values:
        fmt, sep, path = value.partition("=")
        fmt = fmt.lower()
        if not sep or not path:
            raise click.BadParameter(f"{value!r}: expected FORMAT=PATH, e.g. sarif=audit.sarif", param_hint="--report")
        if fmt not in formats:
            raise click.BadParameter(f"unknown format {fmt!r} (choose from {', '.join(formats)})", param_hint="--report")
        out.append((fmt, path))
    return out


def _run_options(function):
    """Options shared by `check` and `baseline`: what to read and which rules to run."""
    options = [
        click.argument("paths", nargs=-1, required=True),
        click.option("--select", multiple=True, help="Only these rules: ids, names or prefixes (B003, S, schedule-gap)."),
        click.option("--ignore", multiple=True, help="Skip these rules: ids, names or prefixes."),
        click.option("--extend-select", multiple=True, help="Add these rules to the selection (the config's or --select's)."),
        click.option("--extend-ignore", multiple=True, help="Skip these rules as well as the ignored ones."),
        click.option("--stdin-filename", metavar="PATH", help="The name `-` (standard input: text, or a PDF, Word or Excel file's bytes) is reported under."),
        click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False), help="Extra rule file(s)."),
        click.option("--include", multiple=True, help="Globs of files to read in folders (default *.txt, *.text, *.pdf, *.docx, *.xlsx)."),
        click.option("--exclude", multiple=True, help="Globs of files or folders to skip in folders."),
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Audit files in N processes."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: nearest audit.toml or pyproject.toml [tool.audit])."),
        click.option("--no-config", is_flag=True, help="Ignore config files."),
        click.option("--lang", type=LANGS, default=None, help="Report language: zh (default) or en."),
        click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, help="Seconds one file may take; past it the file is an input error and the run goes on (0: no limit)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


class _Run:
    """Config + rules + selection, then the audited files."""

    def __init__(self, paths, select, ignore, extend_select, extend_ignore, stdin_filename, rule_files, include, exclude, jobs, config_file, no_config, lang, timeout=0.0):
        from audit.config import ConfigError, discover

        try:
            self.config = config = discover(config_file, enabled=not no_config)
        except ConfigError as exc:
            _fail(f"bad config: {exc}")
        for warning in config.warnings:
            click.echo(f"audit: warning: {printable(warning)}", err=True)
        from audit.api import ConfigurationError, resolve_rules

        try:
            rules, selected = resolve_rules(config, _split(select), _split(ignore), rule_files,
                                            _split(extend_select), _split(extend_ignore))
        except ConfigurationError as exc:
            if exc.unknown is None:
                _fail(str(exc))
            where = f" (in {config.path})" if config.path else ""
            hint = did_you_mean(exc.unknown, exc.rules)
            raise click.BadParameter(f"unknown rule {exc.unknown!r}{where}{hint}", param_hint="--select/--ignore/severity") from None
        self.rules = rules
        self.selected = selected
        self.lang = lang or config.lang or "zh"
        self.lexicons = {name: config.resolve(path) for name, path in config.lexicons.items()}
        self.paths = collect_paths(paths, include or config.include, exclude or config.exclude)
        self.jobs = jobs or config.jobs or 1
        if stdin_filename and "-" not in paths:
            raise click.BadParameter("only with `-` (standard input) among the paths", param_hint="--stdin-filename")
        self.stdin_filename = stdin_filename
        self.timeout = timeout
        self.scheduler: str | None = None  # a Dask scheduler: the files are audited on that cluster

    def memos(self):
        """The run's memo tables, with the config's lexicon extensions: the run's own, as an
        Auditor's (never installed in the process), pickled with the options to --jobs and Dask workers."""
        from audit.config import ConfigError, read_lexicon_extensions
        from audit.memo import Memos

        try:
            return Memos(lexicons=read_lexicon_extensions(self.lexicons))
        except ConfigError as exc:
            _fail(f"bad config: {exc}")

    def reports(self, progress: bool = True, keep_lines: bool = True, keep_projects: bool = True, render: tuple[str, ...] = ()):
        """The audited files, one FileReport at a time in input order; `render`: formats whose
        per-file text --jobs workers render (see run_batch)."""
        from audit.batch import run_batch
        from audit.pipeline import Options

        options = Options(
            selected=self.selected, timeout=self.timeout, previous=getattr(self, "previous", None), counterpart=getattr(self, "counterpart", None),
            memos=self.memos(),
        )
        from audit import startup

        startup.started()
        if self.scheduler:
            from audit.distributed import stream

            return stream(self.paths, self.rules, options, self.scheduler, keep_lines=keep_lines,
                          keep_projects=keep_projects)
        files = run_batch(
            self.paths,
            self.rules,
            options,
            self.jobs,
            progress=progress,
            keep_lines=keep_lines,
            keep_projects=keep_projects,
            render=render,
            lang=self.lang,
        )
        return named_stdin(files, self.stdin_filename) if self.stdin_filename else files


def _report_errors(errors: list[tuple[str, str]]) -> bool:
    for path, error in errors:
        click.echo(f"audit: {printable(path)}: {printable(error)}", err=True)
    return bool(errors)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="audit")
def cli() -> None:
    """Consistency audit for Chinese budget disclosures (部门预算/决算公开, 绩效目标表)."""


@cli.command()
@_run_options
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES, case_sensitive=False), default=None, help="Report format (default text).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the --format report to this file.")
@click.option("--report", "reports", multiple=True, metavar="FORMAT=PATH", help="Also write a report in FORMAT to PATH (repeatable).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None, help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (input errors still exit 2).")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline file.")
@click.option("--waivers", type=click.Path(dir_okay=False), help="TOML/YAML file of accepted findings (with reasons).")
@click.option("--min-severity", type=click.Choice(SEVERITIES, case_sensitive=False), default=None, help="Report only findings at or above this severity.")
@click.option("--statistics", is_flag=True, help="text: after the summary, the facts read and a table of every rule's results.")
@click.option("--quiet", "-q", is_flag=True, help="text, concise: the findings alone (no file headings, no summary).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal; NO_COLOR and FORCE_COLOR are honoured).")
@click.option("--join", is_flag=True, help="The files given are ONE publication (e.g. a narrative PDF and its tables PDF): checked as one document. Same as naming them A.pdf+B.pdf.")
@click.option("--scheduler", metavar="ADDRESS", help="Audit on a Dask cluster: tcp://host:8786, a scheduler file, or local:N (needs the dask extra).")
@click.option("--tables-out", metavar="FOLDER", help="Write findings/ and documents/ tables (Parquet or JSONL partitions) under FOLDER or an fsspec URL.")
@click.option("--tables-format", type=click.Choice(["parquet", "jsonl"]), default="parquet", show_default=True, help="File format of --tables-out.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False), help="Last year's disclosure: check every 与上年相比 base against it (B016).")
@click.option("--counterpart", type=click.Path(exists=True, dir_okay=False), help="The same year's 单位 (or 部门) disclosure: figures both state must agree (B019).")
def check(paths, select, ignore, extend_select, extend_ignore, stdin_filename, rule_files, include, exclude, jobs, config_file, no_config, lang, timeout, fmt, output, reports, fail_on, exit_zero, baseline, waivers, min_severity, statistics, quiet, color, join, scheduler, tables_out, tables_format, previous, counterpart) -> None:
    """Audit disclosures (files or folders) and report every inconsistency.

    A publication in several files is checked as one document with --join, or by naming its
    files joined with "+": narrative.pdf+tables.pdf."""
    if join:
        if any(Path(p).is_dir() for p in paths):
            raise click.BadParameter("--join takes files, not folders", param_hint="--join")
        paths = ("+".join(paths),)
    run_setup = _Run(paths, select, ignore, extend_select, extend_ignore, stdin_filename, rule_files, include, exclude, jobs, config_file, no_config, lang, timeout)
    run_setup.scheduler = scheduler
    run_setup.previous, run_setup.counterpart = previous, counterpart
    if tables_out:
        _tables_out(run_setup, tables_out, tables_format, fail_on or run_setup.config.fail_on or "error", exit_zero)
    config = run_setup.config
    formats = _formats()
    fmt = (fmt or config.format or "text").lower()
    if fmt not in formats:
        raise click.BadParameter(f"unknown format {fmt!r} (choose from {', '.join(formats)})", param_hint="--format")
    if reports:
        extra = _parse_reports(reports)
    else:
        extra = _parse_reports([f"{k}={config.resolve(v)}" for k, v in config.reports.items()])
    fail_on = fail_on or config.fail_on or "error"
    waivers_path = Path(waivers) if waivers else config.resolve(config.waivers)
    baseline_path = Path(baseline) if baseline else config.resolve(config.baseline)

    # read the waivers and baseline before the run: a bad one is an error, not a silent ignore
    waiver_list, known = [], None
    if waivers_path:
        from audit.waivers import WaiverError, load_waivers

        try:
            waiver_list = load_waivers(waivers_path, run_setup.rules)
        except WaiverError as exc:
            _fail(f"bad waivers file: {exc}")
    if baseline_path:
        from audit.baseline import BaselineError, load_baseline

        try:
            known = load_baseline(baseline_path)
        except BaselineError as exc:
            _fail(f"bad baseline: {exc}")

    from audit.model import RunReport
    from audit.pipeline import severity_at_least
    from audit.outputs import Output
    from audit.report import ReportOptions, stream_writer

    filters = []  # each file goes through them before it is reported: waivers first, then the baseline
    if waivers_path:
        from audit.waivers import WaiverFilter

        filters.append(WaiverFilter(waiver_list, run_setup.rules))
    if known is not None:
        from audit.baseline import BaselineFilter

        filters.append(BaselineFilter(known))
    if min_severity:
        filters.append(SeverityFilter(min_severity.lower()))

    # A machine-readable report printed to the terminal must not share it with the progress bar:
    # whoever captures that terminal (a CI log, `script`, an editor) gets the report alone.
    progress = output is not None or fmt in HUMAN_FORMATS or not sys.stdout.isatty()
    wanted = {fmt, *(extra_fmt for extra_fmt, _ in extra)}
    quoting = bool(wanted & QUOTING_FORMATS) or any(w.match is not None for w in waiver_list)  # a `match` may be on the line
    render = () if filters else tuple(sorted(wanted))  # a filter changes findings after a worker's rendering
    files = run_setup.reports(progress=progress, keep_lines=quoting, keep_projects="html" in wanted, render=render)

    run = RunReport(version=__version__, rules=run_setup.rules.rules)
    to_terminal = output is None and sys.stdout.isatty()
    options = ReportOptions(
        lang=run_setup.lang,
        color=use_color(color, to_terminal) if output is None else bool(color),
        width=report_width(to_terminal) if output is None else None,
        fail_on=fail_on,
        quiet=quiet,
        statistics=statistics,
    )
    file_options = ReportOptions(lang=run_setup.lang, color=False, fail_on=fail_on)
    outputs = [Output(stream_writer(fmt)(run, options), output, machine=fmt not in HUMAN_FORMATS, hold=to_terminal)]
    outputs += [Output(stream_writer(extra_fmt)(run, file_options), path) for extra_fmt, path in extra]
    errors: list[tuple[str, str]] = []
    failing = False
    try:
        for out in outputs:
            out.write(out.writer.start())
        for report in files:
            for step in filters:
                step.apply(report)
            for out in outputs:
                out.write(out.writer.file(report))
            if report.error:
                errors.append((report.path, report.error))
            failing = failing or any(severity_at_least(f, fail_on) for f in report.findings)
        for step in filters:
            step.finish(run)
        for out in outputs:
            out.write(out.writer.finish())
            out.close()
    finally:
        for out in outputs:
            out.discard()
    for out in outputs:
        if out.error:
            _fail(out.error)
    if fmt != "text" or output:  # the text report on stdout already lists them
        for note in run.notes:
            click.echo(f"audit: {printable(note['message'][run_setup.lang])}", err=True)
    if _report_errors(errors):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def _tables_out(run_setup: _Run, folder: str, fmt: str, fail_on: str, exit_zero: bool) -> None:
    """`check --tables-out`: the findings and per-document tables for pandas, DuckDB or Spark,
    written by the Dask workers (or by this process without --scheduler), then a one-line summary."""
    from audit.distributed import ClusterError, write_tables
    from audit.pipeline import Options

    options = Options(selected=run_setup.selected, memos=run_setup.memos())
    try:
        totals = write_tables(run_setup.paths, run_setup.rules, options, run_setup.scheduler, folder, fmt=fmt,
                              lang=run_setup.lang)
    except ClusterError as exc:
        _fail(str(exc))
    counts = {level: totals.get(level, 0) for level in ("error", "warning", "info")}
    click.echo(
        f"audit: {totals['documents']} documents, {totals['findings']} findings "
        f"({counts['error']} error, {counts['warning']} warning, {counts['info']} info), "
        f"{totals['unreadable']} unreadable → {folder}",
        err=True,
    )
    if totals["unreadable"]:
        sys.exit(EXIT_ERROR)
    levels = {"error": ["error"], "warning": ["error", "warning"], "info": ["error", "warning", "info"], "never": []}
    failing = any(counts[level] for level in levels[fail_on])
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


@cli.command("baseline")
@_run_options
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="The baseline file to write (JSON).")
def make_baseline(paths, select, ignore, extend_select, extend_ignore, stdin_filename, rule_files, include, exclude, jobs, config_file, no_config, lang, timeout, output) -> None:
    """Record the current findings, so `audit check --baseline FILE` reports only new ones."""
    from audit.baseline import BaselineRecorder

    run_setup = _Run(paths, select, ignore, extend_select, extend_ignore, stdin_filename, rule_files, include, exclude, jobs, config_file, no_config, lang, timeout)
    recorder = BaselineRecorder()
    errors: list[tuple[str, str]] = []
    files = 0
    for report in run_setup.reports(keep_lines=False, keep_projects=False):
        files += 1
        recorder.add(report)
        if report.error:
            errors.append((report.path, report.error))
    _report_errors(errors)
    count = recorder.write(Path(output), __version__)
    click.echo(f"audit: wrote {count} finding(s) from {files} file(s) to {output}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


from audit import commands  # noqa: E402 - the commands that show rules, docs, settings and what was read

for _command in (commands.list_rules, commands.explain, commands.docs, commands.parse, commands.show_config, commands.extract):
    cli.add_command(_command)


def main() -> None:
    """Entry point: click's own usage errors exit 2; so does anything unexpected, with one line."""
    from audit import startup

    startup.pause_gc()  # until startup.started()
    try:
        cli.main(prog_name="audit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        _aborted()
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    except SystemExit:
        raise
    except ModuleNotFoundError as exc:
        # run from a checkout with an interpreter that lacks the dependencies (lark, rich, …)
        click.echo(f"audit: missing dependency {exc.name!r}: install the project first (pip install .)", err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - the last safety net: one line, exit 2
        click.echo(f"audit: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_ERROR)


def _aborted() -> None:
    click.echo("audit: aborted", err=True)
    sys.exit(EXIT_INTERRUPTED)


def run() -> None:
    """The program's entry point (the `audit` command, `python -m audit`): main(), then exit with
    its code once stdout and stderr are flushed; a report the reader stopped taking (a closed pipe)
    makes the exit code 2, never a traceback at interpreter exit."""
    from audit.startup import make_patient

    try:
        make_patient()  # a non-blocking stdout (some harnesses) must not cut the report at 64 KB
        _exit_on_sigterm()
        main()
        code = EXIT_CLEAN
    except SystemExit as exc:
        code = _exit_code(exc.code)
    except KeyboardInterrupt:  # outside main(): setting up the streams
        print("audit: aborted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: started with that descriptor closed
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: the report was not all delivered
            code = EXIT_ERROR
            _silence(stream)
    sys.exit(code)


def _silence(stream) -> None:
    """Point a stream whose reader has gone at /dev/null, so the interpreter's own flush at exit
    does not print "Exception ignored … BrokenPipeError" (the Python docs' advice for SIGPIPE)."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    except (OSError, ValueError):
        pass


def _exit_on_sigterm() -> None:
    """For the program, not an in-process caller: SIGTERM (a CI cancel, `timeout`) unwinds the run
    as Ctrl-C does — --jobs workers stopped, no unfinished report file left — and exits 143
    (128 + 15). A worker puts the default back (audit.batch._worker_loop)."""
    import signal

    def _terminated(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _terminated)


def _exit_code(code: object) -> int:
    """What sys.exit(code) would leave with: None is 0, an int itself, anything else is printed and 1."""
    if code is None:
        return EXIT_CLEAN
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


if __name__ == "__main__":
    run()
