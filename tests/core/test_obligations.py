"""core.obligations: who owes what by when, and the reminder schedule."""

from __future__ import annotations

import doctest
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.obligations
from core.errors import CoreError
from core.obligations import (
    ActionDue,
    MeasureDue,
    ObligationKind,
    Person,
    Rules,
    StaffDue,
    Stage,
    Urgency,
    digests,
    escalation_due,
    obligations,
    owed_by,
    stage_for_owner,
)
from core.vocab import CheckinStatus, Frequency, Role

HOUSING = 1
FINANCE = 2
ADMIN = Person(1, "Alex Admin", Role.admin)
EXEC = Person(2, "Jo Exec", Role.executive)
LEAD = Person(3, "Sam Lead", Role.lead, frozenset({HOUSING}), line_manager_id=2)
STAFF = Person(5, "Chris Staff", Role.staff, line_manager_id=3)
PEOPLE = [ADMIN, EXEC, LEAD, STAFF]


def monthly(
    code: str = "HOU-03",
    dept: int = HOUSING,
    submitted: set[str] | None = None,
    due_from: date | None = date(2025, 9, 1),
) -> MeasureDue:
    return MeasureDue(code, "Homes", Frequency.monthly, dept, due_from, frozenset(submitted or ()))


def keys(items) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.key for o in items]


def test_the_doctests_pass() -> None:
    assert doctest.testmod(core.obligations).failed == 0


# --- figures -----------------------------------------------------------------


def test_figures_are_not_owed_before_the_period_ends() -> None:
    items = obligations(
        today=date(2025, 9, 30),
        people=PEOPLE,
        measures=[monthly(submitted={"2025-08"}, due_from=date(2025, 8, 1))],
    )
    assert keys(items) == []


def test_figures_are_open_the_day_after_the_period_ends() -> None:
    (o,) = obligations(today=date(2025, 10, 1), people=PEOPLE, measures=[monthly()])
    assert (o.key, o.urgency, o.deadline, o.owner_id) == (
        "data:HOU-03:2025-09",
        Urgency.open,
        date(2025, 10, 10),
        3,
    )
    assert o.page == "upload"


@pytest.mark.parametrize(
    ("today", "urgency", "days_late"),
    [
        (date(2025, 10, 6), Urgency.open, 0),
        (date(2025, 10, 7), Urgency.due_soon, 0),  # 3 days before
        (date(2025, 10, 10), Urgency.due_soon, 0),  # the deadline itself
        (date(2025, 10, 11), Urgency.late, 1),
        (date(2025, 10, 31), Urgency.late, 21),
    ],
)
def test_figures_become_due_soon_three_days_before_and_late_after_the_deadline(
    today: date, urgency: Urgency, days_late: int
) -> None:
    items = obligations(today=today, people=PEOPLE, measures=[monthly()])
    first = items[0]
    assert (first.key, first.urgency, first.days_late) == (
        "data:HOU-03:2025-09",
        urgency,
        days_late,
    )


def test_submitted_periods_are_not_owed() -> None:
    items = obligations(
        today=date(2025, 11, 14), people=PEOPLE, measures=[monthly(submitted={"2025-09"})]
    )
    assert keys(items) == ["data:HOU-03:2025-10"]


def test_every_missing_period_from_the_first_due_period_is_owed() -> None:
    # due from 15 July: July, the period containing that day, is the first one due
    items = obligations(
        today=date(2025, 11, 14), people=PEOPLE, measures=[monthly(due_from=date(2025, 7, 15))]
    )
    assert keys(items) == [
        "data:HOU-03:2025-07",
        "data:HOU-03:2025-08",
        "data:HOU-03:2025-09",
        "data:HOU-03:2025-10",
    ]


def test_nothing_before_the_first_due_period_is_owed() -> None:
    # a quarterly measure activated on 14 November 2025 is due from 2025/26 Q3, which
    # has not ended: it owes nothing yet, however far back its history would reach
    new = MeasureDue("HOU-04", "New", Frequency.quarterly, HOUSING, date(2025, 10, 1))
    assert obligations(today=date(2025, 11, 14), people=PEOPLE, measures=[new]) == ()
    # after the first period's deadline it owes that one period, and only that one
    (o,) = obligations(today=date(2026, 1, 14), people=PEOPLE, measures=[new])
    assert (o.key, o.deadline, o.days_late) == ("data:HOU-04:2025/26 Q3", date(2026, 1, 10), 4)


def test_periods_before_the_previous_financial_year_are_history() -> None:
    items = obligations(
        today=date(2025, 11, 14), people=PEOPLE, measures=[monthly(due_from=date(2019, 4, 1))]
    )
    assert items[0].key == "data:HOU-03:2024-04"
    assert len(items) == 19  # April 2024 to October 2025


