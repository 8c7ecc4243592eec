"""Staff records, objectives and quarterly check-ins, with who may see and change what.

- Staff see and edit only their own objectives and check-ins.
- A line manager sees and agrees their direct reports'.
- Leads see completion figures, people and objectives (never check-in text) for their
  departments; executives for every department; admins see everything.
- Status moves ``draft`` -> ``submitted`` (by the member of staff) -> ``agreed`` (by the
  manager, never by the person themselves); re-opening needs a reason. The rules are
  ``core.checkins``; every change is audited in the same transaction.
- Check-ins hold personal data: `purge_leavers` deletes a leaver's check-ins once the
  retention period has passed, one audit entry per deletion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from core.checkins import (
    CheckinState,
    Completion,
    Party,
    Person,
    can_edit,
    can_see_person,
    can_view_staff,
    checkin_state,
    completion,
    in_post,
    is_manager,
    is_own,
    retention_expired,
    transition,
)
from core.errors import CoreError
from core.periods import Period, parse_period
from core.vocab import CheckinStatus, Frequency, ObjectiveProgress, Role
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import (
    Action,
    Checkin,
    CheckinProgress,
    Department,
    Measure,
    Objective,
    ObjectiveAction,
    ObjectiveMeasure,
    Staff,
    User,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied, require_admin

__all__ = [
    "NOT_RATED",
    "STAFF_FIELDS",
    "GoldenThread",
    "Holder",
    "OverdueCheckin",
    "agree_checkin",
    "agree_objective",
    "checkin_progress",
    "checkin_states",
    "checkins_to_agree",
    "completion_figures",
    "create_objective",
    "create_staff",
    "direct_reports",
    "get_checkin",
    "get_or_create_checkin",
    "get_staff",
    "list_checkins",
    "list_objectives",
    "link_choices",
    "list_staff",
    "objective_links",
    "objectives_for_action",
    "objectives_for_measure",
    "overdue_checkins",
    "purge_leavers",
    "reopen_checkin",
    "save_checkin",
    "staff_for_user",
    "submit_checkin",
    "update_objective",
    "update_staff",
]

NOT_RATED = ""
"""A progress rating not chosen yet (a draft may be saved without one; submitting may not)."""

STAFF_FIELDS = (
    "name",
    "job_title",
    "department_id",
    "line_manager_id",
    "user_id",
    "email",
    "employee_ref",
    "active",
    "left_on",
)


# --- who may see what (the rules are core.checkins') ------------------------------------


def _require_view(actor: Actor, staff: Staff) -> None:
    if not can_view_staff(actor, staff):
        raise PermissionDenied("You can only see your own check-ins and your direct reports'.")


def _require_see(actor: Actor, staff: Staff) -> None:
    if not can_see_person(actor, staff):
        raise PermissionDenied(
            "You can only see yourself, your direct reports and your departments."
        )


def _staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("No such member of staff.")
    return staff


def _party(actor: Actor, staff: Staff) -> Party:
    """The role the actor plays on this person's check-in (admins act as the manager)."""
    if is_own(actor, staff):
        return Party.member_of_staff
    return Party.line_manager


# --- staff records -------------------------------------------------------------------


def _validate_staff(session: Session, staff: Staff) -> None:
    if not (staff.name or "").strip():
        raise Refused("Give the person's name.")
    staff.name = staff.name.strip()
    if session.get(Department, staff.department_id) is None:
        raise Refused("Choose a department that exists.")
    if staff.line_manager_id is not None:
        manager = session.get(User, staff.line_manager_id)
        if manager is None:
            raise Refused("The line manager must be a user of the system.")
        if staff.user_id is not None and manager.id == staff.user_id:
            raise Refused("Nobody can be their own line manager.")
    if staff.email and "@" not in staff.email:
        raise Refused(f"'{staff.email}' is not an email address.")
    if staff.left_on is not None:
        staff.active = False
    ref = (staff.employee_ref or "").strip() or None
    staff.employee_ref = ref
    if ref is not None:
        other = session.exec(select(Staff).where(Staff.employee_ref == ref)).first()
        if other is not None and other.id != staff.id:
            raise Refused(f"Employee reference {ref} is already {other.name}'s.")
    if staff.user_id is not None:
        other = session.exec(select(Staff).where(Staff.user_id == staff.user_id)).first()
        if other is not None and other.id != staff.id:
            raise Refused(f"That user account is already linked to {other.name}.")


