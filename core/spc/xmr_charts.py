"""XmR charts for one series (`xmr`) or many at once (`xmr_many`).

Both run the same array engine: rows sorted by series (input order within a series is
time order), split into rebase groups, missing values dropped for the arithmetic and
the rules, then put back as rows with the group's limits and no point type.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from core.errors import CoreError
from core.spc._arrays import BoolArray, FloatArray, IntArray, SignArray
from core.spc.assurance import ASSURANCE_ORDER, assurance_codes
from core.spc.constants import (
    MIN_FIX_AFTER_N_POINTS,
    MIN_POINTS_WARNING,
    MIN_RUN_LENGTH,
    SHIFT_LENGTH,
    TREND_LENGTH,
)
from core.spc.limits import group_limits, relative_to_mean
from core.spc.outside_limits import close_to_limits, outside_limits
from core.spc.point_type import (
    DIRECTION_SIGN,
    NO_RULE,
    POINT_TYPE_ORDER,
    RULE_ORDER,
    point_type_codes,
    special_cause,
)
from core.spc.shift import shift
from core.spc.trend import trend
from core.spc.two_in_three import two_in_three
from core.vocab import Assurance, ImprovementDirection, PointType

__all__ = ["POINT_COLUMNS", "SUMMARY_COLUMNS", "SpcBatch", "SpcResult", "xmr", "xmr_many"]

Values: TypeAlias = Sequence[float | None] | npt.ArrayLike

#: The columns of `SpcResult.points`, in order (`SpcBatch.points` adds the series first).
POINT_COLUMNS: Final = (
    "y",
    "rebase_group",
    "mean",
    "lpl",
    "upl",
    "near_lpl",
    "near_upl",
    "outside_limits",
    "close_to_limits",
    "relative_to_mean",
    "special_cause_type",
    "point_type",
    "target",
)
#: The columns of `SpcBatch.summary`, indexed by series.
SUMMARY_COLUMNS: Final = (
    "improvement_direction",
    "points",
    "variation",
    "assurance",
    "short_group_warning",
    "mean",
    "lpl",
    "upl",
    "target",
)

_RULE_TABLE: Final = np.array([*RULE_ORDER, None], dtype=object)
_POINT_TYPE_TABLE: Final = np.array([*POINT_TYPE_ORDER, None], dtype=object)
_ASSURANCE_TABLE: Final = np.array([*ASSURANCE_ORDER, None], dtype=object)
_NO_POINT_TYPE: Final = len(POINT_TYPE_ORDER)
_DIRECTIONS: Final = tuple(ImprovementDirection)
_DIRECTION_WORDS: Final = frozenset(_DIRECTIONS)
_DIRECTION_BY_SIGN: Final = np.array(
    [ImprovementDirection.decrease, ImprovementDirection.neutral, ImprovementDirection.increase],
    dtype=object,
)


@dataclass(frozen=True, eq=False)
class SpcResult:
    """One series' XmR chart.

    `points` has one row per input value, in input order, with the columns
    `POINT_COLUMNS`: `y` (float, NaN if missing), `rebase_group` (int, 0 first),
    `mean`, `lpl`, `upl`, `near_lpl`, `near_upl` (float, the point's group's values),
    `outside_limits`, `close_to_limits` (bool), `relative_to_mean` (int: 1, -1, 0),
    `special_cause_type` (`SpecialCause` or None), `point_type` (`PointType` or None)
    and `target` (float, NaN if none).
    """

    points: pd.DataFrame
    #: The type of the last non-missing point: the variation icon.
    variation: PointType | None
    #: From the latest rebase group and the target in force at the last point.
    assurance: Assurance | None
    #: True if any rebase group has fewer than `MIN_POINTS_WARNING` points.
    short_group_warning: bool
    improvement_direction: ImprovementDirection


@dataclass(frozen=True, eq=False)
class SpcBatch:
    """Many series' XmR charts: `points` per row, `summary` per series."""

    #: The input rows in input order and with the input index: the series column, then
    #: the columns of `SpcResult.points`.
    points: pd.DataFrame
    #: One row per series, in order of first appearance, indexed by series, with the
    #: columns `SUMMARY_COLUMNS`. `points` counts the non-missing values; `mean`,
    #: `lpl`, `upl` are the latest rebase group's; `target` is the one assurance used.
    summary: pd.DataFrame
    series: str

    def result(self, name: Hashable) -> SpcResult:
        """The `SpcResult` of one series, as `xmr` would give it."""
        if name not in self.summary.index:
            raise CoreError(f"there is no series {name!r}")
        row = self.summary.loc[[name]].iloc[0]
        points = self.points.loc[self.points[self.series] == name, list(POINT_COLUMNS)]
        return SpcResult(
            points=points.reset_index(drop=True),
            variation=row["variation"],
            assurance=row["assurance"],
            short_group_warning=bool(row["short_group_warning"]),
            improvement_direction=row["improvement_direction"],
        )


