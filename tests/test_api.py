"""The public API: docs/api.md runs as doctests; the API and the CLI agree."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import audit
from tests.reporting import EXAMPLE

ROOT = Path(__file__).resolve().parents[1]


def test_api_page_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


def test_the_api_and_the_cli_find_the_same():
    done = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", "--format", "json", str(EXAMPLE)],
                          capture_output=True, text=True, cwd=ROOT)
    cli = json.loads(done.stdout)["files"][0]["findings"]
    api = audit.check_path(EXAMPLE).findings
    assert [(f["rule"], f["line"], f["fingerprint"]) for f in cli] == [(f.rule, f.line, f.fingerprint) for f in api]
    assert audit.exit_code([audit.check_path(EXAMPLE)]) == done.returncode


def test_defaults_run_every_rule():
    auditor = audit.Auditor()
    assert auditor.selected == set(auditor.rules.rules)


def test_check_bytes_reads_a_pdf(tmp_path):
    pdfs = sorted((ROOT.parent / "shared" / "corpus-pdf").rglob("*.pdf"))
    if not pdfs:
        import pytest

        pytest.skip("no PDF corpus beside the repository")
    report = audit.check_bytes(pdfs[0].read_bytes(), name="doc.pdf")
    assert report.path == "doc.pdf" and report.error is None
    assert report == report and audit.check_path(pdfs[0]).facts == report.facts


def test_two_auditors_keep_their_own_memos_and_drop_them_with_themselves(tmp_path):
    """What a run memoises (the 指标值 readings, the wordings) belongs to its Auditor: another
    Auditor in the same process never sees it, and it is gone with the Auditor."""
    import gc
    import weakref

    from audit.analysis.readings import WORDINGS
    from audit.indicators.reader import VALUES

    one, other = audit.Auditor(), audit.Auditor()
    mine = tmp_path / "mine.txt"
    mine.write_text(EXAMPLE.read_text(encoding="utf-8").replace("≥95%", "≥96.5%"), encoding="utf-8")
    one.check_path(mine)
    other.check_path(EXAMPLE)
    assert "≥96.5%" in one.options.memos.table(VALUES)
    assert "≥96.5%" not in other.options.memos.table(VALUES)
    shared = set(one.options.memos.table(WORDINGS)) & set(other.options.memos.table(WORDINGS))
    assert all(one.options.memos.table(WORDINGS)[k] is not other.options.memos.table(WORDINGS)[k]
               for k in shared if k[0] == "wording")
    gone = weakref.ref(one.options.memos)
    del one
    gc.collect()
    assert gone() is None


def test_an_auditor_s_lexicons_are_its_own(tmp_path):
    """A config's lexicon extensions (here: a 二级 alias) hold for the Auditor built from it, and
    for no other Auditor in the process, before or after."""
    from audit.config import Config
    from tests.indicator_tables import SOUND, document, replace

    (tmp_path / "schema.yaml").write_text("level2_aliases:\n  工作量指标: 数量指标\n", encoding="utf-8")
    extended = audit.Auditor(Config(lexicons={"indicator_schema": "schema.yaml"}, path=tmp_path / "audit.toml"))
    text = document(replace(SOUND, "培训合格率", level2="工作量指标", value="≥0%"))

    def vacuous(auditor) -> int:
        return sum(f.rule == "I001" for f in auditor.check_text(text).findings)

    plain = audit.Auditor()
    assert vacuous(plain) == 0  # an unknown 二级: not a row of the indicator tree
    assert vacuous(extended) == 1  # the alias makes it one, and its ≥0% vacuous
    assert vacuous(plain) == 0 and vacuous(audit.Auditor()) == 0
    assert sum(f.rule == "I001" for f in audit.check_text(text).findings) == 0
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    for auditor, expected in ((extended, 1), (plain, 0)):  # --jobs workers read as their Auditor does
        reports = list(auditor.check_paths([path] * 3, jobs=2))
        assert [sum(f.rule == "I001" for f in r.findings) for r in reports] == [expected] * 3


def test_a_bad_lexicon_extension_is_a_configuration_error(tmp_path):
    import pytest

    from audit.config import Config

    (tmp_path / "x.yaml").write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(audit.api.ConfigurationError, match="mapping"):
        audit.Auditor(Config(lexicons={"indicator_schema": "x.yaml"}, path=tmp_path / "audit.toml"))
