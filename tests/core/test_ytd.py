"""Year to date by each method, with missing periods, targets and ratios."""

from __future__ import annotations

import random
import time

import pytest

from core.errors import CoreError
from core.periods import Period
from core.vocab import Rag, YtdMethod
from core.ytd import PeriodFigures, YtdResult, year_to_date

NAN = float("nan")


def month(year: int, number: int) -> Period:
    return Period.for_month(year, number)


APR, MAY, JUN, JUL = month(2024, 4), month(2024, 5), month(2024, 6), month(2024, 7)
MAR_2024, MAR_2025 = month(2024, 3), month(2025, 3)


# Sum ---


def test_sum_adds_actuals_and_targets_to_date() -> None:
    figures = [
        PeriodFigures(APR, value=10, target=12),
        PeriodFigures(MAY, value=14, target=12),
        PeriodFigures(JUN, value=9, target=15),
    ]
    result = year_to_date(figures, method="sum", as_at=JUN)
    assert (result.actual, result.target) == (33.0, 39.0)
    assert (result.periods_expected, result.periods_present, result.missing) == (3, 3, ())
    assert result.complete
    assert result.latest_period == "2024-06"
    assert result.financial_year == "2024/25"
    assert result.method is YtdMethod.sum


def test_sum_compares_like_for_like_when_a_period_is_missing() -> None:
    # May has a target but no actual: its target is left out too.
    figures = [
        PeriodFigures(APR, value=10, target=12),
        PeriodFigures(MAY, target=12),
        PeriodFigures(JUN, value=9, target=15),
    ]
    result = year_to_date(figures, method="sum", as_at=JUN)
    assert (result.actual, result.target) == (19.0, 27.0)
    assert (result.periods_expected, result.periods_present) == (3, 2)
    assert result.missing == ("2024-05",)
    assert not result.complete


def test_sum_counts_periods_with_no_figures_at_all_as_missing() -> None:
    result = year_to_date([PeriodFigures(APR, value=5, target=4)], method="sum", as_at=JUL)
    assert (result.actual, result.target) == (5.0, 4.0)
    assert result.missing == ("2024-05", "2024-06", "2024-07")
    assert (result.periods_expected, result.periods_present) == (4, 1)


def test_sum_target_is_none_when_a_present_period_has_no_target() -> None:
    figures = [PeriodFigures(APR, value=10, target=12), PeriodFigures(MAY, value=14)]
    result = year_to_date(figures, method="sum", as_at=MAY)
    assert (result.actual, result.target) == (24.0, None)
    assert result.rag(polarity="higher_is_better") is Rag.no_target


def test_sum_with_nothing_present_has_no_actual_but_the_target_to_date() -> None:
    figures = [PeriodFigures(APR, target=12), PeriodFigures(MAY, target=12.5)]
    result = year_to_date(figures, method="sum", as_at=MAY)
    assert (result.actual, result.target) == (None, 24.5)
    assert result.periods_present == 0
    assert result.latest_period is None
    assert result.rag(polarity="higher_is_better") is Rag.no_value


def test_sum_of_floats_has_no_binary_noise() -> None:
    figures = [PeriodFigures(APR, value=0.1, target=0.2), PeriodFigures(MAY, value=0.2, target=0.1)]
    result = year_to_date(figures, method="sum", as_at=MAY)
    assert (result.actual, result.target) == (0.3, 0.3)


def test_sum_treats_nan_as_missing() -> None:
    figures = [
        PeriodFigures(APR, value=NAN, target=5),
        PeriodFigures(MAY, value=7, target=NAN),
        PeriodFigures(JUN, value=3, target=2),
    ]
    result = year_to_date(figures, method="sum", as_at=JUN)
    assert result.missing == ("2024-04",)
    assert (result.actual, result.target) == (10.0, None)


# Mean ---


def test_mean_averages_actuals_and_their_targets() -> None:
    figures = [
        PeriodFigures(APR, value=80, target=85),
        PeriodFigures(MAY, value=90, target=85),
        PeriodFigures(JUN, value=85, target=88),
    ]
    result = year_to_date(figures, method="mean", as_at=JUN)
    assert (result.actual, result.target) == (85.0, 86.0)


def test_mean_of_three_targets_is_their_exact_average() -> None:
    figures = [
        PeriodFigures(APR, value=1, target=1),
        PeriodFigures(MAY, value=2, target=2),
        PeriodFigures(JUN, value=4, target=4),
    ]
    result = year_to_date(figures, method="mean", as_at=JUN)
    assert result.actual == pytest.approx(7 / 3)
    assert result.target == pytest.approx(7 / 3)


def test_mean_uses_only_periods_present() -> None:
    figures = [
        PeriodFigures(APR, value=80, target=80),
        PeriodFigures(MAY, target=100),
        PeriodFigures(JUN, value=90, target=90),
    ]
    result = year_to_date(figures, method="mean", as_at=JUN)
    assert (result.actual, result.target) == (85.0, 85.0)
    assert result.missing == ("2024-05",)


