"""Helpers for the report, CLI, baseline, config and waiver tests: small documents written in-test."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from audit.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "demo-budget-2024.txt"


def row(cells) -> str:
    """A cell-per-line row: each cell a line starting with TAB, a blank line after the row."""
    return "".join(f"\t{c}\n" for c in cells) + "\n"


def project(name: str, *values: str, number: int = 1) -> str:
    """One 项目绩效目标表 in the cell-per-line layout with a spending schedule."""
    return (
        f"{number}.{name}绩效目标表\n"
        + row(["项目名称", name])
        + row(["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"])
        + row(["", *values])
        + row(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
        + row(["产出指标", "数量指标", "培训人数", "培训人数", "≥100人", "计划"])
        + row(["效益指标", "社会效益指标", "群众知晓率", "知晓率", "≥90%", "计划"])
        + row(["满意度指标", "服务对象满意度指标", "群众满意度", "满意度", "≥95%", "计划"])
    )


def document(*projects: str) -> str:
    return "示范县2024年部门预算公开\n\n" + "".join(projects)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def check_json(*args) -> tuple[int, dict]:
    result = invoke("check", "--format", "json", "--no-config", *args)
    return result.exit_code, json.loads(result.stdout)


def findings(data: dict) -> list[dict]:
    return [f for file in data["files"] for f in file.get("findings", [])]
