"""The access matrix at the store: every role x every write, allowed or refused below the UI.

The expected outcome of each cell is a literal in ``EXPECTED``. Writes run against a fresh
copy of the demo council, as its demo users: demo.lead leads Housing and Customer Services,
and is the line manager of the Housing and Customer Services staff. "lead (own)" writes
Housing data; "lead (other)" writes Planning data (or, for a check-in, a person someone else
manages). Every other role writes the Housing data, so a refusal is by role, not by place.

A refused write raises `PermissionDenied` (the upload of a spreadsheet instead reports the
row and column and saves nothing) and adds nothing to the audit log; an allowed one is
audited.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.config import today as app_today
from dashboard.importing.registry import ImportOptions, SourceFile, run_import
from dashboard.store.actions import apply_updates, get_action_by_code, update_action
from dashboard.store.benchmarks import create_comparator_group
from dashboard.store.checkins.quarterly import agree_checkin
from dashboard.store.measures import get_measure_by_code, set_target, upsert_observation
from dashboard.store.meetings import open_meeting, record_decision
from dashboard.store.models import (
    ActionUpdateIn,
    AuditLog,
    Checkin,
    ComparatorGroupBase,
    ObservationCreate,
    Staff,
    UserCreate,
    UserUpdate,
)
from dashboard.store.publication import approve_figures, pending_figures
from dashboard.store.security import Actor, PermissionDenied
from dashboard.store.users import (
    actor_for,
    create_user,
    deactivate_user,
    get_user_by_username,
    update_user,
)
from tests.apptest import open_page, texts
from tests.factories import ADMIN

ROOT = Path(__file__).resolve().parents[2]

ALLOW = "allow"
DENY = "deny"

WHO = ("admin", "lead (own)", "lead (other)", "executive", "member", "staff")
USERNAMES = {
    "admin": "demo.admin",
    "lead (own)": "demo.lead",
    "lead (other)": "demo.lead",
    "executive": "demo.executive",
    "member": "demo.member",
    "staff": "demo.staff",
}

# fmt: off
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    #                          admin  lead(own) lead(other) executive member staff
    "upload file (measures)": (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "submit a figure":        (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "set a target":           (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "update an action":       (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "save the action table":  (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "approve figures":        (ALLOW, DENY,     DENY,       DENY,     DENY,  DENY),
    "create a user":          (ALLOW, DENY,     DENY,       DENY,     DENY,  DENY),
    "change a user":          (ALLOW, DENY,     DENY,       DENY,     DENY,  DENY),
    "deactivate a user":      (ALLOW, DENY,     DENY,       DENY,     DENY,  DENY),
    "agree a check-in":       (ALLOW, ALLOW,    DENY,       DENY,     DENY,  DENY),
    "record a decision":      (ALLOW, DENY,     DENY,       ALLOW,    DENY,  DENY),
    "create comparator group": (ALLOW, DENY,    DENY,       DENY,     DENY,  DENY),
    "upload benchmark data":  (ALLOW, DENY,     DENY,       DENY,     DENY,  DENY),
}
# fmt: on

COMPLAINTS = "Number of complaints (LG Inform)"  # a benchmark metric the demo maps
OWN_MEASURE, OTHER_MEASURE = "HOU-03", "PLN-01"  # Housing, Planning (monthly)
OWN_ACTION, OTHER_ACTION = "DP-03", "DP-19"  # Housing, Planning (both green)


class World:
    """The demo council, with what each write needs, seen from one actor."""

    def __init__(self, session: Session, engine: Engine, tmp_path: Path, who: str) -> None:
        self.session = session
        self.engine = engine
        self.tmp_path = tmp_path
        self.who = who
        user = get_user_by_username(session=session, username=USERNAMES[who])
        assert user is not None
        self.actor: Actor = actor_for(session=session, user=user)
        self.other = who == "lead (other)"

    @property
    def measure_code(self) -> str:
        return OTHER_MEASURE if self.other else OWN_MEASURE

    @property
    def action_code(self) -> str:
        return OTHER_ACTION if self.other else OWN_ACTION

    def measure(self):
        measure = get_measure_by_code(session=self.session, code=self.measure_code)
        assert measure is not None
        return measure

    def action_id(self) -> int:
        action = get_action_by_code(session=self.session, code=self.action_code)
        assert action is not None and action.id is not None
        return action.id

    def prepare(self) -> None:
        """What some writes act on, made by an administrator beforehand."""
        user = create_user(
            session=self.session,
            actor=ADMIN,
            user_in=UserCreate(username="spare.user", name="Spare User", role="member"),
        )
        meeting = open_meeting(
            session=self.session,
            actor=ADMIN,
            period="2025-10",
            scope="all",
            held_on=date(2025, 11, 14),
        )
        self.session.commit()
        assert user.id is not None and meeting.id is not None
        self.spare_user_id, self.meeting_id = user.id, meeting.id

    def checkin_id(self) -> int:
        """A submitted Q2 check-in: of a person demo.lead manages (own) or does not (other)."""
        lead = get_user_by_username(session=self.session, username="demo.lead")
        assert lead is not None
        rows = self.session.exec(
            select(Checkin, Staff)
            .join(Staff, Staff.id == Checkin.staff_id)  # type: ignore[arg-type]
            .where(Checkin.status == "submitted")
            .order_by(Checkin.id)  # type: ignore[arg-type]
        ).all()
        for checkin, staff in rows:
            managed = staff.line_manager_id == lead.id
            if managed != self.other:
                assert checkin.id is not None
                return checkin.id
        raise AssertionError("the demo council has no such check-in")

    def csv(self, name: str, text: str) -> SourceFile:
        path = self.tmp_path / name
        path.write_text(text, encoding="utf-8")
        return SourceFile.from_path(path)


def _upload_measures(w: World) -> None:
    result = run_import(
        engine=w.engine,
        actor=w.actor,
        source=w.csv("figures.csv", f"code,period,value\n{w.measure_code},2025-10,2500\n"),
        kind="measures",
        options=ImportOptions(),
    )
    if not result.committed:
        problems = [(p.row, p.column) for p in result.checked.sorted_problems()]
        raise PermissionDenied(f"not saved: {problems}")


def _submit_figure(w: World) -> None:
    m = w.measure()
    upsert_observation(
        session=w.session,
        actor=w.actor,
        measure=m,
        observation_in=ObservationCreate(
            measure_id=m.id, period="2025-10", period_start=date(2025, 10, 1), value=2500
        ),
    )


def _set_target(w: World) -> None:
    set_target(
        session=w.session,
        actor=w.actor,
        measure=w.measure(),
        period="2026-03",
        period_start=date(2026, 3, 1),
        value=90,
        reason="access test",
    )


def _update_action(w: World) -> None:
    update_action(
        update_date=app_today(),
        session=w.session,
        actor=w.actor,
        action_id=w.action_id(),
        update_in=ActionUpdateIn(percent_complete=55, commentary="On track."),
    )


def _apply_updates(w: World) -> None:
    apply_updates(
        update_date=app_today(),
        session=w.session,
        actor=w.actor,
        updates={w.action_id(): ActionUpdateIn(percent_complete=60)},
    )


def _approve_figures(w: World) -> None:
    m = w.measure()
    ids = [o.id for o in pending_figures(session=w.session) if o.measure_id == m.id]
    assert ids, f"the demo council has no submitted figure of {m.code}"
    approve_figures(session=w.session, actor=w.actor, observation_ids=ids[:1])


def _create_user(w: World) -> None:
    create_user(
        session=w.session,
        actor=w.actor,
        user_in=UserCreate(username="new.person", name="New Person", role="staff"),
    )


def _change_user(w: World) -> None:
    update_user(
        session=w.session,
        actor=w.actor,
        user_id=w.spare_user_id,
        user_in=UserUpdate(role="executive"),
    )


def _deactivate_user(w: World) -> None:
    deactivate_user(session=w.session, actor=w.actor, user_id=w.spare_user_id)


def _agree_checkin(w: World) -> None:
    agree_checkin(session=w.session, actor=w.actor, checkin_id=w.checkin_id())


def _record_decision(w: World) -> None:
    record_decision(
        session=w.session,
        actor=w.actor,
        meeting_id=w.meeting_id,
        item_key=f"measure:{w.measure_code}",
        decision="noted",
    )


def _create_group(w: World) -> None:
    create_comparator_group(
        session=w.session,
        actor=w.actor,
        group_in=ComparatorGroupBase(name="Coastal districts", own_area_code="E07000001"),
    )


def _upload_benchmarks(w: World) -> None:
    result = run_import(
        engine=w.engine,
        actor=w.actor,
        source=w.csv(
            "bench.csv",
            f"area_code,area_name,metric,period,value\nE09000001,City,{COMPLAINTS},2024/25,12\n",
        ),
        kind="benchmarks",
        options=ImportOptions(),
    )
    assert result.committed, result.message


WRITES: dict[str, Callable[[World], None]] = {
    "upload file (measures)": _upload_measures,
    "submit a figure": _submit_figure,
    "set a target": _set_target,
    "update an action": _update_action,
    "save the action table": _apply_updates,
    "approve figures": _approve_figures,
    "create a user": _create_user,
    "change a user": _change_user,
    "deactivate a user": _deactivate_user,
    "agree a check-in": _agree_checkin,
    "record a decision": _record_decision,
    "create comparator group": _create_group,
    "upload benchmark data": _upload_benchmarks,
}

CASES = [
    pytest.param(write, who, EXPECTED[write][i], id=f"{write}-{who}")
    for write in EXPECTED
    for i, who in enumerate(WHO)
]


def test_the_matrix_covers_every_write_and_every_role():
    assert set(WRITES) == set(EXPECTED)
    assert all(len(row) == len(WHO) for row in EXPECTED.values())


def _audit_entries(engine: Engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(AuditLog.id)).all())


@pytest.mark.parametrize(("write", "who", "expected"), CASES)
def test_each_role_may_do_exactly_the_writes_the_matrix_allows(
    write: str, who: str, expected: str, demo_session: Session, demo_engine: Engine, tmp_path
):
    w = World(demo_session, demo_engine, tmp_path, who)
    w.prepare()
    entries_before = _audit_entries(demo_engine)
    if expected == DENY:
        with pytest.raises(PermissionDenied) as refused:
            WRITES[write](w)
        demo_session.rollback()
        assert str(refused.value).strip(), "a refusal says why, in words"
        assert "Traceback" not in str(refused.value)
        assert _audit_entries(demo_engine) == entries_before
    else:
        WRITES[write](w)
        demo_session.commit()
        assert _audit_entries(demo_engine) > entries_before


def test_a_lead_writing_another_departments_figures_is_told_which_department(
    demo_session: Session,
):
    w = World(demo_session, demo_session.get_bind(), Path("."), "lead (other)")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied) as refused:
        _submit_figure(w)
    assert str(refused.value) == (
        "You can only submit figures for your own departments, not of Planning."
    )


def test_a_lead_updating_another_departments_action_is_told_which_department(
    demo_session: Session,
):
    w = World(demo_session, demo_session.get_bind(), Path("."), "lead (other)")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied) as refused:
        _apply_updates(w)
    assert str(refused.value) == (
        "DP-19: You can only update actions for your own departments, not of Planning."
    )


def test_a_lead_uploading_another_departments_figures_gets_the_row_and_column(
    demo_engine: Engine, demo_session: Session, tmp_path
):
    w = World(demo_session, demo_engine, tmp_path, "lead (other)")
    result = run_import(
        engine=demo_engine,
        actor=w.actor,
        source=w.csv("figures.csv", "code,period,value\nPLN-01,2025-10,80\n"),
        kind="measures",
        options=ImportOptions(),
    )
    assert not result.committed
    assert [(p.row, p.column, p.message) for p in result.checked.sorted_problems()] == [
        (2, "code", "PLN-01 belongs to Planning, which is not one of your departments.")
    ]


def test_an_executive_agrees_the_check_in_of_someone_they_manage(
    demo_session: Session, demo_engine: Engine, tmp_path
):
    """Agreeing a check-in follows the line, not the role: demo.executive manages some staff."""
    w = World(demo_session, demo_engine, tmp_path, "executive")
    w.other = True  # a check-in demo.lead does not manage
    checkin_id = w.checkin_id()
    checkin = demo_session.get(Checkin, checkin_id)
    assert checkin is not None
    staff = demo_session.get(Staff, checkin.staff_id)
    assert staff is not None and staff.line_manager_id == w.actor.id
    agreed = agree_checkin(session=demo_session, actor=w.actor, checkin_id=checkin_id)
    assert agreed.status == "agreed"


def test_the_full_data_export_is_reached_only_from_the_command_line():
    """`portability.export_all` takes no acting user (it copies every table), so no page may
    call it: it is an operator's command, run on the server."""
    callers = []
    for folder in ("pages", "dashboard/ui", "dashboard"):
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {
                node.attr if isinstance(node, ast.Attribute) else node.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute | ast.Name)
            }
            if "export_all" in names:
                callers.append(path.relative_to(ROOT).as_posix())
    assert callers == []


# --- the same refusal at the page ------------------------------------------------------


def test_a_lead_on_another_departments_action_page_sees_no_update_form(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": OTHER_ACTION})
    assert not at.exception
    assert [f.key for f in at.get("form")] == []
    assert "Update this action" not in [h.value for h in at.subheader]
    assert "Only the leads for Planning and administrators can update this action." in [
        c.value for c in at.caption
    ]


def test_a_lead_on_their_own_departments_action_page_gets_the_update_form(app_env):
    at = open_page("action.py", username="demo.lead", query={"code": OWN_ACTION})
    assert not at.exception
    assert "Update this action" in [h.value for h in at.subheader]
    assert "Record a progress update" in texts(at)
