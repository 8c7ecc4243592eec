"""The measure register's lifecycle, targets, approvals, users and the audit log (store)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from core.register import CHECKLIST
from core.vocab import Role
from dashboard.store import audit_search, publication, register
from dashboard.store import targets as target_store
from dashboard.store import users as user_store
from dashboard.store.errors import Refused
from dashboard.store.measures import upsert_observation
from dashboard.store.models import AuditLog, Measure, ObservationCreate, Target
from dashboard.store.security import PermissionDenied
from dashboard.store.users import get_user_by_username, list_users
from tests.factories import ADMIN, DEMO_DAY, make_structure, make_user, measure_in

ALL_YES = {q.key: "yes" for q in CHECKLIST}
ROOT = Path(__file__).resolve().parents[2]


def proposal(ids, code="HOU-07", **overrides):
    """A complete proposal of a KPM: owner, tolerance and a target to carry over."""
    base = {
        "rationale": "Tracks the new homes priority",
        "data_source": "Housing register",
        "baseline": "120 in 2023/24",
        "proposed_target": "150",
        "owner": "Sam Okafor",
        "tolerance_kind": "relative",
        "tolerance": 10.0,
    }
    base.update(overrides)
    return measure_in(ids, code=code, **base)


def untargeted(ids, code="HOU-07", **overrides):
    """A service measure proposed without a target (so none is carried over)."""
    base = {"level": "service", "proposed_target": "", "tolerance_kind": None, "tolerance": None}
    base.update(overrides)
    return proposal(ids, code=code, **base)


@pytest.fixture
def on_14_november_2025() -> date:
    """The day the caller takes as today: 14 November 2025 (a Friday in 2025/26 Q3)."""
    return date(2025, 11, 14)


@pytest.fixture
def world(session: Session):
    ids = make_structure(session)
    lead = make_user(session, "lead.one", Role.lead, [ids["Housing"]])
    admin = make_user(session, "admin.one", Role.admin)
    return ids, lead, admin


def test_a_lead_proposes_a_measure_for_their_own_department(session, world):
    ids, lead, _ = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    session.commit()
    assert m.lifecycle == "proposed"
    assert m.published is False
    assert m.rationale == "Tracks the new homes priority"


def test_a_lead_cannot_propose_for_another_department(session, world):
    ids, lead, _ = world
    with pytest.raises(PermissionDenied, match="not of Planning"):
        register.propose_measure(
            session=session, actor=lead, measure_in=proposal(ids, department="Planning")
        )


def test_a_proposal_needs_a_rationale_and_data_source(session, world):
    ids, lead, _ = world
    with pytest.raises(Refused, match="needs a rationale and a data source"):
        register.propose_measure(
            session=session, actor=lead, measure_in=proposal(ids, rationale="", data_source=" ")
        )


def test_a_duplicate_code_is_refused_whatever_its_case(session, world):
    ids, lead, _ = world
    register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    with pytest.raises(Refused, match="A measure with code 'HOU-07' already exists."):
        register.propose_measure(
            session=session, actor=lead, measure_in=proposal(ids, code="hou-07")
        )


def test_inconsistent_fields_are_refused_with_the_reason(session, world):
    ids, _, admin = world
    with pytest.raises(Refused, match="needs a percent, rate or ratio unit, not days"):
        register.add_measure(
            session=session,
            actor=admin,
            measure_in=proposal(ids, ytd_method="ratio", unit="days", lifecycle="proposed"),
            **DEMO_DAY,
        )


def test_activation_without_a_complete_checklist_is_refused(session, world):
    ids, lead, admin = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    register.review_checklist(
        session=session, actor=admin, measure_id=m.id, answers={**ALL_YES, "recent": ""}
    )
    with pytest.raises(Refused, match="Not answered: Is the data sufficiently recent?"):
        register.approve_measure(
            session=session,
            actor=admin,
            measure_id=m.id,
            **DEMO_DAY,
        )
    assert session.get(Measure, m.id).lifecycle == "proposed"


def test_an_admin_activates_a_proposal_with_a_complete_checklist(session, world):
    ids, lead, admin = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    register.review_checklist(session=session, actor=admin, measure_id=m.id, answers=ALL_YES)
    register.approve_measure(
        session=session,
        actor=admin,
        measure_id=m.id,
        comments="Agreed",
        **DEMO_DAY,
    )
    session.commit()
    m = session.get(Measure, m.id)
    assert (m.lifecycle, m.review_comments) == ("active", "Agreed")
    notes = session.exec(
        select(AuditLog.note).where(AuditLog.entity == "measure", AuditLog.entity_id == "HOU-07")
    ).all()
    assert notes == ["proposed", "checklist reviewed", "approved"]


def _proposed_and_reviewed(session, world, **overrides):
    ids, lead, admin = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids, **overrides))
    register.review_checklist(session=session, actor=admin, measure_id=m.id, answers=ALL_YES)
    return m


def test_activation_makes_the_measure_due_from_the_period_containing_that_day(
    session, world, on_14_november_2025
):
    m = _proposed_and_reviewed(session, world, frequency="quarterly")
    assert m.due_from is None  # a proposal is not due for anything
    register.approve_measure(
        session=session,
        actor=world[2],
        measure_id=m.id,
        today=on_14_november_2025,
        year_start_month=4,
    )
    session.commit()
    # 14 November 2025 is in 2025/26 Q3, which starts on 1 October
    assert session.get(Measure, m.id).due_from == date(2025, 10, 1)


def test_the_admin_can_choose_the_first_period_due_on_activation(
    session, world, on_14_november_2025
):
    m = _proposed_and_reviewed(session, world)
    with pytest.raises(ValueError, match="First period due"):
        register.approve_measure(
            session=session,
            actor=world[2],
            measure_id=m.id,
            first_period="sometime",
            **DEMO_DAY,
        )
    assert session.get(Measure, m.id).lifecycle == "proposed"
    register.approve_measure(
        session=session,
        actor=world[2],
        measure_id=m.id,
        first_period="Jan-26",
        **DEMO_DAY,
    )
    session.commit()
    assert session.get(Measure, m.id).due_from == date(2026, 1, 1)


def test_activation_carries_the_proposals_owner_tolerance_and_target(
    session, world, on_14_november_2025
):
    m = _proposed_and_reviewed(session, world, frequency="quarterly", proposed_target="1,200")
    register.approve_measure(
        session=session,
        actor=world[2],
        measure_id=m.id,
        today=on_14_november_2025,
        year_start_month=4,
    )
    session.commit()
    active = session.get(Measure, m.id)
    assert (active.lifecycle, active.owner, active.tolerance_kind, active.tolerance) == (
        "active",
        "Sam Okafor",
        "relative",
        10.0,
    )
    # the target of every quarter from the first due one (Q3) to the year's end
    targets = session.exec(
        select(Target.period, Target.value, Target.reason)
        .where(Target.measure_id == m.id)
        .order_by(Target.period_start)
    ).all()
    carried = "Proposed target, carried over when the measure became active"
    assert targets == [("2025/26 Q3", 1200.0, carried), ("2025/26 Q4", 1200.0, carried)]
    assert [h.period for h in target_store.target_history(session, m.id)] == [
        "2025/26 Q4",
        "2025/26 Q3",
    ]


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"owner": ""}, "It has no owner."),
        ({"tolerance_kind": None, "tolerance": None}, "It has no tolerance."),
        (
            {"proposed_target": "", "tolerance_kind": None, "tolerance": None, "owner": " "},
            "It has no owner, no tolerance and no target.",
        ),
    ],
)
def test_a_kpm_without_an_owner_tolerance_or_target_is_not_activated(
    session, world, overrides, missing
):
    m = _proposed_and_reviewed(session, world, **overrides)
    with pytest.raises(Refused) as refused:
        register.approve_measure(
            session=session,
            actor=world[2],
            measure_id=m.id,
            **DEMO_DAY,
        )
    assert str(refused.value) == (
        "HOU-07 cannot become active: it is a key performance measure (KPM), which needs an "
        f"owner, a tolerance and a target. {missing}"
    )
    assert session.get(Measure, m.id).lifecycle == "proposed"


def test_a_target_in_words_is_named_when_a_management_measure_is_refused(session, world):
    m = _proposed_and_reviewed(
        session,
        world,
        level="management",
        proposed_target="better than last year",
    )
    with pytest.raises(Refused) as refused:
        register.approve_measure(
            session=session,
            actor=world[2],
            measure_id=m.id,
            **DEMO_DAY,
        )
    assert str(refused.value) == (
        "HOU-07 cannot become active: it is a management measure, which needs an owner, a "
        "tolerance and a target. It has no target. The proposed target 'better than last "
        "year' is not a number: set the target on the Targets tab."
    )


def test_a_kpm_whose_target_was_set_on_the_targets_tab_is_activated(session, world):
    ids, _, admin = world
    m = _proposed_and_reviewed(session, world, proposed_target="to be agreed")
    target_store.set_period_target(
        session=session,
        actor=admin,
        measure_id=m.id,
        period="2025-11",
        value=9,
        reason="",
        year_start_month=4,
    )
    register.approve_measure(session=session, actor=admin, measure_id=m.id, **DEMO_DAY)
    assert session.get(Measure, m.id).lifecycle == "active"


def test_a_service_measure_needs_no_owner_tolerance_or_target(session, world):
    m = _proposed_and_reviewed(
        session, world, level="service", owner="", proposed_target="", tolerance_kind=None,
        tolerance=None,
    )  # fmt: skip
    register.approve_measure(
        session=session,
        actor=world[2],
        measure_id=m.id,
        **DEMO_DAY,
    )
    assert session.get(Measure, m.id).lifecycle == "active"


def test_an_admin_cannot_add_an_active_kpm_without_an_owner(session, world):
    ids, _, admin = world
    with pytest.raises(Refused, match="It has no owner."):
        register.add_measure(
            session=session,
            actor=admin,
            measure_in=proposal(ids, owner="", lifecycle="active", checklist=ALL_YES),
            **DEMO_DAY,
        )


def test_a_lead_cannot_approve_or_review_or_return(session, world):
    ids, lead, _ = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    with pytest.raises(PermissionDenied, match="cannot approve measures"):
        register.approve_measure(
            session=session,
            actor=lead,
            measure_id=m.id,
            **DEMO_DAY,
        )
    with pytest.raises(PermissionDenied, match="cannot review the quality checklist"):
        register.review_checklist(session=session, actor=lead, measure_id=m.id, answers=ALL_YES)
    with pytest.raises(PermissionDenied, match="cannot return proposals"):
        register.return_measure(session=session, actor=lead, measure_id=m.id, comments="x")


def test_a_returned_proposal_stays_proposed_with_the_comments(session, world):
    ids, lead, admin = world
    m = register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    with pytest.raises(Refused, match="Say what the lead needs to change"):
        register.return_measure(session=session, actor=admin, measure_id=m.id, comments=" ")
    register.return_measure(
        session=session, actor=admin, measure_id=m.id, comments="Add a comparator"
    )
    m = session.get(Measure, m.id)
    assert (m.lifecycle, m.review_comments) == ("proposed", "Add a comparator")


def test_retiring_keeps_the_figures_and_cannot_be_undone(session, world):
    ids, lead, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=proposal(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    upsert_observation(
        session=session,
        actor=lead,
        measure=m,
        observation_in=ObservationCreate(
            measure_id=m.id, period="2025-04", period_start=date(2025, 4, 1), value=12
        ),
    )
    register.retire_measure(session=session, actor=admin, measure_id=m.id, reason="Replaced")
    session.commit()
    assert session.get(Measure, m.id).lifecycle == "retired"
    assert session.exec(text("select count(*) from observation")).one()[0] == 1
    with pytest.raises(Refused, match="A retired measure cannot become active."):
        register.approve_measure(
            session=session,
            actor=admin,
            measure_id=m.id,
            **DEMO_DAY,
        )


def test_an_admin_cannot_add_an_active_measure_without_its_checklist(session, world):
    ids, _, admin = world
    with pytest.raises(Refused, match="checklist must be complete"):
        register.add_measure(
            session=session,
            actor=admin,
            measure_in=proposal(ids, lifecycle="active"),
            **DEMO_DAY,
        )


def test_target_changes_need_a_reason_and_the_history_says_who_when_why(session, world):
    ids, lead, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=untargeted(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    session.commit()
    target_store.set_period_target(
        session=session,
        actor=lead,
        measure_id=m.id,
        period="Apr-25",
        value=10,
        reason="Plan",
        year_start_month=4,
    )
    session.commit()
    with pytest.raises(Refused, match="Say why the 2025-04 target of HOU-07 changes from 10"):
        target_store.set_period_target(
            session=session,
            actor=lead,
            measure_id=m.id,
            period="2025-04",
            value=12,
            reason="",
            year_start_month=4,
        )
    target_store.set_period_target(
        session=session,
        actor=admin,
        measure_id=m.id,
        period="2025-04",
        value=12,
        reason="Cabinet raised the ambition",
        year_start_month=4,
    )
    session.commit()
    history = target_store.target_history(session, m.id)
    assert [(h.username, h.period, h.before, h.after, h.reason) for h in history] == [
        ("admin.one", "2025-04", 10.0, 12.0, "Cabinet raised the ambition"),
        ("lead.one", "2025-04", None, 10.0, "Plan"),
    ]


def test_an_annual_target_is_profiled_over_the_months(session, world):
    ids, _, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=untargeted(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    target_store.set_annual_target(
        session=session,
        actor=admin,
        measure_id=m.id,
        year="2025/26",
        value=1200,
        reason="Plan",
        year_start_month=4,
    )
    session.commit()
    rows = session.exec(select(Target).where(Target.measure_id == m.id)).all()
    assert len(rows) == 12
    assert {r.value for r in rows} == {100.0}
    assert min(r.period for r in rows) == "2025-04"
    assert max(r.period for r in rows) == "2026-03"


def test_a_neutral_measure_takes_no_target(session, world):
    ids, _, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=untargeted(ids, polarity="neutral", lifecycle="proposed"),
        **DEMO_DAY,
    )
    with pytest.raises(Refused, match="neutral"):
        target_store.set_period_target(
            session=session,
            actor=admin,
            measure_id=m.id,
            period="2025-04",
            value=1,
            reason="x",
            year_start_month=4,
        )


def _figure(session, lead, m, period, start, value, submit=True):
    obs, _ = upsert_observation(
        session=session,
        actor=lead,
        measure=m,
        observation_in=ObservationCreate(
            measure_id=m.id, period=period, period_start=start, value=value
        ),
        submit=submit,
    )
    session.commit()
    return obs


def test_admins_approve_figures_in_bulk_for_a_period_with_an_embargo(session, world):
    ids, lead, admin = world
    a = register.add_measure(
        session=session,
        actor=admin,
        measure_in=proposal(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    b = register.add_measure(
        session=session,
        actor=admin,
        measure_in=proposal(ids, code="HOU-08", lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    _figure(session, lead, a, "2025-04", date(2025, 4, 1), 5)
    _figure(session, lead, b, "2025-04", date(2025, 4, 1), 6)
    _figure(session, lead, a, "2025-05", date(2025, 5, 1), 7)
    with pytest.raises(PermissionDenied):
        publication.approve_period(session=session, actor=lead, period="2025-04")
    n = publication.approve_period(
        session=session, actor=admin, period="2025-04", embargo_until=date(2025, 6, 3)
    )
    session.commit()
    assert n == 2
    assert [o.period for o in publication.pending_figures(session=session)] == ["2025-05"]


def test_a_draft_cannot_be_approved(session, world):
    ids, lead, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=proposal(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    obs = _figure(session, lead, m, "2025-04", date(2025, 4, 1), 5, submit=False)
    with pytest.raises(Refused, match="The 2025-04 figure of HOU-07 is a draft"):
        publication.approve_figures(session=session, actor=admin, observation_ids=[obs.id])


def test_a_figure_changed_after_approval_is_marked_revised_and_leaves_the_portal(session, world):
    ids, lead, admin = world
    m = register.add_measure(
        session=session,
        actor=admin,
        measure_in=proposal(ids, lifecycle="active", checklist=ALL_YES),
        **DEMO_DAY,
    )
    obs = _figure(session, lead, m, "2025-04", date(2025, 4, 1), 5)
    publication.approve_figures(session=session, actor=admin, observation_ids=[obs.id])
    session.commit()
    obs = _figure(session, lead, m, "2025-04", date(2025, 4, 1), 6)
    assert obs.revised is True
    assert obs.status == "submitted"


def test_the_last_admin_cannot_be_deactivated_or_demoted(session, world):
    _, lead, admin = world
    # The factory's command-line actor is not a user: admin.one is the only admin user.
    with pytest.raises(PermissionDenied, match="last active admin"):
        user_store.deactivate_user(session=session, actor=ADMIN, user_id=admin.id)
    with pytest.raises(PermissionDenied, match="last active admin"):
        user_store.change_role(session=session, actor=ADMIN, user_id=admin.id, role="lead")


def test_an_admin_cannot_deactivate_themselves(session, world):
    _, _, admin = world
    with pytest.raises(PermissionDenied, match="cannot deactivate yourself"):
        user_store.deactivate_user(session=session, actor=admin, user_id=admin.id)


def test_an_admin_deactivates_changes_role_and_resets_passwords(session, world):
    ids, lead, admin = world
    user_store.change_role(
        session=session,
        actor=admin,
        user_id=lead.id,
        role="lead",
        department_ids=[ids["Housing"], ids["Planning"]],
    )
    temporary = user_store.reset_password(session=session, actor=admin, user_id=lead.id)
    user_store.deactivate_user(session=session, actor=admin, user_id=lead.id)
    session.commit()
    from dashboard.store.users import check_password, user_department_ids

    user = get_user_by_username(session=session, username="lead.one")
    assert user.active is False
    assert check_password(temporary, user.password_hash)
    assert len(temporary) >= 10
    assert user_department_ids(session=session, user_id=lead.id) == {
        ids["Housing"],
        ids["Planning"],
    }
    assert [u.username for u in list_users(session=session, include_inactive=False)] == [
        "admin.one"
    ]


def test_a_lead_cannot_manage_users(session, world):
    _, lead, admin = world
    with pytest.raises(PermissionDenied):
        user_store.reset_password(session=session, actor=lead, user_id=admin.id)
    with pytest.raises(PermissionDenied):
        user_store.deactivate_user(session=session, actor=lead, user_id=admin.id)


def test_the_audit_log_is_searchable_by_user_entity_and_text(session, world):
    ids, lead, admin = world
    register.propose_measure(session=session, actor=lead, measure_in=proposal(ids))
    session.commit()
    q = audit_search.AuditQuery(username="lead.one", entity="measure")
    rows = audit_search.search_audit(session=session, actor=admin, query=q)
    assert [(r.entity_id, r.note) for r in rows] == [("HOU-07", "proposed")]
    rows = audit_search.search_audit(
        session=session, actor=admin, query=audit_search.AuditQuery(text="hou-07")
    )
    assert len(rows) == 1
    with pytest.raises(PermissionDenied):
        audit_search.search_audit(session=session, actor=lead, query=q)


def test_the_database_refuses_to_update_or_delete_the_audit_log(engine, session, world):
    assert session.exec(select(AuditLog)).first() is not None
    session.close()
    for statement in ("UPDATE audit_log SET username = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="(?i)audit"), engine.begin() as conn:
            conn.execute(text(statement))


def _writes_to_audit_log(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in {"update", "delete"} and node.args:
                arg = node.args[0]
                if getattr(arg, "id", getattr(arg, "attr", "")) == "AuditLog":
                    found.append(ast.unparse(node))
    return found


def test_nothing_in_the_application_updates_or_deletes_the_audit_log():
    offenders = []
    for path in (ROOT / "dashboard").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {c}" for c in _writes_to_audit_log(ast.parse(source))]
        lowered = source.lower()
        for phrase in ("update audit_log", "delete from audit_log", "truncate audit_log"):
            if phrase in lowered:
                offenders.append(f"{path.name}: {phrase}")
    assert offenders == []


def test_the_audit_log_is_filtered_by_date(session, world):
    _, _, admin = world
    today_rows = audit_search.search_audit(
        session=session,
        actor=admin,
        query=audit_search.AuditQuery(since=date(2000, 1, 1), until=date(2100, 1, 1)),
    )
    none = audit_search.search_audit(
        session=session,
        actor=admin,
        query=audit_search.AuditQuery(since=date(2000, 1, 1), until=date(2000, 1, 2)),
    )
    assert len(today_rows) >= 5
    assert none == []
