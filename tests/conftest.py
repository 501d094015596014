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
