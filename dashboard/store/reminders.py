"""The store's side of reminders: who and what is owed (as `core.obligations` inputs),
the reminder log, and a person's digest preference.

- `people(session=)`, `measures_due(session=)`, `actions_due(session=)`,
  `staff_due(session=)`: the plain inputs of
  `core.obligations.obligations`.
- `already_sent`, `sent_today`, `recent_log`: the log `dashboard.reminders.send` adds to.
- `set_digest_opt_out(session=, actor=, user_id=, opt_out=, allow_opt_out=)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.obligations import ActionDue, MeasureDue, Person, StaffDue, Stage
from core.vocab import CheckinStatus, Frequency, Lifecycle, ObservationStatus, Role
from dashboard.store import audit
from dashboard.store.errors import NotFound
from dashboard.store.models import (
    Action,
    ActionProgress,
    Checkin,
    Measure,
    Observation,
    ReminderSent,
    Staff,
    User,
    UserDepartment,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "actions_due",
    "already_sent",
    "claim_reminder",
    "measures_due",
    "people",
    "recent_log",
    "sent_today",
    "set_digest_opt_out",
    "staff_due",
]

SUBMITTED = (ObservationStatus.submitted.value, ObservationStatus.approved.value)


def people(*, session: Session) -> tuple[tuple[Person, ...], dict[int, User]]:
    users = {u.id: u for u in session.exec(select(User)).all() if u.id is not None}
    depts: dict[int, set[int]] = defaultdict(set)
    for user_id, dept_id in session.exec(
        select(UserDepartment.user_id, UserDepartment.department_id)
    ).all():
        depts[user_id].add(dept_id)
    staff_manager = {
        s.user_id: s.line_manager_id
        for s in session.exec(select(Staff).where(col(Staff.user_id).is_not(None))).all()
    }
    everyone = tuple(
        Person(
            id=uid,
            name=u.name,
            role=Role(u.role),
            department_ids=frozenset(depts.get(uid, ())),
            line_manager_id=u.line_manager_id or staff_manager.get(uid),
            active=u.active,
            opted_out=u.digest_opt_out,
        )
        for uid, u in sorted(users.items())
    )
    return everyone, users


def measures_due(*, session: Session) -> list[MeasureDue]:
    measures = session.exec(select(Measure).where(Measure.lifecycle == Lifecycle.active)).all()
    submitted: dict[int, set[str]] = defaultdict(set)
    for measure_id, period in session.exec(
        select(Observation.measure_id, Observation.period).where(
            col(Observation.status).in_(SUBMITTED)
        )
    ).all():
        submitted[measure_id].add(period)
    return [
        MeasureDue(
            code=m.code,
            name=m.name,
            frequency=Frequency(m.frequency),
            department_id=m.department_id,
            due_from=m.due_from,
            submitted=frozenset(submitted.get(m.id or -1, ())),
        )
        for m in measures
    ]


def actions_due(*, session: Session) -> list[ActionDue]:
    last = dict(
        session.exec(
            select(ActionProgress.action_id, func.max(ActionProgress.update_date)).group_by(
                col(ActionProgress.action_id)
            )
        ).all()
    )
    return [
        ActionDue(
            code=a.code,
            title=a.title,
            department_id=a.department_id,
            started=a.start_date or a.created_at.date(),
            last_update=last.get(a.id) if a.id is not None else None,
            status=a.status,
            closed=a.closed,
            added_on=a.created_at.date(),
        )
        for a in session.exec(select(Action)).all()
    ]


def staff_due(*, session: Session) -> list[StaffDue]:
    checkins: dict[int, dict[str, CheckinStatus]] = defaultdict(dict)
    for staff_id, quarter, status in session.exec(
        select(Checkin.staff_id, Checkin.quarter, Checkin.status)
    ).all():
        checkins[staff_id][quarter] = CheckinStatus(status)
    return [
        StaffDue(
            id=s.id,
            name=s.name,
            user_id=s.user_id,
            line_manager_id=s.line_manager_id,
            checkins=checkins.get(s.id, {}),
            active=s.active and s.left_on is None,
        )
        for s in session.exec(select(Staff)).all()
        if s.id is not None
    ]


def already_sent(*, session: Session) -> set[tuple[int, str, Stage]]:
    """``(recipient, item key, stage)`` for every item in every digest sent so far."""
    sent: set[tuple[int, str, Stage]] = set()
    for user_id, items in session.exec(select(ReminderSent.user_id, ReminderSent.items)).all():
        for item in items or []:
            try:
                sent.add((user_id, str(item["key"]), Stage(item["stage"])))
            except (KeyError, ValueError, TypeError):
                continue
    return sent


def sent_today(*, session: Session, today: date) -> set[int]:
    """The people who already had their digest on ``today``."""
    return set(
        session.exec(select(ReminderSent.user_id).where(ReminderSent.sent_on == today)).all()
    )


def recent_log(*, session: Session, limit: int = 200) -> Sequence[ReminderSent]:
    """The reminders sent, newest first."""
    return session.exec(
        select(ReminderSent)
        .order_by(col(ReminderSent.sent_on).desc(), col(ReminderSent.id).desc())
        .limit(limit)
    ).all()


def set_digest_opt_out(
    *, session: Session, actor: Actor, user_id: int, opt_out: bool, allow_opt_out: bool
) -> User:
    """Turn someone's reminder digests off or on: everyone for themselves, admins for all.

    Refused when the council does not allow people to opt out.
    """
    if not (actor.is_admin or actor.id == user_id):
        raise PermissionDenied("You can only change your own reminder e-mails.")
    if opt_out and not allow_opt_out:
        raise PermissionDenied("The council does not allow turning off reminder e-mails.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}.")
    before = {"digest_opt_out": user.digest_opt_out}
    user.digest_opt_out = opt_out
    session.add(user)
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user_id,
        before=before,
        after={"digest_opt_out": opt_out},
    )
    return user


def claim_reminder(
    *,
    session: Session,
    user_id: int,
    sent_on: date,
    email: str,
    subject: str,
    items: list[dict[str, Any]],
) -> ReminderSent | None:
    """Write the unique (person, day) log row before a digest is sent, audited; None (and
    the session rolled back) when a run elsewhere already claimed it."""
    row = ReminderSent(user_id=user_id, sent_on=sent_on, email=email, subject=subject, items=items)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return None
    audit.record(
        session,
        actor=Actor.system(),
        action="send",
        entity="reminder",
        entity_id=row.id,
        after={"user_id": user_id, "items": len(items)},
    )
    return row
