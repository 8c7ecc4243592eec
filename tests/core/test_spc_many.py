"""`xmr_many`: many series at once, grouped by a series column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import CoreError
from core.spc import POINT_COLUMNS, SUMMARY_COLUMNS, xmr, xmr_many
from core.vocab import Assurance, ImprovementDirection, PointType

RISING = [0, 1, 2, 3, 4, 5, 6, 7]
STEADY = [10, 12, 10, 12, 10, 12, 10, 12]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": ["up"] * 8 + ["flat"] * 8,
            "value": RISING + STEADY,
            "better": ["increase"] * 8 + ["decrease"] * 8,
            "goal": [9.0] * 8 + [20.0] * 8,
        },
        index=[f"row{i}" for i in range(16)],
    )


def test_each_series_gets_its_own_chart_with_per_series_direction_and_target() -> None:
    batch = xmr_many(
        _frame(), series="measure", value="value", improvement_direction="better", target="goal"
    )
    assert tuple(batch.points.columns) == ("measure", *POINT_COLUMNS)
    assert tuple(batch.summary.columns) == SUMMARY_COLUMNS
    assert batch.summary.index.tolist() == ["up", "flat"]
    assert batch.summary["variation"].tolist() == [
        PointType.special_cause_improvement,
        PointType.common_cause,
    ]
    # up: limits 0.84 / 6.16, target 9 above: fail; flat: 5.68 / 16.32, 20 above, lower
    # is better: pass.
    assert batch.summary["assurance"].tolist() == [
        Assurance.consistent_fail,
        Assurance.consistent_pass,
    ]
    assert batch.summary["improvement_direction"].tolist() == [
        ImprovementDirection.increase,
        ImprovementDirection.decrease,
    ]
    assert batch.summary["points"].tolist() == [8, 8]
    assert batch.summary["upl"].tolist() == pytest.approx([6.16, 16.32])


def test_the_points_keep_the_input_index_and_order_when_series_interleave() -> None:
    frame = _frame().iloc[[0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15]]
    batch = xmr_many(frame, series="measure", value="value")
    assert batch.points.index.tolist() == frame.index.tolist()
    assert batch.points["y"].tolist() == frame["value"].astype(float).tolist()
    pd.testing.assert_frame_equal(batch.result("up").points, xmr(RISING).points)
    pd.testing.assert_frame_equal(batch.result("flat").points, xmr(STEADY).points)


def test_a_rebase_column_starts_new_groups() -> None:
    frame = pd.DataFrame(
        {
            "series": "a",
            "y": [10, 12] * 4 + [20, 22] * 4,
            "rebase": [False] * 8 + [True] + [None] * 7,
        }
    )
    points = xmr_many(frame, rebase="rebase").points
    assert points["rebase_group"].tolist() == [0] * 8 + [1] * 8
    assert points["mean"].tolist() == pytest.approx([11.0] * 8 + [21.0] * 8)


def test_a_series_of_one_point_gets_no_limits_instead_of_an_error() -> None:
    frame = pd.DataFrame({"series": ["a"] * 4 + ["b"], "y": [10, 12, 10, 12, 5]})
    batch = xmr_many(frame)
    b = batch.summary.loc["b"]
    assert b["variation"] is None and b["assurance"] is None and b["short_group_warning"]
    assert batch.points["point_type"].iloc[-1] is None
    assert np.isnan(batch.points["lpl"].iloc[-1])
    assert batch.summary.loc["a", "variation"] == "common_cause"


def test_an_empty_frame_gives_empty_points_and_summary() -> None:
    batch = xmr_many(pd.DataFrame({"series": [], "y": []}))
    assert batch.points.empty and batch.summary.empty
    assert tuple(batch.summary.columns) == SUMMARY_COLUMNS


def test_a_direction_that_changes_within_a_series_is_refused() -> None:
    frame = _frame()
    frame.loc["row3", "better"] = "decrease"
    with pytest.raises(CoreError, match="must be the same for every row of a series"):
        xmr_many(frame, series="measure", value="value", improvement_direction="better")


def test_an_unknown_direction_in_the_column_is_refused() -> None:
    frame = _frame()
    frame["better"] = "sideways"
    with pytest.raises(CoreError, match="improvement_direction must be one of"):
        xmr_many(frame, series="measure", value="value", improvement_direction="better")


def test_a_missing_column_is_named_in_the_error() -> None:
    with pytest.raises(CoreError, match="the value column 'y' is not in the frame"):
        xmr_many(_frame(), series="measure")
    with pytest.raises(CoreError, match="the target column 'aim' is not in the frame"):
        xmr_many(_frame(), series="measure", value="value", target="aim")


def test_rows_without_a_series_name_are_refused() -> None:
    frame = pd.DataFrame({"series": ["a", None, "a"], "y": [1, 2, 3]})
    with pytest.raises(CoreError, match="every row needs a series name"):
        xmr_many(frame)


def test_asking_for_an_unknown_series_raises_a_clear_error() -> None:
    with pytest.raises(CoreError, match="there is no series 'nope'"):
        xmr_many(_frame(), series="measure", value="value").result("nope")


def test_the_input_frame_is_not_mutated() -> None:
    frame = _frame()
    before = frame.copy()
    xmr_many(frame, series="measure", value="value", improvement_direction="better", target="goal")
    pd.testing.assert_frame_equal(frame, before)
