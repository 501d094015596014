"""Helpers for the hardening tests (hostile files, corruption, fuzzing): audit bytes in-process,
spot crashes (X001 or a traceback) and hangs."""

from __future__ import annotations

import traceback
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from audit.model import FileReport
from audit.pipeline import Options, audit_source
from audit.rules import RuleSet, load_rules
from audit.source import InputError, from_bytes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


@lru_cache(maxsize=1)
def all_rules() -> RuleSet:
    return load_rules()


def audit_bytes(data: bytes, name: str = "doc.txt") -> FileReport | str:
    """The FileReport with every rule selected, or the InputError's message for an unreadable input."""
    rules = all_rules()
    try:
        source = from_bytes(data, name)
    except InputError as exc:
        return str(exc)
    return audit_source(source, rules, Options(selected=set(rules.rules)))


def crashes(report: FileReport | str) -> list[str]:
    """X001 findings (a check that raised), as 'rule: exception (file:line)'."""
    if isinstance(report, str):
        return []
    return [
        f"{f.evidence.values.get('rule')}: {f.evidence.values.get('exception')}" if f.evidence else f.message.en
        for f in report.findings
        if f.rule == "X001"
    ]


def signature(report: FileReport) -> list[tuple]:
    """What must not change when only the encoding changes: rule, place and message of each finding."""
    return [
        (f.rule, f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message.zh)
        for f in report.findings
        if f.rule != "X002"
    ]


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    """Raise Hang if the block runs longer than `seconds` (the tool's own per-file limit,
    audit.batch.time_limit: SIGALRM; regex loops check signals too)."""
    from audit.batch import TimeLimit, time_limit

    try:
        with time_limit(seconds):
            yield
    except TimeLimit:
        raise Hang(f"still running after {seconds} s") from None


def problem(data: bytes, seconds: float = 60) -> str | None:
    """None when the tool gave findings or a clean input error; else what went wrong (traceback, X001, hang)."""
    try:
        with deadline(seconds):
            report = audit_bytes(data)
    except Hang as exc:
        return f"hang: {exc}"
    except Exception:  # noqa: BLE001 - the point is to catch anything
        return "traceback:\n" + traceback.format_exc(limit=-6)
    found = crashes(report)
    return "X001: " + "; ".join(found) if found else None
