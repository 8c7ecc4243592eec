"""The one way a page saves something: run a store write, then say what happened.

- `save(work, done, then=...)`: run ``work(session)`` in one transaction; on success leave ``done``
  as a message for the next run and rerun, so the page redraws from the stored data.
- `attempt(work)`: the same write without the rerun, for the rare page that must show
  the write's result at once (a temporary password); returns the result or None.
- `flash(message)` / `show_flash()`: a message that survives the rerun, shown once.

A refusal from the store (`StoreError`: refused, permission denied, not found, conflict)
is shown as its own plain message. Anything else is logged for us and shown to the user
as a plain sorry: nobody sees a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import streamlit as st

from core.errors import CoreError
from dashboard.config import get_settings
from dashboard.store.db import session_scope
from dashboard.store.errors import StoreError
from dashboard.ui.widgets import plain

__all__ = ["FLASH_KEY", "REFUSALS", "SORRY", "attempt", "flash", "save", "show_flash"]

logger = logging.getLogger(__name__)

FLASH_KEY = "write_flash"
SORRY = "Sorry, that could not be saved. Nothing was changed; please try again."
# What a write refuses with, in words for the user. Parts of the store still raise the
# built-ins (and rules in core raise CoreError); they are caught here, in one place, until
# every store write raises only StoreError.
REFUSALS: tuple[type[Exception], ...] = (
    StoreError,
    ValueError,
    PermissionError,
    LookupError,
    CoreError,
)
T = TypeVar("T")
Kind = Literal["success", "error"]


def flash(message: str, *, kind: Kind = "success") -> None:
    """Keep ``message`` for the next run of the page (shown once by `show_flash`)."""
    st.session_state[FLASH_KEY] = (kind, message)


def show_flash() -> str | None:
    """Show (once) the message the last write left; return it (None when there was none)."""
    kept = st.session_state.pop(FLASH_KEY, None)
    if not kept:
        return None
    kind, message = kept
    if kind == "error":
        st.error(message, icon=":material/error:")
    else:
        st.success(message, icon=":material/check_circle:")
    return str(message)


def attempt(work: Callable[[Any], T]) -> T | None:
    """Run ``work(session)`` in one transaction; on a refusal or failure show why and
    return None (nothing was saved)."""
    try:
        with session_scope(get_settings().database_url) as session:
            return work(session)
    except REFUSALS as exc:
        st.error(plain(exc), icon=":material/error:")
    except Exception:
        logger.exception("A write from the app failed")
        st.error(SORRY, icon=":material/error:")
    return None


def save(
    work: Callable[[Any], T],
    done: str | Callable[[T], str] | None = None,
    *,
    then: Callable[[], None] | None = None,
) -> None:
    """Run ``work(session)`` in one transaction; on success run ``then`` (page state to
    reset), flash ``done`` (a message, or one made from the write's result) and rerun the
    page; on a refusal or failure show why, change nothing and carry on."""
    results: list[T] = []

    def run(session: Any) -> bool:
        results.append(work(session))
        return True

    if not attempt(run):
        return
    # No cache clear: every cached read is keyed by the data version the write moved on
    # (clearing would wipe every user's cache, on this instance only).
    if then is not None:
        then()
    message = done(results[0]) if callable(done) else done
    if message:
        flash(message)
    st.rerun()
