"""Each page's own access check, done on the server whatever the menu shows."""

from __future__ import annotations

import streamlit as st

from dashboard.auth import signin as auth
from dashboard.store.security import Actor
from dashboard.ui.navigation import BY_PATH, allowed

NOT_AVAILABLE = "This page is not available to your role."


def require_page(url_path: str) -> Actor:
    """The signed-in actor, or stop the page with a clear message when the role may not
    use it (or nobody is signed in)."""
    spec = BY_PATH[url_path]
    actor = auth.current_actor()
    if actor is None:
        st.warning("Please sign in to see this page.", icon=":material/lock:")
        st.stop()
    assert actor is not None
    if not allowed(spec, actor.role):
        st.title(spec.title)
        st.error(
            f"{NOT_AVAILABLE} Use the menu to find the pages you can use.", icon=":material/block:"
        )
        st.stop()
    return actor


def optional_actor() -> Actor | None:
    """For public pages: the signed-in actor if any."""
    return auth.current_actor()
