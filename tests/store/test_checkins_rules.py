"""Check-ins in the store: who may see and do what, per role; transitions, audited;
completion figures; retention; the golden thread."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from core.periods import Period
from core.vocab import CheckinStatus, Role
from dashboard.store.checkins import completion as completion_store
from dashboard.store.checkins import golden_thread
from dashboard.store.checkins import objectives as objective_store
from dashboard.store.checkins import quarterly as checkin_store
from dashboard.store.checkins import retention as retention_store
from dashboard.store.checkins import staff as staff_store
from dashboard.store.models import (
    AuditLog,
    Checkin,
    CheckinProgress,
    Objective,
    Staff,
    User,
    UserDepartment,
)
from dashboard.store.security import Actor, PermissionDenied
from dashboard.store.users import actor_for
from tests.factories import ADMIN, make_structure, measure_in, unchecked_measure


def make_user(
    session: Session,
    username: str,
    role: Role,
    department_ids: list[int] | None = None,
    line_manager_id: int | None = None,
) -> Actor:
    """A user without a password (hashing one is slow and beside the point here)."""
    user = User(
        username=username, name=username.title(), role=role, line_manager_id=line_manager_id
    )
    session.add(user)
    session.flush()
    for department_id in department_ids or []:
        session.add(UserDepartment(user_id=user.id, department_id=department_id))
    session.flush()
    return actor_for(session=session, user=user)


Q1 = Period.for_quarter(2025, 1)
Q2 = Period.for_quarter(2025, 2)
TODAY = date(2025, 11, 14)  # Q2 closed on 30 October (30 days)


class World:
    """Housing: Pat (staff, managed by Mo) and Kim (staff, managed by Mo).
    Planning: Lou (no account, managed by Exec). Users of every role."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids = make_structure(session)
        self.manager = make_user(session, "mo", Role.lead, [self.ids["Housing"]])
        self.exec = make_user(session, "exec", Role.executive)
        self.admin = make_user(session, "admin", Role.admin)
        self.member = make_user(session, "cllr", Role.member)
        self.lead_planning = make_user(session, "lp", Role.lead, [self.ids["Planning"]])
        self.pat_user = make_user(session, "pat", Role.staff, line_manager_id=self.manager.id)
        self.kim_user = make_user(session, "kim", Role.staff, line_manager_id=self.manager.id)
        self.pat = self._staff("Pat", "Housing", self.manager, self.pat_user)
        self.kim = self._staff("Kim", "Housing", self.manager, self.kim_user)
        self.lou = self._staff("Lou", "Planning", self.exec, None)
        measure = unchecked_measure(session, measure_in(self.ids))
        self.measure_id = measure.id
        self.objective = objective_store.create_objective(
            session=session,
            actor=self.pat_user,
            objective=Objective(
                staff_id=self.pat.id, financial_year="2025/26", text="Cut the waiting list"
            ),
            measure_ids=[measure.id],
        )
        session.flush()

    def _staff(self, name: str, dept: str, manager: Actor, user: Actor | None) -> Staff:
        return staff_store.create_staff(
            session=self.session,
            actor=ADMIN,
            staff=Staff(
                name=name,
                job_title="Officer",
                department_id=self.ids[dept],
                line_manager_id=manager.id,
                user_id=user.id if user else None,
                employee_ref=f"E-{name}",
            ),
        )

    def pat_writes_q2(self) -> Checkin:
        checkin = checkin_store.get_or_create_checkin(
            session=self.session, actor=self.pat_user, staff_id=self.pat.id, quarter="2025/26 Q2"
        )
        checkin_store.save_checkin(
            session=self.session,
            actor=self.pat_user,
            checkin_id=checkin.id,
            progress={self.objective.id: ("at_risk", "Two vacancies")},
            development="Data course",
            staff_comment="Busy",
        )
        return checkin


@pytest.fixture
def w(session: Session) -> World:
    return World(session)


def _audit(session: Session, entity: str) -> list[AuditLog]:
    return list(
        session.exec(select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)).all()
    )


# --- who sees what -----------------------------------------------------------------------


def test_staff_see_only_their_own_check_ins(w):
    w.pat_writes_q2()
    assert (
        len(checkin_store.list_checkins(session=w.session, actor=w.pat_user, staff_id=w.pat.id))
        == 1
    )
    with pytest.raises(PermissionDenied, match="your own check-ins"):
        checkin_store.list_checkins(session=w.session, actor=w.kim_user, staff_id=w.pat.id)
    with pytest.raises(PermissionDenied):
        checkin_store.get_or_create_checkin(
            session=w.session, actor=w.kim_user, staff_id=w.pat.id, quarter="2025/26 Q2"
        )


