"""The corpus PDFs as a PDF tool extracts them (pdftotext -layout, pdfplumber extract_text), audited
as text: the fourth layout reads their tables. Skipped with a reason when ../shared/corpus-pdf, the
pdftotext binary or pdfplumber is absent.

pdfplumber takes a few seconds per PDF on this machine: the default suite extracts two PDFs (one
per province), the slow suite all twenty; pdftotext is fast and runs on all twenty."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from audit import layout, layout_flat, layout_lines
from audit.facts import extract
from audit.pipeline import Options, audit_source
from audit.rules import load_rules
from audit.source import from_text

CORPUS_PDF = Path(__file__).resolve().parents[2] / "shared" / "corpus-pdf"
PDFS = sorted(CORPUS_PDF.rglob("*.pdf")) if CORPUS_PDF.is_dir() else []
# one per province, with tables: what the default suite extracts with pdfplumber
QUICK = ("上海市普陀区商务委员会25年预算.pdf", "江苏省委办公厅2019年度部门预算公开表格.pdf")
TABLE_ROWS = 50  # a file with this many rows of figures holds budget tables


def _ids(paths):
    return [p.name for p in paths]


def _need_corpus() -> None:
    if not PDFS:
        pytest.skip(f"{CORPUS_PDF} is absent: corpus tests need ../shared/corpus-pdf beside the repo")


@lru_cache(maxsize=None)
def _pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


@lru_cache(maxsize=None)
def _pdfplumber(path: Path) -> str:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _check(text: str) -> None:
    """Read in the fourth layout; a file with rows of figures yields tables whose identities are
    evaluated; every cell points at its text; the whole audit runs."""
    source = from_text(text)
    assert "\t" not in text and layout_flat.looks_flat(source.texts)
    blocks = layout.blocks(source)
    aligned = layout_lines.is_aligned(source.texts)
    rows = sum(1 for i, t in enumerate(source.texts) if layout_lines.FlatLine(i, t, aligned).cls == layout_lines.ROW)
    counts = extract(blocks).counts()
    if rows >= TABLE_ROWS:
        assert counts["tables"] > 0 and counts["identities"] > 0, (rows, counts)
    for block in blocks:
        if isinstance(block, layout.Table):
            for row in block.rows:
                for cell in row.cells:
                    if cell.text and cell.text != "?":
                        line, col = cell.ref.position(0)
                        assert unicodedata.normalize("NFKC", source.original_lines[line - 1][col]) == cell.text[0]
    rules = load_rules()
    report = audit_source(source, rules, Options(selected=set(rules.rules)))
    assert report.error is None


@pytest.mark.parametrize("pdf", PDFS, ids=_ids(PDFS))
def test_pdftotext_layout_text_is_read(pdf):
    _need_corpus()
    _check(_pdftotext(pdf))


@pytest.mark.parametrize("pdf", [p for p in PDFS if p.name in QUICK], ids=_ids([p for p in PDFS if p.name in QUICK]))
def test_pdfplumber_text_is_read(pdf):
    _need_corpus()
    _check(_pdfplumber(pdf))


@pytest.mark.slow
@pytest.mark.parametrize("pdf", [p for p in PDFS if p.name not in QUICK], ids=_ids([p for p in PDFS if p.name not in QUICK]))
def test_pdfplumber_text_is_read_every_pdf(pdf):
    _need_corpus()
    _check(_pdfplumber(pdf))


def test_the_corpus_is_there_or_the_tests_say_why():
    if not PDFS:
        pytest.skip(f"{CORPUS_PDF} is absent")
    assert len(PDFS) == 20
