"""Periods: parsing what people type, canonical labels, dates, order and arithmetic."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import CoreError, PeriodError
from core.periods import (
    IncomparablePeriodsError,
    Period,
    as_frequency,
    display_label,
    excel_serial_to_date,
    financial_year_label,
    parse_period,
    periods_per_year,
)
from core.vocab import Frequency

APRIL_2024 = Period.for_month(2024, 4)
Q1_2024 = Period.for_quarter(2024, 1)
FY_2024 = Period.for_year(2024)


# Parsing: every accepted form -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-04",
        "2024-4",
        "Apr-24",
        "apr-24",
        "APR-24",
        "Apr 24",
        "Apr-2024",
        "April 2024",
        "april-2024",
        "Apr 2024",
        "Apr. 2024",
        "  Apr   2024  ",
        "04/2024",
        "4/2024",
        "04-2024",
        "2024-04-01",
        "2024-04-30",
        "2024-04-15 13:45:00",
        "15/04/2024",
        "45383",
        "45383.5",
    ],
)
def test_monthly_forms_people_type_all_read_as_april_2024(text: str) -> None:
    assert parse_period(text, "monthly") == APRIL_2024


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Sept 2024", "2024-09"),
        ("Sep-24", "2024-09"),
        ("September 2024", "2024-09"),
        ("Jan-25", "2025-01"),
        ("Feb 2024", "2024-02"),
        ("Mar-25", "2025-03"),
        ("December 1999", "1999-12"),
        ("Dec-99", "2099-12"),
        ("2024-12", "2024-12"),
    ],
)
def test_month_names_and_abbreviations_read_as_their_month(text: str, label: str) -> None:
    assert parse_period(text, "monthly").label == label


@pytest.mark.parametrize(
    "text",
    [
        "2024/25 Q1",
        "Q1 2024/25",
        "q1 2024/25",
        "2024-25 Q1",
        "Q1 2024-25",
        "2024/2025 Q1",
        "Q1 FY2024/25",
        "FY2024/25 Q1",
        "FY 24/25 Q1",
        "Q1-2024/25",
        "2024/25-Q1",
        "2024/25Q1",
        "Quarter 1 2024/25",
        " 2024 / 25   q 1 ",
        "2024–25 Q1",
        "2024-05-20",
        "30/06/2024",
        "45383",
    ],
)
def test_quarterly_forms_people_type_all_read_as_q1_2024_25(text: str) -> None:
    assert parse_period(text, "quarterly") == Q1_2024


@pytest.mark.parametrize(
    "text",
    [
        "2024/25",
        "2024-25",
        "FY2024/25",
        "fy2024/25",
        "FY 2024/25",
        "FY24/25",
        "24/25",
        "2024/2025",
        "2024-2025",
        " 2024 / 25 ",
        "2025-03-31",
        "01/04/2024",
        "45383",
    ],
)
def test_annual_forms_people_type_all_read_as_2024_25(text: str) -> None:
    assert parse_period(text, "annual") == FY_2024


def test_financial_year_across_a_century_reads_with_two_digit_second_year() -> None:
    assert parse_period("1999/00", "annual") == Period.for_year(1999)
    assert parse_period("2099/00", "annual").label == "2099/00"


def test_two_digit_years_mean_the_twenty_first_century() -> None:
    assert parse_period("Apr-99", "monthly").label == "2099-04"
    assert parse_period("99/00", "annual").label == "2099/00"


def test_iso_month_that_is_also_a_financial_year_is_a_month_for_a_monthly_measure() -> None:
    assert parse_period("2011-12", "monthly").label == "2011-12"


def test_iso_month_that_is_also_a_financial_year_is_the_year_for_an_annual_measure() -> None:
    assert parse_period("2011-12", "annual").label == "2011/12"


def test_frequency_may_be_the_enum_or_its_word_in_any_case() -> None:
    assert parse_period("2024-04", Frequency.monthly) == APRIL_2024
    assert parse_period("2024-04", " Monthly ") == APRIL_2024


# Parsing dates and Excel serials ---


@pytest.mark.parametrize(
    ("value", "frequency", "label"),
    [
        (date(2024, 4, 1), "monthly", "2024-04"),
        (date(2025, 3, 31), "monthly", "2025-03"),
        (date(2025, 3, 31), "quarterly", "2024/25 Q4"),
        (date(2025, 3, 31), "annual", "2024/25"),
        (date(2025, 4, 1), "annual", "2025/26"),
        (date(2024, 7, 1), "quarterly", "2024/25 Q2"),
        (date(2024, 12, 31), "quarterly", "2024/25 Q3"),
        (date(2025, 1, 1), "quarterly", "2024/25 Q4"),
        (datetime(2024, 2, 29, 23, 59), "monthly", "2024-02"),
        (pd.Timestamp("2024-11-05 10:00"), "quarterly", "2024/25 Q3"),
        (pd.Timestamp("2024-11-05"), "monthly", "2024-11"),
    ],
)
def test_a_date_means_the_period_containing_it(value: date, frequency: str, label: str) -> None:
    assert parse_period(value, frequency).label == label


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (45292, date(2024, 1, 1)),
        (45351, date(2024, 2, 29)),
        (45383, date(2024, 4, 1)),
        (45383.99, date(2024, 4, 1)),
        (45747, date(2025, 3, 31)),
    ],
)
def test_excel_serials_follow_the_1900_date_system(serial: float, expected: date) -> None:
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize("serial", [0, -1, 60, 2958466, float("inf")])
def test_impossible_excel_serials_raise(serial: float) -> None:
    with pytest.raises(PeriodError):
        excel_serial_to_date(serial)


@pytest.mark.parametrize(
    ("serial", "frequency", "label"),
    [
        (45383, "monthly", "2024-04"),
        (45383.0, "quarterly", "2024/25 Q1"),
        (Decimal("45747"), "annual", "2024/25"),
        (45748, "annual", "2025/26"),
        (45351, "monthly", "2024-02"),
    ],
)
def test_an_excel_serial_means_the_period_containing_its_date(
    serial: float, frequency: str, label: str
) -> None:
    assert parse_period(serial, frequency).label == label


def test_numpy_numbers_read_as_excel_serials() -> None:
    numpy = pytest.importorskip("numpy")
    assert parse_period(numpy.int64(45383), "monthly") == APRIL_2024
    assert parse_period(numpy.float64(45383.0), "monthly") == APRIL_2024


def test_a_period_of_the_right_frequency_is_returned_as_it_is() -> None:
    assert parse_period(Q1_2024, "quarterly") is Q1_2024


def test_a_period_of_another_frequency_raises() -> None:
    with pytest.raises(PeriodError, match="is a quarter; a monthly measure needs a month"):
        parse_period(Q1_2024, "monthly")


def test_a_period_of_another_year_start_raises() -> None:
    with pytest.raises(PeriodError, match="starting in month 4"):
        parse_period(APRIL_2024, "monthly", year_start_month=1)


# Parsing: wrong frequency -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        (
            "2024-05",
            "quarterly",
            "'2024-05' is a month; a quarterly measure needs a quarter such as '2024/25 Q1'.",
        ),
        (
            "May-24",
            "quarterly",
            "'May-24' is a month; a quarterly measure needs a quarter such as '2024/25 Q1'.",
        ),
        (
            "2024-05",
            "annual",
            "'2024-05' is a month; an annual measure needs a financial year such as '2024/25'.",
        ),
        (
            "04/2024",
            "annual",
            "'04/2024' is a month; an annual measure needs a financial year such as '2024/25'.",
        ),
        (
            "Q1 2024/25",
            "monthly",
            "'Q1 2024/25' is a quarter; a monthly measure needs a month such as '2024-04'.",
        ),
        (
            "2024/25 Q1",
            "annual",
            "'2024/25 Q1' is a quarter; an annual measure needs a financial year such as "
            "'2024/25'.",
        ),
        (
            "2024/25",
            "monthly",
            "'2024/25' is a financial year; a monthly measure needs a month such as '2024-04'.",
        ),
        (
            "FY2024/25",
            "quarterly",
            "'FY2024/25' is a financial year; a quarterly measure needs a quarter such as "
            "'2024/25 Q1'.",
        ),
    ],
)
def test_text_for_the_wrong_frequency_says_what_was_expected(
    text: str, frequency: str, message: str
) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text, frequency)
    assert str(raised.value) == message


def test_wrong_frequency_example_follows_the_year_start_month() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("2024/25", "monthly", year_start_month=7)
    assert str(raised.value) == (
        "'2024/25' is a financial year; a monthly measure needs a month such as '2024-07'."
    )


def test_wrong_frequency_example_for_a_calendar_year_council() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("2024-05", "quarterly", year_start_month=1)
    assert str(raised.value) == (
        "'2024-05' is a month; a quarterly measure needs a quarter such as '2024 Q1'."
    )


# Parsing: garbage and impossible values ---------------------------------------------


def test_garbage_text_lists_the_accepted_forms_for_a_monthly_measure() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("last month", "monthly")
    assert str(raised.value) == (
        "Could not read 'last month' as a period. A monthly measure accepts forms such as "
        "'2024-04', 'Apr-24', 'April 2024', 'Apr 2024', '04/2024', a date such as "
        "'2024-04-30', or an Excel date number such as 45383."
    )


def test_garbage_text_lists_the_accepted_forms_for_a_quarterly_measure() -> None:
    with pytest.raises(PeriodError, match="'2024/25 Q1', 'Q1 2024/25', '2024-25 Q1'"):
        parse_period("spring", "quarterly")


def test_garbage_text_lists_the_accepted_forms_for_an_annual_measure() -> None:
    with pytest.raises(PeriodError, match="An annual measure accepts forms such as '2024/25'"):
        parse_period("this year", "annual")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024/26", "'2024/26' is not a financial year"),
        ("2024-2026", "'2024-2026' is not a financial year"),
        ("FY2024/24", "'FY2024/24' is not a financial year"),
        ("Q5 2024/25", "'Q5 2024/25' names quarter 5, but a year has four."),
        ("Q0 2024/25", "names quarter 0"),
        ("2024-13", "'2024-13' is neither a month (months run from 01 to 12, as in '2024-04')"),
        ("2024-00", "'2024-00' is neither a month"),
        ("13/2024", "Could not read '13/2024'"),
        ("Smarch 2024", "Could not read 'Smarch 2024'"),
        ("2024-02-30", "'2024-02-30' is not a real date."),
        ("31/04/2024", "'31/04/2024' is not a real date."),
        ("", "A period is needed, but the value is blank."),
        ("   ", "A period is needed, but the value is blank."),
        (None, "A period is needed, but the value is blank."),
        (float("nan"), "A period is needed, but the value is blank."),
        (pd.NaT, "A period is needed, but the value is blank."),
        (pd.NA, "A period is needed, but the value is blank."),
        (True, "Could not read True as a period"),
        ([2024, 4], "Could not read [2024, 4] as a period"),
        (60, "29 February 1900, a day that never existed"),
        (-5, "-5 is not an Excel date number"),
    ],
)
def test_values_that_are_not_periods_raise_in_plain_english(value: object, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(value, "monthly")
    assert message in str(raised.value)


def test_a_quarter_named_by_calendar_year_is_refused_where_years_start_in_april() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("Q1 2024", "quarterly")
    assert str(raised.value) == (
        "'Q1 2024' names a calendar year, but financial years here start in April: "
        "write the financial year, as in '2024/25 Q1'."
    )


def test_a_bare_year_is_refused_where_years_start_in_april() -> None:
    with pytest.raises(PeriodError, match="as in '2024/25'"):
        parse_period("2024", "annual")


def test_a_two_year_label_is_refused_for_a_calendar_year_council() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("2024/25", "annual", year_start_month=1)
    assert str(raised.value) == (
        "'2024/25' names a year running across two calendar years, but years here are "
        "calendar years: write one year, as in '2024'."
    )


def test_an_unknown_frequency_raises() -> None:
    with pytest.raises(CoreError, match="Unknown frequency 'weekly'"):
        parse_period("2024-04", "weekly")


@pytest.mark.parametrize("month", [0, 13, 4.0, True])
def test_an_impossible_year_start_month_raises(month: object) -> None:
    with pytest.raises(CoreError, match="year-start month"):
        parse_period("2024-04", "monthly", year_start_month=month)  # type: ignore[arg-type]


def test_years_outside_the_supported_range_raise() -> None:
    with pytest.raises(PeriodError, match="out of range"):
        Period.for_year(999)
    with pytest.raises(PeriodError, match="out of range"):
        Period.for_year(9999)


# Labels, dates and financial years ----------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label", "start", "end", "financial_year"),
    [
        (Period.for_month(2024, 4), "2024-04", date(2024, 4, 1), date(2024, 4, 30), "2024/25"),
        (Period.for_month(2025, 3), "2025-03", date(2025, 3, 1), date(2025, 3, 31), "2024/25"),
        (Period.for_month(2024, 2), "2024-02", date(2024, 2, 1), date(2024, 2, 29), "2023/24"),
        (Period.for_month(2023, 2), "2023-02", date(2023, 2, 1), date(2023, 2, 28), "2022/23"),
        (Period.for_month(2024, 12), "2024-12", date(2024, 12, 1), date(2024, 12, 31), "2024/25"),
        (
            Period.for_quarter(2024, 1),
            "2024/25 Q1",
            date(2024, 4, 1),
            date(2024, 6, 30),
            "2024/25",
        ),
        (
            Period.for_quarter(2024, 2),
            "2024/25 Q2",
            date(2024, 7, 1),
            date(2024, 9, 30),
            "2024/25",
        ),
        (
            Period.for_quarter(2024, 3),
            "2024/25 Q3",
            date(2024, 10, 1),
            date(2024, 12, 31),
            "2024/25",
        ),
        (
            Period.for_quarter(2023, 4),
            "2023/24 Q4",
            date(2024, 1, 1),
            date(2024, 3, 31),
            "2023/24",
        ),
        (Period.for_year(2023), "2023/24", date(2023, 4, 1), date(2024, 3, 31), "2023/24"),
        (Period.for_year(2024), "2024/25", date(2024, 4, 1), date(2025, 3, 31), "2024/25"),
    ],
)
def test_april_year_periods_have_their_label_dates_and_financial_year(
    period: Period, label: str, start: date, end: date, financial_year: str
) -> None:
    assert (period.label, period.start, period.end, period.financial_year) == (
        label,
        start,
        end,
        financial_year,
    )
    assert str(period) == label


def test_calendar_year_council_labels_years_and_quarters_by_one_year() -> None:
    year = Period.for_year(2024, year_start_month=1)
    quarter = Period.for_quarter(2024, 1, year_start_month=1)
    assert (year.label, year.start, year.end) == ("2024", date(2024, 1, 1), date(2024, 12, 31))
    assert (quarter.label, quarter.start, quarter.end) == (
        "2024 Q1",
        date(2024, 1, 1),
        date(2024, 3, 31),
    )
    assert parse_period("Q1 2024", "quarterly", year_start_month=1) == quarter
    assert parse_period("2024-Q1", "quarterly", year_start_month=1) == quarter
    assert parse_period("2024", "annual", year_start_month=1) == year
    assert parse_period("FY2024", "annual", year_start_month=1) == year
    assert Period.for_month(2024, 12, year_start_month=1).financial_year == "2024"


def test_july_year_start_gives_july_to_june_years_and_quarters() -> None:
    year = parse_period("2024/25", "annual", year_start_month=7)
    q1 = parse_period("2024/25 Q1", "quarterly", year_start_month=7)
    q4 = parse_period("2024/25 Q4", "quarterly", year_start_month=7)
    assert (year.start, year.end) == (date(2024, 7, 1), date(2025, 6, 30))
    assert (q1.start, q1.end) == (date(2024, 7, 1), date(2024, 9, 30))
    assert (q4.start, q4.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert parse_period("Jun-25", "monthly", year_start_month=7).financial_year == "2024/25"
    assert parse_period("Jul-25", "monthly", year_start_month=7).financial_year == "2025/26"
    assert parse_period(date(2025, 5, 5), "quarterly", year_start_month=7).label == "2024/25 Q4"


def test_financial_year_label_for_each_year_start() -> None:
    assert financial_year_label(2024) == "2024/25"
    assert financial_year_label(2024, year_start_month=7) == "2024/25"
    assert financial_year_label(2024, year_start_month=1) == "2024"
    assert financial_year_label(2009) == "2009/10"


def test_fy_start_year_is_the_calendar_year_the_financial_year_starts_in() -> None:
    assert Period.for_month(2025, 3).fy_start_year == 2024
    assert Period.for_month(2025, 4).fy_start_year == 2025


def test_quarter_of_months_and_quarters_counts_from_the_year_start() -> None:
    assert [Period.for_month(2024, m).quarter for m in (4, 6, 7, 12)] == [1, 1, 2, 3]
    assert Period.for_month(2025, 1).quarter == 4
    assert Period.for_quarter(2024, 3).quarter == 3
    assert Period.for_month(2024, 1, year_start_month=1).quarter == 1


def test_a_year_has_no_quarter() -> None:
    with pytest.raises(PeriodError, match="has no quarter"):
        _ = FY_2024.quarter


def test_months_of_a_quarter_and_of_a_year() -> None:
    assert [m.label for m in Period.for_quarter(2024, 4).months()] == [
        "2025-01",
        "2025-02",
        "2025-03",
    ]
    assert len(FY_2024.months()) == 12
    assert FY_2024.months()[0].label == "2024-04"
    assert FY_2024.months()[-1].label == "2025-03"
    assert APRIL_2024.months() == (APRIL_2024,)


def test_contains_includes_both_ends() -> None:
    assert Q1_2024.contains(date(2024, 4, 1))
    assert Q1_2024.contains(date(2024, 6, 30))
    assert Q1_2024.contains(datetime(2024, 6, 30, 23, 59))
    assert not Q1_2024.contains(date(2024, 7, 1))
    assert not Q1_2024.contains(date(2024, 3, 31))


def test_repr_shows_label_and_frequency() -> None:
    assert repr(Q1_2024) == "Period('2024/25 Q1', quarterly)"
    assert repr(Period.for_year(2024, year_start_month=7)) == (
        "Period('2024/25', annual, year_start_month=7)"
    )


def test_periods_per_year_and_frequency_words() -> None:
    assert [periods_per_year(f) for f in ("monthly", "quarterly", "annual")] == [12, 4, 1]
    assert as_frequency("ANNUAL") is Frequency.annual
    with pytest.raises(CoreError):
        as_frequency(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("index", "frequency"), [(0, "monthly"), (13, "monthly"), (5, "quarterly")]
)
def test_positions_outside_the_year_raise(index: int, frequency: str) -> None:
    with pytest.raises(PeriodError, match="position in its year"):
        Period(Frequency(frequency), 2024, index)


def test_month_numbers_outside_one_to_twelve_raise() -> None:
    with pytest.raises(PeriodError, match="from 1 to 12"):
        Period.for_month(2024, 13)


# Moving around ---


def test_next_and_previous_cross_the_financial_year_end() -> None:
    assert Period.for_month(2025, 3).next().label == "2025-04"
    assert Period.for_month(2025, 3).next().financial_year == "2025/26"
    assert Period.for_month(2025, 4).previous().label == "2025-03"
    assert Period.for_quarter(2024, 4).next().label == "2025/26 Q1"
    assert Period.for_quarter(2025, 1).previous().label == "2024/25 Q4"
    assert FY_2024.next().label == "2025/26"
    assert FY_2024.previous().label == "2023/24"


def test_next_and_previous_cross_the_calendar_year_end() -> None:
    assert Period.for_month(2024, 12).next().label == "2025-01"
    assert Period.for_month(2025, 1).previous().label == "2024-12"


def test_shift_moves_many_periods_either_way() -> None:
    assert APRIL_2024.shift(23).label == "2026-03"
    assert APRIL_2024.shift(-4).label == "2023-12"
    assert Q1_2024.shift(-5).label == "2022/23 Q4"
    assert Q1_2024.shift(0) == Q1_2024


def test_same_period_last_year() -> None:
    assert Period.for_month(2024, 2).same_period_last_year().label == "2023-02"
    assert Period.for_quarter(2024, 3).same_period_last_year().label == "2023/24 Q3"
    assert FY_2024.same_period_last_year().label == "2023/24"


def test_year_periods_in_year_and_year_to_date() -> None:
    march = Period.for_month(2025, 3)
    assert march.year() == FY_2024
    assert [p.label for p in Period.for_month(2024, 6).year_to_date()] == [
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    assert len(march.year_to_date()) == 12
    assert Period.for_quarter(2024, 2).year_to_date() == (Q1_2024, Period.for_quarter(2024, 2))
    assert FY_2024.periods_in_year() == (FY_2024,)
    assert FY_2024.year_to_date() == (FY_2024,)


def test_range_is_inclusive_and_crosses_year_ends() -> None:
    periods = Period.range(Period.for_month(2024, 11), Period.for_month(2025, 5))
    assert [p.label for p in periods] == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
    ]
    assert Period.range(Q1_2024, Q1_2024) == (Q1_2024,)


def test_range_backwards_raises() -> None:
    with pytest.raises(PeriodError, match="must run forwards: 2024-05 is after 2024-04"):
        Period.range(Period.for_month(2024, 5), APRIL_2024)


def test_range_of_different_frequencies_raises() -> None:
    with pytest.raises(IncomparablePeriodsError, match="within one frequency"):
        Period.range(APRIL_2024, Q1_2024)


# Order, equality and hashing --------------------------------------------------------------


def test_periods_of_one_frequency_order_by_time() -> None:
    shuffled = [Period.for_month(2025, 1), Period.for_month(2024, 4), Period.for_month(2024, 12)]
    assert [p.label for p in sorted(shuffled)] == ["2024-04", "2024-12", "2025-01"]
    assert Period.for_month(2024, 12) < Period.for_month(2025, 1)
    assert Period.for_month(2025, 1) > Period.for_month(2024, 12)
    assert Period.for_month(2025, 1) >= Period.for_month(2025, 1)
    assert Period.for_month(2025, 1) <= Period.for_month(2025, 1)
    assert max(Period.for_quarter(2023, 4), Q1_2024) == Q1_2024


def test_ordering_periods_of_different_frequencies_raises_a_type_and_period_error() -> None:
    with pytest.raises(IncomparablePeriodsError) as raised:
        _ = APRIL_2024 < Q1_2024
    assert isinstance(raised.value, TypeError)
    assert isinstance(raised.value, PeriodError)
    assert str(raised.value) == (
        "Cannot compare monthly 2024-04 with quarterly 2024/25 Q1: periods compare within "
        "one frequency."
    )
    with pytest.raises(TypeError):
        sorted([APRIL_2024, Q1_2024, FY_2024])


def test_ordering_periods_of_different_year_starts_raises() -> None:
    with pytest.raises(IncomparablePeriodsError, match="start in different months"):
        _ = FY_2024 < Period.for_year(2024, year_start_month=7)


def test_ordering_a_period_with_something_else_raises() -> None:
    with pytest.raises(TypeError):
        _ = APRIL_2024 < "2024-05"


def test_equality_across_frequencies_is_false_not_an_error() -> None:
    assert APRIL_2024 != Q1_2024
    assert Period.for_month(2024, 4) == APRIL_2024
    assert APRIL_2024 != Period.for_month(2024, 4, year_start_month=1)


def test_periods_are_hashable_and_frozen() -> None:
    assert len({APRIL_2024, Period.for_month(2024, 4), Q1_2024}) == 2
    with pytest.raises(AttributeError):
        APRIL_2024.index = 2  # type: ignore[misc]


# Properties ---


@st.composite
def periods(draw: st.DrawFn) -> Period:
    frequency = draw(st.sampled_from(list(Frequency)))
    count = {Frequency.monthly: 12, Frequency.quarterly: 4, Frequency.annual: 1}[frequency]
    return Period(
        frequency,
        draw(st.integers(min_value=1000, max_value=9950)),
        draw(st.integers(min_value=1, max_value=count)),
        draw(st.integers(min_value=1, max_value=12)),
    )


@given(periods())
def test_parsing_a_label_gives_back_the_period(period: Period) -> None:
    parsed = parse_period(period.label, period.frequency, year_start_month=period.year_start_month)
    assert parsed == period


@given(periods())
def test_parsing_a_start_or_end_date_gives_back_the_period(period: Period) -> None:
    ysm = period.year_start_month
    assert parse_period(period.start, period.frequency, year_start_month=ysm) == period
    assert parse_period(period.end, period.frequency, year_start_month=ysm) == period


@given(periods())
def test_next_starts_the_day_after_the_end_and_previous_undoes_it(period: Period) -> None:
    following = period.next()
    assert (following.start - period.end).days == 1
    assert following.previous() == period
    assert period < following


@given(periods(), st.integers(min_value=0, max_value=40))
def test_range_is_ordered_with_no_gaps(first: Period, steps: int) -> None:
    last = first.shift(steps)
    periods_between = Period.range(first, last)
    assert len(periods_between) == steps + 1
    assert periods_between[0] == first
    assert periods_between[-1] == last
    for earlier, later in zip(periods_between, periods_between[1:], strict=False):
        assert earlier.next() == later
        assert earlier < later


@given(periods())
def test_a_period_contains_its_own_start_and_end_and_lies_in_its_year(period: Period) -> None:
    year = period.year()
    assert period.contains(period.start) and period.contains(period.end)
    assert year.start <= period.start <= period.end <= year.end
    assert period in period.periods_in_year()
    assert period.year_to_date()[-1] == period


# Periods as people read them ---


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        ("2026-10", "Oct 2026"),
        ("2026-01", "Jan 2026"),
        ("2025-09", "Sep 2025"),
        ("2026/27 Q2", "2026/27 Q2"),
        ("2026/27", "2026/27"),
        ("2026 Q1", "2026 Q1"),
        ("", ""),
        ("latest", "latest"),
        ("2026-13", "2026-13"),
    ],
)
def test_periods_are_shown_as_people_read_them(period: str, shown: str) -> None:
    assert display_label(period) == shown


def test_a_period_object_is_shown_by_its_month_name() -> None:
    assert display_label(Period.for_month(2024, 12)) == "Dec 2024"
    assert display_label(Period.for_quarter(2024, 1)) == "2024/25 Q1"
