"""Measure: One measure: its SPC chart, figures, targets, commentary and benchmarking position."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("measure")
st.title("Measure")
st.caption("One measure: its SPC chart, figures, targets, commentary and benchmarking position.")
st.info("This page is being built.", icon=":material/construction:")
