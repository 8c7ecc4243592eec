"""The trend rule: points each strictly above (or below) the one before."""

from __future__ import annotations

import numpy as np

from core.spc import xmr
from core.spc.trend import trend


def _trend(
    y: list[float], length: int = 7, starts: list[bool] | None = None
) -> tuple[list[int], list[int]]:
    first = np.array(starts) if starts else np.arange(len(y)) == 0
    member, direction = trend(np.array(y, dtype=float), first, length)
    return member.astype(int).tolist(), direction.tolist()


def test_seven_rising_points_are_all_flagged_as_rising() -> None:
    assert _trend([5, 1, 2, 3, 4, 5, 6, 7, 3]) == ([0, 1, 1, 1, 1, 1, 1, 1, 0], [0] + [1] * 7 + [0])


def test_seven_falling_points_are_all_flagged_as_falling() -> None:
    assert _trend([7, 6, 5, 4, 3, 2, 1]) == ([1] * 7, [-1] * 7)


def test_six_rising_points_are_not_a_trend() -> None:
    assert _trend([1, 2, 3, 4, 5, 6, 1]) == ([0] * 7, [0] * 7)


def test_a_tie_breaks_a_trend() -> None:
    # 1,2,3 then 3,4,5,6: neither run has seven points; with length 4 only the second counts.
    assert _trend([1, 2, 3, 3, 4, 5, 6]) == ([0] * 7, [0] * 7)
    assert _trend([1, 2, 3, 3, 4, 5, 6], length=4) == ([0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1])


def test_a_peak_shared_by_a_rise_and_a_fall_takes_the_later_direction() -> None:
    assert _trend([1, 2, 3, 4, 3, 2, 1], length=4) == ([1] * 7, [1, 1, 1, -1, -1, -1, -1])


def test_the_last_point_of_a_rise_stays_rising_when_a_new_rise_follows_a_drop() -> None:
    # NHSRplotthedots 0.2.2 labels the 7 before the drop "decreasing"; we do not.
    y = [1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]
    assert _trend(y) == ([1] * 14, [1] * 14)


def test_a_trend_does_not_continue_across_a_rebase() -> None:
    starts = [True, False, False, False, True, False, False, False]
    assert _trend([1, 2, 3, 4, 5, 6, 7, 8], length=5, starts=starts) == ([0] * 8, [0] * 8)


def test_a_trend_crossing_the_mean_takes_its_direction_from_the_differences() -> None:
    # Falling 13 -> 10 crosses the mean (11.225): the whole run is a falling trend, so an
    # improvement where lower is better, on both sides of the mean.
    values = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 13, 12.5, 12, 11.5, 11, 10.5, 10, 12, 10, 12]
    points = xmr(values, improvement_direction="decrease").points
    assert points["special_cause_type"].tolist() == [None] * 10 + ["trend"] * 7 + [None] * 3
    assert points["point_type"].tolist() == (
        ["common_cause"] * 10 + ["special_cause_improvement"] * 7 + ["common_cause"] * 3
    )


def test_the_trend_length_can_be_changed() -> None:
    assert _trend([3, 1, 2, 3], length=3) == ([0, 1, 1, 1], [0, 1, 1, 1])
