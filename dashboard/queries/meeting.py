"""Cached reads for meeting mode: the agenda."""

from __future__ import annotations

from datetime import date

from core.agenda import AgendaItem
from dashboard import config as app_settings
from dashboard.exporting.reports.minutes import meeting_agenda
from dashboard.queries.cache import cached_read
from dashboard.store.db import Session

__all__ = ["load_agenda"]


@cached_read(max_entries=32)
def _agenda(session: Session, period: str, scope: str, today: date) -> list[AgendaItem]:
    return meeting_agenda(session, period, scope, today)


def load_agenda(period: str, scope: str) -> list[AgendaItem]:
    """The meeting agenda, cached by (data version, period, scope, today)."""
    return _agenda(period, scope, app_settings.today())
