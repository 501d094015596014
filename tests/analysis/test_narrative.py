"""How a narrative subject is named in messages: without its list numbering, and a 类/款/项 path
with the marks the document gave it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit.analysis.narrative import name
from audit.facts.amount_facts import Node
from audit.facts.amounts import read_label
from tests.checks.test_rates import flagged, run


def node(raw: str, concept: str | None = None) -> Node:
    return Node(label=read_label(raw)[0], raw_label=raw, concept=concept)


def test_list_numbering_is_no_part_of_the_name():
    for raw, named in [
        ("3.住房保障支出", "住房保障支出"),
        ("12．公务接待费预算支出", "公务接待费预算支出"),
        ("1、基本支出", "基本支出"),
        ("（一）项目支出", "项目支出"),
        ("二、财政拨款收入", "财政拨款收入"),
        ("①会议费", "会议费"),
        ("(2)培训费", "培训费"),
    ]:
        assert name(node(raw)) == named, raw


def test_a_classification_path_keeps_the_documents_marks():
    assert name(node("31. “住房保障支出(类)住房改革支出(款)住房公积金(项)”")) == "住房保障支出（类）住房改革支出（款）住房公积金（项）"
    # what follows the 项 stays, and a bracket of the name itself (政府办公厅(室)) is the document's
    assert (
        name(node("1.党委办公厅(室)及相关机构事务(款)行政运行(项)支出"))
        == "党委办公厅(室)及相关机构事务（款）行政运行（项）支出"
    )
    # a publisher's own (mis)marking is shown as printed
    assert name(node("2.住房改革支出(类)提租补贴(项)")) == "住房改革支出（类）提租补贴（项）"


def test_the_dashed_path_is_shown_with_the_same_marks():
    raw = "2. “一般公共服务支出-政府办公厅(室)及相关机构事务-一般行政管理事务”科目"
    assert name(node(raw)) == "一般公共服务支出（类）政府办公厅(室)及相关机构事务（款）一般行政管理事务（项）科目"


def test_one_level_or_marks_elsewhere_in_the_window_leave_the_label():
    assert name(node("1.一般公共服务(类)支出")) == "一般公共服务支出"
    # the marks belong to an earlier phrase, not to the label the figure has
    marked = Node(label="基本支出", raw_label="住房保障支出(类)住房改革支出(款)住房公积金(项)中，基本支出", concept="基本支出")
    assert name(marked) == "基本支出"


def test_a_figure_or_a_year_is_not_numbering():
    assert name(Node(label="1.5倍工资", raw_label="1.5倍工资")) == "1.5倍工资"
    assert name(Node(label="", raw_label="", concept="支出")) == "支出"
    assert name(Node(label="1.", raw_label="1.", concept="基本支出")) == "基本支出"


@given(st.sampled_from(["1.", "31.", "2、", "（三）", "四、", "③", "(12)"]), st.sampled_from(["基本支出", "项目支出", "会议费"]))
def test_any_marker_before_any_name_is_dropped(marker, words):
    assert name(Node(label=marker + words, raw_label=marker + words)) == words


def test_the_rate_message_names_the_subject_without_its_number():
    report = run("（五）财政拨款支出预算\n\n1.党委办公厅(室)及相关机构事务(款)行政运行(项)支出6106.99万元，比上年增加101.48万元，增长1.66%。\n")
    [finding] = flagged(report)
    assert finding.message.zh.startswith("党委办公厅(室)及相关机构事务（款）行政运行（项）支出的增减幅度 1.66%")
    assert "1.党委" not in finding.message.zh and "1.党委" not in (finding.subject or "")
