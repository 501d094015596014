"""Waivers: findings a person has looked at and accepted, each with a reason and maybe an expiry date.

A waivers file is TOML (`[[waiver]]` tables) or YAML (a list, or a mapping with `waivers:`):

    [[waiver]]
    rule = "schedule-no-interim-plan"     # id or kebab-case name
    file = "**/001_*.txt"                  # glob on the path (as given, or relative to the cwd)
    match = "看守所"                        # optional: text that must occur in the finding
    reason = "项目为年底一次性采购，前期确无支出"   # required
    expires = 2024-12-31                   # optional: after this date the waiver stops applying

A waiver with a missing reason, an unknown rule or an unknown key is an error (exit 2), never a
silent blanket ignore. Expired and unused waivers are reported as notes on the run.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from audit.model import FileReport, Finding, RunReport
from audit.report.common import relative_path
from audit.rules import RuleSet
from audit.yamlsafe import YamlError, load_text


class WaiverError(Exception):
    """A waivers file that cannot be used; str() names the file, the entry and what is wrong."""


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    file: str
    reason: str
    match: str | None = None
    expires: dt.date | None = None
    where: str = ""  # file and entry number, for messages

    @field_validator("rule", "file", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def covers_path(self, paths: set[str]) -> bool:
        """`paths`: the file's path as given, in POSIX form, relative to the cwd, and its name."""
        return any(fnmatch.fnmatchcase(p, self.file) for p in paths)

    def covers(self, file: FileReport, finding: Finding) -> bool:
        """Whether this waiver (its rule and file already matched) takes `finding`."""
        if self.match is None:
            return True
        line = file.lines[finding.span.line - 1] if 1 <= finding.span.line <= len(file.lines) else ""
        haystack = (finding.snippet, finding.subject or "", line, finding.message.zh, finding.message.en)
        return any(self.match in text for text in haystack)


def _entries(path: Path) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WaiverError(f"{path}: cannot read waivers ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise WaiverError(f"{path}: waivers file is not UTF-8") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise WaiverError(f"{path}: invalid TOML ({exc})") from None
    else:
        try:
            data = load_text(text, str(path))
        except YamlError as exc:
            raise WaiverError(str(exc)) from None
    if data is None:
        return []
    if isinstance(data, dict):
        unknown = set(data) - {"waiver", "waivers"}
        if unknown:
            raise WaiverError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}; use [[waiver]] entries")
        data = data.get("waiver", data.get("waivers", []))
    if not isinstance(data, list):
        raise WaiverError(f"{path}: waivers must be a list of entries")
    return data


def load_waivers(path: Path, rules: RuleSet) -> list[Waiver]:
    waivers = []
    for number, entry in enumerate(_entries(path), start=1):
        where = f"{path.name} waiver #{number}"
        if not isinstance(entry, dict):
            raise WaiverError(f"{path}: waiver #{number} must be a table/mapping, got {entry!r}")
        try:
            waiver = Waiver.model_validate({**entry, "where": where})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'waiver'}: {err['msg']}" for err in exc.errors())
            raise WaiverError(f"{path}: waiver #{number}: {problems}") from None
        if rules.get(waiver.rule) is None:
            raise WaiverError(f"{path}: waiver #{number}: unknown rule {waiver.rule!r} (see `audit rules`)")
        waivers.append(waiver)
    return waivers


def _note(kind: str, waiver: Waiver, zh: str, en: str) -> dict:
    return {"kind": kind, "waiver": waiver.where, "rule": waiver.rule, "file": waiver.file, "message": {"zh": zh, "en": en}}


class WaiverFilter:
    """Drops waived findings one file at a time (`apply`), then notes expired and unused waivers
    and the count waived on the run (`finish`)."""

    def __init__(self, waivers: list[Waiver], rules: RuleSet, today: dt.date | None = None):
        self.today = today or dt.date.today()
        self.waivers = waivers
        self.used = [0] * len(waivers)
        self.active = [(i, w, rules.get(w.rule).id) for i, w in enumerate(waivers) if not w.expired(self.today)]
        self.waived = 0

    def apply(self, file: FileReport) -> None:
        if not file.findings or not self.active:
            return
        paths = {file.path, Path(file.path).as_posix(), relative_path(file.path), Path(file.path).name}
        here = [(i, w, rule_id) for i, w, rule_id in self.active if w.covers_path(paths)]
        if not here:
            return
        kept = []
        for finding in file.findings:
            hit = next((i for i, w, rule_id in here if finding.rule == rule_id and w.covers(file, finding)), None)
            if hit is None:
                kept.append(finding)
            else:
                self.used[hit] += 1
                self.waived += 1
        file.findings = kept

    def finish(self, run: RunReport) -> None:
        for i, waiver in enumerate(self.waivers):
            if waiver.expired(self.today):
                run.notes.append(
                    _note(
                        "waiver-expired",
                        waiver,
                        f"豁免已过期（{waiver.expires}），不再生效：{waiver.where}，规则 {waiver.rule}，文件 {waiver.file}",
                        f"waiver expired on {waiver.expires} and no longer applies: {waiver.where}, rule {waiver.rule}, file {waiver.file}",
                    )
                )
            elif self.used[i] == 0:
                run.notes.append(
                    _note(
                        "waiver-unused",
                        waiver,
                        f"豁免未匹配任何问题，可删除：{waiver.where}，规则 {waiver.rule}，文件 {waiver.file}",
                        f"waiver matched no finding and can be removed: {waiver.where}, rule {waiver.rule}, file {waiver.file}",
                    )
                )
        if self.waived:
            run.suppressed["waived"] = run.suppressed.get("waived", 0) + self.waived
