"""Reports: The quarterly exception report for cabinet and scrutiny, and exports."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("reports")
st.title("Reports")
st.caption("The quarterly exception report for cabinet and scrutiny, and exports.")
st.info("This page is being built.", icon=":material/construction:")
