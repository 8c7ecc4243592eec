"""Staff records, objectives and quarterly check-ins, with who may see and change what.

Staff see and edit only their own check-ins; a line manager sees and agrees their direct
reports'; admins see all. Status moves ``draft`` -> ``submitted`` (by the member of staff)
-> ``agreed`` (by the manager, never by the person themselves).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from core.vocab import CheckinStatus, ObjectiveProgress, Role
from dashboard.store import audit
from dashboard.store.models import (
    Checkin,
    CheckinProgress,
    Objective,
    ObjectiveAction,
    ObjectiveMeasure,
    Staff,
    utcnow,
)
from dashboard.store.security import Actor, PermissionDenied, require_admin

__all__ = [
    "agree_checkin",
    "can_view_staff",
    "create_objective",
    "create_staff",
    "get_or_create_checkin",
    "list_checkins",
    "list_objectives",
    "reopen_checkin",
    "save_checkin",
    "staff_for_user",
    "submit_checkin",
]


def create_staff(*, session: Session, actor: Actor, staff: Staff) -> Staff:
    require_admin(actor, doing="add staff records")
    session.add(staff)
    session.flush()
    audit.record(session, actor=actor, action="create", entity="staff", entity_id=staff.id,
                 after=staff, bump=False)
    return staff


def staff_for_user(*, session: Session, user_id: int) -> Staff | None:
    return session.exec(select(Staff).where(Staff.user_id == user_id)).first()


def is_own(actor: Actor, staff: Staff) -> bool:
    return actor.id is not None and staff.user_id == actor.id


def is_manager(actor: Actor, staff: Staff) -> bool:
    return actor.id is not None and staff.line_manager_id == actor.id


def can_view_staff(actor: Actor, staff: Staff) -> bool:
    """May ``actor`` read this person's objectives and check-ins?"""
    return actor.is_admin or is_own(actor, staff) or is_manager(actor, staff)


def _require_view(actor: Actor, staff: Staff) -> None:
    if not can_view_staff(actor, staff):
        raise PermissionDenied("You can only see your own check-ins and your direct reports'.")


def create_objective(*, session: Session, actor: Actor, objective: Objective,
                     measure_ids: Sequence[int] = (), action_ids: Sequence[int] = ()) -> Objective:
    """Add an objective: the person themselves, their manager or an admin."""
    staff = session.get(Staff, objective.staff_id)
    if staff is None:
        raise LookupError("No such member of staff.")
    _require_view(actor, staff)
    if not objective.text.strip():
        raise ValueError("Write the objective.")
    session.add(objective)
    session.flush()
    assert objective.id is not None
    for measure_id in sorted(set(measure_ids)):
        session.add(ObjectiveMeasure(objective_id=objective.id, measure_id=measure_id))
    for action_id in sorted(set(action_ids)):
        session.add(ObjectiveAction(objective_id=objective.id, action_id=action_id))
    session.flush()
    after = audit.snapshot(objective) or {}
    after.update(measure_ids=sorted(set(measure_ids)), action_ids=sorted(set(action_ids)))
    audit.record(session, actor=actor, action="create", entity="objective",
                 entity_id=objective.id, after=after, bump=False)
    return objective


def list_objectives(*, session: Session, actor: Actor, staff_id: int,
                    financial_year: str | None = None) -> Sequence[Objective]:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise LookupError("No such member of staff.")
    _require_view(actor, staff)
    query = select(Objective).where(Objective.staff_id == staff_id)
    if financial_year:
        query = query.where(Objective.financial_year == financial_year)
    return session.exec(query.order_by(col(Objective.id))).all()


def get_or_create_checkin(*, session: Session, actor: Actor, staff_id: int,
                          quarter: str) -> Checkin:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise LookupError("No such member of staff.")
    _require_view(actor, staff)
    checkin = session.exec(
        select(Checkin).where(Checkin.staff_id == staff_id, Checkin.quarter == quarter)
    ).first()
    if checkin is None:
        if not (is_own(actor, staff) or actor.is_admin):
            raise PermissionDenied("Only the member of staff starts their own check-in.")
        checkin = Checkin(staff_id=staff_id, quarter=quarter)
        session.add(checkin)
        session.flush()
        audit.record(session, actor=actor, action="create", entity="checkin",
                     entity_id=checkin.id, after=checkin, bump=False)
    return checkin


