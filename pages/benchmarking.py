"""Benchmarking: Where we stand against our nearest neighbours, measure by measure."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("benchmarking")
st.title("Benchmarking")
st.caption("Where we stand against our nearest neighbours, measure by measure.")
st.info("This page is being built.", icon=":material/construction:")
