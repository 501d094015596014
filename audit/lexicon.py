"""Keyword lists and schemas kept as data in rules/lexicons/*.yaml, as a run reads them.

A run's lexicons are the shipped ones (read once per process: they are files of the install,
pickled in the user's cache) with the run's extensions merged in: an `Auditor` built from a config
with `[tool.audit.lexicons]`, and the CLI's run given `--config`, carry them in their memo tables
(audit.memo.Memos, pickled to --jobs and Dask workers), so another run in the same process never
reads them. `extend` adds to every run of the process instead (for a program embedding audit). What is worked out from the lexicons
(compiled patterns, label readings: `audit.memo.per_run`) is kept in the memo tables of the run that asked.
"""

from __future__ import annotations

from functools import lru_cache, reduce
from typing import Any

from audit.memo import LEXICONS_CHANGED, current, per_run
from audit.resources import data_dir


_EXTENSIONS: dict[str, list[dict[str, Any]]] = {}  # the process's (extend): every run reads them


def lexicon(name: str) -> dict[str, Any]:
    """The lexicon `name` as the running run reads it: shipped, the process's extensions, the run's."""
    memos = current()
    if memos is None or name not in memos.lexicons:
        return _shipped(name)
    return memos.get("lexicons", name, lambda _: reduce(merge_lexicon, memos.lexicons[name], _shipped(name)))


@lru_cache(maxsize=None)  # the shipped files (+ `extend`, which resets it): kept for the process
def _shipped(name: str) -> dict[str, Any]:
    """A shipped lexicon with the process's extensions (`extend`) merged in: kept for the process,
    as it reads no document and `reset` forgets it when an extension comes."""
    from audit.resources import cached

    path = data_dir("rules") / "lexicons" / f"{name}.yaml"
    data = cached(f"lexicon-{name}", [path], (), lambda: _read_yaml(path), lambda value: isinstance(value, dict))
    for extra in _EXTENSIONS.get(name, []):
        data = merge_lexicon(data, extra)
    return data


def _read_yaml(path) -> dict[str, Any]:
    from audit.yamlsafe import load_file  # here, not at import: a start with the lexicons cached never loads PyYAML

    return load_file(path) or {}


def extend(name: str, data: dict[str, Any]) -> None:
    """Add a project's keywords to a shipped lexicon for every run of this process; must run
    before the checks read it. (An Auditor's own extensions: `Memos(lexicons=…)`.)"""
    _EXTENSIONS.setdefault(name, []).append(data)
    reset()


def reset() -> None:
    """Forget the lexicons as read (and, in every run, all derived from them): the next use reads
    them again, with the extensions now registered."""
    LEXICONS_CHANGED[0] += 1  # every run's memo tables are dropped on their next use
    _shipped.cache_clear()
    _shipped_schema.cache_clear()



def merge_lexicon(base: Any, extra: Any) -> Any:
    """Mappings merged key by key, lists extended (without repeats), anything else replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = merge_lexicon(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


class IndicatorSchema:
    """The 一级/二级 indicator tree with aliases (财预〔2020〕10号 and 〔2021〕101号 side by side)."""

    def __init__(self, data: dict[str, Any]):
        self.level1: dict[str, list[str]] = data["level1"]
        self.level1_aliases: dict[str, str] = data.get("level1_aliases", {})
        self.level2_aliases: dict[str, str] = data.get("level2_aliases", {})
        self.required: list[str] = data.get("required_level1", [])
        self.parent: dict[str, str] = {}
        for parent, children in self.level1.items():
            for child in children:
                # 成本指标 is a 二级 under 产出 in the older schema; the first listing wins.
                self.parent.setdefault(child, parent)

    @staticmethod
    def _clean(name: str) -> str:
        return "".join(name.split())

    def canonical_level1(self, name: str | None) -> str | None:
        return self._canonical(name, self.level1, self.level1_aliases)

    def canonical_level2(self, name: str | None) -> str | None:
        return self._canonical(name, self.parent, self.level2_aliases)

    def _canonical(self, name: str | None, names, aliases: dict[str, str]) -> str | None:
        """The schema's name for a printed one (exact, else by alias). Not memoised here: the
        schema lives as long as the process, the printed names come from the documents (a row's
        canonical 二级 is kept with its wording, audit/analysis/readings.py)."""
        if not name:
            return None
        clean = self._clean(name)
        return clean if clean in names else aliases.get(clean)

    def parent_of(self, level2: str | None) -> str | None:
        canonical = self.canonical_level2(level2)
        return self.parent.get(canonical) if canonical else None

    def allowed(self, level1: str, level2: str) -> bool:
        l1 = self.canonical_level1(level1)
        l2 = self.canonical_level2(level2)
        return bool(l1 and l2 and l2 in self.level1.get(l1, []))


def indicator_schema() -> IndicatorSchema:
    """The indicator tree as the running run reads it (see `lexicon`)."""
    memos = current()
    if memos is None or "indicator_schema" not in memos.lexicons:
        return _shipped_schema()
    return memos.get("lexicons", IndicatorSchema, lambda _: IndicatorSchema(lexicon("indicator_schema")))


@lru_cache(maxsize=None)  # the shipped schema (+ `extend`, which resets it): kept for the process
def _shipped_schema() -> IndicatorSchema:
    return IndicatorSchema(_shipped("indicator_schema"))

