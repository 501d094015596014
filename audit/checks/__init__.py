"""Check kinds: small functions, one module per family, registered by name.

A rule in rules/*.yaml names its `kind`; the engine looks the function up here and calls it with a
CheckContext. The function reports, per subject it examined, passed / failed (with a finding) /
not_applicable / insufficient_data.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Callable

CheckFunction = Callable[["CheckContext"], None]  # noqa: F821 - defined in audit.engine

KINDS: dict[str, CheckFunction] = {}


def kind(name: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        if name in KINDS and KINDS[name] is not function:
            raise ValueError(f"check kind {name!r} registered twice")
        KINDS[name] = function
        return function

    return register


def load_kinds() -> dict[str, CheckFunction]:
    """Import every family module under audit.checks (each registers its kinds with @kind)."""
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            import_module(f"{__name__}.{module.name}")
        _loaded.append(True)
    return KINDS


_loaded: list[bool] = []
