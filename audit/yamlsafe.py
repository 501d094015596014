"""The one YAML loader for files a user hands us (rules, waivers, lexicons): safe and bounded.

yaml.safe_load never runs code, but it does expand aliases: a 415-byte file of nested anchors
(`a: &a [x, x, …]`, `b: &b [*a, *a, …]`, …) becomes a billion-element structure (a gigabyte, or
MemoryError, or 300 MB of error message). None of our files need an anchor, so any anchor or
alias is refused before anything is built, with the file and line; so is nesting deeper than any
real file has (a deep enough `[[[[…` exhausts Python's recursion limit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_DEPTH = 64  # nested lists/mappings; the shipped files go 6 deep


class YamlError(Exception):
    """A file that is not YAML we accept; str() is `path:line: what`."""


def _loader(base: type | None = None) -> type:
    import yaml

    return base or getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_events(text: str, where: str) -> None:
    """Refuse anchors, aliases and deep nesting (parsing events only: nothing is built yet)."""
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            mark = event.start_mark
            line = f"{where}:{mark.line + 1}" if mark is not None else where
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlError(f"{line}: YAML anchors and aliases (&name, *name) are not allowed here")
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(f"{line}: nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise YamlError(_describe(exc, where)) from None


def _describe(exc: Exception, where: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    at = f"{where}:{mark.line + 1}" if mark is not None else where
    return f"{at}: invalid YAML ({getattr(exc, 'problem', None) or exc})"


def load_text(text: str, where: str, loader: type | None = None) -> Any:
    """`text` (from `where`, for messages) as Python data; YamlError if it is not acceptable.
    `loader`: a SafeLoader subclass (e.g. one that records lines), the C SafeLoader by default."""
    import yaml

    check_events(text, where)
    try:
        return yaml.load(text, Loader=_loader(loader))  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        raise YamlError(_describe(exc, where)) from None


def load_file(path: Path, loader: type | None = None) -> Any:
    """A UTF-8 YAML file as Python data; YamlError (with the path) if unreadable or not acceptable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise YamlError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise YamlError(f"{path}: not UTF-8") from None
    return load_text(text, str(path), loader)