def test_quarterly_and_annual_deadlines() -> None:
    q = MeasureDue(
        "HOU-01",
        "Homes built",
        Frequency.quarterly,
        HOUSING,
        date(2025, 4, 1),
        frozenset({"2025/26 Q1"}),
    )
    a = MeasureDue("QOL-05", "Green flags", Frequency.annual, HOUSING, date(2024, 4, 1))
    items = obligations(today=date(2025, 11, 14), people=PEOPLE, measures=[q, a])
    assert [(o.key, o.deadline, o.days_late) for o in items] == [
        ("data:QOL-05:2024/25", date(2025, 4, 30), 198),
        ("data:HOU-01:2025/26 Q2", date(2025, 10, 10), 35),
    ]


def test_the_deadline_day_is_a_setting() -> None:
    (o,) = obligations(
        today=date(2025, 10, 1), people=PEOPLE, measures=[monthly()], rules=Rules(deadline_day=20)
    )
    assert o.deadline == date(2025, 10, 20)


def test_every_lead_of_the_department_owes_the_figures() -> None:
    other = Person(9, "Pat Lead", Role.lead, frozenset({HOUSING, FINANCE}))
    items = obligations(today=date(2025, 10, 1), people=[*PEOPLE, other], measures=[monthly()])
    assert [o.owner_id for o in items] == [3, 9]


def test_figures_of_a_department_without_a_lead_are_owed_by_nobody() -> None:
    inactive = Person(9, "Gone", Role.lead, frozenset({FINANCE}), active=False)
    (o,) = obligations(
        today=date(2025, 10, 1), people=[*PEOPLE, inactive], measures=[monthly(dept=FINANCE)]
    )
    assert o.owner_id is None


# --- action updates ------------------------------------------------------------


def action(**kw: object) -> ActionDue:
    values: dict[str, object] = {
        "code": "DP-01",
        "title": "Build homes",
        "department_id": HOUSING,
        "started": date(2025, 1, 1),
        "last_update": date(2025, 8, 1),
    }
    values.update(kw)
    return ActionDue(**values)  # type: ignore[arg-type]


def test_an_action_updated_this_quarter_owes_nothing() -> None:
    assert (
        obligations(
            today=date(2025, 11, 14), people=PEOPLE, actions=[action(last_update=date(2025, 10, 1))]
        )
        == ()
    )


def test_an_action_updated_last_quarter_owes_this_quarters_update_by_quarter_end() -> None:
    (o,) = obligations(today=date(2025, 11, 14), people=PEOPLE, actions=[action()])
    assert (o.key, o.deadline, o.urgency, o.kind, o.page) == (
        "action:DP-01:2025/26 Q3",
        date(2025, 12, 31),
        Urgency.open,
        ObligationKind.action_update,
        "actions",
    )


def test_an_action_not_updated_last_quarter_is_late_for_that_quarter() -> None:
    (o,) = obligations(
        today=date(2025, 11, 14), people=PEOPLE, actions=[action(last_update=date(2025, 6, 30))]
    )
    assert (o.key, o.deadline, o.days_late) == ("action:DP-01:2025/26 Q2", date(2025, 9, 30), 45)


def test_an_action_started_this_quarter_owes_this_quarters_update_only() -> None:
    (o,) = obligations(
        today=date(2025, 11, 14),
        people=PEOPLE,
        actions=[action(started=date(2025, 10, 5), last_update=None)],
    )
    assert o.key == "action:DP-01:2025/26 Q3"


def test_an_action_added_to_the_plan_today_owes_no_update_yet() -> None:
    # started in January but only added to the plan today: nothing was missed last quarter
    added_today = action(last_update=None, added_on=date(2025, 11, 14))
    assert obligations(today=date(2025, 11, 14), people=PEOPLE, actions=[added_today]) == ()
    # next quarter it owes that quarter's update, by the quarter's end
    (o,) = obligations(today=date(2026, 2, 2), people=PEOPLE, actions=[added_today])
    assert (o.key, o.deadline, o.urgency) == (
        "action:DP-01:2025/26 Q4",
        date(2026, 3, 31),
        Urgency.open,
    )


@pytest.mark.parametrize(
    "kw",
    [
        {"status": "completed"},
        {"status": "not_relevant"},
        {"closed": True},
        {"started": date(2026, 1, 1), "last_update": None},
    ],
)
def test_finished_closed_and_future_actions_owe_no_update(kw: dict[str, object]) -> None:
    assert obligations(today=date(2025, 11, 14), people=PEOPLE, actions=[action(**kw)]) == ()


# --- check-ins -----------------------------------------------------------------


def staff(**kw: object) -> StaffDue:
    values: dict[str, object] = {"id": 7, "name": "Chris Staff", "user_id": 5, "line_manager_id": 3}
    values.update(kw)
    return StaffDue(**values)  # type: ignore[arg-type]


