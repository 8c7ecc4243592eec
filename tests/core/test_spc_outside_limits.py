"""The outside-limits rule, and closeness to the limits."""

from __future__ import annotations

import numpy as np

from core.spc import LIMIT_FACTOR, NEAR_LIMIT_FACTOR, xmr
from core.spc.outside_limits import close_to_limits, outside_limits


def test_only_points_strictly_beyond_a_limit_are_outside() -> None:
    y = np.array([0.99, 1.0, 3.0, 5.0, 5.01])
    flags = outside_limits(y, np.full(5, 1.0), np.full(5, 5.0))
    assert flags.tolist() == [True, False, False, False, True]


def test_points_beyond_a_near_limit_but_inside_the_limits_are_close() -> None:
    y = np.array([1.5, 2.0, 3.0, 4.0, 4.5, 6.0])
    outside = np.array([False, False, False, False, False, True])
    flags = close_to_limits(y, np.full(6, 2.0), np.full(6, 4.0), outside)
    assert flags.tolist() == [True, False, False, False, True, False]


def test_a_point_exactly_on_the_upper_limit_is_close_not_outside() -> None:
    # Fixed baseline 10,12 x 6: mean 11, mean moving range 2, so the limit is 11 + 2.66 * 2.
    upl = 11 + LIMIT_FACTOR * 2
    points = xmr([10, 12] * 6 + [upl, upl + 0.01], fix_after_n_points=12).points
    assert points["upl"].iloc[0] == upl
    assert points["outside_limits"].tolist()[-2:] == [False, True]
    assert points["close_to_limits"].tolist()[-2:] == [True, False]
    assert points["special_cause_type"].tolist()[-2:] == [None, "outside_limits"]


def test_a_point_exactly_on_a_near_limit_is_not_close() -> None:
    near = 11 + NEAR_LIMIT_FACTOR * 2
    points = xmr([10, 12] * 6 + [near], fix_after_n_points=12).points
    assert not points["close_to_limits"].iloc[-1]


def test_points_outside_the_limits_are_special_causes_on_their_side() -> None:
    # 0..7: mean 3.5, ranges all 1, limits 0.84 and 6.16: 0 below, 7 above.
    points = xmr([0, 1, 2, 3, 4, 5, 6, 7]).points
    assert points["outside_limits"].tolist() == [True] + [False] * 6 + [True]
    assert points["point_type"].iloc[0] == "special_cause_concern"
    assert points["point_type"].iloc[-1] == "special_cause_improvement"
