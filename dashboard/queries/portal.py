"""Cached reads for the public portal: its content and its open-data CSV, built once per
data version and shared by every visitor (the portal is the same for all, and frozen)."""

from __future__ import annotations

from datetime import date

from dashboard.config import today
from dashboard.exporting.cells import safe_csv
from dashboard.exporting.portal_data import Portal, build_portal, portal_frame
from dashboard.queries.cache import cached_read, cached_view
from dashboard.store.db import Session

__all__ = ["load_portal", "portal_csv"]


@cached_read(max_entries=4, shared=True)
def _portal(session: Session, as_of: date) -> Portal:
    return build_portal(session, today=as_of)


@cached_view(max_entries=4, shared=True)
def _portal_csv(as_of: date) -> bytes:
    return safe_csv(portal_frame(_portal(as_of)))


def load_portal() -> Portal:
    """The portal's content, cached until the data changes."""
    return _portal(today())


def portal_csv() -> bytes:
    """The open-data download (every published figure), written once per data version."""
    return _portal_csv(today())
