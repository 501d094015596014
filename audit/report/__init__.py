"""FileReports → bytes for people and machines. One module per format; `FORMATS` maps names to writers.

A writer is built once per run and fed one file at a time, so a run over thousands of files never
holds them all: `start()` gives the opening text, `file(report)` the text for one file (in input
order), `finish()` the closing text (summary, notes). Each returns a str, possibly empty; a format
whose opening depends on the whole run (html, markdown, junit, sarif, github) keeps the text it has
rendered per file and returns it all from `finish()`. A writer never reads files or re-runs checks.
A format whose text for one file depends on that file alone (json, jsonl) also offers
`render_file(report, lang)`: --jobs workers call it, and `file()` writes what they rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from importlib import import_module
from typing import Callable, Protocol

from audit.model import FileReport, RunReport


@dataclass
class ReportOptions:
    lang: str = "zh"
    color: bool = False
    width: int | None = None
    fail_on: str = "error"
    root: str | None = None  # paths and SARIF URIs are made relative to this folder (default: the cwd)
    quiet: bool = False  # text, concise: the findings alone (no headings, no summary)
    statistics: bool = False  # text: the facts and the per-rule table after the summary


class Writer(Protocol):
    """One format over one run. `run` carries the version and rules from the start; its
    `suppressed` and `notes` are complete when `finish()` is called; its `files` are not used."""

    def __init__(self, run: RunReport, options: ReportOptions) -> None: ...

    def start(self) -> str: ...

    def file(self, report: FileReport) -> str: ...

    def finish(self) -> str: ...


# name -> "module:class", imported only when used (start-up stays light)
FORMATS: dict[str, str] = {
    "text": "audit.report.text:TextWriter",
    "concise": "audit.report.concise:ConciseWriter",
    "json": "audit.report.json_:JsonWriter",
    "jsonl": "audit.report.jsonl:JsonlWriter",
    "sarif": "audit.report.sarif:SarifWriter",
    "junit": "audit.report.junit:JunitWriter",
    "github": "audit.report.github:GithubWriter",
    "gitlab": "audit.report.gitlab:GitlabWriter",
    "csv": "audit.report.csv_:CsvWriter",
    "markdown": "audit.report.markdown:MarkdownWriter",
    "html": "audit.report.html:HtmlWriter",
}


def stream_writer(name: str) -> type[Writer]:
    module, _, cls = FORMATS[name].partition(":")
    return getattr(import_module(module), cls)


def file_renderer(name: str, lang: str) -> Callable[[FileReport], str] | None:
    """The format's text for one file, when it depends on that file alone (`render_file` on the
    writer): --jobs workers render it beside the audit, so the main process only writes it out."""
    render = getattr(stream_writer(name), "render_file", None)
    return None if render is None else partial(render, lang=lang)


def writer(name: str) -> Callable[[RunReport, ReportOptions], str]:
    """The whole report of a run already in memory (tests, callers with a RunReport)."""
    cls = stream_writer(name)

    def render(run: RunReport, options: ReportOptions) -> str:
        out = cls(run, options)
        return out.start() + "".join([out.file(report) for report in run.files]) + out.finish()

    return render
