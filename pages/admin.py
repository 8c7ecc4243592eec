"""Admin: The measure register, users, themes and departments, and the audit log."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("admin")
st.title("Admin")
st.caption("The measure register, users, themes and departments, and the audit log.")
st.info("This page is being built.", icon=":material/construction:")
