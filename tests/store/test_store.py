"""Create, read, update and audit each concept, with access enforced below the UI.

Runs on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from core.vocab import Role
from dashboard.store import actions as actions_store
from dashboard.store import audit
from dashboard.store import benchmarks as bench_store
from dashboard.store import measures as measures_store
from dashboard.store import register as register_store
from dashboard.store.checkins import objectives as objective_store
from dashboard.store.checkins import quarterly as checkin_store
from dashboard.store.checkins import staff as staff_store
from dashboard.store.errors import Refused
from dashboard.store.models import (
    ActionCreate,
    ActionUpdateIn,
    AuditLog,
    ComparatorGroupBase,
    MeasureUpdate,
    Objective,
    ObservationCreate,
    Staff,
    UserUpdate,
)
from dashboard.store.security import PermissionDenied
from dashboard.store.users import check_password, get_user_by_username, update_user
from tests.factories import (
    ADMIN,
    make_structure,
    make_user,
    measure_in,
    unchecked_measure,
)


def _entries(session: Session, entity: str) -> list[AuditLog]:
    return list(
        session.exec(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)).all()
    )


def test_a_measure_is_created_read_updated_and_audited(session):
    ids = make_structure(session)
    untargeted = measure_in(ids, tolerance_kind=None, tolerance=None)
    m = unchecked_measure(session, untargeted)
    session.commit()
    found = measures_store.get_measure_by_code(session=session, code="hou-01")
    assert found is not None and found.name == "Measure HOU-01"
    register_store.edit_measure(
        session=session,
        actor=ADMIN,
        measure_id=m.id,
        measure_in=MeasureUpdate(name="Affordable homes built"),
    )
    session.commit()
    entries = _entries(session, "measure")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["name"] == "Measure HOU-01"
    assert entries[1].after["name"] == "Affordable homes built"
    assert entries[1].username == "command-line"


def test_a_duplicate_measure_code_is_refused(session):
    ids = make_structure(session)
    unchecked_measure(session, measure_in(ids))
    with pytest.raises(ValueError, match="already exists"):
        unchecked_measure(session, measure_in(ids))


def test_observations_are_added_changed_and_never_cleared_by_a_blank(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    m = unchecked_measure(session, measure_in(ids))
    obs_in = ObservationCreate(
        measure_id=m.id,
        period="2024-04",
        period_start=date(2024, 4, 1),
        value=12.0,
        commentary="On track",
    )
    _, outcome = measures_store.upsert_observation(
        session=session, actor=lead, measure=m, observation_in=obs_in
    )
    assert outcome == "added"
    blank = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=None, commentary=""
    )
    obs, outcome = measures_store.upsert_observation(
        session=session, actor=lead, measure=m, observation_in=blank
    )
    assert outcome == "unchanged"
    assert obs.value == 12.0 and obs.commentary == "On track"
    changed = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=14.0
    )
    obs, outcome = measures_store.upsert_observation(
        session=session, actor=lead, measure=m, observation_in=changed, submit=True
    )
    session.commit()
    assert outcome == "changed" and obs.value == 14.0 and obs.status == "submitted"
    entries = _entries(session, "observation")
    assert [(e.action, e.username) for e in entries] == [
        ("create", "lead.housing"),
        ("update", "lead.housing"),
    ]
    assert entries[1].before["value"] == 12.0 and entries[1].after["value"] == 14.0


def test_a_change_saved_as_a_draft_makes_a_submitted_figure_a_draft_again(session):
    ids = make_structure(session)
    m = unchecked_measure(session, measure_in(ids))
    first = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=83.0
    )
    measures_store.upsert_observation(
        session=session, actor=ADMIN, measure=m, observation_in=first, submit=True
    )
    lower = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=60.0
    )
    obs, outcome = measures_store.upsert_observation(
        session=session, actor=ADMIN, measure=m, observation_in=lower
    )
    assert (outcome, obs.value, obs.status, obs.submitted_at) == ("changed", 60.0, "draft", None)
    same = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=60.0
    )
    obs, outcome = measures_store.upsert_observation(
        session=session, actor=ADMIN, measure=m, observation_in=same, submit=True
    )
    assert (outcome, obs.status) == ("changed", "submitted")
    assert obs.submitted_at is not None


def test_a_lead_cannot_write_another_departments_figures(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    m = unchecked_measure(session, measure_in(ids, "PLN-01", "Planning"))
    obs_in = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=80.0
    )
    with pytest.raises(PermissionDenied, match="your own departments, not of Planning"):
        measures_store.upsert_observation(
            session=session, actor=lead, measure=m, observation_in=obs_in
        )
    with pytest.raises(PermissionDenied):
        measures_store.set_target(
            session=session,
            actor=lead,
            measure=m,
            period="2024-04",
            period_start=date(2024, 4, 1),
            value=85.0,
        )


@pytest.mark.parametrize("role", [Role.executive, Role.member, Role.staff])
def test_readers_cannot_write_figures_or_targets(session, role):
    ids = make_structure(session)
    reader = make_user(session, f"reader.{role.value}", role, [ids["Housing"]])
    m = unchecked_measure(session, measure_in(ids))
    obs_in = ObservationCreate(
        measure_id=m.id, period="2024-04", period_start=date(2024, 4, 1), value=1.0
    )
    with pytest.raises(PermissionDenied, match=f"Your role \\({role.value}\\) cannot"):
        measures_store.upsert_observation(
            session=session, actor=reader, measure=m, observation_in=obs_in
        )


def test_target_changes_keep_who_when_and_why(session):
    ids = make_structure(session)
    m = unchecked_measure(session, measure_in(ids))
    measures_store.set_target(
        session=session,
        actor=ADMIN,
        measure=m,
        period="2024/25",
        period_start=date(2024, 4, 1),
        value=100.0,
        reason="Cabinet",
    )
    measures_store.set_target(
        session=session,
        actor=ADMIN,
        measure=m,
        period="2024/25",
        period_start=date(2024, 4, 1),
        value=110.0,
        reason="Raised",
    )
    session.commit()
    entries = _entries(session, "target")
    assert [(e.action, e.note) for e in entries] == [("create", "Cabinet"), ("update", "Raised")]
    assert entries[1].before["value"] == 100.0 and entries[1].after["value"] == 110.0


def test_rebase_points_need_a_reason_and_are_audited(session):
    ids = make_structure(session)
    m = unchecked_measure(session, measure_in(ids))
    with pytest.raises(ValueError, match="Say why"):
        measures_store.add_rebase_point(
            session=session, actor=ADMIN, measure=m, period="2024-04", reason="  "
        )
    point = measures_store.add_rebase_point(
        session=session, actor=ADMIN, measure=m, period="2024-04", reason="New policy"
    )
    measures_store.remove_rebase_point(session=session, actor=ADMIN, measure=m, point_id=point.id)
    session.commit()
    assert [e.action for e in _entries(session, "rebase_point")] == ["create", "delete"]


def test_a_second_rebase_point_at_the_same_period_is_refused_saying_so(session):
    ids = make_structure(session)
    m = unchecked_measure(session, measure_in(ids))
    measures_store.add_rebase_point(
        session=session, actor=ADMIN, measure=m, period="2024-04", reason="New policy"
    )
    with pytest.raises(Refused, match="^HOU-01 already has a rebase point at 2024-04.$"):
        measures_store.add_rebase_point(
            session=session, actor=ADMIN, measure=m, period="2024-04", reason="Again"
        )
    session.commit()
    points = measures_store.list_rebase_points(session=session, measure_id=m.id)
    assert [(p.period, p.reason) for p in points] == [("2024-04", "New policy")]
    assert [e.action for e in _entries(session, "rebase_point")] == ["create"]


def test_actions_are_created_updated_with_a_dated_update_and_audited(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    action = actions_store.create_action(
        session=session,
        actor=ADMIN,
        action_in=ActionCreate(
            code="DP-01",
            title="Build homes",
            theme_id=ids["theme"],
            department_id=ids["Housing"],
            status="green",
        ),
    )
    with pytest.raises(ValueError, match="needs commentary"):
        actions_store.update_action(
            update_date=date(2025, 11, 14),
            session=session,
            actor=lead,
            action_id=action.id,
            update_in=ActionUpdateIn(status="red"),
        )
    actions_store.update_action(
        session=session,
        actor=lead,
        action_id=action.id,
        update_in=ActionUpdateIn(
            status="amber", percent_complete=40, commentary="Delayed by a month"
        ),
        update_date=date(2024, 6, 1),
    )
    session.commit()
    updates = actions_store.list_action_progress(session=session, action_id=action.id)
    assert [(u.status, u.percent_complete, u.commentary) for u in updates] == [
        ("amber", 40.0, "Delayed by a month")
    ]
    assert [e.action for e in _entries(session, "action")] == ["create", "update"]


def test_a_lead_cannot_update_another_departments_action(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    action = actions_store.create_action(
        session=session,
        actor=ADMIN,
        action_in=ActionCreate(
            code="DP-02",
            title="Local Plan",
            theme_id=ids["theme"],
            department_id=ids["Planning"],
            status="green",
        ),
    )
    with pytest.raises(PermissionDenied):
        actions_store.update_action(
            update_date=date(2025, 11, 14),
            session=session,
            actor=lead,
            action_id=action.id,
            update_in=ActionUpdateIn(percent_complete=50),
        )


def test_comparator_groups_and_benchmark_values_are_stored_and_audited(session):
    make_structure(session)
    group = bench_store.create_comparator_group(
        session=session,
        actor=ADMIN,
        group_in=ComparatorGroupBase(name="CIPFA", own_area_code="E07000147"),
        members=[("E07000147", "Us"), ("e07000143", "Breckland"), ("E07000143", "Dup")],
    )
    metric = bench_store.get_or_create_metric(session=session, actor=ADMIN, metric="Homes")
    assert (
        bench_store.upsert_benchmark_value(
            session=session,
            actor=ADMIN,
            metric_id=metric.id,
            area_code="E07000143",
            area_name="Breckland",
            period="2023/24",
            value=5.0,
        )
        == "added"
    )
    assert (
        bench_store.upsert_benchmark_value(
            session=session,
            actor=ADMIN,
            metric_id=metric.id,
            area_code="E07000143",
            area_name="Breckland",
            period="2023/24",
            value=6.0,
        )
        == "changed"
    )
    session.commit()
    members = bench_store.group_members(session=session, group_id=group.id)
    assert [m.area_code for m in members] == ["E07000143", "E07000147"]
    assert [e.action for e in _entries(session, "benchmark_value")] == ["create", "update"]


def test_a_lead_cannot_change_comparator_groups(session):
    ids = make_structure(session)
    lead = make_user(session, "lead.housing", Role.lead, [ids["Housing"]])
    with pytest.raises(PermissionDenied):
        bench_store.create_comparator_group(
            session=session,
            actor=lead,
            group_in=ComparatorGroupBase(name="Mine", own_area_code="E1"),
        )


def test_check_ins_move_from_draft_to_submitted_to_agreed_by_the_right_people(session):
    ids = make_structure(session)
    manager = make_user(session, "manager", Role.lead, [ids["Housing"]])
    person = make_user(session, "person", Role.staff, line_manager_id=manager.id)
    other = make_user(session, "other", Role.staff)
    staff = staff_store.create_staff(
        session=session,
        actor=ADMIN,
        staff=Staff(
            name="Person",
            department_id=ids["Housing"],
            line_manager_id=manager.id,
            user_id=person.id,
        ),
    )
    objective = objective_store.create_objective(
        session=session,
        actor=person,
        objective=Objective(
            staff_id=staff.id, financial_year="2024/25", text="Cut the waiting list"
        ),
    )
    checkin = checkin_store.get_or_create_checkin(
        session=session, actor=person, staff_id=staff.id, quarter="2024/25 Q1"
    )
    with pytest.raises(PermissionDenied):
        checkin_store.get_or_create_checkin(
            session=session, actor=other, staff_id=staff.id, quarter="2024/25 Q1"
        )
    checkin_store.save_checkin(
        session=session,
        actor=person,
        checkin_id=checkin.id,
        progress={objective.id: ("on_track", "Good")},
    )
    with pytest.raises(PermissionDenied, match="cannot agree your own"):
        checkin_store.agree_checkin(session=session, actor=person, checkin_id=checkin.id)
    checkin_store.submit_checkin(session=session, actor=person, checkin_id=checkin.id)
    checkin_store.save_checkin(
        session=session, actor=manager, checkin_id=checkin.id, manager_comment="Well done"
    )
    agreed = checkin_store.agree_checkin(session=session, actor=manager, checkin_id=checkin.id)
    assert agreed.status == "agreed" and agreed.agreed_by == manager.id
    with pytest.raises(PermissionDenied, match="re-open"):
        checkin_store.save_checkin(
            session=session, actor=person, checkin_id=checkin.id, development="More"
        )
    session.commit()
    notes = [e.note for e in _entries(session, "checkin") if e.note]
    assert notes == ["status submitted", "status agreed"]


def test_users_roles_and_departments_change_with_audit_and_the_last_admin_stays(session):
    ids = make_structure(session)
    admin = make_user(session, "only.admin", Role.admin)
    lead = make_user(session, "lead", Role.lead, [ids["Housing"]])
    update_user(
        session=session,
        actor=admin,
        user_id=lead.id,
        user_in=UserUpdate(department_ids=[ids["Housing"], ids["Planning"]]),
    )
    with pytest.raises(PermissionDenied, match="last active admin"):
        update_user(session=session, actor=admin, user_id=admin.id, user_in=UserUpdate(role="lead"))
    with pytest.raises(PermissionDenied):
        update_user(session=session, actor=lead, user_id=lead.id, user_in=UserUpdate(role="admin"))
    session.commit()
    stored = get_user_by_username(session=session, username="only.admin")
    assert stored.password_hash != "a-long-password"
    assert check_password("a-long-password", stored.password_hash)
    updates = [e for e in _entries(session, "user") if e.action == "update"]
    assert updates[-1].after["department_ids"] == sorted([ids["Housing"], ids["Planning"]])
    assert "password_hash" not in (updates[-1].after or {})


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET note = 'x'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_or_delete_the_audit_log(engine, session, sql):
    audit.record(session, actor=ADMIN, action="create", entity="thing", entity_id=1)
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(sql))
    with Session(engine) as fresh:
        assert len(fresh.exec(select(AuditLog)).all()) == 1


def test_every_audited_write_moves_the_data_version_on(session):
    ids = make_structure(session)
    before = audit.data_version(session)
    unchecked_measure(session, measure_in(ids))
    session.commit()
    assert audit.data_version(session) == before + 1


def test_a_failed_write_saves_neither_the_change_nor_its_audit_entry(engine):
    from dashboard.store.db import session_scope
    from tests.factories import make_structure as structure

    with Session(engine) as s:
        ids = structure(s)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        unchecked_measure(s, measure_in(ids))
        raise RuntimeError("boom")
    with Session(engine) as s:
        assert measures_store.get_measure_by_code(session=s, code="HOU-01") is None
        assert _entries(s, "measure") == []


@pytest.mark.parametrize("name", ["", "   ", "Homes", " Homes "])
def test_a_blank_or_taken_theme_name_is_refused_plainly_and_nothing_is_added(session, name):
    from dashboard.store.models import Theme, ThemeCreate
    from dashboard.store.structure import create_theme

    make_structure(session)
    with pytest.raises(ValueError, match="Give the theme a name|already a theme called 'Homes'"):
        create_theme(session=session, actor=ADMIN, theme_in=ThemeCreate(name=name))
    assert [t.name for t in session.exec(select(Theme)).all()] == ["Homes"]


def test_renaming_a_department_to_a_taken_name_is_refused_plainly(session):
    from dashboard.store.structure import rename_department

    ids = make_structure(session)
    with pytest.raises(ValueError, match="already a department called 'Planning'"):
        rename_department(
            session=session, actor=ADMIN, department_id=ids["Housing"], name="Planning"
        )
    renamed = rename_department(
        session=session, actor=ADMIN, department_id=ids["Housing"], name=" Housing Services "
    )
    assert renamed.name == "Housing Services"