def test_staff_cannot_write_a_colleague_s_objectives(w):
    with pytest.raises(PermissionDenied):
        objective_store.create_objective(
            session=w.session,
            actor=w.kim_user,
            objective=Objective(staff_id=w.pat.id, financial_year="2025/26", text="Sneaky"),
        )


def test_the_line_manager_reads_their_reports_check_ins_but_not_others(w):
    w.pat_writes_q2()
    assert checkin_store.list_checkins(session=w.session, actor=w.manager, staff_id=w.pat.id)
    with pytest.raises(PermissionDenied):
        checkin_store.list_checkins(session=w.session, actor=w.manager, staff_id=w.lou.id)


def test_leads_and_executives_see_people_and_objectives_but_never_check_in_text(w):
    w.pat_writes_q2()
    # the Planning lead sees Planning's people, not Housing's
    names = [s.name for s in staff_store.list_staff(session=w.session, actor=w.lead_planning)]
    assert names == ["Lou"]
    with pytest.raises(PermissionDenied):
        objective_store.list_objectives(session=w.session, actor=w.lead_planning, staff_id=w.pat.id)
    # executives see every person and their objectives, read-only
    assert {s.name for s in staff_store.list_staff(session=w.session, actor=w.exec)} == {
        "Pat",
        "Kim",
        "Lou",
    }
    texts = [
        o.text
        for o in objective_store.list_objectives(session=w.session, actor=w.exec, staff_id=w.pat.id)
    ]
    assert texts == ["Cut the waiting list"]
    for actor in (w.exec, w.lead_planning):
        with pytest.raises(PermissionDenied):
            checkin_store.list_checkins(session=w.session, actor=actor, staff_id=w.pat.id)


def test_a_councillor_sees_nobody(w):
    assert staff_store.list_staff(session=w.session, actor=w.member) == []
    with pytest.raises(PermissionDenied):
        staff_store.get_staff(session=w.session, actor=w.member, staff_id=w.pat.id)


def test_admins_see_everything(w):
    w.pat_writes_q2()
    assert len(staff_store.list_staff(session=w.session, actor=w.admin)) == 3
    assert checkin_store.list_checkins(session=w.session, actor=w.admin, staff_id=w.pat.id)


def test_only_admins_add_and_change_staff_records(w):
    for actor in (w.manager, w.exec, w.pat_user, w.member):
        with pytest.raises(PermissionDenied):
            staff_store.update_staff(
                session=w.session, actor=actor, staff_id=w.pat.id, job_title="X"
            )
    changed = staff_store.update_staff(
        session=w.session, actor=w.admin, staff_id=w.pat.id, job_title="Senior Officer"
    )
    assert changed.job_title == "Senior Officer"
    assert _audit(w.session, "staff")[-1].before["job_title"] == "Officer"


def test_a_staff_record_names_what_is_wrong(w):
    with pytest.raises(ValueError, match="already Pat's"):
        staff_store.update_staff(
            session=w.session, actor=ADMIN, staff_id=w.kim.id, employee_ref="E-Pat"
        )
    with pytest.raises(ValueError, match="name"):
        staff_store.update_staff(session=w.session, actor=ADMIN, staff_id=w.kim.id, name="  ")
    with pytest.raises(ValueError, match="own line manager"):
        staff_store.update_staff(
            session=w.session, actor=ADMIN, staff_id=w.kim.id, line_manager_id=w.kim_user.id
        )


def test_a_leaving_date_marks_the_person_as_left(w):
    left = staff_store.update_staff(
        session=w.session, actor=ADMIN, staff_id=w.kim.id, left_on=date(2025, 8, 1)
    )
    assert left.active is False
    assert [s.name for s in staff_store.direct_reports(session=w.session, actor=w.manager)] == [
        "Pat"
    ]


def test_completion_figures_are_refused_to_staff_and_councillors(w):
    for actor in (w.pat_user, w.member):
        with pytest.raises(PermissionDenied, match="completion"):
            completion_store.completion_figures(
                session=w.session, actor=actor, quarters=[Q2], today=TODAY, close_days=30
            )


# --- transitions ------------------------------------------------------------------------


