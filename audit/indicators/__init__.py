"""The 指标值 (indicator value) reader: one cell of a 绩效目标表 -> a `Constraint`.

    constraint.py  what a cell says (Constraint, Kind, Dimension) and how it is described
    vocabulary.py  the words cells are written with: comparators, suffixes, units (read from the grammar)
    text.py        the normalised text that is parsed, mapped back to the raw offsets
    grammar.py     the Lark parser of grammar/indicator.lark, the one reader of the cell forms
    tree.py        parse tree -> Constraint fields (dates, ranges, unit combinations)
    free_text.py   what the grammar rejects: a number glued to words, or no number at all
    reader.py      parse_value: total and memoised

Conventions (relied on by checks):

* ``dimension is NONE`` exactly when ``unit is None``.  An unknown word in the 单位 slot of the
  structured form becomes the unit itself with dimension OTHER and note ``unknown-unit``; in a
  文字描述 cell the slot holds a description (长期, 提高), so unit stays None (unless the word is a
  known unit or a date such as 12月31日) and only `unit_raw` carries it.
* Ranges ``90%-95%``: comparator of the first bound (usually None), `value` is the lower bound,
  `upper_value` the upper one, note ``range``.
* Structured form without a number (``符号>=``): kind UNPARSED, comparator kept, note
  ``missing-value``.  With 文字描述 it is QUALITATIVE (``符号文字描述单位提高``).
* Dates: ``12月31日`` -> value 12.31 unit 日期 (the corpus's own ``12.31日期`` spelling);
  ``2023年12月31日`` -> 20231231 unit 年月日; ``2023年12月`` -> 202312 unit 年月; ``10月前`` ->
  10 unit 月份 with comparator <=.  Only for these composed dates is `value` not the literal number.
* "missing-unit" is set whenever a number has no unit (structured cells additionally get
  "unit-missing-in-structured-form").
"""

from audit.indicators.constraint import Comparator, Constraint, Dimension, Kind
from audit.indicators.reader import parse_value
from audit.indicators.vocabulary import unit_table

__all__ = ["Comparator", "Constraint", "Dimension", "Kind", "parse_value", "unit_table"]
