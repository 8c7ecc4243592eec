"""The app's frame: start-up, the sidebar menu, and running a page safely."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import streamlit as st

from core.vocab import Role
from dashboard.auth import signin as auth
from dashboard.config import get_settings
from dashboard.demo.startup import prepare_database
from dashboard.store.models import User
from dashboard.ui.navigation import PageSpec
from dashboard.ui.widgets import plain

log = logging.getLogger("vitalsigns")

#: The errors the boundary caught in this process, newest last (kept to the last few).
#: The test suite fails any test during which a page failed behind the boundary, and the
#: browser tests look for ``PAGE_FAILED`` in the app's log.
caught_errors: list[BaseException] = []
CAUGHT_KEEP = 20
PAGE_FAILED = "Page failed behind the error boundary"

ROLE_WORDS = {
    Role.admin: "Administrator",
    Role.lead: "Performance lead",
    Role.executive: "Executive",
    Role.member: "Councillor",
    Role.staff: "Staff",
}


@st.cache_resource(show_spinner="Preparing the database…")
def _prepared(database_url: str) -> bool:
    prepare_database()
    return True


def prepare() -> None:
    """Migrate (and in demo mode seed) the database once per process."""
    _prepared(get_settings().database_url)


#: The signed-in sidebar's width: narrower than Streamlit's 300 px so that Vital Signs'
#: status columns fit a 1366 px laptop screen beside it without a sideways scroll.
SIDEBAR_PX = 256
SIDEBAR_CSS = (
    "<style>section[data-testid='stSidebar']"
    f"{{width: {SIDEBAR_PX}px !important; min-width: {SIDEBAR_PX}px !important;}}</style>"
)


def sidebar(user: User, menu: list[tuple[Any, PageSpec]]) -> None:
    """The menu of the pages this role may use, who is signed in, and sign out."""
    st.html(SIDEBAR_CSS)
    with st.sidebar:
        st.markdown(f"**{plain(get_settings().council_name)}**")
        for page, _spec in menu:
            st.page_link(page)
        st.divider()
        st.markdown(f"Signed in as **{plain(user.name)}**")
        st.caption(f"{ROLE_WORDS.get(Role(user.role), user.role)} · {plain(user.username)}")
        auth.logout_button()


def run_page(page: Any, spec: PageSpec, role: Role | None) -> None:
    """Run the page; an unexpected error shows a plain message with a reference, never a
    traceback (the log keeps the detail)."""
    try:
        page.run()
    except Exception as error:
        ref = uuid.uuid4().hex[:8]
        log.exception("%s: %s (ref %s)", PAGE_FAILED, spec.url_path, ref)
        caught_errors.append(error)
        del caught_errors[:-CAUGHT_KEEP]
        st.error(
            "Sorry, something went wrong showing this page. Nothing was changed. "
            f"If it keeps happening, tell the performance team and quote reference `{ref}`.",
            icon=":material/error:",
        )
