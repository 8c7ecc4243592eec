"""The engine, sessions and schema migrations: one engine per database URL.

SQLite gets WAL, foreign keys and a busy timeout on every connection; PostgreSQL is used
as it comes. Every engine refuses text holding a NUL character (``dashboard.store.text``).
``migrate(url)`` applies the Alembic migrations (run on start-up and by
``python -m dashboard init-db``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine as Engine  # re-exported with Session
from sqlmodel import Session as Session  # re-exported: the session type for everyone else
from sqlmodel import create_engine

from dashboard.store.text import guard_engine

__all__ = [
    "Engine",
    "Session",
    "alembic_config",
    "dispose_engines",
    "get_engine",
    "make_engine",
    "migrate",
    "session_scope",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000

_engines: dict[str, Engine] = {}
_lock = Lock()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine for ``url`` (SQLite files get their folder created)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    guard_engine(engine)
    return engine


def get_engine(url: str) -> Engine:
    """The shared engine for ``url`` (callers pass the settings' ``DATABASE_URL``)."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests and the CLI's end)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(engine: Engine | str) -> Iterator[Session]:
    """A session on ``engine`` (or the shared engine for a URL) that commits at the end of
    the block and rolls back on any error."""
    bind = get_engine(engine) if isinstance(engine, str) else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    """Bring the database at ``url`` up to the newest schema."""
    engine = get_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
