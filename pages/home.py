"""Home: the landing page for the signed-in user's role."""

from dashboard.ui.guard import require_page
from dashboard.ui.home import render_home

render_home(require_page("home"))
