"""Meeting: Meeting mode for the monthly CLT meeting."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("meeting")
st.title("Meeting")
st.caption("Meeting mode for the monthly CLT meeting.")
st.info("This page is being built.", icon=":material/construction:")
