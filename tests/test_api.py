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
