"""The entrypoint: page config, sign-in, navigation built from the role, and run.

Served by ``dashboard/server.py`` (``streamlit run dashboard/server.py``). Every page is
registered (so any bookmarked link resolves, with its query parameters); the menu lists
only the pages the role may use; an anonymous visit to any page but the portal shows the
sign-in form first and then that page. Each page checks access again itself
(``dashboard.ui.guard``).
"""

from __future__ import annotations

import streamlit as st

from dashboard.auth import signin as auth
from dashboard.exporting import FAVICON
from dashboard.ui.navigation import HOME, PAGES, menu_for
from dashboard.ui.shell import prepare, run_page, sidebar

st.set_page_config(
    page_title="Vital Signs",
    # Our own file, not a ":material/..." icon: the browser would fetch that from a
    # font host on every visit.
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="auto",
)
prepare()

user = auth.check_session()  # once per run; the page's own checks reuse it
role = auth.current_role() if user else None
pages = {
    spec.url_path: st.Page(
        spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec is HOME
    )
    for spec in PAGES
}
current = st.navigation(list(pages.values()), position="hidden")
spec = next(
    s
    for s in PAGES
    if pages[s.url_path] is current or pages[s.url_path].url_path == current.url_path
)

if user is None and not spec.public:
    auth.login_form()
else:
    if user is not None and role is not None:
        sidebar(user, [(pages[s.url_path], s) for s in menu_for(role)])
    run_page(current, spec, role)