def create_staff(*, session: Session, actor: Actor, staff: Staff) -> Staff:
    """Add a staff record (admins)."""
    require_admin(actor, doing="add staff records")
    with session.no_autoflush:
        _validate_staff(session, staff)
    session.add(staff)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="staff",
        entity_id=staff.id,
        after=staff,
        bump=False,
    )
    return staff


def update_staff(*, session: Session, actor: Actor, staff_id: int, **changes: Any) -> Staff:
    """Change a staff record (admins): any of `STAFF_FIELDS`. Setting ``left_on`` marks
    the person as left."""
    require_admin(actor, doing="change staff records")
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise Refused(f"Unknown staff field(s): {', '.join(sorted(unknown))}.")
    staff = _staff(session, staff_id)
    candidate = Staff.model_validate({**staff.model_dump(), **changes})
    if changes.get("active") and "left_on" not in changes:
        candidate.left_on = None
    with session.no_autoflush:
        _validate_staff(session, candidate)
    return audit.apply_audited(
        session,
        actor=actor,
        row=staff,
        patch={name: getattr(candidate, name) for name in STAFF_FIELDS},
        entity="staff",
        entity_id=staff.id,
        bump=False,
    )


def staff_for_user(*, session: Session, user_id: int) -> Staff | None:
    return session.exec(select(Staff).where(Staff.user_id == user_id)).first()


def get_staff(*, session: Session, actor: Actor, staff_id: int) -> Staff:
    """One person's record, if ``actor`` may see them."""
    staff = _staff(session, staff_id)
    _require_see(actor, staff)
    return staff


def list_staff(*, session: Session, actor: Actor, include_left: bool = False) -> Sequence[Staff]:
    """The people ``actor`` may see, by department then name: admins and executives
    everyone; leads their departments and direct reports; anyone else themselves and
    their direct reports."""
    query = select(Staff)
    if not include_left:
        query = query.where(col(Staff.active).is_(True))
    people = session.exec(query.order_by(col(Staff.department_id), col(Staff.name))).all()
    return [s for s in people if can_see_person(actor, s)]


def direct_reports(
    *, session: Session, actor: Actor, include_left: bool = False
) -> Sequence[Staff]:
    """The people whose line manager is ``actor``."""
    if actor.id is None:
        return []
    query = select(Staff).where(Staff.line_manager_id == actor.id)
    if not include_left:
        query = query.where(col(Staff.active).is_(True))
    return session.exec(query.order_by(col(Staff.name))).all()


# --- objectives ------------------------------------------------------------------------


def _check_objective(objective: Objective) -> None:
    if not (objective.text or "").strip():
        raise Refused("Write the objective.")
    objective.text = objective.text.strip()
    try:
        parse_period(objective.financial_year, Frequency.annual)
    except CoreError as exc:
        raise Refused(f"Financial year: {exc}") from None


def _check_links(session: Session, measure_ids: Sequence[int], action_ids: Sequence[int]) -> None:
    for measure_id in set(measure_ids):
        if session.get(Measure, measure_id) is None:
            raise Refused(f"There is no measure with id {measure_id}.")
    for action_id in set(action_ids):
        if session.get(Action, action_id) is None:
            raise Refused(f"There is no action with id {action_id}.")


def _set_links(
    session: Session, objective_id: int, measure_ids: Sequence[int], action_ids: Sequence[int]
) -> None:
    session.exec(delete(ObjectiveMeasure).where(col(ObjectiveMeasure.objective_id) == objective_id))
    session.exec(delete(ObjectiveAction).where(col(ObjectiveAction.objective_id) == objective_id))
    for measure_id in sorted(set(measure_ids)):
        session.add(ObjectiveMeasure(objective_id=objective_id, measure_id=measure_id))
    for action_id in sorted(set(action_ids)):
        session.add(ObjectiveAction(objective_id=objective_id, action_id=action_id))
    session.flush()


