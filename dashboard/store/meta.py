"""Settings the application keeps in its own database (shared by every instance)."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from dashboard.store.models import AppSetting

__all__ = ["get_app_setting", "get_or_create_cookie_key", "set_app_setting"]

COOKIE_KEY = "cookie_key"
COOKIE_KEY_BYTES = 32


def get_app_setting(*, session: Session, key: str) -> str | None:
    row = session.get(AppSetting, key)
    return row.value if row else None


def set_app_setting(*, session: Session, key: str, value: str) -> None:
    row = session.get(AppSetting, key)
    if row is None:
        session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def get_or_create_cookie_key(*, session: Session) -> str:
    """The cookie-signing key: generated once and kept, so every instance shares it."""
    key = get_app_setting(session=session, key=COOKIE_KEY)
    if key is None:
        key = secrets.token_urlsafe(COOKIE_KEY_BYTES)
        set_app_setting(session=session, key=COOKIE_KEY, value=key)
        session.flush()
    return key
