"""I — indicator sanity (指标值 and the indicator tree): targets that cannot fail, point the wrong way,
carry the wrong unit, or were never filled in.

What an indicator *should* look like is data: polarity (rules/lexicons/polarity.yaml), unit
expectations (units.yaml), the indicator tree (indicator_schema.yaml) and template text
(placeholders.yaml), read by audit/indicators/names.py. The rules read an indicator's name and its
parsed `Constraint` against them, and say in each finding what a sound target would look like.
The rows themselves and what their wording says are the analysis's (audit/analysis/readings.py,
`ctx.analysis.readings`), shared with the cost rules.

    values.py        I001–I005: vacuous targets, percentage bounds, direction, unit, no unit
    tree.py          I006: the indicator tree
    unreadable.py    I007: values the reader could not read
    placeholders.py  I008: template text and empty values
    text_numbers.py  I009: numbers in text-described indicators, and where else they stand
    copies.py        I010: tables copied across projects, rows repeated within one
    process.py       I011: process measures counted as outputs

audit.engine.load_kinds imports each module here (each registers its I kinds); no module here
imports another.
"""
