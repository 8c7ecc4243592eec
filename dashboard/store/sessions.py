"""Server-side sign-in sessions, so signing out really ends a session.

A browser's sign-in cookie names a session here; signing out revokes it, and so do
changing the password and deactivating the user. A revoked, idle or expired session
signs nobody in, even with a copy of the cookie from before.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col

from dashboard.store.models import AuthSession, User, utcnow

__all__ = [
    "TOUCH_EVERY",
    "create_auth_session",
    "revoke_auth_session",
    "revoke_user_sessions",
    "session_id_for",
    "validate_auth_session",
]

TOUCH_EVERY = timedelta(minutes=1)


def session_id_for(username: str, expires: float) -> str:
    """The id of the session a cookie names (its user and its expiry stamp)."""
    return hashlib.sha256(f"{username}|{expires!r}".encode()).hexdigest()


def create_auth_session(
    *, session: Session, user_id: int, session_id: str, method: str = "local"
) -> AuthSession:
    row = session.get(AuthSession, session_id)
    if row is None:
        row = AuthSession(id=session_id, user_id=user_id, method=method)
        session.add(row)
        session.flush()
    return row


def validate_auth_session(
    *,
    session: Session,
    session_id: str | None,
    idle: timedelta,
    lifetime: timedelta,
    now: datetime | None = None,
) -> User | None:
    """The user a live session belongs to, or None (unknown, revoked, idle, expired, or
    the user deactivated or their password changed since)."""
    if not session_id:
        return None
    row = session.get(AuthSession, session_id)
    if row is None or row.revoked_at is not None:
        return None
    now = now or utcnow()
    if now - row.last_seen_at > idle or now - row.created_at > lifetime:
        row.revoked_at = now
        session.add(row)
        session.commit()
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or user.password_changed_at > row.created_at:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return user


def revoke_auth_session(*, session: Session, session_id: str | None) -> None:
    if not session_id:
        return
    row = session.get(AuthSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)


def revoke_user_sessions(*, session: Session, user_id: int) -> None:
    """End every session of a user (password changed, user deactivated)."""
    session.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