def create_objective(
    *,
    session: Session,
    actor: Actor,
    objective: Objective,
    measure_ids: Sequence[int] = (),
    action_ids: Sequence[int] = (),
) -> Objective:
    """Add an objective: the person themselves, their manager or an admin."""
    staff = _staff(session, objective.staff_id)
    _require_view(actor, staff)
    _check_objective(objective)
    _check_links(session, measure_ids, action_ids)
    objective.agreed_by = None
    objective.agreed_at = None
    session.add(objective)
    session.flush()
    assert objective.id is not None
    _set_links(session, objective.id, measure_ids, action_ids)
    after = audit.snapshot(objective) or {}
    after.update(measure_ids=sorted(set(measure_ids)), action_ids=sorted(set(action_ids)))
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="objective",
        entity_id=objective.id,
        after=after,
        bump=False,
    )
    return objective


def objective_links(*, session: Session, objective_id: int) -> tuple[list[int], list[int]]:
    """The measure ids and action ids an objective is linked to."""
    measures = session.exec(
        select(ObjectiveMeasure.measure_id).where(ObjectiveMeasure.objective_id == objective_id)
    ).all()
    actions = session.exec(
        select(ObjectiveAction.action_id).where(ObjectiveAction.objective_id == objective_id)
    ).all()
    return sorted(measures), sorted(actions)


def update_objective(
    *,
    session: Session,
    actor: Actor,
    objective_id: int,
    text: str,
    success_measure: str = "",
    due_date: date | None = None,
    measure_ids: Sequence[int] = (),
    action_ids: Sequence[int] = (),
) -> Objective:
    """Change an objective (the person, their manager or an admin). A change by anyone
    but the line manager needs the objective agreeing again."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound("No such objective.")
    staff = _staff(session, objective.staff_id)
    _require_view(actor, staff)
    before = audit.snapshot(objective) or {}
    old_measures, old_actions = objective_links(session=session, objective_id=objective_id)
    before.update(measure_ids=old_measures, action_ids=old_actions)
    _check_links(session, measure_ids, action_ids)
    objective.text = text
    objective.success_measure = success_measure.strip()
    objective.due_date = due_date
    _check_objective(objective)
    changed = (
        before.get("text") != objective.text
        or before.get("success_measure") != objective.success_measure
        or before.get("due_date") != (due_date.isoformat() if due_date else None)
        or old_measures != sorted(set(measure_ids))
        or old_actions != sorted(set(action_ids))
    )
    if changed and not is_manager(actor, staff):
        objective.agreed_by = None
        objective.agreed_at = None
    session.add(objective)
    _set_links(session, objective_id, measure_ids, action_ids)
    after = audit.snapshot(objective) or {}
    after.update(measure_ids=sorted(set(measure_ids)), action_ids=sorted(set(action_ids)))
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="objective",
        entity_id=objective_id,
        before=before,
        after=after,
        bump=False,
    )
    return objective


def agree_objective(*, session: Session, actor: Actor, objective_id: int) -> Objective:
    """The line manager (or an admin) agrees an objective; never the person themselves."""
    objective = session.get(Objective, objective_id)
    if objective is None:
        raise NotFound("No such objective.")
    staff = _staff(session, objective.staff_id)
    if is_own(actor, staff):
        raise PermissionDenied("You cannot agree your own objective.")
    if not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager agrees an objective.")
    return audit.apply_audited(
        session,
        actor=actor,
        row=objective,
        patch={"agreed_by": actor.id, "agreed_at": utcnow()},
        entity="objective",
        entity_id=objective_id,
        note="objective agreed",
        bump=False,
    )


def list_objectives(
    *, session: Session, actor: Actor, staff_id: int, financial_year: str | None = None
) -> Sequence[Objective]:
    """A person's objectives (read-only for leads of their department and executives)."""
    staff = _staff(session, staff_id)
    _require_see(actor, staff)
    query = select(Objective).where(Objective.staff_id == staff_id)
    if financial_year:
        query = query.where(Objective.financial_year == financial_year)
    return session.exec(query.order_by(col(Objective.id))).all()


