"""Mean, moving ranges and process limits per group, with outlier screening.

For each group (one rebase group of one series, missing values dropped), only the first
`fix_after_n_points` points, if given, feed the calculation:

- the mean of the points;
- moving ranges |y_i - y_(i-1)| between neighbouring points (none for the first point);
- the mean moving range; with screening (the default), moving ranges of
  `SCREENING_FACTOR` (3.267) mean moving ranges or more are dropped and the mean moving
  range recomputed, once. Without screening you get the NHS Excel tool's numbers;
- process limits at mean +/- `LIMIT_FACTOR` (2.66) mean moving ranges, near limits at
  mean +/- `NEAR_LIMIT_FACTOR` (2/3 of 2.66). Limits are not floored at zero.

A group of one point has no moving range, so its limits are NaN. Where every moving
range is zero (a flat series), screening would drop them all; we keep the mean moving
range at zero, so the limits sit on the mean (NHSRplotthedots gives NaN there).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core.spc._arrays import BoolArray, FloatArray, IntArray, SignArray, group_ids
from core.spc.constants import LIMIT_FACTOR, NEAR_LIMIT_FACTOR, SCREENING_FACTOR

__all__ = ["GroupLimits", "group_limits", "relative_to_mean"]


class GroupLimits(NamedTuple):
    """One value per group, in group order."""

    mean: FloatArray
    mean_moving_range: FloatArray
    lpl: FloatArray
    upl: FloatArray
    near_lpl: FloatArray
    near_upl: FloatArray
    n_points: IntArray


def _group_mean(values: FloatArray, keep: BoolArray, group: IntArray, n_groups: int) -> FloatArray:
    """Mean of the kept values per group (NaN for a group with none kept)."""
    count = np.bincount(group, weights=keep, minlength=n_groups)
    total = np.bincount(group, weights=np.where(keep, values, 0.0), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: FloatArray = total / count
    return mean


def group_limits(
    y: FloatArray,
    starts: BoolArray,
    *,
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
) -> GroupLimits:
    """Compute the mean and limits of every group of `y` (no missing values).

    `starts` is True at the first point of each group.

    >>> y = np.array([1.0, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    >>> limits = group_limits(y, np.arange(len(y)) == 0)
    >>> [round(float(v[0]), 2) for v in (limits.lpl, limits.mean, limits.upl)]
    [-0.72, 1.94, 4.6]
    >>> limits = group_limits(y, np.arange(len(y)) == 0, screen_outliers=False)
    >>> [round(float(v[0]), 2) for v in (limits.lpl, limits.mean, limits.upl)]
    [-3.06, 1.94, 6.95]
    """
    n = len(y)
    group = group_ids(starts)
    n_groups = int(group[-1]) + 1 if n else 0
    first = np.flatnonzero(starts)
    position = np.arange(n) - first[group]
    fixed = position < fix_after_n_points if fix_after_n_points is not None else np.ones(n, bool)

    mean = _group_mean(y, fixed, group, n_groups)
    # A second pass on the residuals, as R's mean() does, so the mean is as exact as theirs.
    mean += _group_mean(y - mean[group], fixed, group, n_groups)

    moving_range = np.zeros(n)
    moving_range[1:] = np.abs(y[1:] - y[:-1])
    has_range = (position >= 1) & fixed
    mean_moving_range = _group_mean(moving_range, has_range, group, n_groups)
    if screen_outliers:
        kept = has_range & (moving_range < SCREENING_FACTOR * mean_moving_range[group])
        screened = _group_mean(moving_range, kept, group, n_groups)
        # Only a flat group loses every moving range to screening; its mean range stays 0.
        mean_moving_range = np.where(np.isnan(screened), mean_moving_range, screened)

    width = LIMIT_FACTOR * mean_moving_range
    near = NEAR_LIMIT_FACTOR * mean_moving_range
    return GroupLimits(
        mean=mean,
        mean_moving_range=mean_moving_range,
        lpl=mean - width,
        upl=mean + width,
        near_lpl=mean - near,
        near_upl=mean + near,
        n_points=np.bincount(group, minlength=n_groups).astype(np.int64),
    )


def relative_to_mean(y: FloatArray, mean: FloatArray) -> SignArray:
    """+1 above the mean, -1 below, 0 exactly on it (or where there is no mean).

    >>> relative_to_mean(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])).tolist()
    [-1, 0, 1]
    """
    with np.errstate(invalid="ignore"):
        side = np.sign(y - mean)
    result: SignArray = np.nan_to_num(side, nan=0.0).astype(np.int8)
    return result
