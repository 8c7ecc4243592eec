"""Staff records: `create_staff`, `update_staff` (any of `STAFF_FIELDS`; ``left_on``
marks a leaver), `get_staff`, `list_staff`, `staff_for_user`, `direct_reports`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from core.checkins import (
    can_see_person,
)
from dashboard.store import audit
from dashboard.store.checkins.access import require_see, staff_row
from dashboard.store.errors import Refused
from dashboard.store.models import (
    Department,
    Staff,
    User,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "STAFF_FIELDS",
    "create_staff",
    "direct_reports",
    "get_staff",
    "list_staff",
    "staff_for_user",
    "update_staff",
]


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
    return audit.add_audited(session, actor=actor, row=staff, entity="staff")


def update_staff(*, session: Session, actor: Actor, staff_id: int, **changes: Any) -> Staff:
    """Change a staff record (admins): any of `STAFF_FIELDS`. Setting ``left_on`` marks
    the person as left."""
    require_admin(actor, doing="change staff records")
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise Refused(f"Unknown staff field(s): {', '.join(sorted(unknown))}.")
    staff = staff_row(session, staff_id)
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
    )


def staff_for_user(*, session: Session, user_id: int) -> Staff | None:
    return session.exec(select(Staff).where(Staff.user_id == user_id)).first()


def get_staff(*, session: Session, actor: Actor, staff_id: int) -> Staff:
    """One person's record, if ``actor`` may see them."""
    staff = staff_row(session, staff_id)
    require_see(actor, staff)
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
