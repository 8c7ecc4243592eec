"""Vital Signs: Every measure at a glance: RAG, year to date, direction of change, SPC variation and assurance."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("vital-signs")
st.title("Vital Signs")
st.caption("Every measure at a glance: RAG, year to date, direction of change, SPC variation and assurance.")
st.info("This page is being built.", icon=":material/construction:")
