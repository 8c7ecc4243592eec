"""The two layouts a measures file may take, turned into one list of `Entry` rows.

- **long** (the template): one row per measure and period, columns ``code, measure,
  period, value, numerator, denominator, target, commentary, action_note`` (and an
  optional ``confirm``: yes where a value outside its usual range is right).
- **wide** (what people keep): one row per measure, one column per period (``Apr-24``,
  ``May-24`` or real Excel dates), and optionally a ``type`` column saying which rows hold
  targets. A quarterly or annual measure's figure under a month column belongs to the
  quarter or year ending in that month (`map_wide_period`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.errors import PeriodError
from core.periods import Period, parse_period
from core.vocab import Frequency
from dashboard.importing.normalise import canonical_header, header_key, is_blank, text_of
from dashboard.importing.reading import RawTable

__all__ = [
    "DATA_COLUMNS",
    "Entry",
    "WidePeriod",
    "entries",
    "header_matcher",
    "map_wide_period",
]

DATA_COLUMNS = frozenset({"period", "value", "numerator", "denominator", "target"})
_LONG_NEEDS = frozenset({"value", "target", "numerator", "denominator", "commentary"})
WIDE_PREFIX = "@"


@dataclass(frozen=True, slots=True)
class WidePeriod:
    """A period column's header: what it says and the period it names."""

    label: str  # as the person sees it, used as the column name in problems
    period: Period


@dataclass(slots=True)
class Entry:
    """One measure-and-period row to check, whichever layout it came from."""

    row: int
    code: Any
    period: Any
    period_column: str = "period"
    value: Any = None
    value_column: str = "value"
    numerator: Any = None
    denominator: Any = None
    target: Any = None
    target_column: str = "target"
    commentary: Any = None
    action_note: Any = None
    value_percent_cell: bool = False
    target_percent_cell: bool = False
    wide: WidePeriod | None = None
    confirm: Any = None  # the ``confirm`` cell: a value outside its usual range is right


def _wide_header(value: Any, year_start_month: int) -> WidePeriod | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        period = Period.containing(day, Frequency.monthly, year_start_month=year_start_month)
        label = f"{calendar.month_abbr[day.month]}-{day.year % 100:02d}"
        return WidePeriod(label, period)
    if isinstance(value, int | float):
        return None  # bare numbers are not period headers in a header row
    text = str(value).strip()
    for freq in (Frequency.monthly, Frequency.quarterly, Frequency.annual):
        try:
            return WidePeriod(text, parse_period(text, freq, year_start_month=year_start_month))
        except PeriodError:
            continue
    return None


def header_matcher(year_start_month: int) -> Any:
    """A `reading.HeaderMatcher` recognising a long or a wide header row."""

    def match(cells: list[Any]) -> dict[int, str]:
        found: dict[int, str] = {}
        wide: dict[int, str] = {}
        for i, cell in enumerate(cells):
            if isinstance(cell, str):
                name = canonical_header(cell)
                if name and name not in found.values():
                    found[i] = name
                    continue
            wp = _wide_header(cell, year_start_month)
            if wp is not None:
                wide[i] = f"{WIDE_PREFIX}{wp.label}"
        names = set(found.values())
        if not names & {"code", "measure"}:
            return {}
        if "period" in names and names & _LONG_NEEDS:
            return found
        if wide and "period" not in names:
            keep = {i: n for i, n in found.items() if n in {"code", "measure", "type"}}
            return {**keep, **wide}
        return {}

    return match


def map_wide_period(column: WidePeriod, frequency: Frequency | str) -> Period:
    """The measure's period for a value under ``column``, or PeriodError.

    A month column holds a quarterly measure's figure for the quarter ending that month,
    and an annual measure's for the year ending that month.
    """
    freq = Frequency(frequency)
    period = column.period
    if period.frequency is freq:
        return period
    if period.frequency is Frequency.monthly:
        for wanted, name in ((Frequency.quarterly, "quarter"), (Frequency.annual, "year")):
            if freq is not wanted:
                continue
            container = Period.containing(
                period.start, freq, year_start_month=period.year_start_month
            )
            if container.end == period.end:
                return container
            ends = sorted(
                {
                    calendar.month_abbr[p.end.month]
                    for p in container.periods_in_year()
                    if p.frequency is freq
                },
                key=lambda m: list(calendar.month_abbr).index(m),
            )
            return _raise(
                f"{column.label} is not the last month of a {name}: a {freq} measure's figure "
                f"goes under the month its {name} ends ({', '.join(ends)})."
            )
    if period.frequency is Frequency.quarterly and freq is Frequency.annual:
        container = period.year()
        if container.end == period.end:
            return container
    return _raise(f"{column.label} is {_kind(period)}; a {freq} measure needs {_kind_for(freq)}.")


def _kind(period: Period) -> str:
    return {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}[period.frequency]


def _kind_for(freq: Frequency) -> str:
    return {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}[freq]


def _raise(message: str) -> Period:
    raise PeriodError(message)


def entries(table: RawTable, year_start_month: int) -> tuple[str, list[Entry]]:
    """The layout's name and its entries, in spreadsheet order."""
    frame = table.frame
    cols = [c for c in frame.columns if c != "row"]
    pct = table.percent_cells
    if "period" in cols:
        return "long", _long(frame, cols, pct)
    return "wide", _wide(table, cols, pct, year_start_month)


def _long(frame: Any, cols: list[str], pct: set[tuple[int, str]]) -> list[Entry]:
    get = {c: frame[c].tolist() for c in cols}
    rows = frame["row"].tolist()
    code = get.get("code") or get.get("measure") or [None] * len(rows)
    out = []
    none = [None] * len(rows)
    for i, row in enumerate(rows):
        out.append(
            Entry(
                row=row,
                code=code[i],
                period=get["period"][i],
                value=get.get("value", none)[i],
                numerator=get.get("numerator", none)[i],
                denominator=get.get("denominator", none)[i],
                target=get.get("target", none)[i],
                commentary=get.get("commentary", none)[i],
                action_note=get.get("action_note", none)[i],
                confirm=get.get("confirm", none)[i],
                value_percent_cell=bool(pct) and (row, "value") in pct,
                target_percent_cell=bool(pct) and (row, "target") in pct,
            )
        )
    return out


def _wide(
    table: RawTable, cols: list[str], pct: set[tuple[int, str]], year_start_month: int
) -> list[Entry]:
    frame = table.frame
    rows = frame["row"].tolist()
    code = (frame["code"] if "code" in cols else frame["measure"]).tolist()
    kinds = frame["type"].tolist() if "type" in cols else [None] * len(rows)
    period_cols = []
    for c in cols:
        if c.startswith(WIDE_PREFIX):
            wp = _wide_header(table.headers[c], year_start_month)
            if wp is not None:
                period_cols.append((c, wp, frame[c].tolist()))
    out = []
    for i, row in enumerate(rows):
        is_target = "target" in header_key(text_of(kinds[i]))
        for c, wp, values in period_cols:
            v = values[i]
            if is_blank(v):
                continue
            entry = Entry(row=row, code=code[i], period=None, period_column=wp.label, wide=wp)
            if is_target:
                entry.target, entry.target_column = v, wp.label
                entry.target_percent_cell = (row, c) in pct
            else:
                entry.value, entry.value_column = v, wp.label
                entry.value_percent_cell = (row, c) in pct
            out.append(entry)
    return out
