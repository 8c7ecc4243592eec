"""Every reference case computed by NHSRplotthedots 0.2.2 passes, through xmr and xmr_many.

The cases are a copy of the shared reference file (see its "meta" notes); limits must
match to 1e-9 relative, point types, variation and assurance exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from core.spc import SpcResult, xmr, xmr_many
from core.spc._arrays import part_of_run
from core.spc.shift import shift_signal
from core.spc.trend import trend_signal
from core.spc.two_in_three import part_of_two_in_three, two_in_three_windows

REFERENCE = json.loads((Path(__file__).parent / "data" / "spc_cases.json").read_text())
CASES: list[dict[str, Any]] = REFERENCE["cases"]
HELPERS: dict[str, Any] = REFERENCE["meta"]["helper_unit_cases_from_tests"]

# NHSRplotthedots' special cause words, by our rule name.
PACKAGE_WORDS = {
    "Above UCL": "outside_limits",
    "Below LCL": "outside_limits",
    "7 Point Trend (Increasing)": "trend",
    "7 Point Trend (Decreasing)": "trend",
    "2 in 3 Above CL": "two_in_three",
    "2 in 3 Below CL": "two_in_three",
    "7 Points Above CL": "shift",
    "7 Points Below CL": "shift",
    "Common Cause": None,
}


def _options(case: dict[str, Any]) -> dict[str, Any]:
    return {
        "screen_outliers": case["screen_outliers"],
        "fix_after_n_points": case["fix_after_n_points"],
    }


def _rebase_at(case: dict[str, Any]) -> list[int]:
    return [position - 1 for position in case["rebase_at_index_1based"]]


def _through_xmr(case: dict[str, Any]) -> SpcResult:
    return xmr(
        case["values"],
        improvement_direction=case["improvement_direction"],
        target=case["target"],
        rebase_at=_rebase_at(case),
        **_options(case),
    )


def _through_xmr_many(case: dict[str, Any]) -> SpcResult:
    """The case run in one batch with every other case sharing its options.

    Directions and targets come per series from columns, series in reverse order, so
    the batch also checks that a series without a target gets no assurance.
    """
    batch_cases = [other for other in reversed(CASES) if _options(other) == _options(case)]
    frames = []
    for other in batch_cases:
        n = len(other["values"])
        rebase = np.zeros(n, dtype=bool)
        rebase[_rebase_at(other)] = True
        frames.append(
            pd.DataFrame(
                {
                    "measure": other["name"],
                    "value": other["values"],
                    "direction": other["improvement_direction"],
                    "goal": np.nan if other["target"] is None else other["target"],
                    "recalculate": rebase,
                }
            )
        )
    batch = xmr_many(
        pd.concat(frames, ignore_index=True),
        series="measure",
        value="value",
        improvement_direction="direction",
        target="goal",
        rebase="recalculate",
        **_options(case),
    )
    return batch.result(case["name"])


PATHS: dict[str, Callable[[dict[str, Any]], SpcResult]] = {
    "xmr": _through_xmr,
    "xmr_many": _through_xmr_many,
}


@pytest.fixture(params=list(PATHS), ids=list(PATHS))
def run(request: pytest.FixtureRequest) -> Callable[[dict[str, Any]], SpcResult]:
    return PATHS[request.param]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_reference_case_matches_the_package_computation(
    case: dict[str, Any], run: Callable[[dict[str, Any]], SpcResult]
) -> None:
    expected = case["expected_computed"]
    result = run(case)
    points = result.points

    assert points["mean"].tolist() == pytest.approx(expected["mean_col"], rel=1e-9, abs=1e-12)
    assert points["lpl"].tolist() == pytest.approx(expected["lpl_per_point"], rel=1e-9, abs=1e-12)
    assert points["upl"].tolist() == pytest.approx(expected["upl_per_point"], rel=1e-9, abs=1e-12)
    assert points["rebase_group"].tolist() == expected["rebase_group"]
    assert points["outside_limits"].tolist() == expected["outside_limits"]
    assert points["close_to_limits"].tolist() == expected["close_to_limits"]
    assert points["relative_to_mean"].tolist() == expected["relative_to_mean"]
    assert points["special_cause_type"].tolist() == [
        PACKAGE_WORDS[word] for word in expected["special_cause_type"]
    ]
    assert points["point_type"].tolist() == expected["point_type"]
    assert result.variation == expected["variation_icon"]
    assert result.assurance == expected["assurance_type"]
    warning = expected["short_group_warning"]
    assert result.short_group_warning == (any(warning) if isinstance(warning, list) else warning)


def _decimals(printed: float) -> int:
    text = repr(printed)
    return len(text.split(".")[1]) if "." in text else 0


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case["expected_read_from_package"]],
    ids=[case["name"] for case in CASES if case["expected_read_from_package"]],
)
def test_each_figure_printed_by_the_package_is_reproduced_to_its_printed_precision(
    case: dict[str, Any],
) -> None:
    printed = case["expected_read_from_package"]
    points = _through_xmr(case).points
    for column in ("mean", "lpl", "upl"):
        if column in printed:
            tolerance = 0.5 * 10 ** -_decimals(printed[column]) + 1e-12
            assert points[column].iloc[0] == pytest.approx(printed[column], abs=tolerance)
    types = points["point_type"].tolist()
    if "n_common_cause" in printed:
        assert types.count("common_cause") == printed["n_common_cause"]
    if "n_special_cause_improvement" in printed:
        assert types.count("special_cause_improvement") == printed["n_special_cause_improvement"]
    if "special_cause_improvement_at" in printed:
        at = printed["special_cause_improvement_at"] - 1
        assert types[at] == "special_cause_improvement"
        assert all(kind == "common_cause" for i, kind in enumerate(types) if i != at)
    if "point_type_last2" in printed:
        assert types[-2:] == printed["point_type_last2"]


def _one_group(n: int) -> np.ndarray:
    return np.arange(n) == 0


@pytest.mark.parametrize("helper", HELPERS["seven_point_trend"])
def test_trend_signals_where_the_package_helper_does(helper: dict[str, Any]) -> None:
    y = np.array(helper["y"], dtype=float)
    assert trend_signal(y, _one_group(len(y))).tolist() == helper["out"]


@pytest.mark.parametrize("helper", HELPERS["seven_point_one_side_mean"])
def test_shift_signals_where_the_package_helper_does(helper: dict[str, Any]) -> None:
    side = np.array(helper["rtm"], dtype=np.int8)
    assert shift_signal(side, _one_group(len(side))).astype(int).tolist() == helper["out"]


@pytest.mark.parametrize("helper", HELPERS["part_of_seven"])
def test_part_of_a_run_marks_what_the_package_helper_marks(helper: dict[str, Any]) -> None:
    signal = np.array(helper["v"]) != 0
    assert part_of_run(signal, 7).astype(int).tolist() == helper["out"]


@pytest.mark.parametrize("helper", HELPERS["two_in_three"])
def test_two_in_three_windows_match_the_package_helper(helper: dict[str, Any]) -> None:
    close = np.array(helper["close"], dtype=bool)
    side = np.array(helper["rtm"], dtype=np.int8)
    windows = two_in_three_windows(close, side, _one_group(len(close)))
    assert windows.astype(int).tolist() == helper["out"]


@pytest.mark.parametrize("helper", HELPERS["part_of_two_in_three"])
def test_only_close_points_of_a_two_in_three_window_are_flagged_as_the_package_does(
    helper: dict[str, Any],
) -> None:
    close = np.array(helper["close"], dtype=bool)
    side = np.array(helper["rtm"], dtype=np.int8)
    windows = two_in_three_windows(close, side, _one_group(len(close)))
    assert part_of_two_in_three(windows, close).astype(int).tolist() == helper["out"]


@pytest.mark.parametrize("row", REFERENCE["meta"]["assurance_unit_cases_from_tests"]["rows"])
@pytest.mark.parametrize("direction", ["increase", "decrease", "neutral"])
def test_assurance_matches_the_package_unit_cases(row: dict[str, Any], direction: str) -> None:
    from core.spc.assurance import ASSURANCE_ORDER, assurance_codes
    from core.spc.point_type import DIRECTION_SIGN
    from core.vocab import ImprovementDirection

    code = assurance_codes(
        np.array([row["lpl"]], dtype=float),
        np.array([row["upl"]], dtype=float),
        np.array([row["target"]], dtype=float),
        np.array([DIRECTION_SIGN[ImprovementDirection(direction)]], dtype=np.int8),
    )[0]
    assert (ASSURANCE_ORDER[code] if code < len(ASSURANCE_ORDER) else None) == row[direction]
