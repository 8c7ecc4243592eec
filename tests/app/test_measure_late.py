"""The Measure page when the latest period is late (the demo's QOL-02, quarterly, whose
2025/26 Q2 figure is late on 2025-11-14)."""

from __future__ import annotations

from tests.app.test_measure import measure_page
from tests.apptest import texts


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_the_latest_figure_is_labelled_with_its_own_period_not_the_late_one(app_env):
    at = measure_page("QOL-02")
    shown = _metrics(at)
    assert shown["Latest (2025/26 Q1)"] == "4"
    assert shown["Target (2025/26 Q1)"] == "4"
    assert shown["Status (2025/26 Q1)"] == "✔ On target"
    assert shown["Data"] == "! Late (2025/26 Q2)"
    assert shown["Actual to 2025/26 Q1 (latest)"] == "4"
    assert "Latest (2025/26 Q2)" not in shown
    assert "The 2025/26 Q2 figure is late; the latest figure is for 2025/26 Q1." in texts(at)


def test_the_late_period_is_in_every_period_as_late(app_env):
    at = measure_page("QOL-02")
    history = at.dataframe[0].value
    assert history.iloc[0][["Period", "Actual", "Target", "Status", "Figure status"]].tolist() == [
        "2025/26 Q2",
        "–",
        "4",
        "! Late",
        "Not submitted",
    ]
    assert history.iloc[1][["Period", "Actual", "Status"]].tolist() == [
        "2025/26 Q1",
        "4",
        "✔ On target",
    ]


def test_the_latest_commentary_and_action_note_are_shown_beside_the_chart(app_env):
    at = measure_page("QOL-02")
    said = texts(at)
    assert "Latest commentary" in said
    assert "**2024/25 Q4**" in said
    assert "Performance is below target. A recovery plan has been agreed" in said
    assert "Recovery plan in place; update to CLT next month." in said


def test_a_measure_that_is_not_late_shows_its_latest_period(app_env):
    shown = _metrics(measure_page("PLN-01"))
    assert shown["Latest (Oct 2025)"] == "64.3%"
    assert shown["Status (Oct 2025)"] == "✖ Off target"
    assert "Latest (2025-10)" not in shown


def test_the_every_period_table_writes_months_as_people_read_them(app_env):
    at = measure_page("PLN-01")
    history = at.dataframe[0].value
    assert history["Period"].iloc[0] == "Oct 2025"
    assert history["Period"].iloc[1] == "Sep 2025"


def test_the_chart_shows_the_year_end_projection_with_its_range_and_one_sentence(app_env):
    at = measure_page("PLN-01")
    assert (
        "**Year-end outlook (2025/26):** ⊘ Unlikely. On current performance "
        "the year ends at 65.1 against a target of 94.7 (80% range 64.1 to 65.5): unlikely to "
        "be met." in texts(at)
    )
    chart = at.get("plotly_chart")[0].proto.spec
    assert "Projection to the year end" in chart
    assert "Projection: 80% range" in chart
