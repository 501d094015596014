"""The core modules never import pydantic on the `audit check` path: it costs more than auditing a file.

pydantic stays where user input is validated: rule files read on a cache miss, config files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = {"audit", "audit.model", "audit.rules", "audit.config", "audit.resources", "audit.memo", "audit.engine", "audit.pipeline"}

# Runs in a fresh interpreter: every `import pydantic…` statement executed (even of a module already
# loaded) goes through builtins.__import__, so each one is charged to the module that runs it.
SCENARIO = r"""
import builtins, json, sys

importers = set()
real_import = builtins.__import__

def watching_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in ("pydantic", "pydantic_core"):
        importers.add(sys._getframe(1).f_globals.get("__name__"))
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = watching_import

import audit, audit.model, audit.memo, audit.resources, audit.rules, audit.config, audit.engine, audit.pipeline
from audit.config import discover
from audit.pipeline import Options, audit_path
from audit.rules import load_rules

rules = load_rules()  # the cache is warm: written by an earlier run
config = discover(None, enabled=False)
report = audit_path(sys.argv[1], rules, Options(selected={rule.id for rule in rules}))
dumped = [f.evidence.dump("en") for f in report.findings if f.evidence is not None]
run_report = audit.model.RunReport.__mro__
exec("import pydantic", {"__name__": "self-check"})  # the watch must see a plain import too
print(json.dumps({
    "importers": sorted(importers),
    "findings": len(report.findings),
    "run_report_is_pydantic": any(c.__module__.startswith("pydantic") for c in run_report),
}))
"""


def _run(code: str, *args: str, cache: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_core_modules_import_no_pydantic_on_a_warm_check(tmp_path):
    seed = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt")) or sorted((ROOT / "examples").glob("*.txt"))
    _run("from audit.rules import load_rules; load_rules()", cache=tmp_path)  # warm the rules cache
    assert list((tmp_path / "audit").glob("rules-*.pickle"))
    seen = json.loads(_run(SCENARIO, str(seed[0]), cache=tmp_path).splitlines()[-1])
    assert "self-check" in seen["importers"]
    assert seen["findings"] >= 0
    allowed = {"audit.model"} if seen["run_report_is_pydantic"] else set()  # RunReport, until it is a dataclass
    assert set(seen["importers"]) & CORE <= allowed


def test_rules_cache_holds_no_pydantic_objects(tmp_path):
    code = (
        "import pickle, sys; from audit.rules import load_rules; load_rules()\n"
        "from pathlib import Path; import os\n"
        "(path,) = (Path(os.environ['XDG_CACHE_HOME']) / 'audit').glob('rules-*.pickle')\n"
        "data = path.read_bytes(); print(b'pydantic' in data, len(data))"
    )
    holds_pydantic, size = _run(code, cache=tmp_path).split()
    assert holds_pydantic == "False" and int(size) > 0


def test_config_without_a_file_needs_no_pydantic_nor_toml(tmp_path):
    code = (
        "import sys; from audit.config import discover, Config\n"
        "config = discover(None, enabled=False)\n"
        "assert config == Config() and config.select == [] and config.path is None\n"
        "print('pydantic' in sys.modules, 'tomllib' in sys.modules)"
    )
    assert _run(code, cache=tmp_path).split() == ["False", "False"]
