"""The indicator reader's shortcut (audit/indicator.py `_shortcut`) and its lazy lark: the shortcut
must build lark's own tree for every cell it reads, reject only cells lark rejects, and leave the
rest to lark, which stays the parser of record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import indicator
from audit.indicator import (
    _COMPARATORS,
    _SUFFIXES,
    _Reject,
    _Text,
    _classify_word,
    _parser,
    _read,
    _resolve_unit,
    _shortcut,
    _terminal_literals,
    _unit_starts,
    unit_table,
)
from audit.resources import grammar_text

ROOT = Path(__file__).resolve().parent.parent


def _shape(tree) -> object:
    """A tree (lark's or the shortcut's) as nested tuples: node names, token types, texts, places."""
    if not hasattr(tree, "children"):
        return (tree.type, str(tree), tree.start_pos, tree.end_pos)
    return (tree.data, [_shape(child) for child in tree.children])


def _lark_outcome(text: str, start: str = "value") -> object:
    from lark.exceptions import LarkError

    try:
        return _shape(_parser().parse(text, start=start))
    except LarkError:
        return "rejected"


def _check(raw: str) -> None:
    """The shortcut's tree is lark's, its rejections are lark's, and the Constraint is the same."""
    text = _Text(raw).text
    if text:
        try:
            tree = _shortcut(text)
        except _Reject:
            assert _lark_outcome(text) == "rejected", raw
        else:
            if tree is not None:
                assert _shape(tree) == _lark_outcome(text), raw
    assert _read(raw) == _read(raw, shortcut=False), raw


_UNITS = sorted(unit_table())
_TOKENS = (
    list("0123456789.,-+%‰ \t\n/·・～~—–至到每)。、*\"'") + sorted(_COMPARATORS) + sorted(_SUFFIXES)
    + ["符号", "值", "单位", "文字描述", "大约", "约", "1,000", "95. 5", "12", "31", "2023"]
    + _UNITS + ["效果", "明显", "年抓获", "按照", "提高", "长期", "十月", "日前", "٣", "１０"]
)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=10).map("".join))
def test_shortcut_is_lark_on_the_grammar_alphabet(raw):
    _check(raw)


_SPACE = st.sampled_from(["", "", " ", "  ", "\t", "\u3000"])


@st.composite
def _common_cells(draw) -> str:
    """Cells of the commonest shapes, plain and structured, with spacing and odd bits mixed in."""
    space = lambda: draw(_SPACE)  # noqa: E731
    number = draw(st.sampled_from(["95", "100", "0", "1183. 74", "1,000", "3.50", "12", "٣"]))
    unit = draw(st.sampled_from(_UNITS + ["", "元/人", "元/人/月", "元每人", "万 元", "个月份", "人·年"]))
    comparator = draw(st.sampled_from(sorted(_COMPARATORS) + ["", "", "约"]))
    tail = draw(st.sampled_from(["", "", "以上", "-", "%", "。", "提高", "左右"]))
    if draw(st.booleans()):
        return comparator + space() + number + space() + unit + tail
    slot = draw(st.sampled_from(["单位", "个", "辆", "", "单位 ", "元"]))
    word = draw(st.sampled_from(_UNITS + ["", "提高", "10月前", "800元每人", "长期", "万元 万元", "12月31日"]))
    desc = draw(st.sampled_from(["", "文字描述"] + [c for c in sorted(_COMPARATORS)]))
    value = draw(st.sampled_from(["值", "值 ", ""]))
    return "符号" + space() + desc + space() + value + space() + number + space() + slot + space() + word


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_common_cells())
def test_shortcut_is_lark_on_common_cells(raw):
    _check(raw)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=20))
def test_shortcut_is_lark_on_any_text(raw):
    _check(raw)


