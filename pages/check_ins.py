"""Check-ins: Quarterly check-ins: objectives linked to measures and actions."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("check-ins")
st.title("Check-ins")
st.caption("Quarterly check-ins: objectives linked to measures and actions.")
st.info("This page is being built.", icon=":material/construction:")
