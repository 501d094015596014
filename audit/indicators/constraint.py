"""What one 指标值 cell says, as the checks read it: `Constraint`, with its `Kind` and `Dimension`.

Kept apart from the reader so that a check (or a test) can build and read constraints without the
grammar; `Constraint.describe` is the one place that says, in Chinese or English, what was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Literal


class Dimension(str, Enum):
    """What a unit measures; lets checks compare like with like."""

    PERCENT = "percent"
    MONEY = "money"
    COUNT = "count"
    DURATION = "duration"
    DATE = "date"
    AREA = "area"
    LENGTH = "length"
    RATE = "rate"
    OTHER = "other"
    NONE = "none"


class Kind(str, Enum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    UNPARSED = "unparsed"
    EMPTY = "empty"


Comparator = Literal[">=", "<=", "=", ">", "<"]

_DIM_ZH = {
    Dimension.PERCENT: "百分比",
    Dimension.MONEY: "金额",
    Dimension.COUNT: "数量",
    Dimension.DURATION: "时长",
    Dimension.DATE: "日期",
    Dimension.AREA: "面积",
    Dimension.LENGTH: "长度",
    Dimension.RATE: "比率",
    Dimension.OTHER: "其他",
    Dimension.NONE: "无单位",
}
_CMP_ZH = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
# Money units -> power of ten that converts the value to 万元.
_WAN_SCALE = {"元": -4, "千元": -1, "万元": 0, "百万元": 2, "亿元": 4}


def _fmt(value: Decimal) -> str:
    """Decimal as written, never in exponent notation."""
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class Constraint:
    """What one 指标值 cell says: comparator, number, unit, and what was odd about it.

    A plain frozen dataclass, not a pydantic model: the reader already builds every field with its
    final type (and importing pydantic costs a cold `audit check` ~0.2 s)."""

    raw: str
    kind: Kind
    comparator: Comparator | None = None
    value: Decimal | None = None
    decimals: int | None = None
    unit: str | None = None
    unit_raw: str | None = None
    dimension: Dimension = Dimension.NONE
    text_described: bool = False
    glued_text: str | None = None
    notes: tuple[str, ...] = ()
    value_span: tuple[int, int] | None = None
    # Upper bound of a range such as 90%-95% (value holds the lower bound); None otherwise.
    upper_value: Decimal | None = None

    @property
    def as_wan(self) -> Decimal | None:
        """Money value in 万元 (the unit budget tables use), None if not a money amount."""
        if self.dimension is not Dimension.MONEY or self.value is None or self.unit not in _WAN_SCALE:
            return None
        return self.value.scaleb(_WAN_SCALE[self.unit])

    def describe(self, lang: str = "zh") -> str:
        """One human-readable line saying what was understood."""
        en = lang.lower().startswith("en")
        if self.kind is Kind.EMPTY:
            return "empty" if en else "空值"
        if self.kind is Kind.QUALITATIVE:
            if self.text_described:
                bits = []
                if self.value is not None:
                    bits.append(f"value {_fmt(self.value)}" if en else f"值 {_fmt(self.value)}")
                if self.unit_raw:
                    bits.append(f"unit slot '{self.unit_raw}'" if en else f"单位栏“{self.unit_raw}”")
                body = ", ".join(bits) if en else "，".join(bits)
                return (f"qualitative (text-described): {body}" if en else f"定性（文字描述）：{body}").rstrip(": ：")
            return f"qualitative: {self.raw.strip()}" if en else f"定性：{self.raw.strip()}"
        if self.kind is Kind.UNPARSED:
            head = f"could not read: {self.raw.strip()}" if en else f"无法识别：{self.raw.strip()}"
            seen = self._quantity_text(en)
            if seen and self.glued_text:
                return (f"{head} (saw {seen} with text '{self.glued_text}')" if en
                        else f"{head}（读到 {seen}，另有文字“{self.glued_text}”）")
            if seen:
                return f"{head} (saw {seen})" if en else f"{head}（读到 {seen}）"
            return head
        text = self._quantity_text(en)
        dim = self.dimension.value if en else _DIM_ZH[self.dimension]
        if "range" in self.notes:
            dim += ", range" if en else "，区间"
        return f"quantitative: {text} ({dim})" if en else f"定量：{text}（{dim}）"

    def _quantity_text(self, en: bool) -> str:
        parts: list[str] = []
        if self.comparator:
            parts.append(self.comparator if en else _CMP_ZH[self.comparator])
        if self.value is not None:
            number = _fmt(self.value)
            if self.upper_value is not None:
                number += f"–{_fmt(self.upper_value)}"
            parts.append(number)
        if self.unit:
            parts.append(self.unit)
        return " ".join(parts)
