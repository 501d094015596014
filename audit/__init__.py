"""audit: consistency-audit rules engine for Chinese government budget disclosures.

The public API (see docs/api.md) — `check_path`, `check_text`, `check_bytes`, `Auditor`,
`exit_code`, `Report`, `Finding` — lives in audit.api and is imported on first use, so that the
command line's start-up does not pay for it.
"""

__version__ = "0.1.0"

__all__ = ["Auditor", "ConfigurationError", "Finding", "Report", "Severity", "check_bytes", "check_path",
           "check_text", "exit_code", "__version__"]


def __getattr__(name: str):
    if name in __all__:
        from audit import api

        return getattr(api, name)
    raise AttributeError(f"module 'audit' has no attribute {name!r}")
