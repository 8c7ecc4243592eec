"""Meeting: the monthly leadership meeting on a shared screen, one exception at a time."""

import streamlit as st

from dashboard.ui import meeting as ui
from dashboard.ui.guard import require_page

actor = require_page("meeting")
meeting_id = st.query_params.get("meeting", "")
if meeting_id.isdigit():
    ui.present(actor, int(meeting_id))
else:
    st.title("Meeting mode")
    ui.setup(actor)
