"""Year-end forecasts: where each measure's year will end, and how sure we can be of it.

Offers:

- `forecast(figures, ytd_method=..., polarity=..., as_at=...)` -> `Forecast`: one measure.
- `forecast_many(measures, observations, targets, rebase_points, as_at=..., today=...)`
  -> `ForecastBatch`: every measure at once, vectorised with numpy as `core.spc.xmr_many`
  is; `.table` has one row per measure (`FORECAST_COLUMNS`), `.forecast(measure_id)`
  gives one `Forecast`, `.pool` every measure's errors, which shape the ranges.
- `Forecast`: the projected year-end `outturn`, its 80% range (`low`, `high`), the
  year-end `target`, the `chance` of meeting it, the `outlook` word, the `method`, the
  projected periods (`projection`, for a chart) and `explanation()`, one sentence.
- `ProjectedPeriod`, `ErrorPool`, and the constants below.

**The outturn** is the year to date of the whole year, by the measure's year-to-date
method (`core.ytd`): `sum`, the year's total (against the sum of the year's period
targets); `mean`, the mean of the year's periods (against the mean of their targets);
`ratio`, the year's numerators over its denominators x 100 (against the target of the
year's last period); `latest`, the year's last period (against its target). Periods of
the year not in yet (after the period reached, or missing before it) are projected; the
figures that are in are used as they are. A year whose figures are all in is not
projected: its outturn and target are `core.ytd.year_to_date`'s, to the digit, and its
outlook is `met` or `missed`. A year-end target needs every period's target (`sum`,
`mean`) or the last period's (`ratio`, `latest`); otherwise there is none.

**The projection.** Two simple methods, as an analyst would do it by hand:

- `same_periods_last_year`: each period to come is the same period last year, moved by
  this year's change in level (the mean difference between this year's periods so far
  and the same periods last year; after a rebase inside the year, only the periods since
  it count). It keeps the shape of the year: a measure busy in summer stays busy in
  summer. It needs last year's figure for every period to come.
- `rolling_year_mean`: each period to come is the mean of the measure's latest year of
  figures (12 months, 4 quarters), within its current rebase group (since its last
  rebase point, if that is more recent). It assumes no seasonality: the process carries
  on at its current level. (The SPC mean of the whole rebase group lags a measure that
  drifts or steps without a rebase being recorded; on the demo council's past years the
  latest year's mean forecast better and its ranges were more honest.)

Ratio measures project their numerators and denominators (so the year's ratio weighs
each period by its denominator, as the year to date does); the others their values.

**Which method when, and why.** Both methods are run on the measure's earlier years,
from every point of every year, on the figures in at that point (a backtest). The
method whose forecasts of those years were closer (smaller mean absolute error over the
points where both could forecast) is used: whether a measure has seasonality worth
following is judged by its own history, not assumed. Ties, and measures with no earlier
year to judge by, use `same_periods_last_year` when it can run. When the chosen method
cannot run now (last year's figures are missing, or there is no last year), the other
is used. Annual measures have no seasonality and, with one period a year, are either
complete or too early.

**The range** comes from the method's own past errors. Each backtest error is divided by
the spread the method should have had at that point: the SPC sigma of the measure's
figures (the mean moving range of its rebase group x 2.66 / 3, as its process limits
have it), carried through the outturn's arithmetic (each period to come adds its noise;
the level it is projected from is a mean of `n` figures, whose noise shrinks as `n`
grows; a same-period-last-year projection carries last year's noise too). The spread is
in the measure's units and shrinks as the year goes on, so these standardised errors
compare between points of the year and between measures (a budget variance near zero
is no harder than a count in the thousands). Then:

- the shape of the range (the 10% and 90% quantiles) comes from every measure's
  standardised errors together (the `ErrorPool`, read at ranks p x (n + 1)): a measure
  has one error a year at each point of the year, too few to read a 10% quantile from,
  and its errors within one year move together;
- its width is the measure's own: the typical (median) size of its own standardised
  errors against the pool's, trusted in proportion to its earlier years of them, with
  the pool counting as `PRIOR_YEARS` years (none of its own: the typical width; three:
  halfway; many: its own).

The 80% range is the outturn plus the spread x the width x the pool's quantiles. On the
large demo council it holds the true outturn 80% of the time (`bench/forecast.py`);
quantiles read from each measure's own errors alone held it 75% of the time.

**The chance** of meeting the target is the share of the pool's errors that, so scaled
and added to the outturn, meet or beat the target by polarity. The outlook: `likely` at
`LIKELY_CHANCE` or more, `unlikely` at `UNLIKELY_CHANCE` or less, `at_risk` between;
`too_early` when fewer than `MIN_MONTHS_INTO_YEAR` months of the year are in (3 months,
1 quarter) or there are too few past errors for a range (fewer than `MIN_POOL_ERRORS`;
the outturn is still projected when it can be); `met` or `missed` for a complete year
(met: on or better than the target as displayed, `core.status.rag` green with no
tolerance); `no_target` without a year-end target; `not_applicable` for a neutral
measure (no way is better). A measure with no target, or a neutral one, still gets its
projection and range.

>>> from core.periods import Period
>>> last_year = [10, 13, 16, 13]
>>> figures = [PeriodFigures(Period.for_quarter(2023, q + 1), value=v, target=15)
...            for q, v in enumerate(last_year)]
>>> figures += [PeriodFigures(Period.for_quarter(2024, 1), value=16, target=15),
...             PeriodFigures(Period.for_quarter(2024, 2), value=19, target=15),
...             PeriodFigures(Period.for_quarter(2024, 3), target=15),
...             PeriodFigures(Period.for_quarter(2024, 4), target=15)]
>>> result = forecast(figures, ytd_method="sum", polarity="higher_is_better",
...                   as_at=Period.for_quarter(2024, 2))
>>> result.method.value, result.outturn, result.target
('same_periods_last_year', 76.0, 60.0)
>>> [(p.period, p.value) for p in result.projection]
[('2024/25 Q3', 22.0), ('2024/25 Q4', 19.0)]
>>> result.outlook.value, result.low  # no earlier year to test the method on: no range
('too_early', None)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.errors import CoreError
from core.periods import DEFAULT_YEAR_START_MONTH, Period, as_frequency, parse_period
from core.scorecard import reporting_period
from core.spc import LIMIT_FACTOR
from core.status import Number, is_missing, rag
from core.vocab import ForecastMethod, Frequency, Outlook, Polarity, Rag, YtdMethod
from core.ytd import RATIO_SCALE, PeriodFigures, year_to_date

__all__ = [
    "FORECAST_COLUMNS",
    "LIKELY_CHANCE",
    "MIN_MONTHS_INTO_YEAR",
    "MIN_POOL_ERRORS",
    "PRIOR_YEARS",
    "RANGE_HIGH",
    "RANGE_LOW",
    "SIGMA_PER_MOVING_RANGE",
    "UNLIKELY_CHANCE",
    "ErrorPool",
    "Forecast",
    "ForecastBatch",
    "ProjectedPeriod",
    "forecast",
    "forecast_many",
]

MIN_MONTHS_INTO_YEAR: Final = 3
"""Fewer months of the year than this in (3 months; 1 quarter) is too early to say."""
LIKELY_CHANCE: Final = 0.8
"""A chance of meeting the target of this or more is `likely`."""
UNLIKELY_CHANCE: Final = 0.2
"""A chance of this or less is `unlikely`; between the two, `at_risk`."""
RANGE_LOW: Final = 0.1
"""The range's lower quantile: with `RANGE_HIGH`, an 80% range."""
RANGE_HIGH: Final = 1 - RANGE_LOW
"""The range's upper quantile (the mirror of the lower, so the range is symmetric)."""
PRIOR_YEARS: Final = 3
"""How many years of its own errors a measure's range width is worth as much as the
typical width of every measure's (so it is shrunk halfway with three years of its own)."""
MIN_POOL_ERRORS: Final = 9
"""The fewest errors an 80% range can be read from (their minimum and maximum)."""
SIGMA_PER_MOVING_RANGE: Final = LIMIT_FACTOR / 3
"""The SPC sigma per mean moving range (1 / d2), as the process limits use it."""
LAST_YEAR_NOISE: Final = 2.0
"""A same-period-last-year projection carries two years' noise (variance factor)."""
TIE: Final = 1e-9
"""Relative difference below which two methods' past errors count as equal."""