# --- check-ins -------------------------------------------------------------------------


def _quarter(label: str) -> Period:
    try:
        return parse_period(label, Frequency.quarterly)
    except CoreError as exc:
        raise Refused(f"Quarter: {exc}") from None


def get_checkin(*, session: Session, actor: Actor, staff_id: int, quarter: str) -> Checkin | None:
    """The person's check-in for ``quarter`` if one has been started."""
    staff = _staff(session, staff_id)
    _require_view(actor, staff)
    label = _quarter(quarter).label
    return session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id, Checkin.quarter == label)
    ).first()


def get_or_create_checkin(
    *, session: Session, actor: Actor, staff_id: int, quarter: str
) -> Checkin:
    staff = _staff(session, staff_id)
    _require_view(actor, staff)
    label = _quarter(quarter).label
    checkin = session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id, Checkin.quarter == label)
    ).first()
    if checkin is None:
        if not (is_own(actor, staff) or actor.is_admin):
            raise PermissionDenied("Only the member of staff starts their own check-in.")
        checkin = Checkin(staff_id=staff_id, quarter=label)
        session.add(checkin)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="create",
            entity="checkin",
            entity_id=checkin.id,
            after=checkin,
            bump=False,
        )
    return checkin


def checkin_progress(
    *, session: Session, actor: Actor, checkin_id: int
) -> dict[int, tuple[str, str]]:
    """Progress per objective id: (rating, comment); the rating is `NOT_RATED` when the
    person has not chosen one yet."""
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    _require_view(actor, _staff(session, checkin.staff_id))
    rows = session.exec(
        select(CheckinProgress).where(CheckinProgress.checkin_id == checkin_id)
    ).all()
    return {r.objective_id: (r.progress, r.comment) for r in rows}


def save_checkin(
    *,
    session: Session,
    actor: Actor,
    checkin_id: int,
    progress: dict[int, tuple[str, str]] | None = None,
    development: str | None = None,
    staff_comment: str | None = None,
    manager_comment: str | None = None,
) -> Checkin:
    """Save a check-in's text. The person writes progress, development and their comment
    while it is a draft; their manager writes the manager's comment until it is agreed.
    Nothing changes once agreed without re-opening it."""
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    staff = _staff(session, checkin.staff_id)
    _require_view(actor, staff)
    if checkin.status == CheckinStatus.agreed:
        raise PermissionDenied("This check-in is agreed: it must be re-opened before it changes.")
    own_fields = progress is not None or development is not None or staff_comment is not None
    if own_fields:
        if not is_own(actor, staff):
            raise PermissionDenied("Only the member of staff writes their own progress.")
        if not can_edit(checkin.status, Party.member_of_staff):
            raise PermissionDenied(
                "This check-in is submitted: your manager can re-open it if it needs changing."
            )
    if manager_comment is not None and not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager writes the manager's comment.")
    before = audit.snapshot(checkin) or {}
    if progress:
        objective_ids = set(
            session.exec(select(Objective.id).where(Objective.staff_id == staff.id)).all()
        )
        before["progress"] = {
            str(k): list(v)
            for k, v in checkin_progress(
                session=session, actor=actor, checkin_id=checkin_id
            ).items()
        }
        for objective_id, (rating, comment) in progress.items():
            if objective_id not in objective_ids:
                raise Refused("Progress can only be given on the person's own objectives.")
            try:
                if rating != NOT_RATED:
                    ObjectiveProgress(rating)
            except ValueError:
                raise Refused(
                    f"Progress must be on track, at risk, off track or completed, not {rating!r}."
                ) from None
            row = session.get(CheckinProgress, (checkin_id, objective_id))
            if row is None:
                row = CheckinProgress(checkin_id=checkin_id, objective_id=objective_id)
            row.progress = rating
            row.comment = comment.strip()
            session.add(row)
    if development is not None:
        checkin.development = development.strip()
    if staff_comment is not None:
        checkin.staff_comment = staff_comment.strip()
    if manager_comment is not None:
        checkin.manager_comment = manager_comment.strip()
    session.add(checkin)
    session.flush()
    after = audit.snapshot(checkin) or {}
    if progress:
        after["progress"] = {str(k): list(v) for k, v in progress.items()}
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="checkin",
        entity_id=checkin_id,
        before=before,
        after=after,
        bump=False,
    )
    return checkin


