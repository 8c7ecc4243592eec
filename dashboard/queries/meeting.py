"""Cached reads for meeting mode: the agenda."""

from __future__ import annotations

from datetime import date

from core.agenda import AgendaItem
from dashboard import config as app_settings
from dashboard.exporting.reports.minutes import meeting_agenda
from dashboard.queries.cache import cached_read
from dashboard.store.db import Session
from dashboard.store.meetings import get_meeting
from dashboard.store.models import Meeting

__all__ = ["load_agenda"]


@cached_read(max_entries=32)
def _agenda(session: Session, meeting_id: int, today: date) -> list[AgendaItem]:
    meeting = get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None:
        return []
    return meeting_agenda(session, meeting.period, meeting.scope, today, meeting=meeting)


def load_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's agenda (open challenges from earlier meetings first), cached by
    (data version, meeting, today)."""
    assert meeting.id is not None
    return _agenda(meeting.id, app_settings.today())
