"""Year-end forecasts: the projection by each year-to-date method, its range, the chance
of meeting the target and the words for it, worked by hand; and the properties that
hold whatever the figures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import core.forecast
from core.errors import CoreError
from core.forecast import (
    FORECAST_COLUMNS,
    LIKELY_CHANCE,
    MIN_POOL_ERRORS,
    PRIOR_YEARS,
    UNLIKELY_CHANCE,
    ErrorPool,
    Forecast,
    forecast,
    forecast_many,
)
from core.periods import Period
from core.vocab import ForecastMethod, Outlook, Polarity, YtdMethod
from core.ytd import PeriodFigures, year_to_date

# The SPC sigma of a mean moving range of 3: 3 x 2.66 / 3.
SIGMA_OF_MR_3 = 2.66
# Nine errors from -2 to 2: their 10% and 90% quantiles (ranks 1 and 9 of 9) are -2, 2.
NINE = ErrorPool.of([-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])


def quarter(year: int, number: int) -> Period:
    return Period.for_quarter(year, number)


def month(year: int, number: int) -> Period:
    return Period.for_month(year, number)


def quarters(
    by_year: dict[int, Sequence[float | None]], target: float | None = None
) -> list[PeriodFigures]:
    """Quarterly figures, one list per financial year; targets for the latest year."""
    latest = max(by_year)
    figures = []
    for year, values in by_year.items():
        for q in range(1, 5):
            value = values[q - 1] if q <= len(values) else None
            figures.append(
                PeriodFigures(
                    quarter(year, q), value=value, target=target if year == latest else None
                )
            )
    return figures


SEASONAL = {2023: [10, 13, 16, 13], 2024: [16, 19]}


# Each year-to-date method, by hand ---


def test_sum_projects_the_rest_of_the_year_from_the_same_quarters_last_year() -> None:
    # This year runs 6 above last year (16 - 10, 19 - 13): Q3 16 + 6, Q4 13 + 6.
    result = forecast(
        quarters(SEASONAL, target=20),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        pool=NINE,
    )
    assert result.method is ForecastMethod.same_periods_last_year
    assert (result.outturn, result.target) == (76.0, 80.0)
    assert [(p.period, p.value) for p in result.projection] == [
        ("2024/25 Q3", 22.0),
        ("2024/25 Q4", 19.0),
    ]
    # Moving ranges all 3: sigma 2.66; two quarters to come, a shift from two pairs, and
    # last year's noise too: 2.66 x 2 x sqrt(2 x (1/2 + 1/2)) = 7.5236. Range: +-2 of it.
    assert result.low == pytest.approx(60.952768)
    assert result.high == pytest.approx(91.047232)
    # The band moves both quarters by the same amount: 15.047 / 2 each.
    assert [p.low for p in result.projection] == pytest.approx([14.476384, 11.476384])
    assert [p.high for p in result.projection] == pytest.approx([29.523616, 26.523616])
    # Meeting 80 needs an error of 4 / 7.5236 = 0.53 or more: 1, 1.5 and 2 of the nine.
    assert result.chance == pytest.approx(3 / 9)
    assert result.outlook is Outlook.at_risk
    assert (result.periods_used, result.periods_in_year, result.periods_needed) == (2, 4, 1)
    assert (result.own_years, result.errors_used) == (0, 9)
    assert (result.year, result.period) == ("2024/25", "2024/25 Q2")


@pytest.mark.parametrize(
    ("target", "chance", "outlook"),
    [(15, 1.0, Outlook.likely), (20, 3 / 9, Outlook.at_risk), (24, 0.0, Outlook.unlikely)],
)
def test_the_chance_of_a_higher_is_better_target_is_the_share_of_errors_that_reach_it(
    target: float, chance: float, outlook: Outlook
) -> None:
    result = forecast(
        quarters(SEASONAL, target=target),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        pool=NINE,
    )
    assert result.chance == pytest.approx(chance)
    assert result.outlook is outlook


def test_sum_with_no_last_year_projects_the_latest_years_mean() -> None:
    figures = [
        PeriodFigures(month(2024, 4), value=10, target=12),
        PeriodFigures(month(2024, 5), value=12, target=12),
        PeriodFigures(month(2024, 6), value=14, target=12),
    ]
    figures += [PeriodFigures(month(2024, 7).shift(i), target=12) for i in range(9)]
    result = forecast(
        figures, ytd_method="sum", polarity="higher_is_better", as_at=month(2024, 6), pool=NINE
    )
    # 36 so far, nine months at the mean of 12 to come.
    assert result.method is ForecastMethod.rolling_year_mean
    assert (result.outturn, result.target) == (144.0, 144.0)
    assert [p.period for p in result.projection][:2] == ["2024-07", "2024-08"]
    assert {p.value for p in result.projection} == {12.0}
    # Moving ranges 2: sigma 1.7733; 9 to come, the mean of 3: 1.7733 x 9 x sqrt(1/9 + 1/3).
    assert result.low == pytest.approx(122.72)
    assert result.high == pytest.approx(165.28)
    assert result.projection[0].low == pytest.approx(9.635556)
    # On the target exactly: the errors of 0 and above meet it: 5 of 9.
    assert result.chance == pytest.approx(5 / 9)


@pytest.mark.parametrize(
    ("target", "chance", "outlook"),
    [(130, 2 / 9, Outlook.at_risk), (125, 1 / 9, Outlook.unlikely), (170, 1.0, Outlook.likely)],
)
def test_the_chance_of_a_lower_is_better_target_counts_the_errors_that_stay_under_it(
    target: float, chance: float, outlook: Outlook
) -> None:
    figures = [PeriodFigures(month(2024, 4).shift(i), target=target / 12) for i in range(12)]
    figures[:3] = [
        PeriodFigures(month(2024, m), value=v, target=target / 12)
        for m, v in ((4, 10), (5, 12), (6, 14))
    ]
    result = forecast(
        figures, ytd_method="sum", polarity="lower_is_better", as_at=month(2024, 6), pool=NINE
    )
    # 130 needs an error of -14 / 10.64 = -1.32 or less: -2 and -1.5.
    assert result.chance == pytest.approx(chance)
    assert result.outlook is outlook


def test_mean_is_the_mean_of_the_years_periods_projected_the_same_way() -> None:
    result = forecast(
        quarters(SEASONAL, target=20),
        ytd_method="mean",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        pool=NINE,
    )
    # (16 + 19 + 22 + 19) / 4; half the year to come: 2.66 x 2/4 x sqrt(2) = 1.8809.
    assert (result.outturn, result.target) == (19.0, 20.0)
    assert result.low == pytest.approx(19 - 2 * 1.880904)
    assert result.high == pytest.approx(19 + 2 * 1.880904)
    assert [p.value for p in result.projection] == [22.0, 19.0]


def test_ratio_projects_numerators_and_denominators_and_weighs_by_them() -> None:
    parts = {
        2023: [(40, 50), (45, 50), (30, 40), (36, 40)],
        2024: [(44, 55), (50, 55)],
    }
    figures = [
        PeriodFigures(quarter(year, q + 1), numerator=n, denominator=d, value=100 * n / d)
        for year, pairs in parts.items()
        for q, (n, d) in enumerate(pairs)
    ]
    figures += [PeriodFigures(quarter(2024, q), target=85) for q in (3, 4)]
    figures[4:6] = [
        PeriodFigures(quarter(2024, q + 1), numerator=n, denominator=d, target=85)
        for q, (n, d) in enumerate(parts[2024])
    ]
    result = forecast(
        figures, ytd_method="ratio", polarity="higher_is_better", as_at=quarter(2024, 2), pool=NINE
    )
    # Numerators run 4.5 above last year (4, 5), denominators 5: Q3 34.5 / 45, Q4 40.5 /
    # 45. The year: (44 + 50 + 34.5 + 40.5) / (55 + 55 + 45 + 45) = 169 / 200 = 84.5%.
    assert result.outturn == pytest.approx(84.5)
    assert result.target == 85.0
    assert [p.value for p in result.projection] == pytest.approx([76.666667, 90.0])
    # Period ratios 80 90 75 90 80 90.91: mean moving range 12.18, sigma 10.80; 90 of
    # the 200 still to come: 10.80 x 0.45 x sqrt(2 x (1/2 + 1/2)) = 6.8738.
    assert result.low == pytest.approx(70.752301)
    assert result.high == pytest.approx(98.247699)


def test_latest_is_the_last_quarter_of_the_year_as_projected() -> None:
    figures = quarters({2023: [100, 110, 120, 130], 2024: [104, 116]}, target=140)
    result = forecast(
        figures, ytd_method="latest", polarity="lower_is_better", as_at=quarter(2024, 2), pool=NINE
    )
    # 5 above last year (4, 6): Q3 125, Q4 135; the year ends at Q4.
    assert [p.value for p in result.projection] == [125.0, 135.0]
    assert (result.outturn, result.target) == (135.0, 140.0)
    # Moving ranges 10 10 10 26 12: sigma 12.0587; one period, a shift of two pairs:
    # 12.0587 x sqrt(2 x (1 + 1/2)) = 20.8862.
    assert result.low == pytest.approx(93.227553)
    assert result.high == pytest.approx(176.772447)
    # Staying at or under 140 needs an error of 5 / 20.89 = 0.24 or less: 5 of 9.
    assert result.chance == pytest.approx(5 / 9)
    assert result.projection[0].low == pytest.approx(125 - 41.772447)


# Which method, and when ---


def test_a_measure_that_repeats_its_year_is_projected_from_last_year() -> None:
    figures = quarters(
        {2021: [10, 20, 30, 40], 2022: [10, 20, 30, 40], 2023: [10, 20, 30, 40], 2024: [11, 21]}
    )
    result = forecast(figures, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 2))
    assert result.method is ForecastMethod.same_periods_last_year
    assert result.outturn == 32 + 31 + 41


def test_a_measure_without_seasonality_is_projected_from_its_latest_years_mean() -> None:
    # Last year's pattern never comes back, so the mean forecast earlier years better.
    figures = quarters(
        {2021: [10, 12, 10, 12], 2022: [12, 10, 12, 10], 2023: [10, 12, 10, 12], 2024: [12, 12]}
    )
    result = forecast(figures, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 2))
    assert result.method is ForecastMethod.rolling_year_mean
    # The latest year: 10, 12, 12, 12 (mean 11.5), twice to come after 24.
    assert result.outturn == 47.0


def test_when_last_years_figure_is_missing_the_mean_is_used_instead() -> None:
    figures = quarters({2023: [10, None, 30, 40], 2024: [11, 21, 31]})
    result = forecast(figures, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 3))
    assert result.method is ForecastMethod.same_periods_last_year
    gap = quarters({2023: [10, 20, 30, None], 2024: [11, 21, 31]})
    fallback = forecast(gap, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 3))
    # No Q4 last year: the mean of the latest four quarters' figures (last year's Q4 is
    # missing, so 11, 21 and 31) for the one quarter to come.
    assert fallback.method is ForecastMethod.rolling_year_mean
    assert fallback.outturn == 63 + 21


def test_a_missing_quarter_before_the_one_reached_is_projected_too() -> None:
    figures = quarters({2023: [10, 13, 16, 13], 2024: [None, 19]}, target=20)
    result = forecast(
        figures, ytd_method="sum", polarity="higher_is_better", as_at=quarter(2024, 2), pool=NINE
    )
    # Only Q2 pairs (19 - 13 = 6): Q1 10 + 6, Q3 16 + 6, Q4 13 + 6.
    assert [(p.period, p.value) for p in result.projection] == [
        ("2024/25 Q1", 16.0),
        ("2024/25 Q3", 22.0),
        ("2024/25 Q4", 19.0),
    ]
    assert result.outturn == 76.0
    assert result.periods_used == 1


# A rebase inside the year ---


def test_a_rebase_inside_the_year_measures_the_change_from_it_on() -> None:
    figures = quarters({2023: [10, 20, 30, 40], 2024: [12, 32]})
    kept = forecast(figures, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 2))
    rebased = forecast(
        figures,
        ytd_method="sum",
        polarity="neutral",
        as_at=quarter(2024, 2),
        rebase_at=[quarter(2024, 2)],
    )
    # Without: the year runs (2 + 12) / 2 = 7 above last year; from Q2's rebase: 12.
    assert kept.outturn == 12 + 32 + 37 + 47
    assert rebased.outturn == 12 + 32 + 42 + 52


def test_a_rebase_inside_the_year_restarts_the_mean() -> None:
    values = {4: 10, 5: 10, 6: 20, 7: 20}
    figures = [PeriodFigures(month(2024, m), value=v) for m, v in values.items()]
    kept = forecast(figures, ytd_method="sum", polarity="neutral", as_at=month(2024, 7))
    rebased = forecast(
        figures,
        ytd_method="sum",
        polarity="neutral",
        as_at=month(2024, 7),
        rebase_at=[month(2024, 6)],
    )
    # Eight months to come at the mean of 10, 10, 20, 20 (15), or of 20, 20 since June.
    assert kept.outturn == 60 + 8 * 15
    assert rebased.outturn == 60 + 8 * 20


# Too early, no target, no way better, a complete year ---


def test_too_early_with_two_months_of_the_year_in() -> None:
    figures = [
        PeriodFigures(month(2023, 4).shift(i), value=10 + i % 3, target=11) for i in range(12)
    ]
    figures += [PeriodFigures(month(2024, 4), value=11, target=11)]
    figures += [PeriodFigures(month(2024, 5), value=12, target=11)]
    figures += [PeriodFigures(month(2024, 6).shift(i), target=11) for i in range(10)]
    result = forecast(
        figures, ytd_method="sum", polarity="higher_is_better", as_at=month(2024, 5), pool=NINE
    )
    assert result.outlook is Outlook.too_early
    assert (result.periods_used, result.periods_needed) == (2, 3)
    assert (result.low, result.high, result.chance) == (None, None, None)
    assert result.outturn is not None  # projected, but not yet judged
    assert result.explanation() == (
        "Too early to say how 2024/25 will end: 2 months of it are in, and 3 are needed."
    )


def test_a_quarterly_measure_can_be_judged_after_one_quarter() -> None:
    result = forecast(
        quarters({2023: [10, 13, 16, 13], 2024: [16]}, target=15),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 1),
        pool=NINE,
    )
    assert result.outlook is not Outlook.too_early
    assert result.periods_needed == 1


def test_too_early_at_the_start_of_a_year_with_nothing_in_yet() -> None:
    result = forecast(
        quarters({2023: [10, 13, 16, 13], 2024: []}, target=15),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 1),
        pool=NINE,
    )
    assert result.outlook is Outlook.too_early
    assert result.periods_used == 0
    assert result.explanation().startswith("Too early to say how 2024/25 will end: 0 quarters")


def test_too_little_history_for_a_range_is_too_early_to_say() -> None:
    result = forecast(
        quarters(SEASONAL, target=20),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
    )
    assert result.outturn == 76.0
    assert (result.low, result.chance, result.outlook) == (None, None, Outlook.too_early)
    assert result.explanation() == (
        "Too early to say how 2024/25 will end: there is too little history to tell how "
        "far a forecast may be out."
    )


def test_a_measure_with_no_target_gets_its_projection_and_range_but_no_verdict() -> None:
    result = forecast(
        quarters(SEASONAL),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        decimals=0,
        pool=NINE,
    )
    assert result.outlook is Outlook.no_target
    assert (result.outturn, result.target, result.chance) == (76.0, None, None)
    assert result.low == pytest.approx(60.952768)
    assert result.explanation() == (
        "On current performance the year ends at 76 (80% range 61 to 91, judged mostly "
        "from other measures' history); there is no year-end target to judge it by."
    )


def test_a_year_end_target_needs_every_quarters_target_for_a_sum() -> None:
    figures = quarters(SEASONAL, target=20)
    figures[-1] = PeriodFigures(quarter(2024, 4))  # Q4's target is not set yet
    result = forecast(
        figures, ytd_method="sum", polarity="higher_is_better", as_at=quarter(2024, 2), pool=NINE
    )
    assert (result.target, result.outlook) == (None, Outlook.no_target)


def test_a_neutral_measure_is_projected_but_not_judged() -> None:
    result = forecast(
        quarters(SEASONAL, target=20),
        ytd_method="sum",
        polarity="neutral",
        as_at=quarter(2024, 2),
        pool=NINE,
    )
    assert (result.outturn, result.chance, result.outlook) == (76.0, None, Outlook.not_applicable)
    assert result.low is not None


@pytest.mark.parametrize("values", [[16, 19, 22, 19], [16.25, 19, 22, 19]])
def test_a_complete_year_of_a_neutral_measure_has_no_chance_either(values: list[float]) -> None:
    # Whole numbers are added up on arrays; quarter units through the year to date.
    figures = quarters({2023: [10, 13, 16, 13], 2024: values}, target=20)
    result = forecast(
        figures, ytd_method="sum", polarity="neutral", as_at=quarter(2024, 4), decimals=0
    )
    assert (result.method, result.chance) == (ForecastMethod.year_complete, None)
    assert result.outlook is Outlook.not_applicable


@pytest.mark.parametrize(
    ("target", "outlook", "chance", "verdict"),
    [(19, Outlook.met, 1.0, "met"), (20, Outlook.missed, 0.0, "missed")],
)
def test_a_complete_year_is_its_year_to_date_met_or_missed(
    target: float, outlook: Outlook, chance: float, verdict: str
) -> None:
    figures = quarters({2023: [10, 13, 16, 13], 2024: [16, 19, 22, 19]}, target=target)
    result = forecast(
        figures, ytd_method="sum", polarity="higher_is_better", as_at=quarter(2024, 4), pool=NINE
    )
    assert result.method is ForecastMethod.year_complete
    assert (result.outturn, result.low, result.high) == (76.0, 76.0, 76.0)
    assert (result.target, result.chance, result.outlook) == (4 * target, chance, outlook)
    assert result.projection == ()
    assert result.explanation() == (
        f"The year 2024/25 ended at 76 against a target of {4 * target}: {verdict}."
    )


def test_a_complete_year_is_judged_as_displayed() -> None:
    figures = quarters({2024: [10.04, 10, 10, 10]}, target=10.01)
    shown = forecast(
        figures, ytd_method="mean", polarity="lower_is_better", as_at=quarter(2024, 4), decimals=1
    )
    # 10.01 against 10.01: both show as 10.0.
    assert shown.outlook is Outlook.met


# The sentence ---


def test_the_explanation_reads_as_the_issue_asks() -> None:
    result = Forecast(
        year="2025/26",
        period="2025-10",
        ytd_method=YtdMethod.sum,
        polarity=Polarity.higher_is_better,
        method=ForecastMethod.same_periods_last_year,
        outturn=4210.0,
        low=4050.0,
        high=4380.0,
        target=4500.0,
        chance=0.1,
        outlook=Outlook.unlikely,
        periods_used=7,
        periods_in_year=12,
        periods_needed=3,
        own_years=PRIOR_YEARS,
        decimals=0,
    )
    assert result.explanation() == (
        "On current performance the year ends at 4,210 against a target of 4,500 "
        "(80% range 4,050 to 4,380): unlikely to be met."
    )
    assert result.method_description == (
        "Projected with the periods to come as the same periods last year, moved by this "
        "year's change in level."
    )


# The pool and the width ---


def test_a_measure_with_its_own_history_has_its_own_width_shrunk_towards_the_pools() -> None:
    pool = ErrorPool.of([-1.0, 1.0])  # typical size 1
    widths = pool.width(np.array([2.0, 0.5, np.nan]), np.array([PRIOR_YEARS, 9, 0]))
    # Three years of errors twice the typical size: sqrt((3 x 4 + 3) / 6); nine years of
    # half: sqrt((9 x 0.25 + 3) / 12); none: the pool's own width.
    assert widths.tolist() == pytest.approx([math.sqrt(2.5), math.sqrt(0.4375), 1.0])


def test_too_few_errors_in_the_pool_give_no_range() -> None:
    short = ErrorPool.of([0.0] * (MIN_POOL_ERRORS - 1))
    result = forecast(
        quarters(SEASONAL, target=20),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        pool=short,
    )
    assert (result.low, result.outlook) == (None, Outlook.too_early)


def test_the_outlook_thresholds_are_the_legends() -> None:
    assert (LIKELY_CHANCE, UNLIKELY_CHANCE) == (0.8, 0.2)


# Many measures at once ---


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    measures = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "code": ["A", "B", "C"],
            "frequency": ["quarterly", "monthly", "annual"],
            "polarity": ["higher_is_better", "lower_is_better", "neutral"],
            "ytd_method": ["sum", "mean", "latest"],
            "decimals": [0, 1, 2],
        }
    )
    rows = []
    for year, values in {2023: [10, 13, 16, 13], 2024: [16, 19]}.items():
        rows += [(1, quarter(year, q + 1).label, v) for q, v in enumerate(values)]
    rows += [(2, month(2024, 4).shift(i).label, 20.0 + i) for i in range(7)]
    rows += [(3, f"{y}/{(y + 1) % 100:02d}", 5.0 + y % 3) for y in range(2019, 2025)]
    observations = pd.DataFrame(rows, columns=["measure_id", "period", "value"])
    targets = pd.DataFrame(
        [(1, quarter(2024, q).label, 20.0) for q in range(1, 5)]
        + [(2, month(2024, 4).shift(i).label, 25.0) for i in range(12)],
        columns=["measure_id", "period", "value"],
    )
    rebases = pd.DataFrame({"measure_id": [2], "period": ["2024-06"]})
    return measures, observations, targets, rebases


def test_forecast_many_gives_one_row_per_measure_in_order() -> None:
    measures, observations, targets, rebases = _frames()
    batch = forecast_many(measures, observations, targets, rebases, as_at="2024-10")
    table = batch.table
    assert tuple(table.columns) == FORECAST_COLUMNS
    assert table["measure_id"].tolist() == [1, 2, 3]
    # Each measure from its latest period that has ended by the end of October.
    assert table["period"].tolist() == ["2024/25 Q2", "2024-10", "2023/24"]
    assert table["method"].tolist() == [
        "same_periods_last_year",
        "rolling_year_mean",
        "year_complete",
    ]
    assert table.loc[0, "outturn"] == 76.0
    # Monthly, lower is better, mean, rebased in June: 20 to 26 in (161), the mean since
    # June (22 to 26: 24) for the five months to come.
    assert table.loc[1, "outturn"] == pytest.approx((161 + 5 * 24) / 12)
    assert table.loc[2, "outturn"] == 5.0 + 2023 % 3
    assert table["outlook"].tolist()[2] == "not_applicable"
    assert batch.forecast(1) == forecast(
        quarters(SEASONAL, target=20),
        ytd_method="sum",
        polarity="higher_is_better",
        as_at=quarter(2024, 2),
        decimals=0,
        pool=batch.pool,
    )


def test_forecast_many_uses_only_the_figures_in_by_the_period_reached() -> None:
    measures, observations, targets, rebases = _frames()
    later = pd.concat(
        [
            observations,
            pd.DataFrame(
                {"measure_id": [1, 2], "period": ["2024/25 Q3", "2024-11"], "value": [99.0, 99.0]}
            ),
        ],
        ignore_index=True,
    )
    before = forecast_many(measures, observations, targets, rebases, as_at="2024-10").table
    after = forecast_many(measures, later, targets, rebases, as_at="2024-10").table
    pd.testing.assert_frame_equal(before, after)


def test_forecast_many_ignores_the_order_of_rows_and_changes_no_input() -> None:
    measures, observations, targets, rebases = _frames()
    copies = [frame.copy() for frame in (measures, observations, targets, rebases)]
    batch = forecast_many(measures, observations, targets, rebases, as_at="2024-10")
    shuffled = forecast_many(
        measures,
        observations.sample(frac=1, random_state=3),
        targets.sample(frac=1, random_state=4),
        rebases,
        as_at="2024-10",
    )
    pd.testing.assert_frame_equal(batch.table, shuffled.table)
    for frame, copy in zip((measures, observations, targets, rebases), copies, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_forecast_many_as_at_today_is_the_latest_complete_month() -> None:
    measures, observations, targets, rebases = _frames()
    by_label = forecast_many(measures, observations, targets, rebases, as_at="2024-10").table
    by_day = forecast_many(measures, observations, targets, rebases, today=date(2024, 11, 14))
    by_period = forecast_many(
        measures, observations, targets, rebases, as_at=Period.for_month(2024, 10)
    )
    pd.testing.assert_frame_equal(by_label, by_day.table)
    pd.testing.assert_frame_equal(by_label, by_period.table)


def test_forecast_many_of_no_measures_is_an_empty_table() -> None:
    measures, observations, targets, _ = _frames()
    batch = forecast_many(measures.iloc[0:0], observations, targets, as_at="2024-10")
    assert batch.table.empty
    assert tuple(batch.table.columns) == FORECAST_COLUMNS


def test_ratio_measures_take_numerators_and_denominators_from_the_frame() -> None:
    measures = pd.DataFrame(
        {
            "id": [5],
            "frequency": ["quarterly"],
            "polarity": ["higher_is_better"],
            "ytd_method": ["ratio"],
        }
    )
    observations = pd.DataFrame(
        {
            "measure_id": [5] * 6,
            "period": [quarter(2023, q).label for q in range(1, 5)] + ["2024/25 Q1", "2024/25 Q2"],
            "value": [80.0, 90.0, 75.0, 90.0, 80.0, 90.9],
            "numerator": [40.0, 45.0, 30.0, 36.0, 44.0, 50.0],
            "denominator": [50.0, 50.0, 40.0, 40.0, 55.0, 55.0],
        }
    )
    targets = pd.DataFrame({"measure_id": [5], "period": ["2024/25 Q4"], "value": [85.0]})
    result = forecast_many(measures, observations, targets, as_at="2024-09").forecast(5)
    assert result.outturn == pytest.approx(84.5)
    assert result.target == 85.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"polarity": ["sideways"]}, "Unknown polarity 'sideways'"),
        ({"ytd_method": ["median"]}, "Unknown year-to-date method 'median'"),
        ({"frequency": ["weekly"]}, "Unknown frequency 'weekly'"),
    ],
)
def test_unknown_words_in_the_measures_raise_core_errors(
    change: dict[str, list[str]], message: str
) -> None:
    measures, observations, targets, _ = _frames()
    measures = measures.iloc[:1].assign(**change)
    with pytest.raises(CoreError, match=message):
        forecast_many(measures, observations, targets, as_at="2024-10")


def test_two_figures_for_one_period_raise() -> None:
    measures, observations, targets, _ = _frames()
    twice = pd.concat([observations, observations.iloc[:1]], ignore_index=True)
    with pytest.raises(CoreError, match="two sets of figures for measure 1 in 2023/24 Q1"):
        forecast_many(measures, twice, targets, as_at="2024-10")


def test_a_period_of_another_frequency_raises() -> None:
    measures, observations, targets, _ = _frames()
    wrong = pd.concat(
        [observations, pd.DataFrame({"measure_id": [1], "period": ["2024-05"], "value": [1.0]})],
        ignore_index=True,
    )
    with pytest.raises(
        CoreError, match="Measure 1 is quarterly, but the observations have '2024-05'"
    ):
        forecast_many(measures, wrong, targets, as_at="2024-10")


def test_a_label_that_is_not_a_period_raises() -> None:
    measures, observations, targets, _ = _frames()
    wrong = observations.assign(period=observations["period"].replace("2024/25 Q1", "Q1 24"))
    with pytest.raises(CoreError, match="'Q1 24' in the observations is not a period label"):
        forecast_many(measures, wrong, targets, as_at="2024-10")


def test_forecast_many_needs_a_period_or_a_day() -> None:
    measures, observations, targets, _ = _frames()
    with pytest.raises(CoreError, match="needs the period reached"):
        forecast_many(measures, observations, targets)
    with pytest.raises(CoreError, match="min_months"):
        forecast_many(measures, observations, targets, as_at="2024-10", min_months=0)


def test_forecast_refuses_figures_of_another_frequency() -> None:
    with pytest.raises(CoreError, match="2024-04 is a monthly period"):
        forecast(
            [PeriodFigures(month(2024, 4), value=1)],
            ytd_method="sum",
            polarity="neutral",
            as_at=quarter(2024, 1),
        )


def test_every_public_name_has_a_docstring() -> None:
    undocumented = [
        name
        for name in core.forecast.__all__
        if callable(getattr(core.forecast, name)) and not getattr(core.forecast, name).__doc__
    ]
    assert undocumented == []


# Properties ---

YEARS = st.integers(min_value=2, max_value=6)
POOLS = st.sampled_from([None, NINE])
VALUE = st.integers(min_value=0, max_value=400).map(lambda v: v / 4)
METHODS = st.sampled_from([m.value for m in YtdMethod])


@st.composite
def histories(draw: st.DrawFn, ratio: bool = False) -> tuple[list[PeriodFigures], Period]:
    """Quarterly figures over a few years, some missing, a target, and the quarter reached."""
    years = draw(YEARS)
    point = draw(st.integers(min_value=1, max_value=4))
    target = draw(st.one_of(st.none(), VALUE))
    figures = []
    for year in range(2024 - years + 1, 2025):
        for q in range(1, 5):
            period = quarter(year, q)
            there = draw(st.integers(min_value=0, max_value=9)) > 0  # one in ten missing
            if there and (year < 2024 or q <= point):
                value = draw(VALUE)
                denominator = draw(st.integers(min_value=1, max_value=40)) if ratio else None
                numerator = value * denominator / 100 if denominator else None
                figures.append(
                    PeriodFigures(
                        period,
                        value=value,
                        numerator=numerator,
                        denominator=denominator,
                        target=target,
                    )
                )
            else:
                figures.append(PeriodFigures(period, target=target))
    return figures, quarter(2024, point)


def _moved(
    figures: list[PeriodFigures], by: float = 0.0, times: float = 1.0, parts: float = 1.0
) -> list[PeriodFigures]:
    def move(value: float | None) -> float | None:
        return None if value is None else value * times + by

    return [
        PeriodFigures(
            f.period,
            value=move(f.value),  # type: ignore[arg-type]
            numerator=None if f.numerator is None else f.numerator * parts,  # type: ignore[operator]
            denominator=None if f.denominator is None else f.denominator * parts,  # type: ignore[operator]
            target=move(f.target),  # type: ignore[arg-type]
        )
        for f in figures
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.sampled_from(["sum", "mean", "latest"]), st.integers(-50, 50), POOLS)
def test_adding_a_constant_to_every_figure_moves_the_projection_by_it(
    history: tuple[list[PeriodFigures], Period],
    method: str,
    constant: int,
    pool: ErrorPool | None,
) -> None:
    figures, as_at = history
    before = forecast(
        figures, ytd_method=method, polarity="higher_is_better", as_at=as_at, pool=pool
    )
    after = forecast(
        _moved(figures, by=constant),
        ytd_method=method,
        polarity="higher_is_better",
        as_at=as_at,
        pool=pool,
    )
    assume(before.outturn is not None)
    assert before.method == after.method
    times = 4 if method == "sum" else 1  # a sum moves by it once a quarter
    shift = constant * times
    assert after.outturn == pytest.approx(before.outturn + shift, abs=1e-6)
    for was, now in ((before.low, after.low), (before.high, after.high)):
        assert (was is None) == (now is None)
        if was is not None:
            assert now == pytest.approx(was + shift, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(histories(), METHODS.filter(lambda m: m != "ratio"), st.sampled_from([2.0, 0.5, 4.0]), POOLS)
def test_scaling_every_figure_and_target_scales_the_forecast_and_keeps_its_chance(
    history: tuple[list[PeriodFigures], Period],
    method: str,
    factor: float,
    pool: ErrorPool | None,
) -> None:
    figures, as_at = history
    before = forecast(
        figures, ytd_method=method, polarity="lower_is_better", as_at=as_at, pool=pool
    )
    after = forecast(
        _moved(figures, times=factor),
        ytd_method=method,
        polarity="lower_is_better",
        as_at=as_at,
        pool=pool,
    )
    assert (after.method, after.chance, after.outlook) == (
        before.method,
        before.chance,
        before.outlook,
    )
    for was, now in ((before.outturn, after.outturn), (before.low, after.low)):
        assert now == (None if was is None else was * factor)


@settings(max_examples=60, deadline=None)
@given(histories(ratio=True), POOLS)
def test_a_ratio_is_the_same_whatever_the_scale_of_its_parts(
    history: tuple[list[PeriodFigures], Period], pool: ErrorPool | None
) -> None:
    figures, as_at = history
    before = forecast(
        figures, ytd_method="ratio", polarity="higher_is_better", as_at=as_at, pool=pool
    )
    doubled = forecast(
        _moved(figures, parts=2.0),
        ytd_method="ratio",
        polarity="higher_is_better",
        as_at=as_at,
        pool=pool,
    )
    assert doubled == before


@settings(max_examples=60, deadline=None)
@given(histories(), METHODS.filter(lambda m: m != "ratio"), POOLS)
def test_turning_the_figures_upside_down_and_the_polarity_round_keeps_the_chance(
    history: tuple[list[PeriodFigures], Period], method: str, pool: ErrorPool | None
) -> None:
    figures, as_at = history
    up = forecast(figures, ytd_method=method, polarity="higher_is_better", as_at=as_at, pool=pool)
    down = forecast(
        _moved(figures, times=-1.0),
        ytd_method=method,
        polarity="lower_is_better",
        as_at=as_at,
        pool=pool,
    )
    assert (down.chance, down.outlook) == (up.chance, up.outlook)
    assert down.outturn == (None if up.outturn is None else -up.outturn)
    if up.low is not None:
        assert down.high == pytest.approx(-up.low)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.one_of(VALUE, st.floats(0, 1e6, allow_nan=False)), min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), VALUE), min_size=4, max_size=4),
    METHODS,
    st.sampled_from([None, 0, 1, 2]),
)
def test_a_complete_year_is_exactly_its_year_to_date(
    values: list[float], targets: list[float | None], method: str, decimals: int | None
) -> None:
    figures = [
        PeriodFigures(
            quarter(2024, q + 1),
            value=v,
            numerator=v,
            denominator=4.0,
            target=t,
        )
        for q, (v, t) in enumerate(zip(values, targets, strict=True))
    ]
    result = forecast(
        figures,
        ytd_method=method,
        polarity="higher_is_better",
        as_at=quarter(2024, 4),
        decimals=decimals,
    )
    expected = year_to_date(figures, method=method, as_at=quarter(2024, 4))
    assert result.method is ForecastMethod.year_complete
    assert result.outturn == expected.actual
    assert result.target == expected.target
    if expected.target is not None:
        green = expected.rag(polarity="higher_is_better", decimals=decimals).value == "green"
        assert result.outlook is (Outlook.met if green else Outlook.missed)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(histories(), METHODS, st.sampled_from(list(Polarity))), min_size=1, max_size=4
    )
)
def test_forecast_many_gives_each_measure_what_forecast_gives_it(
    measures: list[tuple[tuple[list[PeriodFigures], Period], str, Polarity]],
) -> None:
    # Every measure reaches the same quarter, as forecast_many has them.
    as_at = measures[0][0][1]
    rows, observations, goals = [], [], []
    kept = []
    for i, ((figures, _), method, polarity) in enumerate(measures):
        figures = [f for f in figures if f.period <= as_at]
        kept.append(figures)
        rows.append(
            {"id": i, "frequency": "quarterly", "polarity": polarity.value, "ytd_method": method}
        )
        for f in figures:
            ratio = method == "ratio"
            observations.append(
                {
                    "measure_id": i,
                    "period": f.period.label,
                    "value": f.value,
                    "numerator": f.value if ratio and f.value is not None else None,
                    "denominator": 1.0 if ratio and f.value is not None else None,
                }
            )
            if f.target is not None:
                goals.append({"measure_id": i, "period": f.period.label, "value": f.target})
    batch = forecast_many(
        pd.DataFrame(rows),
        pd.DataFrame(
            observations, columns=["measure_id", "period", "value", "numerator", "denominator"]
        ),
        pd.DataFrame(goals, columns=["measure_id", "period", "value"]),
        as_at=as_at,
    )
    for i, ((_, _), method, polarity) in enumerate(measures):
        figures = [
            PeriodFigures(
                f.period,
                value=f.value,
                numerator=f.value if method == "ratio" else None,
                denominator=(1.0 if f.value is not None else None) if method == "ratio" else None,
                target=f.target,
            )
            for f in kept[i]
        ]
        alone = forecast(
            figures, ytd_method=method, polarity=polarity, as_at=as_at, pool=batch.pool
        )
        assert batch.forecast(i) == alone
