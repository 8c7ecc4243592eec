"""Which leavers still have check-ins: the reads behind the retention purge.

- `leavers_with_checkins(session=)`: ``(staff, check-in count)`` for each leaver with at
  least one check-in, by left date then name.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from dashboard.store.models import Checkin, Staff

__all__ = ["leavers_with_checkins"]


def leavers_with_checkins(*, session: Session) -> list[tuple[Staff, int]]:
    counts = dict(
        session.exec(
            select(Checkin.staff_id, func.count(col(Checkin.id))).group_by(col(Checkin.staff_id))
        ).all()
    )
    leavers = session.exec(
        select(Staff)
        .where(col(Staff.left_on).is_not(None))
        .order_by(col(Staff.left_on), col(Staff.name))
    ).all()
    return [(s, int(counts[s.id])) for s in leavers if s.id is not None and counts.get(s.id)]
