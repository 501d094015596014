"""Arithmetic on figures as printed: interval checks on displayed precision, and why an identity fails.

A figure shown with d decimals stands for the interval value ± 0.5·10⁻ᵈ (XBRL Calculations 1.1).
An identity holds when the interval of the stated side overlaps the interval of the computed side —
never a fixed epsilon. When it does not hold, `diagnose` looks for the one slip that explains it:
two adjacent digits swapped (差额为末位9的倍数), a power-of-ten unit slip, a sign slip
(增加/减少), or a term left out (the difference equals another figure nearby).

Used by both the narrative checks (audit/checks/budget_narrative.py) and the table checks.
"""

from __future__ import annotations

from dataclasses import replace

from decimal import Decimal
from typing import Iterable, Sequence

from audit.memo import once
from audit.model import Span, Term, Text
from audit.numbers import decimals as _decimals
from audit.numbers import half_place
from dataclasses import dataclass

ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Figure:
    """One printed number taking part in a check.

    `shown` is the number as printed (Decimal keeps its displayed decimals), `scale` converts it to
    the unit the check works in (1.2亿元 in a 万元 check: shown 1.2, scale 10000). `decimals=None`
    uses the printed decimals; `exact=True` for definitional constants (100%).
    """

    shown: Decimal
    label: str = ""
    span: Span | None = None
    sign: int = 1  # +1 added, −1 subtracted (减少)
    scale: Decimal = Decimal(1)
    decimals: int | None = None
    exact: bool = False
    signed: bool = False  # the sign came from a direction word (增加/减少), so a sign slip is possible
    spread: Decimal | None = None  # explicit half-width, for a figure derived from others (this year − change)

    # Derived values are cached on first use (a frozen figure never changes; `replace` makes a new one):
    # the ledger of a document asks each figure for them many times.

    @once
    def places(self) -> int:
        return _decimals(self.shown) if self.decimals is None else self.decimals

    @once
    def value(self) -> Decimal:
        """The magnitude in the check's unit (sign not applied)."""
        return self.shown * self.scale

    @once
    def signed_value(self) -> Decimal:
        return self.sign * self.value

    @once
    def half(self) -> Decimal:
        """Half the last displayed place, in the check's unit."""
        if self.exact:
            return ZERO
        if self.spread is not None:
            return self.spread
        return half_place(self.places) * self.scale

    @property
    def text(self) -> str:
        return display(self.shown)

    def with_shown(self, shown: Decimal) -> "Figure":
        return replace(self, shown=shown)

    def term(self) -> Term:
        return Term(
            label=self.label,
            value=self.text,
            line=self.span.line if self.span else None,
            column=self.span.column if self.span else None,
            sign=self.sign,
        )


def display(value: Decimal) -> str:
    """A Decimal as a person writes it (no exponent, displayed decimals kept)."""
    return format(value, "f")


@dataclass(frozen=True)
class IdentityResult:
    """total = Σ sign·part, evaluated on intervals."""

    total: Figure
    parts: tuple[Figure, ...]
    holds: bool
    stated: Decimal
    computed: Decimal
    difference: Decimal  # stated − computed
    tolerance: Decimal  # half-width of the stated interval + that of the computed one

    @property
    def figures(self) -> tuple[Figure, ...]:
        return (self.total, *self.parts)

    def terms(self) -> list[Term]:
        return [p.term() for p in self.parts]


def check_sum(total: Figure, parts: Sequence[Figure]) -> IdentityResult:
    """Does total = Σ sign·part hold within displayed precision? Intervals overlap ⇔ |s − c| ≤ hₛ + Σhᵢ."""
    computed = spread = ZERO  # added up in order, as sum() would
    for p in parts:
        computed += p.signed_value
        spread += p.half
    stated = total.signed_value
    tolerance = total.half + spread
    difference = stated - computed
    return IdentityResult(
        total=total,
        parts=tuple(parts),
        holds=abs(difference) <= tolerance,
        stated=stated,
        computed=computed,
        difference=difference,
        tolerance=tolerance,
    )


