"""Meetings, the decisions they record, and the report narratives authors edit.

- `open_meeting`: the meeting for a period and scope held today, created on first use,
  so a reload (or a second screen) resumes the same meeting at its current item.
- `set_current_item`: where the meeting has got to.
- `record_decision`: noted, challenge or new action; a new action is a real delivery-plan
  action (``create_action(..., from_meeting=True)``), linked to the item's measure.
- `list_decisions`, `list_meetings`, `get_meeting`.
- `save_narrative`, `narratives`: a report author's edited text per exception.

Writes take the acting user; meetings are run by executives and admins, narratives are
edited by admins and executives. Decisions and narratives are audited in the caller's
transaction. Moving between items is not a change to the council's data, so it is not
audited and does not move the data version (that would empty every cache on each slide).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from core.periods import display_label
from core.vocab import ActionStatus, Role
from dashboard.store import audit
from dashboard.store.actions import create_action, get_action_by_code
from dashboard.store.errors import Refused
from dashboard.store.models import (
    Action,
    ActionCreate,
    Measure,
    Meeting,
    MeetingDecision,
    ReportNarrative,
    utcnow,
)
from dashboard.store.security import Actor, require_role

__all__ = [
    "AUDIENCES",
    "DECISIONS",
    "get_meeting",
    "list_decisions",
    "list_meetings",
    "narratives",
    "open_meeting",
    "record_decision",
    "save_narrative",
    "set_current_item",
]

DECISIONS = {
    "noted": "Noted",
    "challenge": "Challenge",
    "new_action": "New action",
}
"""What a meeting may decide on an item, with the words shown."""

AUDIENCES = {"cabinet": "Cabinet", "scrutiny": "Scrutiny", "clt": "Corporate leadership team"}
"""Who a quarterly exception report is for."""

MAX_NOTE = 2000


def _require_runner(actor: Actor, doing: str) -> None:
    require_role(actor, Role.executive, doing=doing)


def get_meeting(*, session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def list_meetings(*, session: Session) -> Sequence[Meeting]:
    """Every meeting, newest first."""
    return session.exec(
        select(Meeting).order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())
    ).all()


def open_meeting(
    *, session: Session, actor: Actor, period: str, scope: str, held_on: date, title: str = ""
) -> Meeting:
    """The meeting for `period` and `scope` held on `held_on`: the existing one (to resume)
    or a new one."""
    _require_runner(actor, "run a meeting")
    existing = session.exec(
        select(Meeting)
        .where(Meeting.period == period, Meeting.scope == scope, Meeting.held_on == held_on)
        .order_by(col(Meeting.id).desc())
    ).first()
    if existing is not None:
        return existing
    meeting = Meeting(
        title=(title or f"Performance meeting: {display_label(period)}")[:200],
        period=period,
        scope=scope[:200],
        held_on=held_on,
        created_by=actor.id,
    )
    session.add(meeting)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="meeting", entity_id=meeting.id, after=meeting
    )
    return meeting


def set_current_item(*, session: Session, actor: Actor, meeting_id: int, index: int) -> Meeting:
    """Remember where the meeting has got to (not audited: see the module docstring)."""
    _require_runner(actor, "run a meeting")
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise Refused("That meeting no longer exists.")
    meeting.current_item = max(int(index), 0)
    session.add(meeting)
    session.flush()
    return meeting


def _next_action_code(session: Session, meeting_id: int) -> str:
    n = 1
    while get_action_by_code(session=session, code=f"MTG-{meeting_id}-{n}") is not None:
        n += 1
    return f"MTG-{meeting_id}-{n}"


def _item_home(session: Session, item_key: str) -> tuple[int, int, list[int]]:
    """The theme, department and linked measures for an action created on `item_key`."""
    kind, _, code = item_key.partition(":")
    if kind == "challenge" and code.isdigit():  # a challenge back on the agenda
        earlier = session.get(MeetingDecision, int(code))
        if earlier is not None:
            return _item_home(session, earlier.item_key)
    if kind == "measure":
        measure = session.exec(select(Measure).where(Measure.code == code)).first()
        if measure is not None and measure.id is not None:
            return measure.theme_id, measure.department_id, [measure.id]
    if kind == "action":
        action: Action | None = get_action_by_code(session=session, code=code)
        if action is not None:
            return action.theme_id, action.department_id, []
    raise Refused(f"The agenda item {item_key} is not a measure or action we know.")


def record_decision(
    *,
    session: Session,
    actor: Actor,
    meeting_id: int,
    item_key: str,
    decision: str,
    note: str = "",
    action_title: str = "",
    action_officer: str = "",
    action_due: date | None = None,
    owner: str = "",
    report_back_on: date | None = None,
) -> MeetingDecision:
    """Record what the meeting decided on one item, saved at once.

    ``challenge`` needs a note, an owner and a report-back date (it then comes back on
    later agendas until closed: `dashboard.store.challenges`). ``new_action`` needs a
    title, an owner and a due date, and creates the action (status green, starting on
    the meeting's date) in the item's theme and department.
    """
    _require_runner(actor, "record meeting decisions")
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.id is None:
        raise Refused("That meeting no longer exists.")
    if decision not in DECISIONS:
        raise Refused(f"Choose one of: {', '.join(DECISIONS.values())}.")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise Refused(f"The note is {len(note)} characters; the most is {MAX_NOTE}.")
    if decision == "challenge" and not note:
        raise Refused("Say what the challenge is (for example, report back next month).")
    if decision == "challenge":
        needed = (("an owner", owner.strip()), ("a report-back date", report_back_on))
        missing = [word for word, value in needed if not value]
        if missing:
            raise Refused(f"A challenge needs {' and '.join(missing)}.")
        assert report_back_on is not None
        if report_back_on < meeting.held_on:
            raise Refused("The report-back date is before the meeting; choose a later date.")
    action_id: int | None = None
    if decision == "new_action":
        missing = [
            word
            for word, value in (
                ("a title", action_title.strip()),
                ("an owner", action_officer.strip()),
                ("a due date", action_due),
            )
            if not value
        ]
        if missing:
            raise Refused(f"A new action needs {', '.join(missing)}.")
        assert action_due is not None
        if action_due < meeting.held_on:
            raise Refused("The due date is before the meeting; choose a later date.")
        theme_id, department_id, measure_ids = _item_home(session, item_key)
        action = create_action(
            session=session,
            actor=actor,
            action_in=ActionCreate(
                code=_next_action_code(session, meeting.id),
                title=action_title.strip()[:500],
                description=f"Agreed at {meeting.title} ({meeting.held_on:%d %B %Y}), {item_key}.",
                theme_id=theme_id,
                department_id=department_id,
                officer=action_officer.strip()[:200],
                status=ActionStatus.green,
                start_date=meeting.held_on,
                due_date=action_due,
                commentary=note,
                measure_ids=measure_ids,
            ),
            from_meeting=True,
        )
        action_id = action.id
    row = MeetingDecision(
        meeting_id=meeting.id,
        item_key=item_key[:64],
        decision=decision,
        note=note,
        action_id=action_id,
        by_user_id=actor.id,
        owner=owner.strip()[:200] if decision == "challenge" else "",
        report_back_on=report_back_on if decision == "challenge" else None,
    )
    return audit.add_audited(session, actor=actor, row=row, entity="meeting_decision")


def list_decisions(*, session: Session, meeting_id: int) -> Sequence[MeetingDecision]:
    """A meeting's decisions in the order they were made."""
    return session.exec(
        select(MeetingDecision)
        .where(MeetingDecision.meeting_id == meeting_id)
        .order_by(col(MeetingDecision.id))
    ).all()


def narratives(*, session: Session, quarter: str, audience: str) -> dict[str, str]:
    """The saved narrative per item key for one quarter's report to one audience."""
    rows = session.exec(
        select(ReportNarrative).where(
            ReportNarrative.quarter == quarter, ReportNarrative.audience == audience
        )
    ).all()
    return {r.item_key: r.text for r in rows}


def save_narrative(
    *, session: Session, actor: Actor, quarter: str, audience: str, item_key: str, text: str
) -> ReportNarrative:
    """Save an author's narrative for one exception (replacing the earlier text)."""
    require_role(actor, Role.executive, doing="edit report narratives")
    if audience not in AUDIENCES:
        raise Refused(f"Choose an audience: {', '.join(AUDIENCES.values())}.")
    text = text.strip()
    if not text:
        raise Refused("The narrative is empty; write a paragraph or reset to the draft.")
    row = session.exec(
        select(ReportNarrative).where(
            ReportNarrative.quarter == quarter,
            ReportNarrative.audience == audience,
            ReportNarrative.item_key == item_key,
        )
    ).first()
    before = audit.snapshot(row)
    if row is None:
        row = ReportNarrative(
            quarter=quarter, audience=audience, item_key=item_key, text=text, by_user_id=actor.id
        )
    else:
        row.text = text
        row.by_user_id = actor.id
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="update" if before else "create",
        entity="report_narrative",
        entity_id=row.id,
        before=before,
        after=row,
    )
    return row
