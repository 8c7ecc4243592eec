"""Admin: the measure register, proposals, targets, approvals, structure, users, audit log."""

from dashboard.ui.admin import render
from dashboard.ui.guard import require_page

render(require_page("admin"))
