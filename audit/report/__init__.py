"""RunReport → bytes for people and machines. One module per format; `FORMATS` maps names to writers.

Every writer takes (run, options) and returns a str; it never reads files or re-runs checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

from audit.model import RunReport


@dataclass
class ReportOptions:
    lang: str = "zh"
    color: bool = False
    width: int | None = None
    fail_on: str = "error"
    root: str | None = None  # paths and SARIF URIs are made relative to this folder (default: the cwd)


Writer = Callable[[RunReport, ReportOptions], str]

# name -> "module:function", imported only when used (start-up stays light)
FORMATS: dict[str, str] = {
    "text": "audit.report.text:render",
    "concise": "audit.report.concise:render",
    "json": "audit.report.json_:render",
    "jsonl": "audit.report.jsonl:render",
    "sarif": "audit.report.sarif:render",
    "junit": "audit.report.junit:render",
    "github": "audit.report.github:render",
    "gitlab": "audit.report.gitlab:render",
    "csv": "audit.report.csv_:render",
    "markdown": "audit.report.markdown:render",
    "html": "audit.report.html:render",
}


def writer(name: str) -> Writer:
    module, _, function = FORMATS[name].partition(":")
    return getattr(import_module(module), function)