def _load(session: Session, checkin_id: int) -> tuple[Checkin, Staff]:
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise NotFound("No such check-in.")
    return checkin, _staff(session, checkin.staff_id)


def submit_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    """The member of staff submits their draft; every objective of the quarter's year
    needs a progress rating they chose first (the refusal names the ones without)."""
    checkin, staff = _load(session, checkin_id)
    if not is_own(actor, staff):
        raise PermissionDenied("Only the member of staff submits their own check-in.")
    try:
        transition(checkin.status, CheckinStatus.submitted, Party.member_of_staff)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    year = _quarter(checkin.quarter).financial_year
    objectives = session.exec(
        select(Objective).where(Objective.staff_id == staff.id, Objective.financial_year == year)
    ).all()
    rated = checkin_progress(session=session, actor=actor, checkin_id=checkin_id)
    missing = [o.text for o in objectives if rated.get(o.id or -1, (NOT_RATED, ""))[0] == NOT_RATED]
    if missing:
        raise Refused(
            "Choose your progress on every objective before submitting. Not rated yet: "
            + "; ".join(f"“{text}”" for text in missing)
            + "."
        )
    return _move(session, actor, checkin, CheckinStatus.submitted)


def agree_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    """The line manager (or an admin) agrees a submitted check-in; never your own."""
    checkin, staff = _load(session, checkin_id)
    if is_own(actor, staff):
        raise PermissionDenied("You cannot agree your own check-in.")
    if not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager agrees a check-in.")
    try:
        transition(checkin.status, CheckinStatus.agreed, Party.line_manager)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    return _move(session, actor, checkin, CheckinStatus.agreed)


def reopen_checkin(*, session: Session, actor: Actor, checkin_id: int, reason: str) -> Checkin:
    """The line manager (or an admin) sends a submitted or agreed check-in back to draft,
    saying why (the reason is kept in the audit log)."""
    checkin, staff = _load(session, checkin_id)
    if is_own(actor, staff) or not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager or an admin re-opens a check-in.")
    try:
        transition(checkin.status, CheckinStatus.draft, Party.line_manager, reason=reason)
    except CoreError as exc:
        raise Refused(str(exc)) from None
    return _move(session, actor, checkin, CheckinStatus.draft, note=f"re-opened: {reason.strip()}")


def _move(
    session: Session, actor: Actor, checkin: Checkin, status: CheckinStatus, note: str = ""
) -> Checkin:
    before = audit.snapshot(checkin)
    checkin.status = status
    now = utcnow()
    if status == CheckinStatus.submitted:
        checkin.submitted_at = now
    elif status == CheckinStatus.agreed:
        checkin.agreed_at = now
        checkin.agreed_by = actor.id
    else:
        checkin.submitted_at = None
        checkin.agreed_at = None
        checkin.agreed_by = None
    session.add(checkin)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="checkin",
        entity_id=checkin.id,
        before=before,
        after=checkin,
        note=note or f"status {status}",
        bump=False,
    )
    return checkin


def list_checkins(*, session: Session, actor: Actor, staff_id: int) -> Sequence[Checkin]:
    staff = _staff(session, staff_id)
    _require_view(actor, staff)
    return session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id).order_by(col(Checkin.quarter))
    ).all()


def checkins_to_agree(*, session: Session, actor: Actor) -> list[tuple[Staff, Checkin]]:
    """Submitted check-ins of the actor's direct reports, oldest quarter first."""
    reports = {s.id: s for s in direct_reports(session=session, actor=actor)}
    if not reports:
        return []
    rows = session.exec(
        select(Checkin)
        .where(col(Checkin.staff_id).in_(list(reports)))
        .where(Checkin.status == CheckinStatus.submitted)
        .order_by(col(Checkin.quarter), col(Checkin.staff_id))
    ).all()
    return [(reports[c.staff_id], c) for c in rows]


# --- completion -----------------------------------------------------------------------