def test_submit_agree_and_the_audit_trail(w):
    checkin = w.pat_writes_q2()
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    checkin_store.save_checkin(
        session=w.session, actor=w.manager, checkin_id=checkin.id, manager_comment="Good"
    )
    agreed = checkin_store.agree_checkin(session=w.session, actor=w.manager, checkin_id=checkin.id)
    assert agreed.status == CheckinStatus.agreed
    assert agreed.agreed_by == w.manager.id and agreed.agreed_at is not None
    entries = [e for e in _audit(w.session, "checkin") if e.entity_id == str(checkin.id)]
    assert [e.action for e in entries] == ["create", "update", "update", "update", "update"]
    assert [e.username for e in entries] == ["pat", "pat", "pat", "mo", "mo"]
    assert entries[1].before["progress"] == {}
    assert entries[1].after["progress"] == {str(w.objective.id): ["at_risk", "Two vacancies"]}
    assert entries[-1].before["status"] == "submitted"
    assert entries[-1].after["status"] == "agreed"


def test_nobody_agrees_their_own_check_in_not_even_an_admin(w, session):
    admin_user = make_user(session, "admin2", Role.admin)
    staff = staff_store.create_staff(
        session=session,
        actor=ADMIN,
        staff=Staff(
            name="Admin Person",
            department_id=w.ids["Housing"],
            line_manager_id=w.exec.id,
            user_id=admin_user.id,
        ),
    )
    checkin = checkin_store.get_or_create_checkin(
        session=session, actor=admin_user, staff_id=staff.id, quarter="2025/26 Q2"
    )
    checkin_store.submit_checkin(session=session, actor=admin_user, checkin_id=checkin.id)
    with pytest.raises(PermissionDenied, match="cannot agree your own"):
        checkin_store.agree_checkin(session=session, actor=admin_user, checkin_id=checkin.id)


def test_another_staff_member_or_an_executive_cannot_agree(w):
    checkin = w.pat_writes_q2()
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    for actor in (w.kim_user, w.exec, w.lead_planning):
        with pytest.raises(PermissionDenied, match="Only the line manager"):
            checkin_store.agree_checkin(session=w.session, actor=actor, checkin_id=checkin.id)


def test_a_draft_cannot_be_agreed(w):
    checkin = w.pat_writes_q2()
    with pytest.raises(ValueError, match="Only a submitted check-in can be agreed"):
        checkin_store.agree_checkin(session=w.session, actor=w.manager, checkin_id=checkin.id)


def test_submitting_needs_progress_on_every_objective(w):
    checkin = checkin_store.get_or_create_checkin(
        session=w.session, actor=w.pat_user, staff_id=w.pat.id, quarter="2025/26 Q2"
    )
    with pytest.raises(ValueError, match="every objective.*Cut the waiting list"):
        checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)


def test_a_draft_may_leave_a_rating_unchosen_but_submitting_names_the_objective(w):
    checkin = checkin_store.get_or_create_checkin(
        session=w.session, actor=w.pat_user, staff_id=w.pat.id, quarter="2025/26 Q2"
    )
    checkin_store.save_checkin(
        session=w.session,
        actor=w.pat_user,
        checkin_id=checkin.id,
        progress={w.objective.id: (checkin_store.NOT_RATED, "Still deciding")},
    )
    assert checkin_store.checkin_progress(
        session=w.session, actor=w.pat_user, checkin_id=checkin.id
    ) == {w.objective.id: ("", "Still deciding")}
    with pytest.raises(ValueError) as refused:
        checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    assert str(refused.value) == (
        "Choose your progress on every objective before submitting. Not rated yet: "
        "“Cut the waiting list”."
    )
    assert w.session.get(Checkin, checkin.id).status == "draft"


def test_the_manager_cannot_submit_for_their_report(w):
    checkin = w.pat_writes_q2()
    with pytest.raises(PermissionDenied, match="submits their own"):
        checkin_store.submit_checkin(session=w.session, actor=w.manager, checkin_id=checkin.id)


def test_once_submitted_the_person_cannot_change_it(w):
    checkin = w.pat_writes_q2()
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    with pytest.raises(PermissionDenied, match="re-open"):
        checkin_store.save_checkin(
            session=w.session, actor=w.pat_user, checkin_id=checkin.id, development="More"
        )


