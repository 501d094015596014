"""Where does the warm time go? CPU time per pipeline stage, per facts family and per rule, over the corpus.

    python benchmarks/stages.py                  # stages, facts families, rules (best of 5 passes)
    python benchmarks/stages.py --profile 40     # plus cProfile's 40 functions with the most own time

CPU time (not wall), best of N passes, so the figures hold on a busy machine. Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"

from audit import layout, pipeline  # noqa: E402
from audit.engine import Document, run_checks  # noqa: E402
from audit.facts import extract  # noqa: E402
from audit.facts.amounts import extract_narrative  # noqa: E402
from audit.facts.projects import extract_projects  # noqa: E402
from audit.facts.structure import extract_structure  # noqa: E402
from audit.facts.tables import extract_tables  # noqa: E402
from audit.memo import Memos, running  # noqa: E402
from audit.rules import load_rules  # noqa: E402
from audit.source import load  # noqa: E402


def best(function, passes: int) -> float:
    """Lowest CPU seconds of `passes` calls."""
    times = []
    for _ in range(passes):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="show this many functions of a cProfile run")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.txt"))
    if not files:
        sys.exit(f"no corpus at {args.corpus}")
    size = sum(f.stat().st_size for f in files)
    rules = load_rules()
    options = pipeline.Options(selected={rule.id for rule in rules})
    for path in files:  # warm every cache once
        pipeline.audit_path(path, rules, options)

    with running(options.memos):  # each stage as a run sees it: with the run's memo tables warm
        rows, total = _stages(args, files, rules, options)
    print(f"corpus: {len(files)} files, {size / 1e6:.3f} MB, best of {args.passes} passes, CPU ms")
    for name, seconds in rows:
        print(f"{name:24s} {seconds * 1000:8.1f}")
    print(f"{'MB/s (one core)':24s} {size / total / 1e6:8.2f}")
    print(f"{'documents/s':24s} {len(files) / total:8.1f}")
    documents = [pipeline.analyse(load(path)) for path in files]
    per_rule = []
    with running(options.memos):
        for rule in rules:
            seconds = best(lambda rule=rule: [run_checks(d, rules, {rule.id}) for d in documents], max(2, args.passes // 2))
            per_rule.append((seconds, rule.id, rule.kind))
    per_rule.sort(reverse=True)
    print("\nrules (CPU ms over the corpus):")
    for seconds, rule_id, kind in per_rule:
        if seconds * 1000 >= 0.5:
            print(f"  {rule_id} {kind:28s} {seconds * 1000:7.1f}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            for path in files:
                pipeline.audit_path(path, rules, options)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    return 0


def _stages(args, files, rules, options) -> tuple[list[tuple[str, float]], float]:
    """(stage, best CPU seconds) for load, layout, facts (and each family), checks, 指标值 reading,
    and the whole of audit_path."""
    sources = [load(path) for path in files]
    blocks = [layout.blocks(source) for source in sources]
    documents = [Document(source=s, blocks=b, facts=extract(b)) for s, b in zip(sources, blocks)]
    rows: list[tuple[str, float]] = [
        ("load", best(lambda: [load(path) for path in files], args.passes)),
        ("layout", best(lambda: [layout.blocks(source) for source in sources], args.passes)),
        ("facts", best(lambda: [extract(b) for b in blocks], args.passes)),
    ]
    families = [
        (f"  {fn.__name__}", best(lambda fn=fn: [fn(b) for b in blocks], args.passes))
        for fn in (extract_projects, extract_structure, extract_narrative, extract_tables)
    ]
    rows += families
    rows.append(("checks", best(lambda: [run_checks(d, rules, options.selected) for d in documents], args.passes)))
    from audit.indicators import parse_value

    values = sorted({i.value.raw for d in documents for p in d.facts.projects for i in p.indicators})

    def parse_all() -> None:
        with running(Memos()):  # a fresh run: each distinct value read once, as on a first file
            for value in values:
                parse_value(value)

    rows.append((f"  {len(values)} 指标值 unmemoised", best(parse_all, args.passes)))
    total = best(lambda: [pipeline.audit_path(path, rules, options) for path in files], args.passes)
    rows.append(("whole audit_path", total))
    return rows, total


if __name__ == "__main__":
    sys.exit(main())
