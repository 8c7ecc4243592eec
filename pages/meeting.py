"""Meeting: the monthly leadership meeting on a shared screen, one exception at a time."""

from dashboard.ui.guard import require_page
from dashboard.ui.meeting import render

render(require_page("meeting"))
