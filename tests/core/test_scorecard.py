"""core.scorecard: the per-measure status table, from plain DataFrames."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.periods import Period
from core.scorecard import (
    SCORECARD_COLUMNS,
    build_scorecard,
    filter_scorecard,
    overview,
    reporting_period,
    status_changes,
)

TODAY = date(2025, 11, 14)


def measure(mid: int, code: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": mid,
        "code": code,
        "name": f"Measure {code}",
        "theme": "Homes",
        "department": "Housing",
        "level": "kpm",
        "frequency": "monthly",
        "polarity": "higher_is_better",
        "unit": "count",
        "decimals": 0,
        "ytd_method": "sum",
        "tolerance": 5.0,
        "tolerance_kind": "absolute",
        "comparison": "previous_period",
        "owner": "A. Owner",
    }
    row.update(fields)
    return row


def months(mid: int, first: tuple[int, int], values: list[float | None]) -> list[dict[str, object]]:
    start = Period.for_month(*first)
    rows = []
    for step, value in enumerate(values):
        p = start.shift(step)
        rows.append(
            {
                "measure_id": mid,
                "period": p.label,
                "period_start": p.start,
                "value": value,
                "commentary": f"note {p.label}",
                "action_note": "",
                "status": "submitted",
            }
        )
    return rows


def targets_for(
    mid: int, first: tuple[int, int], count: int, value: float
) -> list[dict[str, object]]:
    start = Period.for_month(*first)
    return [
        {"measure_id": mid, "period": start.shift(i).label, "value": value} for i in range(count)
    ]


def card(measures, observations, targets=(), rebases=None, **kwargs):
    obs = pd.DataFrame(
        observations,
        columns=[
            "measure_id",
            "period",
            "period_start",
            "value",
            "commentary",
            "action_note",
            "status",
        ],
    )
    tgt = pd.DataFrame(list(targets), columns=["measure_id", "period", "value"])
    reb = None if rebases is None else pd.DataFrame(rebases, columns=["measure_id", "period"])
    kwargs.setdefault("today", TODAY)
    return build_scorecard(pd.DataFrame(measures), obs, tgt, reb, **kwargs).set_index("code")


# --- the period picker ------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "as_at", "expected"),
    [
        ("monthly", Period.for_month(2025, 10), "2025-10"),
        ("monthly", Period.for_quarter(2025, 2), "2025-09"),
        ("quarterly", Period.for_month(2025, 10), "2025/26 Q2"),
        ("quarterly", Period.for_month(2025, 9), "2025/26 Q2"),
        ("quarterly", Period.for_month(2025, 8), "2025/26 Q1"),
        ("quarterly", Period.for_quarter(2025, 1), "2025/26 Q1"),
        ("annual", Period.for_month(2025, 3), "2024/25"),
        ("annual", Period.for_month(2025, 2), "2023/24"),
        ("annual", Period.for_quarter(2024, 4), "2024/25"),
    ],
)
def test_the_reporting_period_is_the_latest_of_the_frequency_ending_by_the_picked_period(
    frequency, as_at, expected
):
    assert reporting_period(frequency, as_at).label == expected


# --- statuses ---------------------------------------------------------------------


def test_rag_direction_and_ytd_of_a_monthly_measure_worked_by_hand():
    # Apr..Oct 2025: 10, 12, 11, 9, 10, 12, 8; target 10, tolerance 1 absolute
    result = card(
        [measure(1, "A-01", tolerance=1.0)],
        months(1, (2025, 4), [10, 12, 11, 9, 10, 12, 8]),
        targets_for(1, (2025, 4), 7, 10.0),
    ).loc["A-01"]
    assert result["period"] == "2025-10"
    assert result["value"] == 8
    assert result["rag"] == "red"  # 2 short, tolerance 1
    assert result["previous_rag"] == "green"  # 12 against 10
    assert (result["movement"], result["judgement"]) == ("decreasing", "worsening")
    assert result["comparison_period"] == "2025-09"
    assert result["ytd_actual"] == 72.0  # 10+12+11+9+10+12+8
    assert result["ytd_target"] == 70.0
    assert result["ytd_rag"] == "green"
    assert (result["ytd_expected"], result["ytd_present"]) == (7, 7)
    assert result["data_status"] == "submitted"
    assert result["commentary"] == "note 2025-10"
    assert result["sparkline"] == [10, 12, 11, 9, 10, 12, 8]
    assert result["exception"]
    assert result["exception_reasons"] == ["Off target"]


def test_amber_on_the_tolerance_boundary_and_worsening_for_lower_is_better():
    result = card(
        [measure(1, "A-01", polarity="lower_is_better", tolerance=10.0, tolerance_kind="relative")],
        months(1, (2025, 9), [100, 110]),
        targets_for(1, (2025, 9), 2, 100.0),
    ).loc["A-01"]
    assert result["rag"] == "amber"
    assert (result["movement"], result["judgement"]) == ("increasing", "worsening")


def test_direction_against_the_same_period_last_year_when_the_measure_says_so():
    values = [20.0] + [50.0] * 11 + [30.0, 40.0]  # 2024-09 .. 2025-10
    result = card(
        [measure(1, "A-01", comparison="same_period_last_year")],
        months(1, (2024, 9), values),
    ).loc["A-01"]
    assert result["comparison_period"] == "2024-10"
    assert result["comparison_value"] == 50.0
    assert (result["movement"], result["judgement"]) == ("decreasing", "worsening")


def test_late_data_is_its_own_status_and_no_data_never_red():
    # nothing for 2025-10, whose deadline (10 Nov) has passed by 14 Nov
    result = card(
        [measure(1, "A-01")],
        months(1, (2025, 4), [10, 10, 10, 10, 10, 10]),
        targets_for(1, (2025, 4), 7, 50.0),
    ).loc["A-01"]
    assert result["period"] == "2025-10"
    assert result["data_status"] == "late"
    assert result["rag"] == "no_data"
    assert "Late" in result["exception_reasons"]
    assert "Off target" not in result["exception_reasons"]


def test_a_measure_is_not_late_for_periods_before_its_first_due_period():
    # a quarterly measure activated on 14 November 2025 is due from 2025/26 Q3 (Oct-Dec):
    # Q2, the quarter shown on that day, was never due, so it is neither late nor no data
    result = card(
        [measure(1, "HOU-04", frequency="quarterly", due_from="2025-10-01")],
        [],
        [{"measure_id": 1, "period": "2025/26 Q2", "value": 5.0}],
    ).loc["HOU-04"]
    assert result["period"] == "2025/26 Q2"
    assert (result["data_status"], result["data_status_period"]) == ("not_due", "2025/26 Q2")
    assert (result["rag"], result["ytd_rag"]) == ("not_due", "not_due")
    assert (result["ytd_expected"], result["ytd_present"]) == (0, 0)
    assert result["exception_reasons"] == []
    assert not result["attention"]


def test_a_measure_is_late_for_its_first_due_period_once_the_deadline_passes():
    # the same measure on 14 January 2026: Q3 was due by 10 January and nothing came in
    result = card(
        [measure(1, "HOU-04", frequency="quarterly", due_from=date(2025, 10, 1))],
        [],
        today=date(2026, 1, 14),
    ).loc["HOU-04"]
    assert (result["data_status"], result["data_status_period"]) == ("late", "2025/26 Q3")
    assert result["rag"] == "no_data"
    # the year to date expects Q3 only, not Q1 and Q2 from before the measure was due
    assert (result["ytd_expected"], result["ytd_present"]) == (1, 0)


def test_a_monthly_measure_due_part_way_through_the_year_expects_only_its_due_months():
    # due from August 2025: the October year to date expects August to October, 3 months
    result = card(
        [measure(1, "A-01", due_from=date(2025, 8, 1))],
        months(1, (2025, 8), [10, 10, 10]),
        targets_for(1, (2025, 4), 7, 10.0),
    ).loc["A-01"]
    assert (result["ytd_expected"], result["ytd_present"]) == (3, 3)
    assert (result["ytd_actual"], result["ytd_target"], result["ytd_rag"]) == (30.0, 30.0, "green")


def test_before_the_deadline_the_previous_period_shows_and_the_new_one_is_awaiting():
    result = card(
        [measure(1, "A-01")],
        months(1, (2025, 4), [10, 10, 10, 10, 10, 10]),
        targets_for(1, (2025, 4), 7, 10.0),
        today=date(2025, 11, 5),
    ).loc["A-01"]
    assert result["period"] == "2025-09"
    assert result["rag"] == "green"
    assert (result["data_status"], result["data_status_period"]) == ("awaiting", "2025-10")
    assert not result["attention"]


def test_a_measure_with_one_point_has_no_spc_and_still_a_status():
    result = card(
        [measure(1, "A-01")], months(1, (2025, 10), [7]), targets_for(1, (2025, 10), 1, 5.0)
    ).loc["A-01"]
    assert result["rag"] == "green"
    assert result["variation"] is None
    assert result["assurance"] is None
    assert result["spc_points"] == 1
    assert (result["movement"], result["judgement"]) == ("unknown", "not_applicable")


def test_a_measure_with_no_target_has_no_rag_and_no_assurance():
    result = card([measure(1, "A-01")], months(1, (2025, 1), [5, 6, 5, 6, 5, 6, 5, 6, 5, 6]))
    row = result.loc["A-01"]
    assert row["rag"] == "no_target"
    assert row["ytd_rag"] == "no_target"
    assert row["assurance"] is None
    assert row["variation"] == "common_cause"
    assert not row["exception"]


def test_special_cause_concern_when_the_latest_point_is_beyond_the_limit():
    # 20 steady points near 50, then 10 where higher is better: below the lower limit
    values = [50.0, 51.0] * 10 + [10.0]
    row = card([measure(1, "A-01")], months(1, (2024, 2), values)).loc["A-01"]
    assert row["variation"] == "special_cause_concern"
    assert "Special-cause concern" in row["exception_reasons"]


def test_a_rebase_point_restarts_the_limits():
    values = [10.0, 11.0] * 6 + [30.0, 31.0] * 6  # a step up at 2025-04 (month 13)
    measures = [measure(1, "A-01")]
    plain = card(measures, months(1, (2024, 4), values)).loc["A-01"]
    rebased = card(
        measures, months(1, (2024, 4), values), rebases=[{"measure_id": 1, "period": "2025-04"}]
    ).loc["A-01"]
    assert plain["variation"] == "special_cause_improvement"
    assert rebased["variation"] == "common_cause"


def test_failing_assurance_against_a_target_far_above_the_process():
    values = [10.0, 11.0] * 10
    row = card(
        [measure(1, "A-01")], months(1, (2024, 3), values), targets_for(1, (2024, 3), 20, 40.0)
    ).loc["A-01"]
    assert row["assurance"] == "consistent_fail"
    assert "Consistently failing target" in row["exception_reasons"]


def test_contextual_measures_need_attention_but_are_never_exceptions():
    result = card(
        [measure(1, "A-01", level="contextual"), measure(2, "B-01", level="management")],
        months(1, (2025, 9), [1, 1]) + months(2, (2025, 9), [1, 1]),
        targets_for(1, (2025, 9), 2, 50.0) + targets_for(2, (2025, 9), 2, 50.0),
    )
    assert result.loc["A-01", "attention"] and not result.loc["A-01", "exception"]
    assert result.loc["B-01", "exception"]


def test_neutral_measures_get_no_rag():
    row = card([measure(1, "A-01", polarity="neutral")], months(1, (2025, 9), [1, 2])).loc["A-01"]
    assert row["rag"] == "not_applicable"
    assert row["judgement"] == "not_applicable"


def test_the_picked_period_moves_every_measure_back():
    measures = [measure(1, "M-01"), measure(2, "Q-01", frequency="quarterly")]
    quarters = [
        {"measure_id": 2, "period": p.label, "period_start": p.start, "value": v}
        for p, v in ((Period.for_quarter(2025, 1), 5.0), (Period.for_quarter(2025, 2), 6.0))
    ]
    result = card(measures, months(1, (2025, 4), [1, 2, 3, 4, 5, 6, 7]) + quarters, as_at="2025-08")
    assert result.loc["M-01", "period"] == "2025-08"
    assert result.loc["M-01", "value"] == 5
    assert result.loc["Q-01", "period"] == "2025/26 Q1"
    assert result.loc["Q-01", "value"] == 5.0
    assert result.loc["M-01", "sparkline"] == [1, 2, 3, 4, 5]


def test_an_empty_register_gives_an_empty_table_with_every_column():
    result = build_scorecard(
        pd.DataFrame(columns=["id", "code"]),
        pd.DataFrame(columns=["measure_id", "period", "period_start", "value"]),
        pd.DataFrame(columns=["measure_id", "period", "value"]),
        today=TODAY,
    )
    assert result.empty
    assert tuple(result.columns) == SCORECARD_COLUMNS


def test_the_inputs_are_not_changed_and_row_order_follows_the_measures():
    measures = pd.DataFrame([measure(2, "B-01"), measure(1, "A-01")])
    obs = pd.DataFrame(months(1, (2025, 9), [1, 2]) + months(2, (2025, 9), [3, 4]))
    before = (measures.copy(), obs.copy())
    result = build_scorecard(
        measures, obs, pd.DataFrame(columns=["measure_id", "period", "value"]), today=TODAY
    )
    assert result["code"].tolist() == ["B-01", "A-01"]
    pd.testing.assert_frame_equal(measures, before[0])
    pd.testing.assert_frame_equal(obs, before[1])


# --- overview, changes, filters ---------------------------------------------------


def _three() -> pd.DataFrame:
    return card(
        [
            measure(1, "A-01", tolerance=1.0),
            measure(2, "B-01", theme="Coast", tolerance=1.0),
            measure(3, "C-01", theme="Coast", level="service"),
        ],
        months(1, (2025, 9), [10, 8])
        + months(2, (2025, 9), [9, 10])
        + months(3, (2025, 9), [5, 5]),
        targets_for(1, (2025, 9), 2, 10.0) + targets_for(2, (2025, 9), 2, 10.0),
    ).reset_index()


def test_the_overview_counts_each_theme_by_rag_and_direction():
    table = overview(_three()).set_index("theme")
    assert table.loc["Homes", ["measures", "red", "green", "worsening"]].tolist() == [1, 1, 0, 1]
    assert table.loc[
        "Coast", ["measures", "green", "other", "improving", "no_change"]
    ].tolist() == [2, 1, 1, 1, 1]
    assert table.loc["All themes", "measures"] == 3


def test_status_changes_list_measures_whose_rag_moved():
    changes = status_changes(_three())
    assert changes["code"].tolist() == ["A-01", "B-01"]  # green->red first, then amber->green


def test_filters_combine_and_an_empty_filter_keeps_everything():
    rows = _three()
    assert len(filter_scorecard(rows)) == 3
    assert filter_scorecard(rows, themes=["Coast"])["code"].tolist() == ["B-01", "C-01"]
    assert filter_scorecard(rows, rags=["red"], levels=["kpm"])["code"].tolist() == ["A-01"]
    # B-01's year to date, 19 against 20 with a tolerance of 1, is just off target
    assert filter_scorecard(rows, needs_attention=True)["code"].tolist() == ["A-01", "B-01"]
    assert filter_scorecard(rows, variations=["none"]).empty  # two points each: enough
    assert filter_scorecard(rows, variations=["common_cause"])["code"].tolist() == [
        "A-01",
        "B-01",
        "C-01",
    ]


def test_period_history_judges_each_period_against_the_same_period_last_year_when_asked():
    from core.scorecard import period_history

    history = period_history(
        [("2024-05", 20.0), ("2025-04", 30.0), ("2025-05", 18.0)],
        {"2025-05": 15.0},
        frequency="monthly",
        polarity="lower_is_better",
        comparison="same_period_last_year",
        tolerance=20,
        tolerance_kind="relative",
    )
    assert [(h.period, h.rag.value, h.movement.value, h.judgement.value) for h in history] == [
        ("2024-05", "no_target", "unknown", "not_applicable"),
        ("2025-04", "no_target", "unknown", "not_applicable"),
        ("2025-05", "amber", "decreasing", "improving"),
    ]
