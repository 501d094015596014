"""Project configuration: `[tool.audit]` in pyproject.toml, or an `audit.toml` (top level or [tool.audit]).

Found by walking up from the current folder (audit.toml first, then a pyproject.toml that has a
[tool.audit] table), or given with --config. Paths in it are relative to the file. Command-line
options override it. An unknown key or a wrong type is an error naming the file, never ignored.

A found config is obeyed only where the user put it: the walk stops at the repository's root (the
folder holding .git) or the user's home; a file another user owns, or that others may write, is
ignored with a warning (anyone can drop an audit.toml in /tmp or a shared folder); and its
`reports` must stay inside its own folder (a planted config once overwrote ~/.bashrc). --config
FILE is the user's own choice and is trusted as given.

    [tool.audit]
    select = ["S", "B003"]          # ids, kebab-case names or family prefixes
    ignore = ["schedule-no-interim-plan"]
    fail-on = "warning"
    format = "text"
    reports = { sarif = "audit.sarif", html = "audit.html" }
    include = ["*.txt"]
    exclude = ["drafts/**"]
    jobs = 4
    lang = "zh"
    baseline = "audit-baseline.json"
    waivers = "audit-waivers.toml"
    rules = ["rules/local.yaml"]     # extra rule files
    [tool.audit.severity]
    S004 = "warning"                  # or "off" to switch a rule off
    [tool.audit.lexicons]
    indicator_schema = "lexicons/indicator_schema.local.yaml"   # merged into the shipped lexicon
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal


CONFIG_FILES = ("audit.toml", ".audit.toml", "pyproject.toml")


class ConfigError(Exception):
    """A config file that cannot be used; str() names the file and what is wrong."""


@dataclass(slots=True)
class Config:
    """The settings a run uses. A plain dataclass: with no config file to read, pydantic is never imported."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Literal["error", "warning", "info", "off"]] = field(default_factory=dict)
    fail_on: Literal["error", "warning", "info", "never"] | None = None
    format: str | None = None
    reports: dict[str, str] = field(default_factory=dict)  # format -> path
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    jobs: int | None = None
    lang: Literal["zh", "en"] | None = None
    baseline: str | None = None
    waivers: str | None = None
    rules: list[str] = field(default_factory=list)
    lexicons: dict[str, str] = field(default_factory=dict)
    path: Path | None = None  # the file it was read from
    warnings: list[str] = field(default_factory=list)  # config files found and ignored, and why

    @classmethod
    def from_mapping(cls, data: dict) -> "Config":
        """A config from a file's table, checked key by key (pydantic's ValidationError if wrong)."""
        checked = _schema().model_validate(data)
        return cls(**{name: getattr(checked, name) for name in _schema().model_fields})

    def resolve(self, relative: str | None) -> Path | None:
        """A path from the file, relative to the file's folder."""
        if relative is None:
            return None
        path = Path(relative).expanduser()
        if not path.is_absolute() and self.path is not None:
            path = self.path.parent / path
        return path


@lru_cache(maxsize=1)  # a model of this module's code: kept for the process
def _schema() -> type:
    """The pydantic model a config table is validated with: built, with pydantic, only when there is one."""
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    class Config(BaseModel):  # noqa: F811 - named like the dataclass, for the error messages
        model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=lambda name: name.replace("_", "-"))

        select: list[str] = Field(default_factory=list)
        ignore: list[str] = Field(default_factory=list)
        severity: dict[str, Literal["error", "warning", "info", "off"]] = Field(default_factory=dict)
        fail_on: Literal["error", "warning", "info", "never"] | None = None
        format: str | None = None
        reports: dict[str, str] = Field(default_factory=dict)
        include: list[str] = Field(default_factory=list)
        exclude: list[str] = Field(default_factory=list)
        jobs: int | None = Field(default=None, ge=1)
        lang: Literal["zh", "en"] | None = None
        baseline: str | None = None
        waivers: str | None = None
        rules: list[str] = Field(default_factory=list)
        lexicons: dict[str, str] = Field(default_factory=dict)

        @field_validator("select", "ignore", "include", "exclude", "rules", mode="before")
        @classmethod
        def _listify(cls, value):
            return [value] if isinstance(value, str) else value

    return Config


