"""Cached read for the public portal."""

from __future__ import annotations

from datetime import date

from dashboard.config import today
from dashboard.exporting.portal_data import Portal, build_portal
from dashboard.queries.cache import cached_read
from dashboard.store.db import Session

__all__ = ["load_portal"]


@cached_read(max_entries=16)
def _portal(session: Session, as_of: date) -> Portal:
    return build_portal(session, today=as_of)


def load_portal() -> Portal:
    """The portal's content, cached until the data changes."""
    return _portal(today())