def _department_scope(actor: Actor) -> frozenset[int] | None:
    """The departments whose completion ``actor`` may see; None: all."""
    if actor.is_admin or actor.role == Role.executive:
        return None
    if actor.role == Role.lead:
        return actor.department_ids
    raise PermissionDenied(f"Your role ({actor.role}) cannot see check-in completion figures.")


def _statuses(
    session: Session, staff_ids: Iterable[int], labels: Iterable[str]
) -> dict[tuple[int, str], str]:
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Checkin.staff_id, Checkin.quarter, Checkin.status)
        .where(col(Checkin.staff_id).in_(ids))
        .where(col(Checkin.quarter).in_(list(labels)))
    ).all()
    return {(sid, q): status for sid, q, status in rows}


def completion_figures(
    *,
    session: Session,
    actor: Actor,
    quarters: Sequence[Period],
    today: date,
    close_days: int,
) -> tuple[Completion, ...]:
    """Due, submitted, agreed and overdue per department and quarter: leads for their
    departments, executives and admins for all; anyone else is refused."""
    scope = _department_scope(actor)
    names = {d.id: d.name for d in session.exec(select(Department)).all()}
    query = select(Staff)
    if scope is not None:
        query = query.where(col(Staff.department_id).in_(list(scope)))
    people = session.exec(query).all()
    persons = [
        Person(s.id, names.get(s.department_id, "?"), s.left_on, s.active)
        for s in people
        if s.id is not None
    ]
    statuses = _statuses(session, (p.staff_id for p in persons), (q.label for q in quarters))
    return completion(persons, statuses, quarters, today=today, close_days=close_days)


def checkin_states(
    *,
    session: Session,
    actor: Actor,
    staff_id: int,
    quarters: Sequence[Period],
    today: date,
    close_days: int,
) -> dict[str, CheckinState]:
    """A person's check-in state per quarter they were in post for (no text: leads of
    their department and executives may see these)."""
    staff = _staff(session, staff_id)
    _require_see(actor, staff)
    statuses = _statuses(session, [staff_id], (q.label for q in quarters))
    return {
        q.label: checkin_state(q, statuses.get((staff_id, q.label)), today, close_days)
        for q in sorted(quarters)
        if in_post(q, left_on=staff.left_on, active=staff.active)
    }


@dataclass(frozen=True)
class OverdueCheckin:
    staff_id: int
    name: str
    department: str
    line_manager: str
    quarter: str
    state: CheckinState


def overdue_checkins(
    *,
    session: Session,
    actor: Actor,
    quarters: Sequence[Period],
    today: date,
    close_days: int,
    reports_only: bool = False,
) -> list[OverdueCheckin]:
    """Overdue check-ins (not submitted by the close date) of the people ``actor`` may
    see (``reports_only``: just their direct reports), by quarter then name."""
    if reports_only:
        people: Sequence[Staff] = direct_reports(session=session, actor=actor)
    else:
        people = list_staff(session=session, actor=actor)
    names = {d.id: d.name for d in session.exec(select(Department)).all()}
    managers = {u.id: u.name for u in session.exec(select(User)).all()}
    statuses = _statuses(
        session, (s.id for s in people if s.id is not None), (q.label for q in quarters)
    )
    rows: list[OverdueCheckin] = []
    for quarter in sorted(quarters):
        for s in people:
            assert s.id is not None
            if not in_post(quarter, left_on=s.left_on, active=s.active):
                continue
            state = checkin_state(quarter, statuses.get((s.id, quarter.label)), today, close_days)
            if state is CheckinState.overdue:
                rows.append(
                    OverdueCheckin(
                        s.id,
                        s.name,
                        names.get(s.department_id, "?"),
                        managers.get(s.line_manager_id, "") if s.line_manager_id else "",
                        quarter.label,
                        state,
                    )
                )
    return rows


# --- retention -------------------------------------------------------------------------


