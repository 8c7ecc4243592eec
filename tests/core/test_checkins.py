"""core.checkins: due and overdue by quarter, transitions, completion, retention, symbols."""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from typing import NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

import core.checkins
from core.checkins import (
    CHECKIN_STATE_SYMBOLS,
    PROGRESS_SYMBOLS,
    TRANSITIONS,
    CheckinState,
    Completion,
    Party,
    Person,
    can_edit,
    checkin_state,
    close_date,
    completion,
    in_post,
    is_due,
    is_overdue,
    progress_symbol,
    retention_expired,
    state_symbol,
    transition,
)
from core.errors import CoreError
from core.periods import Period
from core.vocab import CheckinStatus, ObjectiveProgress

Q1 = Period.for_quarter(2025, 1)  # Apr-Jun 2025
Q2 = Period.for_quarter(2025, 2)  # Jul-Sep 2025
Q3 = Period.for_quarter(2025, 3)  # Oct-Dec 2025
Q4_LAST_YEAR = Period.for_quarter(2024, 4)  # Jan-Mar 2025
TODAY = date(2025, 11, 14)


def test_the_docstring_examples_pass():
    results = doctest.testmod(core.checkins, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0


# --- due, close date, overdue ------------------------------------------------------------


def test_the_close_date_is_the_quarter_end_plus_the_close_days():
    assert close_date(Q2, 30) == date(2025, 10, 30)
    assert close_date(Q2, 0) == date(2025, 9, 30)
    assert close_date(Q3, 45) == date(2026, 2, 14)


def test_the_close_date_crosses_the_financial_year_end():
    assert close_date(Q4_LAST_YEAR, 30) == date(2025, 4, 30)


def test_a_check_in_is_due_from_the_day_after_the_quarter_ends():
    assert not is_due(Q2, date(2025, 9, 30))
    assert is_due(Q2, date(2025, 10, 1))
    assert not is_due(Q3, TODAY)


def test_not_submitted_is_overdue_only_after_the_close_date():
    assert not is_overdue(Q2, None, date(2025, 10, 30), 30)
    assert is_overdue(Q2, None, date(2025, 10, 31), 30)
    assert is_overdue(Q2, "draft", date(2025, 10, 31), 30)


def test_submitted_and_agreed_are_never_overdue():
    assert not is_overdue(Q2, "submitted", date(2026, 6, 1), 30)
    assert not is_overdue(Q2, CheckinStatus.agreed, date(2026, 6, 1), 30)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (None, date(2025, 9, 30), CheckinState.not_due),
        ("draft", date(2025, 9, 1), CheckinState.not_due),
        (None, date(2025, 10, 1), CheckinState.open),
        ("draft", date(2025, 10, 30), CheckinState.open),
        (None, date(2025, 10, 31), CheckinState.overdue),
        ("draft", TODAY, CheckinState.overdue),
        ("submitted", TODAY, CheckinState.submitted),
        ("submitted", date(2025, 9, 1), CheckinState.submitted),
        ("agreed", TODAY, CheckinState.agreed),
    ],
)
def test_the_state_of_a_quarter_s_check_in_on_a_day(status, today, expected):
    assert checkin_state(Q2, status, today, 30) is expected


def test_a_close_window_of_zero_days_makes_it_overdue_the_day_after_the_quarter():
    assert checkin_state(Q2, None, date(2025, 10, 1), 0) is CheckinState.overdue


@pytest.mark.parametrize("bad", [-1, 1.5, True, "30"])
def test_a_close_window_that_is_not_a_whole_number_of_days_is_refused(bad):
    with pytest.raises(CoreError, match="0 or more"):
        close_date(Q2, bad)


def test_a_month_is_not_a_quarter():
    with pytest.raises(CoreError, match="per quarter"):
        is_due(Period.for_month(2025, 5), TODAY)


def test_an_unknown_status_is_refused_with_the_words_expected():
    with pytest.raises(CoreError, match="draft, submitted or agreed"):
        checkin_state(Q2, "approved", TODAY)


@given(
    days=st.integers(min_value=0, max_value=400),
    close=st.integers(min_value=0, max_value=120),
    status=st.sampled_from([None, *CheckinStatus]),
)
def test_overdue_exactly_when_unsubmitted_and_past_the_close(days, close, status):
    today = Q2.end + timedelta(days=days)
    state = checkin_state(Q2, status, today, close)
    unsubmitted = status in (None, CheckinStatus.draft)
    assert (state is CheckinState.overdue) == (unsubmitted and days > close)
    if days == 0:
        assert state is not CheckinState.overdue


# --- in post and retention ---------------------------------------------------------------


def test_in_post_at_the_quarter_end_owes_a_check_in():
    assert in_post(Q2)
    assert in_post(Q2, left_on=date(2025, 10, 1))
    assert not in_post(Q2, left_on=date(2025, 9, 30))
    assert not in_post(Q2, left_on=date(2025, 8, 1), active=True)
    assert not in_post(Q2, active=False)


