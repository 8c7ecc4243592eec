"""Searching the audit log (read only: nothing here or anywhere in ``dashboard`` updates
or deletes the log, and the database refuses it): `search_audit`, `audit_entities`,
`audit_usernames`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, select

from dashboard.store.models import (
    AuditLog,
)
from dashboard.store.security import Actor, require_admin
from dashboard.store.text import NUL

__all__ = [
    "AuditQuery",
    "audit_entities",
    "audit_usernames",
    "search_audit",
]


@dataclass(frozen=True)
class AuditQuery:
    """A search of the audit log; every field optional."""

    username: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None
    text: str | None = None
    limit: int = 1000


def search_audit(*, session: Session, actor: Actor, query: AuditQuery) -> list[AuditLog]:
    """Audit entries matching ``query``, newest first (admins only)."""
    require_admin(actor, doing="read the audit log")
    stmt = select(AuditLog)
    if query.username:
        stmt = stmt.where(AuditLog.username == query.username)
    if query.entity:
        stmt = stmt.where(AuditLog.entity == query.entity)
    if query.since:
        stmt = stmt.where(col(AuditLog.at) >= datetime.combine(query.since, time.min, tzinfo=UTC))
    if query.until:
        stmt = stmt.where(col(AuditLog.at) <= datetime.combine(query.until, time.max, tzinfo=UTC))
    if query.text and NUL in query.text:
        return []  # no stored text holds a NUL (the store refuses one), so nothing matches
    if query.text:
        # the text is matched as typed: % and _ are not wildcards
        literal = query.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        needle = f"%{literal}%"
        stmt = stmt.where(
            col(AuditLog.entity_id).ilike(needle, escape="\\")
            | col(AuditLog.note).ilike(needle, escape="\\")
        )
    stmt = stmt.order_by(col(AuditLog.at).desc(), col(AuditLog.id).desc()).limit(query.limit)
    return list(session.exec(stmt).all())


def audit_entities(*, session: Session) -> list[str]:
    return sorted(set(session.exec(select(AuditLog.entity).distinct()).all()))


def audit_usernames(*, session: Session) -> list[str]:
    return sorted(set(session.exec(select(AuditLog.username).distinct()).all()))
