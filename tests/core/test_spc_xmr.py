"""`xmr`: the shape of its result, missing values, short series and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.errors import CoreError
from core.spc import POINT_COLUMNS, SpecialCause, xmr
from core.vocab import ImprovementDirection


def test_the_result_has_one_row_per_value_with_the_documented_columns() -> None:
    result = xmr([10, 12, 10, 12])
    assert tuple(result.points.columns) == POINT_COLUMNS
    assert len(result.points) == 4
    assert result.improvement_direction is ImprovementDirection.increase
    dtypes = result.points.dtypes
    assert dtypes["outside_limits"] == np.dtype(bool)
    assert dtypes["close_to_limits"] == np.dtype(bool)
    assert dtypes["special_cause_type"] == np.dtype(object)
    assert dtypes["point_type"] == np.dtype(object)


def test_numpy_arrays_and_pandas_series_are_accepted() -> None:
    expected = xmr([10, 12, 10, 12]).points
    pd.testing.assert_frame_equal(xmr(np.array([10, 12, 10, 12])).points, expected)
    pd.testing.assert_frame_equal(
        xmr(pd.Series([10, 12, 10, 12], index=[5, 6, 7, 8])).points, expected
    )


def test_the_input_is_not_mutated() -> None:
    values = [10.0, None, 12.0, 10.0]
    array = np.array([10.0, np.nan, 12.0, 10.0])
    xmr(values)
    xmr(array)
    assert values == [10.0, None, 12.0, 10.0]
    assert np.array_equal(array, [10.0, np.nan, 12.0, 10.0], equal_nan=True)


def test_a_missing_value_keeps_its_row_with_the_group_limits_and_no_point_type() -> None:
    # The missing value is dropped: 10,12,10,12,10,12 gives mean 11 and moving ranges
    # of 2, the range from the 12 before the gap to the 10 after it included.
    points = xmr([10, 12, None, 10, 12, 10, 12]).points
    gap = points.iloc[2]
    assert math.isnan(gap["y"])
    assert gap["mean"] == pytest.approx(11)
    assert gap["upl"] == pytest.approx(16.32)
    assert gap["point_type"] is None and gap["special_cause_type"] is None
    assert not gap["outside_limits"] and not gap["close_to_limits"]
    assert gap["relative_to_mean"] == 0
    assert points["point_type"].tolist().count("common_cause") == 6


def test_nan_and_pandas_na_are_missing_too() -> None:
    with_none = xmr([10, 12, None, 10, 12]).points
    pd.testing.assert_frame_equal(xmr([10, 12, math.nan, 10, 12]).points, with_none)
    nullable = pd.Series([10, 12, None, 10, 12], dtype="Float64")
    pd.testing.assert_frame_equal(xmr(nullable).points, with_none)


def test_a_run_continues_over_a_missing_value() -> None:
    # As the shift example without the gap: 0,4,0,4,0,4 then 3,3,3 above the mean 2.33.
    points = xmr([0, 4, 0, 4, 0, 4, 3, None, 3, 3], shift_length=4).points
    assert (
        points["special_cause_type"].tolist() == [None] * 5 + ["shift"] * 2 + [None] + ["shift"] * 2
    )


def test_the_variation_icon_skips_trailing_missing_values() -> None:
    assert xmr([0, 1, 2, 3, 4, 5, 6, 7, None, None]).variation == "special_cause_improvement"


def test_a_fixed_baseline_counts_only_values_not_missing_ones() -> None:
    values = [10, 12, None] + [10, 12] * 5 + [40]
    points = xmr(values, fix_after_n_points=12).points
    assert points["mean"].iloc[-1] == pytest.approx(11)


def test_a_series_of_fewer_than_thirteen_points_carries_a_warning() -> None:
    assert xmr([10, 12] * 6).short_group_warning is True
    assert xmr([10, 12] * 6 + [11]).short_group_warning is False
    assert xmr([10, 12] * 6 + [None, 11]).short_group_warning is False
    assert xmr([10, 12] * 6 + [None]).short_group_warning is True


def test_any_short_rebase_group_carries_the_warning() -> None:
    assert xmr([10, 12] * 10, rebase_at=[15]).short_group_warning is True


@pytest.mark.parametrize("values", [[], [5], [None, 5, None], [math.nan, math.nan]])
def test_fewer_than_two_points_raise_a_clear_error(values: list[float | None]) -> None:
    with pytest.raises(CoreError, match="^xmr requires at least two points$"):
        xmr(values)


def test_values_that_are_not_numbers_raise_a_clear_error() -> None:
    with pytest.raises(CoreError, match="values must be numbers"):
        xmr([1, "two", 3])  # type: ignore[list-item]
    with pytest.raises(CoreError, match="values must be finite numbers"):
        xmr([1, math.inf, 3])


def test_an_unknown_improvement_direction_raises_a_clear_error() -> None:
    with pytest.raises(CoreError, match="improvement_direction must be one of increase, decrease"):
        xmr([1, 2, 3], improvement_direction="up")


@pytest.mark.parametrize("option", ["shift_length", "trend_length"])
def test_a_run_length_below_two_raises_a_clear_error(option: str) -> None:
    with pytest.raises(CoreError, match=f"{option} must be a whole number of at least 2"):
        xmr([1, 2, 3], **{option: 1})  # type: ignore[arg-type]


def test_a_trajectory_of_the_wrong_length_raises_a_clear_error() -> None:
    with pytest.raises(CoreError, match="a target per point needs 3 values"):
        xmr([1, 2, 3], target=[1, 2])


def test_the_rule_names_are_the_special_cause_words() -> None:
    assert [rule.value for rule in SpecialCause] == [
        "outside_limits",
        "trend",
        "two_in_three",
        "shift",
    ]
