"""How fast is `audit`? A script, not a test: run it on a quiet machine and read the table.

    /work/venv/bin/python benchmarks/bench.py            # everything (10,000-document batch)
    /work/venv/bin/python benchmarks/bench.py --count 1000 --runs 5
    /work/venv/bin/python benchmarks/bench.py --skip cold,warm,profile --rounds 3   # batch, 3 rounds

Measures, in one run so the figures are comparable:
- import floor: `python -c "import lark, pydantic, rich, click"` (what any CLI on these libraries pays);
- cold: the five seeds in one `audit check` process (interpreter + imports + grammar + rules + run),
  plus the same with only `import audit.pipeline` and with the grammar built, to split the cost;
- warm: in one process, the corpus audited again and again: documents/s and MB/s on one core;
- batch: a synthetic 10,000-document folder (benchmarks/synth.py, written to a temp dir) through
  `audit check --jobs 1` and `--jobs 2`: wall time, documents/s, MB/s, speed-up, peak RSS of
  the main process and of each worker (with `--jobs 2` the main process audits beside one
  worker) (`--rounds N`: N rounds, the median run of each reported —
  on a machine whose speed swings, one pair of runs can put the speed-up anywhere from 1.3x to 2x);
- profile: cProfile of the warm corpus run, the five functions with the most own time.
Prints a table and, for a full run (or with --json FILE), writes benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PY = sys.executable


# -- process measurements --------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _hwm_kb(pid: int) -> int | None:
    """Peak resident set size so far (VmHWM) of a live process, in kB."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_s(pid: int) -> float | None:
    """User + system CPU seconds used so far by a live process."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_measured(args: list[str], cwd: Path | None = None) -> dict:
    """Run a command; wall time, exit code, peak RSS and CPU time of it and of each child (worker),
    sampled from /proc every 0.25 s (the last sample before a process ends)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in [proc.pid, *_children(proc.pid)]:
                hwm = _hwm_kb(pid)
                if hwm:
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
                used = _cpu_s(pid)
                if used is not None:
                    cpu[pid] = used
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    main = peaks.pop(proc.pid, 0)
    main_cpu = cpu.pop(proc.pid, 0.0)
    return {
        "wall_s": wall,
        "exit": proc.returncode,
        "main_rss_mb": main / 1024,
        "worker_rss_mb": sorted((kb / 1024 for kb in peaks.values()), reverse=True),
        "main_cpu_s": main_cpu,
        "worker_cpu_s": sorted(cpu.values(), reverse=True),
        "stderr_tail": err.decode("utf-8", "replace")[-400:],
    }


def timed(args: list[str], runs: int, cwd: Path | None = None) -> dict:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        walls.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return {"median_s": statistics.median(walls), "min_s": min(walls), "runs": runs}


# -- the measurements ------------------------------------------------------------------------------


def precompile() -> None:
    """Write the package's bytecode first, as an install does: from a checkout run with
    PYTHONDONTWRITEBYTECODE=1, every cold start would otherwise compile each module again
    (~0.3 s), which no installed user pays. (__pycache__/ is git-ignored.)"""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "audit")], check=True, stdout=subprocess.DEVNULL)


def cold(seeds: list[Path], runs: int) -> dict:
    """Floor and cold runs interleaved, so machine load hits both alike."""
    precompile()
    command = [PY, "-m", "audit", "check", "--no-config", *map(str, seeds)]
    timed(command, 1, cwd=ROOT)  # fills the caches a user's first run fills (grammar, rules, lexicons)
    floor, check, imports, grammar = [], [], [], []  # grammar: import audit.indicators alone + build
    for _ in range(runs):
        floor.append(timed([PY, "-c", "import lark, pydantic, rich, click"], 1)["median_s"])
        check.append(timed(command, 1, cwd=ROOT)["median_s"])
        imports.append(timed([PY, "-c", "import audit.cli, audit.pipeline"], 1)["median_s"])
        grammar.append(timed([PY, "-c", "from audit.indicators import parse_value; parse_value('≥95%')"], 1)["median_s"])
    med = statistics.median
    return {
        "runs": runs,
        "import_floor_s": med(floor),
        "check_5_seeds_s": med(check),
        "check_5_seeds_min_s": min(check),
        "import_audit_pipeline_s": med(imports),
        "import_and_grammar_s": med(grammar),
    }


def _warm_setup():
    from audit.pipeline import Options, audit_path
    from audit.rules import load_rules

    rules = load_rules()
    options = Options(selected=set(rules.rules))
    return lambda path: audit_path(path, rules, options)