def test_mean_with_nothing_present_has_the_mean_target_to_date() -> None:
    figures = [PeriodFigures(APR, target=80), PeriodFigures(MAY, target=90)]
    result = year_to_date(figures, method="mean", as_at=MAY)
    assert (result.actual, result.target) == (None, 85.0)


# Ratio ---


def test_ratio_is_total_numerator_over_total_denominator_as_a_percent() -> None:
    # (45 + 30) / (50 + 100) = 50 %, not the mean of 90 % and 30 % (60 %).
    figures = [
        PeriodFigures(APR, numerator=45, denominator=50, target=80),
        PeriodFigures(MAY, numerator=30, denominator=100, target=85),
    ]
    result = year_to_date(figures, method="ratio", as_at=MAY)
    assert (result.actual, result.target) == (50.0, 85.0)
    assert (result.periods_expected, result.periods_present) == (2, 2)


def test_ratio_target_is_the_latest_present_periods_target() -> None:
    figures = [
        PeriodFigures(APR, numerator=9, denominator=10, target=80),
        PeriodFigures(MAY, numerator=8, denominator=10, target=85),
        PeriodFigures(JUN, target=90),
    ]
    result = year_to_date(figures, method="ratio", as_at=JUN)
    assert (result.actual, result.target) == (85.0, 85.0)
    assert result.missing == ("2024-06",)
    assert result.latest_period == "2024-05"


def test_ratio_period_needs_both_numerator_and_denominator() -> None:
    figures = [
        PeriodFigures(APR, numerator=9, denominator=10, value=90, target=80),
        PeriodFigures(MAY, numerator=8, value=80, target=80),
        PeriodFigures(JUN, denominator=10, value=70, target=80),
    ]
    result = year_to_date(figures, method="ratio", as_at=JUN)
    assert (result.actual, result.periods_present) == (90.0, 1)
    assert result.missing == ("2024-05", "2024-06")


def test_ratio_with_zero_total_denominator_has_no_actual() -> None:
    figures = [
        PeriodFigures(APR, numerator=0, denominator=0, target=80),
        PeriodFigures(MAY, numerator=0, denominator=0, target=80),
    ]
    result = year_to_date(figures, method="ratio", as_at=MAY)
    assert (result.actual, result.target) == (None, 80.0)
    assert result.periods_present == 2
    assert result.rag(polarity="higher_is_better") is Rag.no_value


def test_ratio_with_nothing_present_uses_the_as_at_target() -> None:
    figures = [PeriodFigures(APR, target=80), PeriodFigures(MAY, target=85)]
    result = year_to_date(figures, method="ratio", as_at=MAY)
    assert (result.actual, result.target) == (None, 85.0)


def test_ratio_scale_can_be_changed_for_rates() -> None:
    figures = [PeriodFigures(APR, numerator=3, denominator=1500)]
    result = year_to_date(figures, method="ratio", as_at=APR, ratio_scale=1000)
    assert result.actual == 2.0


# Latest ---


def test_latest_is_the_latest_actual_against_its_own_target() -> None:
    figures = [
        PeriodFigures(APR, value=70, target=60),
        PeriodFigures(MAY, value=75, target=65),
        PeriodFigures(JUN, target=70),
    ]
    result = year_to_date(figures, method="latest", as_at=JUN)
    assert (result.actual, result.target) == (75.0, 65.0)
    assert result.latest_period == "2024-05"
    assert result.missing == ("2024-06",)


def test_latest_with_nothing_present_uses_the_as_at_target() -> None:
    result = year_to_date([PeriodFigures(JUN, target=70)], method="latest", as_at=JUN)
    assert (result.actual, result.target) == (None, 70.0)


# The year and its periods ---


def test_periods_outside_the_year_or_after_as_at_are_ignored() -> None:
    figures = [
        PeriodFigures(MAR_2024, value=1000, target=1),
        PeriodFigures(APR, value=1, target=1),
        PeriodFigures(MAY, value=2, target=2),
        PeriodFigures(JUN, value=500, target=500),
    ]
    result = year_to_date(figures, method="sum", as_at=MAY)
    assert (result.actual, result.target) == (3.0, 3.0)
    assert result.periods_expected == 2


def test_a_full_year_to_march_expects_twelve_months() -> None:
    figures = [PeriodFigures(period, value=1, target=1) for period in Period.range(APR, MAR_2025)]
    result = year_to_date(figures, method="sum", as_at=MAR_2025)
    assert (result.actual, result.target, result.periods_expected) == (12.0, 12.0, 12)


def test_april_starts_a_new_year() -> None:
    figures = [
        PeriodFigures(MAR_2025, value=9, target=9),
        PeriodFigures(month(2025, 4), value=1, target=2),
    ]
    result = year_to_date(figures, method="sum", as_at=month(2025, 4))
    assert (result.actual, result.target, result.periods_expected) == (1.0, 2.0, 1)
    assert result.financial_year == "2025/26"


