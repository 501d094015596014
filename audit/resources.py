"""Where the shipped rule files and grammars live, installed or in a checkout.

Installed, they sit inside the package (audit/data/rules, audit/data/grammar); in a checkout they
are the repository's top-level rules/ and grammar/ folders.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

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

    Caches there are pickles (reading one can run code), so it must be a folder only this user can
    write: one that is not ours, is a symlink, or is open to group or others (XDG_CACHE_HOME=/tmp,
    a chmod 777) means no cache (None), never a fallback elsewhere.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "audit"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077 or not os.access(folder, os.W_OK):
            return None
    except (OSError, AttributeError):
        return None
    return folder


def _trusted(info: os.stat_result) -> bool:
    """A cache entry we may unpickle: our own regular file that no one else may write."""
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022


def cached(kind: str, sources: list[Path], key: tuple, build: Callable[[], T], valid: Callable[[Any], bool]) -> T:
    """`build()`, or what it returned last time when none of `sources` (name and content) nor `key` changed.

    For start-up work that costs more than reading a pickle: the validated rules, the lexicons.
    The pickle lives only in the user's own cache folder (user_cache_dir), is written atomically
    (temp file + rename, so a concurrent start never reads half a file), and is used only when we
    own it and `valid` accepts it; a missing, corrupt or stale cache is rebuilt, never fatal.
    """
    import hashlib
    import sys

    from audit import __version__

    folder = user_cache_dir()
    if folder is None:
        return build()
    content = hashlib.sha256()  # what the sources hold, not their times: a copy or checkout keeps its cache
    try:
        for source in sources:
            content.update(f"{source}\0".encode("utf-8", "surrogateescape"))
            content.update(hashlib.sha256(source.read_bytes()).digest())
    except OSError:
        return build()
    digest = hashlib.sha256(repr((__version__, sys.version, key, content.hexdigest())).encode("utf-8")).hexdigest()[:16]
    path = folder / f"{kind}-{digest}.pickle"
    value = read_pickle(path)
    if value is not None and valid(value):
        try:
            os.utime(path)  # recently used: kept by _prune
        except OSError:
            pass
        return value
    value = build()
    write_pickle(path, value)
    _prune(folder, kind)
    return value


KEEP = 4  # pickles kept per kind: two installs or checkouts in turn do not evict each other's


STALE_TEMP_S = 600  # a temp file this old was left by a writer that died before its rename


def _prune(folder: Path, kind: str) -> None:
    """Remove all but the KEEP most recently used pickles of `kind` (what earlier sources left),
    and the temp files of writers that died before renaming theirs."""
    import time

    for temp in folder.glob(f".{kind}-*.tmp"):
        try:
            if time.time() - temp.stat().st_mtime > STALE_TEMP_S:
                temp.unlink()
        except OSError:
            continue
    entries = []
    for entry in folder.glob(f"{kind}-*.pickle"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:
            continue
    for _, stale in sorted(entries, reverse=True)[KEEP:]:
        try:
            stale.unlink()
        except OSError:
            pass


def read_pickle(path: Path) -> Any:
    import pickle

    try:
        with path.open("rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            return pickle.load(handle)  # noqa: S301 - our own file, in our own 0700 folder
    except Exception:  # noqa: BLE001 - missing or corrupt: rebuilt
        return None


def write_pickle(path: Path, value: Any) -> None:
    import pickle
    import tempfile

    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except Exception:  # noqa: BLE001 - no cache is fine
        pass
