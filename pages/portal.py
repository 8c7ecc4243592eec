"""The public performance portal: published, approved measures, no sign-in needed."""

import streamlit as st

from dashboard.ui.portal import load_portal, render_portal

try:
    portal = load_portal()
except Exception:  # noqa: BLE001 - residents never see a traceback
    st.title("How the council is performing")
    st.error("Sorry, the figures cannot be shown just now. Please try again later.")
    st.stop()
render_portal(portal)
