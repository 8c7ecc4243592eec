"""Reading the store into the plain inputs of `core.obligations`, and the reminder log.

Everything here reads; the only writes are `set_digest_opt_out` (a person's own
preference, audited) and the log rows `send.py` adds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.obligations import (
    Obligation,
    Person,
    Rules,
    obligations,
)
from dashboard.config import Settings, get_settings
from dashboard.store import reminders as store
from dashboard.store import structure
from dashboard.store.db import Session
from dashboard.store.models import User
from dashboard.store.reminders import already_sent, recent_log, sent_today
from dashboard.store.security import Actor

__all__ = [
    "Snapshot",
    "already_sent",
    "gather",
    "recent_log",
    "rules_from",
    "sent_today",
    "set_digest_opt_out",
]


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


def gather(*, session: Session, today: date, settings: Settings | None = None) -> Snapshot:
    """Everything owed on ``today``, by whom (reads only)."""
    settings = settings or get_settings()
    rules = rules_from(settings)
    people, users = store.people(session=session)
    items = obligations(
        today=today,
        people=people,
        measures=store.measures_due(session=session),
        actions=store.actions_due(session=session),
        staff=store.staff_due(session=session),
        rules=rules,
    )
    departments = structure.department_names(session=session)
    return Snapshot(
        today=today,
        rules=rules,
        people=people,
        users=users,
        departments=departments,
        items=items,
    )


def set_digest_opt_out(*, session: Session, actor: Actor, user_id: int, opt_out: bool) -> User:
    """Turn someone's reminder digests off or on: everyone for themselves, admins for all.

    Refused when the council does not allow people to opt out.
    """
    return store.set_digest_opt_out(
        session=session,
        actor=actor,
        user_id=user_id,
        opt_out=opt_out,
        allow_opt_out=get_settings().allow_digest_opt_out,
    )
