#!/usr/bin/env python
"""A corpus-sized run, measured: Dask against --jobs, memory of streamed reports, the size of each
report against where it goes, and the HTML report in a browser. A script, not a test.

    python benchmarks/scale.py                      # 2,000 documents (400 copies of the seeds)
    python benchmarks/scale.py --documents 10000 --parts memory
    python benchmarks/scale.py --parts dask,reports,html --out /tmp/scale

Parts:
  dask     the corpus through `--scheduler local:2` and through `--jobs 2`: both times, and whether
           the findings (every fingerprint, in order) are identical
  memory   `--format jsonl --report csv=…`: peak RSS of the main process and of each worker
  reports  SARIF (schema-valid? results per run, gzipped MB), github (annotations per kind),
           markdown (characters), against GitHub's limits
  html     the HTML report: MB, and in headless Chromium the time until the index is ready and
           the time to render one document's section (with a screenshot of each)
Results go to benchmarks/results/scale.json, by number of documents (the parts run replace theirs).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SCHEMA = ROOT.parent / "shared" / "schemas"
sys.path.insert(0, str(ROOT))


def corpus(folder: Path, count: int) -> list[Path]:
    """`count` documents: the seeds (or the shipped example) copied round-robin."""
    seeds = sorted(CORPUS.glob("*.txt")) or sorted((ROOT / "examples").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        path = folder / f"{i:05d}_{seed.name}"
        if not path.exists():
            shutil.copyfile(seed, path)
        paths.append(path)
    return paths


def audit(*args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "audit", *args], capture_output=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})
    return done, time.perf_counter() - start


def part_dask(folder: Path, results: dict) -> None:
    out = {}
    for name, extra in (("jobs 2", ["--jobs", "2"]), ("dask local:2", ["--scheduler", "local:2"])):
        done, seconds = audit("check", "--no-config", "--format", "jsonl", str(folder), *extra)
        rows = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
        prints = [(r.get("path"), r.get("fingerprint")) for r in rows if r.get("type", "finding") == "finding" or "rule" in r]
        out[name] = {"seconds": round(seconds, 2), "exit": done.returncode, "lines": len(rows), "prints": prints}
    same = out["jobs 2"]["prints"] == out["dask local:2"]["prints"]
    results["dask"] = {k: {x: y for x, y in v.items() if x != "prints"} for k, v in out.items()}
    results["dask"]["identical findings"] = same
    print(f"dask: --jobs 2 {out['jobs 2']['seconds']} s, --scheduler local:2 {out['dask local:2']['seconds']} s, identical: {same}")


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(x) for x in handle.read().split()]
    except OSError:
        return []


def part_memory(folder: Path, work: Path, results: dict) -> None:
    """Peak resident memory of the main process and of each --jobs worker, sampled every 0.1 s
    from /proc while `--format jsonl --report csv=…` runs (Linux)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "audit", "check", "--no-config", "--jobs", "2", "--format", "jsonl",
                             "--report", f"csv={work / 'findings.csv'}", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    main_mb = worker_mb = 0.0
    while proc.poll() is None:
        main_mb = max(main_mb, _rss_mb(proc.pid))
        for child in _children(proc.pid):
            worker_mb = max(worker_mb, _rss_mb(child))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    results["memory"] = {"seconds": round(seconds, 1), "main MB": round(main_mb, 1), "largest worker MB": round(worker_mb, 1)}
    print(f"memory: jsonl + csv, main {main_mb:.0f} MB, largest worker {worker_mb:.0f} MB ({seconds:.0f} s)")


def part_reports(folder: Path, work: Path, results: dict) -> None:
    sarif, md = work / "audit.sarif", work / "audit.md"
    summary = work / "summary.md"
    done, _ = audit("check", "--no-config", "--jobs", "2", "--format", "github", "--report", f"sarif={sarif}",
                    "--report", f"markdown={md}", str(folder), env={"GITHUB_STEP_SUMMARY": str(summary)})
    lines = done.stdout.decode().splitlines()
    kinds = {k: sum(1 for l in lines if l.startswith(f"::{k} ")) for k in ("error", "warning", "notice")}
    data = json.loads(sarif.read_text(encoding="utf-8"))
    valid = None
    if (SCHEMA / "sarif-schema-2.1.0.json").is_file():
        import jsonschema

        schema = json.loads((SCHEMA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
        valid = not any(True for _ in jsonschema.Draft7Validator(schema).iter_errors(data))
    gz = len(gzip.compress(sarif.read_bytes())) / 2**20
    results["reports"] = {
        "sarif runs": len(data["runs"]),
        "sarif largest run": max(len(r["results"]) for r in data["runs"]),
        "sarif results": sum(len(r["results"]) for r in data["runs"]),
        "sarif gzipped MB": round(gz, 2),
        "sarif valid": valid,
        "github annotations": kinds,
        "github lines": len(lines),
        "job summary KB": round(summary.stat().st_size / 1024, 1) if summary.exists() else None,
        "markdown characters": len(md.read_text(encoding="utf-8")),
    }
    print("reports:", json.dumps(results["reports"], ensure_ascii=False))


def part_html(folder: Path, work: Path, results: dict) -> None:
    from scripts.html_screenshot import browser, chromium_args

    html = work / "report.html"
    done, seconds = audit("check", "--no-config", "--jobs", "2", "--format", "html", "-o", str(html), str(folder))
    entry = {"MB": round(html.stat().st_size / 2**20, 1), "write seconds": round(seconds, 1)}
    exe = browser()
    if exe is None:
        entry["browser"] = "no chromium on PATH: not measured"
    else:
        for name, fragment in (("index", ""), ("document", "#doc=1")):
            with tempfile.TemporaryDirectory() as profile:
                start = time.perf_counter()
                dom = subprocess.run(chromium_args(exe, profile) + ["--virtual-time-budget=10000", "--dump-dom", html.as_uri() + fragment],
                                     capture_output=True, text=True, timeout=300).stdout
                wall = time.perf_counter() - start
                png = work / f"html-{name}.png"
                subprocess.run(chromium_args(exe, profile) + ["--virtual-time-budget=10000", f"--screenshot={png}", "--window-size=1280,1600",
                                                              html.as_uri() + fragment], capture_output=True, timeout=300)
            ready = re.search(r'data-ready-ms="(\d+)"', dom)
            rendered = re.search(r'data-render-ms="(\d+)"', dom)
            entry[name] = {"browser wall s": round(wall, 2), "ready ms": int(ready.group(1)) if ready else None,
                           "render ms": int(rendered.group(1)) if rendered else None, "screenshot": str(png)}
    results["html"] = entry
    print("html:", json.dumps(entry, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--parts", default="dask,memory,reports,html")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "audit-scale")
    args = parser.parse_args()
    folder = args.out / f"corpus-{args.documents}"
    corpus(folder, args.documents)
    results: dict = {"documents": args.documents, "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    for part in args.parts.split(","):
        {"dask": lambda: part_dask(folder, results),
         "memory": lambda: part_memory(folder, args.out, results),
         "reports": lambda: part_reports(folder, args.out, results),
         "html": lambda: part_html(folder, args.out, results)}[part]()
    target = HERE / "results" / "scale.json"
    recorded = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    if "documents" in recorded:  # the older flat layout: one run
        recorded = {str(recorded["documents"]): recorded}
    recorded.setdefault(str(args.documents), {}).update(results)  # parts run now replace their old figures
    target.write_text(json.dumps(recorded, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {target}")


if __name__ == "__main__":
    main()
