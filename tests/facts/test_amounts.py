"""Reading narrative amounts (audit/facts/amounts.py): a change verb inside a label.

Reasons for a change name the change of a subject and, between the verb and the figure, what it
was for: `基本支出增加人员经费1408.29万元` is 基本支出's change, `项目经费支出安排增加江苏法院云平台
租赁费400万元` 项目支出's (江苏省高级人民法院 2017). Read as levels they were a 人员经费 of
1408.29 and a second 项目支出 of 400.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from audit import layout
from audit.facts.amounts import extract_narrative, read_label
from audit.model import Severity
from audit.pipeline import Options, audit_source
from audit.resources import data_dir
from audit.rules import RuleSet, load_rule_file
from audit.source import from_text

REASON = "一般公共预算收入预算28849.38万元，与上年相比增加1808.29万元，增长6.69%。主要原因是基本支出增加人员经费{a}万元、项目经费支出安排增加江苏法院云平台租赁费{b}万元。\n"


def nodes(text: str):
    facts = extract_narrative(layout.blocks(from_text(text)))
    return [n for s in facts.statements for n in s.nodes]


def test_a_verb_inside_the_label_makes_the_figure_the_change_of_what_it_follows():
    assert read_label("主要原因是基本支出增加人员经费") == ("基本支出", None, 1, False)
    assert read_label("项目经费支出安排增加江苏法院云平台租赁费") == ("项目经费支出", None, 1, False)
    assert read_label("项目经费支出安排减少") == ("项目经费支出", None, -1, False)  # the verb right before the figure, as always
    assert read_label("公用经费压减会议费")[2] == -1


def test_a_verb_after_words_that_name_nothing_leaves_the_label_whole():
    """`主要用于增加设备投入100万元` allocates 100万元: 主要用于 names no concept, so no change."""
    assert read_label("主要用于增加设备投入") == ("主要用于增加设备投入", None, None, False)
    assert read_label("与上年相比增加人员经费") == ("增加人员经费", None, None, True)


def test_the_reasons_are_changes_of_basic_and_project_expenditure_not_levels():
    read = [(n.concept, n.level and n.level.value, n.change and n.change.value, n.change_sign) for n in nodes(REASON.format(a="1408.29", b="400"))]
    assert ("基本支出", None, Decimal("1408.29"), 1) in read
    assert ("项目支出", None, Decimal("400"), 1) in read
    assert not any(concept in ("项目支出", "人员经费") and level is not None for concept, level, _c, _s in read)


def test_project_funds_are_project_expenditure():
    [node] = [n for n in nodes("主要原因是项目经费支出安排减少1134.33万元。\n") if n.change is not None]
    assert (node.concept, node.change.value, node.change_sign) == ("项目支出", Decimal("1134.33"), -1)


RULES = RuleSet(load_rule_file(data_dir("rules") / "budget_narrative.yaml") + load_rule_file(data_dir("rules") / "statements.yaml"))


def flagged(text: str) -> list:
    report = audit_source(from_text(text, "<fixture>"), RULES, Options(selected={r.id for r in RULES}))
    return [f for f in report.findings if f.severity != Severity.INFO]


def test_the_reasons_change_is_checked_against_the_same_change_stated_elsewhere():
    text = REASON + "\n项目支出预算数为11543.27万元。与上年相比增加400万元，增长3.59%。\n\n基本支出预算数为17123.19万元。与上年相比增加1408.29万元，增长8.96%。\n"
    assert flagged(text.format(a="1408.29", b="400")) == []
    [finding] = flagged(text.format(a="1408.29", b="450"))
    assert finding.rule == "B020" and "450" in finding.message.zh and "400" in finding.message.zh


SUBJECTS = ["基本支出", "项目支出", "项目经费支出", "人员经费", "公用经费", "机关运行经费"]
VERBS = {"增加": 1, "增长": 1, "上升": 1, "减少": -1, "下降": -1, "压减": -1}
OBJECT = st.text(alphabet="云平台租赁费设备购置办公楼维修", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SUBJECTS), st.sampled_from(sorted(VERBS)), OBJECT, st.sampled_from(["", "安排", "主要原因是"]))
def test_any_subject_verb_object_reads_as_the_subjects_change(subject, verb, obj, extra):
    window = f"{extra}{subject}{verb}{obj}" if extra != "安排" else f"{subject}安排{verb}{obj}"
    label, year, direction, _compared = read_label(window)
    assert direction == VERBS[verb] and year is None
    assert label == subject  # neither the object nor `主要原因是` is part of it


def test_what_the_change_was_for_may_be_a_list():
    """法院 2019: `基本支出增加人员工资、住房公积金、提租补贴等3397.18万元` is 基本支出's change; cut at
    the 、 it was a level labelled 提租补贴等."""
    assert read_label("主要原因是基本支出增加人员工资、住房公积金、提租补贴等") == ("基本支出", None, 1, False)
    [node] = [n for n in nodes("主要原因是基本支出增加人员工资、住房公积金、提租补贴等3397.18万元。\n") if n.change or n.level]
    assert (node.concept, node.level, node.change.value, node.change_sign) == ("基本支出", None, Decimal("3397.18"), 1)


def test_a_plain_list_or_a_verb_after_the_lists_first_item_reads_as_before():
    assert read_label("一般公共服务支出、住房保障支出") == ("住房保障支出", None, None, False)
    assert read_label("其中：人员经费、公用经费等")[0] == "公用经费等"
    # the verb follows the list's last item: that item is the subject, as when the 、 cut it off
    assert read_label("人员经费、基本支出增加会议费") == ("基本支出", None, 1, False)
    # a verb after words that name nothing stays no change, list or not
    assert read_label("主要用于增加设备、车辆")[2] is None


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SUBJECTS), st.sampled_from(sorted(VERBS)), st.lists(OBJECT, min_size=2, max_size=4))
def test_any_subject_verb_and_list_of_objects_reads_as_the_subjects_change(subject, verb, objects):
    label, _year, direction, _compared = read_label(f"主要原因是{subject}{verb}{'、'.join(objects)}等")
    assert (label, direction) == (subject, VERBS[verb])
