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
OWN_MODULES = sorted((ROOT / "audit" / "checks").rglob("*.py")) + sorted((ROOT / "audit" / "indicators").glob("*.py")) + [ROOT / "audit" / "indicator.py", ROOT / "audit" / "lexicon.py"]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", OWN_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
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
