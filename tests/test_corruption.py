"""Damaged copies of the seeds: byte flips, truncation, shuffled or lost lines, TABs turned into
spaces, half-GBK files, NULs. The tool must give findings — never a traceback, an X001 (a check
that crashed) or a hang — and must not refuse a damaged file that still holds text: refusing it
(an input error) loses every finding, so it counts against the run, not as a pass. Only a file
with no text left (all NULs, cut to nothing) may be refused.

Each case is reproducible from (seed, mutation, number): `mutate(data, kind, random.Random(number))`.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tests.hardening import SEEDS, audit_bytes, problem

needs_corpus = pytest.mark.skipif(not SEEDS, reason="corpus folder ../shared/corpus is absent")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _flip(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        i = rng.randrange(len(buf))
        buf[i] ^= rng.randint(1, 255)
    return bytes(buf)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]  # often in the middle of a UTF-8 character or a table


def _shuffle(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if rng.random() < 0.3:
        rng.shuffle(lines)
    else:  # a window: rows of one table out of order
        start = rng.randrange(len(lines))
        window = lines[start : start + rng.randint(2, 40)]
        rng.shuffle(window)
        lines[start : start + len(window)] = window
    return b"\n".join(lines)


def _tabs_to_spaces(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return data.replace(b"\t", b" " * rng.choice([1, 2, 4, 8]))
    lines = _lines(data)
    for i in rng.sample(range(len(lines)), k=len(lines) // 3):
        lines[i] = lines[i].replace(b"\t", b"    ")
    return b"\n".join(lines)


def _mixed_encodings(data: bytes, rng: random.Random) -> bytes:
    text_lines = data.decode("utf-8").split("\n")
    codec = rng.choice(["gbk", "gb18030", "utf-16-le", "big5", "latin-1"])
    out = []
    for line in text_lines:
        if rng.random() < 0.3:
            out.append(line.encode(codec, errors="replace" if codec != "latin-1" else "ignore"))
        else:
            out.append(line.encode("utf-8"))
    return b"\n".join(out)


def _drop_and_duplicate(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[i]
        else:
            lines.insert(i, lines[rng.randrange(len(lines))])
        if not lines:
            break
    return b"\n".join(lines)


_GARBAGE = ["", "-", "—", "/", "0", "0.00", "1e9", "NaN", "∞", "1183. 74", "１２", "12%%", "≥≥", "（", "）", "万元",
            "9" * 40, "-0", "1,2,3", "１．５", "\t", "\x00", "\ufffd", "〇", "十二", "2023年13月32日", "100%-90%", "<u>", "**"]


def _garble_cells(data: bytes, rng: random.Random) -> bytes:
    """Cell contents replaced by odd values: blanks, dashes, huge numbers, OCR gaps, full-width digits."""
    lines = data.decode("utf-8").split("\n")
    cells = [i for i, line in enumerate(lines) if "\t" in line]
    for i in rng.sample(cells, k=min(len(cells), rng.randint(1, 60))):
        parts = lines[i].split("\t")
        j = rng.randrange(len(parts))
        parts[j] = rng.choice(_GARBAGE) if rng.random() < 0.7 else parts[j] + rng.choice(_GARBAGE)
        lines[i] = "\t".join(parts)
    return "\n".join(lines).encode("utf-8")


def _line_endings(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r", b"\r\n", b"\n\n", b"\x0c\n", b"\n\r"]))


def _nuls(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return b"\x00" * rng.randint(1, len(data))
    buf = bytearray(data)  # NULs sprinkled into real text
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(buf))
        buf[i:i] = b"\x00" * rng.randint(1, 4)
    return bytes(buf)


MUTATIONS = {
    "flip": _flip,
    "truncate": _truncate,
    "shuffle": _shuffle,
    "tabs": _tabs_to_spaces,
    "mixed": _mixed_encodings,
    "drop-dup": _drop_and_duplicate,
    "garble": _garble_cells,
    "endings": _line_endings,
    "nuls": _nuls,
}


def mutate(data: bytes, kind: str, rng: random.Random) -> bytes:
    return MUTATIONS[kind](data, rng)


def _cases(per_kind_and_seed: int) -> list[tuple[str, str, int]]:
    return [(seed.name[:3], kind, n) for seed in SEEDS for kind in MUTATIONS for n in range(per_kind_and_seed)]


def _data(prefix: str) -> bytes:
    return next(s for s in SEEDS if s.name.startswith(prefix)).read_bytes()


def _holds_text(data: bytes) -> bool:
    """Whether a corrupted file still has something to read (not all NULs, not cut to a few bytes)."""
    return len(data.replace(b"\x00", b"").strip()) >= 64


def _run(cases: list[tuple[str, str, int]]) -> tuple[list[str], Counter, list[str]]:
    """(failures: traceback, X001 or hang; outcomes per mutation; refused: files holding text that
    were refused as input errors)."""
    failures: list[str] = []
    refused: list[str] = []
    outcomes: Counter = Counter()
    cache: dict[str, bytes] = {}
    for prefix, kind, number in cases:
        data = cache.setdefault(prefix, _data(prefix))
        corrupted = mutate(data, kind, random.Random(f"{prefix}/{kind}/{number}"))
        found = problem(corrupted, seconds=120)
        where = f"seed {prefix} mutation {kind} #{number}"
        if found:
            failures.append(f"{where}: {found}")
        elif _holds_text(corrupted) and isinstance(error := audit_bytes(corrupted), str):
            refused.append(f"{where}: refused: {error}")
        outcomes[kind] += 1
    return failures, outcomes, refused


def _report(failures: list[str]) -> str:
    distinct = Counter(f.split(": ", 1)[1].splitlines()[-1][:200] for f in failures)
    return f"{len(failures)} failing corrupted documents; distinct problems:\n" + "\n".join(
        f"  {n}× {what}" for what, n in distinct.most_common()
    ) + "\nfirst:\n" + "\n\n".join(failures[:3])


@needs_corpus
def test_a_file_of_nuls_is_an_input_error():
    report = audit_bytes(b"\x00" * 4096)
    assert isinstance(report, str) and "binary" in report


@needs_corpus
@pytest.mark.parametrize("kind", list(MUTATIONS))
def test_corrupted_seeds_give_findings_or_input_errors(kind):
    """A few per mutation in the default run (one per seed)."""
    cases = [(seed.name[:3], kind, 1000 + i) for i, seed in enumerate(SEEDS)]
    failures, _, refused = _run(cases)
    assert not failures, _report(failures)
    assert not refused, "\n".join(refused)


@pytest.mark.slow
@needs_corpus
def test_a_thousand_corrupted_documents():
    cases = _cases(23)  # 5 seeds × 9 mutations × 23 = 1035 documents
    failures, outcomes, refused = _run(cases)
    assert sum(outcomes.values()) >= 1000
    assert not failures, _report(failures)
    assert len(refused) < sum(outcomes.values()) / 100, "\n".join(refused)


@pytest.mark.slow
@needs_corpus
def test_a_thousand_damaged_encodings_are_read_not_refused():
    """The damage an encoding suffers (byte flips, a cut in mid-character, GBK lines among UTF-8
    ones): fewer than 1% of 1,050 such files refused, none crashing or hanging."""
    cases = [(seed.name[:3], kind, n) for seed in SEEDS for kind in ("flip", "truncate", "mixed") for n in range(70)]
    failures, outcomes, refused = _run(cases)
    assert sum(outcomes.values()) >= 1000
    assert not failures, _report(failures)
    assert len(refused) < sum(outcomes.values()) / 100, "\n".join(refused)


@needs_corpus
def test_every_report_format_renders_corrupted_documents():
    """Damaged text flows into snippets and quoted lines: every writer still renders, both languages."""
    from audit.model import FileReport, RunReport
    from audit.report import FORMATS, ReportOptions, writer

    reports = []
    for i, kind in enumerate(MUTATIONS):
        prefix = SEEDS[i % len(SEEDS)].name[:3]
        found = audit_bytes(mutate(_data(prefix), kind, random.Random(f"formats/{kind}")), name=f"{kind}.txt")
        reports.append(FileReport(path=f"{kind}.txt", error=found) if isinstance(found, str) else found)
    from tests.hardening import all_rules

    run = RunReport(version="test", files=reports, rules=all_rules().rules)
    for fmt in FORMATS:
        for lang in ("zh", "en"):
            out = writer(fmt)(run, ReportOptions(lang=lang, color=fmt == "text"))
            assert isinstance(out, str) and out, fmt
