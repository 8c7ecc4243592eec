"""Benchmarking: where a council stands in its comparator group, metric by metric.

For one metric and one period, given every member council's value (``None`` where a
council has published nothing), this module works out:

- `summarise`: the group's count, median, mean, min, max, lower and upper quartile
  values and MAD (the *unscaled* median absolute deviation: the median of
  ``|x - median|``, not multiplied by 1.4826), as Oflog publishes it.
- `rank_areas`: each council's rank, 1 = best by the metric's polarity.
- `quartile_for_rank`: the quartile (top = best) a rank falls in.
- `distance_in_mads` and `describe_distance`: how far a value is from the median, in
  MADs, and the plain-English phrase for it.
- `position`: all of the above for one council (usually ours), with the councils that
  have no value listed by code, never silently dropped.
- `gap_trend`: whether we are closing the gap on the group median over the last periods.
- `own_figure`: our own figure for a benchmark's period, worked out from the figures we
  report (for a financial year, the year's outturn by the measure's year-to-date
  method), so a page can show it beside the benchmark value and a reader sees any gap.

Methods, where the issue left a choice:

**Ranks** are "competition" ranks: tied values share the best rank they cover, and the
next rank skips (values 9, 8, 8, 7 rank 1, 2, 2, 4). Only councils with a value are
ranked; a group's size ``n`` for ranks and quartiles is the number of values.

**Quartiles** come from a rank's position in the group: quartile index
``floor(4 * (rank - 1) / n)``, so 0 is the top quartile and 3 the bottom. Ties take the
quartile of their shared (best) rank. When ``n`` does not divide by four the extra places
are spread so that no two quartiles differ by more than one place: 16 values split
4/4/4/4, 15 split 4/4/4/3, 14 split 4/3/4/3 and 7 split 2/2/2/1.
With fewer than `MIN_VALUES_FOR_QUARTILE` values a quartile says nothing (one council is
"top" of a group of one), so the quartile is ``None``: "too few to say". A neutral
metric (no way is better) has no rank or quartile.

**Inter-quartile range** (for charts of the group's spread over time): the 25th and 75th
percentiles of the values by the inclusive method (``statistics.quantiles(...,
method="inclusive")``, the same as Excel's ``QUARTILE.INC``).

**Distance bands** (Oflog's automated commentary): the absolute distance in MADs, with
each band's upper edge inclusive: up to 0.5 "broadly similar to", up to 1.5 "slightly
better/worse than", up to 3 "better/worse than", up to 7.5 "much better/worse than", and
beyond 7.5 flagged for a person to word. A MAD of zero (half the group or more share
the median value) makes the distance in MADs undefined unless the value *is* the median
(distance 0): such a value is flagged for a person to word, as an extreme one is.

**Gap trend**: the gap is our value minus the group median, signed so that positive is
better. Over the last periods with both values, the change in gap from the first to the
latest is "steady" when it is within `STEADY_MADS` of the latest period's MAD (or zero
when that MAD is zero); otherwise we are closing the gap (behind and gaining), falling
further behind, extending a lead, or losing a lead.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from core.errors import CoreError
from core.legend import AMBER, BLUE, GREEN, GREY, RED, Symbol
from core.periods import Period
from core.status import is_missing
from core.vocab import Frequency, Polarity, YtdMethod
from core.ytd import PeriodFigures, year_to_date

__all__ = [
    "BANDS",
    "MIN_VALUES_FOR_QUARTILE",
    "QUARTILE_SYMBOLS",
    "STEADY_MADS",
    "TREND_SYMBOLS",
    "Band",
    "Distance",
    "GapPoint",
    "GapTrend",
    "GroupSummary",
    "OwnFigure",
    "Position",
    "Quartile",
    "RankedArea",
    "Trend",
    "describe_distance",
    "distance_in_mads",
    "gap_trend",
    "own_figure",
    "position",
    "quartile_for_rank",
    "quartile_symbol",
    "rank_areas",
    "summarise",
    "trend_symbol",
]

MIN_VALUES_FOR_QUARTILE: Final = 4
"""Below this many values in a group, no quartile is given."""

STEADY_MADS: Final = 0.5
"""A change in the gap to the median smaller than this many MADs counts as steady."""

QUARTERS: Final = 4


class Quartile(StrEnum):
    top = "top"
    second = "second"
    third = "third"
    bottom = "bottom"


class Band(StrEnum):
    """How far from the median, in Oflog's bands of MADs."""

    broadly_similar = "broadly_similar"
    slightly = "slightly"
    moderately = "moderately"
    much = "much"
    for_a_person = "for_a_person"


