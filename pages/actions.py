"""Actions: The delivery plan: every action's status, dates and updates."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("actions")
st.title("Actions")
st.caption("The delivery plan: every action's status, dates and updates.")
st.info("This page is being built.", icon=":material/construction:")