@dataclass(frozen=True)
class _Options:
    fix_after_n_points: int | None
    screen_outliers: bool
    shift_length: int
    trend_length: int


def _options(
    fix_after_n_points: int | None, screen_outliers: bool, shift_length: int, trend_length: int
) -> _Options:
    def is_int(value: object) -> bool:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)

    if fix_after_n_points is not None and not (
        is_int(fix_after_n_points) and fix_after_n_points >= MIN_FIX_AFTER_N_POINTS
    ):
        raise CoreError(
            f"fix_after_n_points must be a whole number of at least {MIN_FIX_AFTER_N_POINTS}"
        )
    for name, length in (("shift_length", shift_length), ("trend_length", trend_length)):
        if not (is_int(length) and length >= MIN_RUN_LENGTH):
            raise CoreError(f"{name} must be a whole number of at least {MIN_RUN_LENGTH}")
    return _Options(
        fix_after_n_points=None if fix_after_n_points is None else int(fix_after_n_points),
        screen_outliers=bool(screen_outliers),
        shift_length=int(shift_length),
        trend_length=int(trend_length),
    )


def _direction(value: object) -> ImprovementDirection:
    if isinstance(value, str) and value in _DIRECTION_WORDS:
        return ImprovementDirection(value)
    words = ", ".join(_DIRECTIONS)
    raise CoreError(f"improvement_direction must be one of {words}, not {value!r}")


def _floats(values: object, what: str) -> FloatArray:
    """Values as floats, missing (None, NaN, NA) as NaN; anything else is an error."""
    try:
        if isinstance(values, np.ndarray):
            array = values.astype(np.float64)
        elif isinstance(values, pd.Series):
            array = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            array = pd.Series(values, dtype=object).to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        raise CoreError(f"{what} must be numbers (or missing)") from None
    if array.ndim != 1:
        raise CoreError(f"{what} must be a flat sequence of numbers")
    if np.isinf(array).any():
        raise CoreError(f"{what} must be finite numbers (or missing)")
    result: FloatArray = array
    return result


@dataclass(frozen=True)
class _Computed:
    rows: dict[str, npt.NDArray[Any]]
    points: IntArray  # non-missing values per series
    variation: npt.NDArray[np.int8]
    assurance: npt.NDArray[np.int8]
    short_group_warning: BoolArray
    mean: FloatArray
    lpl: FloatArray
    upl: FloatArray
    target: FloatArray