BANDS: Final[tuple[tuple[float, Band], ...]] = (
    (0.5, Band.broadly_similar),
    (1.5, Band.slightly),
    (3.0, Band.moderately),
    (7.5, Band.much),
)
"""Each band's inclusive upper edge in MADs; beyond the last is for a person to word."""

_BAND_ADVERB: Final[Mapping[Band, str]] = MappingProxyType(
    {Band.slightly: "slightly ", Band.moderately: "", Band.much: "much "}
)

QUARTILE_SYMBOLS: Final[Mapping[Quartile | None, Symbol]] = MappingProxyType(
    {
        Quartile.top: Symbol("❶", "Top quartile", GREEN, "Among the best quarter of the group"),
        Quartile.second: Symbol(
            "❷", "Second quartile", BLUE, "Better than the median, outside the best quarter"
        ),
        Quartile.third: Symbol(
            "❸", "Third quartile", AMBER, "Worse than the median, outside the worst quarter"
        ),
        Quartile.bottom: Symbol(
            "❹", "Bottom quartile", RED, "Among the worst quarter: needs a management report"
        ),
        None: Symbol("⌀", "No quartile", GREY, "No value, too few values or no way is better"),
    }
)


class Trend(StrEnum):
    """Our gap to the group median over the last periods."""

    closing_gap = "closing_gap"
    widening_gap = "widening_gap"
    extending_lead = "extending_lead"
    losing_lead = "losing_lead"
    steady = "steady"
    not_enough_data = "not_enough_data"


TREND_SYMBOLS: Final[Mapping[Trend, Symbol]] = MappingProxyType(
    {
        Trend.closing_gap: Symbol(
            "↗", "Closing the gap", GREEN, "Worse than the median, and getting closer"
        ),
        Trend.widening_gap: Symbol(
            "↘", "Falling behind", RED, "Worse than the median, and further behind"
        ),
        Trend.extending_lead: Symbol(
            "⇈", "Extending lead", GREEN, "Better than the median, and further ahead"
        ),
        Trend.losing_lead: Symbol(
            "⇊", "Losing ground", AMBER, "Better than the median, but the lead is shrinking"
        ),
        Trend.steady: Symbol("↔", "Steady", GREY, "About the same distance from the median"),
        Trend.not_enough_data: Symbol(
            "∴", "Not enough data", GREY, "Fewer than two periods with our value and a median"
        ),
    }
)


def quartile_symbol(quartile: Quartile | str | None) -> Symbol:
    """The icon, word and colour for a quartile (None: no quartile).

    >>> quartile_symbol("bottom").word
    'Bottom quartile'
    """
    return QUARTILE_SYMBOLS[None if quartile is None else Quartile(quartile)]


def trend_symbol(trend: Trend | str) -> Symbol:
    """The icon, word and colour for a gap trend.

    >>> trend_symbol("closing_gap").word
    'Closing the gap'
    """
    return TREND_SYMBOLS[Trend(trend)]


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """The group's values for one metric and period, summarised."""

    count: int
    median: float
    mean: float
    minimum: float
    maximum: float
    lower_quartile: float
    upper_quartile: float
    mad: float


@dataclass(frozen=True, slots=True)
class RankedArea:
    area_code: str
    value: float
    rank: int | None
    quartile: Quartile | None


@dataclass(frozen=True, slots=True)
class Distance:
    """A value's distance from the median, and how to say it."""

    mads: float | None
    band: Band
    better: bool | None
    phrase: str | None


@dataclass(frozen=True, slots=True)
class Position:
    """One council's place in its group for one metric and period."""

    area_code: str
    value: float | None
    rank: int | None
    of: int
    quartile: Quartile | None
    summary: GroupSummary | None
    difference: float | None
    distance: Distance | None
    ranked: tuple[RankedArea, ...]
    missing: tuple[str, ...]


def _clean(values: Mapping[str, float | None]) -> dict[str, float]:
    out: dict[str, float] = {}
    for code, value in values.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if math.isinf(value):
            raise CoreError(f"The value for {code} is not a finite number.")
        out[code] = float(value)
    return out


def summarise(values: Sequence[float]) -> GroupSummary:
    """Median, mean, range, inter-quartile range and unscaled MAD of a group's values.

    >>> s = summarise([1, 2, 3, 4, 100])
    >>> s.median, s.mad, s.mean
    (3, 1, 22.0)
    """
    if not values:
        raise CoreError("A summary needs at least one value.")
    data = list(values)
    median = statistics.median(data)
    mad = statistics.median([abs(x - median) for x in data])
    if len(data) >= 2:
        lower, _, upper = statistics.quantiles(data, n=QUARTERS, method="inclusive")
    else:
        lower = upper = data[0]
    return GroupSummary(
        count=len(data),
        median=median,
        mean=statistics.fmean(data) if len(data) > 1 else data[0],
        minimum=min(data),
        maximum=max(data),
        lower_quartile=lower,
        upper_quartile=upper,
        mad=mad,
    )


