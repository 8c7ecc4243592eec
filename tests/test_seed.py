"""The demo council tells one story: where a benchmark metric is one of our measures, our
value in the benchmark data is our own outturn for that year."""

from __future__ import annotations

from sqlmodel import select

from dashboard.queries.scorecard import benchmark_position
from dashboard.store.models import BenchmarkMetric, BenchmarkValue, Measure

OWN_AREA = "E07000147"


def test_every_demo_benchmark_value_of_ours_is_our_own_figure_for_that_year(demo_session):
    metrics = demo_session.exec(select(BenchmarkMetric)).all()
    assert len(metrics) == 17
    for metric in metrics:
        measure = demo_session.get(Measure, metric.measure_id)
        b = benchmark_position(demo_session, metric.measure_id)
        assert b is not None, measure.code
        own = b["own"]
        assert own is not None and own.complete, measure.code
        assert round(own.value, 2) == b["value"], (measure.code, own, b["value"])


def test_a_year_we_have_not_reported_in_full_has_no_benchmark_value_of_ours(demo_session):
    # QOL-05 (Green Flag open spaces) is cast as late: its 2024/25 figure was never
    # submitted, so there is no outturn of ours to publish for 2024/25; 2023/24 is 6.
    measure = demo_session.exec(select(Measure).where(Measure.code == "QOL-05")).one()
    metric = demo_session.exec(
        select(BenchmarkMetric).where(BenchmarkMetric.measure_id == measure.id)
    ).one()
    ours = {
        v.period: v.value
        for v in demo_session.exec(
            select(BenchmarkValue).where(
                BenchmarkValue.metric_id == metric.id, BenchmarkValue.area_code == OWN_AREA
            )
        )
    }
    assert ours["2024/25"] is None
    assert ours["2023/24"] == 6
