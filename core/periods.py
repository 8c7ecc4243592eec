"""Reporting periods: months, financial quarters and financial years.

A council's financial year starts in April unless it says otherwise
(`year_start_month`); quarters are financial quarters, so Q1 is the first three
months of the financial year (April to June for an April year).

Offers:

- `Period`: a frozen, hashable, ordered month, quarter or financial year, with
  `label`, `start`, `end` (inclusive dates), `financial_year`, `quarter`, `next()`,
  `previous()`, `shift()`, `same_period_last_year()`, `year()`, `months()`,
  `periods_in_year()`, `year_to_date()`, `contains()`, and the constructors
  `Period.for_month`, `Period.for_quarter`, `Period.for_year`, `Period.containing`
  and `Period.range`.
- `parse_period`: read a period as people type it, as a date, or as an Excel date
  number, and check it fits the measure's frequency.
- `as_frequency`, `periods_per_year`, `financial_year_label`, `excel_serial_to_date`.
- `display_label`: a period as people read it on screen and in reports (`Oct 2026`,
  `2026/27 Q2`, `2026/27`); the canonical labels stay in URLs, CSV files and imports.
- `IncomparablePeriodsError`: raised when ordering periods of different frequencies.

Labels, one canonical form each: months `2024-04`; quarters `2024/25 Q1`; years
`2024/25` (the year named by the calendar year it starts in, whatever the start
month). A council whose year is the calendar year (`year_start_month=1`) labels
years `2024` and quarters `2024 Q1`, because `2024/25` would name a year that does
not exist there.

Ordering compares periods of one frequency and one year-start month only; anything
else raises `IncomparablePeriodsError`, which is both a `PeriodError` and a
`TypeError` (as Python does for values that have no order between them).
Equality never raises: a month is simply not equal to a quarter.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from core.errors import CoreError, PeriodError
from core.vocab import Frequency

__all__ = [
    "DEFAULT_YEAR_START_MONTH",
    "IncomparablePeriodsError",
    "Period",
    "as_frequency",
    "display_label",
    "excel_serial_to_date",
    "financial_year_label",
    "parse_period",
    "periods_per_year",
]

DEFAULT_YEAR_START_MONTH = 4
MONTHS_PER_YEAR = 12
MONTHS_PER_QUARTER = 3
QUARTERS_PER_YEAR = 4
CALENDAR_YEAR_START_MONTH = 1
# Four-digit labels keep every period's label parseable back to the same period.
MIN_YEAR = 1000
MAX_FY_START_YEAR = 9998
CENTURY = 100
TWO_DIGIT_YEAR_BASE = 2000

# Excel's 1900 date system: serial 1 is 1900-01-01, and Excel keeps Lotus 1-2-3's
# non-existent 1900-02-29 as serial 60, so later serials count from 1899-12-30.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_EARLY_EPOCH = date(1899, 12, 31)
EXCEL_FICTITIOUS_LEAP_DAY = 60
EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
# Digits-only text this long is an Excel serial (a year has four digits).
EXCEL_SERIAL_MIN_DIGITS = 5

_PERIODS_PER_YEAR = {
    Frequency.monthly: MONTHS_PER_YEAR,
    Frequency.quarterly: QUARTERS_PER_YEAR,
    Frequency.annual: 1,
}
_MONTHS_PER_PERIOD = {
    Frequency.monthly: 1,
    Frequency.quarterly: MONTHS_PER_QUARTER,
    Frequency.annual: MONTHS_PER_YEAR,
}
_ARTICLE = {Frequency.monthly: "a", Frequency.quarterly: "a", Frequency.annual: "an"}
_KIND_NAME = {
    Frequency.monthly: "a month",
    Frequency.quarterly: "a quarter",
    Frequency.annual: "a financial year",
}

_MONTH_NAMES: dict[str, int] = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}

_MONTH_TITLES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])")
_MONTH_NAME_PATTERN = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_YEAR_PAIR = r"(?:fy ?)?(?P<y1>\d{4}|\d{2}) ?(?P<sep>[/-]) ?(?P<y2>\d{4}|\d{1,2})"
_SINGLE_YEAR = r"(?:fy ?)?(?P<year>\d{4})"
_QUARTER = r"(?:q|quarter) ?(?P<q>\d)"

_ISO_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_UK_DATE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")
_EXCEL_TEXT = re.compile(rf"\d{{{EXCEL_SERIAL_MIN_DIGITS},}}(?:\.\d+)?")
_QUARTER_FIRST = re.compile(rf"{_QUARTER} ?-? ?(?:{_YEAR_PAIR}|{_SINGLE_YEAR})")
_QUARTER_LAST = re.compile(rf"(?:{_YEAR_PAIR}|{_SINGLE_YEAR}) ?-? ?{_QUARTER}")
_HAS_FY_PREFIX = re.compile(r"fy")
_YEAR_PAIR_ONLY = re.compile(_YEAR_PAIR)
_SINGLE_YEAR_ONLY = re.compile(_SINGLE_YEAR)
_NAMED_MONTH = re.compile(rf"(?P<name>{_MONTH_NAME_PATTERN})\.? ?[-/ ]? ?(?P<year>\d{{4}}|\d{{2}})")
_NUMERIC_MONTH = re.compile(r"(?P<m>\d{1,2}) ?[/-] ?(?P<y>\d{4})")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


class IncomparablePeriodsError(PeriodError, TypeError):
    """Periods of different frequencies or year-start months have no order."""


def as_frequency(frequency: Frequency | str) -> Frequency:
    """Return `frequency` as a `Frequency`, accepting its word in any case.

    >>> as_frequency("Quarterly")
    <Frequency.quarterly: 'quarterly'>
    """
    if isinstance(frequency, Frequency):
        return frequency
    if isinstance(frequency, str):
        try:
            return Frequency(frequency.strip().lower())
        except ValueError:
            pass
    raise CoreError(
        f"Unknown frequency {frequency!r}: expected 'monthly', 'quarterly' or 'annual'."
    )


def periods_per_year(frequency: Frequency | str) -> int:
    """How many periods of `frequency` make a year.

    >>> periods_per_year("quarterly")
    4
    """
    return _PERIODS_PER_YEAR[as_frequency(frequency)]


def _check_year_start_month(year_start_month: int) -> int:
    if (
        isinstance(year_start_month, bool)
        or not isinstance(year_start_month, int)
        or not 1 <= year_start_month <= MONTHS_PER_YEAR
    ):
        raise CoreError(
            f"The year-start month must be a month number from 1 to 12, not {year_start_month!r}."
        )
    return year_start_month


def financial_year_label(
    fy_start_year: int, *, year_start_month: int = DEFAULT_YEAR_START_MONTH
) -> str:
    """The label of the financial year that starts in `fy_start_year`.

    >>> financial_year_label(2024)
    '2024/25'
    >>> financial_year_label(1999)
    '1999/00'
    >>> financial_year_label(2024, year_start_month=1)
    '2024'
    """
    if _check_year_start_month(year_start_month) == CALENDAR_YEAR_START_MONTH:
        return f"{fy_start_year}"
    return f"{fy_start_year}/{(fy_start_year + 1) % CENTURY:02d}"


def _month_number(year: int, month: int) -> int:
    """Months since year 0, so months can be counted and compared."""
    return year * MONTHS_PER_YEAR + (month - 1)


def _from_month_number(number: int) -> tuple[int, int]:
    year, offset = divmod(number, MONTHS_PER_YEAR)
    return year, offset + 1


def _month_end(year: int, month: int) -> date:
    next_year, next_month = _from_month_number(_month_number(year, month) + 1)
    return date(next_year, next_month, 1) - timedelta(days=1)


@dataclass(frozen=True, eq=True, order=False, slots=True)
class Period:
    """A month, financial quarter or financial year.

    Build one with `parse_period` or the constructors rather than the fields:
    `fy_start_year` is the calendar year the financial year starts in, and `index`
    the 1-based position within that year (month 1-12, quarter 1-4, 1 for a year).

    >>> p = Period.for_quarter(2024, 4)
    >>> p.label, p.start, p.end
    ('2024/25 Q4', datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    >>> p.next().label
    '2025/26 Q1'
    >>> Period.for_month(2025, 3) < Period.for_month(2025, 4)
    True
    """

    frequency: Frequency
    fy_start_year: int
    index: int
    year_start_month: int = DEFAULT_YEAR_START_MONTH

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", as_frequency(self.frequency))
        _check_year_start_month(self.year_start_month)
        if (
            isinstance(self.fy_start_year, bool)
            or not isinstance(self.fy_start_year, int)
            or not MIN_YEAR <= self.fy_start_year <= MAX_FY_START_YEAR
        ):
            raise PeriodError(
                f"The year {self.fy_start_year!r} is out of range: periods run from "
                f"{MIN_YEAR} to {MAX_FY_START_YEAR}."
            )
        count = _PERIODS_PER_YEAR[self.frequency]
        if isinstance(self.index, bool) or not isinstance(self.index, int):
            raise PeriodError(
                f"A period's position in its year must be a whole number, not {self.index!r}."
            )
        if not 1 <= self.index <= count:
            raise PeriodError(
                f"A {self.frequency} period's position in its year must be from 1 to "
                f"{count}, not {self.index}."
            )

    # Constructors -----------------------------------------------------------------

    @classmethod
    def for_month(
        cls, year: int, month: int, *, year_start_month: int = DEFAULT_YEAR_START_MONTH
    ) -> Period:
        """The calendar month `month` of `year`.

        >>> Period.for_month(2025, 1).financial_year
        '2024/25'
        """
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            raise PeriodError(f"A month must be a number from 1 to 12, not {month!r}.")
        if isinstance(year, bool) or not isinstance(year, int):
            raise PeriodError(f"A year must be a whole number, not {year!r}.")
        _check_year_start_month(year_start_month)
        offset = _month_number(year, month) - _month_number(year, year_start_month)
        fy_start_year = year if offset >= 0 else year - 1
        return cls(Frequency.monthly, fy_start_year, offset % MONTHS_PER_YEAR + 1, year_start_month)

    @classmethod
    def for_quarter(
        cls,
        fy_start_year: int,
        quarter: int,
        *,
        year_start_month: int = DEFAULT_YEAR_START_MONTH,
    ) -> Period:
        """Financial quarter `quarter` (1-4) of the year starting in `fy_start_year`.

        >>> Period.for_quarter(2024, 1).label
        '2024/25 Q1'
        """
        return cls(Frequency.quarterly, fy_start_year, quarter, year_start_month)

    @classmethod
    def for_year(
        cls, fy_start_year: int, *, year_start_month: int = DEFAULT_YEAR_START_MONTH
    ) -> Period:
        """The financial year starting in `fy_start_year`.

        >>> Period.for_year(2024).end
        datetime.date(2025, 3, 31)
        """
        return cls(Frequency.annual, fy_start_year, 1, year_start_month)

    @classmethod
    def containing(
        cls,
        day: date,
        frequency: Frequency | str,
        *,
        year_start_month: int = DEFAULT_YEAR_START_MONTH,
    ) -> Period:
        """The period of `frequency` that contains the date `day`.

        >>> Period.containing(date(2025, 2, 14), "quarterly").label
        '2024/25 Q4'
        >>> Period.containing(date(2025, 2, 14), "annual", year_start_month=1).label
        '2025'
        """
        freq = as_frequency(frequency)
        if not isinstance(day, date):
            raise PeriodError(f"Expected a date, not {day!r}.")
        month = cls.for_month(day.year, day.month, year_start_month=year_start_month)
        if freq is Frequency.monthly:
            return month
        index = (month.index - 1) // _MONTHS_PER_PERIOD[freq] + 1
        return cls(freq, month.fy_start_year, index, year_start_month)

    @staticmethod
    def range(first: Period, last: Period) -> tuple[Period, ...]:
        """Every period from `first` to `last` inclusive, in order.

        >>> [p.label for p in Period.range(Period.for_month(2025, 2), Period.for_month(2025, 4))]
        ['2025-02', '2025-03', '2025-04']
        """
        first._check_comparable(last)
        if last < first:
            raise PeriodError(
                f"A range of periods must run forwards: {first.label} is after {last.label}."
            )
        count = last._ordinal() - first._ordinal() + 1
        return tuple(first.shift(step) for step in range(count))

    # Derived values ---------------------------------------------------------------

    def _ordinal(self) -> int:
        return self.fy_start_year * _PERIODS_PER_YEAR[self.frequency] + (self.index - 1)

    def _first_month(self) -> tuple[int, int]:
        offset = (self.index - 1) * _MONTHS_PER_PERIOD[self.frequency]
        return _from_month_number(_month_number(self.fy_start_year, self.year_start_month) + offset)

    @property
    def start(self) -> date:
        """The first day of the period."""
        year, month = self._first_month()
        return date(year, month, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        year, month = self._first_month()
        last = _month_number(year, month) + _MONTHS_PER_PERIOD[self.frequency] - 1
        return _month_end(*_from_month_number(last))

    @property
    def financial_year(self) -> str:
        """The label of the financial year the period belongs to, like `2024/25`."""
        return financial_year_label(self.fy_start_year, year_start_month=self.year_start_month)

    @property
    def quarter(self) -> int:
        """The financial quarter (1-4) of a month or quarter; a year has none.

        >>> Period.for_month(2025, 1).quarter
        4
        """
        if self.frequency is Frequency.annual:
            raise PeriodError(f"{self.label} is a whole year, so it has no quarter.")
        return (self.index - 1) * _MONTHS_PER_PERIOD[self.frequency] // MONTHS_PER_QUARTER + 1

    @property
    def label(self) -> str:
        """The canonical label: `2024-04`, `2024/25 Q1` or `2024/25`."""
        if self.frequency is Frequency.monthly:
            year, month = self._first_month()
            return f"{year}-{month:02d}"
        if self.frequency is Frequency.quarterly:
            return f"{self.financial_year} Q{self.index}"
        return self.financial_year

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        extra = (
            ""
            if self.year_start_month == DEFAULT_YEAR_START_MONTH
            else f", year_start_month={self.year_start_month}"
        )
        return f"Period({self.label!r}, {self.frequency.value}{extra})"

    # Moving around ----------------------------------------------------------------

    def shift(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative).

        >>> Period.for_month(2024, 11).shift(3).label
        '2025-02'
        """
        count = _PERIODS_PER_YEAR[self.frequency]
        fy_start_year, offset = divmod(self._ordinal() + steps, count)
        return Period(self.frequency, fy_start_year, offset + 1, self.year_start_month)

    def next(self) -> Period:
        """The following period."""
        return self.shift(1)

    def previous(self) -> Period:
        """The preceding period."""
        return self.shift(-1)

    def same_period_last_year(self) -> Period:
        """The same month, quarter or year one year earlier.

        >>> Period.for_month(2024, 2).same_period_last_year().label
        '2023-02'
        """
        return self.shift(-_PERIODS_PER_YEAR[self.frequency])

    def year(self) -> Period:
        """The financial year (an annual period) this period belongs to."""
        return Period.for_year(self.fy_start_year, year_start_month=self.year_start_month)

    def periods_in_year(self) -> tuple[Period, ...]:
        """Every period of this frequency in this period's financial year.

        >>> [p.label for p in Period.for_quarter(2024, 3).periods_in_year()]
        ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4']
        """
        count = _PERIODS_PER_YEAR[self.frequency]
        return tuple(
            Period(self.frequency, self.fy_start_year, index, self.year_start_month)
            for index in range(1, count + 1)
        )

    def year_to_date(self) -> tuple[Period, ...]:
        """The periods of this financial year up to and including this one.

        >>> [p.label for p in Period.for_month(2024, 6).year_to_date()]
        ['2024-04', '2024-05', '2024-06']
        """
        return self.periods_in_year()[: self.index]

    def months(self) -> tuple[Period, ...]:
        """The monthly periods this period covers.

        >>> [m.label for m in Period.for_quarter(2024, 4).months()]
        ['2025-01', '2025-02', '2025-03']
        """
        year, month = self._first_month()
        first = Period.for_month(year, month, year_start_month=self.year_start_month)
        return tuple(first.shift(step) for step in range(_MONTHS_PER_PERIOD[self.frequency]))

    def contains(self, day: date) -> bool:
        """Whether the date `day` falls within the period."""
        return self.start <= _as_date(day) <= self.end

    # Ordering ---------------------------------------------------------------------

    def _check_comparable(self, other: object) -> Period:
        if not isinstance(other, Period):
            raise IncomparablePeriodsError(f"Cannot compare a period with {other!r}.")
        if other.frequency is not self.frequency:
            raise IncomparablePeriodsError(
                f"Cannot compare {self.frequency} {self.label} with "
                f"{other.frequency} {other.label}: periods compare within one frequency."
            )
        if other.year_start_month != self.year_start_month:
            raise IncomparablePeriodsError(
                f"Cannot compare {self.label} and {other.label}: their financial years "
                "start in different months."
            )
        return other

    def __lt__(self, other: object) -> bool:
        return self._ordinal() < self._check_comparable(other)._ordinal()

    def __le__(self, other: object) -> bool:
        return self._ordinal() <= self._check_comparable(other)._ordinal()

    def __gt__(self, other: object) -> bool:
        return self._ordinal() > self._check_comparable(other)._ordinal()

    def __ge__(self, other: object) -> bool:
        return self._ordinal() >= self._check_comparable(other)._ordinal()


# Parsing ---


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        # NaN, NaT and pandas' NA are not equal to themselves (NA cannot even say).
        return bool(value != value)
    except (TypeError, ValueError):
        return True


def excel_serial_to_date(serial: float | Decimal) -> date:
    """The date of an Excel serial day number (1900 date system; time of day dropped).

    >>> excel_serial_to_date(45383)
    datetime.date(2024, 4, 1)
    >>> excel_serial_to_date(45383.75)
    datetime.date(2024, 4, 1)
    """
    if isinstance(serial, bool) or not isinstance(serial, numbers.Real | Decimal):
        raise PeriodError(f"An Excel date number must be a number, not {serial!r}.")
    if not math.isfinite(float(serial)) or not 1 <= serial < EXCEL_MAX_SERIAL + 1:
        raise PeriodError(
            f"{serial} is not an Excel date number: expected a day number from 1 "
            f"to {EXCEL_MAX_SERIAL}, such as 45383 for 1 April 2024."
        )
    days = math.floor(serial)
    if days == EXCEL_FICTITIOUS_LEAP_DAY:
        raise PeriodError("Excel date number 60 is 29 February 1900, a day that never existed.")
    epoch = EXCEL_EPOCH if days > EXCEL_FICTITIOUS_LEAP_DAY else EXCEL_EARLY_EPOCH
    return epoch + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a piece of text names, before it is checked against a frequency."""

    kind: Frequency | None  # None: a date, which fits any frequency
    year: int = 0  # calendar year (month), or financial-year start year
    number: int = 0  # month 1-12 or quarter 1-4
    calendar_year: bool = False  # a quarter or year written as one calendar year
    day: date | None = None


def _full_year(digits: str) -> int:
    return int(digits) + TWO_DIGIT_YEAR_BASE if len(digits) <= 2 else int(digits)


def _follows(first: str, second: str) -> bool:
    start = _full_year(first)
    if len(second) == 4:
        return int(second) == start + 1
    return len(second) == 2 and int(second) == (start + 1) % CENTURY


def _not_a_financial_year(text: str) -> PeriodError:
    return PeriodError(
        f"'{text}' is not a financial year: the second year must be the one after the "
        "first, as in '2024/25'."
    )


def _read_year_pair(match: re.Match[str], text: str) -> int:
    if not _follows(match["y1"], match["y2"]):
        raise _not_a_financial_year(text)
    return _full_year(match["y1"])


def _read_date(year: str, month: str, day: str, text: str) -> _Reading:
    try:
        return _Reading(None, day=date(int(year), int(month), int(day)))
    except ValueError:
        raise PeriodError(f"'{text}' is not a real date.") from None


def _read_year_pair_text(
    match: re.Match[str], text: str, shown: str, frequency: Frequency
) -> _Reading | None:
    """A month (`2024-04`) or financial year (`2024/25`); None for `04/2024` and the like."""
    y1, y2 = match["y1"], match["y2"]
    if len(y1) == 2 and len(y2) != 2:
        return None  # `04/2024` is a month, read later
    month_like = (
        match["sep"] == "-"
        and len(y1) == 4
        and len(y2) <= 2
        and 1 <= int(y2) <= MONTHS_PER_YEAR
        and not _HAS_FY_PREFIX.match(text)
    )
    # `2011-12` reads as December 2011 (ISO) unless the measure is annual and it is
    # also the financial year 2011/12.
    if month_like and not (frequency is Frequency.annual and _follows(y1, y2)):
        return _Reading(Frequency.monthly, int(y1), int(y2))
    if len(y1) == 2 and not _follows(y1, y2):
        return None
    if match["sep"] == "-" and len(y2) <= 2 and not _follows(y1, y2):
        raise PeriodError(
            f"'{shown}' is neither a month (months run from 01 to 12, as in '2024-04') "
            "nor a financial year (as in '2024/25')."
        )
    return _Reading(Frequency.annual, _read_year_pair(match, shown))


def _read_text(text: str, shown: str, frequency: Frequency) -> _Reading | None:
    """Classify normalised lower-case `text`; None when it matches no accepted form.

    Messages quote `shown`, the text as the person typed it.
    """
    if match := _ISO_DATE.fullmatch(text):
        return _read_date(match["y"], match["m"], match["d"], shown)
    if match := _UK_DATE.fullmatch(text):
        return _read_date(match["y"], match["m"], match["d"], shown)
    if _EXCEL_TEXT.fullmatch(text):
        return _Reading(None, day=excel_serial_to_date(float(text)))
    for pattern in (_QUARTER_FIRST, _QUARTER_LAST):
        if match := pattern.fullmatch(text):
            quarter = int(match["q"])
            if not 1 <= quarter <= QUARTERS_PER_YEAR:
                raise PeriodError(f"'{shown}' names quarter {quarter}, but a year has four.")
            if match["year"] is not None:
                return _Reading(Frequency.quarterly, int(match["year"]), quarter, True)
            return _Reading(Frequency.quarterly, _read_year_pair(match, shown), quarter)
    if (match := _YEAR_PAIR_ONLY.fullmatch(text)) and (
        reading := _read_year_pair_text(match, text, shown, frequency)
    ):
        return reading
    if match := _SINGLE_YEAR_ONLY.fullmatch(text):
        return _Reading(Frequency.annual, int(match["year"]), calendar_year=True)
    if match := _NAMED_MONTH.fullmatch(text):
        return _Reading(Frequency.monthly, _full_year(match["year"]), _MONTH_NAMES[match["name"]])
    if match := _NUMERIC_MONTH.fullmatch(text):
        month = int(match["m"])
        if not 1 <= month <= MONTHS_PER_YEAR:
            return None
        return _Reading(Frequency.monthly, int(match["y"]), month)
    return None


def _example(frequency: Frequency, year_start_month: int) -> str:
    if frequency is Frequency.monthly:
        return Period.for_month(2024, year_start_month).label
    if frequency is Frequency.quarterly:
        return Period.for_quarter(2024, 1, year_start_month=year_start_month).label
    return Period.for_year(2024, year_start_month=year_start_month).label


def _accepted_forms(frequency: Frequency, year_start_month: int) -> str:
    calendar = year_start_month == CALENDAR_YEAR_START_MONTH
    if frequency is Frequency.monthly:
        forms = ["2024-04", "Apr-24", "April 2024", "Apr 2024", "04/2024"]
    elif frequency is Frequency.quarterly:
        forms = (
            ["2024 Q1", "Q1 2024"]
            if calendar
            else ["2024/25 Q1", "Q1 2024/25", "2024-25 Q1", "Q1 FY2024/25"]
        )
    else:
        forms = ["2024"] if calendar else ["2024/25", "2024-25", "2024/2025", "FY2024/25"]
    quoted = ", ".join(f"'{form}'" for form in forms)
    return f"{quoted}, a date such as '2024-04-30', or an Excel date number such as 45383"


def _wrong_kind(text: str, kind: Frequency, frequency: Frequency, ysm: int) -> PeriodError:
    article = _ARTICLE[frequency]
    return PeriodError(
        f"'{text}' is {_KIND_NAME[kind]}; {article} {frequency} measure needs "
        f"{_KIND_NAME[frequency]} such as '{_example(frequency, ysm)}'."
    )


def _period_from_reading(
    reading: _Reading, text: str, frequency: Frequency, year_start_month: int
) -> Period:
    if reading.kind is None:
        assert reading.day is not None
        return Period.containing(reading.day, frequency, year_start_month=year_start_month)
    if reading.kind is not frequency:
        raise _wrong_kind(text, reading.kind, frequency, year_start_month)
    if frequency is Frequency.monthly:
        return Period.for_month(reading.year, reading.number, year_start_month=year_start_month)
    calendar_council = year_start_month == CALENDAR_YEAR_START_MONTH
    if reading.calendar_year and not calendar_council:
        raise PeriodError(
            f"'{text}' names a calendar year, but financial years here start in "
            f"{_MONTH_TITLES[year_start_month - 1]}: write the financial year, as in "
            f"'{_example(frequency, year_start_month)}'."
        )
    if not reading.calendar_year and calendar_council:
        raise PeriodError(
            f"'{text}' names a year running across two calendar years, but years here "
            f"are calendar years: write one year, as in '{_example(frequency, year_start_month)}'."
        )
    if frequency is Frequency.quarterly:
        return Period.for_quarter(reading.year, reading.number, year_start_month=year_start_month)
    return Period.for_year(reading.year, year_start_month=year_start_month)


def _normalise(text: str) -> str:
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text.strip().lower())
    # Spaces around separators carry no meaning: `2024 / 25`, `Apr - 24`.
    return re.sub(r" ?([/-]) ?", r"\1", text)


def parse_period(
    value: Any,
    frequency: Frequency | str,
    *,
    year_start_month: int = DEFAULT_YEAR_START_MONTH,
) -> Period:
    """Read `value` as a period of `frequency`.

    `value` may be text in the forms people type, a `date`/`datetime`/pandas
    `Timestamp`, an Excel serial day number, or a `Period`. A date or Excel number
    means the period containing it; text must name a period of the measure's
    frequency (a month for a monthly measure, and so on).

    >>> parse_period("Apr-24", "monthly").label
    '2024-04'
    >>> parse_period("Q3 2024-25", "quarterly").label
    '2024/25 Q3'
    >>> parse_period(45383, "annual").label
    '2024/25'
    >>> try:
    ...     parse_period("2024-05", "quarterly")
    ... except PeriodError as error:
    ...     print(error)
    '2024-05' is a month; a quarterly measure needs a quarter such as '2024/25 Q1'.
    """
    freq = as_frequency(frequency)
    _check_year_start_month(year_start_month)
    if isinstance(value, Period):
        if value.frequency is not freq:
            raise _wrong_kind(value.label, value.frequency, freq, year_start_month)
        if value.year_start_month != year_start_month:
            raise PeriodError(
                f"{value.label} belongs to a year starting in month {value.year_start_month}, "
                f"not {year_start_month}."
            )
        return value
    if _is_missing(value):
        raise PeriodError("A period is needed, but the value is blank.")
    if isinstance(value, date):
        return Period.containing(_as_date(value), freq, year_start_month=year_start_month)
    if isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        day = excel_serial_to_date(cast(float, value))
        return Period.containing(day, freq, year_start_month=year_start_month)
    if not isinstance(value, str):
        raise PeriodError(
            f"Could not read {value!r} as a period: expected text, a date or an Excel date number."
        )
    text = value.strip()
    reading = _read_text(_normalise(text), text, freq)
    if reading is None:
        raise PeriodError(
            f"Could not read '{text}' as a period. {_ARTICLE[freq].capitalize()} {freq} "
            f"measure accepts forms such as {_accepted_forms(freq, year_start_month)}."
        )
    return _period_from_reading(reading, text, freq, year_start_month)


def display_label(period: Period | str | None) -> str:
    """A period as people read it: `Oct 2026`, `2026/27 Q2`, `2026/27`.

    Months are written with the month's short name; quarters and years already read
    as people say them, so they keep their canonical label. Text that is not a
    canonical month label (a blank, a word) is returned as it is.

    >>> display_label("2026-10")
    'Oct 2026'
    >>> display_label(Period.for_month(2026, 4))
    'Apr 2026'
    >>> display_label("2026/27 Q2")
    '2026/27 Q2'
    >>> display_label("2026/27")
    '2026/27'
    >>> display_label(None)
    ''
    """
    if period is None:
        return ""
    text = period.label if isinstance(period, Period) else str(period)
    month = _ISO_MONTH.fullmatch(text)
    if month is None:
        return text
    return f"{_MONTH_TITLES[int(month['m']) - 1][:3]} {month['y']}"
