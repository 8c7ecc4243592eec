"""Challenges a meeting makes, which come back until they are closed; a meeting's attendees.

A challenge is a meeting decision (``decision='challenge'``) with an owner, who answers
it, and a report-back date. It appears on the agenda of every later meeting until someone
closes it at a meeting, with a note; the closing is audited.

- `open_challenges(session=, meeting=)`: the challenges raised at earlier meetings that
  are still open, or were closed at `meeting` (so its minutes record the closing).
- `get_challenge`, `close_challenge`.
- `set_attendees`: who is at the meeting, as typed at its start (audited).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, or_, select

from core.vocab import Role
from dashboard.store import audit
from dashboard.store.errors import NotFound, Refused
from dashboard.store.models import Meeting, MeetingDecision, utcnow
from dashboard.store.security import Actor, require_role

__all__ = [
    "CHALLENGE",
    "MAX_ATTENDEES",
    "close_challenge",
    "get_challenge",
    "open_challenges",
    "set_attendees",
]

CHALLENGE = "challenge"
MAX_ATTENDEES = 4000
MAX_CLOSING_NOTE = 2000


def open_challenges(*, session: Session, meeting: Meeting) -> Sequence[MeetingDecision]:
    """Challenges made at meetings before `meeting` (by id) that are open, or that were
    closed at `meeting`; the earliest report-back date first."""
    return session.exec(
        select(MeetingDecision)
        .where(
            MeetingDecision.decision == CHALLENGE,
            MeetingDecision.meeting_id < (meeting.id or 0),
            or_(
                col(MeetingDecision.closed_at).is_(None),
                MeetingDecision.closed_in_meeting_id == meeting.id,
            ),
        )
        .order_by(col(MeetingDecision.report_back_on), col(MeetingDecision.id))
    ).all()


def get_challenge(*, session: Session, decision_id: int) -> MeetingDecision | None:
    row = session.get(MeetingDecision, decision_id)
    return row if row is not None and row.decision == CHALLENGE else None


def close_challenge(
    *, session: Session, actor: Actor, decision_id: int, meeting_id: int, note: str
) -> MeetingDecision:
    """Close a challenge at a meeting, saying how it was answered (audited)."""
    require_role(actor, Role.executive, doing="close a challenge")
    row = get_challenge(session=session, decision_id=decision_id)
    if row is None:
        raise NotFound("That challenge no longer exists.")
    if row.closed_at is not None:
        raise Refused("That challenge is already closed.")
    if session.get(Meeting, meeting_id) is None:
        raise NotFound("That meeting no longer exists.")
    note = note.strip()
    if not note:
        raise Refused("Say how the challenge was answered before closing it.")
    if len(note) > MAX_CLOSING_NOTE:
        raise Refused(f"The note is {len(note)} characters; the most is {MAX_CLOSING_NOTE}.")
    before = audit.snapshot(row)
    row.closed_at = utcnow()
    row.closed_note = note
    row.closed_in_meeting_id = meeting_id
    row.closed_by_user_id = actor.id
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="meeting_decision",
        entity_id=row.id,
        before=before,
        after=row,
        note="challenge closed",
    )
    return row


def set_attendees(*, session: Session, actor: Actor, meeting_id: int, attendees: str) -> Meeting:
    """Record who is at the meeting (one name a line, as typed; blank lines dropped)."""
    require_role(actor, Role.executive, doing="record a meeting's attendees")
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting no longer exists.")
    names = "\n".join(line.strip() for line in attendees.splitlines() if line.strip())
    if len(names) > MAX_ATTENDEES:
        raise Refused(f"The attendees list is {len(names)} characters; the most is 4000.")
    before = audit.snapshot(meeting)
    meeting.attendees = names
    session.add(meeting)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update",
        entity="meeting",
        entity_id=meeting.id,
        before=before,
        after=meeting,
        note="attendees",
    )
    return meeting
