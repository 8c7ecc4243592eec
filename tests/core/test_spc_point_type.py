"""Which rule explains a point, in priority order, and its point type by direction."""

from __future__ import annotations

import numpy as np
import pytest

from core.spc import xmr
from core.spc.point_type import NO_RULE, RULE_ORDER, special_cause
from core.vocab import PointType


def _rules(**flags: list[int]) -> tuple[list[str | None], list[int]]:
    n = len(next(iter(flags.values())))
    zeros = [0] * n
    rule, direction = special_cause(
        outside=np.array(flags.get("outside", zeros), dtype=bool),
        relative_to_mean=np.array(flags.get("side", [1] * n), dtype=np.int8),
        in_trend=np.array(flags.get("trend", zeros), dtype=bool),
        trend_direction=np.array(flags.get("trend_direction", zeros), dtype=np.int8),
        in_two_in_three=np.array(flags.get("two_in_three", zeros), dtype=bool),
        in_shift=np.array(flags.get("shift", zeros), dtype=bool),
    )
    names = [RULE_ORDER[r].value if r < NO_RULE else None for r in rule]
    return names, direction.tolist()


def test_outside_limits_comes_before_every_other_rule() -> None:
    assert _rules(outside=[1], trend=[1], two_in_three=[1], shift=[1]) == (["outside_limits"], [1])


def test_trend_comes_before_two_in_three_and_shift() -> None:
    assert _rules(trend=[1], trend_direction=[-1], two_in_three=[1], shift=[1], side=[1]) == (
        ["trend"],
        [-1],
    )


def test_two_in_three_comes_before_shift() -> None:
    assert _rules(two_in_three=[1], shift=[1], side=[-1]) == (["two_in_three"], [-1])


def test_a_point_no_rule_flags_has_no_rule_and_no_direction() -> None:
    assert _rules(shift=[0, 1], side=[1, 1]) == ([None, "shift"], [0, 1])


def test_a_point_beyond_a_limit_inside_a_trend_is_typed_by_its_side() -> None:
    # 0..7 rising: the first point is below the lower limit (concern), the trend between
    # is an improvement, the last point is above the upper limit.
    points = xmr([0, 1, 2, 3, 4, 5, 6, 7]).points
    assert points["special_cause_type"].tolist() == ["outside_limits"] + ["trend"] * 6 + [
        "outside_limits"
    ]
    assert (
        points["point_type"].tolist()
        == ["special_cause_concern"] + ["special_cause_improvement"] * 7
    )


def test_where_lower_is_better_the_same_points_swap_improvement_and_concern() -> None:
    result = xmr([0, 1, 2, 3, 4, 5, 6, 7], improvement_direction="decrease")
    assert (
        result.points["point_type"].tolist()
        == ["special_cause_improvement"] + ["special_cause_concern"] * 7
    )
    assert result.variation is PointType.special_cause_concern


def test_a_neutral_measure_has_high_and_low_special_causes() -> None:
    result = xmr([0, 1, 2, 3, 4, 5, 6, 7], improvement_direction="neutral", target=3)
    assert (
        result.points["point_type"].tolist()
        == ["special_cause_neutral_low"] + ["special_cause_neutral_high"] * 7
    )
    assert result.variation is PointType.special_cause_neutral_high
    assert result.assurance is None


def test_point_types_are_the_vocabulary_members() -> None:
    types = xmr([10, 12, 10, 12]).points["point_type"].tolist()
    assert all(kind is PointType.common_cause for kind in types)


@pytest.mark.parametrize(
    ("values", "variation"),
    [
        ([10, 12, 10, 12, 10, 12, 10, 12], "common_cause"),
        ([0, 1, 2, 3, 4, 5, 6, 7], "special_cause_improvement"),
        ([7, 6, 5, 4, 3, 2, 1, 0], "special_cause_concern"),
    ],
)
def test_the_variation_icon_is_the_type_of_the_last_point(
    values: list[int], variation: str
) -> None:
    assert xmr(values).variation == variation