def test_quarterly_year_to_date_counts_quarters() -> None:
    q1, q2, q3 = (Period.for_quarter(2024, number) for number in (1, 2, 3))
    figures = [PeriodFigures(q1, value=5, target=6), PeriodFigures(q3, value=7, target=6)]
    result = year_to_date(figures, method="sum", as_at=q3)
    assert (result.actual, result.target) == (12.0, 12.0)
    assert result.missing == ("2024/25 Q2",)
    assert result.periods_expected == 3
    assert q2.label in result.missing


def test_calendar_year_council_year_to_date_runs_from_january() -> None:
    jan, feb = (Period.for_month(2024, m, year_start_month=1) for m in (1, 2))
    dec = Period.for_month(2023, 12, year_start_month=1)
    figures = [
        PeriodFigures(dec, value=100),
        PeriodFigures(jan, value=3, target=1),
        PeriodFigures(feb, value=4, target=1),
    ]
    result = year_to_date(figures, method="sum", as_at=feb)
    assert (result.actual, result.target, result.financial_year) == (7.0, 2.0, "2024")


def test_annual_year_to_date_is_the_year_itself() -> None:
    year = Period.for_year(2024)
    result = year_to_date([PeriodFigures(year, value=5, target=4)], method="latest", as_at=year)
    assert (result.actual, result.target, result.periods_expected) == (5.0, 4.0, 1)


def test_order_of_the_figures_does_not_matter() -> None:
    figures = [
        PeriodFigures(APR, value=70, target=60),
        PeriodFigures(MAY, value=75, target=65),
        PeriodFigures(JUN, value=72, target=70),
    ]
    for method in YtdMethod:
        forwards = year_to_date(figures, method=method, as_at=JUN)
        backwards = year_to_date(list(reversed(figures)), method=method, as_at=JUN)
        assert forwards == backwards


def test_the_input_is_not_changed() -> None:
    figures = [PeriodFigures(APR, value=1, target=1), PeriodFigures(MAY, value=2, target=2)]
    copy = list(figures)
    year_to_date(figures, method="mean", as_at=MAY)
    assert figures == copy


def test_a_generator_of_figures_is_accepted() -> None:
    figures = (PeriodFigures(p, value=1, target=1) for p in (APR, MAY))
    assert year_to_date(figures, method="sum", as_at=MAY).actual == 2.0


def test_no_figures_at_all_gives_nothing_present() -> None:
    result = year_to_date([], method="mean", as_at=JUN)
    assert (result.actual, result.target, result.periods_present) == (None, None, 0)
    assert result.missing == ("2024-04", "2024-05", "2024-06")


# Result status ---


def test_result_rag_uses_the_year_to_date_figures() -> None:
    figures = [PeriodFigures(APR, value=95, target=100), PeriodFigures(MAY, value=95, target=100)]
    result = year_to_date(figures, method="sum", as_at=MAY)
    assert result.rag(polarity="higher_is_better", tolerance=10) is Rag.amber
    assert result.rag(polarity="higher_is_better", tolerance=9) is Rag.red
    assert (
        result.rag(polarity="higher_is_better", tolerance=5, tolerance_kind="relative") is Rag.amber
    )
    assert result.rag(polarity="lower_is_better") is Rag.green


def test_result_is_frozen() -> None:
    result = year_to_date([], method="sum", as_at=APR)
    assert isinstance(result, YtdResult)
    with pytest.raises(AttributeError):
        result.actual = 1.0  # type: ignore[misc]


# Bad input ---


def test_two_figures_for_one_period_raise() -> None:
    figures = [PeriodFigures(APR, value=1), PeriodFigures(APR, value=2)]
    with pytest.raises(CoreError, match="two sets of figures for 2024-04"):
        year_to_date(figures, method="sum", as_at=MAY)


def test_figures_of_another_frequency_raise() -> None:
    figures = [PeriodFigures(Period.for_quarter(2024, 1), value=1)]
    with pytest.raises(CoreError, match="2024/25 Q1 is a quarterly period"):
        year_to_date(figures, method="sum", as_at=MAY)


def test_an_unknown_method_raises() -> None:
    with pytest.raises(CoreError, match="Unknown year-to-date method 'median'"):
        year_to_date([], method="median", as_at=MAY)


def test_as_at_must_be_a_period() -> None:
    with pytest.raises(CoreError, match="needs a Period"):
        year_to_date([], method="sum", as_at="2024-05")  # type: ignore[arg-type]


# Speed ---


def test_five_hundred_measures_of_twelve_months_take_well_under_a_second() -> None:
    rng = random.Random(7)
    months = Period.range(APR, MAR_2025)
    measures = [
        [
            PeriodFigures(
                p,
                value=rng.uniform(0, 100),
                numerator=rng.randint(0, 50),
                denominator=rng.randint(1, 60),
                target=rng.uniform(0, 100),
            )
            for p in months
        ]
        for _ in range(500)
    ]
    started = time.perf_counter()
    for index, figures in enumerate(measures):
        year_to_date(figures, method=list(YtdMethod)[index % 4], as_at=MAR_2025)
    assert time.perf_counter() - started < 1.0