def _compute(
    y: FloatArray,
    series_first: BoolArray,
    rebase: BoolArray,
    improvement_sign: SignArray,
    target: FloatArray,
    options: _Options,
) -> _Computed:
    """The engine: rows sorted by series; `series_first` marks each series' first row.

    `improvement_sign` has one value per series; `target` one per row.
    """
    n = len(y)
    index = np.arange(n)
    series = np.cumsum(series_first) - 1
    series_start = np.flatnonzero(series_first)
    row_group = np.cumsum(series_first | rebase) - 1
    n_groups = int(row_group[-1]) + 1

    valid = ~np.isnan(y)
    y_valid = y[valid]
    group_valid = row_group[valid]
    starts = np.ones(len(y_valid), dtype=bool)
    starts[1:] = group_valid[1:] != group_valid[:-1]
    limits = group_limits(
        y_valid,
        starts,
        fix_after_n_points=options.fix_after_n_points,
        screen_outliers=options.screen_outliers,
    )
    groups_with_points = group_valid[starts]

    def per_row(per_group: FloatArray) -> FloatArray:
        spread = np.full(n_groups, np.nan)
        spread[groups_with_points] = per_group
        result: FloatArray = spread[row_group]
        return result

    mean, lpl, upl = per_row(limits.mean), per_row(limits.lpl), per_row(limits.upl)
    near_lpl, near_upl = per_row(limits.near_lpl), per_row(limits.near_upl)

    outside = outside_limits(y_valid, lpl[valid], upl[valid])
    close = close_to_limits(y_valid, near_lpl[valid], near_upl[valid], outside)
    side = relative_to_mean(y_valid, mean[valid])
    in_trend, trend_direction = trend(y_valid, starts, options.trend_length)
    rule, direction = special_cause(
        outside=outside,
        relative_to_mean=side,
        in_trend=in_trend,
        trend_direction=trend_direction,
        in_two_in_three=two_in_three(close, side, starts),
        in_shift=shift(side, starts, options.shift_length),
    )
    codes = point_type_codes(direction, improvement_sign[series[valid]])
    has_limits = ~np.isnan(lpl[valid])
    codes = np.where(has_limits, codes, _NO_POINT_TYPE).astype(np.int8)
    rule = np.where(has_limits, rule, NO_RULE).astype(np.int8)

    outside_rows = np.zeros(n, dtype=bool)
    outside_rows[valid] = outside
    close_rows = np.zeros(n, dtype=bool)
    close_rows[valid] = close
    side_rows = np.zeros(n, dtype=np.int8)
    side_rows[valid] = side
    rule_rows = np.full(n, NO_RULE, dtype=np.int8)
    rule_rows[valid] = rule
    code_rows = np.full(n, _NO_POINT_TYPE, dtype=np.int8)
    code_rows[valid] = codes

    last = np.maximum.reduceat(np.where(valid, index, -1), series_start)
    has_last = last >= 0
    last_or_0 = np.where(has_last, last, 0)
    variation = np.where(has_last, code_rows[last_or_0], _NO_POINT_TYPE).astype(np.int8)

    short = limits.n_points < MIN_POINTS_WARNING
    series_of_group = series[valid][starts]
    n_series = len(series_start)
    short_series = np.bincount(series_of_group, weights=short, minlength=n_series) > 0
    short_series |= ~has_last

    # The target in force at the latest point: the last one given at or before it.
    known = ~np.isnan(target) & (index <= last[series])
    target_at = np.maximum.reduceat(np.where(known, index, -1), series_start)
    series_target = np.where(target_at >= 0, target[np.maximum(target_at, 0)], np.nan)
    series_lpl = np.where(has_last, lpl[last_or_0], np.nan)
    series_upl = np.where(has_last, upl[last_or_0], np.nan)

    return _Computed(
        rows={
            "y": y,
            "rebase_group": row_group - row_group[series_start][series],
            "mean": mean,
            "lpl": lpl,
            "upl": upl,
            "near_lpl": near_lpl,
            "near_upl": near_upl,
            "outside_limits": outside_rows,
            "close_to_limits": close_rows,
            "relative_to_mean": side_rows,
            "special_cause_type": rule_rows,
            "point_type": code_rows,
            "target": target,
        },
        points=np.add.reduceat(valid.astype(np.int64), series_start),
        variation=variation,
        assurance=assurance_codes(series_lpl, series_upl, series_target, improvement_sign),
        short_group_warning=short_series,
        mean=np.where(has_last, mean[last_or_0], np.nan),
        lpl=series_lpl,
        upl=series_upl,
        target=series_target,
    )


def _points_frame(
    rows: dict[str, npt.NDArray[Any]], order: IntArray | None, index: pd.Index | None
) -> pd.DataFrame:
    columns: dict[str, npt.NDArray[Any]] = {}
    for name in POINT_COLUMNS:
        column = rows[name]
        if order is not None:
            column = column[order]
        if name == "special_cause_type":
            column = _RULE_TABLE[column]
        elif name == "point_type":
            column = _POINT_TYPE_TABLE[column]
        columns[name] = column
    return _frame(columns, index)