def test_the_retention_period_counts_whole_days_after_leaving():
    left = date(2024, 1, 31)
    assert not retention_expired(left, left + timedelta(days=730), 730)
    assert retention_expired(left, left + timedelta(days=731), 730)
    assert retention_expired(left, left + timedelta(days=1), 0)
    assert not retention_expired(left, left, 0)


def test_someone_who_has_not_left_keeps_their_check_ins():
    assert not retention_expired(None, date(2099, 1, 1), 0)


def test_a_negative_retention_period_is_refused():
    with pytest.raises(CoreError, match="cannot be negative"):
        retention_expired(date(2024, 1, 1), TODAY, -1)


# --- transitions ---------------------------------------------------------------------------


def test_the_member_of_staff_submits_their_draft():
    move = transition("draft", "submitted", Party.member_of_staff)
    assert move.verb == "submit"
    assert not move.needs_reason


def test_the_line_manager_agrees_a_submitted_check_in():
    assert transition("submitted", "agreed", "line_manager").verb == "agree"


def test_the_member_of_staff_cannot_agree_their_own_check_in():
    with pytest.raises(CoreError, match="Only the line manager can agree"):
        transition("submitted", "agreed", "member_of_staff")


def test_the_line_manager_cannot_submit_for_the_member_of_staff():
    with pytest.raises(CoreError, match="Only the member of staff can submit"):
        transition("draft", "submitted", "line_manager")


def test_a_draft_cannot_be_agreed():
    with pytest.raises(
        CoreError, match="Only a submitted check-in can be agreed; this one is draft"
    ):
        transition("draft", "agreed", "line_manager")


def test_an_agreed_check_in_cannot_be_submitted_again():
    with pytest.raises(
        CoreError, match="Only a draft check-in can be submitted; this one is agreed"
    ):
        transition("agreed", "submitted", "member_of_staff")


def test_re_opening_needs_a_reason():
    with pytest.raises(CoreError, match="Say why you re-open"):
        transition("agreed", "draft", "line_manager", reason="   ")
    assert transition("agreed", "draft", "line_manager", reason="Wrong quarter").needs_reason


def test_only_the_manager_re_opens():
    with pytest.raises(CoreError, match="Only the line manager can re-open"):
        transition("submitted", "draft", "member_of_staff", reason="I want to change it")


def test_a_draft_cannot_move_to_draft():
    with pytest.raises(CoreError, match="A draft check-in cannot be moved to draft"):
        transition("draft", "draft", "line_manager", reason="x")


def test_the_transitions_table_has_exactly_four_moves():
    assert [(t.from_status.value, t.to_status.value, t.by.value) for t in TRANSITIONS] == [
        ("draft", "submitted", "member_of_staff"),
        ("submitted", "agreed", "line_manager"),
        ("submitted", "draft", "line_manager"),
        ("agreed", "draft", "line_manager"),
    ]


@pytest.mark.parametrize(
    ("status", "by", "expected"),
    [
        ("draft", "member_of_staff", True),
        ("submitted", "member_of_staff", False),
        ("agreed", "member_of_staff", False),
        ("draft", "line_manager", True),
        ("submitted", "line_manager", True),
        ("agreed", "line_manager", False),
    ],
)
def test_who_may_change_the_text_in_each_status(status, by, expected):
    assert can_edit(status, by) is expected


# --- completion ------------------------------------------------------------------------------

PEOPLE = [
    Person(1, "Housing"),
    Person(2, "Housing"),
    Person(3, "Housing"),
    Person(4, "Housing", left_on=date(2025, 8, 15), active=False),  # left during Q2
    Person(5, "Planning"),
    Person(6, "Planning"),
]
STATUSES = {
    (1, Q1.label): "agreed",
    (2, Q1.label): "agreed",
    (3, Q1.label): "submitted",
    (4, Q1.label): "agreed",
    (5, Q1.label): "agreed",
    (1, Q2.label): "agreed",
    (2, Q2.label): "submitted",
    (3, Q2.label): "draft",
    (4, Q2.label): "draft",  # a leaver's draft does not count
    (6, Q2.label): "submitted",
}


def test_completion_per_department_and_quarter_worked_by_hand():
    got = completion(PEOPLE, STATUSES, [Q2, Q1, Q3], today=TODAY, close_days=30)
    assert got == (
        # Q1: 4 in post; 1,2,4 agreed, 3 submitted: due 4, submitted 4, agreed 3, overdue 0
        Completion("Housing", "2025/26 Q1", 4, 4, 3, 0),
        # Q2: person 4 left 15 Aug, so 3 due; 1 agreed, 2 submitted, 3 draft -> overdue
        Completion("Housing", "2025/26 Q2", 3, 2, 1, 1),
        # Q3 has not ended: 3 due, nothing submitted, nothing overdue yet
        Completion("Housing", "2025/26 Q3", 3, 0, 0, 0),
        # Planning Q1: 5 agreed, 6 never wrote one, overdue
        Completion("Planning", "2025/26 Q1", 2, 1, 1, 1),
        Completion("Planning", "2025/26 Q2", 2, 1, 0, 1),
        Completion("Planning", "2025/26 Q3", 2, 0, 0, 0),
    )


