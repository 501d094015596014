"""Where the shipped rule files and grammars live, installed or in a checkout.

Installed, they sit inside the package (audit/data/rules, audit/data/grammar); in a checkout they
are the repository's top-level rules/ and grammar/ folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Folder of shipped data: `rules` or `grammar`."""
    installed = _PACKAGE / "data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def grammar_text(filename: str) -> str:
    return (data_dir("grammar") / filename).read_text(encoding="utf-8")
