"""Baselines: accepted findings stay hidden across unrelated edits; only new ones are reported."""

from __future__ import annotations

import json

from tests.reporting import EXAMPLE, check_json, document, findings, invoke, project, write


def _baseline(tmp_path, *paths):
    out = tmp_path / "baseline.json"
    result = invoke("baseline", "--no-config", *paths, "--output", out)
    assert result.exit_code == 0, result.output
    return out


def test_baseline_then_check_reports_nothing(tmp_path):
    baseline = _baseline(tmp_path, EXAMPLE)
    assert json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    result = invoke("check", "--no-config", "--baseline", baseline, EXAMPLE, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert findings(data) == []
    assert data["summary"]["suppressed"]["baseline"] > 0


def test_same_on_a_seed(tmp_path, corpus_dir):
    seed = next(corpus_dir.glob("001_*.txt"))
    baseline = _baseline(tmp_path, seed)
    code, data = check_json("--baseline", baseline, "--fail-on", "info", seed)
    assert code == 0 and findings(data) == []


def test_editing_one_figure_elsewhere_yields_only_the_new_finding(tmp_path):
    clean = [project(f"项目{i}", "25%", "50%", "75%", "100%", number=i) for i in range(1, 4)]
    flawed = project("项目9", "25%", "50%", "100%", "", number=9)  # S002, accepted in the baseline
    before = write(tmp_path, "doc.txt", document(*clean, flawed))
    baseline = _baseline(tmp_path, before)
    # one figure in project 2 changes (75% → 40%: the schedule now decreases) and a line is added on top
    text = before.read_text(encoding="utf-8")
    marker = "2.项目2绩效目标表"
    head, tail = text.split(marker)
    tail = tail.replace("\t75%", "\t40%", 1)
    write(tmp_path, "doc.txt", "（本文件已更新）\n" + head + marker + tail)
    code, data = check_json("--baseline", baseline, "--select", "S", before)
    new = findings(data)
    assert [f["rule"] for f in new] == ["S001"]
    assert "项目2" in new[0]["message"]
    assert code == 1


def test_fingerprints_survive_lines_inserted_above(tmp_path):
    path = write(tmp_path, "doc.txt", document(project("项目1", "25%", "", "100%", "")))
    _, first = check_json(path)
    write(tmp_path, "doc.txt", "前言\n\n补充说明\n" + path.read_text(encoding="utf-8"))
    _, second = check_json(path)
    assert [f["fingerprint"] for f in findings(first)] == [f["fingerprint"] for f in findings(second)]
    assert [f["line"] for f in findings(first)] != [f["line"] for f in findings(second)]


def test_identical_findings_get_distinct_stable_fingerprints(tmp_path):
    same = [project("同名项目", "25%", "50%", "100%", "", number=i) for i in (1, 2, 3)]
    path = write(tmp_path, "doc.txt", document(*same))
    _, data = check_json("--select", "S002", path)
    prints = [f["fingerprint"] for f in findings(data)]
    assert len(prints) == 3 and len(set(prints)) == 3
    baseline = _baseline(tmp_path, path)
    assert check_json("--baseline", baseline, "--select", "S002", path)[1]["summary"]["findings"] == 0


def test_malformed_baseline_exits_2(tmp_path):
    bad = write(tmp_path, "b.json", "{not json")
    assert invoke("check", "--no-config", "--baseline", bad, EXAMPLE).exit_code == 2
    wrong = write(tmp_path, "w.json", json.dumps({"findings": []}))
    assert invoke("check", "--no-config", "--baseline", wrong, EXAMPLE).exit_code == 2
    assert invoke("check", "--no-config", "--baseline", tmp_path / "missing.json", EXAMPLE).exit_code == 2


def test_seed_edit_yields_only_the_new_finding(tmp_path, corpus_dir):
    """On a real disclosure: accept everything, then change one schedule figure in a clean project."""
    seed = next(corpus_dir.glob("001_*.txt"))
    copy = tmp_path / seed.name
    copy.write_bytes(seed.read_bytes())
    baseline = _baseline(tmp_path, copy)
    lines = copy.read_text(encoding="utf-8").split("\n")
    # the first project's schedule reads 25% 50% 100% 100%: 10月底 100% → 40% makes it decrease (S001)
    header = next(i for i, line in enumerate(lines) if line.strip() == "10月底")
    values = [i for i in range(header, header + 12) if lines[i].strip() == "100%"]
    lines[values[0]] = lines[values[0]].replace("100%", "40%")
    copy.write_text("\n".join(lines), encoding="utf-8")
    code, data = check_json("--baseline", baseline, "--fail-on", "info", copy)
    new = findings(data)
    assert [f["rule"] for f in new] == ["S001"], new
    assert new[0]["line"] == values[0] + 1