def test_within_the_close_window_nothing_is_overdue():
    got = completion(PEOPLE, STATUSES, [Q2], today=date(2025, 10, 30), close_days=30)
    assert [c.overdue for c in got] == [0, 0]


def test_completion_percentages():
    row = Completion("Housing", "2025/26 Q2", 3, 2, 1, 1)
    assert row.percent_submitted == pytest.approx(66.6667, abs=1e-3)
    assert row.percent_agreed == pytest.approx(33.3333, abs=1e-3)
    empty = Completion("Housing", "2025/26 Q2", 0, 0, 0, 0)
    assert empty.percent_agreed is None


def test_completion_of_nobody_is_empty():
    assert completion([], {}, [Q2], today=TODAY) == ()


def test_completion_does_not_depend_on_the_order_of_people():
    forwards = completion(PEOPLE, STATUSES, [Q1, Q2], today=TODAY)
    backwards = completion(list(reversed(PEOPLE)), STATUSES, [Q2, Q1], today=TODAY)
    assert forwards == backwards


@given(
    statuses=st.lists(st.sampled_from([None, *CheckinStatus]), min_size=1, max_size=20),
    days=st.integers(min_value=-100, max_value=200),
)
def test_completion_counts_are_consistent(statuses, days):
    people = [Person(i, "Housing") for i in range(len(statuses))]
    stored = {(i, Q2.label): s for i, s in enumerate(statuses) if s is not None}
    (row,) = completion(people, stored, [Q2], today=Q2.end + timedelta(days=days))
    assert row.due == len(statuses)
    assert row.agreed <= row.submitted <= row.due
    assert row.submitted + row.overdue <= row.due


# --- symbols ------------------------------------------------------------------------------


def test_every_state_and_rating_has_an_icon_and_a_word():
    assert set(CHECKIN_STATE_SYMBOLS) == set(CheckinState)
    assert set(PROGRESS_SYMBOLS) == set(ObjectiveProgress)
    for symbol in [*CHECKIN_STATE_SYMBOLS.values(), *PROGRESS_SYMBOLS.values()]:
        assert symbol.icon and symbol.word and symbol.colour.startswith("#")


def test_icons_differ_within_each_group_so_status_reads_without_colour():
    assert len({s.icon for s in CHECKIN_STATE_SYMBOLS.values()}) == len(CheckinState)
    assert len({s.icon for s in PROGRESS_SYMBOLS.values()}) == len(ObjectiveProgress)


def test_symbols_by_name():
    assert state_symbol("agreed").word == "Agreed"
    assert progress_symbol("off_track").word == "Off track"
    with pytest.raises(CoreError):
        state_symbol("lost")
    with pytest.raises(CoreError):
        progress_symbol("fine")


# --- who may see what ---------------------------------------------------------------------


class _Viewer(NamedTuple):
    id: int | None
    role: str
    department_ids: frozenset[int] = frozenset()


class _Person(NamedTuple):
    user_id: int | None
    line_manager_id: int | None
    department_id: int


PERSON = _Person(user_id=7, line_manager_id=3, department_id=2)


def test_the_person_and_their_line_manager_read_the_check_ins_and_no_one_else_below_admin():
    assert core.checkins.can_view_staff(_Viewer(7, "staff"), PERSON)
    assert core.checkins.can_view_staff(_Viewer(3, "staff"), PERSON)
    assert core.checkins.can_view_staff(_Viewer(99, "admin"), PERSON)
    assert not core.checkins.can_view_staff(_Viewer(99, "executive"), PERSON)
    assert not core.checkins.can_view_staff(_Viewer(99, "lead", frozenset({2})), PERSON)


def test_leads_see_people_of_their_departments_and_executives_see_everyone():
    assert core.checkins.can_see_person(_Viewer(99, "lead", frozenset({2})), PERSON)
    assert not core.checkins.can_see_person(_Viewer(99, "lead", frozenset({5})), PERSON)
    assert core.checkins.can_see_person(_Viewer(99, "executive"), PERSON)
    assert not core.checkins.can_see_person(_Viewer(99, "staff", frozenset({2})), PERSON)


def test_the_system_with_no_user_id_is_nobodys_self_or_manager():
    nobody = _Person(user_id=None, line_manager_id=None, department_id=2)
    assert not core.checkins.is_own(_Viewer(None, "admin"), nobody)
    assert not core.checkins.is_manager(_Viewer(None, "admin"), nobody)
