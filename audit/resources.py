"""Where the shipped rule files and grammars live, installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Folder of shipped data (`rules` or `grammar`): packaged as audit.<name>, or the checkout's top level."""
    try:
        found = Path(str(resources.files(f"audit.{name}")))
        if found.is_dir():
            return found
    except (ModuleNotFoundError, TypeError):
        pass
    return _CHECKOUT / name


def grammar_text(filename: str) -> str:
    return (data_dir("grammar") / filename).read_text(encoding="utf-8")
