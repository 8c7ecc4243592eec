"""Check-ins: objectives linked to measures and actions, quarterly check-ins, completion."""

from dashboard.ui.check_ins import render_page
from dashboard.ui.guard import require_page

render_page(require_page("check-ins"))