def warm(seeds: list[Path], repeat: int) -> dict:
    audit = _warm_setup()
    for path in seeds:  # first pass builds the grammar, loads lexicons and check modules
        audit(path)
    size = sum(p.stat().st_size for p in seeds)
    passes = []
    for _ in range(repeat):
        cpu = time.process_time()
        wall = time.perf_counter()
        for path in seeds:
            audit(path)
        passes.append((time.perf_counter() - wall, time.process_time() - cpu))
    best_wall = min(w for w, _ in passes)
    best_cpu = min(c for _, c in passes)
    return {
        "documents": len(seeds),
        "bytes": size,
        "passes": repeat,
        "pass_wall_s": best_wall,
        "pass_cpu_s": best_cpu,
        "docs_per_s": len(seeds) / best_cpu,
        "mb_per_s": size / best_cpu / 1e6,
        "per_file_cpu_s": {p.name[:3]: _cpu_of(audit, p) for p in seeds},
    }


def _cpu_of(audit, path: Path) -> float:
    start = time.process_time()
    audit(path)
    return round(time.process_time() - start, 4)


def profile(seeds: list[Path], top: int = 5) -> tuple[list[dict], list[dict]]:
    audit = _warm_setup()
    for path in seeds:
        audit(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for path in seeds:
        audit(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, name), (cc, nc, tt, ct, _) in sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]:
        where = filename.replace(str(ROOT) + "/", "") if filename.startswith(str(ROOT)) else Path(filename).name
        rows.append({"function": f"{where}:{line}({name})", "calls": nc, "own_s": tt, "cum_s": ct, "share": tt / total})
    modules: dict[str, float] = {}
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        if filename.startswith(str(ROOT)):
            key = filename.replace(str(ROOT) + "/", "")
        elif "site-packages" in filename:
            key = filename.split("site-packages/")[1].split("/")[0]
        else:
            key = "python stdlib / builtins"
        modules[key] = modules.get(key, 0.0) + tt
    by_module = [{"module": k, "own_s": v, "share": v / total} for k, v in sorted(modules.items(), key=lambda kv: -kv[1])[:12]]
    return rows, by_module


