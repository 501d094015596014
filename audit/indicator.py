"""The 指标值 reader's former home: its names, re-exported from the audit.indicators package
(where it now lives, one module per job), so that `from audit.indicator import ...` keeps working."""

from audit.indicators import Comparator, Constraint, Dimension, Kind, parse_value, unit_table
from audit.indicators.vocabulary import GRAMMAR_FILE

__all__ = ["Comparator", "Constraint", "Dimension", "Kind", "parse_value", "unit_table", "GRAMMAR_FILE"]