# --- ratios: shares, rates, products --------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """The values a printed figure may stand for: value ± half its last displayed place."""

    low: Decimal
    high: Decimal

    @classmethod
    def of(cls, figure: Figure) -> "Interval":
        v = figure.signed_value
        return cls(v - figure.half, v + figure.half)

    def overlaps(self, other: "Interval") -> bool:
        return self.low <= other.high and other.low <= self.high

    def contains_zero(self) -> bool:
        return self.low <= 0 <= self.high

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2


def _corners(a: Interval, b: Interval, op) -> Interval:
    values = [op(x, y) for x in (a.low, a.high) for y in (b.low, b.high)]
    return Interval(min(values), max(values))


def divide(a: Interval, b: Interval) -> Interval | None:
    """a ÷ b over intervals; None when b may be zero (no bound)."""
    if b.contains_zero():
        return None
    return _corners(a, b, lambda x, y: x / y)


def multiply(a: Interval, b: Interval) -> Interval:
    return _corners(a, b, lambda x, y: x * y)


@dataclass(frozen=True)
class RatioResult:
    """A stated ratio (percent, or a product) against the interval the figures allow."""

    holds: bool
    stated: Decimal
    computed: Decimal  # point value from the printed figures
    low: Decimal
    high: Decimal
    tolerance: Decimal  # half-width of the stated figure
    near: bool = False  # within one unit of the last displayed digit: publisher rounding, not a slip

    def bounds(self, places: int = 3) -> str:
        """The allowed interval as magnitudes, low to high, with as many decimals as it takes for its
        ends to differ (`29.150–29.151`, not `0.634–0.634`)."""
        low, high = sorted((abs(self.low), abs(self.high)))
        for shown in range(places, places + 4):
            q = Decimal(1).scaleb(-shown)
            if low.quantize(q) != high.quantize(q):
                break
        return f"{low.quantize(q)}–{high.quantize(q)}"


def _truncated(figure: Figure) -> Interval:
    """A percentage as printed, rounded or cut off: 14.12% may stand for 14.115… up to 14.13."""
    claim = Interval.of(figure)
    if figure.signed_value >= 0:
        return Interval(claim.low, claim.high + figure.half)
    return Interval(claim.low - figure.half, claim.high)


def _judged(stated: Figure, claim: Interval, allowed: Interval, point: Decimal, near: bool = False) -> RatioResult:
    """The stated figure (read as the interval `claim`) against the interval the other figures allow."""
    return RatioResult(
        holds=claim.overlaps(allowed),
        stated=stated.signed_value,
        computed=point,
        low=allowed.low,
        high=allowed.high,
        tolerance=stated.half,
        near=near,
    )


def _ratio(stated: Figure, numerator: Figure, denominator: Figure, factor: Decimal) -> RatioResult | None:
    allowed = divide(Interval.of(numerator), Interval.of(denominator))
    if allowed is None or denominator.signed_value == 0:
        return None
    allowed = Interval(allowed.low * factor, allowed.high * factor)
    claim = _truncated(stated)
    point = numerator.signed_value / denominator.signed_value * factor
    unit = 2 * stated.half  # one unit of the last displayed digit
    near = Interval(stated.signed_value - unit, stated.signed_value + unit).overlaps(allowed)
    return _judged(stated, claim, allowed, point, near)


def check_share(part: Figure, total: Figure, stated_percent: Figure) -> RatioResult | None:
    """占比 x% = part ÷ total × 100, to the stated precision; None when the total may be zero.

    Percentages are accepted rounded or truncated (some publishers cut off the last digit)."""
    return _ratio(stated_percent, part, total, HUNDRED)


def check_rate(change: Figure, base: Figure, stated_percent: Figure) -> RatioResult | None:
    """增长 x% = change ÷ last year's figure × 100 (change carries its sign)."""
    return _ratio(stated_percent, change, base, HUNDRED)


def check_product(amount: Figure, factors: Sequence[Figure]) -> RatioResult:
    """amount = Π factors (quantity × unit price), each factor with its own interval."""
    interval = Interval(Decimal(1), Decimal(1))
    point = Decimal(1)
    for factor in factors:
        interval = multiply(interval, Interval.of(factor))
        point *= factor.signed_value
    return _judged(amount, Interval.of(amount), interval, point)