def batch(count: int, jobs_list: list[int], keep: Path | None, rounds: int = 1) -> dict:
    sys.path.insert(0, str(HERE))
    from synth import generate

    folder = Path(tempfile.mkdtemp(prefix="audit-bench-")) if keep is None else keep
    try:
        started = time.perf_counter()
        paths, size = generate(CORPUS, folder, count)
        made = time.perf_counter() - started
        out = {"documents": len(paths), "bytes": size, "generate_s": made, "runs": {}}
        report = folder.parent / (folder.name + ".json")
        # This machine's speed swings by ~1.5x from minute to minute: each round runs every --jobs
        # value once (order reversed every other round), and the median run of each is reported.
        walls: dict[str, list[dict]] = {str(j): [] for j in jobs_list}
        pairs = []
        for round_ in range(rounds):
            ordered = jobs_list if round_ % 2 == 0 else list(reversed(jobs_list))
            this_round = {}
            for jobs in ordered:
                result = run_measured(
                    [PY, "-m", "audit", "check", "--no-config", "--format", "json", "-o", str(report), "--jobs", str(jobs), str(folder)],
                    cwd=ROOT,
                )
                result["docs_per_s"] = len(paths) / result["wall_s"]
                result["mb_per_s"] = size / result["wall_s"] / 1e6
                walls[str(jobs)].append(result)
                this_round[str(jobs)] = result["wall_s"]
            if "1" in this_round and "2" in this_round:
                pairs.append(this_round["1"] / this_round["2"])
        for jobs, results in walls.items():
            ranked = sorted(results, key=lambda r: r["wall_s"])
            out["runs"][jobs] = ranked[(len(ranked) - 1) // 2]  # the median run (the lower one of two)
            out["runs"][jobs]["all_wall_s"] = [r["wall_s"] for r in results]
        report.unlink(missing_ok=True)
        if "1" in out["runs"] and "2" in out["runs"]:
            out["speedup_2_over_1"] = out["runs"]["1"]["wall_s"] / out["runs"]["2"]["wall_s"]
            out["speedup_per_round"] = pairs
        return out
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


# -- output ----------------------------------------------------------------------------------------


def table(results: dict) -> str:
    lines = [f"audit benchmark — {results['when']} — {results['machine']}", ""]
    c = results.get("cold")
    if c:
        lines += [
            "cold start (median of %d runs, wall)" % c["runs"],
            f"  import floor (lark, pydantic, rich, click)   {c['import_floor_s']:.3f} s",
            f"  import audit.cli + audit.pipeline            {c['import_audit_pipeline_s']:.3f} s",
            f"  import audit.indicators + build the grammar   {c['import_and_grammar_s']:.3f} s",
            f"  audit check, the 5 seeds                     {c['check_5_seeds_s']:.3f} s  (min {c['check_5_seeds_min_s']:.3f} s; target < 0.5 s)",
            "",
        ]
    w = results.get("warm")
    if w:
        lines += [
            f"warm, one core (corpus: {w['documents']} documents, {w['bytes'] / 1e6:.2f} MB, best of {w['passes']} passes)",
            f"  {w['docs_per_s']:.1f} documents/s   {w['mb_per_s']:.2f} MB/s   (target ≥ 2 MB/s per core)",
            "  per file (CPU s): " + ", ".join(f"{k} {v:.3f}" for k, v in w["per_file_cpu_s"].items()),
            "",
        ]
    b = results.get("batch")
    if b:
        lines += [f"batch: {b['documents']} synthetic documents, {b['bytes'] / 1e6:.1f} MB (generated in {b['generate_s']:.1f} s)"]
        lines += ["  jobs   wall s   docs/s    MB/s   main: peak RSS MB, CPU s   workers: peak RSS MB, CPU s"]
        for jobs, r in b["runs"].items():
            workers = ", ".join(f"{x:.0f}" for x in r["worker_rss_mb"]) or "-"
            worker_cpu = ", ".join(f"{x:.0f}" for x in r.get("worker_cpu_s", [])) or "-"
            lines.append(
                f"  {jobs:>4}  {r['wall_s']:7.1f}  {r['docs_per_s']:7.1f}  {r['mb_per_s']:6.2f}"
                f"   {r['main_rss_mb']:6.0f} MB, {r.get('main_cpu_s', 0):5.0f} s   {workers} MB, {worker_cpu} s   exit {r['exit']}"
            )
        if "speedup_2_over_1" in b:
            lines.append(f"  speed-up --jobs 2 over --jobs 1: {b['speedup_2_over_1']:.2f}×  (target ≥ 1.7×; peak RSS target < 200 MB per worker)")
            if len(b.get("speedup_per_round", [])) > 1:
                walls = "; ".join(f"--jobs {j}: " + ", ".join(f"{w:.1f}" for w in r["all_wall_s"]) for j, r in b["runs"].items())
                lines.append(f"  rounds (median run shown above): {walls} s; per-round speed-up " + ", ".join(f"{x:.2f}×" for x in b["speedup_per_round"]))
        lines.append("")
    p = results.get("profile")
    if p:
        lines += ["profile (warm corpus pass, top functions by own time)"]
        lines += [f"  {r['own_s']:6.3f} s {r['share']:5.1%}  cum {r['cum_s']:6.3f} s  {r['calls']:>7} calls  {r['function']}" for r in p]
        lines += ["", "own time by module (same profile)"]
        lines += [f"  {r['own_s']:6.3f} s {r['share']:5.1%}  {r['module']}" for r in results.get("profile_by_module", [])]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="audit benchmark (not a test)")
    parser.add_argument("--count", type=int, default=10_000, help="synthetic documents in the batch (default 10,000)")
    parser.add_argument("--runs", type=int, default=7, help="cold-start runs (median reported)")
    parser.add_argument("--repeat", type=int, default=5, help="warm passes over the corpus (best reported)")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for the batch (default 1,2)")
    parser.add_argument("--rounds", type=int, default=1, help="batch rounds, each running every --jobs value (median reported)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: cold,warm,batch,profile")
    parser.add_argument("--keep", type=Path, help="write the synthetic batch here and keep it")
    parser.add_argument("--json", type=Path, help="where to write the results (default: benchmarks/results/latest.json "
                        "for a full run; a run with --skip writes nothing unless given one, so a partial run never "
                        "replaces the recorded full one)")
    args = parser.parse_args()

    seeds = sorted(CORPUS.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no corpus at {CORPUS}")
    skip = set(filter(None, args.skip.split(",")))
    results: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
    }
    if "cold" not in skip:
        results["cold"] = cold(seeds, args.runs)
    if "warm" not in skip:
        results["warm"] = warm(seeds, args.repeat)
    if "profile" not in skip:
        results["profile"], results["profile_by_module"] = profile(seeds)
    if "batch" not in skip:
        results["batch"] = batch(args.count, [int(j) for j in args.jobs.split(",")], args.keep, args.rounds)
    results["load_after"] = os.getloadavg()[0]
    print(table(results))
    if args.json is None and skip:
        return
    args.json = args.json or HERE / "results" / "latest.json"
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n(written to {args.json.relative_to(ROOT) if args.json.is_relative_to(ROOT) else args.json}; load average at the end {results['load_after']:.1f})")


if __name__ == "__main__":
    main()
