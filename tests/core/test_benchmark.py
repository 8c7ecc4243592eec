"""core.benchmark: ranks, quartiles, group statistics, MAD distances, phrases and trends.

Expected values are worked out by hand in the comments; the real-data checks compare
with the figures Oflog published for 155 councils.
"""

from __future__ import annotations

import doctest
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core.benchmark
from core.benchmark import (
    Band,
    GapPoint,
    OwnFigure,
    Quartile,
    Trend,
    describe_distance,
    distance_in_mads,
    gap_trend,
    own_figure,
    position,
    quartile_for_rank,
    quartile_symbol,
    rank_areas,
    summarise,
    trend_symbol,
)
from core.errors import CoreError
from core.periods import Period
from core.ytd import PeriodFigures

OFLOG = Path(__file__).parent / "data" / "oflog"
Q = Quartile


def sixteen() -> dict[str, float | None]:
    # A01 = 16, A02 = 15, ... A16 = 1
    return {f"A{i:02d}": float(17 - i) for i in range(1, 17)}


# --- ranks and quartiles ------------------------------------------------------


def test_in_a_group_of_16_where_higher_is_better_each_quartile_holds_four_councils():
    ranked = {r.area_code: (r.rank, r.quartile) for r in rank_areas(sixteen(), "higher_is_better")}
    assert ranked["A01"] == (1, Q.top)
    assert ranked["A04"] == (4, Q.top)
    assert ranked["A05"] == (5, Q.second)
    assert ranked["A08"] == (8, Q.second)
    assert ranked["A09"] == (9, Q.third)
    assert ranked["A12"] == (12, Q.third)
    assert ranked["A13"] == (13, Q.bottom)
    assert ranked["A16"] == (16, Q.bottom)


def test_in_a_group_of_16_where_lower_is_better_the_smallest_value_ranks_first():
    ranked = {r.area_code: (r.rank, r.quartile) for r in rank_areas(sixteen(), "lower_is_better")}
    assert ranked["A16"] == (1, Q.top)  # value 1
    assert ranked["A13"] == (4, Q.top)  # value 4
    assert ranked["A12"] == (5, Q.second)
    assert ranked["A05"] == (12, Q.third)
    assert ranked["A04"] == (13, Q.bottom)
    assert ranked["A01"] == (16, Q.bottom)


def test_the_ranked_list_runs_best_first():
    ranked = rank_areas(sixteen(), "lower_is_better")
    assert [r.area_code for r in ranked][:3] == ["A16", "A15", "A14"]
    assert [r.rank for r in ranked] == list(range(1, 17))


def test_a_group_of_15_splits_four_four_four_three():
    quartiles = [quartile_for_rank(rank, 15) for rank in range(1, 16)]
    assert quartiles == [Q.top] * 4 + [Q.second] * 4 + [Q.third] * 4 + [Q.bottom] * 3


def test_a_group_of_7_splits_two_two_two_one():
    quartiles = [quartile_for_rank(rank, 7) for rank in range(1, 8)]
    assert quartiles == [Q.top] * 2 + [Q.second] * 2 + [Q.third] * 2 + [Q.bottom]


def test_a_group_of_14_splits_four_three_four_three():
    quartiles = [quartile_for_rank(rank, 14) for rank in range(1, 15)]
    assert quartiles == [Q.top] * 4 + [Q.second] * 3 + [Q.third] * 4 + [Q.bottom] * 3


def test_a_group_of_one_ranks_first_with_no_quartile_and_sits_on_its_own_median():
    p = position({"us": 42.0}, "us", "higher_is_better")
    assert (p.rank, p.of, p.quartile) == (1, 1, None)
    assert p.summary is not None
    assert (p.summary.median, p.summary.mad, p.summary.mean) == (42.0, 0.0, 42.0)
    assert p.difference == 0.0
    assert p.distance is not None
    assert p.distance.band == Band.broadly_similar
    assert p.distance.phrase == "broadly similar to"


def test_fewer_than_four_values_give_no_quartile_but_still_a_rank():
    ranked = rank_areas({"a": 3.0, "b": 2.0, "c": 1.0}, "higher_is_better")
    assert [(r.rank, r.quartile) for r in ranked] == [(1, None), (2, None), (3, None)]


