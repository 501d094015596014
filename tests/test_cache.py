"""Start-up caches (resources.cached): the lexicons come back the same from the cache, a changed,
corrupt or foreign cache is rebuilt, and old pickles do not pile up."""

from __future__ import annotations

import pickle

import pytest

from audit import lexicon as lexicon_module
from audit.resources import KEEP, cached


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon_module.reset()
    yield tmp_path / "audit"
    lexicon_module.reset()


def test_a_lexicon_from_the_cache_equals_the_yaml(cache_home):
    fresh = lexicon_module.lexicon("polarity")
    assert list(cache_home.glob("lexicon-polarity-*.pickle"))
    lexicon_module.reset()
    assert lexicon_module.lexicon("polarity") == fresh
    assert fresh == lexicon_module._read_yaml(lexicon_module.data_dir("rules") / "lexicons" / "polarity.yaml")


def test_a_corrupt_or_wrong_cache_is_rebuilt(cache_home):
    fresh = lexicon_module.lexicon("units")
    (cache_file,) = cache_home.glob("lexicon-units-*.pickle")
    for junk in (b"not a pickle", pickle.dumps(["not", "a", "mapping"])):
        cache_file.write_bytes(junk)
        lexicon_module.reset()
        assert lexicon_module.lexicon("units") == fresh


def test_a_changed_source_rebuilds_and_old_pickles_do_not_pile_up(cache_home, tmp_path):
    source = tmp_path / "data.txt"
    build = lambda: source.read_text(encoding="utf-8")  # noqa: E731
    for n in range(1, 9):
        source.write_text("x" * n, encoding="utf-8")  # size changes, so the key does
        assert cached("demo", [source], (), build, lambda v: isinstance(v, str)) == "x" * n
    assert len(list(cache_home.glob("demo-*.pickle"))) == KEEP


def test_two_installs_in_turn_keep_their_own_pickles(cache_home, tmp_path):
    """Two checkouts (or versions) sharing the cache folder: each keeps its entry, none rebuilds."""
    sources = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for source in sources:
        source.write_text(source.name, encoding="utf-8")
    builds = []

    def build_from(source):
        builds.append(source.name)
        return source.read_text(encoding="utf-8")

    for _ in range(3):
        for source in sources:
            assert cached("demo", [source], (), lambda: build_from(source), lambda v: isinstance(v, str)) == source.name
    assert builds == ["a.txt", "b.txt"]


