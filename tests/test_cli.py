"""The command line as CI and auditors use it: exit codes, formats, reports to files, folders, --jobs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from audit.rules import load_rules
from tests.reporting import EXAMPLE, ROOT, check_json, document, findings, invoke, project, write


def test_fail_on_never_exits_0_with_findings():
    result = invoke("check", "--no-config", "--fail-on", "never", EXAMPLE)
    assert result.exit_code == 0
    assert "S001" in result.stdout


def test_fail_on_thresholds(tmp_path):
    warning_only = write(tmp_path, "w.txt", document(project("培训", "25%", "50%", "100%", "")))  # S002 warning
    code, data = check_json("--select", "S002", warning_only)
    assert findings(data) and code == 0  # default --fail-on error
    assert invoke("check", "--no-config", "--select", "S002", "--fail-on", "warning", warning_only).exit_code == 1
    assert invoke("check", "--no-config", "--select", "S002", "--fail-on", "info", warning_only).exit_code == 1


def test_exit_zero():
    result = invoke("check", "--no-config", "--exit-zero", EXAMPLE)
    assert result.exit_code == 0 and "S001" in result.stdout


def test_unknown_format_exits_2_naming_the_choices():
    result = invoke("check", "--no-config", "--format", "pdf", EXAMPLE)
    assert result.exit_code == 2
    assert "'pdf' is not one of" in result.output and "'sarif'" in result.output


@pytest.mark.parametrize("value", ["pdf=out.pdf", "sarif", "sarif="])
def test_bad_report_option_exits_2(value):
    assert invoke("check", "--no-config", "--report", value, EXAMPLE).exit_code == 2


def test_usage_errors_and_crashes_exit_2_without_traceback(monkeypatch, capsys):
    from audit import cli as cli_module

    def boom(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr("audit.batch.run_batch", boom)
    monkeypatch.setattr(sys, "argv", ["audit", "check", "--no-config", str(EXAMPLE)])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "simulated crash" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1

    monkeypatch.setattr(sys, "argv", ["audit", "check", "--no-such-option", str(EXAMPLE)])
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 2


def test_module_and_console_entry_exit_2_on_usage_error():
    done = subprocess.run([sys.executable, "-m", "audit", "check", "--bogus"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_report_option_writes_several_files(tmp_path):
    sarif, html, junit = tmp_path / "out" / "a.sarif", tmp_path / "a.html", tmp_path / "a.xml"
    result = invoke(
        "check", "--no-config", "--format", "concise", "--report", f"sarif={sarif}", "--report", f"html={html}",
        "--report", f"junit={junit}", EXAMPLE,
    )
    assert result.exit_code == 1
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert ":" in result.stdout.splitlines()[0]  # the terminal still got the concise report


def test_output_file(tmp_path):
    out = tmp_path / "r.json"
    result = invoke("check", "--no-config", "--format", "json", "--output", out, EXAMPLE)
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["findings"] >= 2


def test_select_and_ignore_by_id_name_and_prefix():
    _, by_name = check_json("--select", "schedule-decreases", EXAMPLE)
    assert {f["rule"] for f in findings(by_name)} == {"S001"}
    _, by_prefix = check_json("--select", "S", "--ignore", "schedule-not-complete", EXAMPLE)
    rules = {f["rule"] for f in findings(by_prefix)}
    assert rules and all(r.startswith("S") for r in rules) and "S002" not in rules
    assert invoke("check", "--no-config", "--select", "no-such-rule", EXAMPLE).exit_code == 2


def test_rules_lists_every_rule():
    result = invoke("rules")
    assert result.exit_code == 0
    for rule in load_rules():
        assert rule.id in result.stdout and rule.name in result.stdout
    listed = json.loads(invoke("rules", "--json").stdout)
    assert {r["id"] for r in listed} == set(load_rules().rules)


@pytest.mark.parametrize("key", ["B003", "S001", "schedule-gap"])
def test_explain_in_chinese_and_english(key):
    rule = load_rules().get(key)
    if rule is None:
        pytest.skip(f"rule {key} is not in this rule set")
    zh = invoke("explain", key)
    assert zh.exit_code == 0
    assert rule.title.zh in zh.stdout and "为什么" in zh.stdout
    en = invoke("explain", key, "--lang", "en")
    assert rule.title.en in en.stdout and "Why" in en.stdout
    assert invoke("explain", "Z999").exit_code == 2


def test_docs_check(tmp_path):
    page = tmp_path / "rules.md"
    assert invoke("docs", "--output", page).exit_code == 0
    assert invoke("docs", "--output", page, "--check").exit_code == 0
    page.write_text("stale", encoding="utf-8")
    assert invoke("docs", "--output", page, "--check").exit_code == 1


# -- batch -------------------------------------------------------------------------------------------
def test_folders_recursed_with_include_and_exclude(tmp_path):
    doc = document(project("培训", "30%", "60%", "50%", "100%"))
    write(tmp_path, "a/one.txt", doc)
    write(tmp_path, "a/drafts/two.txt", doc)
    write(tmp_path, "b/three.md", doc)
    write(tmp_path, ".hidden/four.txt", doc)
    _, data = check_json(tmp_path)
    assert sorted(p["path"].replace(str(tmp_path), "") for p in data["files"]) == ["/a/drafts/two.txt", "/a/one.txt"]
    _, data = check_json("--exclude", "drafts", "--include", "*.txt", "--include", "*.md", tmp_path)
    assert sorted(p["path"].replace(str(tmp_path), "") for p in data["files"]) == ["/a/one.txt", "/b/three.md"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_unreadable_file_never_stops_the_run(tmp_path, jobs):
    good = write(tmp_path, "good.txt", document(project("培训", "30%", "60%", "50%", "100%")))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    code, data = check_json("--jobs", jobs, tmp_path / "missing.txt", binary, good)
    assert code == 2
    paths = [f["path"] for f in data["files"]]
    assert paths == [str(tmp_path / "missing.txt"), str(binary), str(good)]
    assert data["files"][0]["error"] and data["files"][1]["error"]
    assert data["files"][2]["findings"]


def test_progress_bar_is_silent_when_not_a_terminal():
    result = invoke("check", "--no-config", "--format", "json", "--jobs", "2", EXAMPLE, EXAMPLE)
    json.loads(result.stdout)
    assert "━" not in result.output


@pytest.mark.parametrize("fmt, lang", [("json", "zh"), ("jsonl", "en"), ("text", "zh"), ("sarif", "en")])
def test_jobs_2_equals_jobs_1(corpus_dir, tmp_path, fmt, lang):
    """Byte for byte, including what --jobs workers render themselves (json, jsonl) and a --report file."""
    outputs = []
    for jobs in ("1", "2"):
        extra = tmp_path / f"extra-{jobs}.jsonl"
        result = invoke("check", "--no-config", "--format", fmt, "--lang", lang, "--jobs", jobs, "--report", f"jsonl={extra}", corpus_dir, EXAMPLE)
        outputs.append((result.exit_code, result.stdout, extra.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]


def test_jobs_2_with_a_baseline_reports_what_jobs_1_does(tmp_path):
    """A filter changes findings after the workers: what they rendered must not be used then."""
    baseline = tmp_path / "baseline.json"
    other = write(tmp_path, "w.txt", document(project("培训", "25%", "50%", "100%", "")))
    assert invoke("baseline", "--no-config", "-o", baseline, EXAMPLE).exit_code == 0
    runs = [invoke("check", "--no-config", "--format", "json", "--jobs", jobs, "--baseline", baseline, EXAMPLE, other, EXAMPLE) for jobs in ("1", "2")]
    assert runs[0].stdout == runs[1].stdout
    data = json.loads(runs[1].stdout)
    assert data["summary"]["suppressed"]["baseline"] > 0 and not data["files"][0]["findings"]


def test_text_summary_by_rule_and_severity():
    result = invoke("check", "--no-config", EXAMPLE)
    assert "汇总" in result.stdout and "S001" in result.stdout
    english = invoke("check", "--no-config", "--lang", "en", EXAMPLE)
    assert "Summary" in english.stdout


def test_stdin():
    result = invoke("check", "--no-config", "--format", "json", "-", input=EXAMPLE.read_bytes())
    data = json.loads(result.stdout)
    assert data["files"][0]["path"] == "<stdin>" and data["files"][0]["findings"]
    assert result.exit_code == 1
    empty = invoke("check", "--no-config", "-", input=b"")
    assert empty.exit_code == 2


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_stdin_reads_pdf_word_and_excel_bytes_as_their_format(fmt, tmp_path):
    """Bytes piped in are sniffed (%PDF, a zip with word/ or xl/) and read as the file they are,
    with the same findings as the file named; --stdin-filename names them, places included."""
    from tests.office_fixtures import with_defects, write_docx, write_xlsx
    from tests.report.test_reader_notes import clipped_pdf

    if fmt == "pdf":
        path = clipped_pdf(tmp_path)
    else:
        path = str(tmp_path / f"d.{fmt}")
        (write_xlsx if fmt == "xlsx" else write_docx)(path, with_defects())
    _, named = check_json(path)
    result = invoke("check", "--no-config", "--format", "json", "--stdin-filename", f"piped.{fmt}", "-", input=open(path, "rb").read())
    piped = json.loads(result.stdout)["files"][0]
    assert piped["path"] == f"piped.{fmt}" and piped["encoding"] == fmt
    strip = lambda fs: [{k: v for k, v in f.items() if k not in ("place", "fingerprint")} for f in fs]  # noqa: E731
    assert strip(piped["findings"]) == strip(named["files"][0]["findings"])
    assert [n["kind"] for n in piped.get("notes", [])] == [n["kind"] for n in named["files"][0].get("notes", [])]
    assert all(f["place"].get("file") in (None, f"piped.{fmt}") for f in piped["findings"] if "place" in f)
    if fmt != "pdf":
        assert piped["findings"]
    else:
        assert piped["notes"][0]["kind"] == "clipped-text"


def test_stdin_a_zip_that_is_no_office_file_is_refused_as_binary(tmp_path):
    import zipfile

    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "hello")
    result = invoke("check", "--no-config", "--format", "json", "-", input=path.read_bytes())
    assert result.exit_code == 2 and json.loads(result.stdout)["files"][0]["error"]


def test_interrupted_run_leaves_report_files_as_they_were(tmp_path, monkeypatch):
    """Reports stream as files arrive, into a temporary file renamed once complete: a run that
    stops half-way (Ctrl-C, a crash) leaves no half report and an earlier report untouched."""
    from audit.report.json_ import JsonWriter

    out, extra = tmp_path / "r.json", tmp_path / "r.sarif"
    out.write_text("earlier report\n", encoding="utf-8")

    def interrupted(self, report):
        raise KeyboardInterrupt

    monkeypatch.setattr(JsonWriter, "file", interrupted)
    result = invoke("check", "--no-config", "--format", "json", "-o", out, "--report", f"sarif={extra}", EXAMPLE)
    assert result.exit_code != 0
    assert out.read_text(encoding="utf-8") == "earlier report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]  # no sarif, no temporary files
    monkeypatch.undo()
    assert invoke("check", "--no-config", "--format", "json", "-o", out, "--report", f"sarif={extra}", EXAMPLE).exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["files"] and json.loads(extra.read_text(encoding="utf-8"))["runs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.sarif"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == extra.stat().st_mode & 0o777 == 0o666 & ~umask  # as open() makes them


def test_program_with_stdout_closed_exits_2_without_traceback():
    """audit.cli.run flushes before os._exit: a closed stdout is an error line, never a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "audit", "check", "--no-config", str(EXAMPLE)],
        stdout=None, stderr=subprocess.PIPE, text=True, cwd=ROOT, preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.startswith("audit: ")


