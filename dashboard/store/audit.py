"""Writing to the append-only audit log, and the data version every write moves on.

``record`` adds one entry in the caller's transaction, so the change and its audit entry
are saved together or not at all. The database refuses every change to an entry (UPDATE,
DELETE, REPLACE, upserts, TRUNCATE); see ``dashboard.store.roles`` for PostgreSQL's owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel, col, select

from dashboard.store.models import AuditLog, DataVersion, utcnow
from dashboard.store.security import Actor

__all__ = [
    "add_audited",
    "apply_audited",
    "bump_data_version",
    "data_version",
    "record",
    "snapshot",
]

RowT = TypeVar("RowT", bound=SQLModel)

SKIPPED_FIELDS = frozenset({"password_hash"})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: SQLModel | dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-safe copy of a row's fields (secrets left out)."""
    if obj is None:
        return None
    data = obj if isinstance(obj, dict) else obj.model_dump()
    return {k: _plain(v) for k, v in data.items() if k not in SKIPPED_FIELDS}


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any = "",
    before: SQLModel | dict[str, Any] | None = None,
    after: SQLModel | dict[str, Any] | None = None,
    upload_id: int | None = None,
    note: str = "",
    bump: bool = True,
) -> AuditLog:
    """Add an audit entry and move the data version on.

    ``bump=False`` only for entries that change nothing a page reads (sign-in, sign-out,
    a failed password) or for rows whose batch moves the version once (an upload).
    """
    entry = AuditLog(
        at=utcnow(),
        user_id=actor.id,
        username=actor.username,
        source=actor.source,
        action=action,
        entity=entity,
        entity_id=str(entity_id if entity_id is not None else ""),
        before=snapshot(before),
        after=snapshot(after),
        upload_id=upload_id,
        note=note,
    )
    session.add(entry)
    if bump:
        bump_data_version(session)
    return entry


def add_audited(
    session: Session,
    *,
    actor: Actor,
    row: RowT,
    entity: str,
    entity_id: Any = None,
    after: dict[str, Any] | None = None,
    upload_id: int | None = None,
    note: str = "",
) -> RowT:
    """Add ``row`` and audit its creation, in the caller's transaction; the entry names it
    by ``entity_id`` (default: its new id) and records ``after`` (default: the row)."""
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="create",
        entity=entity,
        entity_id=entity_id if entity_id is not None else getattr(row, "id", None),
        after=after if after is not None else row,
        upload_id=upload_id,
        note=note,
    )
    return row


def apply_audited(
    session: Session,
    *,
    actor: Actor,
    row: RowT,
    patch: SQLModel | Mapping[str, Any],
    entity: str,
    entity_id: Any,
    upload_id: int | None = None,
    note: str = "",
    bump: bool = True,
    touch: bool = False,
) -> RowT:
    """Apply ``patch`` (a patch model's set fields, or a mapping) to ``row`` and audit the
    change from the old to the new values, in the caller's transaction; ``touch`` moves
    the row's ``updated_at`` on."""
    before = snapshot(row)
    changes = patch.model_dump(exclude_unset=True) if isinstance(patch, SQLModel) else dict(patch)
    for key, value in changes.items():
        setattr(row, key, value)
    if touch:
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="update",
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=row,
        upload_id=upload_id,
        note=note,
        bump=bump,
    )
    return row


def bump_data_version(session: Session) -> None:
    """Move the data version on (in the caller's transaction)."""
    session.exec(
        update(DataVersion).where(col(DataVersion.id) == 1).values(version=DataVersion.version + 1)
    )


def data_version(session: Session) -> int:
    """The current data version: cached reads are keyed by it."""
    row = session.exec(select(DataVersion.version).where(DataVersion.id == 1)).first()
    return int(row or 0)