FORECAST_COLUMNS: Final = (
    "measure_id",
    "year",
    "period",
    "ytd_method",
    "polarity",
    "method",
    "outturn",
    "low",
    "high",
    "target",
    "chance",
    "outlook",
    "periods_used",
    "periods_in_year",
    "periods_needed",
    "own_years",
    "errors_used",
    "decimals",
    "year_periods",
    "projected",
    "projected_low",
    "projected_high",
)
"""The columns of `ForecastBatch.table`, one row per measure (see `Forecast`).

`year_periods` are the labels of the year's periods; `projected`, `projected_low` and
`projected_high` hold one number per period of the year: the projection and its band,
NaN where the period's figure is in (or nothing is projected)."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

_MONTHS_PER_YEAR: Final = 12
_FREQUENCIES: Final = (Frequency.monthly, Frequency.quarterly, Frequency.annual)
_PERIODS: Final = {Frequency.monthly: 12, Frequency.quarterly: 4, Frequency.annual: 1}
_UNIT_NAME: Final = {
    Frequency.monthly: "month",
    Frequency.quarterly: "quarter",
    Frequency.annual: "year",
}
_SUM, _MEAN, _RATIO, _LATEST = 0, 1, 2, 3
_KIND: Final = {YtdMethod.sum: _SUM, YtdMethod.mean: _MEAN, YtdMethod.ratio: _RATIO}
_SIGN: Final = {Polarity.higher_is_better: 1, Polarity.lower_is_better: -1, Polarity.neutral: 0}
_NO_METHOD, _LAST_YEAR, _YEAR_MEAN, _COMPLETE = 0, 1, 2, 3
_METHOD_WORD: Final = {
    _NO_METHOD: None,
    _LAST_YEAR: ForecastMethod.same_periods_last_year.value,
    _YEAR_MEAN: ForecastMethod.rolling_year_mean.value,
    _COMPLETE: ForecastMethod.year_complete.value,
}
_MONTH_LABEL: Final = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_LABEL: Final = re.compile(r"(\d{4})(?:/\d{2})? Q([1-4])")
_YEAR_LABEL: Final = re.compile(r"(\d{4})(?:/\d{2})?")
_OUTCOME_WORDS: Final = {
    Outlook.likely: "likely to be met",
    Outlook.at_risk: "at risk",
    Outlook.unlikely: "unlikely to be met",
}
_METHOD_DESCRIPTIONS: Final = {
    ForecastMethod.same_periods_last_year: (
        "the periods to come as the same periods last year, moved by this year's change in level"
    ),
    ForecastMethod.rolling_year_mean: (
        "the periods to come at the average of the latest year's figures"
    ),
    ForecastMethod.year_complete: "the year's own figures: every period is in",
}


# The result ---


@dataclass(frozen=True, slots=True)
class ProjectedPeriod:
    """One period still to come (or missing), as projected, with its band for a chart.

    The band is the level shift of every projected period that would take the year end
    to the low or the high end of its range.

    >>> ProjectedPeriod("2024/25 Q3", 22.0, 18.2, 25.8).value
    22.0
    """

    period: str
    value: float
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Forecast:
    """A measure's year-end forecast; see the module docstring for how it is made.

    `outturn` is None when nothing can be projected (no figures to project from);
    `low`, `high` and `chance` are None when there is no range (too early, too little
    history) and `chance` also without a target or for a neutral measure. `periods_used`
    counts the year's periods in so far, `periods_needed` how many it takes to say.
    `errors_used` is how many measures' errors gave the range its shape, `own_years`
    how many earlier years of this measure's own errors set its width (0: none, the
    range is every measure's typical range).
    """

    year: str
    period: str
    ytd_method: YtdMethod
    polarity: Polarity
    method: ForecastMethod | None
    outturn: float | None
    low: float | None
    high: float | None
    target: float | None
    chance: float | None
    outlook: Outlook
    periods_used: int
    periods_in_year: int
    periods_needed: int
    own_years: int = 0
    errors_used: int = 0
    decimals: int | None = None
    projection: tuple[ProjectedPeriod, ...] = ()

    @property
    def method_description(self) -> str:
        """How the outturn was worked out, in words, for a caption.

        >>> print(Forecast("2024/25", "2024-06", YtdMethod.sum, Polarity.neutral,
        ...       ForecastMethod.rolling_year_mean, 12.0, None, None, None, None,
        ...       Outlook.not_applicable, 3, 12, 3).method_description)
        Projected with the periods to come at the average of the latest year's figures.
        """
        if self.method is None:
            return "Not projected: there are no figures to project from."
        if self.method is ForecastMethod.year_complete:
            return f"Worked out from {_METHOD_DESCRIPTIONS[self.method]}."
        return f"Projected with {_METHOD_DESCRIPTIONS[self.method]}."

    def explanation(self) -> str:
        """One plain English sentence: the projection, its range, and the verdict.

        >>> print(Forecast("2025/26", "2025-10", YtdMethod.sum, Polarity.higher_is_better,
        ...       ForecastMethod.same_periods_last_year, 4210.0, 4050.0, 4380.0, 4500.0,
        ...       0.04, Outlook.unlikely, 7, 12, 3, own_years=9, decimals=0).explanation())
        ... # doctest: +NORMALIZE_WHITESPACE
        On current performance the year ends at 4,210 against a target of 4,500
        (80% range 4,050 to 4,380): unlikely to be met.
        """
        number = self._number
        if self.outlook is Outlook.too_early or self.outturn is None:
            return self._too_early()
        outturn = number(self.outturn)
        if self.method is ForecastMethod.year_complete:
            if self.outlook in (Outlook.met, Outlook.missed) and self.target is not None:
                verdict = "met" if self.outlook is Outlook.met else "missed"
                return (
                    f"The year {self.year} ended at {outturn} against a target of "
                    f"{number(self.target)}: {verdict}."
                )
            return f"The year {self.year} ended at {outturn}."
        spread = ""
        if self.low is not None and self.high is not None:
            basis = ""
            if self.own_years < PRIOR_YEARS:
                basis = ", judged mostly from other measures' history"
            spread = f" (80% range {number(self.low)} to {number(self.high)}{basis})"
        start = "On current performance the year ends at"
        if self.outlook in _OUTCOME_WORDS and self.target is not None:
            return (
                f"{start} {outturn} against a target of {number(self.target)}{spread}: "
                f"{_OUTCOME_WORDS[self.outlook]}."
            )
        if self.outlook is Outlook.no_target:
            return f"{start} {outturn}{spread}; there is no year-end target to judge it by."
        return f"{start} {outturn}{spread}."

    def _too_early(self) -> str:
        unit = _UNIT_NAME[_frequency_of(self.periods_in_year)]
        if self.periods_used < self.periods_needed:
            have = _count(self.periods_used, unit)
            return (
                f"Too early to say how {self.year} will end: {have} of it "
                f"{'is' if self.periods_used == 1 else 'are'} in, and "
                f"{self.periods_needed} are needed."
            )
        if self.outturn is None:
            return f"Too early to say how {self.year} will end: there is nothing to project from."
        return (
            f"Too early to say how {self.year} will end: there is too little history to "
            "tell how far a forecast may be out."
        )

    def _number(self, value: float) -> str:
        if self.decimals is None:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
        text = f"{value:,.{self.decimals}f}"
        return (
            text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text
        )


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _frequency_of(periods_in_year: int) -> Frequency:
    for frequency, count in _PERIODS.items():
        if count == periods_in_year:
            return frequency
    raise CoreError(f"A year has 1, 4 or 12 periods, not {periods_in_year}.")


@dataclass(frozen=True, slots=True, eq=False)
class ErrorPool:
    """Standardised backtest errors of many measures, sorted: the shape of forecast errors.

    >>> pool = ErrorPool.of([0.5, -1.0, float("nan"), 2.0])
    >>> len(pool), pool.typical_size
    (3, 1.0)
    """

    errors: FloatArray

    @classmethod
    def of(cls, errors: Iterable[float]) -> ErrorPool:
        """A pool of the given errors (missing ones are dropped)."""
        given = errors if isinstance(errors, np.ndarray) else list(errors)
        array = np.asarray(given, dtype=float)
        array = np.sort(array[np.isfinite(array)])
        array.setflags(write=False)
        return cls(array)

    def __len__(self) -> int:
        return len(self.errors)

    @property
    def typical_size(self) -> float:
        """The median size of the errors (NaN for an empty pool)."""
        if not len(self.errors):
            return math.nan
        return float(np.median(np.abs(self.errors)))

    def width(self, typical_size: FloatArray, own_years: IntArray) -> FloatArray:
        """Each measure's range width relative to the pool's: its own errors' typical
        size against the pool's, trusted in proportion to its years of them against
        `PRIOR_YEARS` (no years of its own: 1, the pool's width).

        >>> ErrorPool.of([-1.0, 1.0]).width(np.array([2.0, 2.0, np.nan]), np.array([3, 1, 0]))
        array([1.58113883, 1.32287566, 1.        ])
        """
        pooled = self.typical_size
        years = np.where(np.isfinite(typical_size), own_years, 0).astype(float)
        if not pooled > 0:
            return np.ones(len(typical_size))
        with np.errstate(invalid="ignore"):
            ratio = np.where(years > 0, (typical_size / pooled) ** 2, 1.0)
        width: FloatArray = np.sqrt((years * ratio + PRIOR_YEARS) / (years + PRIOR_YEARS))
        return width


def _typical_size(errors: FloatArray) -> FloatArray:
    """The median size of each row's errors (NaN padded); NaN for a row without any."""
    ordered = np.sort(np.abs(errors), axis=1)
    n = np.isfinite(ordered).sum(axis=1)
    if not ordered.shape[1]:
        return np.full(len(ordered), np.nan)
    lower = np.take_along_axis(ordered, np.maximum((n - 1) // 2, 0)[:, None], axis=1)[:, 0]
    upper = np.take_along_axis(ordered, np.minimum(n // 2, ordered.shape[1] - 1)[:, None], axis=1)
    median: FloatArray = np.where(n > 0, (lower + upper[:, 0]) / 2, np.nan)
    return median


@dataclass(frozen=True, slots=True, eq=False)
class ForecastBatch:
    """Every measure's forecast: `table` (one row per measure, `FORECAST_COLUMNS`, in
    the order of the measures given) and the `pool` of every measure's standardised
    errors, which shapes the ranges (pass it to `forecast` for the same answer)."""

    table: pd.DataFrame
    pool: ErrorPool

    def forecast(self, measure_id: int) -> Forecast:
        """The `Forecast` of one measure in the batch."""
        rows = self.table.loc[self.table["measure_id"] == measure_id]
        if rows.empty:
            raise CoreError(f"There is no forecast for measure {measure_id!r}.")
        row = rows.iloc[0]
        projection = tuple(
            ProjectedPeriod(p, float(v), _optional(lo), _optional(hi))
            for p, v, lo, hi in zip(
                row["year_periods"],
                row["projected"],
                row["projected_low"],
                row["projected_high"],
                strict=True,
            )
            if not math.isnan(v)
        )
        method = row["method"]
        decimals = row["decimals"]
        return Forecast(
            year=str(row["year"]),
            period=str(row["period"]),
            ytd_method=YtdMethod(row["ytd_method"]),
            polarity=Polarity(row["polarity"]),
            method=None if is_missing(method) else ForecastMethod(method),
            outturn=_optional(row["outturn"]),
            low=_optional(row["low"]),
            high=_optional(row["high"]),
            target=_optional(row["target"]),
            chance=_optional(row["chance"]),
            outlook=Outlook(row["outlook"]),
            periods_used=int(row["periods_used"]),
            periods_in_year=int(row["periods_in_year"]),
            periods_needed=int(row["periods_needed"]),
            own_years=int(row["own_years"]),
            errors_used=int(row["errors_used"]),
            decimals=None if is_missing(decimals) else int(decimals),
            projection=projection,
        )


def _optional(value: object) -> float | None:
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


# Reading the inputs ---


def _word(value: object, vocabulary: type[Any], what: str) -> Any:
    try:
        return vocabulary(str(value).strip().lower())
    except ValueError:
        words = ", ".join(f"'{member.value}'" for member in vocabulary)
        raise CoreError(f"Unknown {what} {value!r}: expected {words}.") from None


def _ytd_method(value: object) -> YtdMethod:
    word: YtdMethod = _word(value, YtdMethod, "year-to-date method")
    return word


def _polarity(value: object) -> Polarity:
    word: Polarity = _word(value, Polarity, "polarity")
    return word


def _label_positions(
    labels: pd.Series[Any], year_start_month: int, what: str
) -> tuple[IntArray, IntArray, IntArray]:
    """Each canonical label's frequency (index into `_FREQUENCIES`), year and position."""
    codes, uniques = pd.factorize(labels, sort=False)
    if len(codes) and codes.min() < 0:
        raise CoreError(f"Every row of the {what} needs a period.")
    kinds = np.zeros(len(uniques), dtype=np.int64)
    years = np.zeros(len(uniques), dtype=np.int64)
    positions = np.zeros(len(uniques), dtype=np.int64)
    for i, label in enumerate(uniques):
        text = str(label)
        if match := _MONTH_LABEL.fullmatch(text):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= _MONTHS_PER_YEAR:
                raise CoreError(f"{text!r} in the {what} is not a month.")
            offset = month - year_start_month
            kinds[i] = 0
            years[i] = year if offset >= 0 else year - 1
            positions[i] = offset % _MONTHS_PER_YEAR + 1
        elif match := _QUARTER_LABEL.fullmatch(text):
            kinds[i], years[i], positions[i] = 1, int(match[1]), int(match[2])
        elif match := _YEAR_LABEL.fullmatch(text):
            kinds[i], years[i], positions[i] = 2, int(match[1]), 1
        else:
            raise CoreError(
                f"{text!r} in the {what} is not a period label such as 2024-04, "
                "2024/25 Q1 or 2024/25."
            )
    return kinds[codes], years[codes], positions[codes]


def _floats(frame: pd.DataFrame, name: str) -> FloatArray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


@dataclass(frozen=True, slots=True)
class _Rows:
    """One input frame's rows, placed: measure row, frequency, year, position, values."""

    measure: IntArray
    kind: IntArray
    year: IntArray
    position: IntArray
    labels: pd.Series[Any]

    def label(self, picked: BoolArray | None, i: int) -> str:
        """The label of the `i`-th row (of the `picked` ones), for a message."""
        labels = self.labels.to_numpy(dtype=object)
        return str((labels if picked is None else labels[picked])[i])


def _place(
    frame: pd.DataFrame | None, ids: pd.Index[Any], year_start_month: int, what: str
) -> _Rows | None:
    if frame is None or frame.empty:
        return None
    for column in ("measure_id", "period"):
        if column not in frame.columns:
            raise CoreError(f"The {what} need a {column!r} column.")
    measure = ids.get_indexer(pd.Index(pd.to_numeric(frame["measure_id"], errors="coerce")))
    kind, year, position = _label_positions(frame["period"], year_start_month, what)
    return _Rows(measure.astype(np.int64), kind, year, position, frame["period"])


def _as_at(as_at: Period | str | None, today: date | None, year_start_month: int) -> Period:
    if isinstance(as_at, Period):
        return as_at
    if as_at is None:
        if today is None:
            raise CoreError("A forecast needs the period reached (as_at) or today's date.")
        month = Period.containing(today, Frequency.monthly, year_start_month=year_start_month)
        return month.previous()
    text = str(as_at)
    picked = Frequency.quarterly if "Q" in text.upper() else Frequency.monthly
    return parse_period(text, picked, year_start_month=year_start_month)


# The arithmetic, on arrays [year, period, measure] ---
#
# Time runs down the first axes and measures across the last, so every running total
# adds whole rows of measures at once.


@dataclass(frozen=True, slots=True)
class _Method:
    """One method's backtest: outturn, spread, and whether it could run, at every point."""

    outturn: FloatArray
    spread: FloatArray
    share: FloatArray  # how much of the outturn is still to come (the band's divisor)
    runs: BoolArray
    projected: FloatArray  # [period, measure]: the year forecast, from the point reached


def _block(
    num: FloatArray,
    den: FloatArray,
    present: BoolArray,
    rebase: BoolArray,
    kind: IntArray,
    point: int,
    needed: int,
) -> dict[str, Any]:
    """Forecasts of a block of measures of one frequency, from every point of every year.

    `num`, `den`, `present`, `rebase` are [year, period, measure]; the last year is the
    year forecast and `point` the 0-based period reached in it. Each point (year, period)
    is forecast as if it were now, from the figures up to it, for the backtest.
    """
    years, p, m = num.shape
    flat = years * p
    columns = np.arange(m)
    scale = np.where(kind == _RATIO, float(RATIO_SCALE), 1.0)
    is_sum = kind == _SUM
    is_latest = kind == _LATEST
    num0 = np.where(present, num, 0.0)
    den0 = np.where(present, den, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(present & (den != 0), num / den * scale, np.nan)

    # The rebase group of every point, along one time axis.
    t = np.arange(flat)[:, None]
    start = np.maximum.accumulate(np.where(rebase.reshape(flat, m), t, 0), axis=0)
    start_at = start * m + columns  # where each group's start sits in a flattened array

    def since_start(values: npt.NDArray[Any]) -> FloatArray:
        """The total of `values` from the start of each point's rebase group to it."""
        running = np.zeros((flat + 1, m))
        np.cumsum(values, axis=0, dtype=float, out=running[1:])
        total: FloatArray = running[1:] - running.take(start_at)
        return total

    # The level: the mean of the latest year's figures, since the group's start if later.
    recent_at = np.maximum(start, t - p + 1) * m + columns

    def in_latest_year(values: npt.NDArray[Any]) -> FloatArray:
        running = np.zeros((flat + 1, m))
        np.cumsum(values, axis=0, dtype=float, out=running[1:])
        total: FloatArray = running[1:] - running.take(recent_at)
        return total

    counted = in_latest_year(present.reshape(flat, m))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_num = in_latest_year(num0.reshape(flat, m)) / counted
        mean_den = in_latest_year(den0.reshape(flat, m)) / counted
    # The SPC sigma: the mean moving range of the group's figures so far, x 2.66 / 3.
    xs = x.reshape(flat, m)
    has_x = np.isfinite(xs)
    last_seen = np.maximum.accumulate(np.where(has_x, t, -1), axis=0)
    before = np.full_like(last_seen, -1)
    before[1:] = last_seen[:-1]
    moving = has_x & (before >= start)
    ranges = np.where(moving, np.abs(xs - xs[np.maximum(before, 0), columns]), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = since_start(ranges) / since_start(moving) * SIGMA_PER_MOVING_RANGE
    shape = (years, p, m)
    counted, mean_num, mean_den, sigma = (
        a.reshape(shape) for a in (counted, mean_num, mean_den, sigma)
    )
    year_of = np.arange(years)[:, None, None]
    in_year_start = np.maximum(start.reshape(shape) - year_of * p, 0)
    year_start_at = (year_of * (p + 1) + in_year_start) * m + columns

    def since_start_of_year(values: npt.NDArray[Any]) -> FloatArray:
        """The total of `values` this year, since the rebase group's start if later."""
        running = np.zeros((years, p + 1, m))
        np.cumsum(values, axis=1, dtype=float, out=running[:, 1:])
        total: FloatArray = running[:, 1:] - running.take(year_start_at)
        return total

    # The year so far, at every point.
    periods = np.arange(p)[None, :, None]
    so_far = np.cumsum(present, axis=1)
    num_so_far = np.cumsum(num0, axis=1)
    den_so_far = np.cumsum(den0, axis=1)
    to_come = (p - so_far).astype(float)  # the periods after the point, or missing before
    missing = ~present
    last_to_come = (periods < p - 1) | missing[:, p - 1 :]
    x_last = x[:, p - 1 :]

    def over_to_come(values: npt.NDArray[Any]) -> FloatArray:
        """The total of `values` over the periods to come from each point."""
        running = np.cumsum(values, axis=1, dtype=float)
        total: FloatArray = running[:, -1:] - running + np.cumsum(values * missing, axis=1)
        return total

    # Last year, period by period.
    last_num = np.full_like(num, np.nan)
    last_den = np.full_like(den, np.nan)
    last_present = np.zeros_like(present)
    last_num[1:], last_den[1:], last_present[1:] = num[:-1], den[:-1], present[:-1]
    gaps_last_year = over_to_come(~last_present)
    pairs = present & last_present
    pair_count = since_start_of_year(pairs)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift_num = since_start_of_year(np.where(pairs, num - last_num, 0.0)) / pair_count
        shift_den = since_start_of_year(np.where(pairs, den - last_den, 0.0)) / pair_count

    def method(
        num_to_come: FloatArray,
        den_to_come: FloatArray,
        last: FloatArray,
        n: FloatArray,
        noise: float,
        runs: BoolArray,
        each_num: FloatArray,
        each_den: FloatArray,
    ) -> _Method:
        total_num = num_so_far + num_to_come
        total_den = den_so_far + den_to_come
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(total_den != 0, total_num / total_den * scale, np.nan)
            outturn = np.where(is_sum, total_num, ratio)
            outturn = np.where(is_latest, np.where(last_to_come, last, x_last), outturn)
            share = np.where(
                is_sum, to_come, np.where(total_den != 0, den_to_come / total_den, np.nan)
            )
            share = np.where(is_latest, last_to_come, share)
            each = np.where(is_latest, 1.0, to_come)
            spread = np.where(share > 0, sigma * share * np.sqrt(noise * (1 / each + 1 / n)), 0.0)
            projected = each_num / each_den * scale
        return _Method(outturn, spread, share, runs & np.isfinite(outturn), projected)

    now = years - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        seasonal = method(
            over_to_come(np.where(last_present, last_num, 0.0)) + to_come * shift_num,
            over_to_come(np.where(last_present, last_den, 0.0)) + to_come * shift_den,
            (last_num[:, p - 1 :] + shift_num) / (last_den[:, p - 1 :] + shift_den) * scale,
            pair_count,
            LAST_YEAR_NOISE,
            (pair_count > 0) & (gaps_last_year == 0),
            last_num[now] + shift_num[now, point],
            last_den[now] + shift_den[now, point],
        )
        level = method(
            to_come * mean_num,
            to_come * mean_den,
            mean_num / mean_den * scale,
            counted,
            1.0,
            counted > 0,
            np.broadcast_to(mean_num[now, point], (p, m)),
            np.broadcast_to(mean_den[now, point], (p, m)),
        )

    # Each earlier year's true outturn, and each method's errors in forecasting it.
    complete_year = np.where(is_latest, present[:, p - 1], so_far[:, -1] == p)
    with np.errstate(divide="ignore", invalid="ignore"):
        truth = np.where(is_sum, num_so_far[:, -1], num_so_far[:, -1] / den_so_far[:, -1] * scale)
    truth = np.where(is_latest, x[:, p - 1], truth)
    known = complete_year & np.isfinite(truth) & (np.arange(years) < now)[:, None]
    eligible = known[:, None, :] & (so_far >= needed)

    def errors(result: _Method) -> FloatArray:
        usable = eligible & result.runs & (result.spread > 0) & np.isfinite(result.spread)
        error: FloatArray = np.where(usable, truth[:, None, :] - result.outturn, np.nan)
        return error

    error_s, error_l = errors(seasonal), errors(level)
    both = np.isfinite(error_s) & np.isfinite(error_l)
    compared = both.sum(axis=(0, 1))
    mae_s = np.where(both, np.abs(error_s), 0.0).sum(axis=(0, 1))
    mae_l = np.where(both, np.abs(error_l), 0.0).sum(axis=(0, 1))
    prefer_s = (compared == 0) | (mae_s <= mae_l * (1 + TIE))

    runs_s, runs_l = seasonal.runs[now, point], level.runs[now, point]
    use_s = (prefer_s & runs_s) | (~runs_l & runs_s)
    use_l = ~use_s & runs_l
    complete = complete_year[now] & (point == p - 1)
    chosen = np.where(use_s, _LAST_YEAR, np.where(use_l, _YEAR_MEAN, _NO_METHOD))
    chosen = np.where(complete, _COMPLETE, chosen)
    errors_of_s = use_s | (~use_l & prefer_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(errors_of_s, error_s / seasonal.spread, error_l / level.spread)
    own_years = np.isfinite(z).any(axis=1).sum(axis=0)

    projected = np.where(use_s, seasonal.projected, level.projected)
    to_come_now = (np.arange(p)[:, None] > point) | missing[now]
    projected = np.where(to_come_now & (use_s | use_l) & ~complete, projected, np.nan)
    drop = ~(use_s | use_l) | complete
    return {
        "outturn": np.where(
            drop, np.nan, np.where(use_s, seasonal.outturn, level.outturn)[now, point]
        ),
        "spread": np.where(
            drop, np.nan, np.where(use_s, seasonal.spread, level.spread)[now, point]
        ),
        "share": np.where(use_s, seasonal.share[now, point], level.share[now, point]),
        "method": chosen,
        "periods_used": so_far[now, point].astype(np.int64),
        "projected": projected.T,
        "errors": z.reshape(flat, m).T,
        "own_years": own_years.astype(np.int64),
        "complete": complete,
    }


# Quantiles and chances from standardised errors ---


def _quantiles(ordered: FloatArray, count: IntArray) -> tuple[FloatArray, FloatArray]:
    """The `RANGE_LOW` and `RANGE_HIGH` quantiles of each row of sorted errors (NaN last),
    read at ranks p x (n + 1), between the neighbouring errors."""
    n = count.astype(float)
    rank_low = RANGE_LOW * (n + 1) - 1
    rank_high = (n - 1) - rank_low  # the mirror image, so the range is symmetric in rank

    def at(rank: FloatArray) -> FloatArray:
        rank = np.clip(rank, 0, np.maximum(n - 1, 0))
        below = np.floor(rank).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(count - 1, 0))
        low = np.take_along_axis(ordered, below[:, None], axis=1)[:, 0]
        high = np.take_along_axis(ordered, above[:, None], axis=1)[:, 0]
        value: FloatArray = low + (rank - below) * (high - low)
        return value

    return at(rank_low), at(rank_high)


# Everything at once ---


@dataclass(frozen=True, slots=True)
class _Measures:
    """The measures frame, read: one entry per measure, in its order."""

    ids: pd.Index[Any]
    frequency: IntArray  # index into _FREQUENCIES
    polarity: list[Polarity]
    ytd: list[YtdMethod]
    kind: IntArray
    sign: IntArray
    decimals: list[int | None]


def _words(column: pd.Series[Any], read: Any) -> list[Any]:
    """Each row's word, reading each distinct value once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    words = [read(value) for value in uniques]
    return [words[code] for code in codes.tolist()]


def _read_measures(measures: pd.DataFrame) -> _Measures:
    for column in ("id", "frequency", "polarity", "ytd_method"):
        if column not in measures.columns:
            raise CoreError(f"The measures need a {column!r} column.")
    ids = pd.Index(pd.to_numeric(measures["id"], errors="coerce"))
    if ids.has_duplicates:
        raise CoreError("Each measure may appear once in the measures.")
    frequency = np.array(
        _words(measures["frequency"], lambda f: _FREQUENCIES.index(as_frequency(str(f)))),
        dtype=np.int64,
    )
    polarity: list[Polarity] = _words(measures["polarity"], _polarity)
    ytd: list[YtdMethod] = _words(measures["ytd_method"], _ytd_method)
    decimals: list[int | None] = (
        _words(measures["decimals"], lambda d: None if is_missing(d) else int(d))
        if "decimals" in measures.columns
        else [None] * len(ids)
    )
    return _Measures(
        ids=ids,
        frequency=frequency,
        polarity=polarity,
        ytd=ytd,
        kind=np.array([_KIND.get(v, _LATEST) for v in ytd], dtype=np.int64),
        sign=np.array([_SIGN[v] for v in polarity], dtype=np.int64),
        decimals=decimals,
    )


def _check_frequencies(rows: _Rows | None, read: _Measures, what: str) -> None:
    if rows is None or not len(read.ids):
        return
    known = rows.measure >= 0
    wrong = known & (rows.kind != read.frequency[np.maximum(rows.measure, 0)])
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        measure = rows.measure[i]
        raise CoreError(
            f"Measure {read.ids[measure]} is {_FREQUENCIES[read.frequency[measure]].value}, "
            f"but the {what} have {rows.label(None, i)!r} for it."
        )


def _once(flat: IntArray, size: int, rows: _Rows, picked: BoolArray, what: str, ids: Any) -> None:
    """Refuse two rows for one measure and period."""
    if not len(flat) or np.bincount(flat, minlength=size).max() <= 1:
        return
    i = int(np.flatnonzero(pd.Index(flat).duplicated())[0])
    raise CoreError(
        f"There are two {what} for measure {ids[rows.measure[picked][i]]} in "
        f"{rows.label(picked, i)}."
    )


@dataclass(frozen=True, slots=True)
class _Block:
    """The measures of one frequency, their figures on [year, period, measure] arrays."""

    members: IntArray
    due: Period
    periods: tuple[Period, ...]  # the periods of the year forecast
    num: FloatArray
    den: FloatArray
    present: BoolArray
    rebase: BoolArray
    goal: FloatArray  # [measure, period] of the year forecast


def _fill(
    code: int,
    reached: Period,
    read: _Measures,
    inputs: tuple[_Rows | None, _Rows | None, _Rows | None],
    figures: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    year_start_month: int,
) -> _Block | None:
    members = np.flatnonzero(read.frequency == code)
    if not len(members):
        return None
    freq = _FREQUENCIES[code]
    p = _PERIODS[freq]
    due = reporting_period(freq, reached, year_start_month=year_start_month)
    now = due.fy_start_year * p + due.index - 1
    local = np.full(len(read.ids), -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    obs, goals, rebases = inputs
    values, numerators, denominators, goal_values = figures

    def mine(rows: _Rows | None) -> BoolArray:
        if rows is None:
            return np.zeros(0, dtype=bool)
        picked: BoolArray = (rows.measure >= 0) & (rows.kind == code)
        return picked

    def until_now(rows: _Rows, picked: BoolArray) -> BoolArray:
        result: BoolArray = picked & (rows.year * p + rows.position - 1 <= now)
        return result

    kept = mine(obs)
    if obs is not None:
        kept = until_now(obs, kept)
    first_year = int(obs.year[kept].min()) if obs is not None and kept.any() else due.fy_start_year
    shape = (due.fy_start_year - first_year + 1, p, len(members))
    num = np.full(shape, np.nan)
    den = np.full(shape, np.nan)
    present = np.zeros(shape, dtype=bool)
    rebase = np.zeros(shape, dtype=bool)
    if obs is not None and kept.any():
        where = (obs.year[kept] - first_year, obs.position[kept] - 1, local[obs.measure[kept]])
        _once(np.ravel_multi_index(where, shape), num.size, obs, kept, "sets of figures", read.ids)
        ratio = read.kind[obs.measure[kept]] == _RATIO
        num[where] = np.where(ratio, numerators[kept], values[kept])
        den[where] = np.where(ratio, denominators[kept], 1.0)
        present[where] = np.isfinite(num[where]) & np.isfinite(den[where])
    if rebases is not None:
        picked = until_now(rebases, mine(rebases)) & (rebases.year >= first_year)
        rebase[
            rebases.year[picked] - first_year,
            rebases.position[picked] - 1,
            local[rebases.measure[picked]],
        ] = True
    goal = np.full((len(members), p), np.nan)
    if goals is not None:
        picked = mine(goals) & (goals.year == due.fy_start_year)
        where_goal = (local[goals.measure[picked]], goals.position[picked] - 1)
        _once(
            np.ravel_multi_index(where_goal, goal.shape),
            goal.size,
            goals,
            picked,
            "targets",
            read.ids,
        )
        goal[where_goal] = goal_values[picked]
    return _Block(members, due, due.periods_in_year(), num, den, present, rebase, goal)


def _complete_year(
    block: _Block, j: int, ytd: YtdMethod, polarity: Polarity, decimals: int | None
) -> tuple[float, float, Outlook, float]:
    """A complete year's outturn and target, exactly as `core.ytd.year_to_date` has them."""
    periods = block.periods
    is_ratio = ytd is YtdMethod.ratio
    figures = []
    for position, period in enumerate(periods):
        held = bool(block.present[-1, position, j])
        number = float(block.num[-1, position, j]) if held else None
        goal = float(block.goal[j, position])
        figures.append(
            PeriodFigures(
                period,
                value=None if is_ratio else number,
                numerator=number if is_ratio else None,
                denominator=float(block.den[-1, position, j]) if held and is_ratio else None,
                target=None if math.isnan(goal) else goal,
            )
        )
    result = year_to_date(figures, method=ytd, as_at=periods[-1])
    status = rag(result.actual, result.target, polarity=polarity, decimals=decimals)
    outturn = math.nan if result.actual is None else result.actual
    target = math.nan if result.target is None else result.target
    if result.actual is None:
        return outturn, target, Outlook.too_early, math.nan
    met = status is Rag.green
    judged = status in (Rag.green, Rag.amber, Rag.red)
    chance = (1.0 if met else 0.0) if judged else math.nan
    return outturn, target, Outlook.met if met else Outlook.missed, chance


_QUICK_DECIMALS: Final = 9
_QUICK_LIMIT: Final = 1e12  # twelve significant digits: core.status keeps them as they are


def _complete_years_quickly(
    block: _Block, done: IntArray, read: _Measures
) -> tuple[BoolArray, FloatArray, FloatArray, BoolArray]:
    """Complete `sum` and `latest` years whose figures and targets are whole numbers of
    the measure's smallest unit (as figures shown to its decimals are), on arrays.

    Their year to date is then a sum of integers, which `core.ytd`'s decimal arithmetic
    and this float arithmetic both get exactly (and `core.status.rag` compares them as
    the integers they are): the same answer as `_complete_year`, without a loop. Returns
    which of `done` were worked out, their outturns, targets and whether each met it.
    """
    members = block.members[done]
    kind = read.kind[members]
    decimals = np.array(
        [-1 if read.decimals[i] is None else read.decimals[i] for i in members.tolist()],
        dtype=np.int64,
    )
    p = block.goal.shape[1]
    scale = 10.0 ** np.clip(decimals, 0, _QUICK_DECIMALS)
    values = block.num[-1][:, done].T  # [measure, period]
    present = block.present[-1][:, done].T
    goals = block.goal[done]
    last = np.zeros(p, dtype=bool)
    last[-1] = True
    used = np.where((kind == _LATEST)[:, None], last[None, :], present)

    def whole(numbers: FloatArray) -> tuple[FloatArray, BoolArray]:
        units = np.round(numbers * scale[:, None])
        with np.errstate(invalid="ignore"):
            fine = (units / scale[:, None] == numbers) & (np.abs(units) < _QUICK_LIMIT)
        return np.where(used, units, 0.0), fine | ~used

    value_units, fine_values = whole(values)
    goal_units, fine_goals = whole(goals)
    missing_goal = np.asarray((used & np.isnan(goals)).any(axis=1), dtype=bool)
    total = value_units.sum(axis=1)
    goal_total = np.where(missing_goal, 0.0, goal_units.sum(axis=1))
    quick = (
        ((kind == _SUM) | (kind == _LATEST))
        & (decimals >= 0)
        & (decimals <= _QUICK_DECIMALS)
        & fine_values.all(axis=1)
        & (fine_goals | np.isnan(goals)).all(axis=1)
        & (np.abs(total) < _QUICK_LIMIT)
        & (np.abs(goal_total) < _QUICK_LIMIT)
    )
    value = total / scale
    goal = np.where(missing_goal, np.nan, goal_total / scale)
    met = np.asarray(read.sign[members] * (total - goal_total) >= 0, dtype=bool)
    return quick, value[quick], goal[quick], met[quick] & ~missing_goal[quick]


def _object_column(items: list[Any]) -> npt.NDArray[Any]:
    column = np.empty(len(items), dtype=object)
    column[:] = items
    return column


def forecast_many(
    measures: pd.DataFrame,
    observations: pd.DataFrame,
    targets: pd.DataFrame,
    rebase_points: pd.DataFrame | None = None,
    *,
    as_at: Period | str | None = None,
    today: date | None = None,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
    min_months: int = MIN_MONTHS_INTO_YEAR,
    pool: ErrorPool | None = None,
) -> ForecastBatch:
    """Every measure's year-end forecast, from the frames `core.scorecard` takes.

    `measures` needs `id, frequency, polarity, ytd_method` (optional `decimals`);
    `observations` `measure_id, period, value` (and `numerator, denominator` for ratio
    measures); `targets` `measure_id, period, value`; `rebase_points` `measure_id,
    period`. Periods are canonical labels. `as_at` is the month or quarter reached (a
    `Period` or its label; None: the latest complete month on `today`); each measure is
    forecast from its latest period that ends by then (`core.scorecard.reporting_period`),
    using only figures up to it. `pool`: the standardised errors that shape every range
    (default: those of the measures given). The inputs are not changed.

    >>> measures = pd.DataFrame({"id": [7], "frequency": ["quarterly"],
    ...     "polarity": ["lower_is_better"], "ytd_method": ["mean"]})
    >>> observations = pd.DataFrame({"measure_id": [7, 7],
    ...     "period": ["2024/25 Q1", "2024/25 Q2"], "value": [10.0, 14.0]})
    >>> targets = pd.DataFrame({"measure_id": [7] * 4,
    ...     "period": [f"2024/25 Q{q}" for q in range(1, 5)], "value": [11.0] * 4})
    >>> batch = forecast_many(measures, observations, targets, as_at="2024-10")
    >>> result = batch.forecast(7)
    >>> result.period, result.method.value, result.outturn, result.target, result.outlook.value
    ('2024/25 Q2', 'rolling_year_mean', 12.0, 11.0, 'too_early')
    """
    if isinstance(min_months, bool) or not isinstance(min_months, int) or min_months < 1:
        raise CoreError(f"min_months must be a whole number of 1 or more, not {min_months!r}.")
    reached = _as_at(as_at, today, year_start_month)
    read = _read_measures(measures)
    count = len(read.ids)
    inputs = (
        _place(observations, read.ids, year_start_month, "observations"),
        _place(targets, read.ids, year_start_month, "targets"),
        _place(rebase_points, read.ids, year_start_month, "rebase points"),
    )
    for rows, what in zip(inputs, ("observations", "targets", "rebase points"), strict=True):
        _check_frequencies(rows, read, what)
    figures = (
        _floats(observations, "value"),
        _floats(observations, "numerator"),
        _floats(observations, "denominator"),
        _floats(targets, "value"),
    )

    outturn = np.full(count, np.nan)
    spread = np.full(count, np.nan)
    share = np.full(count, np.nan)
    target = np.full(count, np.nan)
    method = np.zeros(count, dtype=np.int64)
    periods_used = np.zeros(count, dtype=np.int64)
    periods_in_year = np.ones(count, dtype=np.int64)
    periods_needed = np.ones(count, dtype=np.int64)
    own_years = np.zeros(count, dtype=np.int64)
    year_label = np.full(count, "", dtype=object)
    period_label = np.full(count, "", dtype=object)
    year_periods: list[tuple[str, ...]] = [()] * count
    projected = np.zeros((count, _MONTHS_PER_YEAR))
    blocks: list[tuple[_Block, dict[str, Any]]] = []
    for code in range(len(_FREQUENCIES)):
        block = _fill(code, reached, read, inputs, figures, year_start_month)
        if block is None:
            continue
        members, p = block.members, block.goal.shape[1]
        kind = read.kind[members]
        needed = -(-min_months // (_MONTHS_PER_YEAR // p))
        result = _block(
            block.num, block.den, block.present, block.rebase, kind, block.due.index - 1, needed
        )
        blocks.append((block, result))
        outturn[members] = result["outturn"]
        spread[members] = result["spread"]
        share[members] = result["share"]
        method[members] = result["method"]
        periods_used[members] = result["periods_used"]
        own_years[members] = result["own_years"]
        periods_in_year[members] = p
        periods_needed[members] = needed
        with np.errstate(invalid="ignore"):
            total = block.goal.sum(axis=1)
        goal = np.where(kind == _SUM, total, total / p)
        target[members] = np.where(kind >= _RATIO, block.goal[:, -1], goal)
        year_label[members] = block.due.financial_year
        period_label[members] = block.due.label
        labels = tuple(period.label for period in block.periods)
        for i in members.tolist():
            year_periods[i] = labels
        projected[members, :p] = result["projected"]

    # The ranges: every measure's errors give the shape, the measure's own the width.
    if pool is None:
        found = [result["errors"][np.isfinite(result["errors"])] for _, result in blocks]
        pool = ErrorPool.of(np.concatenate(found) if found else np.zeros(0))
    typical_size = np.full(count, np.nan)
    for block, result in blocks:
        typical_size[block.members] = _typical_size(result["errors"])
    width = pool.width(typical_size, own_years)
    with np.errstate(divide="ignore", invalid="ignore"):
        on_target = (target - outturn) / (spread * width)  # the error landing on the target
    low_z = np.full(count, np.nan)
    high_z = np.full(count, np.nan)
    chance = np.full(count, np.nan)
    size = len(pool)
    if size >= MIN_POOL_ERRORS:
        low_q, high_q = _quantiles(pool.errors[None, :], np.array([size]))
        low_z, high_z = width * low_q[0], width * high_q[0]
        above = size - np.searchsorted(pool.errors, on_target, side="left")
        below = np.searchsorted(pool.errors, on_target, side="right")
        chance = np.where(read.sign > 0, above, below) / size
    has_range = np.isfinite(low_z) & np.isfinite(outturn) & np.isfinite(spread)
    has_range &= periods_used >= periods_needed
    low = np.where(has_range, outturn + spread * low_z, np.nan)
    high = np.where(has_range, outturn + spread * high_z, np.nan)
    exact = has_range & (spread == 0)  # a flat history: nothing can vary
    chance = np.where(exact, (read.sign * (outturn - target) >= 0).astype(float), chance)
    chance = np.where(has_range & np.isfinite(target) & (read.sign != 0), chance, np.nan)
    errors_used = np.where(has_range, size, 0)
    own_years = np.where(has_range, own_years, 0)
    outlook = np.where(
        chance >= LIKELY_CHANCE - TIE,
        Outlook.likely.value,
        np.where(chance <= UNLIKELY_CHANCE + TIE, Outlook.unlikely.value, Outlook.at_risk.value),
    ).astype(object)
    outlook[~has_range] = Outlook.too_early.value

    # The band on the chart, and the years already complete.
    with np.errstate(divide="ignore", invalid="ignore"):
        band_low = projected + ((low - outturn) / share)[:, None]
        band_high = projected + ((high - outturn) / share)[:, None]
    for block, result in blocks:
        done = np.flatnonzero(result["complete"])
        quick, value, goal, met = _complete_years_quickly(block, done, read)
        members = block.members[done[quick]]
        outturn[members], target[members] = value, goal
        low[members] = high[members] = value
        chance[members] = np.where(np.isfinite(goal), met.astype(float), np.nan)
        outlook[members] = np.where(met, Outlook.met.value, Outlook.missed.value)
        for j in done[~quick].tolist():
            i = int(block.members[j])
            year_end = _complete_year(block, j, read.ytd[i], read.polarity[i], read.decimals[i])
            outturn[i], target[i], word, chance[i] = year_end
            low[i] = high[i] = outturn[i]
            outlook[i] = word.value
    outlook[np.isnan(target)] = Outlook.no_target.value
    outlook[read.sign == 0] = Outlook.not_applicable.value
    chance[read.sign == 0] = np.nan  # no way is better: nothing to meet

    widths = periods_in_year
    table = pd.DataFrame(
        {
            "measure_id": measures["id"].to_numpy(),
            "year": year_label,
            "period": period_label,
            "ytd_method": [v.value for v in read.ytd],
            "polarity": [v.value for v in read.polarity],
            "method": _object_column([_METHOD_WORD[int(v)] for v in method]),
            "outturn": outturn,
            "low": low,
            "high": high,
            "target": target,
            "chance": chance,
            "outlook": outlook,
            "periods_used": periods_used,
            "periods_in_year": periods_in_year,
            "periods_needed": periods_needed,
            "own_years": own_years,
            "errors_used": errors_used,
            "decimals": pd.array(read.decimals, dtype="Int64"),
            "year_periods": _object_column(year_periods),
            "projected": _object_column(
                [tuple(row[:w]) for row, w in zip(projected.tolist(), widths, strict=True)]
            ),
            "projected_low": _object_column(
                [tuple(row[:w]) for row, w in zip(band_low.tolist(), widths, strict=True)]
            ),
            "projected_high": _object_column(
                [tuple(row[:w]) for row, w in zip(band_high.tolist(), widths, strict=True)]
            ),
        },
        columns=list(FORECAST_COLUMNS),
    )
    return ForecastBatch(table=table, pool=pool)


# One measure ---


def forecast(
    figures: Iterable[PeriodFigures],
    *,
    ytd_method: YtdMethod | str,
    polarity: Polarity | str,
    as_at: Period,
    rebase_at: Iterable[Period] = (),
    decimals: int | None = None,
    min_months: int = MIN_MONTHS_INTO_YEAR,
    pool: ErrorPool | None = None,
) -> Forecast:
    """The year-end forecast of one measure from its figures up to `as_at`.

    `figures` are the measure's periods (any years; those after `as_at` are ignored),
    `as_at` the period reached, of the measure's frequency; `rebase_at` its rebase
    points. The answer is the one `forecast_many` gives for this measure when it is
    given the same `pool` (the default pools this measure's errors alone).
    """
    if not isinstance(as_at, Period):
        raise CoreError(f"A forecast needs the Period reached, not {as_at!r}.")
    rows: list[Mapping[str, object]] = []
    goals: list[Mapping[str, object]] = []
    for item in figures:
        period = item.period
        if not isinstance(period, Period):
            raise CoreError(f"Each figure needs a Period, not {period!r}.")
        if (
            period.frequency is not as_at.frequency
            or period.year_start_month != as_at.year_start_month
        ):
            raise CoreError(
                f"{period.label} is a {period.frequency} period, but the forecast is of "
                f"{as_at.frequency} periods to {as_at.label}."
            )
        rows.append(
            {
                "measure_id": 0,
                "period": period.label,
                "value": _number(item.value),
                "numerator": _number(item.numerator),
                "denominator": _number(item.denominator),
            }
        )
        if not is_missing(item.target):
            goals.append({"measure_id": 0, "period": period.label, "value": _number(item.target)})
    measures = pd.DataFrame(
        {
            "id": [0],
            "frequency": [as_at.frequency.value],
            "polarity": [_polarity(polarity).value],
            "ytd_method": [_ytd_method(ytd_method).value],
            "decimals": pd.array([decimals], dtype="Int64"),
        }
    )
    columns = ["measure_id", "period", "value", "numerator", "denominator"]
    batch = forecast_many(
        measures,
        pd.DataFrame(rows, columns=columns),
        pd.DataFrame(goals, columns=["measure_id", "period", "value"]),
        pd.DataFrame(
            {"measure_id": 0, "period": [period.label for period in rebase_at]},
            columns=["measure_id", "period"],
        ),
        as_at=as_at,
        year_start_month=as_at.year_start_month,
        min_months=min_months,
        pool=pool,
    )
    return batch.forecast(0)


def _number(value: Number | None) -> float:
    return math.nan if is_missing(value) else float(value)  # type: ignore[arg-type]
