"""RAG status, direction of change and the commentary rule."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import CoreError
from core.status import (
    RAG_SEVERITY,
    Change,
    as_displayed,
    direction,
    is_missing,
    needs_commentary,
    rag,
)
from core.vocab import Judgement, Movement, Polarity, Rag, ToleranceKind

HIGHER = Polarity.higher_is_better
LOWER = Polarity.lower_is_better
NEUTRAL = Polarity.neutral
NAN = float("nan")


# Higher is better, absolute tolerance ------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (101, Rag.green),
        (100, Rag.green),
        (99, Rag.amber),
        (95, Rag.amber),
        (94.9, Rag.red),
        (0, Rag.red),
    ],
)
def test_higher_is_better_with_absolute_tolerance_of_five(actual: float, expected: Rag) -> None:
    assert rag(actual, 100, polarity=HIGHER, tolerance=5) is expected


def test_green_when_exactly_on_target() -> None:
    assert rag(85, 85, polarity=HIGHER, tolerance=2) is Rag.green
    assert rag(85, 85, polarity=LOWER, tolerance=2) is Rag.green


def test_amber_when_worse_than_target_but_within_tolerance() -> None:
    assert rag(84, 85, polarity=HIGHER, tolerance=2) is Rag.amber


def test_amber_when_exactly_on_the_tolerance_boundary() -> None:
    assert rag(83, 85, polarity=HIGHER, tolerance=2) is Rag.amber
    assert rag(87, 85, polarity=LOWER, tolerance=2) is Rag.amber


def test_red_when_worse_than_the_tolerance() -> None:
    assert rag(82.99, 85, polarity=HIGHER, tolerance=2) is Rag.red
    assert rag(87.01, 85, polarity=LOWER, tolerance=2) is Rag.red


def test_zero_tolerance_makes_anything_worse_than_target_red() -> None:
    assert rag(99.99, 100, polarity=HIGHER) is Rag.red
    assert rag(100.01, 100, polarity=LOWER, tolerance=0) is Rag.red


# Lower is better ---


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (8, Rag.green),
        (10, Rag.green),
        (11, Rag.amber),
        (12, Rag.amber),
        (12.5, Rag.red),
    ],
)
def test_lower_is_better_with_absolute_tolerance_of_two(actual: float, expected: Rag) -> None:
    assert rag(actual, 10, polarity=LOWER, tolerance=2) is expected


# Relative tolerance ---


@pytest.mark.parametrize(
    ("actual", "polarity", "expected"),
    [
        (200, HIGHER, Rag.green),
        (190, HIGHER, Rag.amber),
        (180, HIGHER, Rag.amber),
        (179.99, HIGHER, Rag.red),
        (200, LOWER, Rag.green),
        (210, LOWER, Rag.amber),
        (220, LOWER, Rag.amber),
        (220.01, LOWER, Rag.red),
    ],
)
def test_relative_tolerance_is_a_percent_of_the_target(
    actual: float, polarity: Polarity, expected: Rag
) -> None:
    # 10 % of 200 is 20.
    assert rag(actual, 200, polarity=polarity, tolerance=10, tolerance_kind="relative") is expected


def test_relative_tolerance_uses_the_size_of_a_negative_target() -> None:
    # 10 % of |-200| is 20: higher is better, so -220 is the boundary.
    assert rag(-220, -200, polarity=HIGHER, tolerance=10, tolerance_kind="relative") is Rag.amber
    assert rag(-220.5, -200, polarity=HIGHER, tolerance=10, tolerance_kind="relative") is Rag.red
    assert rag(-180, -200, polarity=LOWER, tolerance=10, tolerance_kind="relative") is Rag.amber
    assert rag(-179, -200, polarity=LOWER, tolerance=10, tolerance_kind="relative") is Rag.red


def test_relative_tolerance_of_a_zero_target_allows_nothing() -> None:
    assert rag(0, 0, polarity=LOWER, tolerance=10, tolerance_kind="relative") is Rag.green
    assert rag(1, 0, polarity=LOWER, tolerance=10, tolerance_kind="relative") is Rag.red


def test_relative_boundary_with_fractions_is_amber_exactly() -> None:
    # 5 % of 0.7 is 0.035: 0.7 - 0.035 = 0.665 is on the boundary.
    assert rag(0.665, 0.7, polarity=HIGHER, tolerance=5, tolerance_kind="relative") is Rag.amber
    assert rag(0.6649, 0.7, polarity=HIGHER, tolerance=5, tolerance_kind="relative") is Rag.red


def test_tolerance_kind_may_be_the_enum() -> None:
    assert (
        rag(95, 100, polarity=HIGHER, tolerance=5, tolerance_kind=ToleranceKind.relative)
        is Rag.amber
    )


# Negative and zero targets: budget variance ----------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(30, Rag.amber), (50, Rag.amber), (51, Rag.red), (-10, Rag.green), (0, Rag.green)],
)
def test_budget_variance_target_zero_with_absolute_tolerance_fifty(
    actual: float, expected: Rag
) -> None:
    assert rag(actual, 0, polarity=LOWER, tolerance=50) is expected


def test_negative_target_higher_is_better() -> None:
    assert rag(-5, -10, polarity=HIGHER, tolerance=3) is Rag.green
    assert rag(-13, -10, polarity=HIGHER, tolerance=3) is Rag.amber
    assert rag(-13.1, -10, polarity=HIGHER, tolerance=3) is Rag.red


# Nothing to judge ---


@pytest.mark.parametrize("target", [None, NAN, pd.NA, Decimal("NaN")])
def test_no_target_when_the_target_is_missing(target: object) -> None:
    assert rag(10, target, polarity=HIGHER) is Rag.no_target  # type: ignore[arg-type]


@pytest.mark.parametrize("actual", [None, NAN, pd.NA])
def test_no_value_when_the_target_is_set_but_the_actual_is_missing(actual: object) -> None:
    assert rag(actual, 10, polarity=HIGHER) is Rag.no_value  # type: ignore[arg-type]


def test_no_target_takes_precedence_when_both_are_missing() -> None:
    assert rag(None, None, polarity=LOWER) is Rag.no_target


@pytest.mark.parametrize(("actual", "target"), [(1, 100), (None, 100), (5, None), (None, None)])
def test_neutral_measures_are_not_applicable_whatever_the_figures(
    actual: float | None, target: float | None
) -> None:
    assert rag(actual, target, polarity=NEUTRAL, tolerance=5) is Rag.not_applicable


def test_polarity_may_be_given_as_its_word() -> None:
    assert rag(9, 10, polarity="lower_is_better") is Rag.green
    assert rag(9, 10, polarity="neutral") is Rag.not_applicable


# Rounding and floating point ---


def test_float_noise_does_not_make_an_on_target_value_worse() -> None:
    assert 0.1 + 0.2 != 0.3  # the noise this guards against
    assert rag(0.1 + 0.2, 0.3, polarity=LOWER) is Rag.green
    assert rag(0.3, 0.1 + 0.2, polarity=HIGHER) is Rag.green
    assert rag(123456789.1 + 0.2, 123456789.3, polarity=LOWER) is Rag.green


def test_float_noise_does_not_push_a_boundary_value_to_red() -> None:
    # 1.1 + 2.2 is 3.3000000000000003; the boundary is 3.3.
    assert rag(1.1 + 2.2, 3.0, polarity=LOWER, tolerance=0.3) is Rag.amber
    assert rag(0.7 - 0.035, 0.7, polarity=HIGHER, tolerance=0.035) is Rag.amber


def test_decimals_compare_the_values_as_displayed() -> None:
    # 94.95 shows as 95.0 to one decimal: on the boundary, amber; unrounded it is red.
    assert rag(94.95, 100, polarity=HIGHER, tolerance=5) is Rag.red
    assert rag(94.95, 100, polarity=HIGHER, tolerance=5, decimals=1) is Rag.amber
    # 84.96 shows as 85.0, the target: green.
    assert rag(84.96, 85, polarity=HIGHER, decimals=1) is Rag.green
    assert rag(84.94, 85, polarity=HIGHER, decimals=1) is Rag.red


def test_decimals_round_the_target_as_well() -> None:
    # Target 85.04 shows as 85.0; the actual 85.0 meets it.
    assert rag(85.0, 85.04, polarity=HIGHER, decimals=1) is Rag.green
    assert rag(85.0, 85.04, polarity=HIGHER) is Rag.red


def test_decimals_round_half_away_from_zero() -> None:
    # 2.675 is stored as 2.67499999...; displayed to 2 places it is 2.68, which meets 2.68.
    assert rag(2.675, 2.68, polarity=HIGHER, decimals=2) is Rag.green
    # 0.5 rounds to 1 (not to 0 as banker's rounding would); -0.5 to -1.
    assert rag(0.5, 1, polarity=HIGHER, decimals=0) is Rag.green
    assert rag(-0.5, -1, polarity=LOWER, decimals=0) is Rag.green


def test_decimals_zero_rounds_to_whole_numbers() -> None:
    assert rag(97.5, 100, polarity=HIGHER, tolerance=2, decimals=0) is Rag.amber
    assert rag(97.4, 100, polarity=HIGHER, tolerance=2, decimals=0) is Rag.red


def test_decimal_inputs_are_compared_exactly() -> None:
    assert rag(Decimal("0.3"), Decimal("0.3"), polarity=LOWER) is Rag.green
    assert rag(Decimal("95"), 100, polarity=HIGHER, tolerance=Decimal("5")) is Rag.amber


def test_large_integers_are_compared_exactly() -> None:
    assert rag(10**15 + 1, 10**15, polarity=LOWER) is Rag.red


def test_numpy_numbers_are_accepted() -> None:
    numpy = pytest.importorskip("numpy")
    assert rag(numpy.float64(95.0), numpy.int64(100), polarity=HIGHER, tolerance=5) is Rag.amber
    assert rag(numpy.float64("nan"), 100, polarity=HIGHER) is Rag.no_value


# Bad input ---


def test_negative_tolerance_raises() -> None:
    with pytest.raises(CoreError, match="A tolerance cannot be negative"):
        rag(1, 1, polarity=HIGHER, tolerance=-1)


def test_missing_tolerance_means_zero() -> None:
    assert rag(99, 100, polarity=HIGHER, tolerance=None) is Rag.red
    assert rag(100, 100, polarity=HIGHER, tolerance=NAN) is Rag.green


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"polarity": "up"}, "Unknown polarity 'up'"),
        ({"polarity": HIGHER, "tolerance_kind": "percent"}, "Unknown tolerance kind 'percent'"),
        ({"polarity": HIGHER, "decimals": -1}, "Decimals must be a whole number of 0 or more"),
        ({"polarity": HIGHER, "decimals": 1.5}, "Decimals must be a whole number"),
    ],
)
def test_bad_settings_raise_core_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(CoreError, match=message):
        rag(1, 1, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("actual", ["12", True, float("inf"), [1]])
def test_non_numbers_raise(actual: object) -> None:
    with pytest.raises(CoreError, match="actual must be"):
        rag(actual, 10, polarity=HIGHER)  # type: ignore[arg-type]


# as_displayed and is_missing ---


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.675, 2, Decimal("2.68")),
        (2.665, 2, Decimal("2.67")),
        (1.005, 2, Decimal("1.01")),
        (-2.5, 0, Decimal("-3")),
        (2.5, 0, Decimal("3")),
        (0.1 + 0.2, None, Decimal("0.3")),
        (85, 1, Decimal("85.0")),
        (1e-7, None, Decimal("1E-7")),
        (1500.0, None, Decimal("1500")),
        (None, 2, None),
        (NAN, None, None),
    ],
)
def test_as_displayed_rounds_half_away_from_zero(
    value: float | None, decimals: int | None, expected: Decimal | None
) -> None:
    assert as_displayed(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "missing"),
    [(None, True), (NAN, True), (pd.NA, True), (pd.NaT, True), (0, False), ("", False)],
)
def test_is_missing_recognises_blanks(value: object, missing: bool) -> None:
    assert is_missing(value) is missing


# Direction of change ---


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "movement", "judgement"),
    [
        (12, 10, HIGHER, Movement.increasing, Judgement.improving),
        (8, 10, HIGHER, Movement.decreasing, Judgement.worsening),
        (12, 10, LOWER, Movement.increasing, Judgement.worsening),
        (8, 10, LOWER, Movement.decreasing, Judgement.improving),
        (10, 10, HIGHER, Movement.no_change, Judgement.no_change),
        (10, 10, LOWER, Movement.no_change, Judgement.no_change),
        (12, 10, NEUTRAL, Movement.increasing, Judgement.not_applicable),
        (8, 10, NEUTRAL, Movement.decreasing, Judgement.not_applicable),
        (10, 10, NEUTRAL, Movement.no_change, Judgement.not_applicable),
        (-3, -5, HIGHER, Movement.increasing, Judgement.improving),
        (None, 10, HIGHER, Movement.unknown, Judgement.not_applicable),
        (10, None, LOWER, Movement.unknown, Judgement.not_applicable),
        (NAN, NAN, NEUTRAL, Movement.unknown, Judgement.not_applicable),
    ],
)
def test_direction_by_movement_and_polarity(
    current: float | None,
    previous: float | None,
    polarity: Polarity,
    movement: Movement,
    judgement: Judgement,
) -> None:
    assert direction(current, previous, polarity=polarity) == Change(movement, judgement)


def test_values_equal_after_rounding_are_no_change() -> None:
    assert direction(10.04, 10.0, polarity=HIGHER, decimals=1).movement is Movement.no_change
    assert direction(10.05, 10.0, polarity=HIGHER, decimals=1).movement is Movement.increasing
    assert direction(10.04, 10.0, polarity=HIGHER).movement is Movement.increasing


def test_float_noise_is_no_change() -> None:
    assert direction(0.1 + 0.2, 0.3, polarity=LOWER) == Change(
        Movement.no_change, Judgement.no_change
    )


def test_change_is_frozen() -> None:
    change = direction(1, 2, polarity=HIGHER)
    with pytest.raises(AttributeError):
        change.movement = Movement.increasing  # type: ignore[misc]


# Commentary ---


@pytest.mark.parametrize(
    ("status", "judgement", "has_target", "needed"),
    [
        (Rag.red, Judgement.improving, True, True),
        (Rag.amber, Judgement.no_change, True, True),
        (Rag.green, Judgement.worsening, True, False),
        (Rag.green, Judgement.improving, True, False),
        (Rag.no_target, Judgement.worsening, False, True),
        (Rag.no_target, Judgement.improving, False, False),
        (Rag.no_target, Judgement.not_applicable, False, False),
        (Rag.no_target, None, False, False),
        (Rag.not_applicable, Judgement.not_applicable, False, False),
        ("red", "worsening", True, True),
    ],
)
def test_commentary_is_needed_for_red_amber_or_worsening_without_a_target(
    status: Rag, judgement: Judgement | None, has_target: bool, needed: bool
) -> None:
    assert needs_commentary(status, judgement, has_target) is needed


# Properties ---

SEVERITY = {Rag.green: 0, Rag.amber: 1, Rag.red: 2}
whole_numbers = st.integers(min_value=-10_000, max_value=10_000)
tolerances = st.integers(min_value=0, max_value=500)
hundredths = st.decimals(min_value=-1000, max_value=1000, places=2)


def test_rag_severity_orders_green_amber_red() -> None:
    assert dict(RAG_SEVERITY) == SEVERITY


@given(whole_numbers, whole_numbers, st.integers(min_value=0, max_value=100), tolerances)
def test_moving_the_actual_the_good_way_never_makes_the_status_worse(
    actual: int, target: int, improvement: int, tolerance: int
) -> None:
    for kind in ToleranceKind:
        before = rag(actual, target, polarity=HIGHER, tolerance=tolerance, tolerance_kind=kind)
        after = rag(
            actual + improvement, target, polarity=HIGHER, tolerance=tolerance, tolerance_kind=kind
        )
        assert SEVERITY[after] <= SEVERITY[before]
        before = rag(actual, target, polarity=LOWER, tolerance=tolerance, tolerance_kind=kind)
        after = rag(
            actual - improvement, target, polarity=LOWER, tolerance=tolerance, tolerance_kind=kind
        )
        assert SEVERITY[after] <= SEVERITY[before]


@given(hundredths, hundredths, st.decimals(min_value=0, max_value=100, places=1))
def test_swapping_polarity_mirrors_the_actual_about_the_target(
    actual: Decimal, target: Decimal, tolerance: Decimal
) -> None:
    mirrored = 2 * target - actual
    for kind in ToleranceKind:
        assert rag(actual, target, polarity=HIGHER, tolerance=tolerance, tolerance_kind=kind) is (
            rag(mirrored, target, polarity=LOWER, tolerance=tolerance, tolerance_kind=kind)
        )


@given(hundredths, tolerances)
def test_the_target_itself_is_always_green(target: Decimal, tolerance: int) -> None:
    for polarity in (HIGHER, LOWER):
        assert rag(target, target, polarity=polarity, tolerance=tolerance) is Rag.green


@given(whole_numbers, whole_numbers)
def test_direction_judgements_mirror_between_polarities(current: int, previous: int) -> None:
    higher = direction(current, previous, polarity=HIGHER)
    lower = direction(current, previous, polarity=LOWER)
    assert higher.movement is lower.movement
    flipped = {
        Judgement.improving: Judgement.worsening,
        Judgement.worsening: Judgement.improving,
        Judgement.no_change: Judgement.no_change,
    }
    assert flipped[higher.judgement] is lower.judgement


@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=-1e6, max_value=1e6))
def test_float_rag_is_green_exactly_when_not_worse_than_target(
    actual: float, target: float
) -> None:
    status = rag(actual, target, polarity=HIGHER, tolerance=0)
    assert status in (Rag.green, Rag.red)
    if Decimal(repr(actual)) >= Decimal(repr(target)):
        assert status is Rag.green
