"""The speed work in the core modules keeps behaviour: the rules cache, dataclass spans and tallies."""

from __future__ import annotations

import dataclasses
import os
import pickle

import pytest

from audit import rules as rules_module
from audit.model import CheckTally, FileReport, Span


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    rules_module._shipped_rules.cache_clear()
    yield tmp_path / "audit"
    rules_module._shipped_rules.cache_clear()


def _ids(ruleset) -> list[tuple[str, str, str]]:
    return [(r.id, r.name, r.severity.value) for r in ruleset]


def test_rules_cache_is_written_and_gives_the_same_rules(cache_home):
    fresh = rules_module.load_rules()
    files = list(cache_home.glob("rules-*.pickle"))
    assert len(files) == 1
    assert oct(cache_home.stat().st_mode & 0o777) == "0o700"
    rules_module._shipped_rules.cache_clear()
    cached = rules_module.load_rules()
    assert list(cached) == list(fresh)


def test_corrupt_rules_cache_is_rebuilt(cache_home):
    expected = _ids(rules_module.load_rules())
    (cache_file,) = cache_home.glob("rules-*.pickle")
    cache_file.write_bytes(b"not a pickle")
    rules_module._shipped_rules.cache_clear()
    assert _ids(rules_module.load_rules()) == expected
    rules_module._shipped_rules.cache_clear()
    cache_file.write_bytes(pickle.dumps(["something else"]))
    assert _ids(rules_module.load_rules()) == expected


def test_unwritable_cache_folder_means_no_cache(cache_home):
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_text("a file, not a folder")
    assert len(rules_module.load_rules()) > 0
    assert cache_home.is_file()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_cache_folder_means_no_cache(cache_home):
    cache_home.mkdir(mode=0o500, parents=True)
    try:
        assert len(rules_module.load_rules()) > 0
        assert not list(cache_home.iterdir())
    finally:
        cache_home.chmod(0o700)


def test_span_and_tally_keep_their_behaviour():
    a, b = Span(line=3, column=5, end_line=3, end_column=9), Span(line=2, column=1)
    assert a.cover(b) == Span(line=2, column=1, end_line=3, end_column=9)
    assert hash(a) == hash(Span(line=3, column=5, end_line=3, end_column=9))
    with pytest.raises(AttributeError):
        a.line = 4  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(a)) == a
    tally = CheckTally(passed=2)
    tally.merge(CheckTally(failed=1, insufficient_data=3))
    assert tally.as_dict() == {"passed": 2, "failed": 1, "not_applicable": 0, "insufficient_data": 3}
    report = FileReport(path="x", checks={"B001": tally})
    assert dataclasses.asdict(report)["checks"] == {"B001": tally.as_dict()}


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [{}, [[]]]},
        [1, -2, 2.5, -0.0, 1e300, float("nan"), float("inf"), True, False, None],
        {"text": "引号\"、反斜杠\\、换行\n、\u2028、\x00、é"},
        {"t": (1, (2, 3)), "n": {1: "int key", None: "none key"}, "deep": {"x": [{"y": {"z": [1]}}]}},
        "a string",
        7,
    ],
)
def test_pretty_json_is_json_dumps_indent_2(value):
    import json

    from audit.report.common import pretty_json

    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_pretty_json_raises_like_json_dumps():
    import json

    from audit.report.common import pretty_json

    for bad in ({"x": object()}, [{1, 2}], {"b": b"bytes"}):
        with pytest.raises(TypeError) as expected:
            json.dumps(bad, ensure_ascii=False, indent=2)
        with pytest.raises(TypeError) as got:
            pretty_json(bad)
        assert str(got.value) == str(expected.value)