def test_no_editing_after_agreement_without_re_opening_which_is_audited_with_its_reason(w):
    checkin = w.pat_writes_q2()
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    checkin_store.agree_checkin(session=w.session, actor=w.manager, checkin_id=checkin.id)
    for actor, field in ((w.pat_user, "development"), (w.manager, "manager_comment")):
        with pytest.raises(PermissionDenied, match="re-opened"):
            checkin_store.save_checkin(
                session=w.session, actor=actor, checkin_id=checkin.id, **{field: "Changed"}
            )
    with pytest.raises(ValueError, match="Say why"):
        checkin_store.reopen_checkin(
            session=w.session, actor=w.manager, checkin_id=checkin.id, reason=""
        )
    with pytest.raises(PermissionDenied):
        checkin_store.reopen_checkin(
            session=w.session, actor=w.pat_user, checkin_id=checkin.id, reason="Mine"
        )
    reopened = checkin_store.reopen_checkin(
        session=w.session, actor=w.manager, checkin_id=checkin.id, reason="Wrong quarter's figures"
    )
    assert reopened.status == CheckinStatus.draft and reopened.agreed_by is None
    assert _audit(w.session, "checkin")[-1].note == "re-opened: Wrong quarter's figures"
    checkin_store.save_checkin(
        session=w.session, actor=w.pat_user, checkin_id=checkin.id, development="Corrected"
    )
    assert w.session.get(Checkin, checkin.id).development == "Corrected"


def test_progress_must_be_a_known_rating_on_the_person_s_own_objective(w):
    checkin = w.pat_writes_q2()
    with pytest.raises(ValueError, match="on track, at risk, off track or completed"):
        checkin_store.save_checkin(
            session=w.session,
            actor=w.pat_user,
            checkin_id=checkin.id,
            progress={w.objective.id: ("great", "")},
        )
    with pytest.raises(ValueError, match="own objectives"):
        checkin_store.save_checkin(
            session=w.session,
            actor=w.pat_user,
            checkin_id=checkin.id,
            progress={999: ("on_track", "")},
        )


def test_a_quarter_that_is_not_a_quarter_is_refused_plainly(w):
    with pytest.raises(ValueError, match="Quarter"):
        checkin_store.get_or_create_checkin(
            session=w.session, actor=w.pat_user, staff_id=w.pat.id, quarter="next week"
        )


def test_editing_an_objective_needs_it_agreeing_again_and_the_person_cannot_agree_it(w):
    objective_store.agree_objective(session=w.session, actor=w.manager, objective_id=w.objective.id)
    assert w.objective.agreed_by == w.manager.id
    objective_store.update_objective(
        session=w.session,
        actor=w.pat_user,
        objective_id=w.objective.id,
        text="Cut the waiting list by 10%",
        measure_ids=[w.measure_id],
    )
    assert w.objective.agreed_by is None
    with pytest.raises(PermissionDenied, match="cannot agree your own objective"):
        objective_store.agree_objective(
            session=w.session, actor=w.pat_user, objective_id=w.objective.id
        )


def test_the_checkins_to_agree_are_the_manager_s_reports_submitted_ones(w):
    checkin = w.pat_writes_q2()
    assert checkin_store.checkins_to_agree(session=w.session, actor=w.manager) == []
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    rows = checkin_store.checkins_to_agree(session=w.session, actor=w.manager)
    assert [(s.name, c.quarter) for s, c in rows] == [("Pat", "2025/26 Q2")]
    assert checkin_store.checkins_to_agree(session=w.session, actor=w.exec) == []


# --- completion -----------------------------------------------------------------------


def test_completion_figures_worked_by_hand(w):
    # Q2: Pat submits then it is agreed; Kim writes a draft; Lou writes nothing.
    checkin = w.pat_writes_q2()
    checkin_store.submit_checkin(session=w.session, actor=w.pat_user, checkin_id=checkin.id)
    checkin_store.agree_checkin(session=w.session, actor=w.manager, checkin_id=checkin.id)
    checkin_store.get_or_create_checkin(
        session=w.session, actor=w.kim_user, staff_id=w.kim.id, quarter="2025/26 Q2"
    )
    rows = completion_store.completion_figures(
        session=w.session, actor=w.admin, quarters=[Q1, Q2], today=TODAY, close_days=30
    )
    assert [tuple(r) for r in rows] == [
        ("Housing", "2025/26 Q1", 2, 0, 0, 2),
        ("Housing", "2025/26 Q2", 2, 1, 1, 1),
        ("Planning", "2025/26 Q1", 1, 0, 0, 1),
        ("Planning", "2025/26 Q2", 1, 0, 0, 1),
    ]
    # a lead sees their departments only
    housing = completion_store.completion_figures(
        session=w.session, actor=w.manager, quarters=[Q2], today=TODAY, close_days=30
    )
    assert [tuple(r) for r in housing] == [("Housing", "2025/26 Q2", 2, 1, 1, 1)]
    # before the close date nothing is overdue
    early = completion_store.completion_figures(
        session=w.session, actor=w.exec, quarters=[Q2], today=date(2025, 10, 20), close_days=30
    )
    assert [r.overdue for r in early] == [0, 0]


