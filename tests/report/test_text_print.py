"""audit/report/text_print.py: the plain printer prints exactly the bytes rich's console would for
the same report lines and tables, or declines (and rich prints them)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.report import ReportOptions
from audit.report.text_print import PlainPrinter, RichPrinter

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
