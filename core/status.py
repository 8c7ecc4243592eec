"""RAG status, direction of change and the commentary rule.

Offers:

- `rag`: a value against its target by polarity and tolerance: `green`, `amber`,
  `red`, or `no_target`, `no_value`, `not_applicable` when there is nothing to judge.
- `direction`: the movement since the comparison value (`increasing`, `decreasing`,
  `no_change`, `unknown`) and its judgement by polarity (`improving`, `worsening`,
  `no_change`, `not_applicable`), as a `Change`.
- `needs_commentary`: whether a submitted value needs commentary.
- `as_displayed`: a value as the measure shows it (a `Decimal`, rounded half away from
  zero), the form in which `rag` and `direction` compare values.
- `is_missing`: whether a value is blank (None, NaN, NaT or pandas' NA).
- `RAG_SEVERITY`: green < amber < red, for sorting the worst first.

How numbers are compared. Floats are turned into `Decimal` through their shortest
round-trip text (`repr`), so 0.1 becomes exactly 0.1, then rounded to
`NOISE_SIGNIFICANT_DIGITS` significant digits to wash out binary floating-point noise:
`0.1 + 0.2` (0.30000000000000004) compares equal to 0.3. Ints and Decimals are exact
already and are used as they are. Twelve significant digits are
far more than any council figure carries and far fewer than the fifteen a float keeps
reliably. With `decimals`, the actual and target are then rounded half away from zero
(the way spreadsheets display them) and compared as displayed. Tolerance boundaries are
computed exactly in decimal arithmetic, so a value exactly on a boundary is amber.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

from core.errors import CoreError
from core.vocab import Judgement, Movement, Polarity, Rag, ToleranceKind

__all__ = [
    "NOISE_SIGNIFICANT_DIGITS",
    "PERCENT",
    "RAG_SEVERITY",
    "Change",
    "Number",
    "as_displayed",
    "direction",
    "is_missing",
    "needs_commentary",
    "rag",
]

Number = float | Decimal
"""A figure: an int, float, Decimal (or a numpy number at run time)."""

NOISE_SIGNIFICANT_DIGITS: Final = 12
PERCENT: Final = Decimal(100)
_NOISE_CONTEXT: Final = Context(prec=NOISE_SIGNIFICANT_DIGITS, rounding=ROUND_HALF_UP)
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)

RAG_SEVERITY: Final = MappingProxyType({Rag.green: 0, Rag.amber: 1, Rag.red: 2})
"""How bad a judged status is: green 0, amber 1, red 2."""


def is_missing(value: object) -> bool:
    """Whether `value` is blank: None, NaN, NaT or pandas' NA.

    >>> is_missing(float("nan")), is_missing(None), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    try:
        # NaN and NaT are not equal to themselves; pandas' NA cannot even say.
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def _to_decimal(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise CoreError(f"The {name} must be a number, not {value!r}.")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, numbers.Integral):
        return Decimal(int(value))
    else:
        number = Decimal(repr(float(value)))
    if not number.is_finite():
        raise CoreError(f"The {name} must be a finite number, not {value!r}.")
    if isinstance(value, Decimal):
        return number
    return _without_noise(number)


def _without_noise(number: Decimal) -> Decimal:
    """Round a float's decimal form to `NOISE_SIGNIFICANT_DIGITS`, then drop trailing zeros."""
    cleaned = _NOISE_CONTEXT.plus(number)
    if cleaned == cleaned.to_integral_value():
        return cleaned.quantize(_ONE)
    return cleaned.normalize()


def _check_decimals(decimals: int | None) -> None:
    if decimals is None:
        return
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise CoreError(f"Decimals must be a whole number of 0 or more, not {decimals!r}.")


