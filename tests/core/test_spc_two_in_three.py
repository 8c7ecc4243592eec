"""The two-in-three rule: two of three consecutive points close to a limit."""

from __future__ import annotations

import numpy as np

from core.spc import xmr
from core.spc.two_in_three import two_in_three


def _flags(close: list[int], side: list[int], starts: list[bool] | None = None) -> list[int]:
    first = np.array(starts) if starts else np.arange(len(close)) == 0
    flags = two_in_three(np.array(close, dtype=bool), np.array(side, dtype=np.int8), first)
    return flags.astype(int).tolist()


def test_two_close_points_of_three_on_one_side_are_flagged_but_not_the_third() -> None:
    assert _flags([1, 0, 1], [1, 1, 1]) == [1, 0, 1]


def test_two_adjacent_close_points_are_flagged() -> None:
    assert _flags([0, 0, 1, 1, 0, 0, 0], [1] * 7) == [0, 0, 1, 1, 0, 0, 0]


def test_close_points_three_apart_are_not_flagged() -> None:
    assert _flags([1, 0, 0, 1], [1, 1, 1, 1]) == [0, 0, 0, 0]


def test_a_window_with_a_point_on_the_other_side_of_the_mean_does_not_count() -> None:
    assert _flags([1, 0, 1], [1, -1, 1]) == [0, 0, 0]


def test_a_window_with_a_point_on_the_mean_does_not_count() -> None:
    assert _flags([1, 1, 0], [1, 1, 0]) == [0, 0, 0]
    assert _flags([1, 1, 0, 0], [1, 1, 1, 0]) == [1, 1, 0, 0]


def test_a_window_does_not_reach_across_a_rebase() -> None:
    assert _flags([1, 1, 0, 0], [1, 1, 1, 1], [True, False, True, False]) == [0, 0, 0, 0]


def test_two_in_three_through_xmr_flags_the_close_points_high() -> None:
    # 16 points 10,11,12,11 repeating then 13.5, 11.6, 13.5: the two 13.5s are close to the
    # upper limit with 11.6 between them above the mean.
    values = [10, 11, 12, 11] * 4 + [13.5, 11.6, 13.5, 11, 10, 11, 12]
    points = xmr(values).points
    flagged = points.index[points["special_cause_type"] == "two_in_three"].tolist()
    assert flagged == [16, 18]
    assert points["point_type"].iloc[16] == "special_cause_improvement"
    assert points["point_type"].iloc[17] == "common_cause"
