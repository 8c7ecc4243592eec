"""Opening the app's pages in Streamlit's AppTest, signed in as someone.

Use with the ``app_env`` (or ``empty_app_env``) fixture, which points the settings at a
fresh database and clears Streamlit's caches.
"""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path

from sqlmodel import Session
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.auth.signin import SESSION_ID_KEY
from dashboard.config import get_settings
from dashboard.store.db import get_engine
from dashboard.store.sessions import create_auth_session
from dashboard.store.users import get_user_by_username
from dashboard.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
TIMEOUT = 60
_BY_SCRIPT = {spec.script: spec for spec in PAGES}

DEMO_USERS = {
    "admin": "demo.admin",
    "lead": "demo.lead",
    "executive": "demo.executive",
    "member": "demo.member",
    "staff": "demo.staff",
}


def start_session(username: str) -> str:
    """A live server-side session for ``username`` (as signing in would make)."""
    session_id = f"test-{username}-{uuid.uuid4().hex}"
    with Session(get_engine(get_settings().database_url)) as session:
        user = get_user_by_username(session=session, username=username)
        assert user is not None and user.id is not None, f"no user {username}"
        create_auth_session(session=session, user_id=user.id, session_id=session_id)
        session.commit()
    return session_id


def open_page(
    script: str | None = None, *, username: str | None = None, query: dict[str, str] | None = None
) -> AppTest:
    """Run the app as ``username`` (None: not signed in), on ``pages/<script>``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if username is not None:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
        at.session_state[SESSION_ID_KEY] = start_session(username)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if script is not None:
        # The page opens on the first run, as a link to its address would open it: the
        # hash is the one st.Page gives a page, from its URL path.
        at._page_hash = calc_hash(_BY_SCRIPT[script].url_path)
    at.run()
    if script is not None:  # an unknown hash would open the home page instead
        assert at._finished_page_script_hash == at._page_hash, f"{script} did not open"
    return at


def html_of(at: AppTest) -> str:
    """What the page draws with st.html, as HTML (to check a status's colour)."""
    return "\n".join(el.proto.body for el in at.get("html"))


def texts(at: AppTest) -> str:
    """Everything the page says, in one string (markdown, titles, captions, alerts)."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        for el in at.get(kind):
            value = getattr(el, "value", None) or getattr(el, "body", None)
            if value:
                parts.append(str(value))
    for el in at.get("html"):  # what st.html draws, as the reader reads it
        parts.append(html.unescape(re.sub(r"<[^>]+>", "", el.proto.body)))
    return "\n".join(parts)
