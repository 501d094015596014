"""Seconds per PDF and pages per second, on one core, over ../shared/corpus-pdf.

For each PDF, in the same run and the same process (each measured warm, best of --rounds):
  - floor_pypdfium2: bare pypdfium2 — open, every page's text layer (FPDFText), close
  - floor_pdfplumber: bare pdfplumber — open, every page's characters (pdfminer parses the page)
  - reader: audit.readers.read — the Document: paragraphs, tables with cells, origins
  - check: the whole `audit check` pipeline in-process (read, render, layout, facts, all rules)

Usage: python benchmarks/pdf_speed.py [--rounds 3] [--write benchmarks/results/pdf_speed.json]
Run it on an idle machine: the numbers are wall-clock seconds of one process on one core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus-pdf"


def floor_pypdfium2(path: str) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    chars = 0
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return chars


def floor_pdfplumber(path: str) -> int:
    import pdfplumber

    chars = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars += len(page.chars)
            page.close()
    return chars


def reader(path: str):
    from audit.readers import read

    return read(path)


def make_check():
    from audit.pipeline import Options, audit_path
    from audit.rules import load_rules

    rules = load_rules([])
    options = Options(selected=set(rules.rules))
    return lambda path: audit_path(path, rules, options)


def best(function, path: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    import pypdfium2 as pdfium

    check = make_check()
    paths = sorted(str(p) for p in CORPUS.rglob("*.pdf"))
    for path in paths[:1]:  # imports and first-use costs out of the measurements
        floor_pypdfium2(path), floor_pdfplumber(path), reader(path), check(path)
    rows = []
    header = f"{'pages':>5} {'pdfium':>7} {'plumber':>8} {'reader':>7} {'check':>7} {'pages/s':>8}  file"
    print(header)
    for path in paths:
        document = pdfium.PdfDocument(path)
        pages = len(document)
        document.close()
        row = {
            "file": str(Path(path).relative_to(CORPUS)),
            "pages": pages,
            "floor_pypdfium2": best(floor_pypdfium2, path, args.rounds),
            "floor_pdfplumber": best(floor_pdfplumber, path, max(1, args.rounds - 2)),
            "reader": best(reader, path, args.rounds),
            "check": best(check, path, args.rounds),
        }
        rows.append(row)
        print(
            f"{pages:>5} {row['floor_pypdfium2']:>7.3f} {row['floor_pdfplumber']:>8.3f} {row['reader']:>7.3f} "
            f"{row['check']:>7.3f} {pages / row['check']:>8.1f}  {row['file']}"
        )
    total_pages = sum(r["pages"] for r in rows)
    summary = {key: sum(r[key] for r in rows) for key in ("floor_pypdfium2", "floor_pdfplumber", "reader", "check")}
    per30 = {key: value / total_pages * 30 for key, value in summary.items()}
    print(f"\n{len(rows)} PDFs, {total_pages} pages; seconds in all / per 30 pages:")
    for key, value in summary.items():
        print(f"  {key:<17} {value:7.2f} s   {per30[key]:5.2f} s per 30 pages   {total_pages / value:6.1f} pages/s")
    print(f"  median check per PDF: {statistics.median(r['check'] for r in rows):.2f} s; slowest: {max(r['check'] for r in rows):.2f} s")
    print(f"  reader / pypdfium2 floor: {summary['reader'] / summary['floor_pypdfium2']:.1f}×; reader / pdfplumber floor: {summary['reader'] / summary['floor_pdfplumber']:.2f}×")
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(), "cores_used": 1},
            "rounds": args.rounds,
            "files": rows,
            "totals": summary,
            "per_30_pages": per30,
            "pages": total_pages,
        }
        args.write.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
