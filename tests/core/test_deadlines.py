"""Data deadlines: due dates, status on a day, lateness and the latest periods."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.deadlines import (
    chase_from,
    days_late,
    due_date,
    first_due_period,
    is_due_for,
    latest_complete_period,
    latest_due_period,
    owed_periods,
    period_status,
)
from core.errors import CoreError
from core.periods import Period
from core.vocab import DataStatus, Frequency

DEC_2024 = Period.for_month(2024, 12)
MAR_2025 = Period.for_month(2025, 3)
Q4_2024 = Period.for_quarter(2024, 4)
FY_2024 = Period.for_year(2024)


# Due dates ---


@pytest.mark.parametrize(
    ("period", "due"),
    [
        (Period.for_month(2024, 4), date(2024, 5, 10)),
        (Period.for_month(2024, 1), date(2024, 2, 10)),
        (DEC_2024, date(2025, 1, 10)),
        (MAR_2025, date(2025, 4, 10)),
        (Period.for_quarter(2024, 1), date(2024, 7, 10)),
        (Period.for_quarter(2024, 3), date(2025, 1, 10)),
        (Q4_2024, date(2025, 4, 10)),
        (FY_2024, date(2025, 4, 30)),
        (Period.for_year(2023), date(2024, 4, 30)),
    ],
)
def test_due_dates_for_an_april_year(period: Period, due: date) -> None:
    assert due_date(period) == due


def test_annual_data_is_due_at_the_end_of_the_month_after_the_year() -> None:
    assert due_date(Period.for_year(2024, year_start_month=1)) == date(2025, 1, 31)
    assert due_date(Period.for_year(2024, year_start_month=7)) == date(2025, 7, 31)
    # A year ending in January 2024 is due at the end of February, a leap February.
    assert due_date(Period.for_year(2023, year_start_month=2)) == date(2024, 2, 29)
    assert due_date(Period.for_year(2024, year_start_month=2)) == date(2025, 2, 28)


def test_the_deadline_day_is_a_setting() -> None:
    assert due_date(DEC_2024, day=15) == date(2025, 1, 15)
    assert due_date(Q4_2024, day=1) == date(2025, 4, 1)


def test_a_deadline_day_beyond_the_month_means_its_last_day() -> None:
    assert due_date(Period.for_month(2024, 1), day=31) == date(2024, 2, 29)
    assert due_date(Period.for_month(2025, 1), day=30) == date(2025, 2, 28)
    assert due_date(Period.for_month(2024, 3), day=31) == date(2024, 4, 30)


def test_the_deadline_day_does_not_change_the_annual_deadline() -> None:
    assert due_date(FY_2024, day=5) == date(2025, 4, 30)


def test_due_date_reads_text_when_given_the_frequency() -> None:
    assert due_date("2024-12", "monthly") == date(2025, 1, 10)
    assert due_date("Q4 2024/25", Frequency.quarterly) == date(2025, 4, 10)
    assert due_date("2024/25", "annual") == date(2025, 4, 30)
    assert due_date("2024", "annual", year_start_month=1) == date(2025, 1, 31)


def test_due_date_of_text_without_a_frequency_raises() -> None:
    with pytest.raises(CoreError, match="Say which frequency"):
        due_date("2024-12")


def test_due_date_with_a_conflicting_frequency_raises() -> None:
    with pytest.raises(CoreError, match="2024-12 is a monthly period, not quarterly"):
        due_date(DEC_2024, "quarterly")


@pytest.mark.parametrize("day", [0, 32, -1, 10.0, True])
def test_impossible_deadline_days_raise(day: object) -> None:
    with pytest.raises(CoreError, match="deadline day"):
        due_date(DEC_2024, day=day)  # type: ignore[arg-type]


# Status on a day ---


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2024, 12, 1), DataStatus.not_due),
        (date(2024, 12, 31), DataStatus.not_due),
        (date(2025, 1, 1), DataStatus.awaiting),
        (date(2025, 1, 10), DataStatus.awaiting),
        (date(2025, 1, 11), DataStatus.late),
        (date(2025, 6, 1), DataStatus.late),
    ],
)
def test_status_of_december_with_nothing_submitted(today: date, status: DataStatus) -> None:
    assert period_status(DEC_2024, False, today) is status


@pytest.mark.parametrize(
    "today", [date(2024, 12, 15), date(2025, 1, 5), date(2025, 1, 11), date(2026, 1, 1)]
)
def test_a_submitted_value_is_submitted_whatever_the_day(today: date) -> None:
    assert period_status(DEC_2024, True, today) is DataStatus.submitted


def test_quarter_four_is_awaited_until_the_tenth_of_april() -> None:
    assert period_status(Q4_2024, False, date(2025, 3, 31)) is DataStatus.not_due
    assert period_status(Q4_2024, False, date(2025, 4, 10)) is DataStatus.awaiting
    assert period_status(Q4_2024, False, date(2025, 4, 11)) is DataStatus.late


def test_annual_data_is_awaited_until_the_end_of_april() -> None:
    assert period_status(FY_2024, False, date(2025, 4, 30)) is DataStatus.awaiting
    assert period_status(FY_2024, False, date(2025, 5, 1)) is DataStatus.late


def test_status_accepts_a_datetime_for_today() -> None:
    assert period_status(DEC_2024, False, datetime(2025, 1, 10, 23, 59)) is DataStatus.awaiting
    assert period_status(DEC_2024, False, datetime(2025, 1, 11, 0, 1)) is DataStatus.late


def test_status_with_a_later_deadline_day() -> None:
    assert period_status(DEC_2024, False, date(2025, 1, 11), day=15) is DataStatus.awaiting


def test_today_must_be_a_date() -> None:
    with pytest.raises(CoreError, match="Expected a date"):
        period_status(DEC_2024, False, "2025-01-11")  # type: ignore[arg-type]


# Days late ---


@pytest.mark.parametrize(
    ("today", "days"),
    [
        (date(2024, 12, 20), 0),
        (date(2025, 1, 10), 0),
        (date(2025, 1, 11), 1),
        (date(2025, 2, 10), 31),
    ],
)
def test_days_late_counts_days_after_the_deadline(today: date, days: int) -> None:
    assert days_late(DEC_2024, today) == days


def test_days_late_across_a_leap_february() -> None:
    # January 2024 was due on 10 February 2024; 1 March 2024 is 20 days later.
    assert days_late(Period.for_month(2024, 1), date(2024, 3, 1)) == 20


def test_days_late_with_a_deadline_day() -> None:
    assert days_late(DEC_2024, date(2025, 1, 20), day=15) == 5


# Latest periods ---


@pytest.mark.parametrize(
    ("frequency", "today", "label"),
    [
        ("monthly", date(2025, 1, 10), "2024-12"),
        ("monthly", date(2025, 1, 9), "2024-11"),
        ("monthly", date(2025, 1, 31), "2024-12"),
        ("monthly", date(2025, 2, 10), "2025-01"),
        ("quarterly", date(2025, 4, 10), "2024/25 Q4"),
        ("quarterly", date(2025, 4, 9), "2024/25 Q3"),
        ("quarterly", date(2025, 3, 1), "2024/25 Q3"),
        ("quarterly", date(2025, 1, 9), "2024/25 Q2"),
        ("annual", date(2025, 4, 30), "2024/25"),
        ("annual", date(2025, 4, 29), "2023/24"),
        ("annual", date(2025, 12, 1), "2024/25"),
    ],
)
def test_latest_due_period_is_the_latest_whose_deadline_is_reached(
    frequency: str, today: date, label: str
) -> None:
    assert latest_due_period(frequency, today).label == label


def test_latest_due_period_with_a_deadline_day_and_year_start() -> None:
    assert latest_due_period("monthly", date(2025, 1, 14), day=15).label == "2024-11"
    assert latest_due_period("annual", date(2025, 1, 31), year_start_month=1).label == "2024"
    assert latest_due_period("annual", date(2025, 1, 30), year_start_month=1).label == "2023"


@pytest.mark.parametrize(
    ("frequency", "today", "label"),
    [
        ("monthly", date(2025, 4, 1), "2025-03"),
        ("monthly", date(2025, 3, 31), "2025-02"),
        ("monthly", date(2025, 1, 1), "2024-12"),
        ("quarterly", date(2025, 4, 1), "2024/25 Q4"),
        ("quarterly", date(2025, 3, 31), "2024/25 Q3"),
        ("annual", date(2025, 4, 1), "2024/25"),
        ("annual", date(2025, 3, 31), "2023/24"),
    ],
)
def test_latest_complete_period_is_the_latest_that_has_ended(
    frequency: str, today: date, label: str
) -> None:
    assert latest_complete_period(frequency, today).label == label


def test_latest_complete_period_for_a_july_year() -> None:
    assert latest_complete_period("quarterly", date(2025, 7, 1), year_start_month=7).label == (
        "2024/25 Q4"
    )


# Properties ---


@given(
    st.sampled_from(list(Frequency)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=31),
)
def test_latest_due_period_is_due_and_the_next_one_is_not(
    frequency: Frequency, today: date, year_start_month: int, day: int
) -> None:
    period = latest_due_period(frequency, today, year_start_month=year_start_month, day=day)
    assert due_date(period, day=day) <= today
    assert due_date(period.next(), day=day) > today
    assert period_status(period, False, today, day=day) in (DataStatus.awaiting, DataStatus.late)


@given(
    st.sampled_from(list(Frequency)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(min_value=1, max_value=12),
)
def test_latest_complete_period_ended_before_today_and_the_next_has_not(
    frequency: Frequency, today: date, year_start_month: int
) -> None:
    period = latest_complete_period(frequency, today, year_start_month=year_start_month)
    assert period.end < today <= period.next().end
    assert period_status(period.next(), False, today) is DataStatus.not_due


# The first due period ---


def test_a_measure_is_due_for_the_period_containing_its_due_from_day_and_after() -> None:
    activated = date(2025, 11, 14)
    assert first_due_period("monthly", activated).label == "2025-11"
    assert first_due_period("quarterly", activated).label == "2025/26 Q3"
    assert first_due_period("annual", activated).label == "2025/26"
    assert is_due_for(Period.for_month(2025, 11), activated)
    assert not is_due_for(Period.for_month(2025, 10), activated)
    assert is_due_for(Period.for_quarter(2025, 3), activated)
    assert not is_due_for(Period.for_quarter(2025, 2), activated)
    assert is_due_for(Period.for_month(2019, 4), None)  # no first period: all are due


def test_a_period_before_the_first_due_period_is_never_late() -> None:
    q2 = Period.for_quarter(2025, 2)
    assert period_status(q2, False, date(2026, 6, 1), due_from=date(2025, 10, 1)) == (
        DataStatus.not_due
    )
    assert period_status(q2, False, date(2026, 6, 1), due_from=date(2025, 9, 30)) == (
        DataStatus.late
    )
    # a figure that is in is submitted, due or not
    assert period_status(q2, True, date(2026, 6, 1), due_from=date(2025, 10, 1)) == (
        DataStatus.submitted
    )


def test_empty_periods_are_chased_from_the_previous_financial_year() -> None:
    assert chase_from(date(2025, 11, 14)) == date(2024, 4, 1)
    assert chase_from(date(2025, 3, 31)) == date(2023, 4, 1)
    assert chase_from(date(2025, 11, 14), year_start_month=1) == date(2024, 1, 1)


def test_owed_periods_run_from_the_later_of_the_window_and_the_first_due_period() -> None:
    today = date(2025, 11, 14)
    old = owed_periods("quarterly", today, due_from=date(2019, 4, 1))
    assert [p.label for p in old] == [
        "2024/25 Q1",
        "2024/25 Q2",
        "2024/25 Q3",
        "2024/25 Q4",
        "2025/26 Q1",
        "2025/26 Q2",
    ]
    recent = owed_periods("monthly", today, due_from=date(2025, 8, 20), have={"2025-09"})
    assert [p.label for p in recent] == ["2025-08", "2025-10"]
    assert owed_periods("annual", today, due_from=date(2025, 11, 14)) == []
