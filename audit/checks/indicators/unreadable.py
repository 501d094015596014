"""I007: a 指标值 the reader could not read, or a number glued to free text (≥160年抓获犯罪嫌疑人数量).
"""

from __future__ import annotations

import re

from audit.analysis.readings import NOT_APPLICABLE, PASSED, Reading, Wording, shown, wording_kind
from audit.indicators import Kind
from audit.indicators.names import squash
from audit.lexicon import lexicon
from audit.model import Evidence, Text


# --- I007 unreadable / glued ------------------------------------------------------------------------


_REMARK = re.compile(r"^(?:\([^()]{0,10}\)|[(（][^()（）]{0,10}[)）])?$")


def _unreadable(row: Wording):
    """I007: a value the grammar cannot read, or a number glued to free text (≥160年抓获犯罪嫌疑人数量)."""
    c = row.value
    if c.kind is not Kind.UNPARSED or row.squashed_raw in lexicon("placeholders")["empty_values"]:
        return PASSED if c.kind is not Kind.EMPTY else NOT_APPLICABLE
    read = shown(c) if c.value is not None else ""
    if c.value is not None and c.unit and _REMARK.match(squash(c.glued_text)):
        return PASSED  # ≥95%（含）: a readable target with a remark in brackets
    if c.glued_text and c.value is not None:
        detail = Text(
            zh=f"数字与文字粘连：读到“{read}”，另有文字“{c.glued_text}”",
            en=f"a number glued to text: read “{read}” plus the words “{c.glued_text}”",
        )
    elif c.value is not None:
        detail = Text(zh=f"只读到“{read}”，其余无法识别", en=f"only “{read}” could be read")
    else:
        detail = Text(zh="无法识别比较符、数值和单位", en="no comparator, number and unit could be read")
    return {"name": row.label, "value": row.raw, "detail": detail}


@wording_kind("indicator_unreadable", _unreadable)
def _unreadable_finding(row: Reading, values: dict) -> tuple[dict, Evidence]:
    c = row.value
    return values, Evidence(stated=row.raw, values={"notes": list(c.notes), "glued_text": c.glued_text})
