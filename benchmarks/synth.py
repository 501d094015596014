"""Synthetic disclosures for the batch benchmark, built from the seeds' own structures.

Each seed is cut into its front matter (narrative, budget tables: everything before the first
项目绩效目标表) and its project sections (one per project table, from its heading to the next).
A synthetic document is the front matter of one seed — or only its first part — followed by a few
project sections drawn from any seed, in the same layout family, with some digits changed so that
documents differ. The files are written to a folder the caller gives (a temporary one): never
commit them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

DIGITS = "0123456789"


@dataclass
class Seed:
    name: str
    front: list[str]  # lines before the first project
    projects: list[list[str]]  # lines of each project section


def _cut(path: Path) -> Seed:
    from audit.pipeline import analyse
    from audit.source import load

    source = load(path)
    lines = source.original_lines
    starts = [p.span.line for p in analyse(source).facts.projects] or [len(lines) + 1]
    bounds = starts + [len(lines) + 1]
    projects = [lines[a - 1 : b - 1] for a, b in zip(bounds, bounds[1:]) if b > a]
    return Seed(path.name, lines[: starts[0] - 1], projects)


def _blur(lines: list[str], rng: random.Random, rate: float) -> list[str]:
    """Change some digits (never structure): numbers differ, layouts stay."""
    out = []
    for line in lines:
        if rng.random() < rate and any(c.isdigit() for c in line):
            chars = list(line)
            digits = [i for i, c in enumerate(chars) if c in DIGITS]
            i = rng.choice(digits)
            chars[i] = rng.choice(DIGITS)
            line = "".join(chars)
        out.append(line)
    return out


def _front_part(front: list[str], rng: random.Random) -> list[str]:
    """Usually the first blocks of the front matter (up to ~80 lines, ending at a blank line);
    sometimes all of it, sometimes none (a bare 绩效目标表 file)."""
    roll = rng.random()
    if not front or roll < 0.15:
        return []
    if roll < 0.25:
        return front
    blanks = [i for i, line in enumerate(front[:80]) if not line.strip()] or [min(len(front), 80) - 1]
    return front[: rng.choice(blanks) + 1]


def generate(corpus: Path, out_dir: Path, count: int, seed: int = 7) -> tuple[list[Path], int]:
    """Write `count` documents into out_dir; return their paths and total size in bytes."""
    seeds = [_cut(p) for p in sorted(corpus.glob("*.txt"))]
    if not seeds:
        raise SystemExit(f"no seeds in {corpus}")
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    total = 0
    for n in range(count):
        base = rng.choice(seeds)
        lines = _blur(_front_part(base.front, rng), rng, 0.05)
        # project sections from the same seed (same layout and template) in most documents
        pool = base.projects if rng.random() < 0.8 else [p for s in seeds for p in s.projects]
        for section in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
            if lines and lines[-1].strip():
                lines.append("")
            lines.extend(_blur(section, rng, 0.1))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path = out_dir / f"doc{n:05d}.txt"
        path.write_bytes(data)
        paths.append(path)
        total += len(data)
    return paths, total


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    args = parser.parse_args()
    paths, size = generate(args.corpus, args.out_dir, args.count)
    print(f"{len(paths)} documents, {size / 1e6:.1f} MB in {args.out_dir}")
