"""Every --format: valid (SARIF against the 2.1.0 schema, JUnit as XML), complete, escaped."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import escape as html_escape
from pathlib import Path

import jsonschema
import pytest

from audit import __version__
from audit.model import FileReport, RunReport
from audit.pipeline import Options, audit_path
from audit.report import FORMATS, ReportOptions, stream_writer, writer
from audit.report.common import pretty_json
from audit.report.markdown import escape as md_escape
from audit.rules import load_rules
from tests.reporting import EXAMPLE, ROOT, document, invoke, project, write

SCHEMA_PATH = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
RULES = load_rules()
ALL = Options(selected=set(RULES.rules))


def run_of(*paths) -> RunReport:
    return RunReport(version=__version__, files=[audit_path(p, RULES, ALL) for p in paths], rules=RULES.rules)


def render(fmt: str, run: RunReport, **options) -> str:
    return writer(fmt)(run, ReportOptions(**options))


@pytest.fixture(scope="module")
def sarif_validator():
    if not SCHEMA_PATH.is_file():
        pytest.skip(f"SARIF schema {SCHEMA_PATH} is absent")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture()
def scripted(tmp_path) -> Path:
    """A document whose project name and a schedule cell hold `<script>`: findings quote both."""
    return write(
        tmp_path,
        "scripted.txt",
        document(project("<script>alert(1)</script>培训", "25%", "<script>x</script>", "100%", "")),
    )


# -- SARIF -----------------------------------------------------------------------------------------
def test_sarif_valid_for_every_seed(corpus_dir, sarif_validator):
    for path in sorted(corpus_dir.glob("*.txt")):
        run = run_of(path)
        data = json.loads(render("sarif", run))
        errors = sorted(sarif_validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{path.name}: {errors[0].message} at {list(errors[0].path)}"
        results = data["runs"][0]["results"]
        assert len(results) == len(run.files[0].findings)


def test_sarif_shape(sarif_validator, monkeypatch):
    monkeypatch.chdir(ROOT)
    run = run_of(Path("examples") / EXAMPLE.name)
    data = json.loads(render("sarif", run))
    sarif_validator.validate(data)
    (sarif_run,) = data["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(RULES.rules)
    for rule in rules:
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert sarif_run["results"]
    for result in sarif_run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": "examples/demo-budget-2024.txt", "uriBaseId": "SRCROOT"}
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]["auditFingerprint/v1"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert sarif_run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")


def test_sarif_valid_with_no_results(tmp_path, sarif_validator):
    # a figure with its unit: something was read (text with nothing budget-like gets X003)
    clean = write(tmp_path, "clean.txt", "这是一段说明文字：本部门收入预算100万元。\n")
    data = json.loads(render("sarif", run_of(clean)))
    sarif_validator.validate(data)
    assert data["runs"][0]["results"] == []


def test_sarif_unreadable_file_is_a_notification(tmp_path, sarif_validator):
    data = json.loads(render("sarif", run_of(tmp_path / "missing.txt")))
    sarif_validator.validate(data)
    invocation = data["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "missing.txt" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_splits_into_runs_that_code_scanning_accepts(corpus_dir, sarif_validator, monkeypatch, capsys):
    """No run over the per-run limit (25,000; made small here), each run its own category, the
    whole file valid; every result once; over the upload size a warning names the way out."""
    from audit.report import sarif

    monkeypatch.setattr(sarif, "RESULTS_PER_RUN", 100)
    monkeypatch.setattr(sarif, "UPLOAD_LIMIT", 1000)
    run = run_of(EXAMPLE, *sorted(corpus_dir.glob("*.txt")))
    data = json.loads(render("sarif", run))
    assert not list(sarif_validator.iter_errors(data))
    total = sum(len(f.findings) for f in run.files)
    runs = data["runs"]
    assert len(runs) == -(-total // 100) and all(len(r["results"]) <= 100 for r in runs)
    assert sum(len(r["results"]) for r in runs) == total
    assert "automationDetails" not in runs[0]  # the first run keeps the default category
    ids = [r["automationDetails"]["id"] for r in runs[1:]]
    assert len(set(ids)) == len(runs) - 1
    assert "10 MB" in capsys.readouterr().err


def test_sarif_streams_each_file_as_it_arrives(corpus_dir, sarif_validator):
    """The writer holds no results: each file's text comes back from file(), and the whole is valid."""
    from audit.report.sarif import SarifWriter

    run = run_of(EXAMPLE, *sorted(corpus_dir.glob("*.txt")))
    writer = SarifWriter(RunReport(version=run.version, rules=run.rules), ReportOptions())
    head = writer.start()
    parts = [writer.file(f) for f in run.files]
    assert all(part for part, f in zip(parts, run.files) if f.findings)  # written as each file arrives
    data = json.loads(head + "".join(parts) + writer.finish())
    assert not list(sarif_validator.iter_errors(data))
    assert len(data["runs"][0]["results"]) == sum(len(f.findings) for f in run.files)
    assert isinstance(writer.results, int)  # a count, not a list of results


