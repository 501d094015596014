"""The labelled benchmark's matcher (benchmarks/labelled.py) on a synthetic label file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "labelled.py"


@pytest.fixture(scope="module")
def labelled():
    spec = importlib.util.spec_from_file_location("labelled", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["labelled"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


LABEL = """
publication:
  - corpus-pdf/x/narrative.pdf
  - corpus-pdf/x/tables.pdf
checked_by_hand: {rates: 3, shares: 1}
defects:
  - id: x-1
    family: B
    rules: [B013]
    page: 7
    figures: ["25.01%", "2400.50"]
    what: rate over the wrong base
  - id: x-2
    family: B
    rules: [B017, B013]
    page: 9
    file: 1
    figures: ["27,664.22"]
    what: one quantity, two values
"""


def finding(labelled, rule="B013", page=7, message="增减幅度 25.01 % 与 600.50 ÷ 上年 3001.00 = 20.01% 不符", severity="error", file=None):
    return labelled.Finding(rule=rule, severity=severity, message=message, evidence="{}", page=page, file=file)


def test_the_matcher(labelled, tmp_path):
    folder = tmp_path / "numbers"
    folder.mkdir()
    (folder / "x.yaml").write_text(LABEL, encoding="utf-8")
    [label] = labelled.labels(tmp_path)
    assert label.families == {"B", "C"} and [d.id for d in label.defects] == ["x-1", "x-2"]
    one, two = label.defects
    assert labelled.matches(one, finding(labelled))  # spaces inside the printed figure do not matter
    assert not labelled.matches(one, finding(labelled, rule="B010"))  # another rule
    assert not labelled.matches(one, finding(labelled, page=8))  # another page
    assert not labelled.matches(one, finding(labelled, message="增减幅度 12.00% 不符"))  # other figures
    assert labelled.matches(one, finding(labelled, message="方向写反"))  # no figures: rule and place decide
    assert labelled.matches(two, finding(labelled, rule="B017", page=9, file=1, message="第3行 27664.22 与 27646.22 不同"))
    assert not labelled.matches(two, finding(labelled, rule="B017", page=9, file=0, message="27664.22"))

    outcome = labelled.judge(
        label,
        [
            finding(labelled),
            finding(labelled, rule="B010", page=3, message="占比 50% 不符"),
            finding(labelled, rule="B010", page=3, message="占比 0.64% 末位", severity="info"),
            finding(labelled, rule="T002", page=1, message="序号跳号"),
        ],
    )
    assert list(outcome.matched) == ["x-1"]
    assert [f.rule for f in outcome.unmatched] == ["B010"]
    assert [f.severity for f in outcome.info] == ["info"]
    assert [f.rule for f in outcome.unjudged] == ["T002"]  # nobody labelled T in this publication
    text = labelled.report([outcome])
    assert "B             2      1   50.0%" in text and "x-2" in text.split("missed defects")[1]


def test_text_lines_match_within_two(labelled):
    defect = labelled.Defect(id="s", family="B", rules=["B003"], figures=["5089.05"], what="", line=40)
    near = labelled.Finding(rule="B003", severity="error", message="基本支出 5089.05", evidence="{}", line=42)
    far = labelled.Finding(rule="B003", severity="error", message="基本支出 5089.05", evidence="{}", line=43)
    assert labelled.matches(defect, near) and not labelled.matches(defect, far)


def test_the_per_publication_counts(labelled, tmp_path):
    folder = tmp_path / "numbers"
    folder.mkdir()
    (folder / "x.yaml").write_text(LABEL.replace("{rates: 3, shares: 1}", "{rates: 3, changes: 5, three_costs: 2}"), encoding="utf-8")
    [label] = labelled.labels(tmp_path)
    outcome = labelled.judge(label, [])
    outcome.checks = {
        "B013": {"passed": 2, "failed": 1, "insufficient_data": 0},
        "B020": {"passed": 3, "failed": 1, "insufficient_data": 2},
        "B021": {"passed": 2, "failed": 0, "insufficient_data": 1},
    }
    line = next(l for l in labelled.report([outcome]).splitlines() if l.strip().startswith("x "))
    # changes are B020's, with the statements it could not check; other kinds show no such count
    assert "rates 3/3" in line and "changes 4/5 (+2 unchecked)" in line and "three_costs 2/2," in line