def test_staff_owe_the_check_in_for_the_last_completed_quarter() -> None:
    (o,) = obligations(today=date(2025, 11, 14), people=PEOPLE, staff=[staff()])
    assert (o.kind, o.owner_id, o.period, o.deadline, o.days_late, o.page) == (
        ObligationKind.checkin_write,
        5,
        "2025/26 Q2",
        date(2025, 10, 30),
        15,
        "check-ins",
    )


def test_a_draft_check_in_is_still_owed() -> None:
    (o,) = obligations(
        today=date(2025, 11, 14),
        people=PEOPLE,
        staff=[staff(checkins={"2025/26 Q2": CheckinStatus.draft})],
    )
    assert o.kind is ObligationKind.checkin_write


def test_a_submitted_check_in_is_owed_by_the_manager_to_agree() -> None:
    (o,) = obligations(
        today=date(2025, 11, 14),
        people=PEOPLE,
        staff=[staff(checkins={"2025/26 Q2": CheckinStatus.submitted})],
    )
    assert (o.kind, o.owner_id, o.title) == (
        ObligationKind.checkin_agree,
        3,
        "Agree Chris Staff's check-in",
    )


def test_an_agreed_check_in_owes_nothing() -> None:
    assert (
        obligations(
            today=date(2025, 11, 14),
            people=PEOPLE,
            staff=[staff(checkins={"2025/26 Q2": CheckinStatus.agreed})],
        )
        == ()
    )


def test_the_manager_is_never_owed_the_writing_of_a_check_in() -> None:
    # Gina has no account, so she cannot write it here and nobody can remind her: the
    # admins are chased (items nobody owes), not her manager, who only reads and agrees
    (o,) = obligations(
        today=date(2025, 11, 14), people=PEOPLE, staff=[staff(user_id=None, name="Gina Ellis")]
    )
    assert (o.kind, o.owner_id, o.title) == (
        ObligationKind.checkin_write,
        None,
        "Gina Ellis's check-in (they have no account to write it)",
    )
    assert owed_by((o,), 3) == ()
    # once it is submitted, the manager's item is to read and agree it
    (agree,) = obligations(
        today=date(2025, 11, 14),
        people=PEOPLE,
        staff=[staff(user_id=None, name="Gina Ellis", checkins={"2025/26 Q2": "submitted"})],
    )
    assert (agree.kind, agree.owner_id) == (ObligationKind.checkin_agree, 3)


def test_staff_who_left_owe_nothing() -> None:
    assert obligations(today=date(2025, 11, 14), people=PEOPLE, staff=[staff(active=False)]) == ()


def test_the_check_in_closing_day_is_a_setting() -> None:
    (o,) = obligations(
        today=date(2025, 11, 14), people=PEOPLE, staff=[staff()], rules=Rules(checkin_close_days=14)
    )
    assert o.deadline == date(2025, 10, 14)


def test_owed_by_picks_one_persons_items() -> None:
    items = obligations(
        today=date(2025, 11, 14), people=PEOPLE, measures=[monthly()], staff=[staff()]
    )
    assert keys(owed_by(items, 5)) == ["checkin_write:staff-7:2025/26 Q2"]
    assert keys(owed_by(items, 3)) == ["data:HOU-03:2025-09", "data:HOU-03:2025-10"]


@pytest.mark.parametrize("value", [-1, 1.5, True, "3"])
def test_rules_refuse_days_that_are_not_whole_and_positive(value: object) -> None:
    with pytest.raises(CoreError, match="days_before must be a whole number"):
        Rules(days_before=value)  # type: ignore[arg-type]


# --- the schedule ----------------------------------------------------------------


def _one(today: date) -> tuple:  # type: ignore[type-arg]
    return obligations(today=today, people=PEOPLE, measures=[monthly(submitted={"2025-09"})])


@pytest.mark.parametrize(
    ("today", "stage", "escalated"),
    [
        (date(2025, 11, 6), None, False),  # 4 days before 10 November
        (date(2025, 11, 7), Stage.reminder, False),
        (date(2025, 11, 10), Stage.reminder, False),
        (date(2025, 11, 11), Stage.chaser, False),
        (date(2025, 11, 15), Stage.chaser, False),
        (date(2025, 11, 16), Stage.chaser, True),  # 5 days after the chaser
    ],
)
def test_reminder_chaser_and_escalation_days(
    today: date, stage: Stage | None, escalated: bool
) -> None:
    (o,) = _one(date(2025, 11, 1))
    assert stage_for_owner(o, today, 3) == stage
    assert escalation_due(o, today, 5) is escalated


