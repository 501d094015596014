"""The report speed-ups change no byte: the plain text printer prints what rich's console would,
and a report streamed file by file is the report of the whole run."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import __version__
from audit.model import FileReport, RunReport
from audit.report import FORMATS, ReportOptions, stream_writer, writer
from audit.report.text import PlainPrinter, RichPrinter
from tests.test_reports import EXAMPLE, RULES, run_of

TRICKY = st.text(alphabet=st.sampled_from(list("ab [:]\t\r\x07\x1b中文，①é😀 ")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(TRICKY, st.sampled_from([None, "dim", "bold red underline"])), max_size=4), min_size=1, max_size=3))
def test_plain_lines_are_rich_lines_or_declined(pieces):
    lines = [("dim", line) for line in pieces]
    plain = PlainPrinter(120).lines(lines)
    if plain is not None:
        assert plain == RichPrinter(ReportOptions(), 120).lines(lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(TRICKY, min_size=7, max_size=7), min_size=1, max_size=4), st.sampled_from([40, 80, 120]))
def test_plain_table_is_rich_table_or_declined(rows, width):
    header = [["规则", "名称", "问题", "通过", "未通过", "不适用", "数据不足"]]
    plain = PlainPrinter(width).table(header + rows)
    if plain is not None:
        assert plain == RichPrinter(ReportOptions(), width).table(header + rows)


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
