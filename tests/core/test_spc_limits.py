"""Mean, moving ranges and process limits: screening, fixed baseline, rebase, edge cases.

Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import CoreError
from core.spc import LIMIT_FACTOR, NEAR_LIMIT_FACTOR, xmr
from core.spc.limits import group_limits


def test_limits_are_the_mean_plus_and_minus_2_66_mean_moving_ranges() -> None:
    # mean 11; moving ranges all 2, so the mean moving range is 2;
    # limits 11 +/- 2.66 * 2 = 5.68 and 16.32; near limits 11 +/- 1.7733... * 2.
    points = xmr([10, 12, 10, 12, 10, 12]).points
    assert points["mean"].tolist() == pytest.approx([11.0] * 6)
    assert points["lpl"].tolist() == pytest.approx([5.68] * 6)
    assert points["upl"].tolist() == pytest.approx([16.32] * 6)
    assert points["near_lpl"].tolist() == pytest.approx([11 - 2 * 2.66 * 2 / 3] * 6)
    assert points["near_upl"].tolist() == pytest.approx([11 + 2 * 2.66 * 2 / 3] * 6)


def test_the_factors_are_the_making_data_count_ones() -> None:
    assert LIMIT_FACTOR == 2.66
    assert NEAR_LIMIT_FACTOR == pytest.approx(2 / 3 * 2.66)


def test_screening_drops_moving_ranges_of_3_267_mean_moving_ranges_or_more() -> None:
    # sum 128 over 10 points: mean 12.8. Moving ranges 2,2,2,2,20,20,2,2,2: mean 54/9 = 6;
    # 3.267 * 6 = 19.602, so both 20s go; the rest average 2: limits 12.8 +/- 5.32.
    values = [10, 12, 10, 12, 10, 30, 10, 12, 10, 12]
    points = xmr(values).points
    assert points["mean"].iloc[0] == pytest.approx(12.8)
    assert points["lpl"].iloc[0] == pytest.approx(7.48)
    assert points["upl"].iloc[0] == pytest.approx(18.12)
    assert points["outside_limits"].tolist() == [False] * 5 + [True] + [False] * 4


def test_without_screening_every_moving_range_counts_as_in_the_nhs_excel_tool() -> None:
    # Mean moving range 6: limits 12.8 +/- 15.96.
    values = [10, 12, 10, 12, 10, 30, 10, 12, 10, 12]
    points = xmr(values, screen_outliers=False).points
    assert points["lpl"].iloc[0] == pytest.approx(-3.16)
    assert points["upl"].iloc[0] == pytest.approx(28.76)
    assert points["outside_limits"].tolist() == [False] * 5 + [True] + [False] * 4


def test_limits_are_not_floored_at_zero() -> None:
    assert xmr([0, 2, 0, 2]).points["lpl"].iloc[0] == pytest.approx(1 - 5.32)


def test_a_fixed_baseline_uses_only_the_first_n_points_of_the_group() -> None:
    # Baseline 10,12 x 6: mean 11, moving range 2 -> limits 5.68 / 16.32 for every point;
    # the later 20s (and the jump from 12 to 20) take no part.
    values = [10, 12] * 6 + [20] * 12
    points = xmr(values, fix_after_n_points=12).points
    assert points["mean"].tolist() == pytest.approx([11.0] * 24)
    assert points["upl"].tolist() == pytest.approx([16.32] * 24)
    assert points["outside_limits"].tolist() == [False] * 12 + [True] * 12


def test_without_a_fixed_baseline_every_point_counts() -> None:
    # mean (132 + 240) / 24 = 15.5; ranges 2 x 11, 8, 0 x 11: mean 30/23 = 1.304...;
    # 8 >= 3.267 * 1.304 = 4.26 is screened: 22/22 = 1, limits 15.5 +/- 2.66.
    points = xmr([10, 12] * 6 + [20] * 12).points
    assert points["mean"].iloc[0] == pytest.approx(15.5)
    assert points["lpl"].iloc[0] == pytest.approx(12.84)
    assert points["upl"].iloc[0] == pytest.approx(18.16)


@pytest.mark.parametrize("n", [0, 1, 11, 12.5, True])
def test_a_baseline_of_fewer_than_twelve_points_is_refused(n: object) -> None:
    with pytest.raises(CoreError, match="fix_after_n_points must be a whole number of at least 12"):
        xmr([1, 2, 3], fix_after_n_points=n)  # type: ignore[arg-type]


def test_a_rebase_starts_a_new_group_with_its_own_mean_and_limits() -> None:
    # Group 0: 10,12 x 4, mean 11, range 2. Group 1: 20,22 x 4, mean 21, range 2.
    # The jump from 12 to 20 belongs to neither group.
    result = xmr([10, 12] * 4 + [20, 22] * 4, rebase_at=[8])
    points = result.points
    assert points["rebase_group"].tolist() == [0] * 8 + [1] * 8
    assert points["mean"].tolist() == pytest.approx([11.0] * 8 + [21.0] * 8)
    assert points["lpl"].tolist() == pytest.approx([5.68] * 8 + [15.68] * 8)
    assert points["upl"].tolist() == pytest.approx([16.32] * 8 + [26.32] * 8)
    assert points["point_type"].tolist() == ["common_cause"] * 16


def test_a_fixed_baseline_restarts_in_each_rebase_group() -> None:
    values = [10, 12] * 6 + [20] * 3 + [30, 32] * 6 + [90] * 2
    points = xmr(values, rebase_at=[15], fix_after_n_points=12).points
    assert points["mean"].tolist() == pytest.approx([11.0] * 15 + [31.0] * 14)
    assert points["upl"].iloc[-1] == pytest.approx(36.32)


def test_a_rebase_at_the_first_point_changes_nothing() -> None:
    values = [10, 12, 10, 12, 10, 12]
    assert xmr(values, rebase_at=[0]).points.equals(xmr(values).points)


@pytest.mark.parametrize("position", [-1, 6, 2.0])
def test_a_rebase_position_outside_the_series_is_refused(position: object) -> None:
    with pytest.raises(CoreError, match="rebase positions must be whole numbers from 0 to 5"):
        xmr([10, 12, 10, 12, 10, 12], rebase_at=[position])  # type: ignore[list-item]


def test_a_flat_series_has_its_limits_on_the_mean_and_only_common_cause() -> None:
    result = xmr([5, 5, 5, 5, 5, 5, 5, 5])
    assert result.points["lpl"].tolist() == [5.0] * 8
    assert result.points["upl"].tolist() == [5.0] * 8
    assert result.points["relative_to_mean"].tolist() == [0] * 8
    assert result.points["point_type"].tolist() == ["common_cause"] * 8


def test_a_rebase_group_of_one_point_has_no_limits_and_no_point_type() -> None:
    result = xmr([10, 12, 10, 12, 10, 12, 30], rebase_at=[6])
    last = result.points.iloc[-1]
    assert last["mean"] == 30.0
    assert np.isnan(last["lpl"]) and np.isnan(last["upl"])
    assert last["point_type"] is None and last["special_cause_type"] is None
    assert result.variation is None
    assert result.assurance is None


def test_group_limits_work_on_many_groups_at_once() -> None:
    y = np.array([10.0, 12, 10, 12, 1, 2, 1, 2, 1])
    starts = np.array([True, False, False, False, True, False, False, False, False])
    limits = group_limits(y, starts)
    assert limits.mean.tolist() == pytest.approx([11.0, 1.4])
    assert limits.mean_moving_range.tolist() == pytest.approx([2.0, 1.0])
    assert limits.n_points.tolist() == [4, 5]
