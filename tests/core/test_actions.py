"""core.actions: each flag, its edges, and the straight-line expectation."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import core.actions
from core.actions import (
    ActionFlag,
    assess,
    expected_percent,
    flags_label,
)
from core.errors import CoreError
from core.periods import Period
from core.vocab import ActionStatus

TODAY = date(2025, 11, 14)  # in 2025/26 Q3, which starts 1 October 2025
IN_QUARTER = date(2025, 10, 1)
LAST_QUARTER = date(2025, 9, 30)


def flags(**kwargs: object) -> tuple[ActionFlag, ...]:
    kwargs.setdefault("status", "green")
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("last_update", IN_QUARTER)
    return assess(**kwargs).flags  # type: ignore[arg-type]


# --- overdue -----------------------------------------------------------------


def test_an_action_due_today_is_not_overdue():
    assert ActionFlag.overdue not in flags(due_date=TODAY, estimated_end=TODAY)


def test_an_action_due_yesterday_and_not_completed_is_overdue_by_one_day():
    a = assess(status="amber", today=TODAY, due_date=date(2025, 11, 13), last_update=IN_QUARTER)
    assert a.flags == (ActionFlag.overdue,)
    assert a.days_overdue == 1


def test_a_completed_action_past_its_due_date_is_not_overdue():
    assert flags(status="completed", due_date=date(2025, 1, 1)) == ()


def test_an_action_with_a_completion_date_counts_as_completed_whatever_its_status():
    a = assess(
        status="green",
        today=TODAY,
        due_date=date(2025, 6, 30),
        completed_date=date(2025, 7, 10),
        last_update=date(2024, 1, 1),
    )
    assert a.flags == ()
    assert a.completed_late_days == 10


def test_an_action_completed_late_carries_no_flag_but_says_how_late():
    a = assess(
        status="completed",
        today=TODAY,
        start_date=date(2025, 1, 1),
        due_date=date(2025, 6, 30),
        completed_date=date(2025, 8, 29),
        percent_complete=100,
    )
    assert a.flags == ()
    assert a.completed_late_days == 60


def test_an_action_completed_early_is_zero_days_late():
    a = assess(
        status="completed",
        today=TODAY,
        due_date=date(2025, 6, 30),
        completed_date=date(2025, 6, 1),
    )
    assert a.completed_late_days == 0


def test_a_not_relevant_action_carries_no_flag_even_when_its_dates_have_passed():
    a = assess(
        status="not_relevant",
        today=TODAY,
        start_date=date(2024, 1, 1),
        due_date=date(2025, 1, 1),
        estimated_end=date(2025, 6, 1),
    )
    assert a.flags == ()
    assert not a.needs_attention


# --- slipping ----------------------------------------------------------------


def test_an_estimated_end_one_day_after_the_due_date_is_slipping():
    a = assess(
        status="amber",
        today=TODAY,
        due_date=date(2026, 3, 31),
        estimated_end=date(2026, 4, 1),
        last_update=IN_QUARTER,
    )
    assert a.flags == (ActionFlag.slipping,)
    assert a.days_slipping == 1


def test_an_estimated_end_on_the_due_date_is_not_slipping():
    assert flags(due_date=date(2026, 3, 31), estimated_end=date(2026, 3, 31)) == ()


def test_an_estimated_end_before_the_due_date_is_not_slipping():
    assert flags(due_date=date(2026, 3, 31), estimated_end=date(2026, 1, 31)) == ()


def test_no_estimated_end_is_not_slipping():
    assert flags(due_date=date(2026, 3, 31)) == ()


# --- inconsistent ------------------------------------------------------------


def test_green_and_overdue_is_inconsistent():
    assert flags(due_date=date(2025, 11, 4)) == (ActionFlag.overdue, ActionFlag.inconsistent)


def test_green_and_slipping_is_inconsistent():
    assert flags(due_date=date(2026, 3, 31), estimated_end=date(2026, 5, 31)) == (
        ActionFlag.slipping,
        ActionFlag.inconsistent,
    )


@pytest.mark.parametrize("status", ["red", "amber", "missing", "ongoing"])
def test_only_green_can_be_inconsistent(status):
    assert flags(status=status, due_date=date(2025, 11, 4)) == (ActionFlag.overdue,)


# --- stale -------------------------------------------------------------------


def test_an_update_on_the_first_day_of_the_quarter_is_not_stale():
    assert flags(last_update=IN_QUARTER) == ()


def test_an_update_on_the_last_day_of_the_previous_quarter_is_stale():
    assert flags(last_update=LAST_QUARTER) == (ActionFlag.stale,)


def test_an_action_never_updated_is_stale():
    assert flags(last_update=None, added_on=LAST_QUARTER) == (ActionFlag.stale,)


def test_an_action_added_today_is_not_stale():
    assert flags(last_update=None, added_on=TODAY) == ()
    assert flags(last_update=None, added_on=IN_QUARTER) == ()


def test_an_action_added_before_the_quarter_and_not_updated_since_is_stale():
    assert flags(last_update=date(2025, 6, 1), added_on=date(2025, 5, 1)) == (ActionFlag.stale,)


def test_a_report_looks_for_updates_in_its_own_quarter():
    # The 2025/26 Q3 report, written on 20 January 2026: an update on 19 December is in Q3
    q3 = Period.for_quarter(2025, 3)
    in_january = date(2026, 1, 20)
    assert flags(today=in_january, last_update=date(2025, 12, 19), quarter=q3) == ()
    assert flags(today=in_january, last_update=LAST_QUARTER, quarter=q3) == (ActionFlag.stale,)
    # on the same day, the current quarter (Q4, from 1 January) has had no update
    assert flags(today=in_january, last_update=date(2025, 12, 19)) == (ActionFlag.stale,)


def test_updates_are_looked_for_in_a_quarter_only():
    with pytest.raises(CoreError, match="looked for in a quarter, not in 2025-11"):
        flags(last_update=None, quarter=Period.for_month(2025, 11))


@pytest.mark.parametrize("status", ["completed", "not_relevant", "not_started"])
def test_actions_with_nothing_under_way_are_never_stale(status):
    assert flags(status=status, last_update=None) == ()


def test_the_quarter_follows_the_financial_year_start_month():
    # With a January year start, 14 November is in Q4 (from 1 October) too; with a
    # February start, Q4 runs from 1 November, so an update on 31 October is stale.
    assert flags(last_update=date(2025, 10, 31), year_start_month=1) == ()
    assert flags(last_update=date(2025, 10, 31), year_start_month=2) == (ActionFlag.stale,)


# --- behind schedule ---------------------------------------------------------


def test_behind_schedule_when_more_than_the_threshold_below_the_straight_line():
    # 1 Nov 2025 -> 1 Dec 2025 (30 days); on 14 Nov 13/30 = 43.33 % expected.
    a = assess(
        status="amber",
        today=TODAY,
        start_date=date(2025, 11, 1),
        due_date=date(2025, 12, 1),
        percent_complete=23.3,
        last_update=IN_QUARTER,
    )
    assert a.flags == (ActionFlag.behind_schedule,)
    assert a.expected_percent == pytest.approx(43.3333, abs=1e-3)


def test_exactly_the_threshold_below_the_line_is_not_behind_schedule():
    # 1 Jan -> 11 Jan: on 6 Jan the line expects 50 %; 30 % is exactly 20 points below.
    common = {
        "status": "green",
        "today": date(2025, 1, 6),
        "start_date": date(2025, 1, 1),
        "due_date": date(2025, 1, 11),
        "last_update": date(2025, 1, 2),
    }
    assert assess(percent_complete=30, **common).flags == ()  # type: ignore[arg-type]
    assert assess(percent_complete=29.9, **common).flags == (  # type: ignore[arg-type]
        ActionFlag.behind_schedule,
    )


def test_the_threshold_is_a_setting():
    common = {
        "status": "green",
        "today": date(2025, 1, 6),
        "start_date": date(2025, 1, 1),
        "due_date": date(2025, 1, 11),
        "last_update": date(2025, 1, 2),
        "percent_complete": 40,
    }
    assert assess(behind_schedule_points=20, **common).flags == ()  # type: ignore[arg-type]
    assert assess(behind_schedule_points=5, **common).flags == (  # type: ignore[arg-type]
        ActionFlag.behind_schedule,
    )


def test_an_action_starting_today_expects_nothing_yet():
    a = assess(
        status="green",
        today=TODAY,
        start_date=TODAY,
        due_date=date(2026, 11, 14),
        percent_complete=0,
        last_update=IN_QUARTER,
    )
    assert a.flags == ()
    assert a.expected_percent == 0.0


def test_an_action_due_today_expects_all_of_it():
    a = assess(
        status="amber",
        today=TODAY,
        start_date=date(2025, 1, 1),
        due_date=TODAY,
        percent_complete=79,
        last_update=IN_QUARTER,
    )
    assert a.expected_percent == 100.0
    assert a.flags == (ActionFlag.behind_schedule,)


def test_a_not_started_action_is_never_behind_schedule():
    assert (
        flags(
            status="not_started",
            start_date=date(2025, 1, 1),
            due_date=date(2026, 1, 1),
            percent_complete=0,
        )
        == ()
    )


def test_no_percent_complete_counts_as_nothing_done():
    assert flags(
        start_date=date(2025, 1, 1), due_date=date(2025, 12, 31), percent_complete=None
    ) == (ActionFlag.behind_schedule,)


def test_a_due_date_before_the_start_is_not_a_line_to_draw():
    a = assess(
        status="amber",
        today=TODAY,
        start_date=date(2026, 1, 1),
        due_date=date(2025, 1, 1),
        last_update=IN_QUARTER,
    )
    assert a.flags == (ActionFlag.overdue,)
    assert a.expected_percent is None


# --- no dates ----------------------------------------------------------------


def test_an_action_with_no_dates_can_only_be_stale():
    assert flags(status="missing", last_update=IN_QUARTER) == ()
    assert flags(status="missing", last_update=None) == (ActionFlag.stale,)
    assert assess(status="missing", today=TODAY).expected_percent is None


def test_an_ongoing_action_without_a_due_date_is_never_overdue_or_slipping():
    assert flags(status="ongoing", start_date=date(2023, 4, 1), estimated_end=TODAY) == ()


# --- every flag at once, labels, attention -----------------------------------


def test_a_green_action_can_raise_every_flag_at_once_in_a_fixed_order():
    a = assess(
        status="green",
        today=TODAY,
        start_date=date(2025, 1, 1),
        due_date=date(2025, 10, 31),
        estimated_end=date(2026, 1, 31),
        percent_complete=10,
        last_update=date(2025, 6, 1),
    )
    assert a.flags == (
        ActionFlag.overdue,
        ActionFlag.slipping,
        ActionFlag.behind_schedule,
        ActionFlag.inconsistent,
        ActionFlag.stale,
    )
    assert a.label == (
        "⚠ Overdue · Slipping · Behind schedule · Green but late · No update this quarter"
    )
    assert a.attention_rank == 0


def test_flags_label_is_empty_without_flags():
    assert flags_label([]) == ""
    assert flags_label(["stale"]) == "⚠ No update this quarter"


@pytest.mark.parametrize(
    ("status", "needs"),
    [("red", True), ("amber", True), ("missing", True), ("green", False), ("ongoing", False)],
)
def test_red_amber_and_missing_need_attention_without_any_flag(status, needs):
    a = assess(status=status, today=TODAY, last_update=IN_QUARTER)
    assert a.flags == ()
    assert a.needs_attention is needs
    assert a.attention_rank == (2 if needs else 3)


def test_slipping_ranks_after_overdue_and_before_other_attention():
    slipping = assess(
        status="amber",
        today=TODAY,
        due_date=date(2026, 1, 1),
        estimated_end=date(2026, 2, 1),
        last_update=IN_QUARTER,
    )
    assert slipping.attention_rank == 1


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        assess(status="purple", today=TODAY)


def test_a_negative_threshold_is_refused():
    with pytest.raises(CoreError, match="zero or more"):
        assess(status="green", today=TODAY, behind_schedule_points=-1)


# --- the straight line -------------------------------------------------------


def test_the_straight_line_is_zero_before_the_start_and_full_after_the_due_date():
    start, due = date(2025, 4, 1), date(2026, 3, 31)
    assert expected_percent(start, due, date(2025, 1, 1)) == 0.0
    assert expected_percent(start, due, start) == 0.0
    assert expected_percent(start, due, due) == 100.0
    assert expected_percent(start, due, date(2027, 1, 1)) == 100.0


def test_a_one_day_action_expects_all_of_it_on_its_day():
    assert expected_percent(TODAY, TODAY, TODAY) == 100.0


def test_the_straight_line_needs_both_dates():
    assert expected_percent(None, TODAY, TODAY) is None
    assert expected_percent(TODAY, None, TODAY) is None


def test_the_straight_line_refuses_a_due_date_before_the_start():
    with pytest.raises(CoreError, match="before the start"):
        expected_percent(date(2025, 2, 1), date(2025, 1, 1), TODAY)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    length=st.integers(min_value=0, max_value=2000),
    offset=st.integers(min_value=-500, max_value=2500),
)
def test_the_straight_line_stays_between_0_and_100_and_never_falls(start, length, offset):
    due = start + timedelta(days=length)
    today = start + timedelta(days=offset)
    now = expected_percent(start, due, today)
    later = expected_percent(start, due, today + timedelta(days=1))
    assert now is not None and later is not None
    assert 0.0 <= now <= later <= 100.0


@given(
    status=st.sampled_from(list(ActionStatus)),
    due=st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1))),
    est=st.one_of(st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1))),
)
def test_inconsistent_only_ever_accompanies_green_overdue_or_slipping(status, due, est):
    a = assess(status=status, today=TODAY, due_date=due, estimated_end=est, last_update=TODAY)
    if ActionFlag.inconsistent in a.flags:
        assert status == ActionStatus.green
        assert ActionFlag.overdue in a.flags or ActionFlag.slipping in a.flags
    if status in (ActionStatus.completed, ActionStatus.not_relevant):
        assert a.flags == ()


def test_the_docstring_examples_pass():
    results = doctest.testmod(core.actions, verbose=False)
    assert results.attempted > 0
    assert results.failed == 0
