"""Memory stays flat over a long run: what is remembered across documents (memo caches of
wordings, parsed values, labels) must never hold a document itself, or a researcher's 10,000-file
batch grows by every file whose wording happened to be new."""

from __future__ import annotations

import gc
import tracemalloc

from audit.pipeline import Options, audit_source
from audit.rules import load_rules
from audit.source import from_text
from tests.reporting import document, project

RULES = load_rules()
OPTIONS = Options(selected=set(RULES.rules))
FILLER = "本部门主要职责是贯彻落实上级决策部署，做好本行业各项工作。" * 500  # ~15 KB of narrative per document


def _document(n: int) -> str:
    """A document with its own indicator wording (so memos learn something from every one) and a big narrative."""
    return document(project(f"第{n}号专项培训", "25%", "50%", "75%", "100%")).replace("培训人数", f"第{n}期培训人数") + FILLER + "\n"


def test_audited_documents_are_not_kept_by_memos():
    for n in range(5):  # warm: modules, lexicons, parser
        audit_source(from_text(_document(n)), RULES, OPTIONS)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(5, 35):
            audit_source(from_text(_document(n)), RULES, OPTIONS)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # 30 documents of ~45 KB of text each (as str): keeping even a few of them would pass this
    assert growth < 500_000, f"{growth / 1e6:.1f} MB kept after 30 documents"