def save_checkin(*, session: Session, actor: Actor, checkin_id: int,
                 progress: dict[int, tuple[str, str]] | None = None,
                 development: str | None = None, staff_comment: str | None = None,
                 manager_comment: str | None = None) -> Checkin:
    """Save a check-in's text. The person writes progress, development and their comment;
    their manager writes the manager's comment. Nothing changes once agreed."""
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise LookupError("No such check-in.")
    staff = session.get(Staff, checkin.staff_id)
    assert staff is not None
    _require_view(actor, staff)
    if checkin.status == CheckinStatus.agreed:
        raise PermissionDenied("This check-in is agreed: re-open it before changing it.")
    own_fields = progress is not None or development is not None or staff_comment is not None
    if own_fields and not is_own(actor, staff):
        raise PermissionDenied("Only the member of staff writes their own progress.")
    if manager_comment is not None and not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager writes the manager's comment.")
    before = audit.snapshot(checkin) or {}
    if progress:
        for objective_id, (rating, comment) in progress.items():
            ObjectiveProgress(rating)
            row = session.get(CheckinProgress, (checkin_id, objective_id))
            if row is None:
                row = CheckinProgress(checkin_id=checkin_id, objective_id=objective_id)
            row.progress = rating
            row.comment = comment
            session.add(row)
    if development is not None:
        checkin.development = development
    if staff_comment is not None:
        checkin.staff_comment = staff_comment
    if manager_comment is not None:
        checkin.manager_comment = manager_comment
    session.add(checkin)
    session.flush()
    after = audit.snapshot(checkin) or {}
    if progress:
        after["progress"] = {str(k): list(v) for k, v in progress.items()}
    audit.record(session, actor=actor, action="update", entity="checkin", entity_id=checkin_id,
                 before=before, after=after, bump=False)
    return checkin


def submit_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise LookupError("No such check-in.")
    staff = session.get(Staff, checkin.staff_id)
    assert staff is not None
    if not is_own(actor, staff):
        raise PermissionDenied("Only the member of staff submits their own check-in.")
    if checkin.status != CheckinStatus.draft:
        raise ValueError(f"This check-in is already {checkin.status}.")
    return _move(session, actor, checkin, CheckinStatus.submitted)


def agree_checkin(*, session: Session, actor: Actor, checkin_id: int) -> Checkin:
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise LookupError("No such check-in.")
    staff = session.get(Staff, checkin.staff_id)
    assert staff is not None
    if is_own(actor, staff):
        raise PermissionDenied("You cannot agree your own check-in.")
    if not (is_manager(actor, staff) or actor.role == Role.admin):
        raise PermissionDenied("Only the line manager agrees a check-in.")
    if checkin.status != CheckinStatus.submitted:
        raise ValueError("Only a submitted check-in can be agreed.")
    return _move(session, actor, checkin, CheckinStatus.agreed)


def reopen_checkin(*, session: Session, actor: Actor, checkin_id: int, reason: str) -> Checkin:
    checkin = session.get(Checkin, checkin_id)
    if checkin is None:
        raise LookupError("No such check-in.")
    staff = session.get(Staff, checkin.staff_id)
    assert staff is not None
    if not (is_manager(actor, staff) or actor.is_admin):
        raise PermissionDenied("Only the line manager or an admin re-opens a check-in.")
    if not reason.strip():
        raise ValueError("Say why the check-in is re-opened.")
    return _move(session, actor, checkin, CheckinStatus.draft, note=reason)


def _move(session: Session, actor: Actor, checkin: Checkin, status: CheckinStatus,
          note: str = "") -> Checkin:
    before = audit.snapshot(checkin)
    checkin.status = status
    now = utcnow()
    if status == CheckinStatus.submitted:
        checkin.submitted_at = now
    elif status == CheckinStatus.agreed:
        checkin.agreed_at = now
        checkin.agreed_by = actor.id
    else:
        checkin.agreed_at = None
        checkin.agreed_by = None
    session.add(checkin)
    session.flush()
    audit.record(session, actor=actor, action="update", entity="checkin", entity_id=checkin.id,
                 before=before, after=checkin, note=note or f"status {status}", bump=False)
    return checkin


def list_checkins(*, session: Session, actor: Actor, staff_id: int) -> Sequence[Checkin]:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise LookupError("No such member of staff.")
    _require_view(actor, staff)
    return session.exec(select(Checkin).where(Checkin.staff_id == staff_id)
                        .order_by(col(Checkin.quarter))).all()
