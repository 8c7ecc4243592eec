"""Getting the database ready when the app starts: migrations, and the demo on first run."""

from __future__ import annotations

import logging

from dashboard.config import get_settings
from dashboard.store.db import get_engine, migrate
from dashboard.store.queries_meta import database_has_measures

log = logging.getLogger(__name__)


def prepare_database() -> None:
    """Apply migrations; in demo mode, seed the demo council into an empty database."""
    settings = get_settings()
    migrate(settings.database_url)
    if settings.demo_mode and not database_has_measures(get_engine(get_settings().database_url)):
        from dashboard.demo.seed import seed_demo

        summary = seed_demo(get_engine(get_settings().database_url))
        log.info("Seeded the demo council: %s measures", summary.measures)