def _frame(columns: dict[str, npt.NDArray[Any]], index: pd.Index | None) -> pd.DataFrame:
    """A frame that keeps object columns (enum members and None) as they are.

    pandas would otherwise infer its str dtype and turn None into NaN.
    """
    plain = {name: values for name, values in columns.items() if values.dtype != object}
    frame = pd.DataFrame(plain, index=index, copy=False)
    for position, (name, values) in enumerate(columns.items()):
        if values.dtype == object:
            column = pd.Series(values, index=frame.index, dtype=object, copy=False)
            frame.insert(position, name, column)
    return frame


def xmr(
    values: Values,
    *,
    improvement_direction: ImprovementDirection | str = ImprovementDirection.increase,
    target: float | Values | None = None,
    rebase_at: Sequence[int] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    shift_length: int = SHIFT_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> SpcResult:
    """An XmR chart of one series, by NHS England's *Making Data Count* method.

    `values` are in time order; None or NaN marks a missing value, which keeps its row
    but takes no part in the limits or the rules. `target` is one number or one per
    value (a trajectory). `rebase_at` holds 0-based positions that start a new rebase
    group. `fix_after_n_points` (12 or more) limits the calculation to each group's
    first N non-missing points.

    >>> result = xmr([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    >>> round(float(result.points["upl"].iloc[0]), 2), result.variation.value
    (4.6, 'common_cause')
    >>> result.points["point_type"].iloc[4].value
    'special_cause_improvement'
    >>> result.short_group_warning
    False
    >>> xmr([1, 2, 3, 4, 5, 6, 7], target=9).assurance.value
    'consistent_fail'
    """
    direction = _direction(improvement_direction)
    options = _options(fix_after_n_points, screen_outliers, shift_length, trend_length)
    y = _floats(values, "values")
    n = len(y)
    if int((~np.isnan(y)).sum()) < 2:
        raise CoreError("xmr requires at least two points")

    rebase = np.zeros(n, dtype=bool)
    for position in rebase_at:
        if not isinstance(position, int | np.integer) or not 0 <= position < n:
            raise CoreError(f"rebase positions must be whole numbers from 0 to {n - 1}")
        rebase[position] = True

    if target is None:
        targets = np.full(n, np.nan)
    elif isinstance(target, Real) and not isinstance(target, bool):
        if math.isinf(float(target)):
            raise CoreError("target must be a finite number")
        targets = np.full(n, float(target))
    else:
        targets = _floats(target, "target")
        if len(targets) != n:
            raise CoreError(f"a target per point needs {n} values, one per value")

    series_first = np.zeros(n, dtype=bool)
    series_first[0] = True
    sign = np.array([DIRECTION_SIGN[direction]], dtype=np.int8)
    computed = _compute(y, series_first, rebase, sign, targets, options)
    return SpcResult(
        points=_points_frame(computed.rows, None, None),
        variation=_POINT_TYPE_TABLE[computed.variation[0]],
        assurance=_ASSURANCE_TABLE[computed.assurance[0]],
        short_group_warning=bool(computed.short_group_warning[0]),
        improvement_direction=direction,
    )


def _column(frame: pd.DataFrame, name: str, what: str) -> pd.Series[Any]:
    if name not in frame.columns:
        raise CoreError(f"the {what} column {name!r} is not in the frame")
    column: pd.Series[Any] = frame[name]
    return column


def xmr_many(
    frame: pd.DataFrame,
    *,
    series: str = "series",
    value: str = "y",
    improvement_direction: ImprovementDirection | str = ImprovementDirection.increase,
    target: float | str | None = None,
    rebase: str | None = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    shift_length: int = SHIFT_LENGTH,
    trend_length: int = TREND_LENGTH,
) -> SpcBatch:
    """XmR charts of many series at once, one per value of the `series` column.

    Rows of a series are in time order in `frame` (series may be interleaved).
    `improvement_direction` is one direction for all, or the name of a column holding a
    direction constant within each series (a column of that name wins over the word);
    `target` is one number for all, or the name of a column (which may vary by row: a
    trajectory); `rebase` names a boolean column marking rows that start a new rebase
    group. Other options as `xmr`.

    Unlike `xmr`, a series with fewer than two values does not raise: its rows get no
    limits and no point type, and its summary no variation.

    >>> frame = pd.DataFrame({"series": ["a"] * 8 + ["b"] * 8,
    ...                       "y": [0, 1, 2, 3, 4, 5, 6, 7] + [5, 4, 5, 4, 5, 4, 5, 4]})
    >>> batch = xmr_many(frame, target=6.5)
    >>> batch.summary[["variation", "assurance"]].map(str)  # doctest: +NORMALIZE_WHITESPACE
                            variation        assurance
    series
    a       special_cause_improvement  consistent_fail
    b                    common_cause     inconsistent
    """
    options = _options(fix_after_n_points, screen_outliers, shift_length, trend_length)
    if series in POINT_COLUMNS:
        raise CoreError(f"the series column may not be called {series!r}")
    names = _column(frame, series, "series")
    y_rows = _floats(_column(frame, value, "value"), "values")
    n = len(frame)
    codes, uniques = pd.factorize(names, sort=False)
    if n and codes.min() < 0:
        raise CoreError("every row needs a series name")
    order: IntArray | None = None
    if n and bool(np.any(codes[1:] < codes[:-1])):
        order = np.argsort(codes, kind="stable")

    def sort(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return array if order is None else array[order]

    codes_sorted = sort(codes)
    series_first = np.ones(n, dtype=bool)
    series_first[1:] = codes_sorted[1:] != codes_sorted[:-1]
    series_start = np.flatnonzero(series_first)

    if isinstance(improvement_direction, str) and improvement_direction in frame.columns:
        word_codes, words = pd.factorize(frame[improvement_direction], sort=False)
        if n and word_codes.min() < 0:
            raise CoreError("every row needs an improvement direction")
        signs = np.array([DIRECTION_SIGN[_direction(word)] for word in words], dtype=np.int8)
        row_sign = sort(signs[word_codes]) if n else np.zeros(0, dtype=np.int8)
        series_sign = row_sign[series_start]
        if bool(np.any(row_sign != np.repeat(series_sign, np.diff([*series_start, n])))):
            raise CoreError("the improvement direction must be the same for every row of a series")
    else:
        series_sign = np.full(len(series_start), DIRECTION_SIGN[_direction(improvement_direction)])
    series_sign = series_sign.astype(np.int8)

    if target is None:
        targets = np.full(n, np.nan)
    elif isinstance(target, str):
        targets = sort(_floats(_column(frame, target, "target"), "target"))
    elif isinstance(target, Real) and not isinstance(target, bool) and math.isfinite(target):
        targets = np.full(n, float(target))
    else:
        raise CoreError("target must be a finite number or the name of a column")

    if rebase is None:
        rebase_rows = np.zeros(n, dtype=bool)
    else:
        flags = _column(frame, rebase, "rebase")
        rebase_rows = sort(flags.fillna(False).to_numpy(dtype=bool))

    series_index = pd.Index(uniques, name=series)
    if n == 0:
        kinds = {"rebase_group": np.int64, "outside_limits": bool, "close_to_limits": bool}
        kinds |= dict.fromkeys(("relative_to_mean", "special_cause_type", "point_type"), np.int8)
        rows = {c: np.zeros(0, dtype=kinds.get(c, np.float64)) for c in POINT_COLUMNS}
        empty = _points_frame(rows, None, frame.index)
        empty.insert(0, series, names.array)
        summary = pd.DataFrame({c: [] for c in SUMMARY_COLUMNS}, index=series_index)
        return SpcBatch(points=empty, summary=summary, series=series)

    computed = _compute(sort(y_rows), series_first, rebase_rows, series_sign, targets, options)
    inverse: IntArray | None = None
    if order is not None:
        inverse = np.empty(n, dtype=np.int64)
        inverse[order] = np.arange(n)
    points = _points_frame(computed.rows, inverse, frame.index)
    points.insert(0, series, names.array)
    summary = _frame(
        {
            "improvement_direction": _DIRECTION_BY_SIGN[series_sign + 1],
            "points": computed.points,
            "variation": _POINT_TYPE_TABLE[computed.variation],
            "assurance": _ASSURANCE_TABLE[computed.assurance],
            "short_group_warning": computed.short_group_warning,
            "mean": computed.mean,
            "lpl": computed.lpl,
            "upl": computed.upl,
            "target": computed.target,
        },
        series_index,
    )
    return SpcBatch(points=points, summary=summary, series=series)
