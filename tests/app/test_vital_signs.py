"""The Vital Signs page on the demo council seeded at 2025-11-14 (DEMO_AS_OF).

Expected statuses were worked out by hand from the seeded figures (see each test).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from core.vocab import Role
from dashboard.queries.scorecard import build_scorecard
from dashboard.store import db
from tests.apptest import open_page, texts
from tests.conftest import DEMO_AS_OF
from tests.factories import make_user

KPMS = {
    "HOU-01",
    "HOU-02",
    "HOU-03",
    "BUS-01",
    "CUS-01",
    "CUS-02",
    "CUS-03",
    "CUS-04",
    "ENV-01",
    "ENV-02",
    "QOL-01",
    "QOL-02",
    "QOL-03",
    "QOL-04",
    "QOL-05",
    "PLN-01",
    "FIN-01",
    "FIN-02",
}


def table(at):
    """The measures table (the first on the page), one row per measure by its code."""
    return at.dataframe[0].value.set_index("Code")


def vital_signs(username="demo.executive", query=None):
    at = open_page("vital_signs.py", username=username, query=query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def multiselect(at, label):
    return next(w for w in at.multiselect if w.label == label)


def test_the_table_shows_every_active_kpm_by_default(app_env):
    at = vital_signs()
    assert set(table(at).index) == KPMS
    assert "Showing 18 of 37 measures" in texts(at)


def test_statuses_match_the_figures_worked_out_by_hand(app_env):
    rows = table(vital_signs())
    # PLN-01 (higher is better, tolerance 5 points): Oct 2025 64.3% against 94.7% is 30.4
    # short: red; down from 65.9%: worsening; 64.3 is below the lower process limit
    # (mean 74.79 - 2.66 x mean moving range = 69.24): special-cause concern.
    assert rows.loc[
        "PLN-01", ["Latest vs target", "Status", "Direction", "Variation"]
    ].tolist() == ["64.3% vs 94.7%", "✖ Off target", "↓ Worsening", "■ Concern"]
    assert rows.loc["PLN-01", "Measure"].startswith("PLN-01 · ")
    # FIN-01 (lower is better, tolerance 50): Q2 53 against 0: red; up from 52: worsening;
    # 53 is above the upper process limit (about 30.8): concern.
    assert rows.loc["FIN-01", ["Status", "Direction", "Variation"]].tolist() == [
        "✖ Off target",
        "↑ Worsening",
        "■ Concern",
    ]
    # QOL-03 compares with the same month last year: Oct 2025 21,785 against Oct 2024
    # 31,746: worsening; 21,785 against 38,184 with 5% tolerance (1,909): red; below the
    # lower limit (about 27,762): concern.
    assert rows.loc["QOL-03", ["Status", "Direction", "Variation"]].tolist() == [
        "✖ Off target",
        "↓ Worsening",
        "■ Concern",
    ]
    # BUS-01 (10% tolerance = 12.2): Q2 116 against 122 is 6 short: amber; down from 125;
    # inside the limits (76.9 to 157.1), no run, trend or two of three near a limit.
    assert rows.loc["BUS-01", ["Status", "Direction", "Variation"]].tolist() == [
        "▲ Just off target",
        "↓ Worsening",
        "● Common cause",
    ]
    # HOU-03: Housing has not sent October's figure and the deadline (10 Nov) has passed.
    assert rows.loc["HOU-03", ["Status", "Data"]].tolist() == ["! Late", "! Late (Oct 2025)"]


def test_the_red_filter_in_the_url_keeps_only_off_target_measures(app_env):
    rows = table(vital_signs(query={"rag": "red"}))
    assert {"PLN-01", "FIN-01", "QOL-03"} <= set(rows.index)
    assert set(rows["Status"]) == {"✖ Off target"}
    assert "BUS-01" not in rows.index


def test_choosing_filters_changes_the_rows_and_the_url(app_env):
    at = vital_signs()
    multiselect(at, "Level").set_value(["management"]).run()
    assert set(table(at).index) == {"PLN-02", "CUS-05", "WST-01", "HR-01", "REV-01"}
    multiselect(at, "Department").set_value(["Customer Services"]).run()
    assert set(table(at).index) == {"CUS-05"}
    assert at.query_params["level"] in ("management", ["management"])
    assert at.query_params["department"] in ("Customer Services", ["Customer Services"])


def test_all_levels_from_the_url(app_env):
    rows = table(vital_signs(query={"level": "all", "theme": "Customer Focus"}))
    assert set(rows.index) == {"CUS-01", "CUS-02", "CUS-03", "CUS-04", "CUS-05", "CUS-C1"}


def test_needs_attention_drops_measures_with_nothing_to_discuss(app_env):
    rows = table(vital_signs(query={"attention": "1"}))
    assert "PLN-01" in rows.index
    assert "FIN-02" not in rows.index  # neutral, submitted, common cause


def test_the_period_picker_shows_that_period_and_its_year_to_date(app_env):
    at = vital_signs()
    at.selectbox[0].set_value("2025-09").run()
    rows = table(at)
    # September's figures were in on time for Housing: HOU-03 shows its 2025-09 value.
    assert rows.loc["HOU-03", "Period"] == "Sep 2025"
    assert rows.loc["HOU-03", "Data"] == "◈ Submitted"
    assert rows.loc["PLN-01", ["Period", "Latest"]].tolist() == ["Sep 2025", "65.9%"]
    assert rows.loc["BUS-01", "Period"] == "2025/26 Q2"
    assert at.query_params["period"] in ("2025-09", ["2025-09"])


def test_a_quarter_in_the_url_moves_monthly_measures_to_its_last_month(app_env):
    rows = table(vital_signs(query={"period": "2025/26 Q1"}))
    assert rows.loc["PLN-01", "Period"] == "Jun 2025"
    assert rows.loc["BUS-01", "Period"] == "2025/26 Q1"


@pytest.mark.parametrize("username", ["demo.lead", "demo.executive", "demo.member", "demo.admin"])
def test_leads_executives_members_and_admins_all_see_the_table(app_env, username):
    at = vital_signs(username)
    assert set(table(at).index) == KPMS
    assert "Performance overview by theme" in texts(at)


def test_staff_are_refused(app_env):
    at = vital_signs("demo.staff")
    assert "not available to your role" in texts(at)
    assert not at.dataframe


def test_the_overview_counts_by_theme_and_lists_changes(app_env):
    at = vital_signs()
    overview = at.dataframe[-1].value.set_index("Theme")
    # Customer Focus KPMs: CUS-01, CUS-02 and CUS-04 on target, CUS-03 off it (none late)
    focus = overview.loc["Customer Focus"]
    assert focus["Measures"] == 4
    assert (focus["✔ On target"], focus["▲ Just off target"], focus["✖ Off target"]) == (3, 0, 1)
    assert focus["! Late"] == 0
    # Local Homes for Local Need KPMs: HOU-01..03 late for Q2 and October, PLN-01 off target
    homes = overview.loc["Local Homes for Local Need"]
    assert (homes["Measures"], homes["! Late"], homes["✖ Off target"]) == (4, 3, 1)
    assert "? No data" not in overview.columns and "! Late data" not in overview.columns
    said = texts(at)
    assert "Changed status since the previous period" in said


def test_an_empty_database_says_there_are_no_measures_yet(empty_app_env):
    with Session(db.get_engine(empty_app_env)) as session:
        make_user(session, "first.admin", Role.admin)
    at = open_page("vital_signs.py", username="first.admin")
    assert not at.exception
    said = texts(at)
    assert "No measures yet" in said
    assert "[Upload figures](upload)" in said


def test_the_demo_council_has_every_kind_of_exception_among_its_kpms(demo_engine, app_env):
    with Session(demo_engine) as session:
        card = build_scorecard(session, today=DEMO_AS_OF)
    kpms = card.loc[card["level"] == "kpm"]
    assert (kpms["rag"] == "green").sum() >= 4
    assert (kpms["rag"] == "red").sum() >= 3
    assert (kpms["rag"] == "amber").sum() >= 3
    assert (kpms["data_status"] == "late").sum() >= 2
    assert (kpms["variation"] == "special_cause_concern").sum() >= 2
    assert (kpms["assurance"] == "consistent_fail").sum() >= 2


# The question answered first: tiles, the status language, deep links ---


def test_a_tile_filters_the_table_and_says_so_in_the_url(app_env):
    at = vital_signs()
    at.button(key="vs_tile_red").click().run()
    rows = table(at)
    assert {"PLN-01", "FIN-01", "QOL-03"} <= set(rows.index)
    assert set(rows["Status"]) == {"✖ Off target"}
    assert at.query_params["rag"] in ("red", ["red"])
    # the same tile again shows every measure
    at.button(key="vs_tile_red").click().run()
    assert set(table(at).index) == KPMS
    assert "rag" not in at.query_params


def test_the_late_and_worsening_tiles_filter_by_deadline_and_direction(app_env):
    at = vital_signs()
    at.button(key="vs_tile_late").click().run()
    # HOU-01..03 are late for Q2 and October (see the overview test), QOL-02 and QOL-05
    # (Quality of Life) for October
    assert set(table(at).index) == {"HOU-01", "HOU-02", "HOU-03", "QOL-02", "QOL-05"}
    assert at.query_params["data"] in ("late", ["late"])
    at.button(key="vs_tile_worsening").click().run()
    rows = table(at)
    assert {"PLN-01", "FIN-01", "QOL-03", "BUS-01"} <= set(rows.index)
    assert all(d.endswith("Worsening") for d in rows["Direction"])
    assert "data" not in at.query_params
    assert at.query_params["direction"] in ("worsening", ["worsening"])


def test_the_tiles_count_each_status_in_the_view(app_env):
    at = vital_signs()
    labels = {b.key: b.label for b in at.button if (b.key or "").startswith("vs_tile_")}
    assert labels["vs_tile_late"] == "5 · ! Late"
    assert labels["vs_tile_worsening"].endswith(" · ⇅ Worsening")
    assert labels["vs_tile_concern"].endswith(" · ■ Concern")


def test_an_unknown_department_in_a_link_is_named_not_silently_widened(app_env):
    at = vital_signs(query={"department": "housing"})
    notices = " ".join(i.value for i in at.info)
    assert "department “housing”" in notices
    assert "showing all departments" in notices
    assert set(table(at).index) == KPMS


def test_an_unknown_level_in_a_link_is_named(app_env):
    at = vital_signs(query={"level": "KPM"})
    assert "level “KPM”" in " ".join(i.value for i in at.info)


def test_the_status_view_shows_the_status_columns_without_theme_or_department(app_env):
    at = vital_signs()
    shown = at.dataframe[0].proto.column_order
    assert list(shown) == [
        "Measure",
        "Status",
        "Latest vs target",
        "Year to date",
        "Year end",
        "Direction",
        "Variation",
        "Assurance",
        "Trend",
    ]


def test_the_details_view_shows_theme_department_period_and_owner(app_env):
    at = vital_signs(query={"view": "details"})
    shown = list(at.dataframe[0].proto.column_order)
    assert {"Theme", "Department", "Period", "Owner", "Data"} <= set(shown)


def test_every_status_in_the_table_is_drawn_in_the_key_in_the_same_colour(app_env):
    from core.legend import status_symbols, symbol_of
    from dashboard.ui.status import status_css, status_html

    at = vital_signs(query={"level": "all"})
    rows = table(at)
    key = next(e for e in at.expander if e.label == "Key to the symbols")
    body = " ".join(h.proto.body for h in key.get("html"))
    cells = {
        c
        for column in ("Status", "Year to date", "Year end", "Direction", "Variation", "Assurance")
        for c in rows[column]
        if c
    }
    assert len(cells) > 10
    for cell in cells:
        symbol = symbol_of(cell)
        assert symbol is not None, cell
        assert symbol in status_symbols()
        assert status_html(symbol) in body, cell
        assert f"color: {symbol.colour}" in status_css(cell)


# The year end (core.forecast), worked out by hand from the seeded figures at 2025-11-14:
# the latest complete month is October 2025, so quarterly measures stand at 2025/26 Q2.


def test_a_quarterly_total_ahead_of_its_year_end_target_is_likely_to_meet_it(app_env):
    # CUS-02 (higher is better, year to date by sum, no rebase): 2025/26 Q1 6 + Q2 7 = 13
    # so far. No seasonality judged worth following: Q3 and Q4 at the mean of the latest
    # year, (6 + 6 + 6 + 7) / 4 = 6.25 each, so the year ends at 13 + 2 x 6.25 = 25.5
    # against 4 x 6 = 24; the 80% range (23.8 to 26.1) lies mostly above 24: likely.
    rows = table(vital_signs())
    assert rows.loc["CUS-02", "Year end"] == "◎ Likely"
    # CUS-01 (lower is better, by sum): 9 + 8 = 17 so far, then 2 x (9 + 8 + 9 + 8) / 4 =
    # 17: 34 against 4 x 9 = 36, fewer complaints than the target allows: likely.
    assert rows.loc["CUS-01", "Year end"] == "◎ Likely"


def test_a_measure_too_early_in_its_year_or_without_a_target_says_so(app_env):
    rows = table(vital_signs(query={"level": "all"}))
    # QOL-05 is annual: its 2024/25 figure is late, so none of its year is in.
    assert rows.loc["QOL-05", "Year end"] == "◷ Too early"
    # BUS-C2 (contextual, latest) has no target: it is still projected, at the mean of the
    # latest year, (76.5 + 77.0 + 77.0 + 87.6) / 4 = 79.525, but cannot be judged.
    assert rows.loc["BUS-C2", "Year end"] == "◇ No target"
    # Every measure says something: never a blank.
    assert rows["Year end"].str.len().min() > 0


def test_the_year_end_cells_are_coloured_and_explained_in_the_key(app_env):
    from core.legend import GREEN, GREY
    from dashboard.ui.status import status_css

    at = vital_signs()
    assert status_css(table(at).loc["CUS-02", "Year end"]).startswith(f"color: {GREEN}")
    assert status_css("◷ Too early").startswith(f"color: {GREY}")
    key = next(e for e in at.expander if e.label == "Key to the symbols")
    body = " ".join(h.proto.body for h in key.get("html"))
    assert "<strong>Year end</strong>" in body
    assert "the year-end target is likely to be met (a chance of 80% or more)" in body
