"""Does the time to audit a file grow linearly with its size? A script, not a test.

    PYTHONPATH=. python benchmarks/linear.py                 # every series
    PYTHONPATH=. python benchmarks/linear.py --series long-line --sizes 1,2,4

Each series builds inputs of doubling size from a seed, audits each in this process (the whole
pipeline: load → layout → facts → rules) and prints seconds and the ratio to the previous size.
Linear time shows as a ratio near 2.0 per doubling; a quadratic stage as ~4.0.

Series (a list: add one as a `Series` entry in SERIES):
- long-line: one line of 1, 2, 4, 8 MB, the largest seed's lines repeated with TABs between
  (issue 20: `layout.Row._place` summed the earlier pieces for every cell, 10 MB took 112 s).
- flat-text: 0.25 … 2 MB of text as pdftotext -layout prints a budget table (the fourth layout).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
MB = 1024 * 1024

# A tab-grid budget row as the seeds print it (used when the corpus is absent).
_FALLBACK_ROW = "2010301\t行政运行\t1,234.56\t1,234.56\t\t\t"


def seed_as_line() -> str:
    """The largest seed's lines joined by TABs: titles, headers and data cells on one line, so the
    facts read it as a table and ask for many cells' places (a lone data row is never read as one;
    the largest seed, 001, holds the 项目绩效目标表 that makes them ask)."""
    seeds = sorted(CORPUS.glob("*.txt"), key=lambda p: (-p.stat().st_size, p.name))
    if not seeds:
        return _FALLBACK_ROW
    return "\t".join(seeds[0].read_text(encoding="utf-8", errors="replace").splitlines())


def long_line(megabytes: float) -> str:
    """One line of about `megabytes` MB (UTF-8): the largest seed's lines repeated, TABs between."""
    row = seed_as_line()
    unit = len((row + "\t").encode("utf-8"))
    return "\t".join([row] * max(1, int(megabytes * MB / unit))) + "\n"


# Text as pdftotext -layout prints a budget table (cut from a corpus PDF's): aligned columns,
# split codes, a form feed. Repeated, it is one long table in the fourth layout (layout_flat).
_FLAT_PAGE = (
    "\f                                  2025年部门支出预算总表\n"
    "编制部门：上海市普陀区商务委员会                                                            单位：元\n"
    "\n"
    "                       项目                              支出预算\n"
    "功能分类科目编码\n"
    "                         功能分类科目名称       合计             基本支出            项目支出\n"
    "类     款    项\n"
    "201             一般公共服务支出               21,601,733.00   12,291,733.00    9,310,000.00\n"
    "201   13        商贸事务                   21,601,733.00   12,291,733.00    9,310,000.00\n"
    "201   13   01   行政运行                    9,389,913.00    9,389,913.00\n"
    "201   13   02   一般行政管理事务                4,545,000.00                    4,545,000.00\n"
    "208   05   02   事业单位离退休                   17,280.00        17,280.00\n"
    "                        合计        371,514,655.00   19,830,655.00   351,684,000.00\n"
)


def flat_text(megabytes: float) -> str:
    """About `megabytes` MB of pdftotext -layout table text: one page of a table, repeated."""
    unit = len(_FLAT_PAGE.encode("utf-8"))
    return _FLAT_PAGE * max(1, int(megabytes * MB / unit))


@dataclass(frozen=True)
class Series:
    name: str
    sizes: tuple[float, ...]  # in the series' own unit
    unit: str
    build: Callable[[float], str]  # size → file text


SERIES: list[Series] = [
    Series("long-line", (1, 2, 4, 8), "MB", long_line),
    Series("flat-text", (0.25, 0.5, 1, 2), "MB", flat_text),
]


def audit_seconds(text: str, workdir: Path) -> float:
    """Seconds to audit `text` as a file, in this process, with every rule selected."""
    from audit.pipeline import Options, audit_path
    from audit.rules import load_rules

    rules = load_rules()
    options = Options(selected=set(rules.rules), max_bytes=len(text.encode("utf-8")) + 1024)
    path = workdir / "input.txt"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    report = audit_path(path, rules, options)
    seconds = time.perf_counter() - start
    if report.error:
        sys.exit(f"input refused: {report.error}")
    return seconds


def run(series: Series, sizes: tuple[float, ...]) -> list[tuple[float, float]]:
    print(f"{series.name}:")
    results: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            seconds = audit_seconds(series.build(size), Path(tmp))
            ratio = f"x{seconds / results[-1][1]:.2f} for x{size / results[-1][0]:g}" if results else ""
            print(f"  {size:>8g} {series.unit:<5} {seconds:8.2f} s  {ratio}", flush=True)
            results.append((size, seconds))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--series", action="append", choices=[s.name for s in SERIES], help="series to run (default: all)")
    parser.add_argument("--sizes", help="comma-separated sizes instead of the series' own")
    args = parser.parse_args()
    for series in SERIES:
        if args.series and series.name not in args.series:
            continue
        sizes = tuple(float(s) for s in args.sizes.split(",")) if args.sizes else series.sizes
        run(series, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
