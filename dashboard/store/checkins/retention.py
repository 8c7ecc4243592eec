"""Retention of personal data: `purge_leavers` deletes a leaver's check-ins once the
retention period has passed, one audit entry per deletion.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, delete, select

from core.checkins import (
    retention_expired,
)
from dashboard.store import audit
from dashboard.store.models import (
    Checkin,
    CheckinProgress,
    Staff,
)
from dashboard.store.security import Actor, require_admin

__all__ = [
    "purge_leavers",
]


def purge_leavers(*, session: Session, actor: Actor, today: date, retention_days: int) -> int:
    """Delete the check-ins of people who left more than ``retention_days`` ago (admins
    or the system). One audit entry per deleted check-in; the data version moves on once
    for the lot. Returns how many went."""
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
    if deleted:
        audit.bump_data_version(session)
    session.flush()
    return deleted
