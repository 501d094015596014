"""The checks and the indicator reader stay off pydantic: importing it costs a cold `audit check`
~0.2 s, and pydantic is kept only where user input (rules, config, waivers) is validated."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from audit.indicator import Constraint, Dimension, Kind, parse_value

ROOT = Path(__file__).resolve().parent.parent
OWN_MODULES = sorted((ROOT / "audit" / "checks").glob("*.py")) + [ROOT / "audit" / "indicator.py", ROOT / "audit" / "lexicon.py"]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", OWN_MODULES, ids=lambda p: p.name)
def test_module_does_not_import_pydantic(path: Path) -> None:
    assert not {n for n in _imported(path) if n.split(".")[0] in ("pydantic", "pydantic_core")}


def test_reading_values_loads_no_pydantic() -> None:
    code = (
        "import sys\n"
        "from audit.indicator import parse_value\n"
        "for v in ('≥95%', '符号>=值95.00单位%', '90%-95%', '效果明显', '≥160年抓获'):\n"
        "    parse_value(v).describe('en')\n"
        "assert 'pydantic' not in sys.modules, 'pydantic was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.returncode == 0, done.stderr


def test_constraint_is_a_frozen_value() -> None:
    c = parse_value("≥95%")
    assert dataclasses.is_dataclass(c) and not hasattr(c, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.value = None  # type: ignore[misc]
    same = Constraint(
        raw="≥95%", kind=Kind.QUANTITATIVE, comparator=">=", value=c.value, decimals=0, unit="%",
        unit_raw="%", dimension=Dimension.PERCENT, value_span=(1, 3),
    )
    assert same == c and hash(same) == hash(c)
    assert Constraint(raw="x", kind=Kind.EMPTY) != Constraint(raw="y", kind=Kind.EMPTY)


# --- the indicator reader's shortcuts give lark's own answers ------------------------------------

SAMPLES = [
    "≥95%", "100%", "≤150 元/人", "95%以上", "控制在24小时以内", "12月31日前", "90%-95%", "100%-",
    "符号>=值95.00单位%", "符号文字描述单位提高", "符号 = 值 1.00 个 个", "符号>=值95.00单位", "≥160年抓获犯罪嫌疑人数量",
    "≥95%（含）", "约3万人", "-5%", "1183. 74万元", "≪5%", "2023年12月31日", "3人5次", "效果明显", "逐年提升",
    "——", "≥", "大于等于 90 %", "≥=95%", "10月前", "≤3个工作日", "=100%", "≥1,000元", "符号", "值 5",
]


def _stock_parser():
    from lark import Lark

    from audit.indicator import GRAMMAR_FILE
    from audit.resources import grammar_text

    return Lark(grammar_text(GRAMMAR_FILE), parser="lalr", lexer="contextual", start=["value", "unit_text"])


def _outcome(parser, text: str, start: str = "value"):
    from lark.exceptions import LarkError

    try:
        return parser.parse(text, start=start)
    except LarkError as exc:
        return type(exc).__name__


def test_shared_terminal_lexer_parses_as_lark_does() -> None:
    from audit.indicator import _parser, _Text

    ours, stock = _parser(), _stock_parser()
    texts = {_Text(v).text for v in SAMPLES} | {s[:k] for s in SAMPLES for k in range(len(s))}
    for text in sorted(texts):
        assert _outcome(ours, text) == _outcome(stock, text), text
    for word in ("%", "万元", "元/人", "个月", "长期", "12月31日", "人·年"):
        assert _outcome(ours, word, "unit_text") == _outcome(stock, word, "unit_text"), word


def test_cells_skipped_by_the_reader_are_ones_lark_rejects() -> None:
    from audit.indicator import _DIGIT_RE, _Text

    stock = _stock_parser()
    for value in SAMPLES + ["符号文字描述", " 符号 ", "大于", "提高 %", "个", "约", "至"]:
        text = _Text(value).text
        if text and not _DIGIT_RE.search(text) and not text.startswith("符号"):
            assert isinstance(_outcome(stock, text), str), text
