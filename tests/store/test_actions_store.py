"""The delivery-plan store: many updates at once, closing, listing, and the demo plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from core.actions import ActionFlag
from core.periods import Period
from core.vocab import ActionStatus, Role
from dashboard.queries.actions import delivery_plan_exceptions, plan_frame, status_counts
from dashboard.store import actions as store
from dashboard.store.models import Action, ActionCreate, ActionUpdateIn, AuditLog
from dashboard.store.security import PermissionDenied
from tests.conftest import DEMO_AS_OF
from tests.factories import ADMIN, make_structure, make_user


def _action(session: Session, ids: dict[str, int], code: str, dept: str = "Housing") -> Action:
    action = store.create_action(
        session=session,
        actor=ADMIN,
        action_in=ActionCreate(
            code=code,
            title=f"Action {code}",
            theme_id=ids["theme"],
            department_id=ids[dept],
            status="green",
            start_date=date(2025, 4, 1),
            due_date=date(2026, 3, 31),
            estimated_end=date(2026, 3, 31),
        ),
    )
    session.commit()
    return action


def _audit(session: Session, code: str) -> list[str]:
    rows = session.exec(
        select(AuditLog).where(AuditLog.entity == "action", AuditLog.entity_id == code)
    ).all()
    return [r.action for r in rows]


def test_many_updates_are_saved_together_and_each_is_audited(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a, b = _action(session, ids, "DP-01"), _action(session, ids, "DP-02")
    store.apply_updates(
        session=session,
        actor=lead,
        updates={
            a.id: ActionUpdateIn(percent_complete=40),
            b.id: ActionUpdateIn(status="amber", commentary="Contractor late; new date agreed"),
        },
        update_date=date(2025, 11, 14),
    )
    session.commit()
    assert session.get(Action, a.id).percent_complete == 40.0
    assert session.get(Action, b.id).status == "amber"
    assert _audit(session, "DP-01") == ["create", "update"]
    assert _audit(session, "DP-02") == ["create", "update"]


def test_one_refused_update_names_the_action_and_saves_none_of_them(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a, b = _action(session, ids, "DP-01"), _action(session, ids, "DP-02")
    with pytest.raises(ValueError, match="^DP-02: Say what is being done: a red status"):
        store.apply_updates(
            update_date=date(2025, 11, 14),
            session=session,
            actor=lead,
            updates={a.id: ActionUpdateIn(percent_complete=40), b.id: ActionUpdateIn(status="red")},
        )
    session.rollback()
    assert session.get(Action, a.id).percent_complete == 0.0
    assert _audit(session, "DP-01") == ["create"]


def test_a_lead_updating_another_departments_action_in_a_batch_is_refused_by_code(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    theirs = _action(session, ids, "DP-09", dept="Planning")
    with pytest.raises(PermissionDenied, match="^DP-09: You can only update actions"):
        store.apply_updates(
            update_date=date(2025, 11, 14),
            session=session,
            actor=lead,
            updates={theirs.id: ActionUpdateIn(percent_complete=5)},
        )


def test_a_lead_cannot_change_the_plan_itself(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a = _action(session, ids, "DP-01")
    with pytest.raises(PermissionDenied, match=r"administrator.*\(due_date\)"):
        store.update_action(
            update_date=date(2025, 11, 14),
            session=session,
            actor=lead,
            action_id=a.id,
            update_in=ActionUpdateIn(due_date=date(2027, 1, 1)),
        )


def test_completing_an_action_records_its_completion_date(session):
    ids = make_structure(session)
    a = _action(session, ids, "DP-01")
    store.update_action(
        session=session,
        actor=ADMIN,
        action_id=a.id,
        update_in=ActionUpdateIn(status="completed", percent_complete=100),
        update_date=date(2025, 11, 14),
    )
    session.commit()
    assert session.get(Action, a.id).completed_date == date(2025, 11, 14)


def test_only_an_admin_closes_an_action_and_a_closed_one_leaves_the_plan(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a = _action(session, ids, "DP-01")
    with pytest.raises(PermissionDenied):
        store.close_action(session=session, actor=lead, action_id=a.id)
    store.close_action(session=session, actor=ADMIN, action_id=a.id, reason="Superseded")
    session.commit()
    assert [r.code for r in store.list_action_rows(session=session)] == []
    assert [r.code for r in store.list_action_rows(session=session, include_closed=True)] == [
        "DP-01"
    ]
    assert _audit(session, "DP-01") == ["create", "close"]
    with pytest.raises(ValueError, match="closed"):
        store.update_action(
            update_date=date(2025, 11, 14),
            session=session,
            actor=ADMIN,
            action_id=a.id,
            update_in=ActionUpdateIn(percent_complete=9),
        )


def test_the_plan_rows_carry_the_latest_update_and_who_made_it(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a = _action(session, ids, "DP-01")
    for day, note in ((date(2025, 7, 1), "First"), (date(2025, 10, 2), "Second")):
        store.update_action(
            session=session,
            actor=lead,
            action_id=a.id,
            update_in=ActionUpdateIn(commentary=note),
            update_date=day,
        )
    session.commit()
    (row,) = store.list_action_rows(session=session)
    assert (row.last_update, row.last_commentary, row.last_by) == (
        date(2025, 10, 2),
        "Second",
        "Lead.Housing",
    )
    assert [u.commentary for u in store.list_update_rows(session=session, action_id=a.id)] == [
        "Second",
        "First",
    ]


def test_a_new_action_is_estimated_to_end_on_its_due_date(session):
    ids = make_structure(session)
    action = store.create_action(
        session=session,
        actor=ADMIN,
        action_in=ActionCreate(
            code="DP-41",
            title="Report back next month",
            theme_id=ids["theme"],
            department_id=ids["Housing"],
            start_date=date(2025, 11, 14),
            due_date=date(2025, 12, 12),
        ),
    )
    session.commit()
    assert session.get(Action, action.id).estimated_end == date(2025, 12, 12)
    (row,) = plan_frame(session, date(2025, 11, 14)).to_dict("records")
    assert row["estimated_end"] == date(2025, 12, 12)


def test_an_action_added_today_carries_no_flag(session):
    ids = make_structure(session)
    action = store.create_action(
        session=session,
        actor=ADMIN,
        action_in=ActionCreate(
            code="DP-41",
            title="Tell tenants about the new repairs line",
            theme_id=ids["theme"],
            department_id=ids["Housing"],
            due_date=date.today() + timedelta(days=90),
        ),
    )
    session.commit()
    today = action.created_at.date()
    # added today: it has no update yet, and none was missed ("No update this quarter")
    (row,) = plan_frame(session, today).to_dict("records")
    assert (row["last_update"], row["flags"], row["flags_label"]) == (None, [], "")


def test_the_report_for_a_quarter_counts_an_update_made_in_that_quarter(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    a = _action(session, ids, "DP-01")
    a.created_at = datetime(2025, 4, 1, tzinfo=UTC)  # in the plan since April
    session.add(a)
    store.update_action(
        session=session,
        actor=lead,
        action_id=a.id,
        update_in=ActionUpdateIn(status="amber", commentary="Contractor late"),
        update_date=date(2025, 12, 19),
    )
    session.commit()
    # the 2025/26 Q3 report, written on 20 January 2026: 19 December is inside Q3
    q3 = Period.for_quarter(2025, 3)
    (item,) = delivery_plan_exceptions(session, date(2026, 1, 20), quarter=q3)
    assert ActionFlag.stale.value not in item.flags
    assert "No update this quarter" not in item.flags_label
    # the plan as it stands on that day looks for an update in Q4, and has none
    (now,) = delivery_plan_exceptions(session, date(2026, 1, 20))
    assert ActionFlag.stale.value in now.flags


# --- the demo council's plan at DEMO_AS_OF ------------------------------------


def test_the_demo_plan_shows_every_status_and_every_flag(demo_session):
    plan = plan_frame(demo_session, DEMO_AS_OF, behind_schedule_points=20, year_start_month=4)
    assert set(plan["status"]) == {s.value for s in ActionStatus}
    raised = {f for flags in plan["flags"] for f in flags}
    assert raised == {f.value for f in ActionFlag}


def test_the_demo_overview_counts_match_the_seeded_plan(demo_session):
    # 40 actions, statuses cycling through the eight: five of each. Overdue: DP-01 (red,
    # due 30 days ago) and DP-11 (green, due 10 days ago). Slipping: the five red and the
    # five amber (estimated end after due). Needing attention: 5 red + 5 amber + 5 missing
    # + DP-11 (green, overdue) + DP-19 (green, behind schedule, no update this quarter).
    plan = plan_frame(demo_session, DEMO_AS_OF, behind_schedule_points=20, year_start_month=4)
    total = status_counts(plan).iloc[-1].to_dict()
    assert total == {
        "theme": "All themes",
        "actions": 40,
        "red": 5,
        "amber": 5,
        "green": 5,
        "completed": 5,
        "not_started": 5,
        "ongoing": 5,
        "not_relevant": 5,
        "missing": 5,
        "overdue": 2,
        "slipping": 10,
        "needs_attention": 17,
    }


def test_the_demo_exceptions_are_red_then_amber_then_the_green_overdue_one(demo_session):
    found = delivery_plan_exceptions(demo_session, DEMO_AS_OF)
    assert [(e.code, e.status) for e in found] == [
        ("DP-01", "red"),
        ("DP-09", "red"),
        ("DP-17", "red"),
        ("DP-25", "red"),
        ("DP-33", "red"),
        ("DP-02", "amber"),
        ("DP-10", "amber"),
        ("DP-18", "amber"),
        ("DP-26", "amber"),
        ("DP-34", "amber"),
        ("DP-11", "green"),
    ]
    assert found[0].reasons == ("Needs intervention", "Overdue", "Slipping")
    assert found[-1].reasons == ("Overdue",)
    assert found[0].commentary.startswith("Contractor delays")