def purge_leavers(*, session: Session, actor: Actor, today: date, retention_days: int) -> int:
    """Delete the check-ins of people who left more than ``retention_days`` ago (admins
    or the system). One audit entry per deleted check-in. Returns how many went."""
    require_admin(actor, doing="delete leavers' check-ins")
    leavers = session.exec(select(Staff).where(col(Staff.left_on).is_not(None))).all()
    deleted = 0
    for staff in leavers:
        if not retention_expired(staff.left_on, today, retention_days):
            continue
        for checkin in session.exec(select(Checkin).where(Checkin.staff_id == staff.id)).all():
            before = audit.snapshot(checkin) or {}
            session.exec(
                delete(CheckinProgress).where(col(CheckinProgress.checkin_id) == checkin.id)
            )
            session.delete(checkin)
            audit.record(
                session,
                actor=actor,
                action="delete",
                entity="checkin",
                entity_id=checkin.id,
                before=before,
                note=(
                    f"retention: {staff.name} left on {staff.left_on}; kept {retention_days} days"
                ),
                bump=False,
            )
            deleted += 1
    session.flush()
    return deleted


# --- the golden thread ------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    staff_id: int
    name: str
    job_title: str
    department: str
    objective: str


@dataclass(frozen=True)
class GoldenThread:
    """How many objectives are linked to a measure or action, and (for those who may
    see them) who holds them. ``holders`` is None when the actor sees the count only;
    ``hidden`` counts holders the actor may not see."""

    objectives: int
    people: int
    holders: tuple[Holder, ...] | None
    hidden: int = 0


def _manager_or_above(actor: Actor) -> bool:
    return actor.role in (Role.admin, Role.executive, Role.lead)


def _thread(
    session: Session, actor: Actor, objective_ids: Sequence[int], financial_year: str | None
) -> GoldenThread:
    if not objective_ids:
        return GoldenThread(0, 0, () if _manager_or_above(actor) else None)
    query = select(Objective, Staff).join(Staff, col(Staff.id) == col(Objective.staff_id))
    query = query.where(col(Objective.id).in_(list(objective_ids)))
    query = query.where(col(Staff.active).is_(True))
    if financial_year:
        query = query.where(Objective.financial_year == financial_year)
    rows = session.exec(query.order_by(col(Staff.name), col(Objective.id))).all()
    people = {s.id for _o, s in rows}
    is_a_manager = bool(direct_reports(session=session, actor=actor))
    if not (_manager_or_above(actor) or is_a_manager):
        return GoldenThread(len(rows), len(people), None)
    names = {d.id: d.name for d in session.exec(select(Department)).all()}
    holders = tuple(
        Holder(s.id or 0, s.name, s.job_title, names.get(s.department_id, "?"), o.text)
        for o, s in rows
        if can_see_person(actor, s)
    )
    return GoldenThread(len(rows), len(people), holders, len(rows) - len(holders))


def objectives_for_measure(
    session: Session, actor: Actor, measure_id: int, financial_year: str | None = None
) -> GoldenThread:
    """The objectives linked to a measure (of ``financial_year``, or any), with holders
    for managers and above (leads: their departments' people and direct reports)."""
    ids = session.exec(
        select(ObjectiveMeasure.objective_id).where(ObjectiveMeasure.measure_id == measure_id)
    ).all()
    return _thread(session, actor, list(ids), financial_year)


def objectives_for_action(
    session: Session, actor: Actor, action_id: int, financial_year: str | None = None
) -> GoldenThread:
    """The objectives linked to a delivery-plan action, as `objectives_for_measure`."""
    ids = session.exec(
        select(ObjectiveAction.objective_id).where(ObjectiveAction.action_id == action_id)
    ).all()
    return _thread(session, actor, list(ids), financial_year)


def link_choices(*, session: Session) -> tuple[dict[int, str], dict[int, str]]:
    """What an objective can be linked to: active measures and open actions, as
    ``{id: "CODE name"}``, by code."""
    measures = session.exec(
        select(Measure).where(Measure.lifecycle == "active").order_by(col(Measure.code))
    ).all()
    actions = session.exec(
        select(Action).where(col(Action.closed).is_(False)).order_by(col(Action.code))
    ).all()
    return (
        {m.id: f"{m.code} {m.name}" for m in measures if m.id is not None},
        {a.id: f"{a.code} {a.title}" for a in actions if a.id is not None},
    )