def test_program_exit_codes_through_run():
    base = [sys.executable, "-m", "audit", "check", "--no-config", str(EXAMPLE)]
    assert subprocess.run(base, capture_output=True, cwd=ROOT).returncode == 1
    assert subprocess.run([*base, "--fail-on", "never"], capture_output=True, cwd=ROOT).returncode == 0
    head = subprocess.Popen([*base, "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    head.stdout.read(10)
    head.stdout.close()  # the reader goes away: the rest cannot be delivered
    err = head.stderr.read().decode()
    assert head.wait() in (1, 2) and "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="non-blocking pipes are POSIX")
def test_report_on_a_non_blocking_pipe_is_whole(corpus_dir):
    """A harness may hand over a non-blocking pipe and read it late: the corpus's JSON (250 KB,
    four pipe buffers) once arrived cut at 64 KB, with exit 1 and no error."""
    import fcntl
    import time

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETFL, fcntl.fcntl(write_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    process = subprocess.Popen(
        [sys.executable, "-m", "audit", "check", "--no-config", "--format", "json", str(corpus_dir)],
        cwd=ROOT,
        stdout=write_end,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    time.sleep(2)  # the reader is late: the pipe fills up
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    assert process.wait(timeout=60) == 1 and process.stderr.read() == b""
    assert len(data) > 3 * 65536
    assert json.loads(data)["summary"]["files"] == 5
