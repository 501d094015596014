"""The labelled benchmark: recall and precision of the tool against defects found by hand.

    python benchmarks/labelled.py                 # every YAML under benchmarks/labels/, on the PDFs
    python benchmarks/labelled.py --source text   # on the throwaway text renderings (../pdftext) instead

Each label file (format: /work/briefs/labels.md, restated in benchmarks/labels/README.md) names one
publication — one file, or several read as one document — the counts its auditor checked by hand,
every true defect found, and optionally `previous:` (last year's disclosure, given as --previous). The tool
runs on each publication; a finding matches a defect when its rule is one of the defect's `rules`,
it sits where the defect is (same page, or line ±2 for a text file; not compared when the finding
and the label locate things differently) and, when the finding carries figures, one of the defect's
`figures` appears in its message or evidence. Printed: recall and precision per rule family, every
missed defect, every unmatched error/warning (info findings listed apart, not counted), and per
publication how many rate/share/year-on-year statements the tool evaluated against the hand counts.

A report, not a test: it always exits 0 (tests/test_labelled.py checks the matcher).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
PDFTEXT = ROOT.parent / "pdftext"
LABELS = HERE / "labels"

# rule → what its passed/failed counts evaluate (for the evaluated-vs-hand table)
# (B020 counts every stated change once, whatever checked it: its rate, parts, restatements, last year's file)
STATEMENT_RULES = {
    "rates": ("B013",),
    "shares": ("B010",),
    "changes": ("B020",),
    "repeated": ("B017", "B018", "B019"),
    "three_costs": ("B021",),
    "class_changes": ("B022",),
}
UNCHECKED_SHOWN = ("changes",)  # also print how many statements of these the tool could not check


@dataclass
class Defect:
    id: str
    family: str
    rules: list[str]
    figures: list[str]
    what: str
    page: int | None = None
    line: int | None = None
    file: int = 0


# the rule families each folder's labellers looked for; a label file may say `families:` itself
FOLDER_FAMILIES = {"numbers": ["B", "C"], "text": ["T"]}


@dataclass
class Label:
    path: Path
    publication: list[str]
    checked: dict[str, int]
    defects: list[Defect]
    families: set[str] = field(default_factory=set)  # findings of other families are not judged here
    previous: str | None = None  # last year's disclosure (run with --previous)
    counterpart: str | None = None  # the same year's 部门/单位 disclosure (run with --counterpart)


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    evidence: str  # the evidence as JSON text (figures are searched in it)
    line: int | None = None
    page: int | None = None
    file: int | None = None  # index of the publication file it points into, when the tool says

    @property
    def family(self) -> str:
        return re.match(r"[A-Z]+", self.rule).group()


@dataclass
class Outcome:
    label: Label
    findings: list[Finding]
    matched: dict[str, list[Finding]] = field(default_factory=dict)  # defect id → findings
    unmatched: list[Finding] = field(default_factory=list)
    info: list[Finding] = field(default_factory=list)
    unjudged: list[Finding] = field(default_factory=list)  # families nobody labelled in this publication
    checks: dict = field(default_factory=dict)
    source: str = ""


def load_label(path: Path) -> Label:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defects = [
        Defect(
            id=str(d["id"]),
            family=str(d.get("family", "")),
            rules=[str(r) for r in d.get("rules", [])],
            figures=[str(f) for f in d.get("figures", [])],
            what=str(d.get("what", "")),
            page=d.get("page"),
            line=d.get("line"),
            file=int(d.get("file", 0)),
        )
        for d in data.get("defects") or []
    ]
    families = data.get("families") or FOLDER_FAMILIES.get(path.parent.name) or sorted({d.family for d in defects})
    if path.name.endswith("-tables.yaml"):
        families = data.get("families") or ["B"]
    return Label(
        path,
        [str(p) for p in data.get("publication", [])],
        dict(data.get("checked_by_hand") or {}),
        defects,
        set(families),
        str(data["previous"]) if data.get("previous") else None,
        str(data["counterpart"]) if data.get("counterpart") else None,
    )


def _figure_forms(figure: str) -> set[str]:
    """`27,664.22` is also `27664.22`; `25.01 %` is also `25.01%`."""
    plain = figure.replace(" ", "")
    return {figure, plain, plain.replace(",", "")}


def matches(defect: Defect, finding: Finding) -> bool:
    """Does this finding report this defect? (rule, place, figures — see the module docstring)"""
    if finding.rule not in defect.rules:
        return False
    if finding.file is not None and finding.file != defect.file:
        return False
    if defect.page is not None and finding.page is not None and finding.page != defect.page:
        return False
    if defect.line is not None and finding.line is not None and finding.page is None and abs(finding.line - defect.line) > 2:
        return False
    haystack = re.sub(r"[\s,]", "", finding.message + " " + finding.evidence)
    if re.search(r"\d", haystack) and defect.figures:
        return any(form in haystack for figure in defect.figures for form in _figure_forms(figure))
    return True


def judge(label: Label, findings: list[Finding]) -> Outcome:
    outcome = Outcome(label, findings)
    for finding in findings:
        if label.families and finding.family not in label.families:
            outcome.unjudged.append(finding)
            continue
        hits = [d for d in label.defects if matches(d, finding)]
        for defect in hits:
            outcome.matched.setdefault(defect.id, []).append(finding)
        if hits:
            continue
        (outcome.info if finding.severity == "info" else outcome.unmatched).append(finding)
    return outcome


# --- running the tool ------------------------------------------------------------------------------


def _rendering(pdf: Path, pdftext: Path) -> Path | None:
    """The throwaway text rendering of a corpus PDF (`<folder>__<stem>.txt`)."""
    candidate = pdftext / f"{pdf.parent.name}__{pdf.stem}.txt"
    if pdf.parent.parent.name == "putuo" or pdf.parent.name == "putuo":
        candidate = pdftext / f"putuo__{pdf.stem}.txt"
    return candidate if candidate.exists() else None


def _inputs(label: Label, source: str, pdftext: Path, workdir: Path) -> tuple[list[str], str]:
    """The paths to give the tool for one publication, and how it was read (`pdf` or `text`)."""
    files = [SHARED / p for p in label.publication]
    if source == "pdf" or not any(f.suffix.lower() == ".pdf" for f in files):
        # several files of one publication are one document: `a.pdf+b.pdf`
        return ["+".join(str(f) for f in files)], "pdf" if files and files[0].suffix.lower() == ".pdf" else "text"
    texts = []
    for f in files:
        text = _rendering(f, pdftext) if f.suffix.lower() == ".pdf" else f
        if text is None:
            return [str(f) for f in files], "pdf"
        texts.append(text.read_text(encoding="utf-8"))
    joined = workdir / (label.path.stem + ".txt")
    joined.write_text("\n\n".join(texts), encoding="utf-8")
    return [str(joined)], "text"


def _previous(label: Label, source: str, pdftext: Path) -> list[str]:
    """--previous / --counterpart for the publications whose labels name them."""
    extra: list[str] = []
    for option, path in (("--previous", label.previous), ("--counterpart", label.counterpart)):
        if not path:
            continue
        found = SHARED / path
        if source == "text" and found.suffix.lower() == ".pdf":
            found = _rendering(found, pdftext) or found
        extra += [option, str(found)]
    return extra


def _run(paths: list[str], extra: list[str] = ()) -> list[dict]:
    command = [sys.executable, "-m", "audit", "check", "--format", "json", "--no-config", "--exit-zero", *extra, *paths]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    try:
        return json.loads(done.stdout)["files"]
    except (ValueError, KeyError):
        print(f"  ! audit check failed on {paths}: {done.stderr.strip()[-400:]}")
        return []


def _findings(entry: dict, files: list[str]) -> list[Finding]:
    out = []
    for f in entry.get("findings", []):
        place = f.get("place") or {}
        where = f.get("file") or place.get("file")
        index = None
        if where:
            names = [Path(p).name for p in files]
            index = names.index(Path(where).name) if Path(where).name in names else None
        out.append(
            Finding(
                rule=f["rule"],
                severity=f["severity"],
                message=f.get("message", ""),
                evidence=json.dumps(f.get("evidence", {}), ensure_ascii=False),
                line=f.get("line"),
                page=f.get("page") or place.get("page"),
                file=index,
            )
        )
    return out


def evaluate(label: Label, source: str, pdftext: Path, workdir: Path) -> Outcome:
    paths, how = _inputs(label, source, pdftext, workdir)
    entries = _run(paths, _previous(label, how, pdftext))
    findings = [x for e in entries for x in _findings(e, label.publication)]
    outcome = judge(label, findings)
    outcome.source = how
    for entry in entries:
        for rule, counts in entry.get("checks", {}).items():
            mine = outcome.checks.setdefault(rule, {"passed": 0, "failed": 0, "insufficient_data": 0})
            for key in mine:
                mine[key] += counts.get(key, 0)
    return outcome


# --- the report -------------------------------------------------------------------------------------


def _short(finding: Finding) -> str:
    where = f"p.{finding.page}" if finding.page else f"line {finding.line}"
    return f"{finding.rule} {finding.severity} {where}: {finding.message[:160]}"


def report(outcomes: list[Outcome]) -> str:
    lines: list[str] = []
    families: dict[str, dict[str, int]] = {}

    def tally(family: str) -> dict[str, int]:
        return families.setdefault(family, {"defects": 0, "found": 0, "matched_findings": 0, "unmatched": 0})

    for o in outcomes:
        for d in o.label.defects:
            t = tally(d.family)
            t["defects"] += 1
            t["found"] += d.id in o.matched
        counted = {id(f) for fs in o.matched.values() for f in fs if f.severity != "info"}
        for f in o.findings:
            if id(f) in counted:
                tally(f.family)["matched_findings"] += 1
        for f in o.unmatched:
            tally(f.family)["unmatched"] += 1
    lines.append("family  defects  found  recall   findings(err/warn)  matched  precision")
    for family in sorted(families):
        t = families[family]
        recall = f"{100 * t['found'] / t['defects']:.1f}%" if t["defects"] else "—"
        total = t["matched_findings"] + t["unmatched"]
        precision = f"{100 * t['matched_findings'] / total:.1f}%" if total else "—"
        lines.append(f"{family:<7} {t['defects']:>7}  {t['found']:>5}  {recall:>6}   {total:>18}  {t['matched_findings']:>7}  {precision:>9}")
    rules: dict[str, list[int]] = {}
    for o in outcomes:
        counted = {id(f) for fs in o.matched.values() for f in fs}
        for f in o.findings:
            if f.severity != "info" and f.family in o.label.families:
                tally_ = rules.setdefault(f.rule, [0, 0])
                tally_[0] += id(f) in counted
                tally_[1] += 1
    lines.append("by rule (matched / error+warning findings): " + ", ".join(f"{r} {m}/{n}" for r, (m, n) in sorted(rules.items())))
    lines.append("")
    lines.append("per publication: statements the tool evaluated (passed+failed) / counted by hand as checkable")
    for o in outcomes:
        cells = []
        for kind, rules in STATEMENT_RULES.items():
            evaluated = sum(o.checks.get(r, {}).get("passed", 0) + o.checks.get(r, {}).get("failed", 0) for r in rules)
            unchecked = sum(o.checks.get(r, {}).get("insufficient_data", 0) for r in rules)
            extra = f" (+{unchecked} unchecked)" if kind in UNCHECKED_SHOWN and unchecked else ""
            cells.append(f"{kind} {evaluated}/{o.label.checked.get(kind, 0)}{extra}")
        lines.append(f"  {o.label.path.stem:<22} [{o.source}] " + ", ".join(cells))
    lines.append("")
    missed = [(o, d) for o in outcomes for d in o.label.defects if d.id not in o.matched]
    lines.append(f"missed defects ({len(missed)}):")
    for o, d in missed:
        lines.append(f"  {d.id} {d.rules} {'p.' + str(d.page) if d.page else 'line ' + str(d.line)}: {d.what}")
    lines.append("")
    unmatched = [(o, f) for o in outcomes for f in o.unmatched]
    lines.append(f"unmatched findings, error/warning ({len(unmatched)}):")
    for o, f in unmatched:
        lines.append(f"  {o.label.path.stem}: {_short(f)}")
    info = [(o, f) for o in outcomes for f in o.info]
    lines.append("")
    lines.append(f"unmatched info findings, not counted ({len(info)}):")
    for o, f in info:
        lines.append(f"  {o.label.path.stem}: {_short(f)}")
    unjudged = Counter(f.family for o in outcomes for f in o.unjudged)
    lines.append("")
    lines.append("findings of families not labelled in their publication (not judged): " + (", ".join(f"{k} {v}" for k, v in sorted(unjudged.items())) or "none"))
    return "\n".join(lines)


def labels(root: Path = LABELS) -> list[Label]:
    """Every label file, one publication each (several files may label one publication: their
    defects are merged, e.g. numbers/<slug>.yaml and text/<slug>.yaml)."""
    merged: dict[tuple[str, ...], Label] = {}
    for path in sorted(root.rglob("*.yaml")):
        label = load_label(path)
        key = tuple(label.publication)
        if key in merged:
            base = merged[key]
            base.defects.extend(label.defects)
            base.families |= label.families
            base.previous = base.previous or label.previous
            base.counterpart = base.counterpart or label.counterpart
            if base.path.stem.endswith("-tables") and not label.path.stem.endswith("-tables"):
                base.path = label.path  # the publication goes by its main label file's name
            for k, v in label.checked.items():
                base.checked[k] = base.checked.get(k, 0) + int(v or 0)
        else:
            merged[key] = label
    return list(merged.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", choices=["auto", "pdf", "text"], default="auto",
                        help="read PDFs (pdf), their text renderings in --pdftext (text), or renderings when present (auto)")
    parser.add_argument("--pdftext", type=Path, default=PDFTEXT, help="folder of text renderings (default ../pdftext)")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--only", nargs="*", default=[], help="label file stems to run")
    args = parser.parse_args(argv)
    if not SHARED.exists():
        print(f"no corpus at {SHARED}: nothing to run")
        return 0
    chosen = [l for l in labels(args.labels) if not args.only or l.path.stem in args.only]
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source
        if source == "auto":  # the PDFs themselves once the tool reads them, else their renderings
            source = "pdf" if (ROOT / "audit" / "readers").is_dir() else "text"
        outcomes = [evaluate(label, source, args.pdftext, Path(tmp)) for label in chosen]
    print(report(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
