"""Assurance against a target, judged on the latest rebase group."""

from __future__ import annotations

import pytest

from core.spc import LIMIT_FACTOR, xmr
from core.vocab import Assurance

# 10,12 x 7: mean 11, mean moving range 2, limits 5.68 and 16.32.
STEADY = [10, 12] * 7


@pytest.mark.parametrize(
    ("target", "direction", "expected"),
    [
        (20, "increase", Assurance.consistent_fail),
        (20, "decrease", Assurance.consistent_pass),
        (3, "increase", Assurance.consistent_pass),
        (3, "decrease", Assurance.consistent_fail),
        (11, "increase", Assurance.inconsistent),
        (11, "decrease", Assurance.inconsistent),
    ],
)
def test_a_target_beyond_a_limit_is_consistently_met_or_missed(
    target: float, direction: str, expected: Assurance
) -> None:
    assert xmr(STEADY, target=target, improvement_direction=direction).assurance is expected


def test_a_target_exactly_on_a_limit_is_inconsistent() -> None:
    assert xmr(STEADY, target=11 + LIMIT_FACTOR * 2).assurance is Assurance.inconsistent


def test_without_a_target_there_is_no_assurance() -> None:
    assert xmr(STEADY).assurance is None
    assert xmr(STEADY, target=[None] * 14).assurance is None


def test_a_neutral_measure_has_no_assurance() -> None:
    assert xmr(STEADY, target=20, improvement_direction="neutral").assurance is None


def test_assurance_uses_the_latest_rebase_group_only() -> None:
    # The second group (30,32 x 7) has limits 25.68 and 36.32: a target of 20 is below.
    result = xmr(STEADY + [30, 32] * 7, rebase_at=[14], target=20)
    assert result.assurance is Assurance.consistent_pass


def test_a_trajectory_is_judged_by_the_target_at_the_latest_point() -> None:
    assert xmr(STEADY, target=[20] * 13 + [15]).assurance is Assurance.inconsistent
    assert xmr(STEADY, target=[15] * 13 + [20]).assurance is Assurance.consistent_fail


def test_a_trajectory_missing_at_the_latest_point_uses_the_last_target_given() -> None:
    assert xmr(STEADY, target=[17] * 13 + [None]).assurance is Assurance.consistent_fail


def test_targets_after_the_latest_value_are_not_used() -> None:
    result = xmr([*STEADY, None], target=[15] * 14 + [20])
    assert result.assurance is Assurance.inconsistent


def test_each_point_carries_its_target() -> None:
    assert xmr([1, 2, 3], target=[5, None, 6]).points["target"].tolist()[::2] == [5.0, 6.0]
    assert xmr([1, 2, 3], target=4).points["target"].tolist() == [4.0, 4.0, 4.0]
