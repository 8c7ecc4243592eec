"""Upload: Download the template of what is due, upload your spreadsheet, check it and save it."""

import streamlit as st

from dashboard.ui.guard import require_page
from dashboard.ui.upload import render

actor = require_page("upload")
st.title("Upload")
st.caption("Download the template of what is due, upload your spreadsheet, check it and save it.")
render(actor)
