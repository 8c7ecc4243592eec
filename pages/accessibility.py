"""The public accessibility statement (no sign-in needed)."""

from dashboard.ui.portal import render_text_page

render_text_page("accessibility")
