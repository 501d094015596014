"""audit/rules.py: the shipped rules come back the same from the user's cache, and a corrupt, foreign,
unwritable or read-only cache is rebuilt or done without, never an error."""

from __future__ import annotations

import json
import os
import pickle

import pytest

from audit import rules as rules_module


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


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", "b3", "rule id 'b3' must be a family letter and three digits, like B003"),
        ("name", "Bad_Name", "rule name 'Bad_Name' must be kebab-case, like schedule-not-monotone"),
    ],
)
def test_a_misspelled_id_or_name_is_refused_saying_how_to_spell_it(tmp_path, field, value, expected):
    entry = {"id": "T999", "name": "made-up", "kind": "periods", "severity": "warning",
             "title": {"zh": "标题", "en": "title"}, "message": {"zh": "消息", "en": "message"}, field: value}
    path = tmp_path / "extra.yaml"
    path.write_text(json.dumps({"rules": [entry]}, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    with pytest.raises(rules_module.RuleFileError) as error:
        rules_module.load_rule_file(path)
    assert expected in str(error.value)