def test_sarif_rule_help_comes_from_the_yaml_entry():
    data = json.loads(render("sarif", run_of(EXAMPLE), lang="en"))
    rule = next(r for r in data["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "S001")
    assert RULES.get("S001").rationale.en in rule["help"]["text"]
    bad = RULES.get("S001").examples.bad
    assert all(line in rule["help"]["markdown"] for line in bad.splitlines())  # the example document, each line


# -- JUnit, GitHub, GitLab ---------------------------------------------------------------------------
def test_junit_parses_and_names_are_unique(tmp_path):
    run = run_of(EXAMPLE, tmp_path / "missing.txt")
    root = ET.fromstring(render("junit", run))
    assert root.tag == "testsuites"
    names = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(names) == len(set(names))
    failures = root.findall(".//failure")
    assert failures and all(f.get("type") == "error" for f in failures)  # default --fail-on error
    assert root.findall(".//error")  # the missing file
    assert int(root.get("failures")) == len(failures)


def test_junit_fail_on_never_has_no_failures():
    root = ET.fromstring(render("junit", run_of(EXAMPLE), fail_on="never"))
    assert not root.findall(".//failure")
    assert root.findall(".//system-out")


WORKFLOW = re.compile(r"^::(error|warning|notice)( [A-Za-z]+=[^,:]*(,[A-Za-z]+=[^,:]*)*)?::[^\r\n]*$")


def test_github_annotates_the_most_important_within_githubs_limits(corpus_dir, tmp_path, monkeypatch):
    """At most 10 annotations of each kind, errors first; every other finding is a plain line in a
    folded group; one notice counts them; the job summary lists the documents."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_of(EXAMPLE, *sorted(corpus_dir.glob("*.txt")))
    lines = render("github", run).splitlines()
    total = sum(len(f.findings) for f in run.files)
    commands = [line for line in lines if WORKFLOW.match(line)]
    kinds = [line[2:].split(" ", 1)[0].split(":", 1)[0] for line in commands]
    assert all(kinds.count(kind) <= 10 for kind in ("error", "warning", "notice"))
    order = {"error": 0, "warning": 1, "notice": 2}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    start, end = lines.index(next(l for l in lines if l.startswith("::group::"))), lines.index("::endgroup::")
    plain = lines[start + 1 : end]
    assert not any(line.startswith("::") for line in plain)
    notice = next(line for line in commands if "未作为注释显示" in line)
    assert f"另有 {len(plain)} 个问题" in notice
    assert len(commands) - 1 + len(plain) == total  # every finding once: annotated or listed
    text = summary.read_text(encoding="utf-8")
    assert "| 文件 | 错误 | 警告 | 提示 |" in text and all(Path(f.path).name in text for f in run.files)


def test_github_escapes_data_and_properties(tmp_path):
    path = write(tmp_path, "a,b:c%.txt", document(project("100%完成,测试:项目", "25%", "50%", "100%", "")))
    lines = render("github", run_of(path)).splitlines()
    assert lines and all(WORKFLOW.match(line) for line in lines)
    assert "file=" in lines[0] and "a%2Cb%3Ac%25.txt" in lines[0]
    assert "%0A" in lines[0]  # the suggestion on a second line
    message = lines[0].split("::", 2)[2]
    assert "100%25" in message and "%25%25" not in message


def test_gitlab_code_quality_fingerprints_unique(corpus_dir):
    run = run_of(EXAMPLE, EXAMPLE, *sorted(corpus_dir.glob("*.txt")))
    issues = json.loads(render("gitlab", run))
    assert len(issues) == sum(len(f.findings) for f in run.files)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["lines"]["begin"] >= 1


# -- JSON lines, concise, text -------------------------------------------------------------------------
def test_jsonl_one_record_per_line(tmp_path):
    run = run_of(EXAMPLE, tmp_path / "missing.txt")
    records = [json.loads(line) for line in render("jsonl", run).splitlines()]
    assert [r["type"] for r in records].count("finding") == len(run.files[0].findings)
    assert [r["type"] for r in records][-1] == "summary"
    assert any(r["type"] == "error" and r["path"].endswith("missing.txt") for r in records)
    assert all({"rule", "severity", "message", "line", "path"} <= set(r) for r in records if r["type"] == "finding")


def test_csv_for_excel(tmp_path):
    import csv
    import io

    run = run_of(EXAMPLE, tmp_path / "missing.txt")
    out = render("csv", run)
    assert out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0][:4] == ["文件", "行", "列", "规则"]
    assert len(rows) == 1 + len(run.files[0].findings) + 1
    assert all(not row[6].startswith(("=", "+", "@")) for row in rows[1:])


def test_concise_one_line_per_finding():
    run = run_of(EXAMPLE)
    lines = render("concise", run).splitlines()
    assert len(lines) == len(run.files[0].findings) + 1
    assert re.match(r"^.+:\d+:\d+: [A-Z]\d{3} (错误|警告|提示) ", lines[0])  # the severity in the report's language


def test_text_groups_identical_findings_with_a_count(tmp_path):
    projects = [project(f"项目{i}", "25%", "50%", "100%", "100%", number=i) for i in range(1, 3)]
    text = document(*projects).replace("≥100人", "≥0%").replace("≥90%", "≥0%").replace("≥95%", "≥0%")
    path = write(tmp_path, "vacuous.txt", text)
    run = run_of(path)
    groups = {}
    for f in run.files[0].findings:
        groups.setdefault((f.rule, f.subject, f.snippet), []).append(f)
    if not any(len(g) >= 3 for g in groups.values()):
        pytest.skip("no rule reports several identical findings here (indicator rules not present)")
    out = render("text", run)
    assert "同类问题另有" in out
    english = render("text", run, lang="en")
    assert "more like this" in english


def test_text_marks_an_empty_cell(tmp_path):
    path = write(tmp_path, "gap.txt", document(project("培训", "25%", "50%", "100%", "")))
    run = run_of(path)
    (finding,) = [f for f in run.files[0].findings if f.rule == "S002"]
    assert run.files[0].lines[finding.span.line - 1].strip() == ""
    assert "（空单元格）" in render("text", run)
    assert "(empty cell)" in render("text", run, lang="en")


# -- Markdown and HTML: complete and escaped -----------------------------------------------------------
def test_markdown_and_html_contain_every_finding(corpus_dir, monkeypatch):
    from audit.report.markdown import MarkdownWriter

    monkeypatch.setattr(MarkdownWriter, "limit", 10**9)  # no comment-size cut for this test
    run = run_of(EXAMPLE, *sorted(corpus_dir.glob("*.txt")))
    markdown = render("markdown", run)
    html = render("html", run)
    total = 0
    for file in run.files:
        for f in file.findings:
            total += 1
            message = " ".join(f.message.zh.split())
            assert md_escape(message) in markdown
            if not re.search(r"[<>&\\`*_\[\]|~]", message):
                assert message in markdown  # plain text stays as it is
            assert f'id="f-{f.fingerprint}"' in html
            assert html_escape(f.message.zh, quote=False) in html
            if not re.search(r"[<>&]", message):
                assert f.message.zh in html
    assert html.count('<article class="finding') == total


def test_markdown_fits_a_pull_request_comment_and_says_what_it_left_out(corpus_dir):
    """Under 65,536 characters however many findings; errors come first; the notice counts the rest."""
    run = run_of(EXAMPLE, *sorted(corpus_dir.glob("*.txt")) * 3)
    total = sum(len(f.findings) for f in run.files)
    for lang in ("zh", "en"):
        markdown = render("markdown", run, lang=lang)
        assert len(markdown) < 65_536
        listed = markdown.count("\n- **L")
        assert 0 < listed < total
        notice = re.search(r"(另有 (\d+) 个文件的 (\d+) 个问题未列出|(\d+) more findings in (\d+) files)", markdown)
        assert notice, markdown[-400:]
        left_out = int(notice.group(3) or notice.group(4))
        assert listed + left_out == total
    first_file = render("markdown", run).split("\n## ", 2)[1]
    severities = re.findall(r"^### \S+ \S+ — .* \((错误|警告|提示), \d+\)$", first_file, re.M)
    order = {"错误": 0, "警告": 1, "提示": 2}
    assert [order[s] for s in severities] == sorted(order[s] for s in severities)


def test_markdown_and_html_escape_document_text(scripted):
    run = run_of(scripted)
    assert run.files[0].findings
    for fmt in ("markdown", "html"):
        out = render(fmt, run)
        assert "<script>alert" not in out and "<script>x" not in out
    html = render("html", run)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # the report's own filter script, nothing from the document


def test_html_has_summary_filters_charts_and_highlight():
    html = render("html", run_of(EXAMPLE))
    assert html.startswith("<!DOCTYPE html>")
    assert 'data-filter="severity"' in html and 'data-filter="rule"' in html
    assert "<svg" in html and "资金支出计划" in html
    assert "<mark" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # self-contained


def test_every_format_renders_an_empty_run():
    run = RunReport(version=__version__, files=[], rules=RULES.rules)
    for name in FORMATS:
        assert isinstance(render(name, run), str)


# -- rule docs -----------------------------------------------------------------------------------------
def test_docs_rules_md_is_up_to_date():
    from audit.report.ruledoc import rules_page

    page = ROOT / "docs" / "rules.md"
    assert page.is_file(), "run `audit docs --output docs/rules.md`"
    assert page.read_text(encoding="utf-8") == rules_page(load_rules()), "docs/rules.md is stale: run `audit docs --output docs/rules.md`"


# -- HTML in a real browser ----------------------------------------------------------------------------
def _browser():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("html_screenshot", ROOT / "scripts" / "html_screenshot.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["html_screenshot"] = module
    spec.loader.exec_module(module)
    if module.browser() is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium): the HTML report is not rendered")
    return module


def test_html_renders_in_chromium_and_shows_script_as_text(tmp_path, scripted):
    """Two browser launches: the <script> document's DOM, and a screenshot of seed 003 when present."""
    shot = _browser()
    html = tmp_path / "report.html"
    shot.render_report(scripted, html)
    dom = shot.dump_dom(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # a text node, not an element
    assert "<script>alert" not in dom
    assert "预算公开一致性审核报告" in dom
    # the filters work: preselecting one rule hides every other finding
    demo = tmp_path / "demo.html"
    shot.render_report(EXAMPLE, demo)
    filtered = shot.dump_dom(demo, "rule=S001")
    articles = re.findall(r'<article class="finding[^"]*" data-rule="(\w+)"[^>]*?( hidden="")?>', filtered)
    assert articles and all((rule == "S001") != bool(hidden) for rule, hidden in articles)
    seeds = sorted((ROOT.parent / "shared" / "corpus").glob("003_*.txt"))
    source = seeds[0] if seeds else scripted
    page = tmp_path / "003.html"
    shot.render_report(source, page)
    png = tmp_path / "003.png"
    shot.screenshot(page, png, height=1200)
    assert png.stat().st_size > 10_000


def _many(count: int) -> RunReport:
    files = [audit_path(EXAMPLE, RULES, ALL) for _ in range(count)]
    return RunReport(version=__version__, files=files, rules=RULES.rules)


def test_html_over_many_documents_is_an_index_with_packed_pages():
    """Past INLINE_MAX documents: one index row per document, and each document's section kept
    gzip+base64 in the page, holding every finding of that document."""
    import base64
    import gzip

    from audit.report.html import INLINE_MAX

    run = _many(INLINE_MAX + 5)
    html = render("html", run)
    assert html.count('<tr class="doc"') == len(run.files)
    assert '<article class="finding' not in html.split("<script", 1)[0]  # nothing laid out before opened
    packed = re.findall(r'<script type="application/gzip" id="d-(\d+)">([A-Za-z0-9+/=]+)</script>', html)
    assert [int(i) for i, _ in packed] == list(range(len(run.files)))
    for (_, data), file in zip(packed, run.files):
        section = gzip.decompress(base64.b64decode(data)).decode("utf-8")
        assert section.count('<article class="finding') == len(file.findings)
        assert all(f'id="f-{f.fingerprint}"' in section for f in file.findings)
    first = gzip.decompress(base64.b64decode(packed[0][1])).decode("utf-8")
    levels = re.findall(r'<article class="finding (?:same )?(error|warning|info)"', first)
    assert levels == sorted(levels, key=["error", "warning", "info"].index)  # errors first


def test_html_index_opens_a_document_in_chromium(tmp_path):
    shot = _browser()
    from audit.report.html import INLINE_MAX

    page = tmp_path / "many.html"
    page.write_text(render("html", _many(INLINE_MAX + 1)), encoding="utf-8")
    dom = shot.dump_dom(page, "doc=3")
    view = dom.split('id="doc-view"', 1)[1]
    assert 'data-render-ms="' in view and '<article class="finding' in view
    assert re.search(r'<section class="index"[^>]*hidden', dom)


# -- properties of the escapers --------------------------------------------------------------------
from hypothesis import given, strategies as st  # noqa: E402

from audit.report.github import escape_data, escape_property  # noqa: E402


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


@given(st.text())
def test_github_escaping_round_trips_and_stays_on_one_line(text):
    for escaped in (escape_data(text), escape_property(text)):
        assert "\n" not in escaped and "\r" not in escaped
        assert _unescape(escaped) == text
    assert "," not in escape_property(text) and ":" not in escape_property(text)


@given(st.text())
def test_markdown_escape_leaves_no_markup(text):
    escaped = md_escape(text)
    assert "<" not in escaped and ">" not in escaped and "\n" not in escaped
    assert not re.search(r"(?<!\\)[|*_`\[\]]", escaped.replace("\\\\", ""))


def test_text_groups_seed_000(corpus_dir):
    seed = next(corpus_dir.glob("000_*.txt"))
    run = run_of(seed)
    out = render("text", run)
    shown = len(re.findall(r"^\S+:\d+:\d+  [A-Z]\d{3} ", out, flags=re.M))
    grouped = sum(int(n) for n in re.findall(r"同类问题另有 (\d+) 处", out))
    assert shown + grouped == len(run.files[0].findings)
    if len(run.files[0].findings) > 100:
        assert shown < len(run.files[0].findings) / 2


def test_json_report_is_compact_one_finding_per_line(tmp_path):
    """--format json: a line per file and per finding (no indentation), parsing to the same object."""
    import json
    import subprocess
    import sys

    from tests.reporting import EXAMPLE, ROOT

    done = subprocess.run([sys.executable, "-m", "audit", "check", "--no-config", "--format", "json", str(EXAMPLE), str(EXAMPLE)],
                          capture_output=True, text=True, cwd=ROOT)
    data = json.loads(done.stdout)
    lines = done.stdout.splitlines()
    findings = sum(len(f["findings"]) for f in data["files"])
    assert findings > 0
    assert sum(line.startswith('{"rule":') for line in lines) == findings
    assert sum(line.startswith('{"path":') for line in lines) == len(data["files"]) == 2
    assert not any(line.startswith(" ") for line in lines)
    assert lines[-1].startswith('"summary":') and done.stdout.endswith("}\n")


def test_concise_names_the_page_of_a_pdf_finding_and_the_part_of_a_joined_publication():
    """A rendered original's line numbers mean nothing to a reader: concise gives the page (or the
    sheet and cell) and, for a joined publication, the part file."""
    from audit.model import FileReport, Finding, Place, Severity, Span, Text
    from audit.report.concise import ConciseWriter

    def finding(place):
        return Finding("B013", Severity.ERROR, Text(zh="幅度不符", en="rate differs"), Span(line=171, column=58), place=place)

    joined = "a/说明.pdf+a/公开表.pdf"
    report = FileReport(path=joined, findings=[
        finding(Place(file="a/说明.pdf", page=8)),
        finding(Place(file="b.xlsx", sheet="表1", cell="C20")),
        finding(None),
    ])
    lines = ConciseWriter(RunReport(version="x"), ReportOptions(lang="zh")).file(report).splitlines()
    assert lines[0] == "a/说明.pdf:第8页: B013 错误 幅度不符"
    assert lines[1] == "b.xlsx:工作表“表1” · 单元格 C20: B013 错误 幅度不符"
    assert lines[2] == f"{joined}:171:58: B013 错误 幅度不符"
    english = ConciseWriter(RunReport(version="x"), ReportOptions(lang="en")).file(FileReport(path="d.pdf", findings=[finding(Place(page=3))]))
    assert english == "d.pdf:page 3: B013 error rate differs\n"


def test_text_report_points_at_the_page_of_a_pdf_finding():
    """The text report's header, gutter, evidence terms and error summary name a PDF's pages, not
    the rendered line numbers."""
    from audit.model import Evidence, FileReport, Finding, Place, Severity, Span, Term, Text

    finding = Finding("B013", Severity.ERROR, Text(zh="幅度不符", en="rate differs"), Span(line=2, column=1, end_column=4),
                      evidence=Evidence(stated="1.66%", terms=[Term(label="增减额", value="101.48", line=2, page=8)]),
                      place=Place(file="a.pdf", page=8))
    file = FileReport(path="a.pdf", findings=[finding], lines=["标题", "增长1.66%。"])
    out = render("text", RunReport(version="x", files=[file], rules=RULES.rules))
    assert "a.pdf:第8页  B013" in out
    assert "第8页 │ 增长1.66%" in out
    assert "增减额 = 101.48  第8页" in out
    assert "错误 1 处：a.pdf 第8页" in out
    assert "a.pdf:2:1" not in out


# -- streaming: a report written file by file is the report of the whole run ----------------------


def test_every_format_streams_the_whole_run_report():
    run = run_of(EXAMPLE)
    run.files.append(FileReport(path="missing.txt", error="no such file"))
    run.suppressed = {"waived": 1, "baseline": 2}
    run.notes = [{"kind": "waiver-unused", "waiver": "w #1", "rule": "B001", "file": "*", "message": {"zh": "豁免", "en": "waiver"}}]
    for fmt in FORMATS:
        for lang in ("zh", "en"):
            options = ReportOptions(lang=lang)
            whole = writer(fmt)(run, options)
            header = RunReport(version=run.version, rules=run.rules)
            out = stream_writer(fmt)(header, options)
            parts = [out.start()] + [out.file(file) for file in run.files]
            header.suppressed, header.notes = run.suppressed, run.notes  # known only at the end of a run
            assert "".join(parts) + out.finish() == whole, fmt


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_streamed_json_of_an_empty_run_is_valid(fmt):
    json.loads(writer(fmt)(RunReport(version=__version__, rules=RULES.rules), ReportOptions()))


# -- pretty_json: the reports' indented JSON, written without json.dumps(indent=2) -----------------


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [{}, [[]]]},
        [1, -2, 2.5, -0.0, 1e300, float("nan"), float("inf"), True, False, None],
        {"text": "引号\"、反斜杠\\、换行\n、\u2028、\x00、é"},
        {"t": (1, (2, 3)), "n": {1: "int key", None: "none key"}, "deep": {"x": [{"y": {"z": [1]}}]}},
        "a string",
        7,
    ],
)
def test_pretty_json_is_json_dumps_indent_2(value):
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_pretty_json_raises_like_json_dumps():
    for bad in ({"x": object()}, [{1, 2}], {"b": b"bytes"}):
        with pytest.raises(TypeError) as expected:
            json.dumps(bad, ensure_ascii=False, indent=2)
        with pytest.raises(TypeError) as got:
            pretty_json(bad)
        assert str(got.value) == str(expected.value)


def test_grouped_findings_in_a_pdf_are_listed_by_page():
    """`＋ 5 more like this` names pages in a PDF original, not the rendered text's line numbers."""
    pdf = ROOT.parent / "shared" / "corpus-pdf" / "putuo" / "上海市普陀区商务委员会单位25年预算.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent: this test needs ../shared/corpus-pdf")
    for lang, expected in (("zh", "(第8页)"), ("en", "(page 8)")):
        out = invoke("check", "--no-config", "--lang", lang, "--no-color", pdf).stdout
        grouped = [line for line in out.splitlines() if "＋" in line]
        assert grouped and all(expected in line for line in grouped), grouped