def _round(number: Decimal, decimals: int | None) -> Decimal:
    if decimals is None:
        return number
    try:
        return number.quantize(_ONE.scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise CoreError(f"{number} cannot be shown to {decimals} decimal places.") from None


def as_displayed(value: Number | None, decimals: int | None = None) -> Decimal | None:
    """`value` as a `Decimal`, cleaned of float noise and rounded half away from zero.

    This is the value `rag` and `direction` compare; None when the value is missing.

    >>> as_displayed(2.675, 2)
    Decimal('2.68')
    >>> as_displayed(-0.5, 0)
    Decimal('-1')
    >>> as_displayed(0.1 + 0.2)
    Decimal('0.3')
    """
    _check_decimals(decimals)
    if is_missing(value):
        return None
    return _round(_to_decimal(value, "value"), decimals)


def _polarity(polarity: Polarity | str) -> Polarity:
    try:
        return Polarity(polarity)
    except ValueError:
        raise CoreError(
            f"Unknown polarity {polarity!r}: expected 'higher_is_better', "
            "'lower_is_better' or 'neutral'."
        ) from None


def _tolerance_kind(kind: ToleranceKind | str) -> ToleranceKind:
    try:
        return ToleranceKind(kind)
    except ValueError:
        raise CoreError(
            f"Unknown tolerance kind {kind!r}: expected 'absolute' or 'relative'."
        ) from None


def rag(
    actual: Number | None,
    target: Number | None,
    *,
    polarity: Polarity | str,
    tolerance: Number | None = 0.0,
    tolerance_kind: ToleranceKind | str = ToleranceKind.absolute,
    decimals: int | None = None,
) -> Rag:
    """The RAG status of `actual` against `target`.

    `green`: meets or beats the target. `amber`: worse than the target by no more than
    the tolerance (a value exactly on the boundary is amber). `red`: worse than that.
    An `absolute` tolerance is in the measure's units; a `relative` one is a percent
    of the target's size (10 means 10 % of abs(target)). A missing tolerance is 0.
    Neutral measures are `not_applicable`; then a missing target gives `no_target`,
    and a target without an actual gives `no_value`.

    >>> rag(95, 100, polarity="higher_is_better", tolerance=5)
    <Rag.amber: 'amber'>
    >>> rag(94.9, 100, polarity="higher_is_better", tolerance=5)
    <Rag.red: 'red'>
    >>> rag(94.95, 100, polarity="higher_is_better", tolerance=5, decimals=1)
    <Rag.amber: 'amber'>
    >>> rag(110, 100, polarity="lower_is_better", tolerance=10, tolerance_kind="relative")
    <Rag.amber: 'amber'>
    >>> rag(0.1 + 0.2, 0.3, polarity="lower_is_better")
    <Rag.green: 'green'>
    """
    pole = _polarity(polarity)
    kind = _tolerance_kind(tolerance_kind)
    _check_decimals(decimals)
    allowance = _ZERO if is_missing(tolerance) else _to_decimal(tolerance, "tolerance")
    if allowance < 0:
        raise CoreError(f"A tolerance cannot be negative, but it is {tolerance!r}.")
    if pole is Polarity.neutral:
        return Rag.not_applicable
    if is_missing(target):
        return Rag.no_target
    if is_missing(actual):
        return Rag.no_value
    goal = _round(_to_decimal(target, "target"), decimals)
    value = _round(_to_decimal(actual, "actual"), decimals)
    if kind is ToleranceKind.relative:
        allowance = abs(goal) * allowance / PERCENT
    shortfall = goal - value if pole is Polarity.higher_is_better else value - goal
    if shortfall <= 0:
        return Rag.green
    if shortfall <= allowance:
        return Rag.amber
    return Rag.red


@dataclass(frozen=True, slots=True)
class Change:
    """A direction of change: how the value moved, and whether that is good.

    >>> Change(Movement.increasing, Judgement.improving).judgement
    <Judgement.improving: 'improving'>
    """

    movement: Movement
    judgement: Judgement


def direction(
    current: Number | None,
    previous: Number | None,
    *,
    polarity: Polarity | str,
    decimals: int | None = None,
) -> Change:
    """How `current` moved from `previous`, judged by `polarity`.

    Values equal once rounded to `decimals` (or equal apart from float noise) are
    `no_change`, judged `no_change`. A missing value on either side gives movement
    `unknown`. Neutral measures, and unknown movement, get judgement `not_applicable`.

    >>> change = direction(12, 10, polarity="lower_is_better")
    >>> change.movement.value, change.judgement.value
    ('increasing', 'worsening')
    >>> direction(10.04, 10.0, polarity="higher_is_better", decimals=1).movement
    <Movement.no_change: 'no_change'>
    """
    pole = _polarity(polarity)
    _check_decimals(decimals)
    if is_missing(current) or is_missing(previous):
        return Change(Movement.unknown, Judgement.not_applicable)
    now = _round(_to_decimal(current, "current value"), decimals)
    before = _round(_to_decimal(previous, "previous value"), decimals)
    if now == before:
        movement = Movement.no_change
    else:
        movement = Movement.increasing if now > before else Movement.decreasing
    if pole is Polarity.neutral:
        return Change(movement, Judgement.not_applicable)
    if movement is Movement.no_change:
        return Change(movement, Judgement.no_change)
    better = (movement is Movement.increasing) == (pole is Polarity.higher_is_better)
    return Change(movement, Judgement.improving if better else Judgement.worsening)


def needs_commentary(
    rag: Rag | str, change_judgement: Judgement | str | None, has_target: bool
) -> bool:
    """Whether a submitted value needs commentary saying what is being done.

    It does when it is red or amber, or, where no target is set, when it is worsening.

    >>> needs_commentary(Rag.amber, Judgement.improving, has_target=True)
    True
    >>> needs_commentary(Rag.no_target, Judgement.worsening, has_target=False)
    True
    >>> needs_commentary(Rag.green, Judgement.worsening, has_target=True)
    False
    """
    status = Rag(rag)
    if status in (Rag.red, Rag.amber):
        return True
    judgement = None if change_judgement is None else Judgement(change_judgement)
    return not has_target and judgement is Judgement.worsening
