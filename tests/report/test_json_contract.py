"""The JSON report's contract (docs/report.schema.json, described in docs/output-formats.md): every
report the tool writes validates — text files, PDF/Word/Excel originals with their places, files
that could not be read, runs with a baseline and with waivers, both languages — and the document
names every field the schema allows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tests.office_fixtures import with_defects, write_docx, write_xlsx
from tests.reporting import EXAMPLE, ROOT, invoke, write

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
CORPUS_PDF = ROOT.parent / "shared" / "corpus-pdf"


def report(*args) -> dict:
    result = invoke("check", "--no-config", "--format", "json", *args)
    assert result.exit_code in (0, 1, 2), result.output
    data = json.loads(result.stdout)
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return data


def test_the_schema_is_a_valid_schema():
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_text_file_and_an_unreadable_one(lang, tmp_path):
    data = report("--lang", lang, EXAMPLE, tmp_path / "missing.txt")
    read, missing = data["files"]
    assert read["findings"] and missing["error"] and missing["findings"] == []
    assert data["summary"]["files_with_errors"] == 1


def test_the_seeds(corpus_dir):
    data = report(*sorted(corpus_dir.glob("*.txt")))
    assert data["summary"]["findings"] > 100  # evidence, terms, related spans and diagnoses all occur


def test_word_and_excel_originals_carry_their_place(tmp_path):
    docx, xlsx = tmp_path / "pub.docx", tmp_path / "pub.xlsx"
    write_docx(docx, with_defects())
    write_xlsx(xlsx, with_defects())
    data = report(docx, xlsx)
    places = [f["place"] for file in data["files"] for f in file["findings"] if "place" in f]
    assert any("sheet" in p and "cell" in p for p in places)


def test_a_pdf_original_carries_page_and_box():
    pdfs = sorted(CORPUS_PDF.rglob("*.pdf"))[:4] if CORPUS_PDF.is_dir() else []
    if not pdfs:
        pytest.skip(f"no PDFs under {CORPUS_PDF}: the contract on PDF originals needs ../shared/corpus-pdf")
    data = report(*pdfs)
    located = [f for file in data["files"] for f in file["findings"] if "page" in f]
    assert located and all("bbox" in f["place"] for f in located if "table" not in f["place"])


def test_a_baseline_and_waivers_add_suppressed_and_notes(tmp_path):
    baseline = tmp_path / "baseline.json"
    assert invoke("baseline", "--no-config", EXAMPLE, "--output", baseline).exit_code == 0
    assert report("--baseline", baseline, EXAMPLE)["summary"]["suppressed"]["baseline"] > 0
    waivers = write(tmp_path, "waivers.yaml", "waivers:\n  - rule: S002\n    file: '*.txt'\n    match: 不在文中的词\n    reason: 测试\n")
    data = report("--waivers", waivers, EXAMPLE)
    assert data["notes"] and data["notes"][0]["kind"] == "waiver-unused"


def _fields(schema: dict) -> set[str]:
    names: set[str] = set()
    for value in schema.values() if isinstance(schema, dict) else schema:
        if isinstance(value, (dict, list)):
            names |= _fields(value)
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        names |= set(schema["properties"])
    return names


def test_the_document_names_every_field_of_the_schema():
    text = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
    written = set(re.findall(r"`([a-z_]+)`", text))
    assert _fields(SCHEMA) - written == set()
