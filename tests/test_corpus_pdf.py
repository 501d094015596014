"""The 20 real PDFs of ../shared/corpus-pdf (15 publications: the Jiangsu years published as a
narrative and a tables PDF are joined): every one goes through `audit check` (exit 0 or 1, no
file error, no crashed check), and the reader finds the tables recorded in tests/corpus_pdf.json
(title, rows, columns, pages, unit per table) — data, so that other stages can record more
per table (kind, identities) beside it.

After an intended change to the reader: `python tests/test_corpus_pdf.py --write`, and read the
diff of tests/corpus_pdf.json before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus-pdf"
RECORD = Path(__file__).with_name("corpus_pdf.json")


def _publications() -> list[dict]:
    return json.loads(RECORD.read_text(encoding="utf-8"))["publications"]


def _path(publication: dict) -> str:
    return "+".join(str(CORPUS / name) for name in publication["files"])


def _tables(document) -> list[dict]:
    return [
        {"title": t.title, "rows": len(t.rows), "columns": t.width, "pages": t.pages, "unit": t.unit}
        for t in document.tables
    ]


def _read(publication: dict):
    from audit.readers import read, read_joined

    paths = [str(CORPUS / name) for name in publication["files"]]
    return read_joined(paths) if len(paths) > 1 else read(paths[0])


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"PDF corpus {CORPUS} is absent: these tests need ../shared/corpus-pdf beside the repo")
    return CORPUS


def test_every_pdf_is_recorded(corpus):
    recorded = {name for publication in _publications() for name in publication["files"]}
    assert recorded == {str(p.relative_to(corpus)) for p in corpus.rglob("*.pdf")}


def test_audit_check_reads_every_publication(corpus):
    from click.testing import CliRunner

    from audit.cli import cli

    paths = [_path(p) for p in _publications()]
    result = CliRunner().invoke(cli, ["check", "--format", "json", *paths], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert [f.get("error") for f in data["files"]] == [None] * len(paths)
    crashed = [(f["path"], x["message"]) for f in data["files"] for x in f["findings"] if x["rule"] == "X001"]
    assert crashed == []
    for file in data["files"]:
        assert file["encoding"] == "pdf"
        assert all("page" in finding for finding in file["findings"]), file["path"]


@pytest.mark.parametrize("index", range(len(_publications())))
def test_tables_read_as_recorded(corpus, index):
    publication = _publications()[index]
    document = _read(publication)
    assert document.pages == publication["pages"]
    assert _tables(document) == publication["tables"]


def write() -> None:
    """Record what the reader reads now (one table per line, for readable diffs)."""
    about = json.loads(RECORD.read_text(encoding="utf-8"))["_about"]
    lines = ["{", f' "_about": {json.dumps(about, ensure_ascii=False)},', ' "publications": [']
    publications = _publications()
    for n, publication in enumerate(publications):
        document = _read(publication)
        tables = ",\n".join("    " + json.dumps(t, ensure_ascii=False) for t in _tables(document))
        files = json.dumps(publication["files"], ensure_ascii=False)
        lines.append(f'  {{"files": {files}, "pages": {document.pages}, "tables": [\n{tables}\n  ]}}' + ("," if n < len(publications) - 1 else ""))
    lines += [" ]", "}"]
    RECORD.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        sys.path.insert(0, str(ROOT))
        write()
    else:
        sys.exit(__doc__)