def find_config(start: Path | None = None, warnings: list[str] | None = None) -> Path | None:
    """The nearest audit.toml, or pyproject.toml with a [tool.audit] table, from `start` upwards,
    up to the repository root or the user's home; files not trusted (see _distrust) are skipped,
    with the reason added to `warnings`."""
    folder = (start or Path.cwd()).resolve()
    home = _home()
    for directory in (folder, *folder.parents):
        found = _config_in(directory, warnings)
        if found is not None:
            return found
        if directory == home or (directory / ".git").exists():
            return None
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError):  # no home directory known
        return None


def _config_in(directory: Path, warnings: list[str] | None) -> Path | None:
    for name in CONFIG_FILES:
        candidate = directory / name
        try:
            if not candidate.is_file():
                continue
        except OSError:  # a folder we may not search
            continue
        if name == "pyproject.toml" and not _has_audit_table(candidate):
            continue
        reason = _distrust(candidate)
        if reason:
            if warnings is not None:
                warnings.append(f"ignoring config {candidate}: {reason}")
            continue
        return candidate
    return None


def _has_audit_table(candidate: Path) -> bool:
    import tomllib  # only once there is a file to read: most runs have none

    try:
        return "audit" in tomllib.loads(candidate.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def _distrust(path: Path) -> str | None:
    """Why a found config file must not be obeyed, or None: another user owns it, or others may write it."""
    import os

    if not hasattr(os, "getuid"):  # no POSIX owners (Windows): nothing to compare
        return None
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if info.st_uid != os.getuid():
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return "writable by other users"
    return None


def load_config(path: Path) -> Config:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc})") from None
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("audit", {})
    if not isinstance(data, dict) or "path" in data:
        raise ConfigError(f"{path}: `path` is not a config key" if isinstance(data, dict) else f"{path}: [tool.audit] must be a table")
    from pydantic import ValidationError

    try:
        config = Config.from_mapping(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}" for err in exc.errors())
        raise ConfigError(f"{path}: {problems}") from None
    config.path = path.resolve()
    return config


def discover(explicit: str | None, enabled: bool = True) -> Config:
    """The config to use: --config FILE, else the nearest one found, else defaults."""
    if explicit:
        return load_config(Path(explicit))
    if not enabled:
        return Config()
    return discover_from(None)


def discover_from(start: Path | None) -> Config:
    """The config found from `start` (default: the current folder) upwards, with discover()'s
    checks; `audit config PATH` asks for the one a file's folder would find."""
    warnings: list[str] = []
    found = find_config(start, warnings=warnings)
    config = load_config(found) if found else Config()
    if found:
        _confine_reports(config)
    config.warnings = warnings
    return config


def _confine_reports(config: Config) -> None:
    """A found config writes reports only inside its own folder (no `~`, no `..`, no absolute path
    elsewhere, no symlinked folder leading out): ConfigError otherwise."""
    import os

    home = os.path.realpath(config.path.parent)
    for fmt, relative in config.reports.items():
        target = config.resolve(relative)
        for candidate in (os.path.normpath(target), os.path.realpath(target)):
            if os.path.commonpath([home, candidate]) != home:
                raise ConfigError(
                    f"{config.path}: reports.{fmt} = {relative!r} is outside the config's folder "
                    "(a config found by searching writes reports only beside itself; use --report or --config)"
                )


def read_lexicon_extensions(extensions: dict[str, Path]) -> dict[str, list[dict]]:
    """Each extension file read: lexicon name → the mappings to merge into the shipped lexicon, as
    a run's `Memos(lexicons=…)` takes them (the CLI's run and an Auditor alike: never installed in
    the process; --jobs and Dask workers get them pickled with the run's options). ConfigError for
    an unknown lexicon, a bad file, or one that is not a YAML mapping."""
    from audit.resources import data_dir
    from audit.yamlsafe import YamlError, load_file

    read = {}
    for name, path in (extensions or {}).items():
        if not (data_dir("rules") / "lexicons" / f"{name}.yaml").is_file():
            raise ConfigError(f"lexicons.{name}: no shipped lexicon of that name to extend")
        try:
            data = load_file(Path(path))
        except YamlError as exc:
            raise ConfigError(f"lexicons.{name}: {exc}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"lexicons.{name}: {path} must hold a YAML mapping")
        read[name] = [data]
    return read
