"""Check-in completion: `completion_figures`, `checkin_states`, `overdue_checkins`
(for leads, executives and admins; never the check-ins' text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from core.checkins import (
    CheckinState,
    Completion,
    Person,
    checkin_state,
    completion,
    in_post,
)
from core.periods import Period
from core.vocab import Role
from dashboard.store.checkins.access import require_see, staff_row
from dashboard.store.checkins.staff import direct_reports, list_staff
from dashboard.store.models import (
    Checkin,
    Department,
    Staff,
    User,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "OverdueCheckin",
    "checkin_states",
    "completion_figures",
    "overdue_checkins",
]


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
    staff = staff_row(session, staff_id)
    require_see(actor, staff)
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
