"""Invariants of the XmR charts over many generated series (hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.spc import POINT_COLUMNS, SpcResult, xmr, xmr_many

LIMIT_COLUMNS = ["mean", "lpl", "upl", "near_lpl", "near_upl"]
TYPE_COLUMNS = ["outside_limits", "close_to_limits", "relative_to_mean", "special_cause_type"]

values_strategy = st.lists(
    st.one_of(st.integers(-50, 50), st.none()), min_size=2, max_size=40
).filter(lambda values: sum(v is not None for v in values) >= 2)

options_strategy = st.fixed_dictionaries(
    {
        "screen_outliers": st.booleans(),
        "shift_length": st.integers(2, 8),
        "trend_length": st.integers(2, 8),
        "fix_after_n_points": st.sampled_from([None, 12, 15]),
    }
)


@st.composite
def series_strategy(draw: st.DrawFn) -> dict[str, Any]:
    values = draw(values_strategy)
    n = len(values)
    return {
        "values": values,
        "direction": draw(st.sampled_from(["increase", "decrease", "neutral"])),
        "target": draw(st.one_of(st.none(), st.integers(-60, 60))),
        "rebase_at": sorted(draw(st.sets(st.integers(1, n - 1), max_size=2))) if n > 1 else [],
    }


def _alone(series: dict[str, Any], options: dict[str, Any]) -> SpcResult:
    return xmr(
        series["values"],
        improvement_direction=series["direction"],
        target=series["target"],
        rebase_at=series["rebase_at"],
        **options,
    )


def _frame(all_series: list[dict[str, Any]], names: list[str]) -> pd.DataFrame:
    frames = []
    for name, series in zip(names, all_series, strict=True):
        n = len(series["values"])
        rebase = np.zeros(n, dtype=bool)
        rebase[series["rebase_at"]] = True
        frames.append(
            pd.DataFrame(
                {
                    "series": name,
                    "y": pd.Series(series["values"], dtype="float64"),
                    "direction": series["direction"],
                    "target": np.nan if series["target"] is None else float(series["target"]),
                    "rebase": rebase,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _many(frame: pd.DataFrame, options: dict[str, Any]) -> Any:
    return xmr_many(
        frame, improvement_direction="direction", target="target", rebase="rebase", **options
    )


def _assert_same(result: SpcResult, expected: SpcResult) -> None:
    pd.testing.assert_frame_equal(result.points, expected.points)
    assert result.variation == expected.variation
    assert result.assurance == expected.assurance
    assert result.short_group_warning == expected.short_group_warning
    assert result.improvement_direction == expected.improvement_direction


@settings(max_examples=150, deadline=None)
@given(st.lists(series_strategy(), min_size=1, max_size=6), options_strategy)
def test_xmr_many_gives_exactly_what_xmr_gives_on_each_series_alone(
    all_series: list[dict[str, Any]], options: dict[str, Any]
) -> None:
    names = [f"s{i}" for i in range(len(all_series))]
    batch = _many(_frame(all_series, names), options)
    for name, series in zip(names, all_series, strict=True):
        _assert_same(batch.result(name), _alone(series, options))


@settings(max_examples=100, deadline=None)
@given(st.lists(series_strategy(), min_size=2, max_size=6), options_strategy, st.randoms())
def test_results_do_not_depend_on_the_order_of_the_series_or_their_interleaving(
    all_series: list[dict[str, Any]], options: dict[str, Any], random: Any
) -> None:
    names = [f"s{i}" for i in range(len(all_series))]
    frame = _frame(all_series, names)
    batch = _many(frame, options)
    # Deal the rows out in a random order of series, each series' rows still in order.
    rows = {name: list(np.flatnonzero(frame["series"] == name)) for name in names}
    slots = [name for name in names for _ in rows[name]]
    random.shuffle(slots)
    order = [rows[name].pop(0) for name in slots]
    other = _many(frame.iloc[order], options)
    for name in names:
        _assert_same(other.result(name), batch.result(name))
    pd.testing.assert_frame_equal(other.points.loc[frame.index], batch.points)
    pd.testing.assert_frame_equal(
        other.summary.loc[batch.summary.index], batch.summary, check_index_type=False
    )


def _far_from_limits(result: SpcResult, tolerance: float = 1e-6) -> bool:
    points = result.points
    distances = [
        (points["y"] - points[column]).abs().min()
        for column in ["lpl", "upl", "near_lpl", "near_upl"]
    ]
    return all(not distance < tolerance for distance in distances)


@settings(max_examples=150, deadline=None)
@given(series_strategy(), options_strategy, st.integers(-1000, 1000))
def test_adding_a_constant_moves_mean_and_limits_by_it_and_keeps_point_types(
    series: dict[str, Any], options: dict[str, Any], constant: int
) -> None:
    before = _alone(series, options)
    assume(_far_from_limits(before))
    moved = dict(series)
    moved["values"] = [None if v is None else v + constant for v in series["values"]]
    moved["target"] = None if series["target"] is None else series["target"] + constant
    after = _alone(moved, options)
    for column in LIMIT_COLUMNS:
        assert after.points[column].to_numpy() == pytest.approx(
            before.points[column].to_numpy() + constant, rel=1e-9, abs=1e-9, nan_ok=True
        )
    pd.testing.assert_frame_equal(after.points[TYPE_COLUMNS], before.points[TYPE_COLUMNS])
    assert after.points["point_type"].tolist() == before.points["point_type"].tolist()
    assert (after.variation, after.assurance) == (before.variation, before.assurance)


@settings(max_examples=150, deadline=None)
@given(series_strategy(), options_strategy, st.sampled_from([0.5, 2.0, 3.0, 10.0, 1234.5]))
def test_scaling_by_a_positive_factor_scales_the_limits_and_keeps_point_types(
    series: dict[str, Any], options: dict[str, Any], factor: float
) -> None:
    before = _alone(series, options)
    assume(_far_from_limits(before))
    scaled = dict(series)
    scaled["values"] = [None if v is None else v * factor for v in series["values"]]
    scaled["target"] = None if series["target"] is None else series["target"] * factor
    after = _alone(scaled, options)
    for column in LIMIT_COLUMNS:
        assert after.points[column].to_numpy() == pytest.approx(
            before.points[column].to_numpy() * factor, rel=1e-9, abs=1e-9, nan_ok=True
        )
    assert after.points["point_type"].tolist() == before.points["point_type"].tolist()
    assert (after.variation, after.assurance) == (before.variation, before.assurance)


@settings(max_examples=100, deadline=None)
@given(series_strategy(), options_strategy)
def test_every_row_is_kept_and_only_missing_values_lack_a_point_type(
    series: dict[str, Any], options: dict[str, Any]
) -> None:
    result = _alone(series, options)
    points = result.points
    assert tuple(points.columns) == POINT_COLUMNS
    assert len(points) == len(series["values"])
    missing = points["y"].isna()
    has_limits = points["lpl"].notna()
    assert points["point_type"].isna().tolist() == (missing | ~has_limits).tolist()
