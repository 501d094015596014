"""Cold start: source, layout and the facts modules must never import pydantic themselves.

audit.model and audit.indicator may still import it; so a plain `'pydantic' in sys.modules`
cannot tell who did. Every import statement goes through builtins.__import__ (even of a module
already loaded), so a subprocess wraps it and records which module asked for pydantic, at import
time and while a document is read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = {
    "audit.source",
    "audit.layout",
    "audit.numbers",
    "audit.arith",
    "audit.facts",
    "audit.facts.amounts",
    "audit.facts.projects",
    "audit.facts.structure",
    "audit.facts.tables",
}

PROBE = r"""
import builtins, json, sys
asked = []
real_import = builtins.__import__

def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    asked.append(((globals or {}).get("__name__", "?"), name, level))
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = recording_import
import audit.source, audit.layout, audit.numbers, audit.arith, audit.facts
from audit.facts import extract
from audit.layout import blocks
from audit.source import load
facts = extract(blocks(load(sys.argv[1])))
json.dump({"asked": asked, "projects": len(facts.projects)}, sys.stdout)
"""


def test_source_layout_and_facts_do_not_import_pydantic():
    example = ROOT / "examples" / "demo-budget-2024.txt"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(example)], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
    )
    result = json.loads(done.stdout)
    asked = [(importer, name) for importer, name, level in result["asked"] if level == 0]
    assert result["projects"] > 0  # the document was read
    assert ("audit.layout", "audit.source") in asked  # the recorder saw our modules' imports
    pydantic_importers = {importer for importer, name in asked if name.split(".")[0] in ("pydantic", "pydantic_core")}
    assert not pydantic_importers & OURS
