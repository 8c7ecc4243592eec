"""Who may see and change a member of staff's records (the rules are ``core.checkins``'):
`require_view` (check-in text), `require_see` (record, objectives, states), `staff_row`,
`party_of`.
"""

from __future__ import annotations

from sqlmodel import Session

from core.checkins import (
    Party,
    can_see_person,
    can_view_staff,
    is_own,
)
from dashboard.store.errors import NotFound
from dashboard.store.models import (
    Staff,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "party_of",
    "require_see",
    "require_view",
    "staff_row",
]


def require_view(actor: Actor, staff: Staff) -> None:
    if not can_view_staff(actor, staff):
        raise PermissionDenied("You can only see your own check-ins and your direct reports'.")


def require_see(actor: Actor, staff: Staff) -> None:
    if not can_see_person(actor, staff):
        raise PermissionDenied(
            "You can only see yourself, your direct reports and your departments."
        )


def staff_row(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise NotFound("No such member of staff.")
    return staff


def party_of(actor: Actor, staff: Staff) -> Party:
    """The role the actor plays on this person's check-in (admins act as the manager)."""
    if is_own(actor, staff):
        return Party.member_of_staff
    return Party.line_manager
