"""PDFs through the command line: places in every report, joined publications, bad files beside
good ones, and `audit extract` saying what was read."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from audit.cli import cli
from tests.pdfmaker import Page, build

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def narrative(tmp_path) -> str:
    page = Page()
    page.text(72, 780, "某某局2024年部门预算", 16)
    page.text(96, 740, "本部门2024年收入预算100.00万元。")
    path = tmp_path / "narrative.pdf"
    path.write_bytes(build([page]))
    return str(path)


def tables(tmp_path) -> str:
    """A second file whose page 2 holds an enumeration that skips 二、 (T002)."""
    first, second = Page(), Page()
    first.text(72, 780, "收支预算总表", 14)
    first.text(72, 760, "单位：万元")
    first.grid(72, 750, [200, 80], [["项目", "金额"], ["一、财政拨款", "100.00"], ["合计", "100.00"]])
    second.text(96, 700, "一、第一项说明。")
    second.text(96, 670, "三、第三项说明。")
    path = tmp_path / "tables.pdf"
    path.write_bytes(build([first, second]))
    return str(path)


def findings(data: dict) -> list[dict]:
    return [f for file in data["files"] for f in file["findings"]]


def test_joined_publication_points_at_the_right_file_and_page(tmp_path):
    a, b = narrative(tmp_path), tables(tmp_path)
    for args in (["--join", a, b], [f"{a}+{b}"]):
        result = run("check", "--format", "json", *args)
        data = json.loads(result.stdout)
        assert len(data["files"]) == 1 and data["files"][0]["encoding"] == "pdf"
        [t002] = [f for f in findings(data) if f["rule"] == "T002"]
        assert t002["page"] == 2 and t002["place"]["file"] == b


def test_every_format_shows_the_page(tmp_path):
    path = tables(tmp_path)
    text = run("check", "--no-color", path).stdout
    assert ":第2页  T002" in text and "第2页 │" in text  # the header and the source gutter name the page
    assert "page 2" in run("check", "--lang", "en", "--format", "markdown", path).stdout
    assert "第 2 页" in run("check", "--format", "html", path).stdout
    csv_text = run("check", "--format", "csv", path).stdout
    assert ",2,第 2 页" in csv_text
    sarif = json.loads(run("check", "--format", "sarif", path).stdout)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "T002"]
    location = result["locations"][0]
    assert location["physicalLocation"]["region"]["properties"]["page"] == 2
    assert location["properties"]["page"] == 2
    if SCHEMA.is_file():
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        jsonschema.validators.validator_for(schema)(schema).validate(sarif)


def test_bad_pdf_beside_good_files_exits_2_and_the_others_are_checked(tmp_path):
    good = tables(tmp_path)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(build([Page().text(72, 700, "机密")], user_password="pw"))
    fake = tmp_path / "fake.pdf"
    fake.write_text("不是PDF\n", encoding="utf-8")
    result = run("check", "--format", "json", str(locked), good, str(fake))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [bool(f.get("error")) for f in data["files"]] == [True, False, True]
    assert "encrypted" in data["files"][0]["error"] and "not a PDF" in data["files"][2]["error"]
    assert "locked.pdf" in result.stderr and "Traceback" not in result.stderr
    assert any(f["rule"] == "T002" for f in data["files"][1]["findings"])


def test_folder_includes_pdfs(tmp_path):
    tables(tmp_path)
    data = json.loads(run("check", "--format", "json", str(tmp_path)).stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["tables.pdf"]


def test_extract_shows_tables_with_their_cells(tmp_path):
    path = tables(tmp_path)
    text = run("extract", path).stdout
    assert "收支预算总表" in text and "一、财政拨款 │ 100.00" in text and "p1" in text
    data = json.loads(run("extract", "--json", path).stdout)
    [table] = [b for b in data["document"]["blocks"] if b["type"] == "table"]
    assert table["title"] == "收支预算总表" and table["unit"] == "万元"
    assert table["rows"][1][1]["text"] == "100.00" and table["rows"][1][1]["origin"]["page"] == 1
    assert data["counts"]["tables"] >= 0 and "facts" in data


def test_nothing_budget_like_is_a_warning_not_a_clean_report(tmp_path):
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(build([Page().text(72, 700, "关于召开会议的通知。")]))
    data = json.loads(run("check", "--format", "json", str(notice)).stdout)
    assert [f["rule"] for f in findings(data)] == ["X003"]


def test_join_takes_files_not_folders(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--join", str(tmp_path)])
    assert result.exit_code == 2 and "--join takes files" in result.output


def test_pipeline_api_joins_a_list_of_paths(tmp_path):
    from audit.pipeline import Options, audit_path
    from audit.rules import load_rules

    rules = load_rules([])
    a, b = narrative(tmp_path), tables(tmp_path)
    report = audit_path([a, b], rules, Options(selected=set(rules.rules)))
    assert report.error is None and report.path == f"{a}+{b}"
    [t002] = [f for f in report.findings if f.rule == "T002"]
    assert (t002.place.file, t002.place.page) == (b, 2)


def test_tables_read_but_not_recognised_say_so(tmp_path):
    page = Page()
    page.text(72, 780, "人员情况表", 14)
    page.grid(72, 760, [120, 120], [["姓名", "职务"], ["张三", "科员"]])
    path = tmp_path / "roster.pdf"
    path.write_bytes(build([page]))
    data = json.loads(run("check", "--format", "json", str(path)).stdout)
    [x003] = findings(data)
    assert x003["rule"] == "X003" and "1 个表格" in x003["message"] and x003["evidence"]["values"]["table_blocks"] == 1