# --- slips between two printed values -------------------------------------------------------------

CENT = Decimal("0.01")


def _digits(value: Decimal) -> str:
    return format(value.quantize(CENT), "f").replace(".", "")


def mistyped(a: Decimal, b: Decimal) -> bool:
    """Do two values read like one number mistyped: one digit different, or two adjacent swapped?"""
    x, y = _digits(a), _digits(b)
    if len(x) != len(y) or x == y:
        return False
    diff = [i for i, (p, q) in enumerate(zip(x, y)) if p != q]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


# --- diagnosis ------------------------------------------------------------------------------------

TRANSPOSITION = "transposition"
POWER_OF_TEN = "power_of_ten"
SIGN_SLIP = "sign_slip"
MISSING_TERM = "missing_term"


@dataclass(frozen=True)
class Diagnosis:
    """The one slip that explains a failed identity, and the figure that fixes it."""

    kind: str
    figure: Figure  # the culprit (a part, the total, or for missing_term the figure left out)
    corrected: Figure | None  # the culprit as it should read (None for missing_term)
    text: Text
    is_total: bool = False  # the culprit is the identity's stated total

    @property
    def key(self) -> tuple:
        """Same slip, same place: used to link failures that share one root cause."""
        span = self.figure.span
        where = (span.line, span.column) if span else (self.figure.label, self.figure.text)
        return (self.kind, where, self.corrected.text if self.corrected else None)


def adjacent_swaps(shown: Decimal) -> Iterable[Decimal]:
    """Every figure obtained by swapping two adjacent, different digits of `shown` as printed."""
    text = display(abs(shown))
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in zip(digits, digits[1:]):
        if text[a] == text[b]:
            continue
        chars = list(text)
        chars[a], chars[b] = chars[b], chars[a]
        swapped = "".join(chars)
        if swapped[0] == "0" and len(swapped) > 1 and swapped[1] != ".":
            continue  # a leading zero is not how anyone prints a figure
        value = Decimal(swapped)
        yield -value if shown < 0 else value


def _repairs(result: IdentityResult, index: int, old: Figure, figure: Figure) -> bool:
    """Would the identity hold with figure `index` (`old`) replaced by `figure`? The arithmetic of
    check_sum without rebuilding it, and without building result.figures (a new tuple of every
    part) for each candidate: that made a column of n rows cost n² (16,000 rows: minutes)."""
    shift = figure.signed_value - old.signed_value
    difference = result.difference + (shift if index == 0 else -shift)
    return abs(difference) <= result.tolerance - old.half + figure.half


def _replace(result: IdentityResult, index: int, figure: Figure) -> IdentityResult:
    figures = list(result.figures)
    figures[index] = figure
    return check_sum(figures[0], figures[1:])


def _swap_text(figure: Figure, corrected: Figure) -> Text:
    return Text(
        zh=f"{figure.label or '该数'} {figure.text} 疑为相邻两位数字颠倒，应为 {corrected.text}",
        en=f"{figure.label or 'the figure'} {figure.text} looks like two adjacent digits swapped; it should read {corrected.text}",
    )


