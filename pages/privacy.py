"""The public privacy notice (no sign-in needed)."""

from dashboard.ui.portal import render_text_page

render_text_page("privacy")
