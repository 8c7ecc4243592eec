"""Server-side sign-in sessions, so signing out really ends a session.

A browser's sign-in cookie names a session here; signing out revokes it, and so do
changing the password and deactivating the user. A revoked, idle or expired session
signs nobody in, even with a copy of the cookie from before.

A sign-in ticket hands a checked password over to the web request that sets the cookie
(so the cookie can be HttpOnly): random, kept only as a hash, spent on first use and
good for ``TICKET_LIFETIME``, and (when a browser mark is given) only in the browser it
was issued to, so nobody can sign someone else in to their own account with a link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col

from dashboard.store.models import AuthSession, SignInTicket, User, utcnow

__all__ = [
    "TICKET_LIFETIME",
    "TOUCH_EVERY",
    "auth_session_exists",
    "create_auth_session",
    "issue_sign_in_ticket",
    "redeem_sign_in_ticket",
    "revoke_auth_session",
    "revoke_user_sessions",
    "session_id_for",
    "validate_auth_session",
]

TOUCH_EVERY = timedelta(minutes=1)
TICKET_LIFETIME = timedelta(minutes=1)
TICKET_BYTES = 32


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


def auth_session_exists(*, session: Session, session_id: str) -> bool:
    """Whether a session record (live or ended) has this id."""
    return session.get(AuthSession, session_id) is not None


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


def _ticket_id(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


def issue_sign_in_ticket(
    *, session: Session, user_id: int, browser: str | None = None, now: datetime | None = None
) -> str:
    """A new one-time ticket for ``user_id``, for the browser marked ``browser`` (only the
    ticket's hash is kept)."""
    ticket = secrets.token_urlsafe(TICKET_BYTES)
    session.add(
        SignInTicket(
            id=_ticket_id(ticket), user_id=user_id, browser=browser, created_at=now or utcnow()
        )
    )
    return ticket


def redeem_sign_in_ticket(
    *, session: Session, ticket: str, browser: str | None = None, now: datetime | None = None
) -> User | None:
    """The active user a fresh, unspent ``ticket`` was issued for, spending it; or None.
    A ticket issued to a marked browser is good only with the same ``browser``."""
    now = now or utcnow()
    ticket_id = _ticket_id(ticket)
    spent = session.exec(
        update(SignInTicket)
        .where(
            col(SignInTicket.id) == ticket_id,
            col(SignInTicket.used_at).is_(None),
            col(SignInTicket.created_at) > now - TICKET_LIFETIME,
            or_(col(SignInTicket.browser).is_(None), col(SignInTicket.browser) == browser),
        )
        .values(used_at=now)
    )
    session.exec(
        delete(SignInTicket).where(col(SignInTicket.created_at) <= now - timedelta(days=1))
    )
    if spent.rowcount != 1:
        return None
    row = session.get(SignInTicket, ticket_id)
    user = session.get(User, row.user_id) if row is not None else None
    if user is None or not user.active:
        return None
    return user
