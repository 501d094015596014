"""Pin what the tool says, so that a speed change can prove it changed nothing.

    python benchmarks/snapshot.py write /tmp/before.json     # before the change
    python benchmarks/snapshot.py compare /tmp/before.json   # after: exit 1 and a diff if anything moved

Covers the five seeds, the shipped example and a sample of synthetic documents (benchmarks/synth.py),
in both languages: every finding with its message, span, evidence, suggestion and fingerprint, the
facts counts and the per-rule tallies. Not a test: the snapshot changes whenever a rule is meant to.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _env() -> dict[str, str]:
    """The environment for the child processes: this checkout's `audit` first on the path, so the
    snapshot is of this tree whether or not (and whichever) audit is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def _inputs(workdir: Path, synthetic: int) -> list[str]:
    paths = sorted(str(p) for p in CORPUS.glob("*.txt")) + sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))
    if synthetic:
        out = workdir / "synth"
        subprocess.run([sys.executable, str(HERE / "synth.py"), "--count", str(synthetic), str(out)], check=True, capture_output=True, env=_env())
        paths += sorted(str(p) for p in out.rglob("*.txt"))
    return paths


def _run(paths: list[str], lang: str) -> dict:
    command = [sys.executable, "-m", "audit", "check", "--format", "json", "--lang", lang, "--no-config", *paths]
    done = subprocess.run(command, capture_output=True, text=True, env=_env())
    if done.returncode not in (0, 1):
        sys.exit(f"audit exited {done.returncode}: {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    for entry in report["files"]:  # synthetic files live in a temporary folder: keep the name only
        entry["path"] = Path(entry["path"]).name
    return report


def take(synthetic: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths = _inputs(Path(tmp), synthetic)
        return {lang: _run(paths, lang) for lang in ("zh", "en")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["write", "compare"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--synthetic", type=int, default=200, help="synthetic documents to include (default 200)")
    args = parser.parse_args()
    now = take(args.synthetic)
    text = json.dumps(now, ensure_ascii=False, indent=1, sort_keys=True)
    if args.mode == "write":
        args.file.write_text(text, encoding="utf-8")
        files = len(now["zh"]["files"])
        print(f"wrote {args.file}: {files} files, {now['zh']['summary']['findings']} findings")
        return 0
    before = args.file.read_text(encoding="utf-8")
    if before == text:
        print(f"identical: {len(now['zh']['files'])} files, {now['zh']['summary']['findings']} findings")
        return 0
    diff = difflib.unified_diff(before.splitlines(), text.splitlines(), "before", "now", lineterm="", n=2)
    for number, line in enumerate(diff):
        if number > 200:
            print("… (diff cut at 200 lines)")
            break
        print(line)
    return 1


if __name__ == "__main__":
    sys.exit(main())
