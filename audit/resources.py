"""Where the shipped rule files and grammars live, installed or in a checkout.

Installed, they sit inside the package (audit/data/rules, audit/data/grammar); in a checkout they
are the repository's top-level rules/ and grammar/ folders.
"""

from __future__ import annotations

import os
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


def user_cache_dir() -> Path | None:
    """The user's own cache folder for audit (~/.cache/audit, or under $XDG_CACHE_HOME), made 0700.

    Caches there are pickles, so it must never be a shared temp dir: a folder that is not ours or
    not writable means no cache (None), never a fallback elsewhere.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "audit"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.getuid() or not os.access(folder, os.W_OK):
            return None
    except (OSError, AttributeError):
        return None
    return folder