def test_four_values_are_one_to_a_quartile():
    ranked = rank_areas({"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0}, "higher_is_better")
    assert [r.quartile for r in ranked] == [Q.top, Q.second, Q.third, Q.bottom]


def test_tied_values_share_the_best_rank_and_the_next_rank_skips():
    ranked = rank_areas({"a": 9.0, "b": 8.0, "c": 8.0, "d": 7.0}, "higher_is_better")
    assert [(r.area_code, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    # n = 4: rank 2 -> floor(4 * 1 / 4) = 1 (second); rank 4 -> 3 (bottom)
    assert [r.quartile for r in ranked] == [Q.top, Q.second, Q.second, Q.bottom]


def test_ties_with_lower_is_better_rank_the_smallest_first():
    ranked = rank_areas({"a": 9.0, "b": 8.0, "c": 8.0, "d": 7.0}, "lower_is_better")
    assert [(r.area_code, r.rank) for r in ranked] == [("d", 1), ("b", 2), ("c", 2), ("a", 4)]


def test_a_tie_across_a_quartile_boundary_takes_the_better_quartile():
    values = sixteen()
    values["A05"] = 13.0  # ties with A04 for rank 4
    ranked = {r.area_code: (r.rank, r.quartile) for r in rank_areas(values, "higher_is_better")}
    assert ranked["A04"] == (4, Q.top)
    assert ranked["A05"] == (4, Q.top)
    assert ranked["A06"] == (6, Q.second)


def test_a_neutral_metric_is_listed_but_not_ranked():
    ranked = rank_areas({"a": 1.0, "b": 3.0}, "neutral")
    assert [(r.area_code, r.rank, r.quartile) for r in ranked] == [
        ("b", None, None),
        ("a", None, None),
    ]


def test_a_rank_outside_the_group_is_refused():
    with pytest.raises(CoreError, match="between 1 and the group size"):
        quartile_for_rank(17, 16)
    with pytest.raises(CoreError):
        quartile_for_rank(0, 16)


# --- missing values -----------------------------------------------------------


def test_councils_without_a_value_are_reported_and_the_rest_are_ranked_among_themselves():
    values = sixteen()
    values["A02"] = None
    values["A03"] = float("nan")
    p = position(values, "A06", "higher_is_better")
    assert p.missing == ("A02", "A03")
    # 14 values: A01 first, then A04 (value 13) 2nd, A05 3rd, A06 4th
    assert (p.rank, p.of, p.quartile) == (4, 14, Q.top)
    assert len(p.ranked) == 14


def test_our_own_missing_value_gives_no_rank_but_the_group_is_still_summarised():
    values = sixteen()
    values["A01"] = None
    p = position(values, "A01", "higher_is_better")
    assert (p.value, p.rank, p.quartile, p.distance) == (None, None, None, None)
    assert p.of == 15
    assert p.missing == ("A01",)
    assert p.summary is not None
    assert p.summary.median == 8.0  # values 15..1: the 8th is 8


def test_a_group_with_no_values_at_all_has_no_summary():
    p = position({"us": None, "a": None}, "us", "higher_is_better")
    assert p.summary is None
    assert p.missing == ("a", "us")


def test_a_council_outside_the_group_is_refused():
    with pytest.raises(CoreError, match="not a member"):
        position({"a": 1.0}, "us", "higher_is_better")


def test_an_infinite_value_is_refused():
    with pytest.raises(CoreError, match="not a finite number"):
        rank_areas({"a": float("inf")}, "higher_is_better")


# --- group statistics and distances -------------------------------------------


def test_a_group_of_7_is_summarised_and_our_distance_described():
    # values 10 12 14 15 16 18 30: median 15; |x - 15| = 5 3 1 0 1 3 15, median 3
    values = {"us": 10.0, "b": 12.0, "c": 14.0, "d": 15.0, "e": 16.0, "f": 18.0, "g": 30.0}
    p = position(values, "us", "higher_is_better")
    assert p.summary is not None
    assert p.summary.count == 7
    assert p.summary.median == 15.0
    assert p.summary.mad == 3.0
    assert p.summary.mean == pytest.approx(115 / 7)
    assert (p.summary.minimum, p.summary.maximum) == (10.0, 30.0)
    # inclusive quartiles: positions 1.5 and 4.5 of 0..6 -> 13 and 17
    assert (p.summary.lower_quartile, p.summary.upper_quartile) == (13.0, 17.0)
    assert (p.rank, p.quartile) == (7, Q.bottom)
    assert p.difference == -5.0
    assert p.distance is not None
    assert p.distance.mads == pytest.approx(-5 / 3)
    assert p.distance.band == Band.moderately
    assert p.distance.better is False
    assert p.distance.phrase == "worse than"


def test_the_same_distance_reads_better_when_lower_is_better():
    values = {"us": 10.0, "b": 12.0, "c": 14.0, "d": 15.0, "e": 16.0, "f": 18.0, "g": 30.0}
    p = position(values, "us", "lower_is_better")
    assert (p.rank, p.quartile) == (1, Q.top)
    assert p.distance is not None
    assert p.distance.phrase == "better than"


def test_summarising_nothing_is_refused():
    with pytest.raises(CoreError, match="at least one value"):
        summarise([])


def test_summarising_does_not_change_its_input():
    data = [3.0, 1.0, 2.0]
    summarise(data)
    assert data == [3.0, 1.0, 2.0]


@pytest.mark.parametrize(
    ("mads", "band", "phrase"),
    [
        (0.0, Band.broadly_similar, "broadly similar to"),
        (0.5, Band.broadly_similar, "broadly similar to"),
        (-0.5, Band.broadly_similar, "broadly similar to"),
        (0.51, Band.slightly, "slightly better than"),
        (-1.5, Band.slightly, "slightly worse than"),
        (1.51, Band.moderately, "better than"),
        (3.0, Band.moderately, "better than"),
        (-3.01, Band.much, "much worse than"),
        (7.5, Band.much, "much better than"),
        (7.51, Band.for_a_person, None),
        (-40.0, Band.for_a_person, None),
    ],
)
def test_distance_bands_follow_oflogs_edges_with_each_upper_edge_inclusive(mads, band, phrase):
    d = describe_distance(mads, "higher_is_better")
    assert (d.band, d.phrase) == (band, phrase)


def test_beyond_seven_and_a_half_mads_is_flagged_but_still_says_which_way():
    assert describe_distance(9.0, "lower_is_better").better is False
    assert describe_distance(-9.0, "lower_is_better").better is True


def test_a_neutral_metric_reads_higher_or_lower_rather_than_better_or_worse():
    assert describe_distance(2.0, "neutral").phrase == "higher than"
    assert describe_distance(-1.0, "neutral").phrase == "slightly lower than"
    assert describe_distance(2.0, "neutral").better is None


def test_with_a_mad_of_zero_the_median_itself_is_broadly_similar_and_anything_else_is_flagged():
    # 5 5 5 6: median 5, deviations 0 0 0 1, MAD 0
    s = summarise([5.0, 5.0, 5.0, 6.0])
    assert s.mad == 0.0
    assert distance_in_mads(5.0, s) == 0.0
    assert distance_in_mads(6.0, s) is None
    p = position({"us": 6.0, "a": 5.0, "b": 5.0, "c": 5.0}, "us", "higher_is_better")
    assert p.distance is not None
    assert (p.distance.band, p.distance.phrase) == (Band.for_a_person, None)


# --- trend against the group ---------------------------------------------------


def pts(*rows: tuple[float | None, float | None]) -> list[GapPoint]:
    return [GapPoint(f"{2020 + i}", v, m, 4.0) for i, (v, m) in enumerate(rows)]


@pytest.mark.parametrize(
    ("rows", "polarity", "trend", "first", "latest"),
    [
        ([(50, 60), (52, 60), (55, 60)], "higher_is_better", Trend.closing_gap, -10, -5),
        ([(55, 60), (52, 60), (50, 60)], "higher_is_better", Trend.widening_gap, -5, -10),
        ([(70, 60), (72, 60), (75, 60)], "higher_is_better", Trend.extending_lead, 10, 15),
        ([(75, 60), (72, 60), (70, 60)], "higher_is_better", Trend.losing_lead, 15, 10),
        ([(50, 60), (51, 60)], "higher_is_better", Trend.steady, -10, -9),  # 1 <= 0.5 * 4
        ([(70, 60), (65, 60)], "lower_is_better", Trend.closing_gap, -10, -5),
        ([(50, 60), (40, 60)], "lower_is_better", Trend.extending_lead, 10, 20),
    ],
)
def test_the_gap_to_the_median_tells_whether_we_are_closing_it(
    rows, polarity, trend, first, latest
):
    result = gap_trend(pts(*rows), polarity)
    assert (result.trend, result.first_gap, result.latest_gap) == (trend, first, latest)


def test_the_trend_looks_only_at_the_last_periods_with_data():
    # last 3 usable: (40, 60), (45, 60), (50, 60): gap -20 -> -10
    rows = [(90, 60), (80, 60), (40, 60), (None, 60), (45, 60), (50, None), (50, 60)]
    result = gap_trend(pts(*rows), "higher_is_better", last=3)
    assert (result.trend, result.first_gap, result.latest_gap, result.periods) == (
        Trend.closing_gap,
        -20,
        -10,
        3,
    )


def test_one_period_is_not_enough_for_a_trend():
    result = gap_trend(pts((50, 60)), "higher_is_better")
    assert (result.trend, result.latest_gap) == (Trend.not_enough_data, -10)
    assert gap_trend([], "higher_is_better").trend == Trend.not_enough_data


def test_a_trend_over_fewer_than_two_periods_is_refused():
    with pytest.raises(CoreError):
        gap_trend(pts((1, 2)), "higher_is_better", last=1)


# --- symbols -----------------------------------------------------------------


def test_every_quartile_and_trend_has_an_icon_and_a_word():
    assert quartile_symbol("bottom").icon == "❹"
    assert quartile_symbol(None).word == "No quartile"
    assert len({quartile_symbol(q).icon for q in [*Quartile, None]}) == 5
    assert trend_symbol(Trend.widening_gap).word == "Falling behind"
    assert all(trend_symbol(t).word for t in Trend)


# --- properties ---------------------------------------------------------------

values_maps = st.dictionaries(
    st.text(alphabet="ABCDEFGH", min_size=2, max_size=3),
    st.one_of(st.none(), st.integers(-50, 50).map(float)),
    min_size=1,
    max_size=40,
)


@given(values_maps, st.sampled_from(["higher_is_better", "lower_is_better"]))
def test_ranks_are_one_plus_the_number_of_strictly_better_councils(values, polarity):
    clean = {k: v for k, v in values.items() if v is not None}
    for r in rank_areas(values, polarity):
        if polarity == "higher_is_better":
            better = sum(1 for v in clean.values() if v > r.value)
        else:
            better = sum(1 for v in clean.values() if v < r.value)
        assert r.rank == better + 1


@given(st.integers(1, 200))
def test_quartile_sizes_differ_by_at_most_one_and_never_improve_down_the_ranks(n):
    quartiles = [quartile_for_rank(rank, n) for rank in range(1, n + 1)]
    if n < 4:
        assert set(quartiles) == {None}
        return
    order = list(Quartile)
    indexes = [order.index(q) for q in quartiles]
    assert indexes == sorted(indexes)
    sizes = [indexes.count(i) for i in range(4)]
    assert max(sizes) - min(sizes) <= 1


@given(values_maps, st.sampled_from(["higher_is_better", "lower_is_better"]))
def test_the_order_of_the_councils_does_not_matter(values, polarity):
    reordered = dict(reversed(list(values.items())))
    assert rank_areas(values, polarity) == rank_areas(reordered, polarity)


def test_the_docstring_examples_pass():
    results = doctest.testmod(core.benchmark)
    assert results.attempted > 0
    assert results.failed == 0


# --- real data: Oflog's adult social care measures ------------------------------


@pytest.fixture(scope="module")
def oflog() -> pd.DataFrame:
    return pd.read_csv(OFLOG / "ASC_data.csv")


def test_the_median_over_all_councils_matches_oflogs_published_median(oflog):
    checked = 0
    for (_code, _year), rows in oflog.groupby(["Code", "Financial year"]):
        values = dict(zip(rows["Local authority code"], rows["Value"], strict=True))
        p = position(values, rows["Local authority code"].iloc[0], "higher_is_better")
        assert p.summary is not None
        published = rows["MEDIAN"].iloc[0]
        assert p.summary.median == pytest.approx(published, rel=1e-7)
        checked += 1
    assert checked == 42  # the file has 42 (measure, year) pairs


def test_our_distance_in_mads_matches_oflogs_for_every_row_with_a_value(oflog):
    checked = 0
    for _, rows in oflog.groupby(["Code", "Financial year"]):
        with_values = rows.dropna(subset=["Value"])
        summary = summarise(list(with_values["Value"]))
        for value, published in zip(
            with_values["Value"], with_values["MADs_from_median"], strict=True
        ):
            ours = distance_in_mads(value, summary)
            assert ours is not None
            assert ours == pytest.approx(published, abs=1e-6)
            checked += 1
    assert checked == 6376 - 298


def test_blank_values_in_the_real_data_are_reported_as_missing_not_dropped(oflog):
    rows = oflog[(oflog["Code"] == "ASC1") & (oflog["Financial year"] == "2016-17")]
    values = dict(zip(rows["Local authority code"], rows["Value"], strict=True))
    blank = sorted(rows.loc[rows["Value"].isna(), "Local authority code"])
    p = position(values, "E06000005", "higher_is_better")
    assert list(p.missing) == blank
    assert p.of + len(p.missing) == len(rows)


def test_every_neighbour_group_in_the_real_data_ranks_consistently(oflog):
    groups: dict[str, list[str]] = json.loads((OFLOG / "NN.json").read_text())
    sizes = {len(members) for members in groups.values()}
    assert {1, 15, 16}.issubset(sizes)
    latest = oflog[(oflog["Code"] == "ASC3") & (oflog["Financial year"] == "2022-23")]
    by_code = dict(zip(latest["Local authority code"], latest["Value"], strict=True))
    for own, listed in groups.items():
        members = list(dict.fromkeys(listed))  # some lists name a council twice
        values = {m: by_code.get(m) for m in members}
        values = {m: (None if v is None or math.isnan(v) else v) for m, v in values.items()}
        p = position(values, own, "higher_is_better")
        present = [v for v in values.values() if v is not None]
        assert p.of == len(present)
        assert len(p.missing) == len(members) - len(present)
        if p.value is not None:
            assert p.rank == 1 + sum(1 for v in present if v > p.value)
            if len(present) < 4:
                assert p.quartile is None


# --- our own figure for a benchmark's period ------------------------------------------

YEAR = Period.for_year(2024)  # 2024/25: April 2024 to March 2025


def _months(values):
    """One figure a month from April 2024, None where the month has no figure."""
    return [
        PeriodFigures(Period.for_month(2024, 4).shift(i), value=v) for i, v in enumerate(values)
    ]


def test_our_own_figure_for_a_year_adds_up_its_months_for_a_summed_measure():
    # complaints by month: 60+55+... twelve months; 60*6 + 65*6 = 360 + 390 = 750
    own = own_figure(_months([60] * 6 + [65] * 6), method="sum", frequency="monthly", period=YEAR)
    assert own == OwnFigure("2024/25", 750.0, 12, 12)
    assert own.complete


def test_our_own_figure_for_a_year_says_how_many_of_its_months_it_rests_on():
    # eleven months of 10 and a missing March: 110, from 11 of 12 months
    own = own_figure(_months([10] * 11), method="sum", frequency="monthly", period=YEAR)
    assert own == OwnFigure("2024/25", 110.0, 11, 12)
    assert not own.complete


def test_our_own_figure_for_a_year_is_the_last_quarter_for_a_latest_measure():
    quarters = [
        PeriodFigures(Period.for_quarter(2024, q), value=v)
        for q, v in ((1, 400), (2, 390), (3, 385), (4, 380))
    ]
    own = own_figure(quarters, method="latest", frequency="quarterly", period=YEAR)
    assert own == OwnFigure("2024/25", 380.0, 4, 4)


def test_our_own_figure_for_a_year_of_a_ratio_measure_pools_numerators_and_denominators():
    # 9/10 in April and 1/10 in May, nothing after: (9 + 1) / (10 + 10) x 100 = 50 %
    figures = [
        PeriodFigures(Period.for_month(2024, 4), value=90, numerator=9, denominator=10),
        PeriodFigures(Period.for_month(2024, 5), value=10, numerator=1, denominator=10),
    ]
    own = own_figure(figures, method="ratio", frequency="monthly", period=YEAR)
    assert own == OwnFigure("2024/25", 50.0, 2, 12)


def test_our_own_figure_for_a_period_of_the_measures_own_frequency_is_that_figure():
    figures = _months([7, 8, None])
    may, june = Period.for_month(2024, 5), Period.for_month(2024, 6)
    assert own_figure(figures, method="sum", frequency="monthly", period=may) == OwnFigure(
        "2024-05", 8.0, 1, 1
    )
    assert own_figure(figures, method="sum", frequency="monthly", period=june) == OwnFigure(
        "2024-06", None, 0, 1
    )


def test_a_year_with_none_of_our_figures_has_no_own_value():
    own = own_figure([], method="sum", frequency="quarterly", period=YEAR)
    assert own == OwnFigure("2024/25", None, 0, 4)


def test_a_quarter_benchmarked_for_a_monthly_measure_does_not_line_up():
    q1 = Period.for_quarter(2024, 1)
    assert own_figure(_months([1, 2, 3]), method="sum", frequency="monthly", period=q1) is None