def test_no_usable_cache_folder_still_builds(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cached("demo", [], (), lambda: 42, lambda v: True) == 42


class _Planted:
    """Unpickling this runs code: it leaves a marker file (what a planted pickle would do)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant(folder, kind, marker):
    """A malicious pickle under every name `kind` could be cached as."""
    for entry in folder.glob(f"{kind}-*.pickle"):
        entry.write_bytes(pickle.dumps(_Planted(marker)))


@pytest.mark.parametrize("opened", ["folder", "file"])
def test_no_pickle_is_read_from_a_place_others_may_write(cache_home, tmp_path, opened):
    import os

    source = tmp_path / "data.txt"
    source.write_text("x", encoding="utf-8")
    build = lambda: "built"  # noqa: E731
    assert cached("demo", [source], (), build, lambda v: isinstance(v, str)) == "built"
    marker = tmp_path / "pwned"
    _plant(cache_home, "demo", marker)
    if opened == "folder":
        cache_home.chmod(0o777)
    else:
        for entry in cache_home.glob("demo-*.pickle"):
            os.chmod(entry, 0o666)
    assert cached("demo", [source], (), build, lambda v: isinstance(v, str)) == "built"
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() != 0, reason="needs root to chown")
def test_no_pickle_another_user_owns_is_read(cache_home, tmp_path):
    import os

    source = tmp_path / "data.txt"
    source.write_text("x", encoding="utf-8")
    cached("demo", [source], (), lambda: "built", lambda v: True)
    marker = tmp_path / "pwned"
    _plant(cache_home, "demo", marker)
    for entry in cache_home.glob("demo-*.pickle"):
        os.chown(entry, 65534, 65534)
    assert cached("demo", [source], (), lambda: "built", lambda v: True) == "built"
    assert not marker.exists()


def test_the_cache_is_keyed_by_content_not_size_and_time(cache_home, tmp_path):
    import os

    source = tmp_path / "data.txt"
    source.write_text("aaaa", encoding="utf-8")
    read = lambda: source.read_text(encoding="utf-8")  # noqa: E731
    assert cached("demo", [source], (), read, lambda v: True) == "aaaa"
    stamp = source.stat()
    source.write_text("bbbb", encoding="utf-8")  # same size, same time
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert cached("demo", [source], (), read, lambda v: True) == "bbbb"


# -- per user, atomic, validated, harmless: what the tests above do not pin yet ------------------


def _source(tmp_path, text="x"):
    source = tmp_path / "data.txt"
    source.write_text(text, encoding="utf-8")
    return source


def test_the_cache_is_the_user_s_own_private_folder(cache_home, tmp_path):
    import stat

    from audit.resources import user_cache_dir

    assert user_cache_dir() == cache_home
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700
    cached("demo", [_source(tmp_path)], (), lambda: "built", lambda v: True)
    (entry,) = cache_home.glob("demo-*.pickle")
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600  # readable by this user alone


def test_a_symlinked_cache_folder_is_not_used(tmp_path, monkeypatch):
    from audit.resources import user_cache_dir

    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "audit").symlink_to(real)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    assert user_cache_dir() is None
    assert cached("demo", [_source(tmp_path)], (), lambda: "built", lambda v: True) == "built"
    assert not list(real.iterdir())


def test_a_truncated_entry_is_rebuilt(cache_home, tmp_path):
    source = _source(tmp_path)
    value = {"words": ["比率"] * 100}
    assert cached("demo", [source], (), lambda: value, lambda v: isinstance(v, dict)) == value
    (entry,) = cache_home.glob("demo-*.pickle")
    entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])  # a write cut off halfway
    builds = []
    assert cached("demo", [source], (), lambda: builds.append(1) or value, lambda v: isinstance(v, dict)) == value
    assert builds == [1] and pickle.loads(entry.read_bytes()) == value  # rebuilt and written whole again


class _Unpicklable:
    def __reduce__(self):
        raise RuntimeError("cannot be pickled")


def test_a_failed_write_leaves_the_entry_whole_and_no_temp_file(cache_home, tmp_path):
    from audit.resources import write_pickle

    cached("demo", [_source(tmp_path)], (), lambda: "good", lambda v: True)
    (entry,) = cache_home.glob("demo-*.pickle")
    write_pickle(entry, ["x" * 10_000, _Unpicklable()])  # fails after part of the pickle was written
    assert pickle.loads(entry.read_bytes()) == "good"  # never half-replaced: temp file + rename
    assert sorted(p.name for p in cache_home.iterdir()) == [entry.name]


def test_a_read_only_cache_is_harmless(cache_home, tmp_path, monkeypatch):
    """A read-only file system (or folder): nothing can be written or touched; every start builds,
    or reads what is there, and never fails. (Simulated: as root, permission bits do not bind.)"""
    import os
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    source = _source(tmp_path)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert cached("demo", [source], (), lambda: "built", lambda v: True) == "built"
    assert not list(cache_home.glob("demo-*"))
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home.parent))
    cached("demo", [source], (), lambda: "built", lambda v: True)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(os, "utime", read_only)
    assert cached("demo", [source], (), lambda: "rebuilt", lambda v: True) == "built"  # read, not written


def test_a_dead_writer_s_temp_file_is_swept(cache_home, tmp_path):
    import os
    import time

    from audit.resources import STALE_TEMP_S

    cache_home.mkdir(mode=0o700, exist_ok=True)
    stale, fresh = cache_home / ".demo-dead.tmp", cache_home / ".demo-writing.tmp"
    for temp in (stale, fresh):
        temp.write_bytes(b"partial")
    old = time.time() - STALE_TEMP_S - 60
    os.utime(stale, (old, old))
    cached("demo", [_source(tmp_path)], (), lambda: "built", lambda v: True)
    assert not stale.exists() and fresh.exists()  # a writer still at work keeps its file
