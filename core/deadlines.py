"""Data deadlines: when each period's figures are due, and whether they are late.

The framework's rule: monthly and quarterly figures are due by the 10th of the month
after the period ends (the day is a setting); annual figures by the last day of the
month after the year ends. Late data is its own status, never red.

Offers:

- `due_date`: the deadline for a period's figures.
- `is_due_for`, `first_due_period`: a measure is due from its first period (set when it
  becomes active, kept as the day ``due_from``); nothing before that is due or late.
- `period_status`: `not_due`, `awaiting`, `submitted` or `late` on a given day.
- `chase_from`, `owed_periods`: the ended periods a measure still owes on a day (the ones
  every page and the reminders count).
- `days_late`: how many days past the deadline (0 when not late).
- `latest_due_period`: the most recent period whose deadline has been reached.
- `latest_complete_period`: the most recent period that has ended.

A deadline day later than the month has (31 in February) means the month's last day.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import date, datetime
from typing import Final

from core.errors import CoreError
from core.periods import (
    DEFAULT_YEAR_START_MONTH,
    Period,
    as_frequency,
    parse_period,
)
from core.vocab import DataStatus, Frequency

__all__ = [
    "DEFAULT_DEADLINE_DAY",
    "chase_from",
    "days_late",
    "due_date",
    "first_due_period",
    "is_due_for",
    "latest_complete_period",
    "latest_due_period",
    "owed_periods",
    "period_status",
]

DEFAULT_DEADLINE_DAY: Final = 10
LAST_DAY_OF_MONTH: Final = 31
DECEMBER: Final = 12


def _day(value: date) -> date:
    if not isinstance(value, date):
        raise CoreError(f"Expected a date, not {value!r}.")
    return value.date() if isinstance(value, datetime) else value


def _check_day(day: int) -> int:
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= LAST_DAY_OF_MONTH:
        raise CoreError(f"The deadline day must be a day of the month from 1 to 31, not {day!r}.")
    return day


def _month_after(day: date) -> tuple[int, int]:
    if day.month == DECEMBER:
        return day.year + 1, 1
    return day.year, day.month + 1


def _as_period(
    period: Period | str | date, frequency: Frequency | str | None, year_start_month: int
) -> Period:
    if isinstance(period, Period):
        if frequency is not None and as_frequency(frequency) is not period.frequency:
            raise CoreError(
                f"{period.label} is a {period.frequency} period, not {as_frequency(frequency)}."
            )
        return period
    if frequency is None:
        raise CoreError(f"Say which frequency {period!r} is: monthly, quarterly or annual.")
    return parse_period(period, frequency, year_start_month=year_start_month)


def due_date(
    period: Period | str | date,
    frequency: Frequency | str | None = None,
    *,
    day: int = DEFAULT_DEADLINE_DAY,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> date:
    """The date by which `period`'s figures are due.

    `period` is a `Period`, or anything `parse_period` reads when `frequency` is given.

    >>> due_date(Period.for_month(2024, 12))
    datetime.date(2025, 1, 10)
    >>> due_date("2024/25 Q4", "quarterly")
    datetime.date(2025, 4, 10)
    >>> due_date("2024/25", "annual")
    datetime.date(2025, 4, 30)
    """
    _check_day(day)
    the_period = _as_period(period, frequency, year_start_month)
    year, month = _month_after(the_period.end)
    last_day = calendar.monthrange(year, month)[1]
    if the_period.frequency is Frequency.annual:
        return date(year, month, last_day)
    return date(year, month, min(day, last_day))


def is_due_for(period: Period, due_from: date | None) -> bool:
    """Whether a measure due from `due_from` owes figures for `period` at all.

    A measure is due for every period that ends on or after `due_from` (so its first due
    period is the one containing that day); None means it has no first period recorded,
    so every period counts.

    >>> q3 = Period.for_quarter(2025, 3)
    >>> is_due_for(q3, date(2025, 10, 1)), is_due_for(q3.previous(), date(2025, 10, 1))
    (True, False)
    """
    return due_from is None or period.end >= _day(due_from)


def first_due_period(
    frequency: Frequency | str,
    due_from: date,
    *,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Period:
    """The first period a measure due from `due_from` owes: the one containing that day.

    >>> first_due_period("quarterly", date(2025, 11, 14)).label
    '2025/26 Q3'
    """
    return Period.containing(_day(due_from), frequency, year_start_month=year_start_month)


def period_status(
    period: Period,
    has_value: bool,
    today: date,
    *,
    day: int = DEFAULT_DEADLINE_DAY,
    due_from: date | None = None,
) -> DataStatus:
    """Where `period`'s figures stand on `today`.

    `submitted` when there is a value; otherwise `not_due` until the period has
    ended (or when it is before the measure's first due period, see `is_due_for`),
    `awaiting` up to and including the deadline, and `late` after it.

    >>> march = Period.for_month(2025, 3)
    >>> period_status(march, False, date(2025, 3, 31))
    <DataStatus.not_due: 'not_due'>
    >>> period_status(march, False, date(2025, 4, 10))
    <DataStatus.awaiting: 'awaiting'>
    >>> period_status(march, False, date(2025, 4, 11))
    <DataStatus.late: 'late'>
    >>> period_status(march, False, date(2025, 6, 1), due_from=date(2025, 4, 1))
    <DataStatus.not_due: 'not_due'>
    """
    on = _day(today)
    if has_value:
        return DataStatus.submitted
    if on <= period.end or not is_due_for(period, due_from):
        return DataStatus.not_due
    if on <= due_date(period, day=day):
        return DataStatus.awaiting
    return DataStatus.late


def days_late(period: Period, today: date, day: int = DEFAULT_DEADLINE_DAY) -> int:
    """Days since `period`'s deadline passed, or 0 when it has not.

    >>> days_late(Period.for_month(2024, 12), date(2025, 1, 13))
    3
    """
    return max(0, (_day(today) - due_date(period, day=day)).days)


def latest_complete_period(
    frequency: Frequency | str,
    today: date,
    *,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Period:
    """The most recent period of `frequency` that ended before `today`.

    >>> latest_complete_period("quarterly", date(2025, 4, 1)).label
    '2024/25 Q4'
    >>> latest_complete_period("quarterly", date(2025, 3, 31)).label
    '2024/25 Q3'
    """
    current = Period.containing(_day(today), frequency, year_start_month=year_start_month)
    return current.previous()


def latest_due_period(
    frequency: Frequency | str,
    today: date,
    *,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
    day: int = DEFAULT_DEADLINE_DAY,
) -> Period:
    """The most recent period of `frequency` whose deadline is `today` or earlier.

    >>> latest_due_period("monthly", date(2025, 1, 10)).label
    '2024-12'
    >>> latest_due_period("monthly", date(2025, 1, 9)).label
    '2024-11'
    """
    _check_day(day)
    on = _day(today)
    period = latest_complete_period(frequency, on, year_start_month=year_start_month)
    while due_date(period, day=day) > on:
        period = period.previous()
    return period


def chase_from(today: date, *, year_start_month: int = DEFAULT_YEAR_START_MONTH) -> date:
    """The first day of the previous financial year: older empty periods are history and
    are not chased.

    >>> chase_from(date(2025, 11, 14))
    datetime.date(2024, 4, 1)
    """
    this_year = Period.containing(_day(today), Frequency.annual, year_start_month=year_start_month)
    return this_year.previous().start


def owed_periods(
    frequency: Frequency | str,
    today: date,
    *,
    due_from: date | None = None,
    have: Collection[str] = frozenset(),
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> list[Period]:
    """The periods of `frequency` that have ended by `today` and still owe figures
    (their labels are not in `have`), oldest first: from the start of the previous
    financial year (`chase_from`), and never before the measure's first due period.

    >>> [p.label for p in owed_periods("quarterly", date(2025, 11, 14),
    ...                                due_from=date(2025, 4, 1), have={"2025/26 Q1"})]
    ['2025/26 Q2']
    >>> owed_periods("quarterly", date(2025, 11, 14), due_from=date(2025, 10, 1))
    []
    """
    start = chase_from(today, year_start_month=year_start_month)
    period = latest_complete_period(frequency, today, year_start_month=year_start_month)
    owed: list[Period] = []
    while period.start >= start and is_due_for(period, due_from):
        if period.label not in have:
            owed.append(period)
        period = period.previous()
    return owed[::-1]
