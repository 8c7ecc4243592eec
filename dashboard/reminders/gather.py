"""Reading the store into the plain inputs of `core.obligations`, and the reminder log.

Everything here reads; the only writes are `set_digest_opt_out` (a person's own
preference, audited) and the log rows `send.py` adds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.obligations import (
    ActionDue,
    MeasureDue,
    Obligation,
    Person,
    Rules,
    StaffDue,
    Stage,
    obligations,
)
from core.vocab import CheckinStatus, Frequency, Lifecycle, ObservationStatus, Role
from dashboard.config import Settings, get_settings
from dashboard.store import audit
from dashboard.store.models import (
    Action,
    ActionProgress,
    Checkin,
    Department,
    Measure,
    Observation,
    ReminderSent,
    Staff,
    User,
    UserDepartment,
)
from dashboard.store.security import Actor, PermissionDenied

__all__ = [
    "Snapshot",
    "already_sent",
    "gather",
    "recent_log",
    "rules_from",
    "sent_today",
    "set_digest_opt_out",
]

SUBMITTED = (ObservationStatus.submitted.value, ObservationStatus.approved.value)


@dataclass(frozen=True)
class Snapshot:
    """What is owed on a day, with the people and names needed to show it."""

    today: date
    rules: Rules
    people: tuple[Person, ...]
    users: dict[int, User]
    departments: dict[int, str]
    items: tuple[Obligation, ...]

    def person(self, user_id: int | None) -> Person | None:
        return next((p for p in self.people if p.id == user_id), None)

    def name(self, user_id: int | None) -> str:
        person = self.person(user_id)
        return person.name if person else "No lead set"


def rules_from(settings: Settings) -> Rules:
    """The schedule's rules from the council's settings."""
    return Rules(
        deadline_day=settings.data_deadline_day,
        year_start_month=settings.year_start_month,
        checkin_close_days=settings.checkin_close_days,
        days_before=settings.reminder_days_before,
        escalate_after_days=settings.escalate_after_days,
    )


def _people(session: Session) -> tuple[tuple[Person, ...], dict[int, User]]:
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
    people = tuple(
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
    return people, users


def _measures(session: Session) -> list[MeasureDue]:
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


def _actions(session: Session) -> list[ActionDue]:
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


def _staff(session: Session) -> list[StaffDue]:
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


def gather(*, session: Session, today: date, settings: Settings | None = None) -> Snapshot:
    """Everything owed on ``today``, by whom (reads only)."""
    settings = settings or get_settings()
    rules = rules_from(settings)
    people, users = _people(session)
    items = obligations(
        today=today,
        people=people,
        measures=_measures(session),
        actions=_actions(session),
        staff=_staff(session),
        rules=rules,
    )
    departments = {d.id: d.name for d in session.exec(select(Department)).all() if d.id is not None}
    return Snapshot(
        today=today,
        rules=rules,
        people=people,
        users=users,
        departments=departments,
        items=items,
    )


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


def set_digest_opt_out(*, session: Session, actor: Actor, user_id: int, opt_out: bool) -> User:
    """Turn someone's reminder digests off or on: everyone for themselves, admins for all.

    Refused when the council does not allow people to opt out.
    """
    if not (actor.is_admin or actor.id == user_id):
        raise PermissionDenied("You can only change your own reminder e-mails.")
    if opt_out and not get_settings().allow_digest_opt_out:
        raise PermissionDenied("The council does not allow turning off reminder e-mails.")
    user = session.get(User, user_id)
    if user is None:
        raise LookupError(f"No user with id {user_id}.")
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
        bump=False,
    )
    return user
