"""The rule set is data: YAML entries in rules/*.yaml, validated with pydantic on load.

A bad rule file is reported as `file:line: what is wrong` (RuleFileError), never a traceback.
What everyone holds (and the rules cache pickles) is a frozen dataclass: pydantic is imported only
when a rule file is actually read, so a start with the cache warm never pays for it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from functools import lru_cache
from pathlib import Path
from typing import Any

from audit.model import Severity, Text
from dataclasses import dataclass, field
from audit.resources import data_dir

RULE_ID = re.compile(r"^[A-Z]\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# How a rule's id and name are spelled, as the rule-file error says it.
_SPELLING = {"id": (RULE_ID, "a family letter and three digits, like B003"), "name": (RULE_NAME, "kebab-case, like schedule-not-monotone")}


class RuleFileError(Exception):
    """A rule file that cannot be used; str() is `path:line: reason`."""


@dataclass(slots=True)
class Examples:
    bad: str | None = None
    good: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str  # kebab-case alias, usable wherever an id is
    kind: str  # which check function runs it (audit/checks/)
    severity: Severity
    title: Text
    message: Text  # str.format template over the values the check supplies
    suggestion: Text | None = None
    rationale: Text | None = None
    references: list[str] = field(default_factory=list)
    examples: Examples | None = None
    options: Text | None = None  # what the params mean, for `audit explain`
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # file:line it was loaded from
    enabled: bool = True

    @property
    def family(self) -> str:
        return self.id[0]


@lru_cache(maxsize=1)  # a model of this module's code: kept for the process
def _schema() -> type:
    """The pydantic model a rule entry is validated with (built on first use, pydantic with it).

    It mirrors Rule field for field, and its models carry the dataclasses' names, so that error
    messages read as they always have ("Input should be a valid dictionary or instance of Text").
    """
    from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

    class Text(BaseModel):  # noqa: F811 - named like the dataclass it becomes, for the error messages
        model_config = ConfigDict(frozen=True)

        zh: str
        en: str

    class Examples(BaseModel):  # noqa: F811
        model_config = ConfigDict(extra="forbid")

        bad: str | None = None
        good: str | None = None

    class Rule(BaseModel):  # noqa: F811
        model_config = ConfigDict(extra="forbid", frozen=True)

        id: str
        name: str
        kind: str
        severity: Severity
        title: Text
        message: Text
        suggestion: Text | None = None
        rationale: Text | None = None
        references: list[str] = Field(default_factory=list)
        examples: Examples | None = None
        options: Text | None = None
        params: dict[str, Any] = Field(default_factory=dict)
        enabled: bool = True

        @field_validator("id", "name")
        @classmethod
        def _spelled(cls, value: str, info: ValidationInfo) -> str:
            pattern, form = _SPELLING[info.field_name]
            if not pattern.match(value):
                raise ValueError(f"rule {info.field_name} {value!r} must be {form}")
            return value

    return Rule


def _validated(entry: dict[str, Any], source: str) -> Rule:
    """One rule entry checked by the pydantic schema, as the frozen dataclass the rest of audit uses.

    Field by field as validated; a nested schema model (Text, Examples) becomes the dataclass of its name.
    """
    checked = _schema().model_validate(entry)  # `source` is ours to set: in a rule file it is an unknown key
    plain = {"Text": Text, "Examples": Examples}

    def converted(value: Any) -> Any:
        kind = plain.get(type(value).__name__)
        return value if kind is None else kind(**dict(value))

    return Rule(**{name: converted(value) for name, value in checked}, source=source)


@lru_cache(maxsize=1)  # a loader of this module's code: kept for the process
def _line_loader() -> type:
    """safe_load that remembers the line of each mapping, so errors can say where.

    Built on first use: with the rules cache warm, a start never needs PyYAML here. It uses
    libyaml's C parser when PyYAML has it (ten times faster).
    """
    import yaml

    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(safe_loader):
        pass

    def construct_mapping(loader, node: yaml.MappingNode) -> dict:
        mapping = safe_loader.construct_mapping(loader, node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return LineLoader


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def load_rule_file(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read rule file ({exc})") from None
    from audit.yamlsafe import YamlError, load_text

    try:
        data = load_text(text, str(path), _line_loader())
    except YamlError as exc:
        raise RuleFileError(str(exc)) from None
    if data is None:
        return []
    if isinstance(data, dict) and "rules" in data:
        data = data["rules"]
    if not isinstance(data, list):
        raise RuleFileError(f"{path}:1: a rule file is a list of rules (or a mapping with a `rules:` list)")
    from pydantic import ValidationError

    rules = []
    for entry in data:
        if not isinstance(entry, dict):
            raise RuleFileError(f"{path}: each rule must be a mapping, got {entry!r}")
        line = entry.get("__line__", 1)
        try:
            rules.append(_validated(_strip_lines(entry), f"{path.name}:{line}"))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'rule'}: {err['msg']}" for err in exc.errors()
            )
            rid = entry.get("id", "?")
            raise RuleFileError(f"{path}:{line}: rule {rid}: {problems}") from None
    return rules


class RuleSet:
    """All rules by id, with lookup by id or kebab-case name."""

    def __init__(self, rules: list[Rule]):
        self.rules: dict[str, Rule] = {}
        self.by_name: dict[str, str] = {}
        for rule in rules:
            if rule.id in self.rules:
                raise RuleFileError(f"{rule.source}: duplicate rule id {rule.id} (also {self.rules[rule.id].source})")
            if rule.name in self.by_name:
                raise RuleFileError(f"{rule.source}: duplicate rule name {rule.name}")
            self.rules[rule.id] = rule
            self.by_name[rule.name] = rule.id

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: (r.id[0] != "X", r.id)))

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, key: str) -> Rule | None:
        key = key.strip()
        return self.rules.get(key.upper()) or self.rules.get(self.by_name.get(key.lower(), ""))

    def resolve(self, selectors: list[str]) -> set[str]:
        """Ids matched by a list of ids, names or prefixes (`B`, `B00`, `ALL`); unknown ones raise."""
        chosen: set[str] = set()
        for selector in selectors:
            selector = selector.strip()
            if not selector:
                continue
            if selector.upper() == "ALL":
                chosen.update(self.rules)
                continue
            rule = self.get(selector)
            if rule:
                chosen.add(rule.id)
                continue
            prefix = [rid for rid in self.rules if rid.startswith(selector.upper())]
            if not prefix:
                raise KeyError(selector)
            chosen.update(prefix)
        return chosen

    def with_overrides(self, severities: dict[str, str]) -> "RuleSet":
        rules = []
        for rule in self.rules.values():
            override = severities.get(rule.id) or severities.get(rule.name)
            rules.append(replace(rule, severity=Severity(override)) if override else rule)
        return RuleSet(rules)


def load_rules(extra: list[Path] | None = None) -> RuleSet:
    rules = list(_shipped_rules())
    for path in extra or []:
        rules.extend(load_rule_file(Path(path)))
    return RuleSet(rules)


@lru_cache(maxsize=1)  # the shipped rule files: kept for the process (a run's --rules are its own RuleSet)
def _shipped_rules() -> tuple[Rule, ...]:
    """The shipped rules, from the user's cache when the rule files have not changed since.

    Parsing and validating the YAML costs more than the rest of start-up's own work; the cache
    (resources.cached) is keyed by every rule file and by the modules that define a Rule.
    """
    from audit import model
    from audit.resources import cached

    paths = sorted(data_dir("rules").glob("*.yaml"))
    return cached(
        "rules",
        [*paths, Path(__file__), Path(model.__file__)],
        ("frozen dataclasses",),  # what the pickle holds: a new format must not read an old cache
        lambda: tuple(rule for path in paths for rule in load_rule_file(path)),
        lambda rules: isinstance(rules, tuple) and all(isinstance(rule, Rule) for rule in rules),
    )
