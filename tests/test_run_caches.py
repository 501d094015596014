"""Caches are a run's, not the process's (audit.memo.per_run): what two runs work out from their
documents and lexicons stays apart and goes with its run; the CLI's --config lexicons are its
run's, read alike by --jobs workers."""

from __future__ import annotations

import gc
import json
import re
import weakref

from hypothesis import given
from hypothesis import strategies as st

import audit
from audit import lexicon
from audit.facts.lazy import _Lazy
from audit.memo import Memos, per_run, running
from tests.indicator_tables import SOUND, document, replace
from tests.reporting import EXAMPLE, invoke

CLEAN = "audit.facts.table_model.clean"  # the run's table of cell texts read for matching
PARSED = "audit.numbers.parse_figure"  # the run's table of cell texts read as figures


def test_a_per_run_function_keeps_its_answers_in_the_active_run_only():
    calls = []

    @per_run
    def double(n: int) -> int:
        calls.append(n)
        return 2 * n

    first, second = Memos(), Memos()
    with running(first):
        assert double(2) == double(2) == 4 and calls == [2]
    with running(second):
        assert double(2) == 4 and calls == [2, 2]  # another run works it out afresh
    assert double(2) == 4 and double(2) == 4 and calls == [2, 2, 2, 2]  # outside a run: kept nowhere
    name = f"{__name__}.{double.__qualname__}"
    assert first.table(name) == {(2,): 4} == second.table(name)
    assert first.table(name) is not second.table(name)


def test_two_auditors_keep_their_own_entries_and_a_deleted_one_frees_them():
    text = EXAMPLE.read_text(encoding="utf-8")
    first, second = audit.Auditor(), audit.Auditor()
    found = first.check_text(text).findings
    tables = first.options.memos
    assert tables.table(CLEAN) and tables.table(PARSED)  # the document's cells, read once for this run
    assert second.options.memos.table(CLEAN) == {}  # another Auditor saw none of it
    assert [f.fingerprint for f in second.check_text(text).findings] == [f.fingerprint for f in found]
    assert second.options.memos.table(CLEAN) == tables.table(CLEAN)
    assert second.options.memos.table(CLEAN) is not tables.table(CLEAN)
    gone = weakref.ref(tables)
    del first, tables
    gc.collect()
    assert gone() is None  # the Auditor's memo tables, and every entry in them, went with it


def test_a_pattern_read_from_the_lexicons_is_compiled_for_each_run():
    empty_note = _Lazy(lambda: lexicon.lexicon("disclosure_sections")["empty_note"])
    extended = Memos(lexicons={"disclosure_sections": [{"empty_note": "暂无此类安排"}]})
    with running(extended):
        assert empty_note().search("本年度暂无此类安排")
    with running(Memos()):
        assert not empty_note().search("本年度暂无此类安排") and empty_note().search("本单位无此项支出")
    assert not empty_note().search("本年度暂无此类安排")


def test_the_cli_s_config_lexicons_are_its_run_s_with_or_without_jobs(tmp_path):
    """A config's 二级 alias makes a row of the indicator tree (and its ≥0% vacuous, I001) in
    the CLI's run and in each --jobs worker alike, and is never installed in the process."""
    (tmp_path / "schema.yaml").write_text("level2_aliases:\n  工作量指标: 数量指标\n", encoding="utf-8")
    config = tmp_path / "audit.toml"
    config.write_text('[lexicons]\nindicator_schema = "schema.yaml"\n', encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text(document(replace(SOUND, "培训合格率", level2="工作量指标", value="≥0%")), encoding="utf-8")

    def found(*options) -> list[list[tuple[str, int, str]]]:
        result = invoke("check", "--format", "json", *options, doc, doc, doc, EXAMPLE)
        files = json.loads(result.stdout)["files"]
        return [[(f["rule"], f["line"], f["fingerprint"]) for f in file["findings"]] for file in files]

    alone = found("--config", config, "--jobs", "1")
    assert alone == found("--config", config, "--jobs", "2")
    assert [sum(rule == "I001" for rule, _, _ in file) for file in alone[:3]] == [1, 1, 1]
    assert [sum(rule == "I001" for rule, _, _ in file) for file in found("--no-config", "--jobs", "2")[:3]] == [0, 0, 0]
    assert lexicon.indicator_schema().canonical_level2("工作量指标") is None  # the process's lexicons untouched


@given(st.text(alphabet="/\\\nab江苏.", max_size=30))
def test_a_finding_s_file_name_is_what_the_fingerprint_always_took(path):
    """engine._file_name lost its process-wide cache for a find without the regex: the same name."""
    from audit.engine import _FOLDERS, _file_name

    assert _file_name(path) == _FOLDERS.sub("", path) == re.sub(r".*[\\/]", "", path)