def test_shortcut_is_lark_on_the_corpus(corpus_dir):
    from audit.facts.projects import extract_projects
    from audit.layout import blocks
    from audit.source import load

    values = set()
    for path in sorted(corpus_dir.glob("*.txt")):
        for project in extract_projects(blocks(load(path))):
            values.update(i.value.raw for i in project.indicators)
    assert len(values) > 100
    for raw in sorted(values):
        _check(raw)


def test_unit_words_are_read_as_lark_reads_them():
    """_classify_word's shortcuts: one unit word is lark's one UNIT; a word whose first character
    starts no unit word is rejected by lark."""
    from lark.exceptions import LarkError

    for word in _UNITS:
        tree = _parser().parse(word, start="unit_text").children[0]
        assert _shape(tree) == ("unit", [("UNIT", word, 0, len(word))])
        assert _classify_word(word) == _resolve_unit(tree)
    for word in ["提高", "长期", "十月", "10月前", "800元每人", "及时", "安全", "12月31日", "Ａ", "a"]:
        assert word[0] not in _unit_starts()
        with pytest.raises(LarkError):
            _parser().parse(word, start="unit_text")


def test_plain_alphabet_knows_the_grammar_patterns():
    """_PLAIN_PATTERN_CHARS is written for these regex terminals of the plain form: a change to
    them must change it too."""
    text = grammar_text(indicator.GRAMMAR_FILE)
    for line in (
        r"NUMBER: /\d+(?:,\d{3})*(?:\.[ \t]*\d+)?/",
        "SIGN: /[+-]/",
        "JUNK: /[.,;:!?。、)\\]】'\"“”‘’*]+/",
        r"WS: /[ \t\r\n\f\v]+/",
    ):
        assert line in text.splitlines(), line
    regex_terminals = {line.split(":")[0] for line in text.splitlines() if ": /" in line}
    assert regex_terminals == {"REST", "NUMBER", "SIGN", "JUNK", "WS"}  # REST: structured form only
    for name in indicator._PLAIN_LITERAL_TERMINALS:
        assert _terminal_literals(name), name


def _run(code: str, extra_path: Path | None = None) -> str:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(extra_path or ""), str(ROOT)) if p)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_common_cells_are_read_without_lark():
    out = _run(
        "import sys, audit.indicator as i\n"
        "print('lark' in sys.modules)\n"
        "for v in ['≥95%', '100万元', '≤150 元/人', '符号 >= 值 95.00 单位 %', '符号 文字描述 值 1.00 单位 提高',"
        " '效果明显', '≥100按照实际情况', '']: i.parse_value(v)\n"
        "print('lark' in sys.modules)\n"
        "i.parse_value('90%-95%')\n"
        "print('lark' in sys.modules)"
    )
    assert out.split() == ["False", "False", "True"]


def test_lark_is_imported_without_regex(tmp_path):
    """lark tries `import regex` (for Lark(regex=True), never used here): the import is hidden
    while lark is first imported, and `regex` is importable again afterwards."""
    fake = tmp_path / "regex"
    fake.mkdir()
    (fake / "__init__.py").write_text("import builtins\nbuiltins.REGEX_IMPORTS = getattr(builtins, 'REGEX_IMPORTS', 0) + 1\n")
    out = _run(
        "import builtins, sys, audit.indicator as i\n"
        "i._parser()\n"
        "import lark.utils, lark.lark\n"
        "print(lark.utils._has_regex, lark.lark._has_regex, 'regex' in sys.modules, getattr(builtins, 'REGEX_IMPORTS', 0))\n"
        "import regex\n"
        "print(builtins.REGEX_IMPORTS)",
        tmp_path,
    )
    assert out.split() == ["False", "False", "False", "0", "1"]
    # Someone imported regex first: lark is left to see it.
    out = _run(
        "import regex, audit.indicator as i\n"
        "i._parser()\n"
        "import lark.utils\n"
        "print(lark.utils._has_regex)",
        tmp_path,
    )
    assert out == "True"