def test_the_overdue_list_names_people_and_their_managers(w):
    w.pat_writes_q2()  # a draft is still overdue
    rows = completion_store.overdue_checkins(
        session=w.session,
        actor=w.manager,
        quarters=[Q2],
        today=TODAY,
        close_days=30,
        reports_only=True,
    )
    assert [(r.name, r.quarter, r.line_manager) for r in rows] == [
        ("Kim", "2025/26 Q2", "Mo"),
        ("Pat", "2025/26 Q2", "Mo"),
    ]
    everyone = completion_store.overdue_checkins(
        session=w.session, actor=w.exec, quarters=[Q2], today=TODAY, close_days=30
    )
    assert sorted(r.name for r in everyone) == ["Kim", "Lou", "Pat"]


# --- retention ------------------------------------------------------------------------


def test_leavers_check_ins_go_after_the_retention_period_one_audit_entry_each(w):
    checkin = w.pat_writes_q2()
    checkin_store.get_or_create_checkin(
        session=w.session, actor=w.pat_user, staff_id=w.pat.id, quarter="2025/26 Q1"
    )
    kim = checkin_store.get_or_create_checkin(
        session=w.session, actor=w.kim_user, staff_id=w.kim.id, quarter="2025/26 Q2"
    )
    staff_store.update_staff(
        session=w.session, actor=ADMIN, staff_id=w.pat.id, left_on=date(2025, 10, 1)
    )
    staff_store.update_staff(
        session=w.session, actor=ADMIN, staff_id=w.kim.id, left_on=date(2025, 10, 2)
    )
    with pytest.raises(PermissionDenied):
        retention_store.purge_leavers(
            session=w.session, actor=w.manager, today=TODAY, retention_days=0
        )
    # 44 days after Pat left and 43 after Kim: a 43-day period expires Pat's only
    gone = retention_store.purge_leavers(
        session=w.session, actor=Actor.system(), today=date(2025, 11, 14), retention_days=43
    )
    w.session.commit()
    assert gone == 2
    left = w.session.exec(select(Checkin)).all()
    assert [c.id for c in left] == [kim.id]
    assert (
        w.session.exec(
            select(CheckinProgress).where(CheckinProgress.checkin_id == checkin.id)
        ).all()
        == []
    )
    deletions = [e for e in _audit(w.session, "checkin") if e.action == "delete"]
    assert len(deletions) == 2
    assert all(
        e.username == "system" and "retention: Pat left on 2025-10-01" in e.note for e in deletions
    )
    assert {e.before["quarter"] for e in deletions} == {"2025/26 Q1", "2025/26 Q2"}


# --- golden thread ---------------------------------------------------------------------


def test_the_golden_thread_counts_for_everyone_and_names_holders_for_managers_and_above(w):
    for actor in (w.admin, w.exec, w.manager):
        thread = golden_thread.objectives_for_measure(w.session, actor, w.measure_id)
        assert (thread.objectives, thread.people) == (1, 1)
        assert [(h.name, h.objective) for h in thread.holders] == [("Pat", "Cut the waiting list")]
    # the Planning lead sees the count, but Pat is not theirs to name
    planning = golden_thread.objectives_for_measure(w.session, w.lead_planning, w.measure_id)
    assert (planning.objectives, planning.holders, planning.hidden) == (1, (), 1)
    for actor in (w.member, w.kim_user):
        thread = golden_thread.objectives_for_measure(w.session, actor, w.measure_id)
        assert (thread.objectives, thread.holders) == (1, None)


def test_the_golden_thread_for_an_action_and_a_year(w):
    thread = golden_thread.objectives_for_action(w.session, w.admin, 12345)
    assert (thread.objectives, thread.people, thread.holders) == (0, 0, ())
    other_year = golden_thread.objectives_for_measure(w.session, w.admin, w.measure_id, "2024/25")
    assert other_year.objectives == 0
