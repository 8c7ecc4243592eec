"""Action: one delivery-plan action, its dates, linked measures and dated updates."""

from dashboard.ui.action import render
from dashboard.ui.guard import require_page

render(require_page("action"))
