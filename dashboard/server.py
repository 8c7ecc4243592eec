"""The web server: Streamlit running ``dashboard/app.py``, plus the two requests that set
and clear the sign-in cookie as HttpOnly (``dashboard.auth.cookie``).

``streamlit run dashboard/server.py`` (or any ASGI server: ``uvicorn dashboard.server:app``).
"""

from pathlib import Path

import streamlit as st

from dashboard.auth.cookie import routes

app = st.App(Path(__file__).with_name("app.py"), routes=routes())
