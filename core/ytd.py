"""Year to date: one measure's actual and target for its financial year so far.

Offers:

- `PeriodFigures`: one period's value, numerator, denominator and target.
- `year_to_date`: the year-to-date actual and target by the measure's method, as a
  `YtdResult` that also says how many periods were expected and present.
- `YtdResult`: the answer, with `.rag(...)` to judge it.

The methods (DESIGN, "Year to date"):

- `sum`: the sum of the actuals present against the sum of the targets of those same
  periods, so a missing month does not count against the measure (like for like).
- `mean`: the mean of the actuals present against the mean of those periods' targets.
- `ratio`: the sum of the numerators over the sum of the denominators, times 100 (a
  percent), against the target of the latest period present. A period is present when
  it has both a numerator and a denominator. A zero total denominator gives no actual.
- `latest`: the latest actual present against that period's target.

A measure that became due part way through the year (`first`) expects only the periods
from its first due period on.

When no period is present there is no actual; the target is then worked out over all
the expected periods (`sum`, `mean`) or from `as_at` (`ratio`, `latest`), so that the
status reads `no_value` rather than `no_target`. The target is None whenever one of the
periods it needs has no target.

Sums are done in decimal arithmetic on each figure's shortest text, so 0.1 + 0.2 is 0.3;
results are returned as floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from core.errors import CoreError
from core.periods import Period
from core.status import Number, as_displayed, is_missing, rag
from core.vocab import Polarity, Rag, ToleranceKind, YtdMethod

__all__ = ["RATIO_SCALE", "PeriodFigures", "YtdResult", "year_to_date"]

RATIO_SCALE: Final = 100
"""Ratio year-to-date values are percents: numerator / denominator x 100."""


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """One period's figures for a measure; any of them may be missing.

    >>> PeriodFigures(Period.for_month(2024, 4), value=12, target=10).target
    10
    """

    period: Period
    value: Number | None = None
    numerator: Number | None = None
    denominator: Number | None = None
    target: Number | None = None


@dataclass(frozen=True, slots=True)
class YtdResult:
    """The year to date of one measure, as at one period.

    `actual` and `target` are None when they cannot be worked out. `missing` lists the
    labels of the expected periods that lack the figures the method needs;
    `latest_period` is the label of the latest period present.
    """

    method: YtdMethod
    as_at: Period
    actual: float | None
    target: float | None
    periods_expected: int
    periods_present: int
    missing: tuple[str, ...]
    latest_period: str | None

    @property
    def financial_year(self) -> str:
        """The label of the financial year, like `2024/25`."""
        return self.as_at.financial_year

    @property
    def complete(self) -> bool:
        """Whether every expected period is present."""
        return self.periods_present == self.periods_expected

    def rag(
        self,
        *,
        polarity: Polarity | str,
        tolerance: Number | None = 0.0,
        tolerance_kind: ToleranceKind | str = ToleranceKind.absolute,
        decimals: int | None = None,
    ) -> Rag:
        """The RAG status of the year-to-date actual against the year-to-date target."""
        return rag(
            self.actual,
            self.target,
            polarity=polarity,
            tolerance=tolerance,
            tolerance_kind=tolerance_kind,
            decimals=decimals,
        )


def _exact(value: Number) -> Decimal:
    number = as_displayed(value)
    assert number is not None
    return number


def _total(values: Iterable[Number | None]) -> Decimal | None:
    """The exact sum, or None when any value is missing."""
    total = Decimal(0)
    for value in values:
        if is_missing(value):
            return None
        assert value is not None
        total += _exact(value)
    return total


def _mean(values: Sequence[Number | None]) -> Decimal | None:
    total = _total(values)
    return None if total is None or not values else total / len(values)


def _as_float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def _method(method: YtdMethod | str) -> YtdMethod:
    try:
        return YtdMethod(method)
    except ValueError:
        raise CoreError(
            f"Unknown year-to-date method {method!r}: expected 'sum', 'mean', 'ratio' or 'latest'."
        ) from None


def _figures_to_date(
    observations: Iterable[PeriodFigures], expected: tuple[Period, ...]
) -> dict[Period, PeriodFigures]:
    wanted = set(expected)
    as_at = expected[-1]
    by_period: dict[Period, PeriodFigures] = {}
    for figures in observations:
        period = figures.period
        if not isinstance(period, Period):
            raise CoreError(f"Each figure needs a Period, not {period!r}.")
        if (
            period.frequency is not as_at.frequency
            or period.year_start_month != as_at.year_start_month
        ):
            raise CoreError(
                f"{period.label} is a {period.frequency} period, but the year to date is "
                f"of {as_at.frequency} periods to {as_at.label}."
            )
        if period not in wanted:
            continue
        if period in by_period:
            raise CoreError(f"There are two sets of figures for {period.label}.")
        by_period[period] = figures
    return by_period


def year_to_date(
    observations: Iterable[PeriodFigures],
    *,
    method: YtdMethod | str,
    as_at: Period,
    ratio_scale: Number = RATIO_SCALE,
    first: Period | None = None,
) -> YtdResult:
    """The year to date of one measure, from its financial year's start (or its `first`
    due period, when that is later) to `as_at`.

    `observations` may hold any periods of the measure's frequency: those outside the
    financial year of `as_at`, or after it, are ignored. Two figures for one period
    raise `CoreError`.

    >>> figures = [
    ...     PeriodFigures(Period.for_month(2024, 4), value=10, target=12),
    ...     PeriodFigures(Period.for_month(2024, 5), value=14, target=12),
    ... ]
    >>> result = year_to_date(figures, method="sum", as_at=Period.for_month(2024, 6))
    >>> result.actual, result.target, result.periods_expected, result.missing
    (24.0, 24.0, 3, ('2024-06',))
    >>> year_to_date(figures, method="mean", as_at=Period.for_month(2024, 6)).actual
    12.0
    >>> year_to_date(figures, method="sum", as_at=Period.for_month(2024, 6),
    ...              first=Period.for_month(2024, 5)).periods_expected
    2
    """
    how = _method(method)
    if not isinstance(as_at, Period):
        raise CoreError(f"The year to date needs a Period to run to, not {as_at!r}.")
    expected = as_at.year_to_date()
    if first is not None:
        if first.frequency is not as_at.frequency:
            raise CoreError(
                f"The first due period {first.label} is not a {as_at.frequency} period."
            )
        if first > as_at:
            raise CoreError(f"{as_at.label} is before the first due period, {first.label}.")
        expected = tuple(p for p in expected if p >= first)
    by_period = _figures_to_date(observations, expected)

    def has_figures(period: Period) -> bool:
        figures = by_period.get(period)
        if figures is None:
            return False
        if how is YtdMethod.ratio:
            return not (is_missing(figures.numerator) or is_missing(figures.denominator))
        return not is_missing(figures.value)

    present = [by_period[period] for period in expected if has_figures(period)]
    missing = tuple(period.label for period in expected if not has_figures(period))

    def target_of(period: Period) -> Number | None:
        figures = by_period.get(period)
        return None if figures is None else figures.target

    actual: Decimal | None
    target: Decimal | None
    if how in (YtdMethod.sum, YtdMethod.mean):
        basis = [figures.period for figures in present] or list(expected)
        targets = [target_of(period) for period in basis]
        values = [figures.value for figures in present]
        if how is YtdMethod.sum:
            actual = _total(values) if present else None
            target = _total(targets)
        else:
            actual = _mean(values) if present else None
            target = _mean(targets)
    else:
        latest = present[-1].period if present else as_at
        target = as_displayed(target_of(latest))
        if how is YtdMethod.latest:
            actual = as_displayed(present[-1].value) if present else None
        else:
            numerators = _total(figures.numerator for figures in present)
            denominators = _total(figures.denominator for figures in present)
            if not present or numerators is None or not denominators:
                actual = None
            else:
                actual = numerators / denominators * _exact(ratio_scale)
    return YtdResult(
        method=how,
        as_at=as_at,
        actual=_as_float(actual),
        target=_as_float(target),
        periods_expected=len(expected),
        periods_present=len(present),
        missing=missing,
        latest_period=present[-1].period.label if present else None,
    )
