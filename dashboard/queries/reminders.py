"""Cached read for the reminders page: what is owed today, by whom."""

from __future__ import annotations

from datetime import date

from dashboard.config import today
from dashboard.queries.cache import cached_read
from dashboard.reminders.gather import Snapshot, gather
from dashboard.store.db import Session

__all__ = ["load_snapshot"]


@cached_read(max_entries=16)
def _snapshot(session: Session, day: date) -> Snapshot:
    return gather(session=session, today=day)


def load_snapshot() -> Snapshot:
    """Everything owed today, cached by (database, data version, today)."""
    return _snapshot(today())
