"""audit: consistency-audit rules engine for Chinese government budget disclosures."""

__version__ = "0.1.0"