def _plan(today: date, people=PEOPLE, sent=frozenset(), **kw):  # type: ignore[no-untyped-def]
    items = obligations(
        today=today, people=people, measures=[monthly(submitted={"2025-09"})], staff=[staff()]
    )
    return {
        d.recipient_id: [(i.obligation.key, i.stage) for i in d.items]
        for d in digests(items, today=today, people=people, already_sent=sent, **kw)
    }


def test_one_digest_per_person_with_all_their_items() -> None:
    plan = _plan(date(2025, 11, 16))
    assert plan == {
        2: [("data:HOU-03:2025-10", Stage.escalation)],
        3: [
            ("checkin_write:staff-7:2025/26 Q2", Stage.escalation),
            ("data:HOU-03:2025-10", Stage.chaser),
        ],
        5: [("checkin_write:staff-7:2025/26 Q2", Stage.chaser)],
    }


def test_items_already_sent_are_not_sent_again() -> None:
    sent = {(3, "data:HOU-03:2025-10", Stage.chaser), (2, "data:HOU-03:2025-10", Stage.escalation)}
    plan = _plan(date(2025, 11, 16), sent=sent)
    assert plan == {
        3: [("checkin_write:staff-7:2025/26 Q2", Stage.escalation)],
        5: [("checkin_write:staff-7:2025/26 Q2", Stage.chaser)],
    }


def test_a_reminder_sent_does_not_stop_the_chaser() -> None:
    sent = {(3, "data:HOU-03:2025-10", Stage.reminder)}
    assert ("data:HOU-03:2025-10", Stage.reminder) not in _plan(date(2025, 11, 8), sent=sent).get(
        3, []
    )
    assert ("data:HOU-03:2025-10", Stage.chaser) in _plan(date(2025, 11, 11), sent=sent)[3]


def test_without_a_line_manager_escalations_go_to_every_active_admin() -> None:
    admin2 = Person(8, "Second Admin", Role.admin)
    gone = Person(10, "Old Admin", Role.admin, active=False)
    lead = Person(3, "Sam Lead", Role.lead, frozenset({HOUSING}))
    plan = _plan(date(2025, 11, 16), people=[ADMIN, EXEC, lead, STAFF, admin2, gone])
    assert plan[1] == [("data:HOU-03:2025-10", Stage.escalation)]
    assert plan[8] == [("data:HOU-03:2025-10", Stage.escalation)]
    assert 10 not in plan and 2 not in plan


def test_opted_out_people_get_no_reminders_but_escalations_about_them_still_go() -> None:
    lead = Person(3, "Sam Lead", Role.lead, frozenset({HOUSING}), line_manager_id=2, opted_out=True)
    plan = _plan(date(2025, 11, 16), people=[ADMIN, EXEC, lead, STAFF])
    assert plan[2] == [("data:HOU-03:2025-10", Stage.escalation)]
    assert plan[3] == [("checkin_write:staff-7:2025/26 Q2", Stage.escalation)]


def test_opting_out_counts_only_where_the_council_allows_it() -> None:
    lead = Person(3, "Sam Lead", Role.lead, frozenset({HOUSING}), line_manager_id=2, opted_out=True)
    plan = _plan(date(2025, 11, 16), people=[ADMIN, EXEC, lead, STAFF], allow_opt_out=False)
    assert ("data:HOU-03:2025-10", Stage.chaser) in plan[3]


def test_items_nobody_owes_go_to_the_admins_and_are_not_escalated() -> None:
    items = obligations(
        today=date(2025, 11, 30),
        people=PEOPLE,
        measures=[monthly(dept=FINANCE, submitted={"2025-09"})],
    )
    (d,) = digests(items, today=date(2025, 11, 30), people=PEOPLE)
    assert (d.recipient_id, [(i.obligation.key, i.stage) for i in d.items]) == (
        1,
        [("data:HOU-03:2025-10", Stage.chaser)],
    )


@settings(deadline=None)
@given(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 10),
    st.integers(0, 10),
)
def test_sending_everything_planned_leaves_nothing_to_send_the_same_day(
    today: date, before: int, after: int
) -> None:
    rules = Rules(days_before=before, escalate_after_days=after)
    items = obligations(
        today=today,
        people=PEOPLE,
        staff=[staff()],
        rules=rules,
        measures=[monthly(due_from=today - timedelta(days=120))],
    )
    first = digests(items, today=today, people=PEOPLE, rules=rules)
    sent = {(d.recipient_id, i.obligation.key, i.stage) for d in first for i in d.items}
    assert digests(items, today=today, people=PEOPLE, rules=rules, already_sent=sent) == ()
    for d in first:
        assert len({(i.obligation.key, i.stage) for i in d.items}) == len(d.items)
        assert [i.obligation.deadline for i in d.items] == sorted(
            i.obligation.deadline for i in d.items
        )
