"""Actions: the delivery plan, every action's status, flags, dates and latest update."""

from dashboard.ui.actions import render
from dashboard.ui.guard import require_page

render(require_page("actions"))
