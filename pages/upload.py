"""Upload: Download the template of what is due, upload your spreadsheet, check it and save it."""

import streamlit as st

from dashboard.ui.guard import require_page

actor = require_page("upload")
st.title("Upload")
st.caption("Download the template of what is due, upload your spreadsheet, check it and save it.")
st.info("This page is being built.", icon=":material/construction:")
