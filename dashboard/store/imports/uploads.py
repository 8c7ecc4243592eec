"""The transaction an import saves in, its `Upload` row, and which failures mean "someone
else saved first" (a conflict) rather than a real fault."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from dashboard.store import audit
from dashboard.store.errors import Conflict
from dashboard.store.models import Upload, utcnow
from dashboard.store.security import Actor

__all__ = [
    "ChangedMeanwhile",
    "RACE_ERRORS",
    "import_session",
    "lost_a_race",
    "record_upload",
    "audit_upload",
]

#: PostgreSQL's codes for "this transaction lost a race": deadlock, serialisation, lock wait.
_CONTENTION_CODES = frozenset({"40P01", "40001", "55P03"})


class ChangedMeanwhile(Conflict):
    """Raised by a write when a stored row no longer holds what the check read: another
    save got there first. The import rolls back and refuses the save."""


#: What a save may raise when another save wrote the same rows after its check.
RACE_ERRORS: tuple[type[BaseException], ...] = (ChangedMeanwhile, IntegrityError, OperationalError)


@contextmanager
def import_session(engine: Engine) -> Iterator[Session]:
    """A session for one check or one save; the caller commits or rolls back."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def lost_a_race(exc: BaseException) -> bool:
    """True when ``exc`` (one of `RACE_ERRORS`) means another save won: a guarded update
    found its rows changed, an insert met a row added meanwhile, a lock wait timed out
    (SQLite) or the database picked this transaction to lose a deadlock (PostgreSQL)."""
    if not isinstance(exc, OperationalError):
        return isinstance(exc, RACE_ERRORS)
    if getattr(exc.orig, "sqlstate", None) in _CONTENTION_CODES:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def record_upload(
    *,
    session: Session,
    actor: Actor,
    filename: str,
    sha256: str,
    kind: str,
    source: str,
    rows: int,
    added: int,
    changed: int,
    unchanged: int,
    submitted: bool,
    uploaded_at: datetime | None = None,
) -> int:
    """Add the `Upload` row for a file being saved (no commit); returns its id."""
    upload = Upload(
        filename=filename[:300],
        sha256=sha256,
        kind=kind,
        user_id=actor.id,
        source=source,
        uploaded_at=uploaded_at or utcnow(),
        rows=rows,
        added=added,
        changed=changed,
        unchanged=unchanged,
        submitted=submitted,
    )
    session.add(upload)
    session.flush()
    assert upload.id is not None
    return upload.id


def audit_upload(*, session: Session, actor: Actor, upload_id: int, note: str) -> None:
    """The upload's own audit entry (the data version moves on with it)."""
    upload = session.get(Upload, upload_id)
    audit.record(
        session,
        actor=actor,
        action="import",
        entity="upload",
        entity_id=upload_id,
        after=upload,
        upload_id=upload_id,
        note=note,
    )
