"""Is one table's cost linear in its rows? A script, not a test: run it on a quiet machine.

    python benchmarks/table_rows.py                 # 1,000 … 16,000 rows
    python benchmarks/table_rows.py --rows 1000,2000,4000

Two series, each with the time per row and the ratio to the previous size (2.0 = linear when the
rows double):
- document: seed 004 with one row of its budget table repeated N times inside the table (every
  column sum of the table then fails over thousands of parts), audited in this process with every
  rule, CPU seconds, best of --runs;
- candidates: arith.candidates on one failed sum of N alike parts (the diagnosis of a failed
  column), which was quadratic.

On the 2-core dev machine (one run each, CPU s), before (main at 679f85f) → after:
  document   1,000 rows 0.70 → 0.46   4,000 4.18 → 1.44   8,000 25.4 → 2.94   16,000 112 → 6.4
             (ratios per doubling before 2.3 2.6 6.1 4.4; after 1.6 2.0 2.0 2.2)
  candidates 16,000 parts 8.0 → 1.2 (ratios before 2.7 2.9 3.0 3.5; after ~2)
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT.parent / "shared" / "corpus"


def long_table(rows: int) -> bytes:
    data = next(SEED.glob("004_*.txt")).read_bytes()
    lines = data.split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("17\t2080506\t".encode()))
    return b"\n".join(lines[: at + 1] + [lines[at]] * rows + lines[at + 1 :])


def _best(function, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,2000,4000,8000,16000")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]

    from audit.arith import Figure, candidates, check_sum
    from audit.pipeline import Options, audit_source
    from audit.rules import load_rules
    from audit.source import from_bytes

    rules = load_rules()
    options = Options(selected=set(rules.rules))
    series = {
        "document": lambda n: (lambda data=long_table(n): audit_source(from_bytes(data, "table.txt"), rules, options)),
        "candidates": lambda n: (
            lambda result=check_sum(Figure(Decimal("123.45") * n + Decimal("100.00")), [Figure(Decimal("123.45"))] * n): candidates(result)
        ),
    }
    for name, make in series.items():
        print(f"{name}:")
        previous = None
        for n in sizes:
            seconds = _best(make(n), args.runs)
            ratio = f"x{seconds / previous:.2f}" if previous else ""
            print(f"  {n:>6} rows  {seconds:7.2f} s  {seconds / n * 1e6:7.1f} µs/row  {ratio}")
            previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
