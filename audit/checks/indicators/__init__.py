"""I — indicator sanity (指标值 and the indicator tree): targets that cannot fail, point the wrong way,
carry the wrong unit, or were never filled in.

What an indicator *should* look like is data: polarity (rules/lexicons/polarity.yaml), unit
expectations (units.yaml), the indicator tree (indicator_schema.yaml) and template text
(placeholders.yaml), read by audit/indicators/names.py. The rules read an indicator's name and its
parsed `Constraint` against them, and say in each finding what a sound target would look like.

    rows.py          the real indicator rows of a document and what their wording says (shared)
    values.py        I001–I005: vacuous targets, percentage bounds, direction, unit, no unit
    tree.py          I006: the indicator tree
    unreadable.py    I007: values the reader could not read
    placeholders.py  I008: template text and empty values
    text_numbers.py  I009: numbers in text-described indicators, and where else they stand
    copies.py        I010: tables copied across projects, rows repeated within one
    process.py       I011: process measures counted as outputs

Importing this package registers every I kind (audit.engine.load_kinds imports it). The names
below are the ones other modules and tests import from `audit.checks.indicators`.
"""

from audit.checks.indicators import copies, placeholders, process, text_numbers, tree, unreadable, values
from audit.checks.indicators.placeholders import template_text
from audit.checks.indicators.rows import (
    NOT_APPLICABLE,
    PASSED,
    Reading,
    Wording,
    by_wording,
    each,
    is_real,
    judge_rows,
    label,
    quantitative,
    raw,
    readings,
    shown,
    verdicts,
)
from audit.checks.indicators.text_numbers import figure_span, number_index
from audit.checks.indicators.values import unit_problem
from audit.indicators.names import Polarity, polarity_of_names, squash, unit_classes_of

__all__ = [
    "NOT_APPLICABLE", "PASSED", "Polarity", "Reading", "Wording", "by_wording", "copies", "each", "figure_span",
    "is_real", "judge_rows", "label", "number_index", "placeholders", "polarity_of_names", "process",
    "quantitative", "raw", "readings", "shown", "squash", "template_text", "text_numbers", "tree",
    "unit_classes_of", "unit_problem", "unreadable", "values", "verdicts",
]