def quartile_for_rank(rank: int, of: int) -> Quartile | None:
    """The quartile (top = best) of ``rank`` among ``of`` ranked values.

    >>> quartile_for_rank(5, 16), quartile_for_rank(13, 15), quartile_for_rank(1, 3)
    (<Quartile.second: 'second'>, <Quartile.bottom: 'bottom'>, None)
    """
    if of < 1 or not 1 <= rank <= of:
        raise CoreError(f"A rank must be between 1 and the group size ({rank} of {of}).")
    if of < MIN_VALUES_FOR_QUARTILE:
        return None
    return tuple(Quartile)[QUARTERS * (rank - 1) // of]


def rank_areas(
    values: Mapping[str, float | None], polarity: Polarity | str
) -> tuple[RankedArea, ...]:
    """Every council with a value, best first, with its rank and quartile.

    Ties share the best rank they cover. A neutral metric is listed highest first with
    no ranks. Councils without a value are left out (`position` lists them).

    >>> [(r.area_code, r.rank) for r in rank_areas({"a": 7, "b": 9, "c": 9}, "higher_is_better")]
    [('b', 1), ('c', 1), ('a', 3)]
    """
    polarity = Polarity(polarity)
    clean = _clean(values)
    lower_better = polarity == Polarity.lower_is_better
    order = sorted(clean.items(), key=lambda kv: (kv[1] if lower_better else -kv[1], kv[0]))
    n = len(order)
    out: list[RankedArea] = []
    rank = 0
    previous: float | None = None
    for i, (code, value) in enumerate(order, start=1):
        if value != previous:
            rank, previous = i, value
        if polarity == Polarity.neutral:
            out.append(RankedArea(code, value, None, None))
        else:
            out.append(RankedArea(code, value, rank, quartile_for_rank(rank, n)))
    return tuple(out)


def distance_in_mads(value: float, summary: GroupSummary) -> float | None:
    """``(value - median) / MAD``; 0 at the median; None when MAD is 0 and value is not.

    >>> distance_in_mads(7.7, summarise([7.4, 7.6, 7.7]))
    1.0
    """
    difference = value - summary.median
    if summary.mad == 0:
        return 0.0 if difference == 0 else None
    return difference / summary.mad


def describe_distance(mads: float | None, polarity: Polarity | str) -> Distance:
    """The band and phrase for a signed distance in MADs (positive = above the median).

    >>> describe_distance(-2.0, "higher_is_better").phrase
    'worse than'
    >>> describe_distance(1.0, "lower_is_better").phrase
    'slightly worse than'
    >>> describe_distance(0.5, "neutral").phrase
    'broadly similar to'
    """
    polarity = Polarity(polarity)
    if mads is None or math.isnan(mads):
        return Distance(None, Band.for_a_person, None, None)
    size = abs(mads)
    band = next((b for edge, b in BANDS if size <= edge), Band.for_a_person)
    if band == Band.broadly_similar:
        return Distance(mads, band, None, "broadly similar to")
    if polarity == Polarity.neutral:
        better = None
        way = "higher" if mads > 0 else "lower"
    else:
        better = (mads > 0) == (polarity == Polarity.higher_is_better)
        way = "better" if better else "worse"
    if band == Band.for_a_person:
        return Distance(mads, band, better, None)
    return Distance(mads, band, better, f"{_BAND_ADVERB[band]}{way} than")


def position(
    values: Mapping[str, float | None], area_code: str, polarity: Polarity | str
) -> Position:
    """Where ``area_code`` stands among ``values`` (every member, ``None`` = no value).

    >>> p = position({"us": 10, "a": 12, "b": 8, "c": None}, "us", "higher_is_better")
    >>> p.rank, p.of, p.quartile, p.summary.median, p.missing
    (2, 3, None, 10.0, ('c',))
    """
    if area_code not in values:
        raise CoreError(f"{area_code} is not a member of the group.")
    polarity = Polarity(polarity)
    ranked = rank_areas(values, polarity)
    clean = _clean(values)
    missing = tuple(sorted(code for code in values if code not in clean))
    summary = summarise(list(clean.values())) if clean else None
    own = next((r for r in ranked if r.area_code == area_code), None)
    if own is None or summary is None:
        return Position(
            area_code, None, None, len(ranked), None, summary, None, None, ranked, missing
        )
    mads = distance_in_mads(own.value, summary)
    return Position(
        area_code=area_code,
        value=own.value,
        rank=own.rank,
        of=len(ranked),
        quartile=own.quartile,
        summary=summary,
        difference=own.value - summary.median,
        distance=describe_distance(mads, polarity),
        ranked=ranked,
        missing=missing,
    )


@dataclass(frozen=True, slots=True)
class GapPoint:
    """Our value and the group's median and MAD in one period (oldest first in a series)."""

    period: str
    value: float | None
    median: float | None
    mad: float | None = None


@dataclass(frozen=True, slots=True)
class GapTrend:
    trend: Trend
    first_gap: float | None
    latest_gap: float | None
    periods: int


def gap_trend(points: Sequence[GapPoint], polarity: Polarity | str, *, last: int = 3) -> GapTrend:
    """Are we closing the gap on the group median over the ``last`` periods with data?

    Gaps are signed so that positive is better than the median (for a neutral metric,
    above it). Points missing our value or the median are skipped.

    >>> pts = [GapPoint("2022/23", 50, 60, 4), GapPoint("2023/24", 55, 60, 4)]
    >>> gap_trend(pts, "higher_is_better").trend
    <Trend.closing_gap: 'closing_gap'>
    """
    if last < 2:
        raise CoreError("A trend needs at least two periods.")
    polarity = Polarity(polarity)
    sign = -1.0 if polarity == Polarity.lower_is_better else 1.0
    usable = [p for p in points if p.value is not None and p.median is not None]
    usable = usable[-last:]
    if len(usable) < 2:
        gap = None
        if usable and usable[0].value is not None and usable[0].median is not None:
            gap = sign * (usable[0].value - usable[0].median)
        return GapTrend(Trend.not_enough_data, gap, gap, len(usable))
    first, latest = usable[0], usable[-1]
    assert first.value is not None and first.median is not None
    assert latest.value is not None and latest.median is not None
    first_gap = sign * (first.value - first.median)
    latest_gap = sign * (latest.value - latest.median)
    change = latest_gap - first_gap
    threshold = STEADY_MADS * (latest.mad or 0.0)
    if abs(change) <= threshold:
        trend = Trend.steady
    elif latest_gap < 0 or (latest_gap == 0 and first_gap < 0):
        trend = Trend.closing_gap if change > 0 else Trend.widening_gap
    else:
        trend = Trend.extending_lead if change > 0 else Trend.losing_lead
    return GapTrend(trend, first_gap, latest_gap, len(usable))


@dataclass(frozen=True, slots=True)
class OwnFigure:
    """Our own figure for one benchmark period: `value` (None when no period of it has a
    figure), from `periods_present` of the `periods_expected` periods of the measure's
    frequency that the benchmark period covers."""

    period: str
    value: float | None
    periods_present: int
    periods_expected: int

    @property
    def complete(self) -> bool:
        """Whether every period the benchmark period covers has a figure."""
        return self.periods_present == self.periods_expected


def own_figure(
    figures: Sequence[PeriodFigures],
    *,
    method: YtdMethod | str,
    frequency: Frequency | str,
    period: Period,
) -> OwnFigure | None:
    """Our own figure for the benchmark `period`, from the measure's `figures`.

    For a financial year it is the year's outturn: the year to date (`core.ytd`, by the
    measure's `method`) to the year's last period of the measure's `frequency`. For a
    period of the measure's own frequency it is that period's figure. Otherwise (a
    quarter benchmarked for a monthly measure, say) the periods do not line up and the
    answer is None.

    >>> april, may = Period.for_month(2024, 4), Period.for_month(2024, 5)
    >>> figs = [PeriodFigures(april, value=10), PeriodFigures(may, value=14)]
    >>> own_figure(figs, method="sum", frequency="monthly", period=Period.for_year(2024))
    OwnFigure(period='2024/25', value=24.0, periods_present=2, periods_expected=12)
    >>> own_figure(figs, method="sum", frequency="monthly", period=may).value
    14.0
    """
    frequency = Frequency(frequency)
    if period.frequency is frequency:
        value = next((f.value for f in figures if f.period == period), None)
        if value is None or is_missing(value):
            return OwnFigure(period.label, None, 0, 1)
        return OwnFigure(period.label, float(value), 1, 1)
    if period.frequency is not Frequency.annual:
        return None
    last = Period.containing(period.end, frequency, year_start_month=period.year_start_month)
    result = year_to_date(figures, method=method, as_at=last)
    return OwnFigure(period.label, result.actual, result.periods_present, result.periods_expected)
