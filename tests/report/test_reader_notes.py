"""What a reader left unread on purpose (clipped PDF text, hidden Excel sheets) reaches every report
that shows a file's header: text, JSON, jsonl, SARIF, Markdown, HTML — after the header, before the
findings, in the report's language; concise and CSV stay one line per finding."""

from __future__ import annotations

import json

import pytest

from tests.office_fixtures import with_defects, write_xlsx
from tests.pdfmaker import Page, build
from tests.reporting import EXAMPLE, invoke


def clipped_pdf(tmp_path, name="clipped.pdf") -> str:
    """Two pages of text; on pages 1 and 2 a line drawn outside its clip path (out of sight)."""
    pages = []
    for n in range(2):
        page = Page()
        page.text(72, 700, f"第{n + 1}页看得见的说明。")
        page.clipped((0, 0, 595, 500), lambda p: p.text(72, 520, "被裁掉的文字999万元"))
        pages.append(page)
    path = tmp_path / name
    path.write_bytes(build(pages))
    return str(path)


def hidden_sheet_xlsx(tmp_path) -> str:
    import openpyxl

    path = tmp_path / "hidden.xlsx"
    write_xlsx(path, with_defects())
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("备用").sheet_state = "hidden"
    workbook.save(path)
    return str(path)


def check(*args) -> str:
    result = invoke("check", "--no-config", *args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_json_carries_each_files_notes_with_kind_count_and_pages(tmp_path):
    pdf = clipped_pdf(tmp_path)
    data = json.loads(check("--format", "json", "--lang", "en", pdf))
    (note,) = data["files"][0]["notes"]
    assert note["kind"] == "clipped-text" and note["count"] == 2 * len("被裁掉的文字999万元")
    assert note["pages"] == [1, 2] and "(page 1, 2)" in note["message"]
    assert list(data["files"][0])[:3] == ["path", "encoding", "notes"]
    zh = json.loads(check("--format", "json", pdf))["files"][0]["notes"][0]["message"]
    assert zh.startswith("未读取 ") and "第 1、2 页" in zh


def test_a_text_file_has_no_notes_key():
    data = json.loads(check("--format", "json", EXAMPLE))
    assert "notes" not in data["files"][0]


def test_a_joined_publication_names_the_part_a_note_is_about(tmp_path):
    first, second = clipped_pdf(tmp_path, "a.pdf"), clipped_pdf(tmp_path, "b.pdf")
    data = json.loads(check("--format", "json", f"{first}+{second}"))
    assert [n["file"] for n in data["files"][0]["notes"]] == [first, second]


def test_text_shows_the_note_under_the_header_before_the_findings(tmp_path):
    xlsx = hidden_sheet_xlsx(tmp_path)
    lines = check("--lang", "en", xlsx).splitlines()
    assert lines[0].startswith("── ") and lines[1] == "   note: 1 hidden sheet(s) not read: '备用'"
    assert check(xlsx).splitlines()[1] == "   注: 未读取 1 个隐藏工作表：'备用'"


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markdown_and_html_show_the_note_in_the_documents_section(fmt, tmp_path):
    xlsx = hidden_sheet_xlsx(tmp_path)
    out = check("--format", fmt, "--lang", "en", xlsx)
    note = "1 hidden sheet(s) not read: "
    assert note in out and "备用" in out[out.index(note):][:60]
    section = out[out.index("## " if fmt == "markdown" else '<section class="file">'):]
    assert section.index(note) < section.index("B0")  # before the first finding


def test_jsonl_has_a_note_record_before_the_files_findings(tmp_path):
    pdf = clipped_pdf(tmp_path)
    records = [json.loads(line) for line in check("--format", "jsonl", pdf).splitlines()]
    assert records[0]["type"] == "note" and records[0]["path"] == pdf and records[0]["kind"] == "clipped-text"
    assert records[-1]["type"] == "summary"


def test_sarif_has_a_notification_per_note(tmp_path):
    xlsx = hidden_sheet_xlsx(tmp_path)
    sarif = json.loads(check("--format", "sarif", "--lang", "en", xlsx))
    notices = [n for run in sarif["runs"] for inv in run["invocations"] for n in inv["toolExecutionNotifications"]]
    (notice,) = notices
    assert notice["level"] == "note" and notice["properties"] == {"kind": "hidden-sheets", "count": 1}
    assert notice["message"]["text"].endswith("1 hidden sheet(s) not read: '备用'")


@pytest.mark.parametrize("fmt", ["concise", "csv"])
def test_line_per_finding_formats_stay_so(fmt, tmp_path):
    xlsx = hidden_sheet_xlsx(tmp_path)
    assert "hidden sheet" not in check("--format", fmt, "--lang", "en", xlsx)
