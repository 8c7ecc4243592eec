"""The shift rule: a run of points on one side of the mean."""

from __future__ import annotations

import numpy as np

from core.spc import xmr
from core.spc.shift import shift


def _flags(side: list[int], starts: list[bool] | None = None, length: int = 7) -> list[int]:
    first = np.array(starts) if starts else np.arange(len(side)) == 0
    return shift(np.array(side, dtype=np.int8), first, length).astype(int).tolist()


def test_seven_points_above_the_mean_are_all_flagged() -> None:
    assert _flags([-1] + [1] * 7) == [0] + [1] * 7


def test_seven_points_below_the_mean_are_all_flagged() -> None:
    assert _flags([-1] * 7 + [1]) == [1] * 7 + [0]


def test_six_points_on_one_side_are_not_a_shift() -> None:
    assert _flags([1] * 6 + [-1] + [1] * 6) == [0] * 13


def test_a_point_on_the_mean_breaks_the_run() -> None:
    assert _flags([1] * 3 + [0] + [1] * 4) == [0] * 8


def test_a_run_does_not_continue_across_a_rebase() -> None:
    starts = [True] + [False] * 3 + [True] + [False] * 3
    assert _flags([1] * 8, starts) == [0] * 8
    assert _flags([1] * 8, starts, length=4) == [1] * 8


def test_the_shift_length_can_be_changed() -> None:
    assert _flags([1, 1, 1, -1, -1], length=3) == [1, 1, 1, 0, 0]


def test_a_shift_through_xmr_flags_the_run_with_its_side() -> None:
    # mean 21/9 = 2.33; the last four points (4, 3, 3, 3) are above it; ranges
    # 4,4,4,4,4,1,0,0 -> 2.625, upl 9.3, near upl 6.99: no other rule fires.
    points = xmr([0, 4, 0, 4, 0, 4, 3, 3, 3], shift_length=4).points
    assert points["special_cause_type"].tolist() == [None] * 5 + ["shift"] * 4
    assert points["point_type"].tolist() == ["common_cause"] * 5 + ["special_cause_improvement"] * 4
    assert xmr([0, 4, 0, 4, 0, 4, 3, 3, 3]).points["special_cause_type"].tolist() == [None] * 9
