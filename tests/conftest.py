"""Shared test fixtures: the real corpus (skipped with a reason when absent) and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Wall-clock deadlines make property tests flaky on a loaded 2-core CI machine; the properties are
# what we test here, speed is measured by benchmarks/.
settings.register_profile("audit", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("audit")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not SEEDS:
        pytest.skip(f"corpus folder {CORPUS} is absent: corpus tests need ../shared/corpus beside the repo")
    return CORPUS


def find_seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000" … "004"); skips when the corpus is absent."""
    for path in SEEDS:
        if path.name.startswith(prefix):
            return path
    pytest.skip(f"seed {prefix} not found in {CORPUS}")


@pytest.fixture(scope="session")
def seed(corpus_dir):
    """`seed("003")` → path of that seed file (the test is skipped when the corpus is absent)."""
    return find_seed


SHARED = CORPUS.parent


def _needs_shared(report) -> bool:
    """A test skipped because something under ../shared (corpus, PDFs, schema) is not there."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return "shared" in reason or str(SHARED) in reason


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line, even with -q: which groups of tests did not run because ../shared is absent."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if _needs_shared(r)]
    if not skipped:
        return
    groups: dict[str, int] = {}
    for report in skipped:
        module = report.nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
        groups[module] = groups.get(module, 0) + 1
    listed = ", ".join(f"{module} {count}" for module, count in sorted(groups.items()))
    terminalreporter.write_line(
        f"{len(skipped)} tests did not run: they read the corpus in {SHARED} (absent; place ../shared beside the repo): {listed}",
        yellow=True,
    )
