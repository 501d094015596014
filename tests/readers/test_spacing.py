"""Spacing PDF text carries and the printed page does not show."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from audit.readers.spacing import fix_spacing, join_wrapped


def test_examples():
    assert fix_spacing("2019 年") == "2019年"
    assert fix_spacing("增长 0.06 %") == "增长0.06%"
    assert fix_spacing("江 苏 省 人 民 检 察 院") == "江苏省人民检察院"
    assert fix_spacing("27, 664 .22") == "27,664.22"
    assert fix_spacing("部门：某某局 单位：万元") == "部门：某某局 单位：万元"  # two fields keep their space
    assert fix_spacing("1 2") == "1 2" and fix_spacing("a b") == "a b"  # two figures, two words


def test_wrapped_lines_join():
    assert join_wrapped(["一般公共预算", "资金"]) == "一般公共预算资金"
    assert join_wrapped(["general public", "budget"]) == "general public budget"
    assert join_wrapped(["136.32", "万元"]) == "136.32万元"


_text = st.text(alphabet=st.sampled_from("年增长万元江苏 0123456789.,%ab"), max_size=30)


@given(_text)
def test_only_spaces_go_and_once_is_enough(text):
    fixed = fix_spacing(text)
    assert fixed.replace(" ", "") == text.replace(" ", "")  # nothing but spaces removed
    assert fix_spacing(fixed) == fixed