def candidates(result: IdentityResult, nearby: Sequence[Figure] = ()) -> list[Diagnosis]:
    """Every single slip that would make the failed identity hold."""
    if result.holds:
        return []
    found: list[Diagnosis] = []
    figures = result.figures  # one tuple for all candidates (see _repairs)
    for index, figure in enumerate(figures):
        is_total = index == 0
        if figure.exact:
            continue
        # two adjacent digits swapped: changes the figure by a multiple of 9 in some place
        for swapped in adjacent_swaps(figure.shown):
            fixed = figure.with_shown(swapped)
            if _repairs(result, index, figure, fixed):
                found.append(Diagnosis(TRANSPOSITION, figure, fixed, _swap_text(figure, fixed), is_total))
        # a power-of-ten slip (元 written where 万元 was meant, a misplaced point)
        for power in (-4, -3, -2, -1, 1, 2, 3, 4):
            shifted = figure.shown.scaleb(power)
            fixed = replace(figure, shown=shifted)
            if figure.value != 0 and _repairs(result, index, figure, fixed):
                found.append(
                    Diagnosis(
                        POWER_OF_TEN,
                        figure,
                        fixed,
                        Text(
                            zh=f"{figure.label or '该数'} {figure.text} 疑为单位或小数点错位（相差 10^{power} 倍），应为 {fixed.text}",
                            en=f"{figure.label or 'the figure'} {figure.text} looks off by a power of ten (×10^{power}): {fixed.text}",
                        ),
                        is_total,
                    )
                )
        # a sign slip: 增加 written for 减少 (only where the sign came from a direction word)
        if figure.signed and figure.value != 0:
            fixed = replace(figure, sign=-figure.sign)
            if _repairs(result, index, figure, fixed):
                word = "减少" if figure.sign > 0 else "增加"
                found.append(
                    Diagnosis(
                        SIGN_SLIP,
                        figure,
                        fixed,
                        Text(
                            zh=f"{figure.label or '该数'} {figure.text} 的增减方向疑似写反，应为{word}",
                            en=f"{figure.label or 'the figure'} {figure.text} seems to have the wrong direction; it should be a {'decrease' if word == '减少' else 'increase'}",
                        ),
                        is_total,
                    )
                )
    # a term left out: the difference equals another figure nearby
    used = {(f.span.line, f.span.column) for f in figures if f.span}
    gap = Interval(result.difference - result.tolerance, result.difference + result.tolerance)
    for other in nearby:
        if other.span and (other.span.line, other.span.column) in used:
            continue
        if other.value == 0:
            continue
        wide = Interval(gap.low - other.half, gap.high + other.half)
        if wide.low <= other.value <= wide.high or wide.low <= -other.value <= wide.high:
            found.append(
                Diagnosis(
                    MISSING_TERM,
                    other,
                    None,
                    Text(
                        zh=f"差额 {display(abs(result.difference))} 恰等于{other.label or '另一数'} {other.text}，疑为漏列或多列了该项",
                        en=f"the difference {display(abs(result.difference))} equals {other.label or 'another figure'} {other.text}: that term seems to be left out (or counted twice)",
                    ),
                )
            )
    return found


def diagnose(result: IdentityResult, nearby: Sequence[Figure] = ()) -> Diagnosis | None:
    """The unique explanation of a failed identity, or None when there is none or several."""
    found = candidates(result, nearby)
    distinct = {d.key: d for d in found}
    if len(distinct) == 1:
        return next(iter(distinct.values()))
    return None


def consistent_with(diagnosis: Diagnosis, others: Iterable[IdentityResult]) -> bool:
    """A correction must not break an identity that holds now (the same figure may appear there)."""
    if diagnosis.corrected is None or diagnosis.figure.span is None:
        return True
    where = (diagnosis.figure.span.line, diagnosis.figure.span.column)
    for other in others:
        for index, figure in enumerate(other.figures):
            if figure.span and (figure.span.line, figure.span.column) == where:
                fixed = replace(diagnosis.corrected, sign=figure.sign, label=figure.label)
                if other.holds and not _replace(other, index, fixed).holds:
                    return False
    return True


def explains(diagnosis: Diagnosis, result: IdentityResult) -> bool:
    """Does correcting the diagnosed figure also repair this (other) failed identity?"""
    if diagnosis.corrected is None or diagnosis.figure.span is None or result.holds:
        return False
    where = (diagnosis.figure.span.line, diagnosis.figure.span.column)
    for index, figure in enumerate(result.figures):
        if figure.span and (figure.span.line, figure.span.column) == where:
            fixed = replace(figure, shown=diagnosis.corrected.shown, scale=diagnosis.corrected.scale)
            if diagnosis.kind == SIGN_SLIP:
                fixed = replace(figure, sign=-figure.sign)
            return _replace(result, index, fixed).holds
    return False
